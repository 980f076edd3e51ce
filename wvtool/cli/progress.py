"""The progress bar: the CLI's side of the library's progress protocol (``wvtool.progress``)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from .common import err


def _clock(seconds: float | None) -> str:
    s = int(seconds or 0)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def _si(x: float) -> str:
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:.3g}{suffix}"
    return f"{x:.0f}"


#: what a bar says during each stage a library function reports in ``info["stage"]``
_STAGES = {"read": ("reading", "bytes"), "train": ("training", "words"), "load": ("loading", "vectors"),
           "score": ("analogies", "questions"), "compile": ("compiling the kernel (first run only)", "")}


def staged(progress: Callable, stage: str) -> Callable:
    """``progress`` with ``info["stage"] = stage`` added: one bar shows the steps of a command in turn."""
    return lambda done, total=None, info=None: progress(done, total, {**(info or {}), "stage": stage})


def _describe(info: dict) -> str:
    extra = []
    if "epoch" in info:
        extra.append(f"epoch {info['epoch']}/{info.get('epochs', '?')}")
    if "alpha" in info:
        extra.append(f"lr {info['alpha']:.4f}")
    if info.get("loss"):
        extra.append(f"loss {info['loss']:.4f}")
    return " ".join(extra)


@contextlib.contextmanager
def progress_bar(description: str, unit: str = "words", quiet: bool = False, console=None) -> Iterator[Callable]:
    """Yield a ``progress(done, total, info)`` callback that drives a rich bar on stderr.

    The bar appears at the first call (so an error raised before any work is
    one line with no bar above it).  ``info`` keys shown: ``epoch``/``epochs``,
    ``alpha``, ``loss``; ``info["stage"]`` switches the description (e.g. "read" then
    "train") and restarts the rate.  With ``quiet``, or when the console is not
    a terminal (a log file, a pipe, CI), the callback does nothing.
    """
    console = console or err
    if quiet or not console.is_terminal:
        yield lambda done, total=None, info=None: None
        return
    from rich.progress import BarColumn, Progress, ProgressColumn, TaskProgressColumn, TextColumn
    from rich.text import Text

    class Times(ProgressColumn):
        """'ETA 0:00:03' while the total is known and work remains, else '0:00:12 elapsed'."""

        def render(self, task):
            if task.total is not None and task.time_remaining is not None and not task.finished:
                return Text(f"ETA {_clock(task.time_remaining)}", style="progress.remaining")
            return Text(f"{_clock(task.elapsed)} elapsed", style="progress.elapsed")

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(bar_width=20), TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[extra]}"), Times(), console=console, transient=False, refresh_per_second=8,
    )
    state: dict = {"task": None, "stage": None, "start": 0.0}

    def update(done: int, total: int | None = None, info: dict | None = None) -> None:
        info = info or {}
        stage = info.get("stage")
        if state["task"] is None or stage != state["stage"]:
            if state["task"] is None:
                progress.start()
            else:  # the previous stage is over: its clock stops
                progress.stop_task(state["task"])
            label = _STAGES.get(stage, (description, unit))[0]
            state.update(task=progress.add_task(label, total=None, rate="", extra=""), stage=stage,
                         start=time.perf_counter())
        elapsed = max(time.perf_counter() - state["start"], 1e-9)
        stage_unit = _STAGES.get(stage, (description, unit))[1]
        rate = f"{_si(info.get('rate', done / elapsed))} {stage_unit}/s" if stage_unit else ""
        progress.update(state["task"], completed=done, total=total, rate=rate, extra=_describe(info))

    try:
        yield update
    finally:
        if state["task"] is not None:
            progress.stop()
