"""Questions to a vector table: nearest neighbours, analogies, cosine similarity.

    >>> import wvtool
    >>> kv = wvtool.load("vectors.bin")
    >>> wvtool.neighbors(kv, "king", k=5)
    >>> wvtool.analogy(kv, "man", "king", "woman")      # man : king :: woman : ?
    >>> wvtool.similarity(kv, "cat", "dog")
    >>> wvtool.most_similar(kv, positive=["king", "woman"], negative=["man"])
    >>> wvtool.doesnt_match(kv, ["breakfast", "cereal", "dinner", "lunch"])
    >>> wvtool.n_similarity(kv, ["sushi", "shop"], ["japanese", "restaurant"])

The last three answer as gensim's ``KeyedVectors`` methods of the same names do.

Every score is a cosine computed by the table (``Vectors.cosines``, ``Vectors.unit_rows``),
computed in float32 as one matrix product.  Words are looked up exactly as
written (case-sensitive); an unknown word raises
:class:`~wvtool.errors.UnknownWordError` with the closest spellings.
``restrict=N`` limits the *answers* to the first N rows (the N most frequent
words in a frequency-ordered table); the query words themselves may lie beyond.

Every function takes a :class:`~wvtool.Vectors` table, never a path (a ConfigError says to
load the file once with :func:`wvtool.load`: reading it again for every query would be slow).
Read-only queries on one table from several threads are safe and answer as one thread
would: nothing here changes the table, and what a table computes on first use and keeps
(the word index, the norms and unit rows) is built completely before it is stored, so two
threads building it at once only do the work twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from . import settings
from .errors import ConfigError, QueryError
from .vectors import Vectors, check_word, word_list

#: the analogy methods: 3CosAdd and 3CosMul (Levy and Goldberg, 2014)
METHODS = ("add", "mul")

#: answers given by default: neighbours, analogies
NEIGHBORS_K = 10
ANALOGY_K = 5

#: 3CosMul's default epsilon, as in Levy and Goldberg (2014); gensim's most_similar_cosmul uses 1e-6
COSMUL_EPSILON = 1e-3


@dataclass(frozen=True)
class QueryOptions:
    """Settings of a query, validated once: ``k`` answers among the first ``restrict`` rows (None: all);
    ``method`` (analogies): ``"add"`` (3CosAdd) or ``"mul"`` (3CosMul); ``epsilon``: 3CosMul's
    denominator offset, a number greater than 0."""

    k: int = NEIGHBORS_K
    restrict: int | None = None
    method: str = "add"
    epsilon: float = COSMUL_EPSILON

    def __post_init__(self):
        settings.whole("k", self.k, 1)
        settings.whole("restrict", self.restrict, 1, optional=True)
        settings.choice("method", self.method, METHODS)
        # at most 1: the cosines it is added to lie in [0, 1] (a huge one, float32 infinity, made every score 0)
        object.__setattr__(self, "epsilon", settings.number("epsilon", self.epsilon, 0, 1, lo_open=True,
                                                            text="a number greater than 0, at most 1"))


def check_restrict(vectors: Vectors, restrict: int | None) -> int:
    """Number of candidate rows for ``restrict`` (None: the whole table); ConfigError if not >= 1."""
    settings.whole("restrict", restrict, 1, optional=True)
    return len(vectors) if restrict is None else min(int(restrict), len(vectors))


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest entries of each row of ``scores`` (m, n), best first; shape (m, min(k, n)).

    Uses ``np.argpartition`` then sorts only the k winners.  ``-inf`` entries
    (masked rows) sort last; callers drop them.
    """
    if scores.ndim == 1:  # one query: partition in place of a negated copy (this is the latency path)
        n = scores.shape[0]
        k = min(k, n)
        part = np.argpartition(scores, n - k)[n - k :] if 0 < k < n else np.arange(n)[:k]
        return part[np.argsort(-scores[part], kind="stable")][None, :]
    n = scores.shape[1]
    k = min(k, n)
    if k == 0:
        return np.empty((scores.shape[0], 0), dtype=np.int64)
    if k < n:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        part = np.broadcast_to(np.arange(n), scores.shape).copy()
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def case_fallback(vectors: Vectors, word: str) -> str:
    """The form of ``word`` to look up: ``word`` itself when it is in the vocabulary, else its lower-case form
    when that is (``'Paris'`` finds ``'paris'``), else ``word`` (which a subword table may compose, or which
    is unknown).

    The query functions here match words exactly as written; the command line's query commands and
    :func:`~wvtool.plot` look every word up through this, and say so when the form changed.
    """
    if word in vectors:
        return word
    lower = word.lower()
    return lower if lower in vectors else word


def _options(options) -> QueryOptions | None:
    """``options`` if it is None or a :class:`QueryOptions`; ConfigError naming ``options`` otherwise."""
    if options is not None and not isinstance(options, QueryOptions):
        raise ConfigError(f"{{options}} must be a QueryOptions (e.g. QueryOptions(k=3)), not {type(options).__name__}")
    return options


def _candidates(vectors: Vectors, restrict: int | None) -> int:
    return len(vectors) if restrict is None else min(restrict, len(vectors))


def _check_nonzero(query: np.ndarray, what: str, fix: str) -> None:
    """QueryError when a query vector is zero (every cosine with it would be 0: a ranking of nothing)."""
    if not np.any(query):
        raise QueryError(f"the query's vector is zero: {what}; {fix}")


def _expression_text(words: list[str], weights: np.ndarray) -> str:
    """``king - man + woman`` (a weight other than 1 shown as ``0.5*word``)."""
    parts = []
    for i, (w, x) in enumerate(zip(words, weights.tolist(), strict=True)):
        sign = "-" if x < 0 else "+"
        term = w if abs(x) == 1 else f"{abs(x):g}*{w}"
        parts.append((f"{sign} " if i or sign == "-" else "") + term)
    return " ".join(parts)


def _ranked(vectors: Vectors, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
    words = vectors.words
    best = top_k(scores, k)[0]
    return [(words[j], float(scores[j])) for j in best if np.isfinite(scores[j])]


def neighbors(vectors: Vectors, word: str, k: int = NEIGHBORS_K, *, restrict: int | None = None,
              options: QueryOptions | None = None) -> list[tuple[str, float]]:
    """The ``k`` words closest to ``word`` by cosine, best first, as ``(word, cosine)``.

    The word itself is never an answer.  ``restrict`` limits the answers to the
    first ``restrict`` rows (``options``: a :class:`QueryOptions` instead of
    ``k`` and ``restrict``).  A word outside the vocabulary of a subword table
    (a fastText model) is composed from its n-grams (``vectors.is_composed(word)``
    tells).  Raises UnknownWordError (with suggestions) for an unknown word,
    ConfigError for a bad ``k`` or ``restrict`` and QueryError for a word whose vector is zero.
    """
    settings.table("vectors", vectors)
    check_word(word)
    opts = _options(options) or QueryOptions(k=k, restrict=restrict)
    k, n = opts.k, _candidates(vectors, opts.restrict)
    i = vectors.index.get(word, -1) if vectors.subwords is not None else vectors.get_index(word)
    query = vectors.vector(word)
    _check_nonzero(query, f"{word!r} has a zero vector in this table", "ask about another word")
    scores = vectors.cosines(query, n)
    if 0 <= i < n:
        scores[i] = -np.inf
    return _ranked(vectors, scores, k)


def analogy(
    vectors: Vectors,
    a: str,
    b: str,
    c: str,
    k: int = ANALOGY_K,
    *,
    method: str = "add",
    restrict: int | None = None,
    epsilon: float = COSMUL_EPSILON,
    options: QueryOptions | None = None,
) -> list[tuple[str, float]]:
    """"``a`` is to ``b`` as ``c`` is to ?": the ``k`` best answers, as ``(word, score)``.

    ``method="add"`` (3CosAdd) ranks words by the cosine with
    ``unit(b) - unit(a) + unit(c)``; the score is that cosine (the query vector
    normalised, as gensim's ``most_similar`` reports it).  ``method="mul"``
    (3CosMul) ranks by ``cos'(x, b) * cos'(x, c) / (cos'(x, a) + epsilon)`` with
    cosines shifted to [0, 1] by ``cos' = (cos + 1) / 2``.  The three query words
    are never answers.  ``analogy(kv, "man", "king", "woman")`` answers "queen"
    on good vectors.  ``epsilon`` must be a number greater than 0 (ConfigError
    otherwise; it is checked whatever the ``method``).  ``options``: a
    :class:`QueryOptions` instead of ``k``, ``method``, ``restrict`` and ``epsilon``.  A query word outside the vocabulary of a subword
    table is composed from its n-grams (``vectors.is_composed(word)`` tells), as
    gensim's ``FastTextKeyedVectors.most_similar`` does.
    """
    settings.table("vectors", vectors)
    for name, word in (("a", a), ("b", b), ("c", c)):
        check_word(word, name)
    opts = _options(options) or QueryOptions(k=k, restrict=restrict, method=method, epsilon=epsilon)
    k, method, n = opts.k, opts.method, _candidates(vectors, opts.restrict)
    (ua, ub, uc), rows = query_units(vectors, (a, b, c))
    if method == "add":
        query = ub + uc - ua
        _check_nonzero(query, f"{b!r} - {a!r} + {c!r} cancel out (or have zero vectors)", "ask with other words")
        scores = vectors.cosines(query, n)  # the query is normalised, as gensim reports it
    else:
        cos = vectors.cosines(np.stack([ua, ub, uc]), n)  # (n, 3): cosines with a, b, c
        shifted = (cos + np.float32(1.0)) / np.float32(2.0)
        scores = shifted[:, 1] * shifted[:, 2] / (shifted[:, 0] + np.float32(opts.epsilon))
    for r in rows:
        if 0 <= r < n:
            scores[r] = -np.inf
    return _ranked(vectors, scores, k)


def query_units(vectors: Vectors, words: Sequence[str]) -> tuple[np.ndarray, list[int]]:
    """Unit vectors of ``words`` (float32 (m, dim)) and their rows (-1 for a word composed from subwords).

    A word outside the vocabulary of a subword table is composed from its
    n-grams; an unknown word raises UnknownWordError (with suggestions).
    """
    if vectors.subwords is None:
        rows = [vectors.get_index(w) for w in words]
        return vectors.unit_rows(rows), rows
    found = vectors.lookup(words)  # UnknownWordError for a word with no known n-gram
    rows = [vectors.index.get(w, -1) for w in words]
    units = found.vectors
    norms = np.sqrt(np.einsum("ij,ij->i", units, units))
    np.multiply(units, np.divide(np.float32(1.0), norms, out=np.zeros_like(norms), where=norms > 0)[:, None], out=units)
    known = [i for i, r in enumerate(rows) if r >= 0]
    if known:
        units[known] = vectors.unit_rows([rows[i] for i in known])  # the table's own unit rows, bit for bit
    return units, rows


def _weighted(positive, negative) -> tuple[list[str], np.ndarray]:
    """Words and weights of a combination: +1 for ``positive``, -1 for ``negative``; ``(word, weight)`` items keep theirs."""
    words: list[str] = []
    weights: list[float] = []
    for name, items, sign in (("positive", positive, 1.0), ("negative", negative, -1.0)):
        if items is None:
            items = ()  # as gensim: None is no words
        elif isinstance(items, str):
            items = [items]
        elif not isinstance(items, Iterable):
            raise ConfigError(f"{{{name}}} must be a word or a list of words (or (word, weight) pairs), "
                              f"not {type(items).__name__}")
        for item in items:
            if isinstance(item, str):
                words.append(item)
                weights.append(sign)
            elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str):
                words.append(item[0])
                weights.append(settings.number("weight", item[1]))
            else:
                raise ConfigError(f"each item of {{positive}} and {{negative}} must be a word or (word, weight), got {item!r}")
    if not words:
        raise ConfigError("give at least one word in {positive} or {negative}")
    return words, np.asarray(weights, dtype=np.float32)


def combination(vectors: Vectors, positive=(), negative=()) -> np.ndarray:
    """The unit vector of a combination of words: the weighted mean of their unit vectors, normalised (float32 (dim,)).

    ``positive`` words count +1, ``negative`` words -1; an item may be
    ``(word, weight)``.  ``king - man + woman`` is ``positive=["king", "woman"],
    negative=["man"]``.  A word outside the vocabulary of a subword table is
    composed from its n-grams, as gensim's ``FastTextKeyedVectors`` does.
    """
    words, weights = _weighted(positive, negative)
    units, _ = query_units(vectors, words)
    mean = (weights[:, None] * units).sum(axis=0) / np.float32(np.abs(weights).sum() or 1.0)
    norm = np.linalg.norm(mean)
    return mean / norm if norm > 0 else mean


def most_similar(vectors: Vectors, positive=(), negative=(), k: int = NEIGHBORS_K, *, restrict: int | None = None,
                 options: QueryOptions | None = None) -> list[tuple[str, float]]:
    """The ``k`` words closest to a combination of words, best first, as ``(word, cosine)``.

    The query is :func:`combination` (``positive`` words added, ``negative``
    words subtracted, all as unit vectors; ``(word, weight)`` items allowed); a
    single word in ``positive`` gives :func:`neighbors`.  The query words are
    never answers.  Equals gensim's ``most_similar(positive, negative,
    topn=k, restrict_vocab=restrict)``; a subword table composes the words
    outside its vocabulary (``vectors.is_composed(word)`` tells), as gensim's
    ``FastTextKeyedVectors`` does.  Raises UnknownWordError for an unknown
    word, ConfigError when no word is given, QueryError when the combination is
    zero (``king - king``: gensim would rank every word at cosine 0).
    """
    settings.table("vectors", vectors)
    opts = _options(options) or QueryOptions(k=k, restrict=restrict)
    n = _candidates(vectors, opts.restrict)
    words, weights = _weighted(positive, negative)
    query = combination(vectors, positive, negative)
    _check_nonzero(query, f"{_expression_text(words, weights)} cancels out (or its words have zero vectors)",
                   "change the words or their weights")
    scores = vectors.cosines(query, n)
    for r in [vectors.index.get(w, -1) for w in words] if vectors.subwords is not None else vectors.indices(words):
        if 0 <= r < n:
            scores[r] = -np.inf
    return _ranked(vectors, scores, opts.k)


def _word_list(name: str, words) -> list[str]:
    """``words`` as a non-empty list (a bare str is one word here, as in gensim); see :func:`vectors.word_list`."""
    words = word_list([words] if isinstance(words, str) else words, name)
    if not words:
        raise ConfigError(f"{{{name}}} must be a list of one or more words, got none")
    return words


def centrality(vectors: Vectors, words) -> list[tuple[str, float]]:
    """Each of ``words`` with the cosine between it and the mean of their unit vectors, most central first.

    Ties are broken as gensim's ``rank_by_centrality`` does (by the word, in
    reverse order); the last entry is the odd one out (:func:`doesnt_match`).
    A subword table composes the words outside its vocabulary.
    """
    settings.table("vectors", vectors)
    words = _word_list("words", words)
    units, _ = query_units(vectors, words)
    mean = units.mean(axis=0)
    norm = np.linalg.norm(mean)
    scores = units @ (mean / norm if norm > 0 else mean)
    return [(w, float(c)) for c, w in sorted(zip(scores.tolist(), words, strict=True), reverse=True)]


def doesnt_match(vectors: Vectors, words) -> str:
    """The odd one out: the word of ``words`` farthest (by cosine) from the mean of their unit vectors.

    Equals gensim's ``doesnt_match``, except that an unknown word raises
    UnknownWordError instead of being ignored; a subword table composes the
    words outside its vocabulary, as gensim's ``FastTextKeyedVectors`` does.
    """
    return centrality(vectors, words)[-1][0]


def _raw_vectors(vectors: Vectors, words: list[str]) -> np.ndarray:
    """The vectors of ``words`` as they are (not normalised), composing unseen words of a subword table."""
    if vectors.subwords is None:
        return vectors.vectors[vectors.indices(words)]
    return vectors.lookup(words).vectors


def n_similarity(vectors: Vectors, words1, words2) -> float:
    """Cosine similarity of two sets of words: of the mean of each set's vectors (as they are, not normalised).

    Equals gensim's ``n_similarity``, except that an unknown word raises
    UnknownWordError instead of being ignored; a subword table composes the
    words outside its vocabulary, as gensim's ``FastTextKeyedVectors`` does.
    """
    settings.table("vectors", vectors)
    means = [_raw_vectors(vectors, _word_list(name, ws)).mean(axis=0)
             for name, ws in (("words1", words1), ("words2", words2))]
    norms = [np.linalg.norm(m) for m in means]
    if not all(norms):
        return 0.0
    return float(np.dot(means[0] / norms[0], means[1] / norms[1]))


def similarity(vectors: Vectors, w1: str, w2: str) -> float:
    """Cosine similarity of two words (zero vectors give 0.0); a subword table composes unseen words."""
    settings.table("vectors", vectors)
    check_word(w1, "w1")
    check_word(w2, "w2")
    if vectors.subwords is not None:
        a, b = (np.asarray(vectors.vector(w), dtype=np.float64) for w in (w1, w2))
        den = float(np.linalg.norm(a) * np.linalg.norm(b))
        return float(a @ b / den) if den > 0 else 0.0
    u = vectors.unit_rows([vectors.get_index(w1), vectors.get_index(w2)])
    return float(np.dot(u[0], u[1]))


def similarity_pairs(vectors: Vectors, pairs: Iterable[Sequence]) -> list[dict]:
    """Cosine of many word pairs at once, never raising for unknown words.

    ``pairs`` holds ``(w1, w2)`` or ``(w1, w2, score)`` items (``score`` e.g. a
    human judgement, passed through as ``"score"``).  Returns one dict per pair:
    ``{"word1", "word2", "similarity", "unknown"[, "score"]}`` where
    ``similarity`` is None and ``unknown`` lists the missing words when a word
    is not in the table (looked up exactly as written).  A subword table composes
    the words outside its vocabulary from their n-grams: each dict then also has
    ``"composed"``, the pair's composed words (``unknown`` lists only words with
    no known n-gram).
    """
    settings.table("vectors", vectors)
    if isinstance(pairs, str):
        raise ConfigError(f"{{pairs}} must be a list of (word1, word2) pairs, got the str {pairs[:40]!r}")
    if not isinstance(pairs, Iterable):
        raise ConfigError(f"{{pairs}} must be a list of (word1, word2) or (word1, word2, score) items, "
                          f"not {type(pairs).__name__}")
    items = []
    for item in pairs:
        if isinstance(item, str) or not isinstance(item, Sequence) or len(item) not in (2, 3):
            raise ConfigError(f"each item of {{pairs}} must be (word1, word2) or (word1, word2, score), got {item!r}")
        if not (isinstance(item[0], str) and isinstance(item[1], str)):
            raise ConfigError(f"the words of each item of {{pairs}} must be strings, got {item!r}")
        if len(item) == 3 and item[2] is not None:
            try:
                float(item[2])
            except (TypeError, ValueError):
                raise ConfigError(f"the score of each item of {{pairs}} must be a number or None, got {item!r}") from None
        items.append(item)
    composed = _composed_units(vectors, {w for item in items for w in item[:2]})
    index = vectors.index
    out = []
    for item in items:
        w1, w2 = item[0], item[1]
        missing = [w for w in (w1, w2) if w not in index and w not in composed]
        if missing:
            sim = None
        elif w1 in index and w2 in index:
            u = vectors.unit_rows([index[w1], index[w2]])
            sim = float(np.dot(u[0], u[1]))
        else:
            u1, u2 = (composed[w] if w in composed else vectors.unit_rows([index[w]])[0] for w in (w1, w2))
            sim = float(np.dot(u1, u2))
        row = {"word1": w1, "word2": w2, "similarity": sim, "unknown": list(dict.fromkeys(missing))}
        if vectors.subwords is not None:
            row["composed"] = [w for w in dict.fromkeys((w1, w2)) if w in composed]
        if len(item) == 3:
            row["score"] = None if item[2] is None else float(item[2])
        out.append(row)
    return out


def _composed_units(vectors: Vectors, words: set[str]) -> dict[str, np.ndarray]:
    """The unit vectors of the ``words`` a subword table composes from n-grams (none for a word-only table)."""
    unseen = sorted(w for w in words if w not in vectors.index)
    if vectors.subwords is None or not unseen:
        return {}
    found = vectors.lookup(unseen, missing="zero")
    units = found.vectors
    norms = np.sqrt(np.einsum("ij,ij->i", units, units))
    units *= np.divide(np.float32(1.0), norms, out=np.zeros_like(norms), where=norms > 0)[:, None]
    return {w: units[i] for i, w in enumerate(unseen) if found.composed[i]}
