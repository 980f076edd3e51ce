"""Command: analogy."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from ..formats import LoadOptions
from ..query import ANALOGY_K, QueryOptions
from .common import (
    VECTORS_ARG,
    command,
    document,
    emit,
    info,
    load_vectors,
    no_answers_note,
    ranking_table,
    report_words,
    resolve_words,
)
from .params import Output, option, option_group, output_options


@command(
    short_help="Word analogies: A is to B as C is to ?",
    help=(
        "Word analogies: A is to B as C is to ?  Answers by 3CosAdd (closest to B - A + C) or 3CosMul "
        "(Levy and Goldberg, 2014); the three query words are never answers.  With a subword (fastText) model, "
        "a query word outside the vocabulary is composed from its character n-grams (and marked so).\n\n"
        "Example: wvtool analogy vectors.bin man king woman -k 5 --method mul"
    ),
)
@option_group("query_", QueryOptions, ("method", "restrict", "epsilon"), method={"help": "add (3CosAdd) or mul (3CosMul)."})
@option_group("load", LoadOptions)
@output_options
def analogy(
    vectors: Path = VECTORS_ARG,
    a: str = typer.Argument(..., metavar="A", help="A, e.g. 'man'."),
    b: str = typer.Argument(..., metavar="B", help="B, e.g. 'king'."),
    c: str = typer.Argument(..., metavar="C", help="C, e.g. 'woman'."),
    k: int = option("k", ANALOGY_K),
    query_: QueryOptions = None,
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    from .. import query

    opts = dataclasses.replace(query_, k=k)  # validated before the (possibly long) load
    table_ = load_vectors(vectors, load, ui.quiet, answers=True)
    used, errors = resolve_words(table_, (a, b, c))
    qa, qb, qc = (used.get(w, w) for w in (a, b, c))
    report_words(used, [], ui.quiet)
    if not errors:
        _note_repeats(qa, qb, qc, ui.quiet)
    res = [] if errors else query.analogy(table_, qa, qb, qc, options=opts)
    composed = [w for w in dict.fromkeys((qa, qb, qc)) if table_.is_composed(w)]
    score = "3CosAdd cosine" if opts.method == "add" else "3CosMul score"
    result = document("analogy", vectors=str(vectors), settings={"k": k, "restrict": opts.restrict, "method": opts.method},
                      measure="3cosadd" if opts.method == "add" else "3cosmul", query={"a": a, "b": b, "c": c},
                      used=used, composed=composed, answers=[{"word": w, "score": s} for w, s in res], errors=errors)
    note = f" ({', '.join(composed)} composed from subwords)" if composed else ""
    emit(result, ui, lambda r: None if errors else ranking_table(f"{qa} : {qb} :: {qc} : ?{note}", res, score),
         lambda r: (["rank", "word", "score"], [(i, x["word"], x["score"]) for i, x in enumerate(r["answers"], 1)]))
    report_words({}, errors)
    if errors:
        raise typer.Exit(1)  # the JSON document carries the unknown words too
    if not res:
        no_answers_note(f"{qa} : {qb} :: {qc} : ?", table_, opts.restrict, ui.quiet)


def _note_repeats(a: str, b: str, c: str, quiet: bool) -> None:
    """A note when A, B and C are not three words: answered (gensim answers too), but not an analogy."""
    roles: dict[str, list[str]] = {}
    for role, w in (("A", a), ("B", b), ("C", c)):
        roles.setdefault(w, []).append(role)
    for w, rs in roles.items():
        if len(rs) < 2:
            continue
        if rs == ["B", "C"]:
            what = f"the answers are those closest to twice {b!r} less {a!r}"
        else:  # B - A + C with A = C is B, with A = B is C (3CosMul ranks alike); all three: the word itself
            rest = w if len(rs) == 3 else b if rs == ["A", "C"] else c
            what = f"the answers are (close to) the nearest neighbours of {rest!r}"
        info(f"wvtool: note: the analogy repeats {w!r} (as {', '.join(rs[:-1])} and {rs[-1]}), so {what}; give three different "
             "words for an analogy", quiet)
