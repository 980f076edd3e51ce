"""Command: eval."""

from __future__ import annotations

from pathlib import Path

import typer

from ..evaluation import EvalOptions
from ..files import shown_name
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
        "only in case the most frequent (first) one is used.  A subword (fastText) model also gets the same "
        "figures with unknown words composed from their n-grams (lower-cased when case is ignored).\n\n"
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
    analogies: list[Path] | None = option("analogies", None, help="Analogy questions: 'a b c d' lines, with or without "
                                          "': section' headers (one file per run)."),
    pairs: list[Path] | None = option("pairs", None, help="Word-pair file with human scores (repeatable): any common layout, "
                                        "tab-, space- or comma-separated; the word and score columns are found from "
                                        "the file, or given with --columns."),
    summary: bool = typer.Option(False, "--summary", help="Show only the semantic, syntactic and total analogy rows, not every section."),
    eval_: EvalOptions = None,
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    from ..errors import ConfigError
    from ..evaluation import evaluate as run_eval
    from .progress import progress_bar, staged

    if analogies and len(analogies) > 1:  # typer would keep the last one silently, where --pairs takes them all
        raise ConfigError(f"{{analogies}} was given {len(analogies)} times; eval scores one analogy file per run "
                          "(run it once for each file; {pairs} may be given several times)")
    analogies = analogies[0] if analogies else None

    with progress_bar("evaluating", "questions", ui.quiet) as bar:
        # every benchmark file is checked before the (possibly large) vector file is read
        result = run_eval(vectors, analogies=analogies, pairs=list(pairs) if pairs else None, options=eval_,
                          load_options=load, progress=staged(bar, "score"), load_progress=staged(bar, "load"))
    result = document("eval", vectors=str(vectors), words=result.pop("words"),
                      settings={"restrict": result.pop("restrict"), "case_sensitive": result.pop("case_sensitive")},
                      **result)
    emit(result, ui, lambda r: _render_eval(r, sections=not summary), lambda r: _rows(r, sections=not summary))


def _rows(r: dict, sections: bool = True):
    """One line per benchmark part: analogy sections (accuracy; only the summary rows unless ``sections``) and
    word-pair files (Spearman)."""
    body = []
    a = r["analogies"]
    if a is not None:
        name = shown_name(a["file"])
        for figures, tag in ((a, ""), (a.get("composed"), "_composed")):
            shown = [*(figures["sections"] if sections else ()), figures["semantic"], figures["syntactic"],
                     figures["total"]] if figures else []
            for s in shown:
                body.append((name, s["section"], "accuracy" + tag, s["accuracy"], s["seen"], s["skipped"]))
    for p in r["pairs"]:
        for figures, tag in ((p, ""), (p.get("composed"), "_composed")):
            for measure in ("spearman", "pearson") if figures else ():
                body.append((p["name"], "all", measure + tag, figures[measure], figures["pairs_used"], figures["skipped"]))
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
        parts += _analogy_parts(a, sections)
    if result["pairs"]:
        parts.append(_pairs_table(result["pairs"]))
    parts.append(_case_line(result))
    if _has_composed(result):
        parts.append(COMPOSED_NOTE)
    for p in parts:  # sentences on one line each (no wrapping at the terminal width)
        out.print(p, soft_wrap=isinstance(p, str))


#: what the "composed" columns mean
COMPOSED_NOTE = ("composed: the same benchmarks with words outside the vocabulary composed from their character "
                 "n-grams (subword model); answers are still vocabulary words")


def _has_composed(result: dict) -> bool:
    return bool((result["analogies"] or {}).get("composed") or any("composed" in p for p in result["pairs"]))


def _percent(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _analogy_parts(a: dict, sections: bool) -> list:
    """The analogy table (with the composed figures of a subword model) and its summary line."""
    c = a.get("composed")
    t = table(title=f"analogies: {shown_name(a['file'])} (3CosAdd)")
    t.add_column("section")
    for col in ("correct", "seen", "skipped", "accuracy", *(("seen composed", "accuracy composed") if c else ())):
        t.add_column(col, justify="right")

    def row(r, rc, style=None):
        extra = (str(rc["seen"]), _percent(rc["accuracy"])) if rc else ()
        t.add_row(r["section"], str(r["correct"]), str(r["seen"]), str(r["skipped"]), _percent(r["accuracy"]), *extra,
                  style=style)

    if sections:
        for i, s in enumerate(a["sections"]):
            row(s, c["sections"][i] if c else None)
        t.add_section()
    for key in ("semantic", "syntactic", "total"):
        row(a[key], c[key] if c else None, "bold" if key == "total" else None)
    skipped = "-" if a["skipped_percent"] is None else f"{a['skipped_percent']:.1f}%"
    line = f"{a['questions']:,} question{'' if a['questions'] == 1 else 's'}: {a['total']['seen']:,} seen, {a['skipped']:,} skipped ({skipped}) for unknown words"
    if c:
        line += (f"; with {c['composed_words']:,} words composed from subwords: {c['total']['seen']:,} seen, "
                 f"{c['skipped']:,} skipped")
    return [t, line]


def _pairs_table(pairs: list[dict]):
    composed = any("composed" in p for p in pairs)
    t = table(title="word pairs (cosine vs human scores)")
    t.add_column("dataset")
    for col in ("Spearman", "Pearson", "pairs used", "OOV", *(("Spearman composed", "Pearson composed",
                                                                 "pairs used composed") if composed else ())):
        t.add_column(col, justify="right")
    for p in pairs:
        oov = "-" if p["oov_percent"] is None else f"{p['oov_percent']:.1f}%"
        c = p.get("composed")
        extra = (fmt(c["spearman"]), fmt(c["pearson"]), str(c["pairs_used"])) if c else ("-", "-", "-") if composed else ()
        t.add_row(p["name"], fmt(p["spearman"]), fmt(p["pearson"]), str(p["pairs_used"]), oov, *extra)
    return t
