"""Command: plot."""

from __future__ import annotations

from pathlib import Path

import typer

from ..files import shown_name
from ..formats import LoadOptions
from ..plotting.options import PlotOptions
from .common import VECTORS_ARG, command, document, emit, info, report_words
from .params import Output, option, option_group, output_options


@command(
    "plot",
    short_help="Draw a 2-D map (PCA or t-SNE) of some words.",
    help=(
        "Draw a 2-D map (PCA or t-SNE) of some words, with labels placed to avoid overlaps.\n\n"
        "Choose the words with one of: WORDS, --top N, --around WORD [-k K]; add --group NAME=w1,w2 (repeatable) "
        "to colour groups, alone or with the others.  Words not in the vocabulary are skipped with a warning (a "
        "subword model composes them from n-grams and marks them *).  Works headless and never opens a window.\n\n"
        "Example: wvtool plot vectors.wv --top 150 -o top150.png\n\n"
        "Example: wvtool plot vectors.wv --around king -k 20 --method tsne --seed 1 -o king.svg\n\n"
        "Example: wvtool plot vectors.wv --group animals=cat,dog,horse --group tools=hammer,saw -o groups.pdf --csv groups.csv"
    ),
)
@option_group(
    "plot", PlotOptions,
    method={"choices": ("pca", "tsne"), "help": "Projection, on the unit-length vectors: {choices}."},
    seed={"help": "Random seed of t-SNE: the same seed gives the same layout."},
    k={"help": "Number of neighbours for --around."},
)
@option_group("load", LoadOptions)
@output_options
def plot_command(
    vectors: Path = VECTORS_ARG,
    words: list[str] | None = typer.Argument(None, metavar="[WORD]...", help="Words to plot (or use --top / --around / --group)."),
    output: Path = option("output", ..., help="Image to write: .png, .svg or .pdf (chosen by extension)."),
    top: int | None = option("top", None),
    around: str | None = option("around", None),
    groups: list[str] | None = option("groups", None),
    csv: Path | None = option("csv", None),
    plot: PlotOptions = None,
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    """The ``plot`` command (its help is the decorator's)."""
    from ..plotting import plot as draw
    from .progress import progress_bar

    with progress_bar(f"loading {shown_name(vectors)}", "vectors", ui.quiet) as progress:
        # every argument is checked before the (possibly large) file is read
        result = draw(vectors, words or None, output=output, top=top, around=around, groups=groups or None, csv=csv,
                      options=plot, load_options=load, progress=progress)
    result = document("plot", vectors=str(vectors), projected=result.pop("input"), **result)
    report_words(result["used"], [], ui.quiet)
    if result["composed"]:
        n = len(result["composed"])
        info(f"wvtool: note: {n} word{'s' if n != 1 else ''} not in the vocabulary composed from subwords (marked * "
             f"in the picture): {', '.join(map(repr, result['composed']))}", ui.quiet)
    emit(result, ui, _summary, lambda r: (["field", "value"], [(k, v) for k, v in r.items() if k != "command"]))


def _summary(r: dict) -> str:
    """The one-line summary (not wrapped, so scripts can grep it)."""
    what = f"{r['format'].upper()}" + (f" {r['pixels'][0]}x{r['pixels'][1]} px" if r["pixels"] else f" {r['size'][0]:g}x{r['size'][1]:g} in")
    if r["method"] == "pca":
        how = "PCA (" + ", ".join(f"PC{i + 1} {v:.1%}" for i, v in enumerate(r["explained_variance"])) + " of variance)"
    else:
        how = f"t-SNE (perplexity {r['perplexity']:.3g}, seed {r['seed']})"
    extra = f"; coordinates in {r['csv']}" if r.get("csv") else ""
    if r.get("labels_overlapping"):
        extra += f"; {r['labels_overlapping']} labels overlap"
    return f"wrote {r['output']} ({what}): {r['n_words']} words, {how}{extra}"
