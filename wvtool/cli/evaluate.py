"""Command: eval."""

from __future__ import annotations

from pathlib import Path

import typer

from ..evaluation import EvalOptions
from ..formats import LoadOptions
from .common import VECTORS_ARG, command, document, emit, fmt, out, table
from .params import Output, option, option_group, output_options


@command(
    "eval",
    short_help="Score vectors on analogy and word-similarity benchmarks.",
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
@option_group("eval_", EvalOptions, restrict={
    "help": "Use only the N most frequent words (the table's first N rows), as gensim's restrict_vocab."})
@option_group("load", LoadOptions)
@output_options
def evaluate(
    vectors: Path = VECTORS_ARG,
    analogies: Path | None = option("analogies", None, help="Analogy questions (': section' headers, then 'a b c d' lines)."),
    pairs: list[Path] | None = option("pairs", None, help="Word-pair file 'word1<TAB>word2<TAB>score' (repeatable)."),
    summary: bool = typer.Option(False, "--summary", help="Show only the semantic, syntactic and total analogy rows, not every section."),
    eval_: EvalOptions = None,
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    from ..evaluation import evaluate as run_eval
    from .progress import progress_bar, staged

    with progress_bar("evaluating", "questions", ui.quiet) as bar:
        # every benchmark file is checked before the (possibly large) vector file is read
        result = run_eval(vectors, analogies=analogies, pairs=list(pairs) if pairs else None, options=eval_,
                          load_options=load, progress=staged(bar, "score"), load_progress=staged(bar, "load"))
    result = document("eval", vectors=str(vectors), words=result.pop("words"),
                      settings={"restrict": result.pop("restrict"), "case_sensitive": result.pop("case_sensitive")},
                      **result)
    emit(result, ui, lambda r: _render_eval(r, sections=not summary), _rows)


def _rows(r: dict):
    """One line per benchmark part: analogy sections (accuracy) and word-pair files (Spearman)."""
    body = []
    a = r["analogies"]
    if a is not None:
        name = Path(a["file"]).name
        for s in [*a["sections"], a["semantic"], a["syntactic"], a["total"]]:
            body.append((name, s["section"], "accuracy", s["accuracy"], s["seen"], s["skipped"]))
    for p in r["pairs"]:
        body.append((p["name"], "all", "spearman", p["spearman"], p["pairs"], p["skipped"]))
        body.append((p["name"], "all", "pearson", p["pearson"], p["pairs"], p["skipped"]))
    return ["benchmark", "part", "measure", "score", "seen", "skipped"], body


def _case_line(result: dict) -> str:
    n, total = result["settings"]["restrict"], result["words"]
    vocab = f"the first {n:,} of {total:,} words" if n is not None and n < total else f"all {total:,} words"
    if result["settings"]["case_sensitive"]:
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
            t.add_row(p["name"], fmt(p["spearman"]), fmt(p["pearson"]), str(p["pairs"]), oov)
        parts.append(t)
    parts.append(_case_line(result))
    for p in parts:  # sentences on one line each (no wrapping at the terminal width)
        out.print(p, soft_wrap=isinstance(p, str))
