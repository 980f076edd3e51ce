"""Commands: neighbors, analogy, similarity, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .common import (
    ENCODING_OPTION,
    FORMAT_OPTION,
    JSON_OPTION,
    LIMIT_OPTION,
    QUIET_OPTION,
    UNICODE_ERRORS_OPTION,
    app,
    emit,
    err,
    info,
    load_vectors,
    out,
    progress_bar,
    table,
)

VECTORS_ARG = typer.Argument(..., help="Vector file (any format wvtool reads; detected from the content).")
RESTRICT_OPTION = typer.Option(
    None, "--restrict", help="Only answer with the N most frequent words (the table's first N rows)."
)


def _fmt(x: float | None, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _ranking_table(title: str, rows: list[tuple[str, float]], score: str = "cosine"):
    t = table(title=title)
    t.add_column("#", justify="right", style="dim")
    t.add_column("word")
    t.add_column(score, justify="right")
    for i, (w, s) in enumerate(rows, 1):
        t.add_row(str(i), w, f"{s:.4f}")
    return t


# --- neighbors ----------------------------------------------------------------------------


@app.command(
    help=(
        "Nearest neighbours of words by cosine similarity (the word itself excluded).\n\n"
        "With several words, one list per word.  With no words, an interactive mode reads one query per "
        "line from standard input (a 'query>' prompt on a terminal, plain lines from a pipe), so a large "
        "table is loaded once for many questions; an empty line is ignored, end of input quits.\n\n"
        "Example: wvtool neighbors vectors.bin king water -k 5\n\n"
        "Example: printf 'king\\nparis\\n' | wvtool neighbors vectors.bin --json"
    ),
)
def neighbors(
    vectors: Path = VECTORS_ARG,
    words: list[str] | None = typer.Argument(None, help="Query words (none: read queries from standard input)."),
    k: int = typer.Option(10, "-k", help="Number of neighbours per word."),
    restrict: int | None = RESTRICT_OPTION,
    format: str | None = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
    encoding: str = ENCODING_OPTION,
    unicode_errors: str = UNICODE_ERRORS_OPTION,
    quiet: bool = QUIET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    from .. import query
    from ..errors import UnknownWordError

    # check the arguments before the (possibly long) load
    query.check_k(k)
    query.check_restrict_value(restrict)
    table_ = load_vectors(vectors, format, limit, encoding, unicode_errors, quiet)

    if words:
        for w in words:  # every word is checked before anything is printed
            table_.get_index(w)
        results = [{"word": w, "neighbors": _pairs(query.neighbors(table_, w, k, restrict=restrict))} for w in words]
        if as_json:
            emit({"vectors": str(vectors), "k": k, "restrict": restrict, "results": results}, True)
        else:
            for r in results:
                out.print(_ranking_table(f"neighbours of {r['word']!r}", [(x["word"], x["similarity"]) for x in r["neighbors"]]))
        return

    # interactive mode
    interactive = sys.stdin.isatty()
    if interactive and not quiet:
        info(f"{len(table_):,} words loaded; type words to query, Ctrl-D to quit.")
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
                res = query.neighbors(table_, w, k, restrict=restrict)
            except UnknownWordError as e:
                if as_json:
                    _jsonl({"word": w, "error": str(e), "suggestions": e.suggestions})
                else:
                    err.print(f"wvtool: {e}", markup=False, highlight=False, soft_wrap=True)
                continue
            if as_json:
                _jsonl({"word": w, "neighbors": _pairs(res)})
            else:
                out.print(_ranking_table(f"neighbours of {w!r}", res))
                out.file.flush()


def _pairs(res: list[tuple[str, float]], key: str = "similarity") -> list[dict]:
    return [{"word": w, key: s} for w, s in res]


def _jsonl(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


# --- analogy ------------------------------------------------------------------------------


@app.command(
    help=(
        "Word analogies: A is to B as C is to ?  Answers by 3CosAdd (closest to B - A + C) or 3CosMul "
        "(Levy and Goldberg, 2014); the three query words are never answers.\n\n"
        "Example: wvtool analogy vectors.bin man king woman -k 5 --method mul"
    ),
)
def analogy(
    vectors: Path = VECTORS_ARG,
    a: str = typer.Argument(..., help="A, e.g. 'man'."),
    b: str = typer.Argument(..., help="B, e.g. 'king'."),
    c: str = typer.Argument(..., help="C, e.g. 'woman'."),
    k: int = typer.Option(5, "-k", help="Number of answers."),
    method: str = typer.Option("add", "--method", "-m", help="'add' (3CosAdd) or 'mul' (3CosMul)."),
    restrict: int | None = RESTRICT_OPTION,
    format: str | None = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
    encoding: str = ENCODING_OPTION,
    unicode_errors: str = UNICODE_ERRORS_OPTION,
    quiet: bool = QUIET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    from .. import query
    from ..errors import ConfigError

    query.check_k(k)
    if method not in query.METHODS:
        raise ConfigError(f"--method must be one of {', '.join(query.METHODS)}, got {method!r}")
    query.check_restrict_value(restrict)
    table_ = load_vectors(vectors, format, limit, encoding, unicode_errors, quiet)
    res = query.analogy(table_, a, b, c, k, method=method, restrict=restrict)
    score = "3CosAdd cosine" if method == "add" else "3CosMul score"
    result = {"a": a, "b": b, "c": c, "method": method, "k": k, "restrict": restrict, "answers": _pairs(res, "score")}
    emit(result, as_json, lambda r: _ranking_table(f"{a} : {b} :: {c} : ?", res, score))


# --- similarity ---------------------------------------------------------------------------


@app.command(
    help=(
        "Cosine similarity of two words, or of every pair in a file with --pairs "
        "('word1 word2 \\[score]' per line, tab- or space-separated, '#' comments).  With scores in the file, "
        "also their Spearman and Pearson correlation with the cosines (pairs with unknown words are left out "
        "and counted; words are matched exactly as written).\n\n"
        "Example: wvtool similarity vectors.bin cat dog\n\n"
        "Example: wvtool similarity vectors.bin --pairs my-pairs.tsv --json"
    ),
)
def similarity(
    vectors: Path = VECTORS_ARG,
    words: list[str] | None = typer.Argument(None, help="Two words (or none with --pairs)."),
    pairs: Path | None = typer.Option(None, "--pairs", help="File of word pairs, one pair per line."),
    format: str | None = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
    encoding: str = ENCODING_OPTION,
    unicode_errors: str = UNICODE_ERRORS_OPTION,
    quiet: bool = QUIET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    from .. import query
    from ..errors import ConfigError

    words = words or []
    if pairs is None and len(words) != 2:
        raise ConfigError(f"give two words (got {len(words)}) or a file of pairs with --pairs FILE")
    if pairs is not None and words:
        raise ConfigError("give either two words or --pairs FILE, not both")
    if pairs is None:
        table_ = load_vectors(vectors, format, limit, encoding, unicode_errors, quiet)
        sim = query.similarity(table_, words[0], words[1])
        emit({"word1": words[0], "word2": words[1], "similarity": sim}, as_json,
             lambda r: f"cosine({r['word1']}, {r['word2']}) = {r['similarity']:.4f}")
        return

    from ..evaluation import pair_correlations, read_pairs
    from ..files import check_readable

    check_readable(pairs)
    table_ = load_vectors(vectors, format, limit, encoding, unicode_errors, quiet)
    items, invalid = read_pairs(pairs)
    rows = query.similarity_pairs(table_, items)
    for r in rows:
        if r.get("score", "absent") is None:
            del r["score"]
    unknown = sum(1 for r in rows if r["similarity"] is None)
    has_scores = any("score" in r for r in rows)
    result = {
        "file": str(pairs),
        "pairs": rows,
        "total": len(rows),
        "unknown": unknown,
        "invalid_lines": invalid,
    }
    if has_scores:
        corr = pair_correlations([r.get("score") for r in rows], [r["similarity"] for r in rows])
        result.update(spearman=corr["spearman"], pearson=corr["pearson"], pairs_used=corr["pairs"])

    def render(r):
        t = table(title=f"word pairs in {pairs.name}")
        t.add_column("word1")
        t.add_column("word2")
        t.add_column("cosine", justify="right")
        if has_scores:
            t.add_column("score", justify="right")
        for p in r["pairs"]:
            cells = [p["word1"], p["word2"], "unknown" if p["similarity"] is None else f"{p['similarity']:.4f}"]
            if has_scores:
                cells.append("-" if p.get("score") is None else f"{p['score']:g}")
            t.add_row(*cells)
        out.print(t)
        summary = f"{r['total']} pairs, {r['unknown']} with unknown words"
        if has_scores:
            summary += f"; Spearman {_fmt(r['spearman'])}, Pearson {_fmt(r['pearson'])} over {r['pairs_used']} pairs"
        out.print(summary, soft_wrap=True)

    emit(result, as_json, render)


# --- eval ---------------------------------------------------------------------------------


@app.command(
    "eval",
    help=(
        "Score vectors on word analogies and word-similarity benchmarks; with no files, the ones shipped with "
        "wvtool (Google analogies, WordSim-353, SimLex-999).\n\n"
        "Analogies are answered by 3CosAdd among the first --restrict words; questions and pairs with a word "
        "outside them are skipped and counted.  The numbers equal gensim's evaluate_word_analogies and "
        "evaluate_word_pairs with the same restriction and case handling.  By default case is ignored: words "
        "of the table and of the benchmark are compared upper-cased, and of several table words that differ "
        "only in case the most frequent (first) one is used.\n\n"
        "Example: wvtool eval vectors.bin --restrict 300000\n\n"
        "Example: wvtool eval vectors.bin --pairs my-pairs.tsv --case-sensitive --json\n\n"
        "Example: wvtool eval vectors.wv --summary"
    ),
)
def evaluate(
    vectors: Path = VECTORS_ARG,
    analogies: Path | None = typer.Option(None, "--analogies", help="Analogy questions (': section' headers, then 'a b c d' lines)."),
    pairs: list[Path] | None = typer.Option(None, "--pairs", help="Word-pair file 'word1<TAB>word2<TAB>score' (repeatable)."),
    restrict: int = typer.Option(300_000, "--restrict", help="Use only the N most frequent words (the table's first N rows), as gensim's restrict_vocab."),
    case_sensitive: bool = typer.Option(False, "--case-sensitive", help="Match words exactly instead of ignoring case."),
    summary: bool = typer.Option(False, "--summary", help="Show only the semantic, syntactic and total analogy rows, not every section."),
    format: str | None = FORMAT_OPTION,
    limit: int | None = LIMIT_OPTION,
    encoding: str = ENCODING_OPTION,
    unicode_errors: str = UNICODE_ERRORS_OPTION,
    quiet: bool = QUIET_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    from ..evaluation import evaluate as run_eval
    from ..files import check_readable
    from ..query import check_restrict_value

    check_restrict_value(restrict)
    for p in ([analogies] if analogies else []) + list(pairs or []):
        check_readable(p)
    table_ = load_vectors(vectors, format, limit, encoding, unicode_errors, quiet)
    with progress_bar("analogies", "questions", quiet) as progress:
        result = run_eval(table_, analogies=analogies, pairs=list(pairs) if pairs else None, restrict=restrict,
                          case_sensitive=case_sensitive, progress=progress)
    result["vectors"] = str(vectors)
    result["words"] = len(table_)
    emit(result, as_json, lambda r: _render_eval(r, sections=not summary))


def _case_line(result: dict) -> str:
    n, total = result["restrict"], result["words"]
    vocab = f"the first {n:,} of {total:,} words" if n < total else f"all {total:,} words"
    if result["case_sensitive"]:
        case = "case-sensitive (words must match exactly)"
    else:
        case = "case ignored (words compared upper-cased; of case variants the most frequent is used)"
    return f"vocabulary: {vocab}; {case}"


def _render_eval(result: dict, sections: bool = True) -> None:
    parts = []
    a = result["analogies"]
    if a is not None:
        t = table(title=f"analogies: {Path(a['file']).name} (3CosAdd)")
        t.add_column("section")
        for col in ("correct", "seen", "skipped", "accuracy"):
            t.add_column(col, justify="right")

        def row(r, style=None):
            acc = "-" if r["accuracy"] is None else f"{100 * r['accuracy']:.1f}%"
            t.add_row(r["section"], str(r["correct"]), str(r["seen"]), str(r["skipped"]), acc, style=style)

        if sections:
            for s in a["sections"]:
                row(s)
            t.add_section()
        for key in ("semantic", "syntactic", "total"):
            row(a[key], "bold" if key == "total" else None)
        parts.append(t)
        skipped = "-" if a["skipped_percent"] is None else f"{a['skipped_percent']:.1f}%"
        parts.append(f"{a['questions']:,} questions: {a['total']['seen']:,} seen, {a['skipped']:,} skipped ({skipped}) for unknown words")
    if result["pairs"]:
        t = table(title="word pairs (cosine vs human scores)")
        t.add_column("dataset")
        for col in ("Spearman", "Pearson", "pairs used", "OOV"):
            t.add_column(col, justify="right")
        for p in result["pairs"]:
            oov = "-" if p["oov_percent"] is None else f"{p['oov_percent']:.1f}%"
            t.add_row(p["name"], _fmt(p["spearman"]), _fmt(p["pearson"]), str(p["pairs"]), oov)
        parts.append(t)
    parts.append(_case_line(result))
    for p in parts:  # sentences on one line each (no wrapping at the terminal width)
        out.print(p, soft_wrap=isinstance(p, str))
