"""Command: neighbors."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..errors import ConfigError
from ..formats import LoadOptions
from ..query import QueryOptions
from .common import (
    VECTORS_ARG,
    case_note,
    command,
    document,
    emit,
    err,
    error_line,
    info,
    load_vectors,
    no_answers_note,
    out,
    ranking_table,
    tsv_line,
)
from .params import Output, option_group, output_options


@command(
    short_help="Nearest neighbours of words by cosine similarity.",
    help=(
        "Nearest neighbours of words by cosine similarity (the word itself excluded).\n\n"
        "With several words, one list per word.  Words joined by + and - make one query instead: the neighbours "
        "of their combination, as gensim's most_similar(positive, negative), e.g. 'king - man + woman' "
        "(a word with no sign before it is added; a leading - needs '--' before it, after every option, or a "
        "space after it).  With a subword (fastText) "
        "model, a word outside the vocabulary is composed from its character n-grams (and marked so).  "
        "With no words, an interactive mode reads one query per line from standard input (a 'query>' prompt on a terminal, plain lines from a pipe), so a large "
        "table is loaded once for many questions; an empty line is ignored, end of input quits.  With --json, "
        "each line of input gets one JSON document on one line, of the same shape as with words given.\n\n"
        "Example: wvtool neighbors vectors.bin king water -k 5\n\n"
        "Example: wvtool neighbors vectors.bin king - man + woman\n\n"
        "Example: printf 'king\\nparis\\n' | wvtool neighbors vectors.bin --json"
    ),
)
@option_group("query_", QueryOptions, ("k", "restrict"), k={"help": "Number of neighbours per word."})
@option_group("load", LoadOptions)
@output_options
def neighbors(
    vectors: Path = VECTORS_ARG,
    words: list[str] | None = typer.Argument(None, metavar="[WORD]...", help="Query words (none: read queries from standard input)."),
    query_: QueryOptions = None,
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    if not words and sys.stdin is None:  # started with standard input closed (<&-)
        raise ConfigError("standard input is closed, so no queries can be read from it; give the query words as "
                          "arguments")
    if not words and str(vectors) == "-":
        raise ConfigError("the vectors come from standard input, which cannot hold the queries too; "
                          "give the query words as arguments, or the vectors as a file")
    table_ = load_vectors(vectors, load, ui.quiet, answers=True)
    if words:
        result = _answer(table_, words, query_, str(vectors))
        emit(result, ui, _render, _rows)
        _report(result, ui, table_)
        if any("error" in x for x in result["results"]):
            raise typer.Exit(1)  # every known word was answered; the unknown ones were reported
        return
    _interactive(table_, query_, ui, str(vectors))


def _report(result: dict, ui: Output, table_) -> None:
    """On stderr: one line per unknown word, a note per word found in another case, and one per query left with
    no answer (``table_``: the table asked)."""
    for x in result["results"]:
        if "error" in x:
            error_line(x["error"])
            continue
        if x.get("used"):
            for w, form in zip(x["word"].split(), x["used"].split(), strict=True):  # one word, or an expression's
                if w != form:
                    case_note(w, form, ui.quiet)
        if not x["answers"]:
            no_answers_note(x["word"], table_, result["settings"]["restrict"], ui.quiet)


def _expression(words: list[str]) -> tuple[list[str], list[str]] | None:
    """``king - man + woman`` (or ``king -man +woman``) as (positive, negative) words; None for plain words.

    A ``+`` or ``-`` standing alone needs a word after it, and a ``+`` a word before it (a leading ``-``
    subtracts the word after it); QueryError otherwise."""
    from ..errors import QueryError

    if not any(w[:1] in ("+", "-") for w in words):  # an empty word is a word (unknown), not a sign
        return None
    text = " ".join(words)
    for i, w in enumerate(words):
        if w not in ("+", "-"):
            continue
        if i == len(words) - 1 or words[i + 1] in ("+", "-"):
            raise QueryError(f"{text!r}: {w!r} has no word after it; put a word after each + and -")
        if i == 0 and w == "+":
            raise QueryError(f"{text!r}: '+' has no word before it; start with a word (or '-' to subtract one)")
    positive, negative, sign = [], [], "+"
    for w in words:
        if w in ("+", "-"):
            sign = w
            continue
        if w[:1] in ("+", "-"):
            sign, w = w[0], w[1:]
        (positive if sign == "+" else negative).append(w)
        sign = "+"
    return positive, negative


def _answer(table_, words: list[str], options: QueryOptions, source: str) -> dict:
    """The JSON document for some query words (an unknown word gets an error entry instead of answers).

    A word found only in lower case is answered in that form (``"used"``), as in every query command."""
    from .. import query
    from ..errors import QueryError, UnknownWordError

    results = []
    try:
        combo = _expression(words)
    except QueryError as e:  # a dangling + or -: an error entry, as for an unknown word
        results.append({"word": " ".join(words), "error": str(e), "suggestions": []})
        combo, words = None, []
    if combo is not None:
        label = " ".join(words)
        positive, negative = ([query.case_fallback(table_, w) for w in ws] for ws in combo)
        used = " ".join(w if w in ("+", "-") else w[0] + query.case_fallback(table_, w[1:]) if w[:1] in ("+", "-")
                        else query.case_fallback(table_, w) for w in words)
        try:
            answers = [{"word": a, "score": s} for a, s in query.most_similar(table_, positive, negative, options=options)]
            composed = [w for w in dict.fromkeys(positive + negative) if table_.is_composed(w)]
            results.append(_entry(table_, label, used, positive, negative, composed, answers))
        except (UnknownWordError, QueryError) as e:
            results.append({"word": label, "error": str(e), "suggestions": getattr(e, "suggestions", [])})
        words = []
    for w in words:
        used = query.case_fallback(table_, w)  # 'Computer' finds 'computer'
        try:
            answers = [{"word": a, "score": s} for a, s in query.neighbors(table_, used, options=options)]
            results.append(_entry(table_, w, used, None, None, table_.is_composed(used), answers))
        except (UnknownWordError, QueryError) as e:
            results.append({"word": w, "error": str(e), "suggestions": getattr(e, "suggestions", [])})
    return document("neighbors", vectors=source, settings={"k": options.k, "restrict": options.restrict},
                    measure="cosine", results=results)


def _entry(table_, word: str, used: str, positive, negative, composed, answers: list) -> dict:
    """An answered query's entry in ``results``, the same keys for a word and an expression: ``used`` the form
    looked up (null: as given), ``positive``/``negative`` an expression's words (null for one word), and for a
    subword model ``composed`` (a word: whether it was composed from n-grams; an expression: its composed words)."""
    entry = {"word": word, "used": used if used != word else None, "positive": positive, "negative": negative}
    if table_.subwords is not None:
        entry["composed"] = composed
    entry["answers"] = answers
    return entry


def _rows(r: dict):
    body = [(x["word"], i, a["word"], a["score"]) for x in r["results"] for i, a in enumerate(x.get("answers", []), 1)]
    return ["query", "rank", "word", "score"], body


def _render(r: dict):
    from rich.console import Group

    parts = []
    for x in r["results"]:
        if "answers" in x:
            title = f"neighbours of {x['used'] or x['word']!r}" + _composed_note(x.get("composed"))
            parts.append(ranking_table(title, [(a["word"], a["score"]) for a in x["answers"]]))
    return Group(*parts)


def _composed_note(composed) -> str:
    """The title's note for a query word composed from subwords (True), or the words of an expression (a list)."""
    if not composed:
        return ""
    return " (composed from subwords)" if composed is True else f" ({', '.join(composed)} composed from subwords)"


HISTORY_FILE = "~/.wvtool_history"


def _line_editor():
    """A prompt with line editing and a history file (~/.wvtool_history) where the platform has readline."""
    import atexit
    import os

    try:
        import readline
    except ImportError:  # e.g. Windows without pyreadline: a plain prompt
        readline = None
    if readline is not None:
        path = os.path.expanduser(HISTORY_FILE)
        try:
            readline.read_history_file(path)
        except OSError:
            pass
        readline.set_history_length(1000)
        atexit.register(lambda: _save_history(readline, path))

    def read() -> str:
        try:
            sys.stderr.flush()
            return input("query> ") + "\n"  # input() uses readline when it is loaded; the prompt goes to stderr
        except EOFError:
            return ""

    return read


def _save_history(readline, path: str) -> None:
    try:
        readline.write_history_file(path)
    except OSError:
        pass  # a read-only home directory: no history, no error


def _interactive(table_, options: QueryOptions, ui: Output, source: str) -> None:
    """Answer one query per line of standard input until its end; exit status 1 if a query had an unknown word
    (as with words on the command line: a script piping queries in can tell)."""
    import json

    interactive = sys.stdin.isatty()
    if interactive:
        info(f"{len(table_):,} words loaded; type words to query (or 'king - man + woman'), Ctrl-D to quit.",
             ui.quiet)
        read = _line_editor()
    if ui.tsv:  # one header for the whole session, as for words on the command line
        sys.stdout.write(tsv_line(_rows({"results": []})[0]))
        sys.stdout.flush()
    failed = False
    while True:
        if interactive:
            line = read()
        else:
            line = sys.stdin.readline()
        if not line:  # end of input
            if interactive:
                err.print()
            if failed:
                raise typer.Exit(1)
            return
        words = line.split()
        if not words:
            continue
        result = _answer(table_, words, options, source)
        if ui.as_json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        elif ui.tsv:
            sys.stdout.write("".join(tsv_line(row) for row in _rows(result)[1]))
        else:
            out.print(_render(result))
        sys.stdout.flush()
        _report(result, ui, table_)
        failed = failed or any("error" in x for x in result["results"])
