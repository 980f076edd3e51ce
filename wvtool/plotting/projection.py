"""2-D projections of unit word vectors: PCA (NumPy) and t-SNE (scikit-learn, imported when used)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConfigError
from ..vectors import Vectors
from .options import PlotOptions

#: t-SNE needs a handful of points to say anything; below this, use PCA
MIN_TSNE_POINTS = 4
#: t-SNE on fewer words than this runs single-threaded
TSNE_THREADS_FROM = 5000


def default_perplexity(n: int) -> float:
    """The t-SNE perplexity used when none is given: ``min(30, max(2, (n - 1) / 3))``.

    t-SNE needs the perplexity below the number of points; a third of the
    points (at least 2, at most the usual 30) keeps every point's neighbourhood
    meaningful: six words get 2, 61 words get 20, 91 words or more get 30.
    """
    return float(min(30.0, max(2.0, (n - 1) / 3.0)))


def tsne_perplexity(perplexity: float | None, n: int) -> float:
    """The perplexity t-SNE uses for ``n`` words; ConfigError when t-SNE cannot work on them."""
    if n < MIN_TSNE_POINTS:
        raise ConfigError(f"t-SNE needs at least {MIN_TSNE_POINTS} words, got {n}; add words or use {{method='pca'}}")
    if perplexity is None:
        return default_perplexity(n)
    if perplexity >= n:
        raise ConfigError(
            f"{{perplexity={perplexity:g}}} is not below the number of words ({n}); t-SNE needs it smaller, "
            f"e.g. {{perplexity={default_perplexity(n):g}}} (the default for {n} words)"
        )
    return float(perplexity)


def unit_matrix(vectors: Vectors, words: list[str]) -> np.ndarray:
    """The float64 unit rows of ``words`` (at least two distinct), checked to be projectable; a subword
    table composes the words outside its vocabulary from their n-grams."""
    from ..query import query_units

    n = len(words)
    if n < 2:
        raise ConfigError(f"cannot project {n} word{'s' if n != 1 else ''}; give at least two words")
    if vectors.dim < 2:
        raise ConfigError(f"the vectors have {vectors.dim} dimension; a 2-D projection needs at least 2")
    x = np.asarray(query_units(vectors, words)[0], dtype=np.float64)
    if not np.isfinite(x).all():
        bad = [words[i] for i in np.flatnonzero(~np.isfinite(x).all(axis=1))[:5]]
        raise ConfigError(f"vectors of {', '.join(map(repr, bad))} contain NaN or infinity; remove those words")
    if float(np.ptp(x, axis=0).max()) == 0.0:
        raise ConfigError(f"all {n} selected words have the same unit vector; nothing to project, choose other words")
    return x


def project_words(vectors: Vectors, words: Sequence[str], options: PlotOptions):
    """:func:`wvtool.plotting.project` with validated ``options``; returns ``(xy, info)``."""
    words = list(dict.fromkeys(words))
    x = unit_matrix(vectors, words)
    info: dict = {"method": options.method, "n": len(words), "words": words, "seed": options.seed, "input": "unit vectors"}
    if options.method == "pca":
        xy, ratios = pca(x)
        info["explained_variance"] = ratios
    else:
        perplexity = tsne_perplexity(options.perplexity, len(words))
        xy, kl = tsne(x, perplexity, options.seed)
        info["perplexity"] = perplexity
        info["kl_divergence"] = kl
    return np.ascontiguousarray(xy, dtype=np.float64), info


def pca(x: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """The first two principal components of the rows of ``x`` and the fraction of the variance each explains.

    What scikit-learn's ``PCA(n_components=2, svd_solver="full").fit_transform``
    gives, signs included (each axis is oriented so that the largest
    coordinate of its direction is positive), computed with one NumPy SVD:
    importing scikit-learn (and SciPy with it) took longer than a small plot.
    """
    centered = x - x.mean(axis=0)
    u, s, vt = np.linalg.svd(centered, full_matrices=False)
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    signs[signs == 0] = 1.0
    xy = u[:, :2] * signs[:2] * s[:2]
    variance = s**2
    total = float(variance.sum())
    return xy, [float(v / total) for v in variance[:2]]


def tsne(x: np.ndarray, perplexity: float, seed: int) -> tuple[np.ndarray, float]:
    """scikit-learn's t-SNE of the rows of ``x`` started from :func:`tsne_init`; returns (xy, KL divergence)."""
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    model = TSNE(n_components=2, perplexity=perplexity, init=tsne_init(x, seed), learning_rate="auto",
                 random_state=int(seed), n_jobs=1)
    # Small problems gain nothing from OpenMP threads, and on a busy machine
    # their spin-waiting made a 12-word t-SNE take seconds instead of 30 ms.
    with threadpool_limits(limits=1 if len(x) < TSNE_THREADS_FROM else None):
        xy = model.fit_transform(x)
    return xy, float(model.kl_divergence_)


def tsne_init(x: np.ndarray, seed: int) -> np.ndarray:
    """The starting layout of t-SNE: the PCA layout, jittered by ``seed``.

    scikit-learn's ``init="pca"`` is deterministic, so its ``random_state``
    would change nothing.  Like it, this starts from the first two principal
    components scaled to a standard deviation of 1e-4 (so the global shape is
    PCA's), then adds Gaussian noise of a quarter of that size drawn from
    ``seed``: the same seed gives the same picture, another seed another
    (equally valid) local arrangement.
    """
    init, _ = pca(x)
    init = init / max(float(np.std(init[:, 0])), 1e-12) * 1e-4
    rng = np.random.default_rng(int(seed))
    return (init + rng.normal(scale=0.25e-4, size=init.shape)).astype(np.float32)
