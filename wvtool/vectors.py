"""The vector table: the one object every wvtool module passes around."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from .arrays import first_non_finite, given_array, short
from .errors import ConfigError, UnknownWordError
from .subwords import Subwords, given_training

#: a float32 norm below this may have lost its squares to underflow (|x| < ~1e-19 squares below float32's
#: smallest normal number); one that is infinite had a square or the sum overflow (|x| > ~1.8e19)
_NORM_TINY = 1e-18


def row_norms(v: np.ndarray) -> np.ndarray:
    """The L2 norm of each row of the float32 ``v``: summed in float32 (half float64's time, within an ulp or two),
    except the rows whose squares leave float32's range (a value above ~1e19 or all below ~1e-19, which float32
    would give an infinite or zero norm: a cosine of 0 with everything), summed again in float64.  float64 (n,)
    where such rows exist, else float32; NaN for a row with a NaN or an infinity."""
    norms = np.sqrt(np.einsum("ij,ij->i", v, v))
    odd = np.flatnonzero(~(norms >= _NORM_TINY) | np.isinf(norms))  # also NaN and zero rows (cheap: few)
    if len(odd) == 0:
        return norms
    norms = norms.astype(np.float64)
    rows = v[odd].astype(np.float64)
    norms[odd] = np.sqrt(np.einsum("ij,ij->i", rows, rows))
    return norms


def _readonly(a: np.ndarray) -> np.ndarray:
    v = a.view()
    v.flags.writeable = False
    return v


class Vectors:
    """Words and their vectors: ``words[i]`` has vector ``vectors[i]``.

    - ``words``: tuple of str, unique.
    - ``index``: read-only mapping word -> row.
    - ``vectors``: read-only float32 C-contiguous (n, dim) array (may be memory-mapped).
    - ``counts``: read-only int64 (n,) array of corpus frequencies, or None.
    - ``unit``: the rows scaled to unit length (zero rows stay zero); computed
      on first use and cached.
    - ``stats``: for a table :func:`wvtool.train` made, its training statistics
      and settings (``TrainStats``); otherwise None.

    The table is immutable: accessors hand out read-only views, ``source`` and
    ``stats`` cannot be reassigned, and the constructor copies the arrays it is
    given unless nothing can write to them (a read-only memory map, another
    table's ``vectors``), so a caller can never change a table another caller
    holds.  Build a new one instead.

    **Subword tables** (fastText models) carry two more parts:

    - ``subwords``: a :class:`~wvtool.subwords.Subwords` (minn, maxn, bucket and the
      ``(bucket, dim)`` n-gram matrix) that composes a vector for a word outside the
      vocabulary, or None for a word-only table;
    - ``word_rows``: the words' own rows of fastText's input matrix, ``(n, dim)``, or None.

    A table that comes from training (:func:`wvtool.train`, or a fastText model
    file) may also carry ``output_rows``: the words' rows of the model's output
    matrix (the negative-sampling weights), ``(n, dim)``, or None.  They take
    no part in queries; a fastText model file keeps them, and training with the
    table as ``init`` goes on from them instead of starting its output rows at zero.
    Such a table also knows how it was trained: ``training``, the settings by
    fastText's names (``model`` 1 for CBOW and 2 for skip-gram, ``dim``, ``ws``,
    ``epoch``, ``neg``, ``min_count``, ``t``...; a subword table's are its
    ``subwords.training``), or None.

    ``vectors`` then holds the words' *composed* vectors (the mean of a word's own
    row and its n-gram rows), as fastText's ``.vec`` files and ``get_word_vector``
    give them; every word-level operation (queries, writing a ``.vec``/``.txt``/
    word2vec ``.bin`` file) uses these.  Looking a word up:

    - ``kv[word]``, ``get_index``, ``in``, ``indices``: the vocabulary only; an unknown word
      raises :class:`~wvtool.errors.UnknownWordError` with suggestions;
    - ``kv.vector(word)`` / ``kv.lookup(words)``: a vocabulary word's vector, or for a
      subword table the vector composed from the word's n-grams (fastText's
      ``get_word_vector``); :meth:`is_composed` tells which.  A word with no known
      n-gram (see :class:`~wvtool.subwords.Subwords`) raises UnknownWordError.
    """

    __slots__ = (
        "_words", "_index", "_vectors", "_counts", "_unit", "_inv_norms", "_verify", "_source", "_stats",
        "_subwords", "_word_rows", "_output_rows", "_training",
    )

    def __init__(
        self,
        words: Sequence[str],
        vectors,
        counts=None,
        *,
        source: str | None = None,
        check_unique: bool = True,
        stats=None,
        verify=None,
        subwords: Subwords | None = None,
        word_rows=None,
        output_rows=None,
        training: dict | None = None,
        _owned: bool = False,
    ):
        """Build a table.  ``check_unique=False`` defers building the word index
        to the first lookup; use it only when the words are already known to be
        unique (e.g. a native file, validated when it was written) to make
        loading large tables fast.  Duplicates are still caught, at that lookup.
        ``verify(words, vectors, norms)``, if given, is called once before the rows
        are first used (``norms`` is the rows' norms when they were just computed,
        else None) and raises if the data is bad: a memory-mapped file is then
        checked without reading it at load time.

        ``subwords`` and ``word_rows`` make a subword table (see the class doc);
        ``vectors`` must then be the composed vectors (not checked).  ``output_rows``:
        the model's output rows of the words, ``(n, dim)``, and ``training`` its settings (see the class doc;
        a subword table's default to its ``subwords.training``).

        Everything given is checked here, once: the words must be str, the vectors
        (and ``word_rows``, ``output_rows``) real finite numbers, the counts whole
        numbers >= 0; anything else raises ConfigError naming the parameter (and the
        first bad word).  The arrays are copied unless nothing can write to them.
        ``_owned`` is for wvtool's own readers and trainer only: their arrays are
        taken as they are (no copy, no pass over the values), having been checked
        as they were read, or by ``verify`` at first use."""
        words = tuple(words) if _owned else tuple(word_list(words))
        vectors = np.asarray(vectors) if _owned else given_array("vectors", vectors, np.float32)
        if vectors.ndim != 2:
            raise ConfigError(f"{{vectors}} must be a 2-D array (words x dimensions), got shape {vectors.shape}")
        if vectors.shape[0] != len(words):
            raise ConfigError(f"{len(words)} words but {vectors.shape[0]} vector rows; they must match")
        if vectors.shape[1] == 0 and len(words):  # no file format can hold it: each reads a dimension of 0 as damage
            raise ConfigError("{vectors} has 0 dimensions; a word's vector needs at least one value")
        if vectors.dtype != np.float32 or not vectors.flags.c_contiguous:
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if not _owned:
            _check_finite("vectors", vectors, words)
        if counts is not None:
            counts = np.asarray(counts, dtype=np.int64) if _owned else _given_counts(counts, words)
            if counts.shape != (len(words),):
                raise ConfigError(f"{{counts}} must have one entry per word ({len(words)}), got shape {counts.shape}")
        self._words = words
        self._index: dict[str, int] | None = None
        self._vectors = vectors
        self._counts = counts
        self._unit: np.ndarray | None = None
        self._inv_norms: np.ndarray | None = None
        self._verify = verify
        checked = None if _owned else words
        self._subwords, self._word_rows = _check_subwords(subwords, word_rows, vectors.shape, checked)
        self._output_rows = _check_rows("output_rows", output_rows, vectors.shape, checked)
        if training is None and subwords is not None:
            training = subwords.training
        self._training = None if training is None else given_training(training)
        self._source = source
        self._stats = stats
        for a in (self._vectors, self._counts, self._word_rows, self._output_rows):
            if a is not None and a.flags.writeable:
                a.flags.writeable = False  # a view handed out can then never be made writeable again
        if check_unique:
            self._word_index()

    def _rows(self, norms=None) -> np.ndarray:
        """The row data, once the deferred ``verify`` check (if any) has passed."""
        if self._verify is not None:
            self._verify(self._words, self._vectors, norms)
            self._verify = None
        return self._vectors

    def _word_index(self) -> dict[str, int]:
        """The word -> row dict, built on first use; raises ConfigError on a duplicate word."""
        if self._index is None:
            words = self._words
            index = dict(zip(words, range(len(words)), strict=True))
            if len(index) != len(words):
                seen: set[str] = set()
                dup = next(w for w in words if w in seen or seen.add(w))
                where = f"{self.source}: " if self.source else ""
                raise ConfigError(f"{where}duplicate word {dup!r}; every word must appear once")
            self._index = index
        return self._index

    # --- basic container protocol -------------------------------------------------
    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and word in self._word_index()

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __getitem__(self, word: str) -> np.ndarray:
        """The (read-only) vector of ``word`` (a str); raises UnknownWordError with suggestions.

        Only words are keys: for rows by number or a slice use ``kv.vectors[...]``, for several words
        :meth:`lookup` or :meth:`indices`; anything but a str raises ConfigError saying so."""
        row = self._vectors[self.get_index(word)]
        if self._verify is not None and not np.isfinite(row).all():
            self._rows()  # a deferred check is pending and this row fails it: raise, naming the row
        return _readonly(row)

    def __repr__(self) -> str:
        src = f", source={self.source!r}" if self.source else ""
        sw = self._subwords
        sub = f", subwords minn={sw.minn} maxn={sw.maxn} bucket={sw.bucket:,}" if sw is not None else ""
        return f"<Vectors {len(self):,} words x {self.dim} dims{sub}{src}>"

    # --- accessors ----------------------------------------------------------------
    @property
    def source(self) -> str | None:
        """Where the table came from (a file path), for messages; None if built in memory."""
        return self._source

    @property
    def stats(self):
        """How the table was trained (a ``wvtool.trainer.TrainStats``), or None."""
        return self._stats

    @property
    def words(self) -> tuple[str, ...]:
        return self._words

    @property
    def index(self) -> Mapping[str, int]:
        return MappingProxyType(self._word_index())

    @property
    def vectors(self) -> np.ndarray:
        return _readonly(self._rows())

    @property
    def counts(self) -> np.ndarray | None:
        return None if self._counts is None else _readonly(self._counts)

    @property
    def dim(self) -> int:
        return int(self._vectors.shape[1])

    @property
    def subwords(self) -> Subwords | None:
        """The n-gram part of a subword table, or None."""
        return self._subwords

    @property
    def word_rows(self) -> np.ndarray | None:
        """A subword table's words' own input rows, read-only float32 (n, dim), or None."""
        return None if self._word_rows is None else _readonly(self._word_rows)

    @property
    def training(self) -> dict | None:
        """The settings the table's model was trained with (fastText's names; a copy), or None."""
        return None if self._training is None else dict(self._training)

    @property
    def output_rows(self) -> np.ndarray | None:
        """The words' rows of the model's output matrix, read-only float32 (n, dim), or None."""
        return None if self._output_rows is None else _readonly(self._output_rows)

    # --- words in or out of the vocabulary -------------------------------------------
    def is_composed(self, word: str) -> bool:
        """True if ``word`` is outside the vocabulary but its vector can be composed from n-grams."""
        check_word(word)
        return self._subwords is not None and word not in self and self._subwords.composable(word)

    def has_vector(self, word: str) -> bool:
        """True if :meth:`vector` gives ``word`` a vector (in the vocabulary, or composable)."""
        return word in self or self.is_composed(word)

    def vector(self, word: str) -> np.ndarray:
        """The vector of ``word``: its row if in the vocabulary (read-only), else for a subword table
        the vector composed from its n-grams (a new array); UnknownWordError (with suggestions) otherwise."""
        i = self._word_index().get(check_word(word))
        if i is not None:
            return _readonly(self._rows()[i])
        sw = self._subwords
        if sw is None or not sw.composable(word):
            raise UnknownWordError(word, self.suggest(word), len(self))
        return sw.compose(word)

    def lookup(self, words: Iterable[str], *, missing: str = "raise") -> Lookup:
        """Vectors of several words, composing those outside the vocabulary (see :meth:`vector`).

        Returns a :class:`Lookup` ``(vectors, composed, missing)``: float32 (m, dim), a new
        array; bool (m,) marking the composed words; bool (m,) marking the words with no
        vector, whose rows are zero.  ``missing="raise"`` (the default) raises
        UnknownWordError (with suggestions) for the first such word instead; ``missing="zero"``
        keeps going.  Out-of-vocabulary words are composed together (one sparse product).
        ``words`` must be a sequence of str: a bare str raises ConfigError (pass ``[word]``, or use :meth:`vector`).
        """
        if missing not in ("raise", "zero"):
            raise ConfigError(f"{{missing={missing!r}}} must be 'raise' or 'zero'")
        words = word_list(words)
        index = self._word_index()
        rows = np.fromiter((index.get(w, -1) for w in words), dtype=np.int64, count=len(words))
        out = np.zeros((len(words), self.dim), dtype=np.float32)
        known = rows >= 0
        out[known] = self._rows()[rows[known]]
        composed = np.zeros(len(words), dtype=bool)
        unseen = np.flatnonzero(~known)
        if len(unseen) and self._subwords is not None:
            vecs, ok = self._subwords.compose_many([words[j] for j in unseen])
            out[unseen] = vecs
            composed[unseen] = ok
        absent = ~known & ~composed
        if missing == "raise" and absent.any():
            w = words[int(np.argmax(absent))]
            raise UnknownWordError(w, self.suggest(w), len(self))
        return Lookup(out, composed, absent)

    @property
    def unit(self) -> np.ndarray:
        """Unit-length rows, float32 (n, dim); zero vectors stay zero.  Cached.

        This is a full in-memory copy of the table: for a few rows use
        :meth:`unit_rows`, and for scoring a query against every row :meth:`cosines`.
        """
        if self._unit is None:
            inv = self._inverse_norms()
            unit = np.empty(self._vectors.shape, dtype=np.float32)
            np.multiply(self._vectors, inv[:, None], out=unit)
            self._unit = unit
        return _readonly(self._unit)

    def _inverse_norms(self) -> np.ndarray:
        """float32 (n,): 1 / the L2 norm of each row (0 for a zero row).  Cached; one pass over the table."""
        if self._inv_norms is None:
            v = self._vectors
            # float32 sums, as gensim's norms: half the time of float64, differences ~1 ulp
            norms = row_norms(v)
            self._rows(norms)  # finite norms prove finite rows: the deferred check then costs no second pass
            inv = np.zeros(norms.shape, dtype=np.float32)
            np.divide(1.0, norms, out=inv, where=norms > 0, casting="unsafe")
            self._inv_norms = inv
        return self._inv_norms

    def unit_rows(self, rows) -> np.ndarray:
        """Unit-length copies of the given rows (an index array), float32 (len(rows), dim)."""
        rows = np.asarray(rows, dtype=np.int64)
        if self._unit is not None:
            return self._unit[rows]
        return self._vectors[rows] * self._inverse_norms()[rows, None]

    def cosines(self, queries, n: int | None = None) -> np.ndarray:
        """Cosine similarity of query vectors with the first ``n`` rows (all by default).

        ``queries``: one vector (dim,) or several (m, dim); each is normalised here.
        Returns float32 (n,) or (n, m), a new array.  Uses the cached unit rows if
        they exist; otherwise the raw rows and the cached norms, in one pass over
        the table and without an n x dim copy, so a single query on a large
        (possibly memory-mapped) table stays cheap.
        """
        q = np.asarray(queries, dtype=np.float32)
        norms = np.linalg.norm(q.astype(np.float64), axis=-1, keepdims=True)  # float64: see row_norms
        q = np.divide(q, norms, out=np.zeros_like(q), where=norms > 0, casting="unsafe")
        n = len(self) if n is None else n
        inv = self._inverse_norms()[:n]
        # a row near float32's largest values (a norm above 1e30) would overflow the raw product: unit rows then
        if self._unit is not None or np.min(inv, where=inv > 0, initial=1.0) < 1e-30:
            return self.unit[:n] @ q.T
        scores = self._vectors[:n] @ q.T
        scores *= inv if scores.ndim == 1 else inv[:, None]
        return scores

    def norms(self) -> np.ndarray:
        """The L2 norm of every row, float64 (n,)."""
        v = self._vectors
        norms = np.sqrt(np.einsum("ij,ij->i", v, v, dtype=np.float64))
        self._rows(norms)
        return norms

    def get_index(self, word: str) -> int:
        """Row of ``word``; raises UnknownWordError naming the closest spellings (ConfigError if not a str)."""
        try:
            return self._word_index()[check_word(word)]
        except KeyError:
            raise UnknownWordError(word, self.suggest(word), len(self)) from None

    def indices(self, words: Iterable[str]) -> np.ndarray:
        """Rows of several words (int64 array); the first unknown word raises UnknownWordError.
        ``words`` must be a sequence of str: a bare str raises ConfigError (use :meth:`get_index` for one word)."""
        words = word_list(words)
        return np.fromiter((self.get_index(w) for w in words), dtype=np.int64, count=len(words))

    def suggest(self, word: str, n: int = 3) -> list[str]:
        """Up to ``n`` words of the vocabulary closest in spelling to ``word``.

        Case variants come first; then close matches among the words of similar
        length, searched in frequency order (the first 200,000 rows) to stay fast
        on large tables.
        """
        check_word(word)
        out: list[str] = []
        for variant in (word.lower(), word.capitalize(), word.upper(), word.title()):
            if variant != word and variant in self and variant not in out:
                out.append(variant)
        if len(out) >= n:
            return out[:n]
        lw = len(word)
        pool = [w for w in self._words[:200_000] if abs(len(w) - lw) <= 2]
        # spelling is compared without case ('Kingg' finds 'king'); the words are given as the table has them
        forms: dict[str, str] = {}
        for w in pool:
            forms.setdefault(w.lower(), w)
        for m in difflib.get_close_matches(word.lower(), list(forms), n=n, cutoff=0.7):
            if forms[m] not in out:
                out.append(forms[m])
        return out[:n]

    # --- derived tables -----------------------------------------------------------
    def head(self, n: int) -> Vectors:
        """The first ``n`` words (a view: no copy of the vectors).  Tables are usually in frequency order."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise ConfigError(f"head(n): n must be a whole number, not {type(n).__name__}")
        if n < 0:
            raise ConfigError(f"head(n): n must be >= 0, got {n}")
        if n >= len(self):
            return self
        counts = None if self._counts is None else self._counts[:n]
        out = Vectors.__new__(Vectors)
        out._words = self._words[:n]
        out._index = None  # built on first lookup
        out._vectors = self._vectors[:n]
        out._counts = counts
        out._unit = None if self._unit is None else self._unit[:n]
        out._inv_norms = None if self._inv_norms is None else self._inv_norms[:n]
        out._verify = self._verify
        out._source = self._source
        out._stats = None
        out._subwords = self._subwords
        out._word_rows = None if self._word_rows is None else self._word_rows[:n]
        out._output_rows = None if self._output_rows is None else self._output_rows[:n]
        out._training = self._training
        return out

    def subset(self, words: Iterable[str]) -> Vectors:
        """A new table with just ``words`` (in the given order); words outside the vocabulary raise.
        A subword table's subset keeps the n-gram part (so it still composes unseen words).
        ``words`` must be a sequence of str: a bare str raises ConfigError (pass ``[word]``)."""
        words = list(dict.fromkeys(word_list(words)))
        rows = self.indices(words)
        counts = None if self._counts is None else self._counts[rows]
        own = None if self._word_rows is None else self._word_rows[rows]
        output = None if self._output_rows is None else self._output_rows[rows]
        return Vectors(words, self._rows()[rows], counts, source=self.source, subwords=self._subwords, word_rows=own,
                       output_rows=output, training=self._training, _owned=True)

    def without_output_rows(self) -> Vectors:
        """The same table without its output rows (a view: nothing is copied)."""
        if self._output_rows is None:
            return self
        out = copy.copy(self)
        out._output_rows = None
        return out

    def normalized(self) -> Vectors:
        """A new table whose rows have unit length.  A subword table's composed vectors are then
        unit length too; its ``word_rows`` are dropped (they no longer compose its vectors), and so are
        ``output_rows`` (they were trained against the vectors as they were)."""
        sw = None if self._subwords is None else self._subwords.with_normalize()
        return Vectors(self._words, self.unit.copy(), self._counts, source=self.source, subwords=sw,
                       training=self._training, _owned=True)

    def equals(self, other: Vectors) -> bool:
        """Same words in the same order, bit-identical vectors, and the same subword part (if any)."""
        return (
            isinstance(other, Vectors)
            and self._words == other._words
            and self._vectors.shape == other._vectors.shape
            and bool(np.array_equal(self._rows(), other._rows()))
            and _same_subwords(self, other)
        )


def check_word(word, name: str = "word") -> str:
    """``word`` if it is a str; else ConfigError naming the parameter ``name`` and what to use instead."""
    if isinstance(word, str):
        return word
    kind = type(word).__name__
    if isinstance(word, (int, np.integer)) and not isinstance(word, bool):
        hint = f" (to get row {int(word)}, use kv.vectors[{int(word)}])"
    elif isinstance(word, slice):
        hint = " (to get rows by number, slice kv.vectors or use kv.head(n))"
    elif isinstance(word, (list, tuple, np.ndarray)):
        hint = " (for several words use kv.lookup(words) or kv.indices(words))"
    else:
        hint = ""
    raise ConfigError(f"{{{name}}} must be a str (a word), got {kind}{hint}")


def word_list(words, name: str = "words") -> list[str]:
    """``words`` (an iterable of str) as a list; ConfigError for a bare str or bytes (it would be split into
    characters) or an item that is not a str, naming the parameter ``name``."""
    if isinstance(words, (str, bytes)):
        raise ConfigError(f"{{{name}}} must be a list of words, got the {type(words).__name__} {short(words)}; "
                          f"for one word pass [{short(words)}]")
    try:
        words = list(words)
    except TypeError:
        raise ConfigError(f"{{{name}}} must be a list of words, got {type(words).__name__}") from None
    for i, w in enumerate(words):
        if not isinstance(w, str):
            raise ConfigError(f"{{{name}}} must hold str, but {name}[{i}] is {type(w).__name__} ({short(w)})")
    return words


class Lookup(NamedTuple):
    """What :meth:`Vectors.lookup` returns: ``vectors`` (m, dim), ``composed`` and ``missing`` (m,) masks."""

    vectors: np.ndarray
    composed: np.ndarray
    missing: np.ndarray


def _check_subwords(subwords, word_rows, shape, words=None):
    """Validate a table's subword part against its (n, dim) shape; return (subwords, word_rows)."""
    if subwords is None:
        if word_rows is not None:
            raise ConfigError("word_rows belong to a subword table; pass subwords too")
        return None, None
    if not isinstance(subwords, Subwords):
        raise ConfigError(f"subwords must be a wvtool.subwords.Subwords, got {type(subwords).__name__}")
    if subwords.dim != shape[1]:
        raise ConfigError(f"the n-gram matrix has {subwords.dim} dimensions but the vectors have {shape[1]}")
    return subwords, _check_rows("word_rows", word_rows, shape, words)


def _check_rows(name: str, rows, shape, words=None):
    """``rows`` (None, or an array of the vectors' ``shape``) as float32 C-contiguous; ConfigError otherwise.

    With ``words`` (a table built by hand) the values are checked and the array copied as :func:`_given_array` does."""
    if rows is None:
        return None
    rows = np.asarray(rows) if words is None else given_array(name, rows, np.float32)
    if rows.shape != shape:
        raise ConfigError(f"{{{name}}} must have the vectors' shape {shape}, got {rows.shape}")
    if rows.dtype != np.float32 or not rows.flags.c_contiguous:
        rows = np.ascontiguousarray(rows, dtype=np.float32)
    if words is not None:
        _check_finite(name, rows, words)
    return rows


# --- what a caller builds a table from ---------------------------------------------------


def _check_finite(name: str, a: np.ndarray, words) -> None:
    """ConfigError naming the first row of ``a`` (rows are ``words``) with a NaN or infinite value."""
    bad = first_non_finite(a)
    if bad is not None:
        row, c, value = bad
        raise ConfigError(f"{{{name}}}: the vector of {short(words[row])} (row {row}) holds {value} at column {c}; "
                          "replace that row with finite numbers or drop the word")


def _given_counts(counts, words) -> np.ndarray:
    """A caller's counts as a new int64 array; ConfigError unless they are whole numbers from 0 to 2**63 - 1."""
    kind = _dtype_kind(counts)  # floats (and Python ints beyond int64) are checked whole; uint64 checked in range
    arr = given_array("counts", counts, np.float64 if kind in ("f", "O") else np.uint64 if kind == "u" else np.int64)
    flat = arr.reshape(-1)
    huge = flat >= 2**63 if kind == "u" else np.isfinite(flat) & (np.abs(flat) >= 2.0**63) if kind in ("f", "O") else None
    if huge is not None and huge.any():  # a uint64 one would wrap to a negative number
        r = int(np.argmax(huge))
        shown = f"{flat[r]:.4g}" if arr.dtype == np.float64 else str(flat[r])
        raise ConfigError(f"{{counts}} must be below 2**63, but the count of {_count_word(words, r)} is {shown}")
    if arr.dtype == np.float64:
        bad = ~np.isfinite(flat) | (flat != np.floor(flat))
        if bad.any():
            r = int(np.argmax(bad))
            raise ConfigError(f"{{counts}} must be whole numbers, but the count of {_count_word(words, r)} is {flat[r]}")
    arr = arr.astype(np.int64, copy=False)
    if arr.ndim == 1 and len(arr) and int(arr.min()) < 0:
        r = int(np.argmax(arr < 0))
        raise ConfigError(f"{{counts}} must be >= 0, but the count of {_count_word(words, r)} is {arr[r]}")
    return arr


def _dtype_kind(counts) -> str:
    """The numpy dtype kind of ``counts`` ('f', 'O', 'u', 'i', ...), or '' if it is not an array at all (given_array
    says so)."""
    try:
        return np.asarray(counts).dtype.kind
    except (TypeError, ValueError):
        return ""


def _count_word(words, r: int) -> str:
    return f"{short(words[r])} (row {r})" if r < len(words) else f"row {r}"


def _same_subwords(a: Vectors, b: Vectors) -> bool:
    sa, sb = a._subwords, b._subwords
    if sa is None or sb is None:
        return sa is None and sb is None
    ra, rb = a._word_rows, b._word_rows
    rows_equal = (ra is None and rb is None) or (ra is not None and rb is not None and bool(np.array_equal(ra, rb)))
    return rows_equal and sa.equals(sb)
