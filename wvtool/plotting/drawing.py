"""The picture: points, colours, axes and labels on a matplotlib Figure (Agg canvas, no pyplot, no window).

matplotlib is imported here only, and only when a plot is drawn.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..errors import WvtoolWarning
from .labels import place_labels
from .options import PlotOptions
from .selection import Selection

UNGROUPED_COLOR = "0.55"
POINT_COLOR = "tab:blue"
CENTER_COLOR = "tab:red"
LABEL_COLOR = "0.15"
#: the centre word's star is this much larger than the other points
CENTER_SCALE = 2.2


class LabelStats(NamedTuple):
    """How the labels went: ``labelled`` words, labels ``overlapping`` others, labels ``dropped`` for lack of room."""

    labelled: int
    overlapping: int
    dropped: int


def font_size(n: int) -> float:
    """Label font size in points for ``n`` words: smaller as the plot gets crowded."""
    return 10.0 if n <= 40 else 9.0 if n <= 100 else 8.0 if n <= 200 else 7.0


def marker_size(n: int) -> float:
    """Point marker size in points for ``n`` words."""
    return 6.0 if n <= 100 else 4.5


def draw(xy: np.ndarray, info: dict, selection: Selection, options: PlotOptions, source: str | None = None):
    """Build the figure for the projected words and place their labels; return ``(fig, LabelStats)``.

    ``xy`` (n, 2) holds the coordinates of ``selection.words``; ``info`` is
    the projection's info (method, explained variance or perplexity, seed);
    ``source`` the vector file named in the default title.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    words = selection.words
    fig = Figure(figsize=options.inches, dpi=options.dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    style = _Style(selection)
    marked = bool(selection.composed) and options.labels != "none"  # composed words' labels carry a mark
    _scatter(ax, xy, selection, style, marked)
    _set_limits(ax, xy)
    title = options.title if options.title is not None else default_title(info, len(words), selection.center, source)
    _decorate(ax, info, title, style.fontsize, bool(selection.groups) or marked)
    if options.labels == "none":
        return fig, LabelStats(0, 0, 0)
    return fig, _label(fig, ax, xy, selection, style, options.dpi, drop=options.labels == "fit")


class _Style:
    """Font size, marker size and colours of one picture."""

    def __init__(self, selection: Selection):
        from matplotlib import colormaps

        n = len(selection.words)
        self.fontsize = font_size(n)
        self.marker = marker_size(n)
        cmap = colormaps["tab10" if len(selection.groups) <= 10 else "tab20"]
        self.group_color = {g: cmap(i % cmap.N) for i, g in enumerate(selection.groups)}
        self.other_color = UNGROUPED_COLOR if selection.groups else POINT_COLOR

    def point_color(self, word: str, selection: Selection):
        group = selection.group_of.get(word)
        if group in self.group_color:
            return self.group_color[group]
        return CENTER_COLOR if word == selection.center else self.other_color

    def label_color(self, word: str, selection: Selection):
        """A darker shade of the point's colour, so coloured labels stay readable on white."""
        from matplotlib.colors import to_rgb

        group = selection.group_of.get(word)
        color = self.group_color.get(group) or (CENTER_COLOR if word == selection.center else LABEL_COLOR)
        return tuple(0.75 * c for c in to_rgb(color))


#: the mark after the label of a word composed from subwords, and its legend entry
COMPOSED_MARK = "*"
COMPOSED_LEGEND = f"{COMPOSED_MARK} composed from subwords"


def label_texts(selection: Selection) -> list[str]:
    """The label of each word: the word, marked when it is composed from subwords."""
    composed = set(selection.composed)
    return [w + COMPOSED_MARK if w in composed else w for w in selection.words]


def _scatter(ax, xy, selection: Selection, style: _Style, marked: bool = False) -> None:
    words, group_of = selection.words, selection.group_of
    size = style.marker**2
    common = {"edgecolors": "white", "linewidths": 0.4}
    for g in selection.groups:
        idx = [i for i, w in enumerate(words) if group_of.get(w) == g]
        ax.scatter(xy[idx, 0], xy[idx, 1], s=size, color=style.group_color[g], label=g, zorder=3, **common)
    rest = [i for i, w in enumerate(words) if w not in group_of]
    if rest:
        colors = [style.point_color(words[i], selection) for i in rest]
        label = "other" if selection.groups else None
        ax.scatter(xy[rest, 0], xy[rest, 1], s=size, color=colors, label=label, zorder=2, **common)
    if selection.center is not None:
        ci = words.index(selection.center)
        ax.scatter([xy[ci, 0]], [xy[ci, 1]], s=(style.marker * CENTER_SCALE) ** 2, marker="*",
                   color=style.point_color(selection.center, selection), zorder=4, edgecolors="white", linewidths=0.5)
    if marked:  # a legend entry (no marker) explaining the mark on the labels
        ax.plot([], [], linestyle="none", marker="none", label=COMPOSED_LEGEND)


def _set_limits(ax, xy) -> None:
    """Axis limits with room for labels at the edges."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    pad = np.array([0.12, 0.08]) * span
    ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
    ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])


def default_title(info: dict, n: int, center: str | None, source: str | None) -> str:
    """'PCA of 30 unit word vectors around 'king' from vectors.bin', or the t-SNE equivalent."""
    if info["method"] == "pca":
        what = "PCA"
    else:
        what = f"t-SNE (perplexity {info['perplexity']:.3g}, seed {info['seed']})"
    name = Path(source).name if source else None
    return f"{what} of {n} unit word vectors" + (f" around {center!r}" if center else "") + (f" from {name}" if name else "")


def _decorate(ax, info: dict, title: str, fontsize: float, legend: bool) -> None:
    """Axis names (with the explained variance for PCA), title, grid and legend."""
    if info["method"] == "pca":
        ev = info["explained_variance"]
        ax.set_xlabel(f"PC1 ({ev[0]:.1%} of variance)")
        ax.set_ylabel(f"PC2 ({ev[1]:.1%} of variance)")
    else:  # t-SNE axes have no meaning: no tick labels
        ax.set_xlabel("t-SNE 1")
        ax.set_ylabel("t-SNE 2")
        ax.set_xticklabels([])
        ax.set_yticklabels([])
        ax.tick_params(length=0)
    ax.set_title(title, fontsize=fontsize + 2)
    ax.grid(True, color="0.92", zorder=0)
    ax.set_axisbelow(True)
    for spine in ax.spines.values():
        spine.set_color("0.7")
    if legend:
        ax.legend(loc="best", fontsize=fontsize, frameon=True, framealpha=0.85, markerscale=1.2).set_zorder(10)


def _label(fig, ax, xy, selection: Selection, style: _Style, dpi: int, drop: bool) -> LabelStats:
    """Lay the figure out, measure the labels, place them (:func:`place_labels`, ``drop``: only those that fit) and draw them."""
    words, center = selection.words, selection.center
    texts = label_texts(selection)
    sizes, renderer = _measure(fig, ax, texts, style.fontsize, [w == center for w in words])
    points = ax.transData.transform(xy)
    axbox = ax.get_window_extent(renderer)
    px_per_pt = dpi / 72.0
    markers = np.array([style.marker * (CENTER_SCALE if w == center else 1.0) for w in words]) * px_per_pt
    placements, _, overlapping = place_labels(points, sizes, (axbox.x0, axbox.y0, axbox.x1, axbox.y1),
                                              gap=3.0 * px_per_pt, marker=markers, pad=1.5 * px_per_pt, drop=drop)
    leader = {"arrowstyle": "-", "color": "0.6", "lw": 0.5, "shrinkA": 0, "shrinkB": 2}
    for i, (w, p) in enumerate(zip(words, placements, strict=True)):
        if p is None:
            continue
        ax.annotate(texts[i], xy=(xy[i, 0], xy[i, 1]), xytext=(p.dx / px_per_pt, p.dy / px_per_pt), textcoords="offset points",
                    ha=p.ha, va=p.va, fontsize=style.fontsize, fontweight="bold" if w == center else "normal",
                    color=style.label_color(w, selection), arrowprops=leader if p.leader else None, zorder=5)
    if drop:
        return LabelStats(len(words) - overlapping, 0, overlapping)
    return LabelStats(len(words), overlapping, 0)


def _measure(fig, ax, texts, fontsize: float, bold):
    """Lay the figure out once, freeze the layout, and measure every label; return ``(sizes (n, 2), renderer)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.draw_without_rendering()  # the layout, without painting pixels
        fig.set_layout_engine("none")  # data -> pixel transforms stay put while labels are placed
        renderer = fig.canvas.get_renderer()
        sizes = np.zeros((len(texts), 2))
        for i, (text, heavy) in enumerate(zip(texts, bold, strict=True)):
            t = ax.text(0, 0, text, fontsize=fontsize, fontweight="bold" if heavy else "normal")
            bb = t.get_window_extent(renderer)
            sizes[i] = (bb.width, bb.height)
            t.remove()
    report_matplotlib_warnings(caught)
    return sizes, renderer


def save_figure(fig, path, fmt: str, dpi: int) -> None:
    """Write ``fig`` to ``path`` as ``fmt``; SVG and PDF without a date, so the same plot gives the same bytes."""
    from matplotlib import rc_context

    kwargs: dict = {"format": fmt, "dpi": dpi}
    if fmt == "svg":
        kwargs["metadata"] = {"Date": None}
    elif fmt == "pdf":
        kwargs["metadata"] = {"CreationDate": None}
    with warnings.catch_warnings(record=True) as caught, rc_context({"svg.hashsalt": "wvtool"}):
        warnings.simplefilter("always")
        with open(path, "wb") as fh:
            if fh.seekable():
                fig.savefig(fh, **kwargs)
            else:  # a FIFO or a device (written through, see wvtool.files.atomic_output): some writers seek
                buffer = io.BytesIO()
                fig.savefig(buffer, **kwargs)
                fh.write(buffer.getvalue())
    report_matplotlib_warnings(caught, glyphs=False)  # the layout already reported them (some versions warn again)


def report_matplotlib_warnings(caught, glyphs: bool = True) -> None:
    """Turn matplotlib's per-glyph font warnings into one WvtoolWarning (none if not ``glyphs``); pass others on."""
    missing = []
    for w in caught:
        m = re.search(r"Glyph (\d+) .*missing from (?:current )?font", str(w.message))
        if m:
            ch = chr(int(m.group(1)))
            if ch not in missing:
                missing.append(ch)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if missing and glyphs:
        shown = " ".join(missing[:12]) + (" ..." if len(missing) > 12 else "")
        warnings.warn(
            f"the plot font has no glyphs for {len(missing)} character{'s' if len(missing) != 1 else ''} ({shown}); "
            "those labels show boxes; install a font that covers them (matplotlib picks it up)",
            WvtoolWarning,
            stacklevel=4,
        )
