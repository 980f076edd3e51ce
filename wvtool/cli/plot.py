"""Command: plot."""

from __future__ import annotations

from pathlib import Path

import typer

from ..formats import LoadOptions
from .common import VECTORS_ARG, command, emit, load_vectors, out
from .params import Output, option_group, output_options


@command(
    "plot",
    short_help="Draw a 2-D map (PCA or t-SNE) of some words.",
    epilog=(
        "Example: wvtool plot vectors.wv --top 150 -o top150.png\n\n"
        "Example: wvtool plot vectors.wv --around king -k 20 --method tsne --seed 1 -o king.svg\n\n"
        "Example: wvtool plot vectors.wv --group animals=cat,dog,horse --group tools=hammer,saw -o groups.pdf --csv groups.csv"
    ),
)
@option_group("load", LoadOptions)
@output_options
def plot_command(
    vectors: Path = VECTORS_ARG,
    words: list[str] | None = typer.Argument(None, metavar="[WORD]...", help="Words to plot (or use --top / --around / --group).", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="Image to write: .png, .svg or .pdf (chosen by extension).", show_default=False),
    top: int | None = typer.Option(None, "--top", help="Plot the N most frequent words.", show_default=False),
    around: str | None = typer.Option(None, "--around", help="Plot WORD (highlighted) and its nearest neighbours.", show_default=False),
    k: int = typer.Option(20, "-k", help="Number of neighbours for --around."),
    group: list[str] | None = typer.Option(
        None, "--group", help="NAME=w1,w2,... coloured as one group with a legend (repeatable; combines with the other selections).", show_default=False
    ),
    method: str = typer.Option("pca", "--method", help="Projection: pca or tsne (scikit-learn), on the unit-length vectors."),
    perplexity: float | None = typer.Option(
        None, "--perplexity", help="t-SNE perplexity, below the number of words [default: min(30, max(2, (n-1)/3)) for n words].", show_default=False
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed of t-SNE: the same seed gives the same layout."),
    size: str = typer.Option("10x8", "--size", help="Figure size WIDTHxHEIGHT in inches."),
    dpi: int = typer.Option(150, "--dpi", help="Resolution of PNG output (pixels = size x dpi)."),
    csv: Path | None = typer.Option(None, "--csv", help="Also write the 2-D coordinates to this CSV file (word,x,y,group).", show_default=False),
    title: str | None = typer.Option(None, "--title", help="Figure title [default: describes the projection].", show_default=False),
    load: LoadOptions = None,
    ui: Output = None,
) -> None:
    """Draw a 2-D map (PCA or t-SNE) of some words, with labels placed to avoid overlaps.

    Choose the words with one of: WORDS, --top N, --around WORD [-k K]; add
    --group NAME=w1,w2 (repeatable) to colour groups, alone or with the others.
    Words not in the vocabulary are skipped with a warning.  Works headless and
    never opens a window.
    """
    from .. import plotting

    # check the cheap things before loading a possibly large file
    plotting.image_format(output)
    size_wh = plotting.parse_size(size)
    plotting.check_method(method)
    groups = plotting.parse_groups(group or [])
    if load.limit is not None and load.limit < 2:
        from ..errors import ConfigError

        raise ConfigError(f"{{limit={load.limit}}}: read at least 2 words")
    kv = load_vectors(vectors, load, ui.quiet)
    result = plotting.plot(
        kv,
        words or None,
        output=output,
        top=top,
        around=around,
        k=k,
        groups=groups,
        method=method,
        perplexity=perplexity,
        seed=seed,
        size=size_wh,
        dpi=dpi,
        csv=csv,
        title=title,
    )
    emit(result, ui.as_json, _summary)


def _summary(r: dict) -> None:
    """Print the one-line summary (not wrapped, so scripts can grep it)."""
    from rich.text import Text

    what = f"{r['format'].upper()}" + (f" {r['pixels'][0]}x{r['pixels'][1]} px" if "pixels" in r else f" {r['size'][0]:g}x{r['size'][1]:g} in")
    if r["method"] == "pca":
        how = "PCA (" + ", ".join(f"PC{i + 1} {v:.1%}" for i, v in enumerate(r["explained_variance"])) + " of variance)"
    else:
        how = f"t-SNE (perplexity {r['perplexity']:.3g}, seed {r['seed']})"
    extra = f"; coordinates in {r['csv']}" if r.get("csv") else ""
    if r.get("labels_overlapping"):
        extra += f"; {r['labels_overlapping']} labels overlap"
    out.print(Text(f"wrote {r['output']} ({what}): {r['n_words']} words, {how}{extra}"), soft_wrap=True)
