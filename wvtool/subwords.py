"""fastText's character n-grams, their hash, and the n-gram part of a subword table.

A word ``w`` is wrapped as ``<w>`` and encoded (UTF-8 by default); its n-grams
are the runs of ``minn`` to ``maxn`` *characters* of that byte string, where a
character is a byte that is not a UTF-8 continuation byte (``0b10xxxxxx``)
plus the continuation bytes that follow it, exactly as fastText's
``Dictionary::computeSubwords`` walks the bytes.  So:

- n-grams are listed by start position, then by length (fastText's order);
- the whole word ``<w>`` is one of them when it has at most ``maxn`` characters;
- the single characters ``<`` and ``>`` are never n-grams (when ``minn`` is 1);
- ``maxn=0`` (or ``bucket=0``) means no n-grams at all;
- fastText's end-of-sentence token ``</s>`` has no n-grams.

An n-gram's row is ``ngram_hash(bytes) % bucket``, where :func:`ngram_hash` is
32-bit FNV-1a over the bytes *with each byte sign-extended* (fastText XORs
``uint32_t(int8_t(byte))``, so bytes above 127 XOR as ``0xFFFFFF80 | byte``).
gensim reproduces this in ``gensim.models.fasttext_inner.ft_hash_bytes``.

:class:`Subwords` holds what a subword table adds to a :class:`~wvtool.vectors.Vectors`:
the settings and the (bucket x dim) n-gram matrix, and composes the vector of
a word the vocabulary lacks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from . import settings
from .arrays import first_non_finite, given_array
from .errors import ConfigError

BOW = "<"
EOW = ">"
#: fastText's end-of-sentence token: in a fastText vocabulary, but it has no n-grams
EOS = "</s>"
#: fastText's model codes (its args block; a table's ``training["model"]``)
FASTTEXT_MODELS = {1: "cbow", 2: "skipgram", 3: "supervised"}
#: a training record's whole-number settings (fastText's int32 args) and its real-valued ones
TRAINING_INTS = ("dim", "ws", "epoch", "min_count", "neg", "word_ngrams", "loss", "model", "bucket", "minn", "maxn",
                 "lr_update_rate")
TRAINING_REALS = ("t", "lr")
FNV_OFFSET = 2166136261
FNV_PRIME = 16777619
_WORDS_PER_BLOCK = 1 << 15  # words composed at a time by compose_words

_MASK32 = 0xFFFFFFFF
# byte -> the uint32 fastText XORs into the hash: uint32_t(int8_t(byte))
_SIGN_EXTENDED = (np.arange(256, dtype=np.int64) - 256 * (np.arange(256) >= 128)) & _MASK32
_SIGN_EXTENDED = _SIGN_EXTENDED.astype(np.uint32)


def ngram_hash(data: bytes) -> int:
    """fastText's hash of a byte string: 32-bit FNV-1a over sign-extended bytes (an int in [0, 2**32))."""
    h = FNV_OFFSET
    for b in data:
        h = ((h ^ int(_SIGN_EXTENDED[b])) * FNV_PRIME) & _MASK32
    return h


def _wrapped(word: str, encoding: str) -> bytes:
    """``<word>`` encoded; empty if the encoding cannot represent the word (it then has no n-grams)."""
    try:
        return (BOW + word + EOW).encode(encoding)
    except UnicodeEncodeError:
        return b""


def ngram_bytes(word: str, minn: int, maxn: int, encoding: str = "utf-8") -> list[bytes]:
    """The character n-grams of ``<word>`` as byte strings, in fastText's order (see the module doc).

    A word ``encoding`` cannot represent (e.g. "日本" in a cp852 model) has none."""
    b = _wrapped(word, encoding)
    size = len(b)
    out = []
    for i in range(size):
        if b[i] & 0xC0 == 0x80:
            continue
        j, n = i, 1
        while j < size and n <= maxn:
            j += 1
            while j < size and b[j] & 0xC0 == 0x80:
                j += 1
            if n >= minn and not (n == 1 and (i == 0 or j == size)):
                out.append(b[i:j])
            n += 1
    return out


def char_ngrams(word: str, minn: int, maxn: int, encoding: str = "utf-8") -> list[str]:
    """:func:`ngram_bytes` decoded (invalid sequences replaced), for display."""
    return [g.decode(encoding, errors="replace") for g in ngram_bytes(word, minn, maxn, encoding)]


def word_buckets(word: str, minn: int, maxn: int, bucket: int, encoding: str = "utf-8") -> np.ndarray:
    """The bucket (n-gram matrix row) of each n-gram of ``word``, int64, fastText's order, duplicates kept."""
    if bucket == 0 or maxn == 0 or word == EOS:
        return np.zeros(0, dtype=np.int64)
    return np.array([ngram_hash(g) % bucket for g in ngram_bytes(word, minn, maxn, encoding)], dtype=np.int64)


def vocab_buckets(
    words: Sequence[str], minn: int, maxn: int, bucket: int, encoding: str = "utf-8", *, chunk: int = 1 << 16
) -> tuple[np.ndarray, np.ndarray]:
    """The n-gram buckets of every word at once (vectorised :func:`word_buckets`).

    Returns ``(offsets, buckets)``: int64 ``(len(words) + 1,)`` and int64
    ``(offsets[-1],)``; word ``i``'s buckets are ``buckets[offsets[i]:offsets[i + 1]]``.
    ``chunk`` words are processed at a time to bound memory.
    """
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    if bucket == 0 or maxn == 0 or not words:
        return offsets, np.zeros(0, dtype=np.int64)
    parts = []
    for s in range(0, len(words), chunk):
        counts, ids = _chunk_buckets(words[s : s + chunk], minn, maxn, bucket, encoding)
        offsets[s + 1 : s + 1 + len(counts)] = counts
        parts.append(ids)
    np.cumsum(offsets, out=offsets)
    return offsets, np.concatenate(parts)


def check_training(record) -> dict:
    """A training record (a table's ``training``) as a new dict; ValueError naming the first setting that is not
    what a fastText args block can hold (a 32-bit whole number, or a finite real for ``t`` and ``lr``)."""
    if not isinstance(record, dict):
        raise ValueError(f"the training settings are a {type(record).__name__}, not a dict")
    for key, value in record.items():
        if key in TRAINING_INTS and not (type(value) is int and -(2**31) <= value < 2**31):
            raise ValueError(f"the training setting {key}={value!r} is not a 32-bit whole number")
        if key in TRAINING_REALS and not (type(value) in (int, float) and math.isfinite(value)):
            raise ValueError(f"the training setting {key}={value!r} is not a finite number")
    return dict(record)


def given_training(record) -> dict:
    """:func:`check_training` raising ConfigError, for a record given in Python."""
    try:
        return check_training(record)
    except ValueError as e:
        raise ConfigError(f"{{training}}: {e}") from None


def subword_rows(
    words: Sequence[str], minn: int, maxn: int, bucket: int, encoding: str = "utf-8"
) -> tuple[np.ndarray, np.ndarray]:
    """Per word, the rows of fastText's input matrix that make its vector: its own row ``i``, then
    ``len(words) + b`` for each of its n-gram buckets ``b``.

    Returns ``(offsets, rows)`` like :func:`vocab_buckets` (int64), ready for a training kernel.
    """
    n = len(words)
    boffsets, buckets = vocab_buckets(words, minn, maxn, bucket, encoding)
    per_word = np.diff(boffsets) + 1
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(per_word, out=offsets[1:])
    rows = np.empty(offsets[-1], dtype=np.int64)
    rows[offsets[:-1]] = np.arange(n, dtype=np.int64)
    is_ngram = np.ones(len(rows), dtype=bool)
    is_ngram[offsets[:-1]] = False
    rows[is_ngram] = buckets + n
    return offsets, rows


def compose_words(words, own: np.ndarray, sw: Subwords) -> np.ndarray:
    """fastText's word vectors: per word, the mean of its own row (``own[i]``) and its n-gram rows.

    float32 ``(len(words), dim)``.  The n-gram rows are summed by a sparse
    (words x bucket) product, a block of words at a time to bound memory.
    """
    from scipy import sparse  # scikit-learn's dependency, imported here only (keeps `import wvtool` light)

    n, dim = own.shape
    out = np.empty((n, dim), dtype=np.float32)
    ngrams = sw.ngrams
    for s in range(0, n, _WORDS_PER_BLOCK):
        chunk = words[s : s + _WORDS_PER_BLOCK]
        offsets, ids = vocab_buckets(chunk, sw.minn, sw.maxn, sw.bucket, sw.encoding)
        counts = sparse.csr_matrix(
            (np.ones(len(ids), dtype=np.float32), ids, offsets), shape=(len(chunk), sw.bucket)
        )
        block = counts @ ngrams
        block += own[s : s + len(chunk)]
        block *= (np.float32(1.0) / (np.diff(offsets) + 1).astype(np.float32))[:, None]
        out[s : s + len(chunk)] = block
    return out


def _chunk_buckets(words, minn: int, maxn: int, bucket: int, encoding: str):
    """(n-gram count per word, buckets) for a few words; the vectorised core of :func:`vocab_buckets`."""
    encoded = [b"" if w == EOS else _wrapped(w, encoding) for w in words]
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    lens = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    word_end = np.cumsum(lens)
    starts = np.flatnonzero((buf & 0xC0) != 0x80)  # first byte of every character
    bounds = np.append(starts, len(buf))  # character k is bytes [bounds[k], bounds[k + 1])
    wid = np.searchsorted(word_end, starts, side="right")  # the word each character belongs to
    # cend[k]: index of the first character after character k's word
    cend = np.searchsorted(starts, word_end[wid], side="left")
    k = np.arange(len(starts), dtype=np.int64)
    first = np.ones(len(starts), dtype=bool)
    first[1:] = wid[1:] != wid[:-1]
    h = np.full(len(starts), FNV_OFFSET, dtype=np.uint32)
    last = len(starts) - 1
    prime = np.uint32(FNV_PRIME)
    lo = max(minn, 1)
    longest = int(np.bincount(wid).max()) if len(wid) else 0  # no n-gram is longer than the longest <word>
    maxn = min(maxn, longest)
    grid = np.zeros((len(starts), max(0, maxn - lo + 1)), dtype=np.int64)
    keep = np.zeros(grid.shape, dtype=bool)
    for n in range(1, maxn + 1):
        valid = k + n <= cend
        if not valid.any():
            break
        c = np.minimum(k + n - 1, last)  # the character added at this length
        cstart = bounds[c]
        clen = np.where(valid, bounds[c + 1] - cstart, 0)
        for d in range(int(clen.max())):
            mixed = (h ^ _SIGN_EXTENDED[buf[np.minimum(cstart + d, len(buf) - 1)]]) * prime
            h = np.where(d < clen, mixed, h) if d else np.where(valid, mixed, h)
        if n < lo:
            continue
        ok = valid
        if n == 1:
            ok = valid & ~first & (k + 1 != cend)
        grid[:, n - lo] = h % np.uint32(bucket)
        keep[:, n - lo] = ok
    counts = np.bincount(np.repeat(wid, keep.sum(axis=1)), minlength=len(words))
    return counts, grid[keep]


class Subwords:
    """The n-gram part of a subword table: fastText's settings and n-gram matrix.

    - ``minn``, ``maxn``, ``bucket``: n-gram lengths and the number of hash buckets.
    - ``ngrams``: read-only float32 C-contiguous ``(bucket, dim)`` matrix (may be memory-mapped).
    - ``encoding``: the encoding whose bytes are hashed (fastText hashes the raw bytes of its
      input; ``utf-8`` unless the model was trained on text in another encoding).
    - ``normalize``: composed vectors are scaled to unit length (a normalised table's subwords).
    - ``training``: the settings the model was trained with, as a dict (fastText's args block:
      ``ws``, ``epoch``, ``min_count``, ``neg``, ``loss``, ``model``, ``t``...), or None.

    A word's composed vector is the mean of its n-gram rows (duplicates counted
    as often as they occur), as fastText's ``getWordVector`` computes it for a word
    outside its dictionary.  Every n-gram hashes to some row, so "no known
    n-gram" is defined on the rows: a word is *composable* when at least one of
    its n-gram rows is not all zeros.  A word with no n-gram (the empty string
    with ``minn`` >= 3, any word when ``maxn=0``, ``</s>``) or only zero rows is
    not composable.  (fastText and gensim initialise every row randomly, so in
    their models every word with an n-gram is composable, as they behave.)
    """

    __slots__ = ("_minn", "_maxn", "_bucket", "_ngrams", "_encoding", "_normalize", "_training")

    def __init__(
        self,
        minn: int,
        maxn: int,
        bucket: int,
        ngrams,
        *,
        encoding: str = "utf-8",
        normalize: bool = False,
        training: dict | None = None,
        _owned: bool = False,
    ):
        """A matrix built by hand must hold real finite numbers (else ConfigError naming ``ngrams``) and is
        copied unless nothing can write to it; ``_owned`` (wvtool's readers and trainer only) takes it as it is."""
        check_settings(minn, maxn, bucket)
        settings.codec("encoding", encoding, " (the n-grams are hashed from the bytes of this text encoding)")
        ngrams = np.asarray(ngrams) if _owned else given_array("ngrams", ngrams, np.float32)
        if ngrams.ndim != 2 or ngrams.shape[0] != bucket:
            raise ConfigError(f"the n-gram matrix must have {{bucket={bucket}}} rows, got shape {ngrams.shape}")
        if ngrams.dtype != np.float32 or not ngrams.flags.c_contiguous:
            ngrams = np.ascontiguousarray(ngrams, dtype=np.float32)
        if not _owned and (bad := first_non_finite(ngrams)) is not None:
            row, c, value = bad
            raise ConfigError(f"{{ngrams}}: row {row} of the n-gram matrix holds {value} at column {c}; "
                              "give finite numbers")
        if ngrams.flags.writeable:
            ngrams.flags.writeable = False  # the read-only views handed out can never be made writeable
        self._minn, self._maxn, self._bucket = int(minn), int(maxn), int(bucket)
        self._ngrams = ngrams
        self._encoding = encoding
        self._normalize = bool(normalize)
        self._training = None if training is None else given_training(training)

    # the part is immutable, as a Vectors table is: its settings are read-only, ``training`` is handed out as a copy
    @property
    def minn(self) -> int:
        return self._minn

    @property
    def maxn(self) -> int:
        return self._maxn

    @property
    def bucket(self) -> int:
        return self._bucket

    @property
    def encoding(self) -> str:
        return self._encoding

    @property
    def normalize(self) -> bool:
        return self._normalize

    @property
    def training(self) -> dict | None:
        return None if self._training is None else dict(self._training)

    @property
    def ngrams(self) -> np.ndarray:
        v = self._ngrams.view()
        v.flags.writeable = False
        return v

    @property
    def dim(self) -> int:
        return int(self._ngrams.shape[1])

    def __repr__(self) -> str:
        return f"<Subwords minn={self.minn} maxn={self.maxn} bucket={self.bucket:,} dim={self.dim}>"

    def describe(self) -> dict:
        """The settings and the n-gram matrix's size, for display (``info``)."""
        return {
            "minn": self.minn,
            "maxn": self.maxn,
            "bucket": self.bucket,
            "ngram_matrix_shape": list(self._ngrams.shape),
            "ngram_matrix_bytes": int(self._ngrams.nbytes),
            "encoding": self.encoding,
            "normalize": self.normalize,
            "training": self.training,
        }

    def buckets(self, word: str) -> np.ndarray:
        """The n-gram rows of ``word`` (int64, fastText's order, duplicates kept)."""
        return word_buckets(word, self.minn, self.maxn, self.bucket, self.encoding)

    def composable(self, word: str) -> bool:
        """True if at least one n-gram row of ``word`` is not all zeros (see the class doc)."""
        ids = self.buckets(word)
        return bool(len(ids)) and bool(self._ngrams[ids].any())

    def compose(self, word: str) -> np.ndarray:
        """The composed vector of ``word``: float32 ``(dim,)``, a new array (zeros if it has no n-grams)."""
        ids = self.buckets(word)
        vec = np.zeros(self.dim, dtype=np.float32)
        if len(ids):
            vec = self._ngrams[ids].sum(axis=0, dtype=np.float32) * np.float32(1.0 / len(ids))
        if self.normalize:
            norm = np.linalg.norm(vec.astype(np.float64))  # float64: see wvtool.vectors.row_norms
            if norm > 0:
                vec = (vec / norm).astype(np.float32)
        return vec

    def compose_many(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`compose` and :meth:`composable` for many words at once (one sparse product).

        Returns ``(vectors, ok)``: float32 ``(m, dim)`` and bool ``(m,)``; a word that is not
        composable gets a zero row and ``ok`` False.
        """
        from scipy import sparse  # see compose_words

        offsets, ids = vocab_buckets(list(words), self.minn, self.maxn, self.bucket, self.encoding)
        m = len(offsets) - 1
        picks = sparse.csr_matrix((np.ones(len(ids), dtype=np.float32), ids, offsets), shape=(m, self.bucket))
        vecs = np.asarray(picks @ self._ngrams, dtype=np.float32).reshape(m, self.dim)
        mask = np.zeros(self.bucket, dtype=bool)
        mask[ids] = True
        used = np.flatnonzero(mask)  # only the rows these words use are checked for zeros
        live = np.zeros(self.bucket, dtype=np.float32)
        live[used[self._ngrams[used].any(axis=1)]] = 1.0
        ok = np.asarray(picks @ live).reshape(m) > 0
        k = np.diff(offsets)
        vecs *= np.where(k > 0, np.float32(1.0) / np.maximum(k, 1).astype(np.float32), 0)[:, None]
        vecs[~ok] = 0
        if self.normalize:
            norms = np.linalg.norm(vecs.astype(np.float64), axis=1, keepdims=True)
            np.divide(vecs, norms, out=vecs, where=norms > 0, casting="unsafe")
        return vecs, ok

    def with_normalize(self) -> Subwords:
        """The same n-gram part, composing unit-length vectors."""
        out = Subwords.__new__(Subwords)
        for name in Subwords.__slots__:
            setattr(out, name, getattr(self, name))
        out._normalize = True
        return out

    def equals(self, other) -> bool:
        """Same settings and bit-identical n-gram matrix."""
        return (
            isinstance(other, Subwords)
            and (self.minn, self.maxn, self.bucket, self.encoding, self.normalize)
            == (other.minn, other.maxn, other.bucket, other.encoding, other.normalize)
            and self._ngrams.shape == other._ngrams.shape
            and bool(np.array_equal(self._ngrams, other._ngrams))
        )


#: the largest minn, maxn or bucket: fastText stores them as 32-bit signed integers, and so does wvtool's native format
MAX_SETTING = 2**31 - 1


def check_settings(minn: int, maxn: int, bucket: int) -> None:
    """ConfigError unless each is a whole number from 0 to :data:`MAX_SETTING`, ``minn <= maxn`` (or ``maxn == 0``:
    no n-grams) and ``bucket >= 1`` when n-grams are on."""
    for name, value in (("minn", minn), ("maxn", maxn), ("bucket", bucket)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ConfigError(f"{{{name}={value!r}}} must be a whole number >= 0")
        if value > MAX_SETTING:
            raise ConfigError(f"{{{name}={value}}} is more than the {MAX_SETTING:,} a fastText model or native file "
                              "can hold")
    if maxn > 0 and minn > maxn:
        raise ConfigError(f"{{minn={minn}}} is greater than {{maxn={maxn}}}; n-grams run from minn to maxn")
    if maxn > 0 and bucket == 0:
        raise ConfigError(f"{{bucket=0}} leaves no rows for the n-grams of {{maxn={maxn}}}; use bucket >= 1 or maxn=0")
