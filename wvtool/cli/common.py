"""What every command shares: the typer app, the two consoles, output helpers and the vector loader.

The CLI is the only layer that imports typer and rich.  A command parses its
options into options objects (see :mod:`wvtool.cli.params`), calls one library
function, and renders the result with :func:`emit` (a rich table, or JSON with
``--json``).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import typer
import typer.core
from rich.console import Console
from rich.table import Table

#: the order of the commands in ``wvtool --help``: the workflow, not the alphabet
COMMAND_ORDER = ("train", "info", "convert", "neighbors", "analogy", "similarity", "eval", "plot", "export-matrix")


class _InOrder(typer.core.TyperGroup):
    """Commands listed in :data:`COMMAND_ORDER` (train first), then any others."""

    def list_commands(self, ctx):
        known = [c for c in COMMAND_ORDER if c in self.commands]
        return known + [c for c in self.commands if c not in known]


# typer brings click (or, from typer 0.20, its own copy): parameters are told apart by param_type_name.
class _Command(typer.core.TyperCommand):
    """A command whose help is laid out here, from the click parameters, the same under every typer version:
    usage, text, arguments, options (flag, metavar, help, default), at most 100 columns, no Python types."""

    def collect_usage_pieces(self, ctx):
        return ["[OPTIONS]"] + [_metavar(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]

    def format_help(self, ctx, formatter):
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        params = self.get_params(ctx)
        args = [(_metavar(p), getattr(p, "help", None) or "") for p in params if p.param_type_name == "argument"]
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        with formatter.section("Options"):
            formatter.write_dl([_option_row(p) for p in params if p.param_type_name == "option" and not p.hidden])
        self.format_epilog(ctx, formatter)


def _metavar(p) -> str:
    name = p.metavar or p.name.upper()
    return name if p.nargs != -1 or name.endswith("...") else f"{name}..."


def _option_row(p) -> tuple[str, str]:
    flags = ", ".join(sorted(p.opts, key=len)) + (" / " + ", ".join(p.secondary_opts) if p.secondary_opts else "")
    if not p.is_flag:
        flags += f" {p.metavar or p.name.upper()}"
    notes = []
    if p.required:
        notes.append("required")
    elif p.show_default is not False and p.default is not None and p.default is not False \
            and p.default not in ((), "") and not callable(p.default) \
            and "[default:" not in (p.help or ""):  # an empty default says nothing; the help may say it already
        notes.append(f"default: {p.opts[-1] if p.secondary_opts and p.default is True else p.default}")
    help_text = (p.help or "") + (f"  [{'; '.join(notes)}]" if notes else "")
    return flags, help_text


def command(*args, **kwargs):
    """``app.command`` with wvtool's help layout; a closed stdout ends the command quietly (see :func:`_pipe_closed`)."""
    register = app.command(*args, cls=_Command, **kwargs)

    def decorate(f: Callable) -> Callable:
        @functools.wraps(f)
        def run(*a, **kw):
            try:
                return f(*a, **kw)
            except BrokenPipeError:
                raise _pipe_closed() from None

        return register(run)

    return decorate


def _pipe_closed() -> BrokenPipeError:
    """The error a closed stdout is re-raised as: without an errno, so that typer, which exits with status 1 on
    an EPIPE error, lets it through to :func:`wvtool.cli.main`, which ends quietly with status 0."""
    return BrokenPipeError()


# Plain (click) help: the same layout under every typer version, 80 columns, no boxes, no Python types.
app = typer.Typer(
    name="wvtool",
    cls=_InOrder,
    help="Train, convert, query, evaluate and plot word vectors.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    rich_markup_mode=None,
)

class _Stdout(Console):
    """stdout: a closed pipe (``wvtool neighbors ... | head``) ends the command quietly, with status 0."""

    def on_broken_pipe(self) -> None:  # rich >= 13.8 calls this; older versions let BrokenPipeError through
        self.quiet = True
        raise _pipe_closed()


#: results go to stdout; piped to a file or another program, tables keep every value whole (no cut words)
out = _Stdout(highlight=False, soft_wrap=False, **({} if sys.stdout.isatty() else {"width": 100_000}))
#: progress, warnings and errors go to stderr
err = Console(stderr=True, highlight=False)

#: the vector file argument of every command that reads one
VECTORS_ARG = typer.Argument(..., metavar="VECTORS", help="Vector file (any format wvtool reads; detected from the content).")


def load_vectors(path, options, quiet: bool = False, answers: bool = False):
    """Load a vector file (``options``: a ``LoadOptions``) with a progress bar; a note when ``options.limit`` cut
    the table short (a query word after the limit is then unknown; for a command with ``answers``, ``-n 5`` is
    easily meant as ``-k 5``)."""
    from ..files import shown_name
    from ..formats import load
    from .progress import progress_bar

    with progress_bar(f"loading {shown_name(path)}", "vectors", quiet) as progress:
        table_ = load(path, options=options, progress=progress)
    limit = options.limit if options is not None else None
    if limit is not None and len(table_) >= limit:
        k = " (-k sets the number of answers)" if answers else ""
        info(f"wvtool: note: only the first {limit:,} words of {shown_name(path)} were read (-n/--limit {limit}); "
             f"words after them are unknown{k}", quiet)
    return table_


def document(command: str, **fields) -> dict:
    """A command's JSON result, in the one vocabulary every command shares.

    ``command``: the command's name.  ``vectors``: the vector file read; ``corpus``:
    the text files read; ``output``: the file written; ``settings``: the options
    that shaped the answer; ``answers``: ranked ``{"word", "score"}`` lists, with
    ``measure`` saying what the score is; ``word1``/``word2``/``score``: a pair.
    """
    return {"command": command, **fields}


def emit(result: Any, ui, render: Callable[[Any], Any] | None = None,
         rows: Callable[[Any], tuple[list[str], list[tuple]]] | None = None, *, data_on_stdout: bool = False) -> None:
    """Print a command's result on stdout: JSON with ``--json``, tab-separated with ``--tsv`` (``rows(result)``
    gives the header and the rows), else through ``render`` (a rich renderable or str).

    ``data_on_stdout``: the command wrote its output file to stdout (``-o -``), so stdout holds that data alone
    and the summary goes to stderr instead: the JSON or TSV document as asked, the rendered summary as a note
    (left out with ``--quiet``)."""
    stream, console = (sys.stderr, err) if data_on_stdout else (sys.stdout, out)
    if ui.as_json:
        stream.write(json.dumps(result, indent=2, ensure_ascii=False, default=_json_default) + "\n")
        stream.flush()
        return
    if ui.tsv and rows is not None:
        header, body = rows(result)
        stream.write("".join(tsv_line(r) for r in [header, *body]))
        stream.flush()
        return
    if data_on_stdout and ui.quiet:
        return
    shown = render(result) if render else result
    if isinstance(shown, str):  # a one-line result: never wrapped, never read as markup
        console.print(shown, soft_wrap=True, markup=False)
    elif shown is not None:
        console.print(shown)


def tsv_line(values) -> str:
    """One tab-separated line; tabs and newlines inside a value become spaces.  Every command writes a value the
    same way: None as an empty cell, floats with full precision, booleans as JSON's ``true``/``false`` and lists
    and dicts as one line of JSON."""
    return "\t".join(_tsv_cell(v).replace("\t", " ").replace("\n", " ") for v in values) + "\n"


def _tsv_cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return str(v)


def jsonl(obj) -> None:
    """Print one JSON object on one line (streaming answers)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n")
    sys.stdout.flush()


def _json_default(o):
    import numpy as np

    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if hasattr(o, "__fspath__"):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


class _TitledTable(Table):
    """A rich table whose title is printed as its own line, as long as the title is: rich pads a title to the
    table's width (trailing spaces in piped output) and wraps one wider than the table."""

    def __rich_console__(self, console, options):
        from rich.text import Text

        title, self.title = self.title, None
        try:
            if title:
                yield Text(title, style="table.title", no_wrap=True)
            yield from super().__rich_console__(console, options)
        finally:
            self.title = title


def table(*columns: str, title: str | None = None, **kwargs) -> Table:
    """A plain rich table; numeric columns should be given justify='right' via add_column afterwards."""
    t = _TitledTable(title=title, header_style="bold", **kwargs)
    for c in columns:
        t.add_column(c)
    return t


def ranking_table(title: str, rows: list[tuple[str, float]], score: str = "cosine") -> Table:
    """A numbered table of (word, score) answers (at least as wide as its title, which never wraps)."""
    t = table(title=title, min_width=len(title))
    t.add_column("#", justify="right", style="dim")
    t.add_column("word")
    t.add_column(score, justify="right")
    for i, (w, s) in enumerate(rows, 1):
        t.add_row(str(i), w, f"{s:.4f}")
    return t


def word_scores(res: list[tuple[str, float]], key: str = "similarity") -> list[dict]:
    """(word, score) answers as JSON objects."""
    return [{"word": w, key: s} for w, s in res]


def fmt(x: float | None, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def size_text(n: int) -> str:
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{n} B"


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def resolve_words(table_, words) -> tuple[dict[str, str], list[dict]]:
    """How a command looks its query words up (the same in every query command): ``used`` maps a word found
    only in lower case to that form (:func:`wvtool.query.case_fallback`), and each word the table has no
    vector for gets an error entry ``{"word", "error", "suggestions"}`` (as ``neighbors`` reports one)."""
    from ..errors import UnknownWordError
    from ..query import case_fallback

    used: dict[str, str] = {}
    errors: list[dict] = []
    for w in dict.fromkeys(words):
        form = case_fallback(table_, w)
        if form != w:
            used[w] = form
        if not table_.has_vector(form):
            errors.append(error_entry(UnknownWordError(w, table_.suggest(w), len(table_))))
    return used, errors


def error_entry(e) -> dict:
    """The JSON entry for a query that could not be answered (an UnknownWordError carries suggestions)."""
    return {"word": getattr(e, "word", None), "error": str(e), "suggestions": list(getattr(e, "suggestions", []))}


def case_note(word: str, used: str, quiet: bool = False) -> None:
    """The note for a word looked up in another case."""
    info(f"wvtool: note: {word!r} is not in the vocabulary; showing {used!r}", quiet)


def no_answers_note(query: str, table_, restrict: int | None, quiet: bool = False) -> None:
    """The note for a query answered with nothing: every word it may answer with is one of the query's own."""
    n = len(table_)
    restricted = restrict is not None and restrict < n
    among = f"the first {restrict:,} of the table's {n:,} words" if restricted else f"the table's {n:,} word{'s' * (n != 1)}"
    info(f"wvtool: note: no answers for {query!r}: every word it could answer with ({among}) is a query word, and "
         "query words are never answers; use a larger table" + (" or a larger --restrict" if restricted else ""), quiet)


def report_words(used: dict[str, str], errors: list[dict], quiet: bool = False) -> None:
    """A note per word found in another case, one error line per unknown word (stderr)."""
    for w, form in used.items():
        case_note(w, form, quiet)
    for e in errors:
        error_line(e["error"])


def error_line(message: str) -> None:
    err.print(f"wvtool: error: {message}", markup=False, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    err.print(f"wvtool: warning: {message}", markup=False, highlight=False, soft_wrap=True)


def info(message: str, quiet: bool = False) -> None:
    if not quiet:
        err.print(message, markup=False, highlight=False, soft_wrap=True)


def subwords_note(output_format: str) -> str:
    """The note for a subword model written to a format that holds only word vectors."""
    return (f"wvtool: note: {output_format} holds only word vectors: the vocabulary's vectors were written, not the "
            "n-gram table (unseen words cannot be composed from this file; write .bin or .wv to keep it, or pass "
            "--keep-subwords to make this an error)")
