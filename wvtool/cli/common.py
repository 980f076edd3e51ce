"""What every command shares: the typer app, output helpers and the progress bar.

The CLI is the only layer that imports typer and rich.  A command parses its
options, calls one library function, and renders the result with
:func:`emit` (a rich table, or JSON with ``--json``).
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    name="wvtool",
    help="Train, convert, query, evaluate and plot word vectors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)

#: tables and results go to stdout
out = Console(highlight=False, soft_wrap=False)
#: progress, warnings and errors go to stderr
err = Console(stderr=True, highlight=False)

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of a table.")
QUIET_OPTION = typer.Option(False, "--quiet", "-q", help="No progress bar or summary on stderr.")

# Every command that reads a vector file takes the same input options.
FORMAT_NAMES = "word2vec, word2vec-binary, glove, fasttext, native"
FORMAT_OPTION = typer.Option(
    None, "--format", "-f", help=f"Force the input format ({FORMAT_NAMES}); default: detected from the content."
)
LIMIT_OPTION = typer.Option(
    None, "--limit", "-n", min=0, help="Read only the first N vectors (the rest of the file is not read)."
)
ENCODING_OPTION = typer.Option("utf-8", "--encoding", help="Encoding of the words in the input file.")
UNICODE_ERRORS_OPTION = typer.Option(
    "strict",
    "--unicode-errors",
    help="What to do with words that are not valid in --encoding: strict (stop with an error), replace or ignore.",
)


def load_vectors(path, format=None, limit=None, encoding="utf-8", unicode_errors="strict", quiet=False):
    """Load a vector file with a progress bar (the input options above map onto :func:`wvtool.formats.load`)."""
    from pathlib import Path

    from ..files import check_readable
    from ..formats import load

    check_readable(path)  # fail before a bar is drawn
    with progress_bar(f"loading {Path(path).name}", "vectors", quiet) as progress:
        return load(path, format, limit=limit, encoding=encoding, unicode_errors=unicode_errors, progress=progress)


def emit(result: Any, as_json: bool, render: Callable[[Any], Any] | None = None) -> None:
    """Print ``result`` as JSON (``as_json``) or through ``render`` (returns a rich renderable or str)."""
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False, default=_json_default) + "\n")
        sys.stdout.flush()
        return
    shown = render(result) if render else result
    if shown is not None:
        out.print(shown)


def _json_default(o):
    import numpy as np

    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if hasattr(o, "__fspath__"):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def table(*columns: str, title: str | None = None, **kwargs) -> Table:
    """A plain rich table; numeric columns should be given justify='right' via add_column afterwards."""
    t = Table(title=title, title_justify="left", header_style="bold", **kwargs)
    for c in columns:
        t.add_column(c)
    return t


def warn(message: str) -> None:
    err.print(f"wvtool: warning: {message}", markup=False, highlight=False, soft_wrap=True)


def info(message: str, quiet: bool = False) -> None:
    if not quiet:
        err.print(message, markup=False, highlight=False, soft_wrap=True)


@contextlib.contextmanager
def progress_bar(description: str, unit: str = "words", quiet: bool = False) -> Iterator[Callable]:
    """Yield a ``progress(done, total, info)`` callback that drives a rich bar on stderr.

    ``info`` is a dict; known keys are shown: ``epoch``/``epochs``, ``alpha``.
    The rate column shows ``unit``/s.  With ``quiet``, or when stderr is not a
    terminal (a log file, a pipe, CI), the callback does nothing: a bar there is
    noise, and would stand before a one-line error message.
    """
    if quiet or not err.is_terminal:
        yield lambda done, total, info=None: None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    start = time.perf_counter()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[extra]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
        refresh_per_second=8,
    )
    task = progress.add_task(description, total=None, rate="", extra="")

    def update(done: int, total: int | None, info: dict | None = None) -> None:
        info = info or {}
        elapsed = max(time.perf_counter() - start, 1e-9)
        rate = info.get("rate", done / elapsed)
        extra = []
        if "epoch" in info:
            extra.append(f"epoch {info['epoch']}/{info.get('epochs', '?')}")
        if "alpha" in info:
            extra.append(f"lr {info['alpha']:.5f}")
        progress.update(task, completed=done, total=total, rate=f"{_si(rate)} {unit}/s", extra="  ".join(extra))

    with progress:
        yield update


def _si(x: float) -> str:
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:.2f}{suffix}"
    return f"{x:.0f}"
