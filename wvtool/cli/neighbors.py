"""Command: neighbors."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..formats import LoadOptions
from ..query import QueryOptions
from .common import VECTORS_ARG, command, emit, err, info, jsonl, load_vectors, out, ranking_table, word_scores
from .params import Output, option_group, output_options


@command(
    short_help="Nearest neighbours of words by cosine similarity.",
    help=(
        "Nearest neighbours of words by cosine similarity (the word itself excluded).\n\n"
        "With several words, one list per word.  With no words, an interactive mode reads one query per "
        "line from standard input (a 'query>' prompt on a terminal, plain lines from a pipe), so a large "
        "table is loaded once for many questions; an empty line is ignored, end of input quits.\n\n"
        "Example: wvtool neighbors vectors.bin king water -k 5\n\n"
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
    from .. import query

    table_ = load_vectors(vectors, load, ui.quiet)
    if words:
        for w in words:  # every word is checked before anything is printed
            table_.get_index(w)
        results = [{"word": w, "neighbors": word_scores(query.neighbors(table_, w, options=query_))} for w in words]
        if ui.as_json:
            emit({"vectors": str(vectors), "k": query_.k, "restrict": query_.restrict, "results": results}, True)
        else:
            for r in results:
                out.print(ranking_table(f"neighbours of {r['word']!r}", [(x["word"], x["similarity"]) for x in r["neighbors"]]))
        return
    _interactive(table_, query_, ui)


def _interactive(table_, options: QueryOptions, ui: Output) -> None:
    """Answer one query per line of standard input until its end."""
    from .. import query
    from ..errors import UnknownWordError

    interactive = sys.stdin.isatty()
    if interactive:
        info(f"{len(table_):,} words loaded; type words to query, Ctrl-D to quit.", ui.quiet)
    while True:
        if interactive:
            err.print("query> ", end="", markup=False, highlight=False)
        line = sys.stdin.readline()
        if not line:  # end of input
            if interactive:
                err.print()
            return
        for w in line.split():
            try:
                res = query.neighbors(table_, w, options=options)
            except UnknownWordError as e:
                if ui.as_json:
                    jsonl({"word": w, "error": str(e), "suggestions": e.suggestions})
                else:
                    err.print(f"wvtool: {e}", markup=False, highlight=False, soft_wrap=True)
                continue
            if ui.as_json:
                jsonl({"word": w, "neighbors": word_scores(res)})
            else:
                out.print(ranking_table(f"neighbours of {w!r}", res))
                out.file.flush()
