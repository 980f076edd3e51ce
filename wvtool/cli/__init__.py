"""The ``wvtool`` command line.  See ``wvtool --help``."""

from __future__ import annotations

import signal
import sys
import warnings

import typer

from ..errors import WvtoolError, WvtoolWarning

# Importing the command modules registers their commands on ``app``.
from . import formats as _formats  # noqa: E402,F401
from . import plot as _plot  # noqa: E402,F401
from . import query as _query  # noqa: E402,F401
from . import train as _train  # noqa: E402,F401
from .common import app, err


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"wvtool {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Train, convert, query, evaluate and plot word vectors.

    Every command is also a Python function: [bold]import wvtool[/].
    Run [bold]wvtool COMMAND --help[/] for a command's options and an example.
    """


def _show_warning(message, category, filename, lineno, file=None, line=None):
    if issubclass(category, WvtoolWarning):
        err.print(f"wvtool: warning: {message}", markup=False, highlight=False, soft_wrap=True)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)


_default_showwarning = warnings.showwarning


def _terminate(signum, frame):
    # Unwind like Ctrl-C, so temporary output files are removed on the way out.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``wvtool`` console script (and ``python -m wvtool``)."""
    warnings.showwarning = _show_warning
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    # typer handles usage errors (exit 2) and Ctrl-C (exit 130) itself; an
    # interrupted writer has already removed its temporary file by then.
    try:
        app(args=argv, prog_name="wvtool")
    except WvtoolError as e:
        # (a stopgap until the CLI's parameter -> flag table lands: flags are spelled like the parameters)
        err.print(f"wvtool: error: {e.render(lambda name: '--' + name.replace('_', '-'))}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except BrokenPipeError:
        # e.g. `wvtool neighbors ... | head`: not an error.
        sys.stderr.close()
        sys.exit(0)
