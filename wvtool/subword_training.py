"""Training a subword (fastText) skip-gram or CBOW model: the part of :func:`wvtool.trainer.train` for ``subwords=True``.

The input table is laid out as fastText's: the V vocabulary words' own rows,
then ``bucket`` n-gram rows, all starting in the range word models start in
(4 times fastText's and gensim's ``FastText`` range: see
:func:`wvtool.trainer.fill_input_rows`; ``init`` replaces the own rows of
the words it has, and a subword model given as ``init`` its n-gram rows too: see
:func:`continued_settings`); the output rows start at zero, or from ``init``'s output rows where it has them
(a model's, see :func:`wvtool.trainer.fill_output_rows`).  Memory: 4 x (V + bucket) x
ceil(dim/16)*16 bytes for the input table (930 MB for 2M buckets at dim 100),
and as much again while the result's n-gram matrix is copied out.
"""

from __future__ import annotations

import codecs
import dataclasses
import mmap
import os
import time
import warnings

import numpy as np

from .corpus import Corpus
from .errors import WvtoolWarning
from .progress import Progress
from .subwords import FASTTEXT_MODELS, Subwords, compose_words, subword_rows
from .vectors import Vectors

#: rows of random numbers drawn at a time when the n-gram rows are initialised (bounds the temporary memory)
_INIT_BLOCK = 1 << 16
#: back the input table with huge pages where the system allows (see :func:`_table`)
HUGE_PAGES = os.environ.get("WVTOOL_HUGE_PAGES", "1") != "0"
#: fastText's codes for its args block
_FT_MODELS = {name: code for code, name in FASTTEXT_MODELS.items()}
_FT_LOSS_NS = 2


def _table(rows: int, cols: int) -> np.ndarray:
    """A zeroed float32 (rows, cols) table; a large one in memory the kernel may back with 2 MB pages.

    The training kernel reads and writes rows at random over the whole n-gram
    table (about 1 GB by default): with 4 KB pages nearly every row costs a TLB
    miss.  Linux backs an anonymous mapping advised ``MADV_HUGEPAGE`` with
    2 MB pages when transparent huge pages are enabled ("madvise" or "always").
    """
    nbytes = rows * cols * 4
    if not HUGE_PAGES or nbytes < (64 << 20) or not hasattr(mmap, "MADV_HUGEPAGE"):
        return np.zeros((rows, cols), dtype=np.float32)
    buf = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        buf.madvise(mmap.MADV_HUGEPAGE)
    except OSError:
        pass
    return np.frombuffer(buf, dtype=np.float32).reshape(rows, cols)


def init_subword_weights(words, dim: int, bucket: int, seed: int, init: Vectors | None = None, threads: int = 1,
                         going_on: bool = False):
    """(w_in, w_out, n_from_init, n_output_from_init): float32 (V + bucket, padded dim) drawn by fill_input_rows, and (V, padded dim)
    zeros; the words ``init`` has start from its vectors (and its output rows, if it has them).  ``going_on`` (see :func:`continued_settings`): ``init``
    is a subword model being trained on, so its n-gram rows are the n-gram rows and its words' own rows (not their
    composed vectors) their rows."""
    from .trainer import _padded, fill_input_rows, fill_output_rows

    n = len(words)
    pdim = _padded(dim)
    w_in = _table(n + bucket, pdim)
    if going_on:  # the words' rows drawn as they would be otherwise; the n-gram rows are the model's
        n_init = fill_input_rows(w_in[:n], words, dim, seed, init, threads, source=init.word_rows)
        w_in[n:, :dim] = init.subwords.ngrams
    else:
        n_init = fill_input_rows(w_in, words, dim, seed, init, threads)
    w_out = np.zeros((n, pdim), dtype=np.float32)
    return w_in, w_out, n_init, fill_output_rows(w_out, words, dim, init)


def continued_settings(cfg, init: Vectors | None):
    """The settings to train with from ``init``, and whether its n-gram rows go on being trained.

    Given a subword model, training goes on from it, as fastText's and gensim's models can be trained further:
    n-gram settings left out are the model's, and its n-gram rows and words' own rows are where training starts.
    If that cannot be (other n-gram settings, or no own rows for its words, or n-grams hashed from another
    encoding than UTF-8), a warning says why, and only its words' vectors are used, as for any other table.
    """
    sw = init.subwords if init is not None else None
    if sw is None:
        return cfg, False
    cfg = dataclasses.replace(cfg, **{name: getattr(sw, name) for name, value in cfg._ngram_fields() if value is None})
    differ = [f"{{{name}={value}}}" for name, value in cfg._ngram_fields() if value != getattr(sw, name)]
    why = None
    if differ:
        model = ", ".join(f"{name} {getattr(sw, name)}" for name, _ in cfg._ngram_fields())
        verb = "differs" if len(differ) == 1 else "differ"
        why = f"{' and '.join(differ)} {verb} from the {{init}} model's n-grams ({model})"
    elif init.word_rows is None:
        why = "the {init} table has no own rows for its words"
    elif codecs.lookup(sw.encoding).name != "utf-8":
        why = f"the {{init}} model hashes its n-grams from {sw.encoding} text, not UTF-8"
    if why is not None:
        warnings.warn(f"{why}: its n-gram rows are not used, only its words' vectors", WvtoolWarning, stacklevel=4)
        return cfg, False
    return cfg, True


def unpad(w: np.ndarray, dim: int, block: int = _INIT_BLOCK) -> np.ndarray:
    """The first ``dim`` columns of the C-contiguous table ``w``, moved in place to a C-contiguous (rows, dim) view.

    Rows move front to back, a block at a time (a row's new place never lies
    beyond its old one), so no second copy of a 1 GB table is needed.
    """
    rows, pdim = w.shape
    if pdim == dim:
        return w
    flat = w.reshape(-1)
    for s in range(0, rows, block):
        e = min(rows, s + block)
        flat[s * dim : e * dim].reshape(e - s, dim)[:] = w[s:e, :dim].copy()
    return flat[: rows * dim].reshape(rows, dim)


def training_record(cfg, dim: int) -> dict:
    """The settings in fastText's args-block names (a table's ``training``, written to ``.bin`` and ``.wv`` files;
    a word model's n-gram settings are 0, as in a fastText model without n-grams)."""
    minn, maxn, bucket = cfg.ngram_settings if cfg.subwords else (0, 0, 0)
    return {
        "dim": dim, "ws": cfg.window, "epoch": cfg.epochs, "min_count": cfg.min_count, "neg": cfg.negative,
        "word_ngrams": 1, "loss": _FT_LOSS_NS, "model": _FT_MODELS[cfg.model], "bucket": bucket, "minn": minn,
        "maxn": maxn, "lr_update_rate": 100, "t": cfg.sample, "lr": cfg.learning_rate, "trainer": "wvtool",
    }


def train_subwords(corpus: Corpus, cfg, dim: int, init: Vectors | None, progress: Progress, read_seconds: float):
    """Train ``cfg`` (``subwords=True``) on ``corpus``; return the subword table (see :func:`wvtool.trainer.train`).

    The table's ``vectors`` are the words' composed vectors (the mean of their
    own and n-gram rows, fastText's ``get_word_vector``), ``word_rows`` their own
    rows and ``subwords`` the trained n-gram matrix.
    """
    from .trainer import KeptWords, _run_epochs, check_trained, make_stats, train_threads

    cfg, going_on = continued_settings(cfg, init)
    minn, maxn, bucket = cfg.ngram_settings
    words = list(corpus.words)
    offsets, rows = subword_rows(words, minn, maxn, bucket)
    w_in, w_out, n_init, n_output = init_subword_weights(words, dim, bucket, cfg.seed, init, train_threads(cfg), going_on)
    t1 = time.perf_counter()
    run = _run_epochs(corpus, cfg, w_in, w_out, progress, (offsets, rows))
    train_seconds = time.perf_counter() - t1
    n = len(words)
    table = unpad(w_in, dim)
    check_trained(cfg, table, w_out)
    own, ngrams = table[:n], table[n:]
    sw = Subwords(minn, maxn, bucket, ngrams, training=training_record(cfg, dim), _owned=True)
    vectors = compose_words(words, own, sw)
    stats = make_stats(corpus, cfg, dim, n_init, run, read_seconds, train_seconds,
                       subwords={"minn": minn, "maxn": maxn, "bucket": bucket, "from_init": going_on},
                       output_from_init=n_output, depth=2)
    counts, output = corpus.counts, unpad(w_out, dim)
    if cfg.keep_init_words:  # their own rows as the corpus's words got theirs, composed with the trained n-grams
        kept = KeptWords.of(words, init)
        kept_own = kept.own if going_on else kept.vectors
        words, counts, vectors, output = kept.join(words, counts, vectors, output, compose_words(kept.words, kept_own, sw))
        own = np.concatenate((own, kept_own))
        stats = dataclasses.replace(stats, kept_from_init=len(kept.words))
    return Vectors(words, vectors, counts, stats=stats, subwords=sw, word_rows=own, output_rows=output, _owned=True)
