"""Pictures of the embedding space: 2-D projections (PCA, t-SNE) with readable labels.

    >>> import wvtool
    >>> kv = wvtool.load("vectors.wv")
    >>> wvtool.plot(kv, top=100, output="top100.png")
    >>> wvtool.plot(kv, around="king", output="king.svg", method="tsne", seed=1)
    >>> xy, info = wvtool.project(kv, ["king", "queen", "man", "woman"])

Both methods work on the *unit-length* vectors: word vectors are compared by
cosine similarity, and on unit vectors Euclidean distance is a monotone
function of cosine distance, so the picture shows the geometry the queries use
(and very frequent words with long vectors do not dominate the first axis).

The package has one module per step: :mod:`.options` (:class:`PlotOptions`),
:mod:`.selection` (which words), :mod:`.projection` (PCA, t-SNE),
:mod:`.labels` (label placement, pure geometry) and :mod:`.drawing`
(matplotlib).  matplotlib and scikit-learn are imported inside the functions
that need them, never when wvtool is imported.  Figures are drawn with the Agg
canvas directly (no pyplot, no global state), so plotting works headless and
never opens a window.
"""

from __future__ import annotations

import csv as _csv
import io
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from .. import settings as _settings
from ..errors import ConfigError, WvtoolWarning
from ..files import atomic_output, check_output, open_output_stream
from ..vectors import Vectors
from .labels import Placement, place_labels
from .options import (
    DEFAULT_DPI,
    DEFAULT_SIZE,
    IMAGE_FORMATS,
    LABELS,
    METHODS,
    PlotOptions,
    check_method,
    image_format,
    parse_size,
)
from .projection import default_perplexity, project_words, tsne_perplexity
from .selection import Selection, check_request, parse_group, parse_groups, select

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_SIZE",
    "IMAGE_FORMATS",
    "LABELS",
    "METHODS",
    "Placement",
    "PlotOptions",
    "Selection",
    "check_method",
    "default_perplexity",
    "image_format",
    "parse_group",
    "parse_groups",
    "parse_size",
    "place_labels",
    "plot",
    "project",
]


def project(vectors: Vectors, words: Sequence[str], *, options: PlotOptions | None = None, **settings):
    """Project the unit vectors of ``words`` to 2-D.

    ``settings`` are :class:`PlotOptions` fields (``method``, ``perplexity``,
    ``seed``; the others do not matter here), or pass ``options``.

    Returns ``(xy, info)``: ``xy`` is a float64 (n, 2) array, row i for
    ``words[i]`` (duplicates removed, first occurrence kept); ``info`` is a dict
    with ``method``, ``words`` (the words in row order), ``n``, ``seed`` and
    ``explained_variance`` (PCA: the fraction of variance of each axis) or
    ``perplexity`` and ``kl_divergence`` (t-SNE).

    - ``method="pca"``: scikit-learn ``PCA(n_components=2)`` (exact SVD).
    - ``method="tsne"``: scikit-learn ``TSNE`` started from the PCA layout
      jittered by ``seed`` (see :func:`~wvtool.plotting.projection.tsne_init`):
      the same seed gives the same coordinates, another seed a different
      arrangement.  ``perplexity`` defaults to :func:`default_perplexity` and
      must be below the number of words.

    Unknown words raise :class:`~wvtool.UnknownWordError` (``plot`` skips them
    with a warning instead).  Fewer than two words, or fewer than four for
    t-SNE, raise :class:`~wvtool.ConfigError`.
    """
    return project_words(vectors, words, _settings.build(PlotOptions, options, **settings))


def plot(
    vectors,
    words: Sequence[str] | None = None,
    *,
    output,
    top: int | None = None,
    around: str | None = None,
    groups: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
    csv: str | Path | None = None,
    options: PlotOptions | None = None,
    load_options=None,
    progress=None,
    **settings,
) -> dict:
    """Draw a 2-D map of some words and write it to ``output`` (.png, .svg or .pdf).

    Which words (choose one of ``words``, ``top``, ``around``; ``groups`` can
    be added to any of them, or used alone):

    - ``words``: these words;
    - ``top=N``: the N most frequent (by ``counts``, else the first N rows);
    - ``around=WORD``: WORD (highlighted) and its ``k`` nearest neighbours;
    - ``groups``: ``{"name": [words...]}`` (or ``["name=w1,w2", ...]``): these
      words are added and coloured by group, with a legend; other words are grey.

    How: ``options`` (a :class:`PlotOptions`) and/or ``settings``, its fields
    as keywords: ``method``, ``perplexity``, ``seed``, ``size`` ((width,
    height) in inches or ``"10x8"``), ``dpi``, ``k``, ``title``, ``labels``
    (``"fit"``: only labels that fit, with a warning naming how many did not;
    ``"all"``; ``"none"``).

    ``vectors`` is a :class:`~wvtool.Vectors` table or the path of a vector
    file, read with ``load_options`` (a :class:`~wvtool.formats.LoadOptions`)
    and ``progress`` *after* every argument is checked.  A word found only in
    lower case is plotted in that form (``'King'`` as ``'king'``; listed in
    ``used``), as the command line's queries do.  Words not in the
    vocabulary are skipped with a :class:`~wvtool.WvtoolWarning` naming them,
    except with a subword table, which composes them from their n-grams (their
    labels are marked ``*``, explained in the legend; listed in ``composed``).
    ``csv`` also writes the coordinates (columns word, x, y, group).  Both
    files are written atomically; bad arguments are reported before any work
    is done and leave no file behind.

    Returns a summary dict, the same keys whatever was asked (None where one does not apply): output, format,
    method, n_words, skipped, composed, used, size, dpi, pixels (PNG only), explained_variance (PCA) or perplexity
    (t-SNE), seed, csv, labels, labelled, labels_overlapping, labels_dropped, groups (word count per group) and
    around.
    """
    opts = _settings.build(PlotOptions, options, **settings)
    _settings.callback("progress", progress)
    _settings.table_or_path("vectors", vectors)
    fmt = image_format(_settings.path("output", output))
    request = check_request(words, top, around, groups)
    source = vectors.source if isinstance(vectors, Vectors) else str(vectors)
    inputs = [source] if source else []
    _check_outputs(output, csv, inputs)
    if not isinstance(vectors, Vectors):
        from ..formats import load

        vectors = load(vectors, options=load_options, progress=progress)

    chosen = select(vectors, request, opts.k)
    if len(chosen.words) < 2:
        have = f"only {chosen.words[0]!r} is" if chosen.words else "none is"
        raise ConfigError(f"need at least two words in the vocabulary to plot, {have}; check the spelling and case")
    if opts.method == "tsne":
        tsne_perplexity(opts.perplexity, len(chosen.words))
    xy, info = project_words(vectors, chosen.words, opts)

    from .drawing import draw, save_figure

    fig, labels = draw(xy, info, chosen, opts, source)
    if labels.dropped:
        n = len(chosen.words)
        warnings.warn(f"labelled {labels.labelled:,} of {n:,} words: the other {labels.dropped:,} labels did not fit; "
                      "plot fewer words or a larger figure to label more, or plot without labels", WvtoolWarning, stacklevel=2)
    with atomic_output(output, inputs) as tmp_img:
        if csv is not None:
            with atomic_output(csv, inputs) as tmp_csv:
                _write_csv(tmp_csv, csv, chosen, xy)
                save_figure(fig, tmp_img, fmt, opts.dpi)
        else:
            save_figure(fig, tmp_img, fmt, opts.dpi)
    return _summary(output, fmt, csv, opts, chosen, info, labels)


def _check_outputs(output, csv, inputs) -> None:
    """FileError or ConfigError unless the image (and the CSV) can be written, over no input and not over each other."""
    check_output(output, inputs)
    if csv is not None:
        check_output(_settings.path("csv", csv), inputs)
        if Path(csv).resolve() == Path(output).resolve():
            raise ConfigError(f"{{csv='{csv}'}} is the same file as the image {{output}}; give the CSV another name")


def _summary(output, fmt: str, csv, opts: PlotOptions, chosen: Selection, info: dict, labels) -> dict:
    result = {
        "output": str(output),
        "format": fmt,
        "method": opts.method,
        "n_words": len(chosen.words),
        "skipped": chosen.skipped,
        "composed": chosen.composed,
        "used": chosen.used,
        "size": list(opts.inches),
        "dpi": opts.dpi,
        "seed": opts.seed if opts.method != "pca" else None,  # PCA draws nothing
        "input": info["input"],
        "labels": opts.labels,
        "labelled": labels.labelled,
        "labels_overlapping": labels.overlapping,
        "labels_dropped": labels.dropped,
        "csv": None if csv is None else str(csv),
        # one shape whatever was asked: a key that does not apply is None
        "pixels": list(opts.pixels) if fmt == "png" else None,
        "explained_variance": info["explained_variance"] if opts.method == "pca" else None,
        "perplexity": info["perplexity"] if opts.method != "pca" else None,
        "groups": {g: sum(1 for w in chosen.words if chosen.group_of.get(w) == g) for g in chosen.groups}
        if chosen.groups else None,
        "around": chosen.center,
    }
    return result


def _write_csv(tmp: Path, final, chosen: Selection, xy: np.ndarray) -> None:
    """The coordinates as CSV: word, x, y, group ('center' for the ``around`` word)."""
    with open_output_stream(tmp, final) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = _csv.writer(text)
        writer.writerow(["word", "x", "y", "group"])
        for w, (x, y) in zip(chosen.words, xy, strict=True):
            writer.writerow([w, repr(float(x)), repr(float(y)), chosen.group_of.get(w, "center" if w == chosen.center else "")])
        text.flush()
        text.detach()
