"""The ``wvtool`` command line.  See ``wvtool --help``.

One module per command (``train.py``, ``info.py``, ``neighbors.py``, ...);
``params.py`` holds every flag and its help line, ``common.py`` the app and
output helpers, ``progress.py`` the progress bar.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import warnings

import typer

from ..errors import WvtoolError, WvtoolWarning, render
from . import analogy as _analogy  # noqa: E402,F401
from . import convert as _convert  # noqa: E402,F401
from . import evaluate as _evaluate  # noqa: E402,F401
from . import export_matrix as _export_matrix  # noqa: E402,F401
from . import info as _info  # noqa: E402,F401,I001
from . import neighbors as _neighbors  # noqa: E402,F401
from . import plot as _plot  # noqa: E402,F401
from . import similarity as _similarity  # noqa: E402,F401

# Importing the command modules registers their commands on ``app``, in this order in --help.
from . import train as _train  # noqa: E402,F401
from .common import _InOrder, app, err, error_line
from .params import flag_of


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"wvtool {__version__}")
        raise typer.Exit()


@app.callback(cls=_InOrder)
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_print_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Train, convert, query, evaluate and plot word vectors.

    Every command is also a Python function: import wvtool.  Run 'wvtool COMMAND --help' for a command's
    options and examples.
    """


def _show_warning(message, category, filename, lineno, file=None, line=None):
    if issubclass(category, WvtoolWarning):
        text = message.render(flag_of) if isinstance(message, WvtoolWarning) else render(str(message), flag_of)
        err.print(f"wvtool: warning: {text}", markup=False, highlight=False, soft_wrap=True)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)


_default_showwarning = warnings.showwarning


#: the signal that ended the command, if one did (SIGTERM: its exit status is 128 + 15, as the shell's)
_ended_by: list[int] = []


def _terminate(signum, frame):
    # Unwind like Ctrl-C, so temporary output files are removed on the way out.
    _ended_by.append(signum)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``wvtool`` console script (and ``python -m wvtool``)."""
    try:
        _main(argv)
    except SystemExit:
        if _ended_by:  # unwound as Ctrl-C is (status 130), but the status says which signal it was
            sys.exit(128 + _ended_by[0])
        raise


def _main(argv: list[str] | None) -> None:
    warnings.showwarning = _show_warning
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    # typer handles usage errors (exit 2) and Ctrl-C (exit 130) itself; an
    # interrupted writer has already removed its temporary file by then.
    try:
        app(args=argv, prog_name="wvtool")
    except WvtoolError as e:
        error_line(e.render(flag_of))
        sys.exit(1)
    except BrokenPipeError:
        # e.g. `wvtool neighbors ... | head`: not an error.  Point stdout at /dev/null so that
        # Python's final flush of the closed pipe cannot fail either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except (OSError, MemoryError) as e:
        # The system refused something no check foresaw (a name too long for the file system, memory the
        # machine does not have): one line, as for any other error, rather than a traceback.
        error_line(system_error(e))
        sys.exit(1)


def system_error(e: BaseException) -> str:
    """One line for an OSError or MemoryError that reached the command line: the file it names, what the system
    said, and what to do."""
    if isinstance(e, MemoryError) or getattr(e, "errno", None) == errno.ENOMEM:
        return ("not enough memory for this work (the system refused an allocation); free memory, or ask for less "
                "(a smaller --dim, --bucket or --max-vocab, or a --limit on what is read)")
    what = e.strerror or str(e) or type(e).__name__
    name = f"{e.filename}: " if getattr(e, "filename", None) else ""
    return f"{name}{what}; check the path and the file system"

