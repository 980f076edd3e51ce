"""The progress bar: the CLI's side of the library's progress protocol (``wvtool.progress``)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from .common import err


def _si(x: float) -> str:
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:.2f}{suffix}"
    return f"{x:.0f}"


#: what a bar says during each stage a library function reports in ``info["stage"]``
_STAGES = {"read": "reading", "train": "training"}


def _describe(info: dict) -> str:
    extra = []
    if "epoch" in info:
        extra.append(f"epoch {info['epoch']}/{info.get('epochs', '?')}")
    if "alpha" in info:
        extra.append(f"lr {info['alpha']:.5f}")
    return "  ".join(extra)


@contextlib.contextmanager
def progress_bar(description: str, unit: str = "words", quiet: bool = False, console=None) -> Iterator[Callable]:
    """Yield a ``progress(done, total, info)`` callback that drives a rich bar on stderr.

    The bar appears at the first call (so an error raised before any work is
    one line with no bar above it).  ``info`` keys shown: ``epoch``/``epochs``,
    ``alpha``; ``info["stage"]`` switches the description (e.g. "read" then
    "train") and restarts the rate.  With ``quiet``, or when the console is not
    a terminal (a log file, a pipe, CI), the callback does nothing.
    """
    console = console or err
    if quiet or not console.is_terminal:
        yield lambda done, total=None, info=None: None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[extra]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, transient=False, refresh_per_second=8,
    )
    state: dict = {"task": None, "stage": None, "start": 0.0}

    def update(done: int, total: int | None = None, info: dict | None = None) -> None:
        info = info or {}
        stage = info.get("stage")
        if state["task"] is None or stage != state["stage"]:
            if state["task"] is None:
                progress.start()
            label = _STAGES.get(stage, description)
            state.update(task=progress.add_task(label, total=None, rate="", extra=""), stage=stage,
                         start=time.perf_counter())
        elapsed = max(time.perf_counter() - state["start"], 1e-9)
        stage_unit = "bytes" if stage == "read" else unit
        progress.update(state["task"], completed=done, total=total,
                        rate=f"{_si(info.get('rate', done / elapsed))} {stage_unit}/s", extra=_describe(info))

    try:
        yield update
    finally:
        if state["task"] is not None:
            progress.stop()
