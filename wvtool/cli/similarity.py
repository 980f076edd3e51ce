"""Command: similarity."""

from __future__ import annotations

from pathlib import Path

import typer

from ..files import shown_name
from ..formats import LoadOptions
from .common import VECTORS_ARG, command, document, emit, fmt, load_vectors, out, report_words, resolve_words, table
from .params import Output, option, option_group, output_options


@command(
    short_help="Cosine similarity of two words, or of the pairs in a file.",
    help=(
        "Cosine similarity of two words, or of every pair in a file with --pairs "
        "('word1 word2 [score]' per line, tab- or space-separated, '#' comments).  With scores in the file, "
        "also their Spearman and Pearson correlation with the cosines (pairs with unknown words are left out "
        "and counted; words are matched exactly as written).  With a subword (fastText) model, words outside the "
        "vocabulary are composed from their character n-grams (and marked so); the correlations are then given "
        "twice: over the pairs of vocabulary words (as eval and gensim report them) and with composed words.\n\n"
        "Example: wvtool similarity vectors.bin cat dog\n\n"
        "Example: wvtool similarity vectors.bin --pairs my-pairs.tsv --json"
    ),
)
@option_group("load", LoadOptions)
@output_options
def similarity(
    vectors: Path = VECTORS_ARG,
    words: list[str] | None = typer.Argument(None, metavar="[WORD]...", help="Two words (or none with --pairs)."),
    pairs: Path | None = option("pairs", None, help="File of word pairs, one pair per line."),
    columns: str | None = option("columns", None, help="With --pairs: the columns holding word 1, word 2 and the "
                                 "score, counted from 1 (e.g. 1,2,4) [default: found from the file]."),
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    from .. import query
    from ..errors import ConfigError

    words = words or []
    if pairs is None and len(words) != 2:
        raise ConfigError(f"give two words (got {len(words)}) or a file of pairs with {{pairs}}")
    if pairs is not None and words:
        raise ConfigError("give either two words or {pairs}, not both")
    if columns is not None and pairs is None:
        raise ConfigError("{columns} says which columns of a {pairs} file to read; give {pairs} too, or leave it out")
    if pairs is None:
        table_ = load_vectors(vectors, load, ui.quiet)
        used, errors = resolve_words(table_, words)
        w1, w2 = (used.get(w, w) for w in words)
        unknown = [e["word"] for e in errors]
        sim = None if errors else query.similarity(table_, w1, w2)
        composed = [w for w in dict.fromkeys((w1, w2)) if table_.is_composed(w)]
        result = document("similarity", vectors=str(vectors), measure="cosine", pairs_file=None,
                          pairs=[_pair(*words, sim, unknown, composed)], used=used, errors=errors,
                          **_totals_of_two(table_, bool(errors), composed))
        note = f" ({', '.join(composed)} composed from subwords)" if composed else ""
        report_words(used, [], ui.quiet)
        emit(result, ui, lambda r: None if errors else f"cosine({w1}, {w2}) = {sim:.4f}{note}", _rows)
        report_words({}, errors)
        if errors:
            raise typer.Exit(1)  # the JSON document and the TSV row carry the unknown words too
        return
    import warnings

    from ..benchmark_files import read_pairs, reading_twice
    from ..errors import WvtoolWarning
    from ..evaluation import score_pairs_file
    from ..files import check_readable

    if str(pairs) == "-" and str(vectors) == "-":
        raise ConfigError("standard input (-) can be read once: give the vectors or the pairs as -, not both")
    if str(pairs) != "-":  # standard input is read as a pipe is
        check_readable(pairs)
    with reading_twice():  # a pipe is read once, for the check and the scores
        with warnings.catch_warnings():  # a file with no pair fails before the (possibly large) vector file is read
            warnings.simplefilter("ignore", WvtoolWarning)
            read_pairs(pairs, columns)
        table_ = load_vectors(vectors, load, ui.quiet)
        scored = score_pairs_file(table_, pairs, columns)
    rows = [_pair(p["word1"], p["word2"], p["similarity"], p["unknown"], p.get("composed", []), p.get("score"))
            for p in scored.pop("pairs")]
    # words in a file are matched exactly as written (as a benchmark's): nothing is used in another case, and an
    # unknown word is counted, not an error
    result = document("similarity", vectors=str(vectors), measure="cosine", pairs_file=scored.pop("file"), pairs=rows,
                      used={}, errors=[], **scored)
    emit(result, ui, lambda r: _render(r, pairs), _rows)


def _pair(word1: str, word2: str, score: float | None, unknown: list[str], composed: list[str],
          human: float | None = None) -> dict:
    """A pair's JSON entry, the same for two words and for a file: ``score`` the cosine (None with an unknown
    word), ``unknown`` and ``composed`` (subword model) the pair's words so marked, ``human`` its score in the file."""
    return {"word1": word1, "word2": word2, "score": score, "unknown": list(unknown), "composed": list(composed),
            "human": human}


def _totals_of_two(table_, unknown: bool, composed: list[str]) -> dict:
    """A file's totals for the one pair of two words given (the same keys, so ``--json`` has one shape): no
    line of a file, no human score, so no correlation."""
    from ..evaluation import pair_correlations

    totals = {"total": 1, "pairs_unknown": int(unknown), "invalid_lines": 0, "columns": None,
              **pair_correlations([None], [None])}
    if table_.subwords is not None:
        totals["composed"] = {**pair_correlations([None], [None]), "pairs_composed": int(bool(composed)),
                              "composed_words": len(composed)}
    return totals


def _rows(r: dict):
    """One header whatever was asked (a file without human scores leaves their cells empty)."""
    return ["word1", "word2", "score", "human"], [(p["word1"], p["word2"], p["score"], p["human"]) for p in r["pairs"]]


def _render(r: dict, pairs: Path) -> None:
    has_scores = any(p["human"] is not None for p in r["pairs"])
    t = table(title=f"word pairs in {shown_name(pairs)}")
    t.add_column("word1")
    t.add_column("word2")
    t.add_column("cosine", justify="right")
    if has_scores:
        t.add_column("human score", justify="right")
    for p in r["pairs"]:
        mark = "*" if p.get("composed") else ""
        cells = [p["word1"], p["word2"], "unknown" if p["score"] is None else f"{p['score']:.4f}{mark}"]
        if has_scores:
            cells.append("-" if p["human"] is None else f"{p['human']:g}")
        t.add_row(*cells)
    out.print(t)
    composed = r.get("composed")
    summary = f"{r['total']} pairs, {r['pairs_unknown']} with unknown words"
    if composed is not None:
        summary += f", {composed['pairs_composed']} with words composed from subwords (*)"
    if has_scores:
        summary += f"; Spearman {fmt(r['spearman'])}, Pearson {fmt(r['pearson'])} over {r['pairs_used']} pairs"
        if composed is not None:
            summary += (f" of vocabulary words; with composed words Spearman {fmt(composed['spearman'])}, "
                        f"Pearson {fmt(composed['pearson'])} over {composed['pairs_used']} pairs")
    out.print(summary, soft_wrap=True)
