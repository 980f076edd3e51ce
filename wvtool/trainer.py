"""Training word vectors: skip-gram or CBOW with negative sampling (Mikolov et al., 2013).

    >>> import wvtool
    >>> kv = wvtool.train(["corpus.txt.gz"], dim=100, epochs=5, threads=2)

The corpus is read and encoded once (:mod:`wvtool.corpus`); a Python loop over
epochs and chunks calls the compiled kernel (:mod:`wvtool.kernels`), sets the
learning rate (falling linearly from ``alpha`` to ``min_alpha`` over all
epochs) and reports progress.

Memory for a corpus of N tokens in L lines with a vocabulary of V words:
4N + 8L bytes for the encoded corpus; 2 x 4 x V x ceil(dim/4)*4 bytes (``DIM_ALIGN``) for the
two weight tables plus 4 x V x dim for the returned table; while reading, about
150 bytes per distinct word (the counts) and a few tens of MB per block of text.
Measured: 16.9M tokens, V = 67,873, dim 100: 400 MB peak for the whole process
(including ~150 MB for Numba/LLVM).
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import settings
from .arrays import all_finite
from .corpus import (
    MARKUP_LINES,
    READING_SETTINGS,
    Corpus,
    check_skip_lines,
    check_token_pattern,
    check_tokenizer,
    read_corpus,
)
from .errors import ConfigError, FormatError, TrainingError, WvtoolWarning
from .progress import Progress, no_progress
from .subwords import FASTTEXT_MODELS, MAX_SETTING, check_settings
from .vectors import Vectors

#: sentences longer than this are trained as consecutive pieces (as gensim does)
MAX_SENTENCE = 10_000
#: tokens per unit of parallel work
CHUNK_TOKENS = 10_000
#: a kernel call trains about this long (the progress display is updated between calls): fewer, longer calls
#: leave the threads idle less often (each call ends waiting for its last chunk); +3% words/s for CBOW against
#: calls of 400k tokens
CALL_SECONDS = 0.25
#: the dimension is padded to a multiple of this (zero columns): 4 floats, 16 bytes.  Padding further costs
#: time: at dim 100, 16 (112 columns) made CBOW about 10% slower than 4, the extra columns computed for nothing
DIM_ALIGN = 4
#: the sigmoid is looked up in a table of this many bins over [-SIG_MAX, SIG_MAX]
SIG_TABLE = 2048
#: the table's range; beyond it the function is 0 or 1 (word2vec.c's and fastText's way).  gensim's word2vec instead
#: skips any score beyond 6 (MAX_EXP): tried for skip-gram on text8-head (2 threads, seed by seed against this
#: rule, wvtool's evaluator): analogy -0.0009 +- 0.0008 over seeds 1-12 and -0.0000 +- 0.0006 over 13-24, CBOW
#: -0.0013 +- 0.0011 over 10 seeds; no difference, so not taken
SIG_MAX = 8.0
#: seconds the kernel may take to load before the progress bar says it is being compiled
COMPILE_NOTICE = 0.5
#: consecutive centre words sharing one set of negatives (see wvtool.kernels; 4: +30% speed, quality equal)
NEG_SHARE = 4
#: the models :func:`train` knows, and each one's default initial learning rate (word2vec's and gensim's)
MODELS = {"skipgram": 0.025, "cbow": 0.05}
#: training has diverged when an epoch's mean loss is over this many times an untrained model's (each example's
#: positive and negatives at ln 2 each): healthy training only lowers it, a learning rate far too high multiplies it
DIVERGED_LOSS = 10
#: corpora with fewer tokens than this use their own negatives per centre word (sharing costs quality there)
SHARE_MIN_TOKENS = 10_000_000
#: fastText's subword defaults, and the largest values accepted (fastText keeps bucket in an int32)
SUBWORD_DEFAULTS = {"minn": 3, "maxn": 6, "bucket": 2_000_000}
SUBWORD_LIMITS = {"minn": 100, "maxn": 100, "bucket": MAX_SETTING}
#: whether the later centres of a group see the negatives' rows as updated by the earlier ones
FRESH = False
#: with several threads (and one set of negatives per centre word), each thread trains this many most frequent
#: words' rows in copies of its own, merged into the shared rows every HOT_MERGE centre words (their cache lines no
#: longer travel between cores at each update: on text8-head at 2 threads, 64 rows gave CBOW +13% and skip-gram +5%
#: words/s, quality unchanged).  CBOW, cheaper per word, gains from more: on an AMD Zen 4, kernel calls alternating
#: in one process ran CBOW on text8-head 6-9% faster with 256 rows than with 64 (wiki-text8like 0-3%), skip-gram
#: no faster
HOT_ROWS = {"skipgram": 64, "cbow": 256}
HOT_MERGE = 4096
#: the copies are for the few most frequent words: at most this fraction of the vocabulary.  On a tiny vocabulary
#: (a test corpus of 116 words) 256 copies made every row thread-own, which is no longer Hogwild but threads
#: merging every 4,096 centre words: with the CPU oversubscribed a stalled thread's merge then added deltas from
#: stale rows, and an epoch's loss rose (+0.012 and +0.016 of 2.0 in 2 of 12 runs, none with 1/8 of the words)
HOT_FRACTION = 1 / 8
#: the initial input rows are drawn this many at a time (an even number: see :func:`fill_input_rows`)
INIT_ROWS = 1 << 16
#: the input rows start uniform in [-INIT_WIDTH/dim, INIT_WIDTH/dim]: 4 times gensim's and fastText's range
#: (see :func:`fill_input_rows`); a power of two, so the values are exactly 4 times theirs
INIT_WIDTH = 4.0
#: subword skip-gram: sets of negatives in each group's pool (context word j uses set j % SUBWORD_NEG_SLICES)
SUBWORD_NEG_SLICES = 4


@dataclass(frozen=True)
class TrainConfig:
    """Settings of :func:`train`, with the word2vec / gensim defaults; validated on creation.

    ``model``: ``"skipgram"`` or ``"cbow"``.  ``alpha=None`` means the model's
    default (0.025 for skip-gram, 0.05 for CBOW: :attr:`learning_rate`).
    ``cbow_sum``: CBOW sums the context vectors instead of averaging them.
    ``neg_share``: consecutive centre words sharing one set of negatives (None:
    chosen from the corpus size, see :func:`negative_share`).
    ``dim=None`` means 100, or the dimension of the ``init`` table.
    ``threads=None`` means all cores.  ``max_vocab`` keeps only the most
    frequent words.  ``tokens``: ``"default"`` (words of letters and digits
    in any script, keeping contractions, hyphenated words and numbers whole; see
    :func:`wvtool.corpus.tokenize`) or ``"whitespace"`` (text already tokenized).
    ``token_pattern``: a regular expression whose matches are the tokens, instead
    of the default tokenizer.  ``skip_lines``: lines matching this regular
    expression at their start are left out (the default drops lines holding only
    one markup tag, such as WikiExtractor's ``<doc ...>`` and ``</doc>``; ``""``
    keeps every line).  ``keep_init_words``: the words of the ``init`` table that the
    corpus lacks stay in the result, after the corpus's, with their vectors (and output
    rows) as they were (see :func:`train`).
    """

    dim: int | None = None
    window: int = 5
    negative: int = 5
    min_count: int = 5
    sample: float = 1e-3
    alpha: float | None = None
    min_alpha: float = 0.0001
    epochs: int = 5
    max_vocab: int | None = None
    threads: int | None = None
    seed: int = 1
    tokens: str = "default"
    lowercase: bool = True
    token_pattern: str = ""
    skip_lines: str = MARKUP_LINES
    model: str = "skipgram"
    cbow_sum: bool = False
    neg_share: int | None = None
    subwords: bool = False
    minn: int | None = None
    maxn: int | None = None
    bucket: int | None = None
    keep_init_words: bool = False

    @property
    def ngram_settings(self) -> tuple[int, int, int]:
        """(minn, maxn, bucket) with fastText's defaults (3, 6, 2,000,000) for those left None; ``maxn`` 0 (no
        n-grams) makes ``bucket`` 0, as in fastText, so no n-gram table is made."""
        minn, maxn, bucket = (SUBWORD_DEFAULTS[k] if v is None else v for k, v in self._ngram_fields())
        return minn, maxn, 0 if maxn == 0 else bucket

    def _ngram_fields(self):
        return (("minn", self.minn), ("maxn", self.maxn), ("bucket", self.bucket))

    @property
    def learning_rate(self) -> float:
        """The initial learning rate: ``alpha``, or the model's default when it is None."""
        return MODELS.get(self.model, 0.025) if self.alpha is None else self.alpha

    def __post_init__(self):
        # each setting is kept as the checked value: a NumPy number (np.int64(5) from np.arange, say) becomes the
        # Python int or float, so the kernels and the files written get the same types whatever the caller passed
        def whole(name, *args, **kwargs):
            object.__setattr__(self, name, settings.whole(name, getattr(self, name), *args, **kwargs))

        def number(name, *args, **kwargs):
            object.__setattr__(self, name, settings.number(name, getattr(self, name), *args, **kwargs))

        def flag(name):
            object.__setattr__(self, name, settings.flag(name, getattr(self, name)))

        whole("dim", 1, 10_000, optional=True)
        whole("window", 1, 1_000)
        whole("negative", 1, 1_000)
        whole("min_count", 1)
        whole("epochs", 1, 10_000)
        whole("max_vocab", 1, optional=True)
        whole("threads", 1, 1_024, optional=True)
        whole("seed", 0, 2**63 - 1)
        settings.choice("model", self.model, MODELS)
        flag("cbow_sum")
        flag("keep_init_words")
        whole("neg_share", 1, 64, optional=True)
        if self.alpha is not None:
            number("alpha", 0.0, 1.0, lo_open=True)
        number("min_alpha", 0.0, 1.0)
        number("sample", 0.0, 1.0, text="0 (no subsampling) to 1")
        if self.min_alpha > self.learning_rate:
            raise ConfigError(
                f"{{min_alpha={self.min_alpha}}} is larger than {{alpha={self.learning_rate}}}; use 0 to {{alpha}}"
            )
        check_tokenizer(self.tokens)
        flag("lowercase")
        check_token_pattern(self.token_pattern, self.tokens)
        check_skip_lines(self.skip_lines)
        self._check_subwords()

    def _check_subwords(self) -> None:
        """The subword settings: only with ``subwords``, in range, consistent (:func:`wvtool.subwords.check_settings`)."""
        object.__setattr__(self, "subwords", settings.flag("subwords", self.subwords))
        for name, value in self._ngram_fields():
            object.__setattr__(self, name, settings.whole(name, value, 0, SUBWORD_LIMITS[name], optional=True))
            if value is not None and not self.subwords:
                raise ConfigError(f"{{{name}={value}}} is a subword setting; pass {{subwords=True}} too, or leave it out")
        if self.subwords and self.cbow_sum:
            raise ConfigError("{cbow_sum=True} is not available with {subwords=True} (fastText averages); leave it out")
        if self.subwords:
            check_settings(*self.ngram_settings)
            minn, maxn, _ = self.ngram_settings
            if maxn > 0 and minn == 0:
                raise ConfigError("{minn=0}: the shortest n-gram has at least 1 character; use {minn} 1 or more, "
                                  "or {maxn=0} for no n-grams")


def make_config(config: TrainConfig | None = None, **settings_) -> TrainConfig:
    """``config`` (or the defaults) with ``settings_`` replaced, validated."""
    return settings.build(TrainConfig, config, **settings_)


# --- tables the kernel needs ---------------------------------------------------------


def keep_thresholds(counts: np.ndarray, sample: float) -> np.ndarray:
    """word2vec's subsampling as uint64 thresholds on a 32-bit uniform number.

    A word of count ``f`` in a corpus of ``T`` tokens is kept with probability
    ``(sqrt(f / (sample*T)) + 1) * (sample*T) / f`` (capped at 1).
    """
    counts = np.asarray(counts, dtype=np.float64)
    if sample <= 0:
        p = np.ones_like(counts)
    else:
        st = sample * counts.sum()
        p = np.minimum((np.sqrt(counts / st) + 1.0) * st / counts, 1.0)
    return np.minimum(np.floor(p * 4294967296.0), 4294967296.0).astype(np.uint64)


def negative_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """The unigram distribution raised to ``power``, normalised (float64)."""
    p = np.asarray(counts, dtype=np.float64) ** power
    return p / p.sum()


def split_sentences(bounds: np.ndarray, max_len: int = MAX_SENTENCE) -> np.ndarray:
    """Boundaries with every sentence longer than ``max_len`` cut into consecutive pieces."""
    lengths = np.diff(bounds)
    if lengths.size == 0 or lengths.max() <= max_len:
        return np.asarray(bounds, dtype=np.int64)
    pieces = [np.arange(s, e, max_len, dtype=np.int64) for s, e in zip(bounds[:-1], bounds[1:], strict=True) if e - s > max_len]
    return np.unique(np.concatenate([np.asarray(bounds, dtype=np.int64), *pieces]))


def make_chunks(bounds: np.ndarray, chunk_tokens: int = CHUNK_TOKENS) -> np.ndarray:
    """Group sentences into chunks of about ``chunk_tokens`` tokens: int64 (C+1,) sentence indices."""
    ends = bounds[1:]
    targets = np.arange(chunk_tokens, int(ends[-1]) + chunk_tokens, chunk_tokens)
    idx = np.searchsorted(ends, targets, side="left") + 1
    starts = np.unique(np.concatenate([[0], np.minimum(idx, ends.size)]))
    return starts.astype(np.int64)


def negative_share(config: TrainConfig, n_tokens: int) -> int:
    """Consecutive centre words sharing one set of negatives: ``config.neg_share``, else chosen from the model and the corpus size."""
    if config.neg_share is not None:
        return config.neg_share
    if config.model == "cbow":
        return 1  # CBOW has one input per centre word: sharing cost 1.7 analogy points on wiki-text8like
    if config.subwords:
        return NEG_SHARE  # its pool of SUBWORD_NEG_SLICES sets keeps the quality on every corpus size
    return NEG_SHARE if n_tokens >= SHARE_MIN_TOKENS else 1


def train_threads(config: TrainConfig) -> int:
    """The threads training uses: ``config.threads`` (None: all cores), at most Numba's limit."""
    import numba

    return min(config.threads or os.cpu_count() or 1, numba.config.NUMBA_NUM_THREADS)


def hot_rows(config: TrainConfig, n_words: int, n_tokens: int, threads: int) -> tuple[int, int]:
    """The thread-own copies of the most frequent words' rows (see :mod:`wvtool.kernels.word`): how many words and
    how many spare table rows they need (one set per thread Numba can run).  (0, 0) for one thread (nothing to
    gain), when centre words share negatives (the copies of those rows are the group's) and for subword models."""
    import numba

    if config.subwords or threads < 2 or negative_share(config, n_tokens) != 1:
        return 0, 0
    hot = min(HOT_ROWS[config.model], int(n_words * HOT_FRACTION))
    return hot, hot * numba.config.NUMBA_NUM_THREADS


def _kernel(kernels, config: TrainConfig, n_tokens: int, rows=None, hot: int = 0):
    """The compiled kernel of ``config.model`` and its model-specific arguments (after ``negative``).

    ``rows``: (offsets, rows) of a subword model's input rows per word (:func:`wvtool.subwords.subword_rows`).
    ``hot``: CBOW's hot rows (:func:`hot_rows`).
    """
    share = negative_share(config, n_tokens)
    if config.subwords:
        if config.model == "cbow":
            return kernels.subword_cbow_train_chunks, (share, FRESH, *rows), share
        return kernels.subword_sg_train_chunks, (share, FRESH, SUBWORD_NEG_SLICES, *rows), share
    kernel = kernels.word_cbow_train_chunks if config.model == "cbow" else kernels.word_sg_train_chunks
    return kernel, (share, FRESH, config.cbow_sum, hot, HOT_MERGE), share


def _seed_for(seed: int, epoch: int, chunk: int) -> np.uint64:
    """A well-mixed 64-bit state from (seed, epoch, chunk) (splitmix64 finaliser)."""
    mask = (1 << 64) - 1
    z = (seed * 0x9E3779B97F4A7C15 + epoch * 0xBF58476D1CE4E5B9 + chunk * 0x94D049BB133111EB + 0x632BE59BD9B4E5B) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return np.uint64(z ^ (z >> 31))


def _padded(dim: int) -> int:
    return -(-dim // DIM_ALIGN) * DIM_ALIGN


def init_weights(words: Sequence[str], dim: int, seed: int, init: Vectors | None = None, spare: int = 0,
                 threads: int = 1):
    """Input rows uniform in [-INIT_WIDTH/dim, INIT_WIDTH/dim] (or copied from ``init``), output rows zero (or copied from
    ``init``'s output rows, see :func:`fill_output_rows`).

    Returns (w_in, w_out, n_from_init, n_output_from_init), the tables float32 (V + spare, padded dim) with zero
    padding columns; the ``spare`` rows after the vocabulary's are zero (a kernel's working rows, see
    :func:`hot_rows`).
    """
    n = len(words)
    pdim = _padded(dim)
    w_in = np.zeros((n + spare, pdim), dtype=np.float32)
    n_init = fill_input_rows(w_in[:n], words, dim, seed, init, threads)
    w_out = np.zeros((n + spare, pdim), dtype=np.float32)
    return w_in, w_out, n_init, fill_output_rows(w_out[:n], words, dim, init)


def init_rows(words: Sequence[str], init: Vectors) -> tuple[np.ndarray, np.ndarray]:
    """(positions, rows): the positions in ``words`` of the words ``init`` has, and their rows in ``init``."""
    index = init.index
    rows = np.fromiter((index.get(w, -1) for w in words), dtype=np.int64, count=len(words))
    have = np.flatnonzero(rows >= 0)
    return have, rows[have]


def fill_output_rows(w_out: np.ndarray, words: Sequence[str], dim: int, init: Vectors | None) -> int:
    """Copy into ``w_out[:, :dim]`` the output rows ``init`` has for ``words`` (the model it was trained as goes on
    from them); the other rows stay as they are (zero).  Returns how many were copied (0 when ``init`` has none)."""
    if init is None or init.output_rows is None:
        return 0
    have, rows = init_rows(words, init)
    w_out[have, :dim] = output_rows_of(init, rows)
    return int(have.size)


def output_rows_of(init: Vectors, rows: np.ndarray) -> np.ndarray:
    """``init``'s output rows ``rows`` (a copy); FormatError naming the first that holds a NaN or an infinity (a
    file's output rows are checked only where they are used)."""
    taken = init.output_rows[rows]
    if not np.isfinite(taken).all():
        bad = int(rows[np.flatnonzero(~np.isfinite(taken).all(axis=1))[0]])
        raise FormatError(init.source or "the init table", f"output row {bad + 1}",
                          f"the output row of {init.words[bad]!r} holds a NaN or infinite value",
                          "the file is damaged; regenerate it, or start from vectors alone")
    return taken


def fill_input_rows(w_in: np.ndarray, words: Sequence[str], dim: int, seed: int, init: Vectors | None = None,
                    threads: int = 1, source: np.ndarray | None = None) -> int:
    """Fill ``w_in[:, :dim]`` uniform in [-INIT_WIDTH/dim, INIT_WIDTH/dim]; then copy the rows of ``words`` (the
    first ``len(words)`` rows) that ``init`` has: its vectors, or its rows in ``source`` (say a subword model's
    words' own rows).  Returns how many were copied.

    The values are those of one NumPy generator seeded with ``seed`` drawing the
    rows in order, whatever ``threads`` is: the table is drawn INIT_ROWS rows at
    a time, ``threads`` blocks at once, each from a copy of the generator moved
    ahead past the blocks before it (NumPy draws two float32 per step, and a
    block holds an even number of them).  A subword model's 2M n-gram rows: 0.3
    to 0.7 s at 2 threads, against 2.1 s in one.

    The range: word2vec.c draws from [-0.5/dim, 0.5/dim], gensim and fastText
    from [-1/dim, 1/dim].  Wider starts gave better vectors, measured wvtool
    against itself seed by seed (text8-head, 2 threads, analogy points, mean
    difference from [-1/dim, 1/dim] over 16 seeds): half the range -0.30 for
    skip-gram; twice +0.31 (skip-gram) and +0.37 (CBOW); 4 times +0.67 and
    +0.95; 8 times (6 seeds) +0.72 and +1.38, but CBOW's SimLex-999 fell by
    0.010.  4 times also gained on the sample corpus (+0.8 for both, 3 seeds),
    on wiki-text8like (+0.3 to +0.5 for skip-gram over 8 seeds, +0.55 for CBOW
    over 3) and for subword skip-gram and CBOW (+1.7 and +2.0 on text8-head, 3
    seeds), whose n-gram rows start in the same range.
    """
    start = np.random.default_rng(seed).bit_generator.state
    rows = w_in.shape[0]

    def draw(s: int) -> None:
        e = min(rows, s + INIT_ROWS)
        gen = np.random.PCG64()
        gen.state = start
        gen.advance(s * dim // 2)
        block = np.random.Generator(gen).random((e - s, dim), dtype=np.float32)
        np.multiply(block, np.float32(2.0 * INIT_WIDTH), out=block)
        np.subtract(block, np.float32(INIT_WIDTH), out=block)
        np.divide(block, np.float32(dim), out=w_in[s:e, :dim])

    if threads > 1 and rows > INIT_ROWS:  # NumPy's generator and arithmetic let go of the GIL
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(draw, range(0, rows, INIT_ROWS)))
    else:
        for s in range(0, rows, INIT_ROWS):
            draw(s)
    if init is None:
        return 0
    have, rows = init_rows(words, init)
    w_in[have, :dim] = (init.vectors if source is None else source)[rows]
    return int(have.size)


def warn_other_model(config: TrainConfig, init: Vectors | None) -> None:
    """Say so when training goes on from the output rows of a model trained as the other one (CBOW or skip-gram):
    allowed (both models score a word's output row against an input vector), but rarely what was meant."""
    if init is None or init.output_rows is None:
        return
    trained = FASTTEXT_MODELS.get((init.training or {}).get("model"))
    if trained in MODELS and trained != config.model:
        warnings.warn(
            f"the {{init}} model was trained as {trained} and goes on as {config.model}, from its output rows; "
            f"pass {{model='{trained}'}} to go on as it was trained", WvtoolWarning, stacklevel=3,
        )


def resolve_dim(config: TrainConfig, init: Vectors | None = None) -> int:
    """The dimension to train: ``config.dim``, else the ``init`` table's, else 100; ConfigError if they conflict."""
    if init is not None:
        if config.dim is None:
            return init.dim
        if config.dim != init.dim:
            raise ConfigError(
                f"{{dim={config.dim}}} does not match the {{init}} table's dimension {init.dim}; "
                f"leave out {{dim}} or use {{dim={init.dim}}}"
            )
    return 100 if config.dim is None else config.dim


# --- training ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainStats:
    """What a training run did; the table :func:`train` returns carries it as ``vectors.stats``."""

    config: TrainConfig
    vocab_size: int
    distinct_words: int
    raw_tokens: int
    corpus_tokens: int
    sentences: int
    words_trained: int
    epochs: int
    threads: int
    dim: int
    from_init: int
    model: str
    neg_share: int
    read_seconds: float
    train_seconds: float
    #: the mean loss of each epoch: per training example (a (centre, context) pair for
    #: skip-gram, a centre word for CBOW), ``-log sigmoid`` of the positive's score plus
    #: ``-log sigmoid(-score)`` of each negative's
    epoch_loss: tuple[float, ...] = ()
    #: a subword model's n-gram settings (minn, maxn, bucket), else None
    subwords: dict | None = None
    #: seconds spent compiling the kernels before training (their first use after installing wvtool), or loading
    #: them from Numba's cache (a fraction of a second); not part of ``train_seconds``
    compile_seconds: float = 0.0
    #: of the ``from_init`` words, how many started from the ``init`` model's output rows too (0 when it has none)
    output_from_init: int = 0
    #: words of ``init`` the corpus lacks, kept after the corpus's words (``keep_init_words``); not in ``vocab_size``
    kept_from_init: int = 0

    @property
    def words_per_second(self) -> float:
        return self.corpus_tokens * self.epochs / self.train_seconds if self.train_seconds > 0 else 0.0

    def as_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["words_per_second"] = self.words_per_second
        return d


def physical_memory() -> int | None:
    """The machine's memory in bytes (None where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def check_memory(rows: int, dim: int, lower: str) -> None:
    """ConfigError if float32 tables of ``rows`` rows of ``dim`` (padded) columns need more than the machine's
    memory: training would fail or thrash after the corpus was read.  ``lower``: the settings to lower."""
    need = rows * _padded(dim) * 4
    have = physical_memory()
    if have and need > have:
        raise ConfigError(f"training needs {need / 2**30:,.1f} GiB for its tables ({rows:,} rows of {dim} floats), "
                          f"more than this machine's {have / 2**30:,.1f} GiB of memory; lower {lower}")


def _check_read_with(corpus: Corpus, given: dict) -> None:
    """ConfigError for a reading setting given to :func:`train` with a corpus already read with another value:
    it would be silently ignored (the same value, as a script passing one set of settings does, is fine)."""
    read_with = dict(corpus.read_with)
    differ = [name for name in READING_SETTINGS if name in given and (name not in read_with or given[name] != read_with[name])]
    if differ:
        said = ", ".join(f"{{{name}={given[name]!r}}}" for name in differ)
        was = ", ".join(f"{name}={read_with[name]!r}" for name in differ if name in read_with) or "other settings"
        raise ConfigError(f"{said}: this corpus is already read (with {was}), and reading settings act while reading; "
                          "read it again with read_corpus, or give train the files or sentences")


def _init_table(init) -> Vectors | None:
    """``train``'s ``init``: a table as it is, a path read as a vector file; ConfigError for anything else."""
    if init is None or isinstance(init, Vectors):
        return init
    if isinstance(init, (str, os.PathLike)):
        from . import formats

        return formats.load(init)
    raise ConfigError(f"{{init}} must be a table (wvtool.load(path)) or the path of a vector file, "
                      f"not {type(init).__name__}")


def train(
    corpus,
    config: TrainConfig | None = None,
    *,
    init: Vectors | str | os.PathLike | None = None,
    progress: Progress | None = None,
    **settings_,
) -> Vectors:
    """Train skip-gram or CBOW negative-sampling vectors; return the table in frequency order.

    ``corpus``: one or more text files (``.gz`` read transparently, ``"-"`` for
    standard input; a directory stands for the files below it, a pattern such as ``"data/*.txt"`` for
    the files it matches), one sentence per line; or sentences in memory, any iterable
    of token lists (used as given) or of strings (tokenized like a file's lines),
    read once in blocks; or a :class:`~wvtool.corpus.Corpus` already read.  A
    list or tuple of strings names files: pass ``iter(lines)`` to train on
    sentences held as strings (see :func:`wvtool.corpus.corpus_source`).  Settings come from ``config`` and keyword arguments (see
    :class:`TrainConfig`).  ``init``: a table to start from (or the path of a vector file, read with
    :func:`wvtool.load`): corpus words found
    in it start from its vectors, the others start random; the vocabulary is the
    corpus's (words of ``init`` absent from the corpus are not in the result, unless
    ``keep_init_words``: then they follow the corpus's words, with their vectors and
    output rows as they were and a count of 0);
    output weights start at zero, or, when ``init`` carries a model's output rows (a fastText ``.bin`` model, or a
    table this function returned), from those of the words it has.  The result carries its output rows.

    ``progress(done, total, info)`` is called a few times a second: first while
    the corpus is read (``info["stage"] == "read"``, ``done`` counts bytes), then, if a
    compiled kernel takes more than half a second to be ready (Numba compiles it on a
    first run), once with ``info["stage"] == "compile"``, ``done`` 0 and ``total`` None; then
    while training (``info["stage"] == "train"``, words, with ``epoch``,
    ``epochs``, ``alpha`` and ``loss``, the mean loss of the epoch so far).
    A ``progress`` that is not callable is a ConfigError before any work.  The returned table's ``stats`` is a
    :class:`TrainStats` (timings, sizes, the settings used).
    """
    settings.callback("progress", progress)
    cfg = make_config(config, **settings_)
    if isinstance(corpus, Corpus):
        _check_read_with(corpus, settings_)
    init = _init_table(init)
    if cfg.keep_init_words and init is None:
        raise ConfigError("{keep_init_words=True} keeps the words of an {init} table; give {init} or leave it out")
    dim = resolve_dim(cfg, init)
    warn_other_model(cfg, init)
    progress = progress or no_progress
    if cfg.subwords:  # the n-gram table alone may be too large: say so before reading the corpus
        check_memory(cfg.ngram_settings[2], dim, "{bucket} or {dim}")
    t0 = time.perf_counter()
    if not isinstance(corpus, Corpus):
        corpus = read_corpus(
            corpus, min_count=cfg.min_count, max_vocab=cfg.max_vocab, tokens=cfg.tokens, lowercase=cfg.lowercase,
            token_pattern=cfg.token_pattern, skip_lines=cfg.skip_lines, workers=train_threads(cfg),
            progress=lambda done, total, info: progress(done, total, {**info, "stage": "read"}),
        )
    read_seconds = time.perf_counter() - t0
    n_words = len(corpus.words)
    if cfg.subwords:
        check_memory(n_words * 2 + cfg.ngram_settings[2], dim, "{bucket} or {dim}")
        from . import subword_training

        return subword_training.train_subwords(corpus, cfg, dim, init, progress, read_seconds)
    check_memory(n_words * 2, dim, "{max_vocab} or {dim}")
    threads = train_threads(cfg)
    hot, spare = hot_rows(cfg, n_words, corpus.n_tokens, threads)
    w_in, w_out, n_init, n_output = init_weights(corpus.words, dim, cfg.seed, init, spare, threads)
    t1 = time.perf_counter()
    run = _run_epochs(corpus, cfg, w_in, w_out, progress, hot=hot)
    stats = make_stats(corpus, cfg, dim, n_init, run, read_seconds, time.perf_counter() - t1, output_from_init=n_output)
    from .subword_training import training_record, unpad

    words, counts = corpus.words, corpus.counts
    vectors, output = unpad(w_in[:n_words], dim), unpad(w_out[:n_words], dim)
    check_trained(cfg, vectors, output)
    if cfg.keep_init_words:
        kept = KeptWords.of(corpus.words, init)
        words, counts, vectors, output = kept.join(words, counts, vectors, output, kept.vectors)
        stats = dataclasses.replace(stats, kept_from_init=len(kept.words))
    return Vectors(words, vectors, counts, stats=stats, output_rows=output, training=training_record(cfg, dim),
                   _owned=True)


class KeptWords(NamedTuple):
    """The words of an ``init`` table that the corpus lacks (``keep_init_words``), in the table's order: their
    vectors, output rows (zeros if it has none) and own rows (a subword model's, else their vectors)."""

    words: list[str]
    vectors: np.ndarray
    output: np.ndarray
    own: np.ndarray

    @staticmethod
    def of(corpus_words: Sequence[str], init: Vectors) -> KeptWords:
        have = set(corpus_words)
        words = [w for w in init.words if w not in have]
        rows = np.fromiter((init.index[w] for w in words), dtype=np.int64, count=len(words))
        vectors = init.vectors[rows]
        output = np.zeros_like(vectors) if init.output_rows is None else output_rows_of(init, rows)
        own = vectors if init.word_rows is None else init.word_rows[rows]
        return KeptWords(words, vectors, output, own)

    def join(self, words, counts, vectors, output, kept_vectors):
        """(words, counts, vectors, output rows) of the trained table followed by these words (count 0), whose
        vectors are ``kept_vectors``."""
        return ([*words, *self.words], np.concatenate((counts, np.zeros(len(self.words), dtype=np.int64))),
                np.concatenate((vectors, kept_vectors)), np.concatenate((output, self.output)))


class EpochsRun(NamedTuple):
    """What :func:`_run_epochs` did: threads used, words trained, the negative share, each epoch's mean loss, the
    compile time and the examples trained."""

    threads: int
    words_trained: int
    share: int
    epoch_loss: tuple[float, ...]
    compile_seconds: float = 0.0
    #: training examples over every epoch (pairs for skip-gram, centre words for CBOW)
    examples: int = 0


def make_stats(corpus: Corpus, cfg: TrainConfig, dim: int, n_init: int, run: EpochsRun, read_seconds: float,
               train_seconds: float, subwords: dict | None = None, output_from_init: int = 0,
               depth: int = 1) -> TrainStats:
    """The :class:`TrainStats` of a finished run; its ``config`` holds every setting as used where ``cfg`` left it
    to a default (None): the dimension, learning rate, threads, negative share and n-gram settings.  Warns when
    nothing was trained (the table is its random start), at the caller ``depth`` calls above :func:`train`'s."""
    if run.examples == 0:
        if cfg.sample > 0:
            why = (f"after subsampling ({{sample={cfg.sample}}}) no sentence kept two words of the vocabulary",
                   "give more text, or turn subsampling down ({sample=0} turns it off)")
        else:
            why = ("no sentence (line) holds two words of the vocabulary", "give lines of several words, or lower "
                   "{min_count} so that more of their words are in the vocabulary")
        warnings.warn(f"nothing was trained: {why[0]}, so the vectors are their random start; {why[1]}", WvtoolWarning,
                      stacklevel=2 + depth)
    used = {"dim": dim, "alpha": cfg.learning_rate, "threads": run.threads, "neg_share": run.share}
    if subwords is not None:
        used.update(minn=subwords["minn"], maxn=subwords["maxn"], bucket=subwords["bucket"])
    return TrainStats(
        config=dataclasses.replace(cfg, **used), vocab_size=len(corpus.words), distinct_words=corpus.distinct, raw_tokens=corpus.raw_tokens,
        corpus_tokens=corpus.n_tokens, sentences=corpus.n_sentences, words_trained=run.words_trained,
        epochs=cfg.epochs, threads=run.threads, dim=dim, from_init=n_init, model=cfg.model, neg_share=run.share,
        read_seconds=read_seconds, train_seconds=train_seconds - run.compile_seconds, epoch_loss=run.epoch_loss,
        subwords=subwords, compile_seconds=run.compile_seconds, output_from_init=output_from_init,
    )


def _run_epochs(corpus: Corpus, cfg: TrainConfig, w_in, w_out, progress: Progress, rows=None, hot=0) -> EpochsRun:
    """Run the compiled kernel over every epoch and chunk (``hot``: see :func:`hot_rows`)."""
    import numba

    from . import kernels  # numba is imported only when training

    threads = train_threads(cfg)
    numba.set_num_threads(threads)

    bounds = split_sentences(corpus.bounds)
    chunks = make_chunks(bounds)
    n_chunks = chunks.size - 1
    counts = corpus.counts
    keep = keep_thresholds(counts, cfg.sample)
    distribution = negative_distribution(counts)
    compile_seconds = compile_kernel(kernels.build_alias, (distribution,), progress)
    accept, alias = kernels.build_alias(distribution)
    sig_table = kernels.sigmoid_table(SIG_TABLE, SIG_MAX)
    kernel, model_args, share = _kernel(kernels, cfg, corpus.n_tokens, rows, hot)
    alpha0 = cfg.learning_rate
    tables = (keep, accept, alias, sig_table, SIG_MAX, cfg.window, cfg.negative, *model_args)

    n_tok = corpus.n_tokens
    total = n_tok * cfg.epochs
    chunk_tok = np.diff(bounds[chunks])  # tokens per chunk
    chunk_end = np.cumsum(chunk_tok)
    # chunks per kernel call: 400k tokens at first, then as many as train in about CALL_SECONDS at the speed
    # measured (at least 4 per thread); which call trains a chunk changes nothing in the result
    per_call = max(4 * threads, int(400_000 // CHUNK_TOKENS))
    trained = np.zeros(n_chunks, dtype=np.int64)
    loss = np.zeros((n_chunks, 2), dtype=np.float64)  # per chunk: summed loss, examples
    words_trained = 0
    examples = 0
    epoch_loss = []
    untrained = (cfg.negative + 1) * np.log(2.0)  # each example's loss with zero output rows: every score 0, ln 2 a term
    first = min(n_chunks, per_call)
    compile_seconds += compile_kernel(kernel, (
        w_in, w_out, corpus.tokens, bounds, chunks, 0, first, np.zeros(first, np.float32), np.zeros(first, np.uint64),
        *tables, trained[:first], loss[:first]), progress)
    progress(0, total, {"stage": "train", "epoch": 1, "epochs": cfg.epochs, "alpha": alpha0})
    for epoch in range(cfg.epochs):
        loss[:] = 0.0
        c0 = 0
        while c0 < n_chunks:
            c1 = min(n_chunks, c0 + per_call)
            started = time.perf_counter()
            done_before = epoch * n_tok + (chunk_end[c0 - 1] if c0 else 0)
            frac = (done_before + np.concatenate([[0], chunk_end[c0 : c1 - 1] - (chunk_end[c0 - 1] if c0 else 0)])) / total
            alphas = np.maximum(alpha0 - (alpha0 - cfg.min_alpha) * frac, cfg.min_alpha).astype(np.float32)
            seeds = np.array([_seed_for(cfg.seed, epoch, c) for c in range(c0, c1)], dtype=np.uint64)
            out = trained[c0:c1]
            # chunks are handed out one at a time (a thread slowed by another process does not hold up the call)
            with numba.parallel_chunksize(1):
                kernel(
                    w_in, w_out, corpus.tokens, bounds, chunks, c0, c1, alphas, seeds, *tables, out, loss[c0:c1],
                )
            took = time.perf_counter() - started
            per_call = max(4 * threads, int((c1 - c0) * CALL_SECONDS / max(took, 1e-6)))
            c0 = c1
            words_trained += int(out.sum())
            done = int(epoch * n_tok + chunk_end[c1 - 1])
            info = {"stage": "train", "epoch": epoch + 1, "epochs": cfg.epochs, "alpha": float(alphas[-1]),
                    "loss": _mean_loss(loss[:c1])}
            progress(done, total, info)
        epoch_loss.append(_mean_loss(loss))
        if not epoch_loss[-1] <= untrained * DIVERGED_LOSS:  # also NaN: no use going on, later updates read broken rows
            raise diverged(cfg, f"in epoch {epoch + 1} of {cfg.epochs} its mean loss became {epoch_loss[-1]:.4g}, not "
                                f"under {DIVERGED_LOSS} times the {untrained:.2f} of an untrained model")
        examples += int(loss[:, 1].sum())
    return EpochsRun(threads, words_trained, share, tuple(epoch_loss), compile_seconds, examples)


def diverged(cfg: TrainConfig, what: str) -> TrainingError:
    """The error for a run whose loss or vectors became NaN or infinite (``what`` says where it showed)."""
    return TrainingError(f"training diverged: {what}, so nothing is kept; train again with a lower {{alpha}} (it was "
                         f"{cfg.learning_rate:g}; word2vec uses 0.025 for skip-gram and 0.05 for CBOW), or from an "
                         "{init} table of ordinary values if it started from one of very large values")


def check_trained(cfg: TrainConfig, *tables: np.ndarray) -> None:
    """TrainingError if a trained table holds a NaN or an infinity (the loss can stay finite while a row that no
    example scored since it broke does not)."""
    if not all(all_finite(t) for t in tables):
        raise diverged(cfg, "a trained vector holds a NaN or an infinite value")


def compile_kernel(kernel, args: tuple, progress: Progress) -> float:
    """Have ``kernel``'s machine code for arguments like ``args`` ready; return the seconds it took.

    Numba compiles a kernel the first time it is used (about half a minute for a training kernel) and keeps the
    result in its cache, so later runs load it in a fraction of a second, and later calls in the same process
    take no time at all.  Doing this before training keeps it out of the training time and its words/s.  When it
    takes longer than loading would, ``progress`` reports the stage ``"compile"`` while it lasts.
    """
    import numba

    sig = tuple(numba.typeof(a) for a in args)
    if sig in kernel.overloads:
        return 0.0
    started = time.perf_counter()
    done = threading.Event()
    failed: list[BaseException] = []

    def run() -> None:
        try:
            kernel.compile(sig)
        except BaseException as e:  # re-raised in the caller's thread
            failed.append(e)
        finally:
            done.set()

    # a daemon thread: Ctrl-C stops the command at once instead of after the compile
    threading.Thread(target=run, name="wvtool-compile", daemon=True).start()
    if not done.wait(COMPILE_NOTICE):
        progress(0, None, {"stage": "compile"})
        done.wait()
    if failed:
        raise failed[0]
    return time.perf_counter() - started


def _mean_loss(loss: np.ndarray) -> float:
    """The mean loss per example of per-chunk (summed loss, examples) rows (0 if there were none)."""
    examples = loss[:, 1].sum()
    return float(loss[:, 0].sum() / examples) if examples else 0.0
