"""Pictures of the embedding space: 2-D projections (PCA, t-SNE) with readable labels.

    >>> import wvtool
    >>> kv = wvtool.load("vectors.wv")
    >>> wvtool.plot(kv, top=100, output="top100.png")
    >>> xy, info = wvtool.project(kv, ["king", "queen", "man", "woman"])

Both methods work on the *unit-length* vectors: word vectors are compared by
cosine similarity, and on unit vectors Euclidean distance is a monotone
function of cosine distance, so the picture shows the geometry the queries use
(and very frequent words with long vectors do not dominate the first axis).

matplotlib and scikit-learn are imported inside the functions that need them,
never when wvtool is imported.  Figures are drawn with the Agg canvas directly
(no pyplot, no global state), so plotting works headless and never opens a
window.
"""

from __future__ import annotations

import csv as _csv
import io
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from .errors import ConfigError, WvtoolWarning
from .files import atomic_output, check_output, open_output_stream
from .vectors import Vectors

#: image formats, chosen by the output file's extension
IMAGE_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
METHODS = ("pca", "tsne")
DEFAULT_SIZE = (10.0, 8.0)
DEFAULT_DPI = 150
#: t-SNE needs a handful of points to say anything; below this, use PCA
MIN_TSNE_POINTS = 4
#: t-SNE on fewer words than this runs single-threaded
TSNE_THREADS_FROM = 5000
#: largest image side in pixels (matplotlib refuses sizes beyond 2**16)
MAX_PIXELS = 20_000

UNGROUPED_COLOR = "0.55"
POINT_COLOR = "tab:blue"
CENTER_COLOR = "tab:red"


# ----------------------------------------------------------------------------------
# projection
# ----------------------------------------------------------------------------------
def default_perplexity(n: int) -> float:
    """The t-SNE perplexity used when none is given: ``min(30, max(2, (n - 1) / 3))``.

    t-SNE needs the perplexity below the number of points; a third of the
    points (at least 2, at most the usual 30) keeps every point's neighbourhood
    meaningful: six words get 2, 61 words get 20, 91 words or more get 30.
    """
    return float(min(30.0, max(2.0, (n - 1) / 3.0)))


def project(vectors: Vectors, words: Sequence[str], *, method: str = "pca", perplexity: float | None = None, seed: int = 0):
    """Project the unit vectors of ``words`` to 2-D.

    Returns ``(xy, info)``: ``xy`` is a float64 (n, 2) array, row i for
    ``words[i]`` (duplicates removed, first occurrence kept); ``info`` is a dict
    with ``method``, ``words`` (the words in row order), ``n``, ``seed`` and
    ``explained_variance`` (PCA: the fraction of variance of each axis) or
    ``perplexity`` (t-SNE: the value used).

    - ``method="pca"``: scikit-learn ``PCA(n_components=2)`` (exact SVD).
    - ``method="tsne"``: scikit-learn ``TSNE`` started from the PCA layout
      jittered by ``seed`` (see :func:`_tsne_init`): the same seed gives the
      same coordinates, another seed a different arrangement.
      ``perplexity`` defaults to :func:`default_perplexity` and must be below
      the number of words.

    Unknown words raise :class:`~wvtool.UnknownWordError` (``plot`` skips them
    with a warning instead).  Fewer than two words, or fewer than four for
    t-SNE, raise :class:`~wvtool.ConfigError`.
    """
    method = check_method(method)
    words = list(dict.fromkeys(words))
    rows = vectors.indices(words)
    n = len(words)
    if n < 2:
        raise ConfigError(f"cannot project {n} word{'s' if n != 1 else ''}; give at least two words")
    if vectors.dim < 2:
        raise ConfigError(f"the vectors have {vectors.dim} dimension; a 2-D projection needs at least 2")
    x = np.asarray(vectors.unit_rows(rows), dtype=np.float64)
    if not np.isfinite(x).all():
        bad = [words[i] for i in np.flatnonzero(~np.isfinite(x).all(axis=1))[:5]]
        raise ConfigError(f"vectors of {', '.join(map(repr, bad))} contain NaN or infinity; remove those words")
    if float(np.ptp(x, axis=0).max()) == 0.0:
        raise ConfigError(f"all {n} selected words have the same unit vector; nothing to project, choose other words")
    info: dict = {"method": method, "n": n, "words": words, "seed": int(seed), "input": "unit vectors"}
    if method == "pca":
        from sklearn.decomposition import PCA

        pca = PCA(n_components=2, svd_solver="full")
        xy = pca.fit_transform(x)
        info["explained_variance"] = [float(r) for r in pca.explained_variance_ratio_]
    else:
        perplexity = _check_perplexity(perplexity, n)
        from sklearn.manifold import TSNE
        from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

        tsne = TSNE(n_components=2, perplexity=perplexity, init=_tsne_init(x, seed), learning_rate="auto", random_state=int(seed), n_jobs=1)
        # Small problems gain nothing from OpenMP threads, and on a busy machine
        # their spin-waiting made a 12-word t-SNE take seconds instead of 30 ms.
        with threadpool_limits(limits=1 if n < TSNE_THREADS_FROM else None):
            xy = tsne.fit_transform(x)
        info["perplexity"] = perplexity
        info["kl_divergence"] = float(tsne.kl_divergence_)
    return np.ascontiguousarray(xy, dtype=np.float64), info


def _tsne_init(x: np.ndarray, seed: int) -> np.ndarray:
    """The starting layout of t-SNE: the PCA layout, jittered by ``seed``.

    scikit-learn's ``init="pca"`` is deterministic, so its ``random_state``
    would change nothing.  Like it, this starts from the first two principal
    components scaled to a standard deviation of 1e-4 (so the global shape is
    PCA's), then adds Gaussian noise of a quarter of that size drawn from
    ``seed``: the same seed gives the same picture, another seed another
    (equally valid) local arrangement.
    """
    from sklearn.decomposition import PCA

    init = PCA(n_components=2, svd_solver="full").fit_transform(x)
    init = init / max(float(np.std(init[:, 0])), 1e-12) * 1e-4
    rng = np.random.default_rng(int(seed))
    return (init + rng.normal(scale=0.25e-4, size=init.shape)).astype(np.float32)


def check_method(method: str) -> str:
    m = str(method).lower().replace("-", "")
    if m not in METHODS:
        raise ConfigError(f"unknown projection method {method!r}; use --method pca or --method tsne")
    return m


def _check_perplexity(perplexity: float | None, n: int) -> float:
    if n < MIN_TSNE_POINTS:
        raise ConfigError(
            f"t-SNE needs at least {MIN_TSNE_POINTS} words, got {n}; add words or use --method pca"
        )
    if perplexity is None:
        return default_perplexity(n)
    p = float(perplexity)
    if not np.isfinite(p) or p <= 0:
        raise ConfigError(f"--perplexity must be > 0, got {perplexity}; leave it out to use {default_perplexity(n):g} for {n} words")
    if p >= n:
        raise ConfigError(
            f"--perplexity {p:g} is not below the number of words ({n}); t-SNE needs it smaller, "
            f"e.g. --perplexity {default_perplexity(n):g} (the default for {n} words)"
        )
    return p


# ----------------------------------------------------------------------------------
# argument helpers (shared by the library and the CLI)
# ----------------------------------------------------------------------------------
def parse_group(spec: str) -> tuple[str, list[str]]:
    """Parse ``"NAME=w1,w2,..."`` into ``(name, [w1, w2, ...])``; ConfigError if malformed."""
    name, sep, rest = str(spec).partition("=")
    name = name.strip()
    if not sep or not name:
        raise ConfigError(f"--group {spec!r}: expected NAME=word1,word2,... (e.g. --group animals=cat,dog,horse)")
    members = [w.strip() for w in rest.split(",")]
    members = [w for w in members if w]
    if not members:
        raise ConfigError(f"--group {spec!r}: group {name!r} has no words; list them after '=' separated by commas")
    return name, members


def parse_groups(specs: Iterable[str]) -> dict[str, list[str]]:
    """Parse several ``NAME=w1,w2`` specs into an ordered dict; duplicate names are an error."""
    out: dict[str, list[str]] = {}
    for spec in specs:
        name, members = parse_group(spec)
        if name in out:
            raise ConfigError(f"--group {name!r} is given twice; give each group once, listing all its words")
        out[name] = members
    return out


def parse_size(size) -> tuple[float, float]:
    """``"10x8"`` or ``(10, 8)`` -> (width, height) in inches; ConfigError if malformed or not positive."""
    if isinstance(size, str):
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*[xX×]\s*([0-9]*\.?[0-9]+)\s*", size)
        if not m:
            raise ConfigError(f"--size {size!r}: expected WIDTHxHEIGHT in inches, e.g. --size 10x8")
        w, h = float(m.group(1)), float(m.group(2))
    else:
        try:
            w, h = (float(v) for v in size)
        except (TypeError, ValueError):
            raise ConfigError(f"size {size!r}: expected (width, height) in inches, e.g. (10, 8)") from None
    if not (np.isfinite(w) and np.isfinite(h) and w > 0 and h > 0):
        raise ConfigError(f"--size {w:g}x{h:g}: width and height must be positive inches, e.g. --size 10x8")
    if w < 2 or h < 2:
        raise ConfigError(f"--size {w:g}x{h:g} is too small for a readable plot; use at least 2x2 inches")
    return w, h


def image_format(output) -> str:
    """The image format of an output path, from its extension; ConfigError listing the allowed ones."""
    suffix = Path(output).suffix.lower()
    fmt = IMAGE_FORMATS.get(suffix)
    if fmt is None:
        allowed = ", ".join(IMAGE_FORMATS)
        got = f"extension {suffix!r}" if suffix else "no extension"
        raise ConfigError(f"{output}: {got} is not an image format wvtool writes; end the output name with {allowed}")
    return fmt


# ----------------------------------------------------------------------------------
# choosing the words
# ----------------------------------------------------------------------------------
def _neighbors(vectors: Vectors, word: str, k: int) -> list[str]:
    """The ``k`` nearest words to ``word`` by cosine similarity (the word itself excluded)."""
    from .query import neighbors

    return [w for w, _ in neighbors(vectors, word, k=k)]


def _top_words(vectors: Vectors, top: int) -> list[str]:
    if vectors.counts is not None:
        order = np.argsort(-vectors.counts, kind="stable")[:top]
        return [vectors.words[i] for i in order]
    return list(vectors.words[:top])  # files are written in frequency order


def _select(vectors: Vectors, words, top, around, k, groups):
    """Resolve the selection options to (words, group_of, group_names, center, skipped)."""
    if isinstance(words, str):
        words = [words]
    words = [w for w in (words or ()) if w is not None]
    if isinstance(groups, Mapping):
        groups = {str(name): [members] if isinstance(members, str) else list(members) for name, members in groups.items()}
        for name, members in groups.items():
            if not name.strip() or not members:
                raise ConfigError(f"group {name!r} needs a name and at least one word, e.g. groups={{'animals': ['cat', 'dog']}}")
    elif groups:
        groups = parse_groups(groups)
    else:
        groups = {}
    chosen = [name for name, given in (("WORDS", bool(words)), ("--top", top is not None), ("--around", around is not None)) if given]
    if len(chosen) > 1:
        raise ConfigError(
            f"{' and '.join(chosen)} conflict; choose one of: words on the command line, --top N or --around WORD "
            "(--group can be added to any of them)"
        )
    if not chosen and not groups:
        raise ConfigError("nothing to plot; give words, --top N (e.g. --top 100), --around WORD or --group NAME=w1,w2")

    center = None
    if top is not None:
        if int(top) < 2:
            raise ConfigError(f"--top {top}: plot at least 2 words")
        if int(top) > len(vectors):
            warnings.warn(f"--top {top} is more than the {len(vectors):,} words in the table; plotting all of them", WvtoolWarning, stacklevel=3)
        words = _top_words(vectors, int(top))
    elif around is not None:
        if int(k) < 1:
            raise ConfigError(f"-k {k}: the number of neighbours must be at least 1")
        vectors.get_index(around)  # UnknownWordError with suggestions: the centre cannot be skipped
        words = [around, *_neighbors(vectors, around, int(k))]
        center = around

    group_of: dict[str, str] = {}
    for name, members in groups.items():
        for w in members:
            if w in group_of and group_of[w] != name:
                raise ConfigError(f"{w!r} is in groups {group_of[w]!r} and {name!r}; put each word in one group")
            group_of[w] = name
    selected = list(dict.fromkeys([*words, *group_of]))

    unknown = [w for w in selected if w not in vectors]
    if unknown:
        warnings.warn(_unknown_message(vectors, unknown), WvtoolWarning, stacklevel=3)
        selected = [w for w in selected if w in vectors]
        for name, members in groups.items():
            if members and not any(w in vectors for w in members):
                warnings.warn(f"group {name!r} has none of its words in the vocabulary; it is left out of the legend", WvtoolWarning, stacklevel=3)
    return selected, {w: g for w, g in group_of.items() if w in vectors}, list(groups), center, unknown


def _unknown_message(vectors: Vectors, unknown: list[str]) -> str:
    shown = []
    for w in unknown[:8]:
        sugg = vectors.suggest(w, n=1) if len(shown) < 3 else []
        shown.append(f"{w!r} (did you mean {sugg[0]!r}?)" if sugg else repr(w))
    more = f" and {len(unknown) - 8} more" if len(unknown) > 8 else ""
    n = len(unknown)
    return f"skipping {n} word{'s' if n != 1 else ''} not in the vocabulary: {', '.join(shown)}{more}"


# ----------------------------------------------------------------------------------
# label placement
# ----------------------------------------------------------------------------------
#: candidate label positions around a point: unit direction (dx, dy) and text alignment
_DIRECTIONS = (
    (1.0, 0.0, "left", "center"),
    (-1.0, 0.0, "right", "center"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
    (0.71, 0.71, "left", "bottom"),
    (-0.71, 0.71, "right", "bottom"),
    (0.71, -0.71, "left", "top"),
    (-0.71, -0.71, "right", "top"),
)
#: distances from the point tried in turn, in multiples of the base gap; from the third on a leader line is drawn
_RINGS = (1.0, 2.5, 4.5, 7.0, 10.0)
#: overlaps below this many square pixels do not count
_TOLERANCE = 1.0


def _label_box(px, py, w, h, dx, dy, ha, va):
    """Box (x0, y0, x1, y1) in display units of a label of size (w, h) anchored at (px+dx, py+dy)."""
    ax_, ay_ = px + dx, py + dy
    x0 = ax_ if ha == "left" else (ax_ - w if ha == "right" else ax_ - w / 2)
    y0 = ay_ if va == "bottom" else (ay_ - h if va == "top" else ay_ - h / 2)
    return (x0, y0, x0 + w, y0 + h)


def _overlap_area(box, boxes: np.ndarray) -> np.ndarray:
    """Intersection areas of ``box`` with each row of ``boxes`` (m, 4)."""
    if len(boxes) == 0:
        return np.zeros(0)
    iw = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    ih = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return np.clip(iw, 0, None) * np.clip(ih, 0, None)


def place_labels(
    points: np.ndarray, sizes: np.ndarray, area: tuple[float, float, float, float], *, gap: float, marker: float, pad: float = 0.0
):
    """Choose a position for each label so labels overlap each other and the points as little as possible.

    All in display units (pixels): ``points`` (n, 2) point positions, ``sizes``
    (n, 2) label widths and heights, ``area`` the (x0, y0, x1, y1) box labels
    should stay inside, ``gap`` the distance from a point to its label,
    ``marker`` the side of the box kept free around every point (a number, or
    one per point), ``pad`` the
    clear space kept between two labels (so neighbouring words do not read as one).

    Greedy and deterministic: labels are placed in the given order (put the
    important words first); each takes the first candidate position (8
    directions, then the same further out) that overlaps nothing already
    placed, no point and stays inside ``area``; when none is free it takes the
    candidate with the least overlap.  Returns ``(placements, boxes, overlapping)``:
    per label ``(dx, dy, ha, va, ring)`` offsets in display units, the chosen
    boxes (n, 4), and how many labels could not avoid overlapping.
    """
    n = len(points)
    halves = np.broadcast_to(np.asarray(marker, dtype=np.float64) / 2.0, (n,))
    point_boxes = np.column_stack([points[:, 0] - halves, points[:, 1] - halves, points[:, 0] + halves, points[:, 1] + halves])
    placed = np.zeros((n, 4))
    placements = []
    overlapping = 0
    ax0, ay0, ax1, ay1 = area
    for i in range(n):
        px, py = points[i]
        w, h = sizes[i]
        half = halves[i]
        others = np.delete(point_boxes, i, axis=0)
        best = None
        for ring_no, ring in enumerate(_RINGS):
            r = gap * ring + (half if ring_no == 0 else 0.0)
            for dx_, dy_, ha, va in _DIRECTIONS:
                dx, dy = dx_ * r, dy_ * r
                box = _label_box(px, py, w, h, dx, dy, ha, va)
                padded = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
                cost = _overlap_area(padded, placed[:i]).sum() + _overlap_area(box, others).sum()
                inside = max(0.0, min(box[2], ax1) - max(box[0], ax0)) * max(0.0, min(box[3], ay1) - max(box[1], ay0))
                cost += 2.0 * max(0.0, w * h - inside)
                if cost < _TOLERANCE:  # rounding, or boxes that merely touch
                    cost = 0.0
                # prefer near positions among equally bad ones
                key = (cost, ring_no)
                if best is None or key < best[0]:
                    best = (key, (dx, dy, ha, va, ring_no), box)
                if cost == 0.0:
                    break
            if best[0][0] == 0.0:
                break
        if best[0][0] > 0.0:
            overlapping += 1
        placements.append(best[1])
        placed[i] = best[2]
    return placements, placed, overlapping


# ----------------------------------------------------------------------------------
# the picture
# ----------------------------------------------------------------------------------
def plot(
    vectors: Vectors,
    words: Sequence[str] | None = None,
    *,
    output,
    top: int | None = None,
    around: str | None = None,
    k: int = 20,
    groups: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
    method: str = "pca",
    perplexity: float | None = None,
    seed: int = 0,
    size=DEFAULT_SIZE,
    dpi: int = DEFAULT_DPI,
    csv: str | Path | None = None,
    title: str | None = None,
) -> dict:
    """Draw a 2-D map of some words and write it to ``output`` (.png, .svg or .pdf).

    Which words (choose one of ``words``, ``top``, ``around``; ``groups`` can
    be added to any of them, or used alone):

    - ``words``: these words;
    - ``top=N``: the N most frequent (by ``counts``, else the first N rows);
    - ``around=WORD``: WORD (highlighted) and its ``k`` nearest neighbours;
    - ``groups``: ``{"name": [words...]}`` (or ``["name=w1,w2", ...]``): these
      words are added and coloured by group, with a legend; other words are grey.

    Words not in the vocabulary are skipped with a :class:`~wvtool.WvtoolWarning`
    naming them.  The projection is :func:`project` (``method``, ``perplexity``,
    ``seed``).  ``size`` is (width, height) in inches (or ``"10x8"``), ``dpi``
    the resolution of PNG output.  ``csv`` also writes the coordinates
    (columns word, x, y, group).  Both files are written atomically; bad options
    are reported before any work is done and leave no file behind.

    Returns a summary dict: output, format, method, n_words, skipped, size,
    dpi, pixels (PNG), explained_variance or perplexity, seed, csv,
    labels_overlapping.
    """
    # --- check every option before any work ----------------------------------------
    method = check_method(method)
    fmt = image_format(output)
    width, height = parse_size(size)
    try:
        dpi = int(dpi)
    except (TypeError, ValueError):
        raise ConfigError(f"--dpi {dpi!r}: give a whole number of dots per inch, e.g. --dpi 150") from None
    if dpi < 10 or dpi > 1200:
        raise ConfigError(f"--dpi {dpi}: use a value between 10 and 1200 (150 is the default)")
    if max(width, height) * dpi > MAX_PIXELS:
        raise ConfigError(f"--size {width:g}x{height:g} at --dpi {dpi} is over {MAX_PIXELS:,} pixels wide; lower --size or --dpi")
    inputs = [vectors.source] if vectors.source else []
    check_output(output, inputs)
    if csv is not None:
        check_output(csv, inputs)
        if Path(csv).resolve() == Path(output).resolve():
            raise ConfigError(f"--csv {csv} is the same file as the image output; give the CSV another name")
    selected, group_of, group_names, center, skipped = _select(vectors, words, top, around, k, groups)
    if len(selected) < 2:
        have = f"only {selected[0]!r} is" if selected else "none is"
        raise ConfigError(f"need at least two words in the vocabulary to plot, {have}; check the spelling and case")
    if method == "tsne":
        _check_perplexity(perplexity, len(selected))

    xy, info = project(vectors, selected, method=method, perplexity=perplexity, seed=seed)
    group_names = [g for g in group_names if g in set(group_of.values())]

    fig, overlapping = _draw(vectors, selected, xy, info, group_of, group_names, center, (width, height), dpi, title)

    save_kwargs = {"format": fmt, "dpi": dpi}
    if fmt == "svg":
        save_kwargs["metadata"] = {"Date": None}
    elif fmt == "pdf":
        save_kwargs["metadata"] = {"CreationDate": None}
    with atomic_output(output, inputs) as tmp_img:
        if csv is not None:
            with atomic_output(csv, inputs) as tmp_csv:
                _write_csv(tmp_csv, csv, selected, xy, group_of, center)
                _save(fig, tmp_img, save_kwargs)
        else:
            _save(fig, tmp_img, save_kwargs)

    result = {
        "output": str(output),
        "format": fmt,
        "method": method,
        "n_words": len(selected),
        "skipped": skipped,
        "size": [width, height],
        "dpi": dpi,
        "seed": int(seed),
        "input": info["input"],
        "labels_overlapping": overlapping,
        "csv": None if csv is None else str(csv),
    }
    if fmt == "png":
        result["pixels"] = [int(round(width * dpi)), int(round(height * dpi))]
    if method == "pca":
        result["explained_variance"] = info["explained_variance"]
    else:
        result["perplexity"] = info["perplexity"]
    if group_names:
        result["groups"] = {g: sum(1 for w in selected if group_of.get(w) == g) for g in group_names}
    if center is not None:
        result["around"] = center
    return result


def _save(fig, path: Path, kwargs: dict) -> None:
    from matplotlib import rc_context

    with warnings.catch_warnings(record=True) as caught, rc_context({"svg.hashsalt": "wvtool"}):
        warnings.simplefilter("always")
        fig.savefig(path, **kwargs)
    _report_matplotlib_warnings(caught)


def _write_csv(tmp: Path, final, words, xy, group_of, center) -> None:
    with open_output_stream(tmp, final) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = _csv.writer(text)
        writer.writerow(["word", "x", "y", "group"])
        for w, (x, y) in zip(words, xy, strict=True):
            writer.writerow([w, repr(float(x)), repr(float(y)), group_of.get(w, "center" if w == center else "")])
        text.flush()
        text.detach()


def _report_matplotlib_warnings(caught) -> None:
    """Turn matplotlib's per-glyph font warnings into one WvtoolWarning; pass others on."""
    missing = []
    for w in caught:
        msg = str(w.message)
        m = re.search(r"Glyph (\d+) .*missing from font", msg)
        if m:
            ch = chr(int(m.group(1)))
            if ch not in missing:
                missing.append(ch)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if missing:
        shown = " ".join(missing[:12]) + (" ..." if len(missing) > 12 else "")
        warnings.warn(
            f"the plot font has no glyphs for {len(missing)} character{'s' if len(missing) != 1 else ''} ({shown}); "
            "those labels show boxes; install a font that covers them (matplotlib picks it up)",
            WvtoolWarning,
            stacklevel=4,
        )


def _font_size(n: int) -> float:
    return 10.0 if n <= 40 else 9.0 if n <= 100 else 8.0 if n <= 200 else 7.0


def _draw(vectors, words, xy, info, group_of, group_names, center, figsize, dpi, title):
    """Build the figure (Agg canvas, no pyplot) and place the labels; return (fig, n_overlapping)."""
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = len(words)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    fontsize = _font_size(n)
    marker_pt = 6.0 if n <= 100 else 4.5

    # colours: a qualitative map for groups, grey for the rest; one colour when there are no groups
    cmap = colormaps["tab10" if len(group_names) <= 10 else "tab20"]
    group_color = {g: cmap(i % cmap.N) for i, g in enumerate(group_names)}
    colors = []
    for w in words:
        if w == center and w not in group_of:
            colors.append(CENTER_COLOR)
        elif group_of.get(w) in group_color:
            colors.append(group_color[group_of[w]])
        else:
            colors.append(UNGROUPED_COLOR if group_names else POINT_COLOR)

    for g in group_names:
        idx = [i for i, w in enumerate(words) if group_of.get(w) == g]
        ax.scatter(xy[idx, 0], xy[idx, 1], s=marker_pt**2, color=group_color[g], label=g, zorder=3, edgecolors="white", linewidths=0.4)
    rest = [i for i, w in enumerate(words) if w not in group_of]
    if rest:
        label = "other" if group_names else None
        ax.scatter(xy[rest, 0], xy[rest, 1], s=marker_pt**2, color=[colors[i] for i in rest], label=label, zorder=2, edgecolors="white", linewidths=0.4)
    if center is not None:
        ci = words.index(center)
        ax.scatter([xy[ci, 0]], [xy[ci, 1]], s=(marker_pt * 2.2) ** 2, marker="*", color=colors[ci], zorder=4, edgecolors="white", linewidths=0.5)

    # limits with room for labels at the edges
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    pad = np.array([0.12, 0.08]) * span
    ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
    ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])

    source = Path(vectors.source).name if vectors.source else None
    if info["method"] == "pca":
        ev = info["explained_variance"]
        ax.set_xlabel(f"PC1 ({ev[0]:.1%} of variance)")
        ax.set_ylabel(f"PC2 ({ev[1]:.1%} of variance)")
        what = "PCA"
    else:
        ax.set_xlabel("t-SNE 1")
        ax.set_ylabel("t-SNE 2")
        ax.set_xticklabels([])
        ax.set_yticklabels([])
        ax.tick_params(length=0)
        what = f"t-SNE (perplexity {info['perplexity']:.3g}, seed {info['seed']})"
    if title is None:
        title = f"{what} of {n} unit word vectors" + (f" around {center!r}" if center else "") + (f" from {source}" if source else "")
    ax.set_title(title, fontsize=fontsize + 2)
    ax.grid(True, color="0.92", zorder=0)
    ax.set_axisbelow(True)
    for spine in ax.spines.values():
        spine.set_color("0.7")
    if group_names:
        ax.legend(loc="best", fontsize=fontsize, frameon=True, framealpha=0.85, markerscale=1.2)

    # lay out once, then freeze the layout so data->pixel transforms stay put while labels are placed
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
        fig.set_layout_engine("none")
        renderer = fig.canvas.get_renderer()
        sizes = np.zeros((n, 2))
        for i, w in enumerate(words):
            t = ax.text(0, 0, w, fontsize=fontsize, fontweight="bold" if w == center else "normal")
            bb = t.get_window_extent(renderer)
            sizes[i] = (bb.width, bb.height)
            t.remove()
    _report_matplotlib_warnings(caught)
    points = ax.transData.transform(xy)
    axbox = ax.get_window_extent(renderer)
    area = (axbox.x0, axbox.y0, axbox.x1, axbox.y1)
    px_per_pt = dpi / 72.0
    markers = np.array([marker_pt * (2.2 if w == center else 1.0) for w in words]) * px_per_pt
    placements, _, overlapping = place_labels(points, sizes, area, gap=3.0 * px_per_pt, marker=markers, pad=1.5 * px_per_pt)

    legend = ax.get_legend()
    for i, (w, (dx, dy, ha, va, ring)) in enumerate(zip(words, placements, strict=True)):
        group = group_of.get(w)
        color = group_color[group] if group in group_color else ("0.15" if w != center else CENTER_COLOR)
        arrow = {"arrowstyle": "-", "color": "0.6", "lw": 0.5, "shrinkA": 0, "shrinkB": 2} if ring >= 2 else None
        ax.annotate(
            w,
            xy=(xy[i, 0], xy[i, 1]),
            xytext=(dx / px_per_pt, dy / px_per_pt),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=fontsize,
            fontweight="bold" if w == center else "normal",
            color=_darker(color),
            arrowprops=arrow,
            zorder=5,
        )
    if legend is not None:
        legend.set_zorder(10)
    return fig, overlapping


def _darker(color, factor: float = 0.75):
    """A darker shade of ``color`` so coloured labels stay readable on white."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r * factor, g * factor, b * factor)
