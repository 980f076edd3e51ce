"""Benchmarks for a vector table: word analogies and word-pair similarity.

    >>> import wvtool
    >>> kv = wvtool.load("vectors.bin")
    >>> r = wvtool.evaluate(kv, restrict=300_000)   # the shipped benchmarks
    >>> r["analogies"]["total"]["accuracy"], r["pairs"][0]["spearman"]

The numbers are those of gensim's ``KeyedVectors.evaluate_word_analogies``
and ``evaluate_word_pairs`` (3CosAdd over the first ``restrict`` words, the
same skipping and the same case folding), computed in batched float32 matrix
products instead of one question at a time.

Case handling (``case_sensitive=False``, the default, as in gensim): every
word of the table's first ``restrict`` rows and of the benchmark is
upper-cased; when several table words fold to the same form, the first
(most frequent) one stands for them all.  A question or pair with any word
outside that vocabulary is skipped and counted, never an error.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from . import settings as _settings
from .benchmark_files import parse_columns, read_analogies, read_pairs, reading_twice
from .errors import ConfigError, FormatError, WvtoolWarning
from .files import check_readable, shown_name
from .query import check_restrict
from .vectors import Vectors

Progress = Callable[[int, int | None, dict], None]

#: names of the benchmark files shipped in wvtool/data
ANALOGIES_FILE = "questions-words.txt"
PAIRS_FILES = ("wordsim353.tsv", "simlex999.txt")

#: candidates per block in the per-word strategy of evaluate_analogies
_BLOCK = 8192
#: ways evaluate_analogies can compute the answers (same results)
STRATEGIES = ("auto", "questions", "words")

#: how many answers per question gensim looks through for one that is not a query word (in a case variant)
_LOOK_AT = 5

#: the vocabulary benchmarks use by default: the 300,000 most frequent words (gensim's restrict_vocab default)
DEFAULT_RESTRICT = 300_000


@dataclass(frozen=True)
class EvalOptions:
    """Settings shared by the benchmarks (:func:`evaluate`, :func:`evaluate_analogies`, :func:`evaluate_pairs`).

    - ``restrict``: use only the first (most frequent) ``restrict`` words of
      the table, as gensim's ``restrict_vocab`` (default 300,000 like gensim;
      None: the whole table).  Questions and pairs with a word outside them are skipped and counted.
    - ``case_sensitive``: match words exactly instead of comparing them upper-cased.
    - ``columns``: which columns of a word-pair file hold the two words and the
      score, counted from 1 (``"1,2,3"``, or a tuple); None finds them from the
      file (see :mod:`wvtool.benchmark_files`).  Kept as text (``"1,2,3"``).
    """

    restrict: int | None = DEFAULT_RESTRICT
    case_sensitive: bool = False
    columns: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "restrict", _settings.whole("restrict", self.restrict, 1, optional=True))
        object.__setattr__(self, "case_sensitive", _settings.flag("case_sensitive", self.case_sensitive))
        cols = parse_columns(self.columns)
        object.__setattr__(self, "columns", None if cols is None else ",".join(map(str, cols)))


def shipped(name: str) -> Path:
    """Path of a benchmark file shipped with wvtool (``questions-words.txt``, ``wordsim353.tsv``, ``simlex999.txt``)."""
    return Path(str(resources.files("wvtool") / "data" / name))


# --- vocabulary restriction and case folding --------------------------------------------


def _fold(case_sensitive: bool) -> Callable[[str], str]:
    return (lambda w: w) if case_sensitive else str.upper


def eval_vocab(vectors: Vectors, restrict: int | None, case_sensitive: bool) -> tuple[dict[str, int], np.ndarray]:
    """The vocabulary questions are looked up in: ``(key -> row, canonical row of each of the first n rows)``.

    Keys are the first ``restrict`` words (upper-cased unless ``case_sensitive``);
    of several words folding to one key, the first row wins.  ``canon[j]`` is
    the winning row of row ``j``'s key.
    """
    n = check_restrict(vectors, restrict)
    fold = _fold(case_sensitive)
    vocab: dict[str, int] = {}
    canon = np.empty(n, dtype=np.int64)
    for j, w in enumerate(vectors.words[:n]):
        canon[j] = vocab.setdefault(fold(w), j)
    return vocab, canon


# --- statistics ------------------------------------------------------------------------


def pearson(x, y) -> float | None:
    """Pearson correlation (``scipy.stats.pearsonr``, as gensim); None with fewer than two points or a constant input."""
    x, y = _finite_pair(x, y)
    if x is None:
        return None
    from scipy import stats

    return _finite(stats.pearsonr(x, y)[0])


def spearman(x, y) -> float | None:
    """Spearman rank correlation (``scipy.stats.spearmanr``, as gensim); None when undefined."""
    x, y = _finite_pair(x, y)
    if x is None:
        return None
    from scipy import stats

    return _finite(stats.spearmanr(x, y)[0])


def _finite_pair(x, y):
    """``x`` and ``y`` as float64 arrays, or (None, None) when a correlation is undefined (< 2 points, a constant side)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.size < 2 or not (np.isfinite(x).all() and np.isfinite(y).all()) or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None, None
    return x, y


def _finite(r) -> float | None:
    r = float(r)
    return r if np.isfinite(r) else None


def _unit_head(vectors: Vectors, n: int) -> np.ndarray:
    """Unit rows of the first ``n`` words (only those are normalised when ``n`` is below the table size)."""
    return (vectors.head(n) if n < len(vectors) else vectors).unit


# --- analogies -------------------------------------------------------------------------


def _summary(name: str, correct: int, seen: int, skipped: int) -> dict:
    return {
        "section": name,
        "correct": int(correct),
        "seen": int(seen),
        "skipped": int(skipped),
        "accuracy": (correct / seen) if seen else None,
    }


def _solve(unit: np.ndarray, n: int, canon: np.ndarray, q: np.ndarray, progress: Progress | None, total_all: int,
           done_before: int, batch_size: int | None, qunit: np.ndarray | None = None,
           qv: np.ndarray | None = None) -> np.ndarray:
    """Canonical row of gensim's predicted answer for each question row of ``q`` (m, 4) canonical rows.

    The query vectors are ``qunit[qv]`` (``qv`` (m, 3)), by default ``unit[q[:, :3]]``; a query
    word with no row among the candidates (composed from subwords) has row -1 in ``q``.
    """
    m = q.shape[0]
    pred = np.full(m, -1, dtype=np.int64)
    if m == 0:
        return pred
    cand = unit[:n]
    qunit, qv = (unit, q[:, :3]) if qunit is None else (qunit, qv)
    if batch_size is None:
        # keep the (batch x n) float32 score block near 64 MB
        batch_size = int(max(16, min(2048, (16 << 20) // max(n, 1))))
    a_all, b_all, c_all = q[:, 0], q[:, 1], q[:, 2]
    for s in range(0, m, batch_size):
        e = min(s + batch_size, m)
        a, b, c = a_all[s:e], b_all[s:e], c_all[s:e]
        query = qunit[qv[s:e, 1]] + qunit[qv[s:e, 2]] - qunit[qv[s:e, 0]]  # scale does not change the ranking
        scores = query @ cand.T  # (batch, n) float32
        r = np.arange(e - s)
        for col in (a, b, c):
            row = col >= 0
            scores[r[row], col[row]] = -np.inf
        # gensim looks at its 5 best answers and takes the first that is not a query
        # word in another case variant (if none is, the last one it saw).
        out = np.full(e - s, -1, dtype=np.int64)
        todo = r
        for _ in range(_LOOK_AT):
            if todo.size == 0:
                break
            sub = scores[todo]
            best = np.argmax(sub, axis=1)
            valid = np.isfinite(sub[np.arange(todo.size), best])
            todo, best = todo[valid], best[valid]
            cb = canon[best]
            out[todo] = cb
            ignored = (cb == a[todo]) | (cb == b[todo]) | (cb == c[todo])
            scores[todo[ignored], best[ignored]] = -np.inf
            todo = todo[ignored]
        pred[s:e] = out
        if progress is not None:
            progress(done_before + e, total_all, {})
    return pred


def _solve_by_word_cosines(unit: np.ndarray, n: int, canon: np.ndarray, q: np.ndarray, progress: Progress | None,
                           total_all: int, block: int | None = None, batch: int = 64, qunit: np.ndarray | None = None,
                           qv: np.ndarray | None = None) -> np.ndarray:
    """Like :func:`_solve`, computing the cosines of the distinct query words with every candidate once.

    cos(x, b - a + c) ranks like x.b - x.a + x.c, so with U distinct query
    words (905 in the Google set) one (U x dim) @ (dim x n) product per block
    of candidates replaces one product per question; each question's scores
    are then two row additions.  Only the best answer is tracked; a question
    whose best answer is a case variant of one of its own words (gensim then
    looks further down its top 5) is redone by :func:`_solve`.
    """
    m = q.shape[0]
    block = block or _BLOCK
    qunit, qv = (unit, q[:, :3]) if qunit is None else (qunit, qv)
    words, inv = np.unique(qv, return_inverse=True)
    inv = inv.reshape(m, 3)
    ia, ib, ic = inv[:, 0], inv[:, 1], inv[:, 2]
    qa, qb, qc = q[:, 0], q[:, 1], q[:, 2]
    w_unit = np.ascontiguousarray(qunit[words])
    best_val = np.full(m, -np.inf, dtype=np.float32)
    best_idx = np.full(m, -1, dtype=np.int64)
    for start in range(0, n, block):
        stop = min(start + block, n)
        sims = w_unit @ unit[start:stop].T  # (U, C) cosines of query words with this block of candidates
        for s in range(0, m, batch):
            e = min(s + batch, m)
            scores = sims[ib[s:e]]
            scores -= sims[ia[s:e]]
            scores += sims[ic[s:e]]
            for col in (qa[s:e], qb[s:e], qc[s:e]):
                local = col - start
                inside = (local >= 0) & (local < stop - start)
                scores[np.flatnonzero(inside), local[inside]] = -np.inf
            j = scores.argmax(axis=1)
            v = scores[np.arange(e - s), j]
            better = v > best_val[s:e]
            best_val[s:e][better] = v[better]
            best_idx[s:e][better] = j[better] + start
        if progress is not None:
            progress(int(total_all * stop / n), total_all, {})
    pred = np.where(best_idx >= 0, canon[np.maximum(best_idx, 0)], -1)
    redo = (best_idx < 0) | (pred == qa) | (pred == qb) | (pred == qc)
    if redo.any():
        pred[redo] = _solve(unit, n, canon, q[redo], None, 0, 0, None, qunit, qv[redo])
    return pred


def _predict(unit: np.ndarray, n: int, canon: np.ndarray, q: np.ndarray, progress: Progress | None,
             strategy: str, batch_size: int | None, qunit: np.ndarray | None = None,
             qv: np.ndarray | None = None) -> np.ndarray:
    """The predicted answers of questions ``q`` by the chosen ``strategy`` (see :func:`evaluate_analogies`)."""
    total = len(q)
    if total == 0:
        return np.empty(0, dtype=np.int64)
    if progress is not None:
        progress(0, total, {})
    distinct = len(np.unique(q[:, :3] if qv is None else qv))
    if strategy == "words" or (strategy == "auto" and 2 * distinct < total):
        return _solve_by_word_cosines(unit, n, canon, q, progress, total, qunit=qunit, qv=qv)
    return _solve(unit, n, canon, q, progress, total, 0, batch_size, qunit, qv)


def evaluate_analogies(
    vectors: Vectors,
    analogies=None,
    *,
    options: EvalOptions | None = None,
    progress: Progress | None = None,
    batch_size: int | None = None,
    strategy: str = "auto",
    **settings,
) -> dict:
    """Accuracy on a word-analogy file (default: the shipped Google ``questions-words.txt``).

    For each question ``a b c d``, the answer is the word (among the first
    ``restrict`` rows, query words excluded) closest to ``b - a + c``
    (3CosAdd); it is correct if it is ``d`` (after case folding).  Questions
    with a word outside the first ``restrict`` rows are skipped and counted.
    ``options`` (an :class:`EvalOptions`) and/or its fields as keywords
    (``restrict``, ``case_sensitive``) set the vocabulary.

    Returns ``{"file", "restrict", "case_sensitive", "sections": [...],
    "semantic", "syntactic", "total", "questions", "skipped", "invalid_lines",
    "skipped_percent"}``; every row is ``{"section", "correct", "seen",
    "skipped", "accuracy"}`` (accuracy None when nothing was seen).  Sections
    whose name starts with "gram" are syntactic, the others semantic.

    ``strategy`` only changes the speed: "questions" scores each batch of
    questions with one matrix product against all candidates; "words"
    computes the cosines of the distinct query words with all candidates
    once and combines them per question (much faster when questions share
    words, as in the Google set); "auto" picks "words" when there are fewer
    than half as many distinct query words as questions.
    """
    _settings.table("vectors", vectors, path_hint="load it with wvtool.load(path), or pass the path to wvtool.evaluate")
    opts = _settings.build(EvalOptions, options, **settings)
    _settings.choice("strategy", strategy, STRATEGIES)
    _settings.whole("batch_size", batch_size, 1, optional=True)
    _settings.callback("progress", progress)
    path = shipped(ANALOGIES_FILE) if analogies is None else Path(_settings.path("analogies", analogies))
    sections, invalid = read_analogies(path)
    n = check_restrict(vectors, opts.restrict)
    vocab, canon = eval_vocab(vectors, opts.restrict, opts.case_sensitive)
    fold = _fold(opts.case_sensitive)

    # canonical rows of every question's four words; -1 where unknown
    rows_per_section = [
        np.array([[vocab.get(fold(w), -1) for w in qn] for qn in questions], dtype=np.int64).reshape(-1, 4)
        for _, questions in sections
    ]
    all_rows = np.concatenate(rows_per_section) if rows_per_section else np.empty((0, 4), np.int64)
    seen_mask = (all_rows >= 0).all(axis=1)
    seen_rows = all_rows[seen_mask]
    unit = _unit_head(vectors, n)
    pred = _predict(unit, n, canon, seen_rows, progress, strategy, batch_size)
    correct = np.zeros(len(all_rows), dtype=bool)
    correct[seen_mask] = pred == seen_rows[:, 3]
    result = {"file": str(path), "restrict": n, "case_sensitive": opts.case_sensitive}
    result.update(_analogy_scores(sections, rows_per_section, seen_mask, correct))
    result["invalid_lines"] = invalid
    if vectors.subwords is not None:
        words = [w for _, questions in sections for qn in questions for w in qn]
        seen_c, correct_c, n_composed = _composed_analogies(vectors, words, all_rows, seen_mask, correct, unit, n,
                                                            canon, opts, progress, strategy, batch_size)
        result["composed"] = {**_analogy_scores(sections, rows_per_section, seen_c, correct_c),
                              "composed_words": n_composed}
    return result


def _compose_form(case_sensitive: bool) -> Callable[[str], str]:
    """The spelling a benchmark word outside the vocabulary is composed from: as written, or lower-cased when
    case is ignored (a lower-cased model's n-grams are lower-case)."""
    return (lambda w: w) if case_sensitive else str.lower


def _unseen_units(vectors: Vectors, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit vectors of ``words`` (a table row, or composed from n-grams): ``(units (m, dim) float32, has a
    vector (m,), composed (m,))``; a word with no vector gets a zero row."""
    found = vectors.lookup(words, missing="zero")
    units = found.vectors
    norms = np.sqrt(np.einsum("ij,ij->i", units, units))
    units *= np.divide(np.float32(1.0), norms, out=np.zeros_like(norms), where=norms > 0)[:, None]
    return units, ~found.missing, found.composed


def _composed_analogies(vectors: Vectors, words: list[str], rows: np.ndarray, seen: np.ndarray, correct: np.ndarray,
                        unit: np.ndarray, n: int, canon: np.ndarray, opts: EvalOptions, progress: Progress | None,
                        strategy: str, batch_size: int | None) -> tuple[np.ndarray, np.ndarray, int]:
    """The analogy figures with the words outside the vocabulary composed from n-grams.

    ``words`` are the questions' words (4 per question), ``rows`` (m, 4) their canonical rows (-1:
    unknown), ``seen``/``correct`` the questions answered without composing (their answers do not
    change).  A question is then seen when all its words have a vector; an answer is always a
    vocabulary word, so a question whose expected word is composed counts as wrong.  Returns
    ``(seen, correct, number of distinct words composed)``.
    """
    form = _compose_form(opts.case_sensitive)
    flat = rows.reshape(-1)
    unseen = sorted({form(w) for w, r in zip(words, flat.tolist(), strict=True) if r < 0})
    units, has, composed = _unseen_units(vectors, unseen)
    extra = {w: n + i for i, w in enumerate(unseen) if has[i]}  # ids past the candidate rows
    ids = np.array([r if r >= 0 else extra.get(form(w), -1) for w, r in zip(words, flat.tolist(), strict=True)],
                   dtype=np.int64).reshape(-1, 4)
    seen_c = (ids >= 0).all(axis=1)
    new = seen_c & ~seen
    q_ids = ids[new]
    distinct, qv = np.unique(q_ids[:, :3], return_inverse=True)
    qunit = np.concatenate([unit[distinct[distinct < n]], units[distinct[distinct >= n] - n]])
    q = np.where(q_ids < n, q_ids, -1)  # composed words have no row among the candidates
    pred = _predict(unit, n, canon, q, progress, strategy, batch_size, qunit, qv.reshape(-1, 3))
    correct_c = correct.copy()
    correct_c[new] = (pred == q[:, 3]) & (q[:, 3] >= 0)
    return seen_c, correct_c, int(composed.sum())


def _analogy_scores(sections, rows_per_section, seen_mask: np.ndarray, correct: np.ndarray) -> dict:
    """Per-section, semantic, syntactic and total rows from the per-question seen and correct flags."""
    out_sections = []
    start = 0
    for (name, _), rows in zip(sections, rows_per_section, strict=True):
        end = start + len(rows)
        seen = int(seen_mask[start:end].sum())
        out_sections.append(_summary(name, int(correct[start:end].sum()), seen, len(rows) - seen))
        start = end

    def combine(name: str, rows: list[dict]) -> dict:
        return _summary(name, sum(r["correct"] for r in rows), sum(r["seen"] for r in rows), sum(r["skipped"] for r in rows))

    syntactic = [s for s in out_sections if s["section"].startswith("gram")]
    semantic = [s for s in out_sections if not s["section"].startswith("gram")]
    n_questions = len(seen_mask)
    skipped = n_questions - int(seen_mask.sum())
    return {
        "sections": out_sections,
        "semantic": combine("semantic", semantic),
        "syntactic": combine("syntactic", syntactic),
        "total": combine("total", out_sections),
        "questions": n_questions,
        "skipped": skipped,
        "skipped_percent": (100.0 * skipped / n_questions) if n_questions else None,
    }


# --- word pairs ------------------------------------------------------------------------


def evaluate_pairs(vectors: Vectors, pairs=None, *, options: EvalOptions | None = None, **settings) -> dict:
    """Spearman and Pearson correlation of cosine similarities with human scores in a word-pair file.

    ``pairs`` is a path (default: the shipped WordSim-353) in any of the
    layouts :func:`~wvtool.benchmark_files.read_pairs` reads (``#`` comments;
    the word and score columns found from the file or given by ``columns``).
    Pairs with a word outside the first ``restrict`` rows are skipped and
    counted (``options``: an :class:`EvalOptions`, or its fields as keywords).
    Returns ``{"file", "name", "spearman", "pearson", "pairs_used", "skipped",
    "oov_percent", "invalid_lines", "columns", "restrict", "case_sensitive"}``
    (``columns``: the word, word, score columns used, from 1); the correlations
    are None when fewer than two pairs are usable.
    """
    _settings.table("vectors", vectors, path_hint="load it with wvtool.load(path), or pass the path to wvtool.evaluate")
    opts = _settings.build(EvalOptions, options, **settings)
    path = shipped(PAIRS_FILES[0]) if pairs is None else Path(_settings.path("pairs", pairs))
    items, invalid, columns = read_scored_pairs(path, opts.columns)
    vocab, _ = eval_vocab(vectors, opts.restrict, opts.case_sensitive)
    fold = _fold(opts.case_sensitive)
    rows = np.array([[vocab.get(fold(w1), -1), vocab.get(fold(w2), -1)] for w1, w2, _ in items],
                    dtype=np.int64).reshape(-1, 2)
    gold = np.array([score for _, _, score in items], dtype=np.float64)
    seen = (rows >= 0).all(axis=1)
    model = np.empty(0, np.float32)
    if seen.any():
        model = np.einsum("ij,ij->i", vectors.unit_rows(rows[seen, 0]), vectors.unit_rows(rows[seen, 1]))
    result = {"file": str(path), "name": shown_name(path), **_pair_scores(gold[seen], model, len(items))}
    result.update(invalid_lines=invalid, columns=list(columns), restrict=check_restrict(vectors, opts.restrict),
                  case_sensitive=opts.case_sensitive)
    if vectors.subwords is not None:
        result["composed"] = _composed_pairs(vectors, [(w1, w2) for w1, w2, _ in items], rows, gold, opts)
    return result


def read_scored_pairs(path, columns=None) -> tuple[list[tuple[str, str, float]], int, tuple[int, ...]]:
    """The pairs of a word-pair benchmark that have a score: ``(items, invalid lines, columns)``.

    Pairs without a score are skipped with a warning (and counted as invalid lines); a file
    with no scored pair at all is a FormatError, as is one with no pair
    (:func:`~wvtool.benchmark_files.read_pairs`).
    """
    items, invalid, used = read_pairs(path, columns)
    no_score = sum(p[2] is None for p in items)
    if no_score == len(items):
        raise FormatError(path, None, f"no pair has a score ({no_score} pair(s) of two words); a benchmark needs "
                          "'word1 word2 score' lines", "add the human scores, or name the score column with "
                          "{columns='1,2,3'}")
    if no_score:
        warnings.warn(f"{path}: skipped {no_score} pair(s) without a score; evaluation needs 'word1 word2 score' lines",
                      WvtoolWarning, stacklevel=3)
    return [p for p in items if p[2] is not None], invalid + no_score, used


def _pair_scores(gold: np.ndarray, model: np.ndarray, total: int) -> dict:
    """The figures of a word-pair benchmark from the human and model scores of the pairs seen."""
    skipped = total - len(gold)
    return {
        "spearman": spearman(gold, model),
        "pearson": pearson(gold, model),
        "pairs_used": len(gold),
        "skipped": skipped,
        "oov_percent": (100.0 * skipped / total) if total else None,
    }


def _composed_pairs(vectors: Vectors, pairs: list[tuple[str, str]], rows: np.ndarray, gold: np.ndarray,
                    opts: EvalOptions) -> dict:
    """The word-pair figures with the words outside the vocabulary composed from n-grams (see
    :func:`_composed_analogies`): a pair is seen when both its words have a vector."""
    form = _compose_form(opts.case_sensitive)
    flat = [w for pair in pairs for w in pair]
    rows = rows.reshape(-1)
    unseen = sorted({form(w) for w, r in zip(flat, rows.tolist(), strict=True) if r < 0})
    units, has, composed = _unseen_units(vectors, unseen)
    at = {w: i for i, w in enumerate(unseen) if has[i]}
    known = rows >= 0
    vecs = np.zeros((len(flat), vectors.dim), dtype=np.float32)
    if known.any():
        vecs[known] = vectors.unit_rows(rows[known])
    ok = known.copy()
    for k in np.flatnonzero(~known):
        i = at.get(form(flat[k]))
        if i is not None:
            vecs[k], ok[k] = units[i], True
    seen = ok.reshape(-1, 2).all(axis=1)
    model = np.einsum("ij,ij->i", vecs[0::2][seen], vecs[1::2][seen])
    return {**_pair_scores(gold[seen], model, len(pairs)), "composed_words": int(composed.sum())}


def pair_correlations(scores: Sequence[float | None], sims: Sequence[float | None]) -> dict:
    """Spearman and Pearson over the pairs where both a score and a similarity are known."""
    both = [(s, m) for s, m in zip(scores, sims, strict=True) if s is not None and m is not None]
    gold = [s for s, _ in both]
    model = [m for _, m in both]
    return {"spearman": spearman(gold, model), "pearson": pearson(gold, model), "pairs_used": len(both)}


def score_pairs_file(vectors: Vectors, path, columns=None) -> dict:
    """The cosine of every pair in a word-pair file, with the correlations when the file has scores.

    Unlike :func:`evaluate_pairs` (a benchmark: restricted, case-folded vocabulary), words are looked
    up exactly as written in the whole table, and pairs without a score are kept.  ``columns``: as
    :class:`EvalOptions`'s (None: found from the file).  Returns ``{"file", "pairs": [{"word1",
    "word2", "similarity", "unknown"[, "score"]}, ...], "total", "pairs_unknown", "invalid_lines",
    "columns", "spearman", "pearson", "pairs_used"}`` (the correlations of :func:`pair_correlations`, None and 0
    pairs used when no pair has a score); a pair's ``similarity`` is None and its ``unknown`` lists the missing
    words when a word is not in the table; ``pairs_unknown`` counts those pairs.

    A subword table composes the words outside its vocabulary (each pair then
    lists them in ``"composed"``, and ``pairs_unknown`` counts only pairs with a word
    that has no known n-gram).  The correlations stay those of the pairs whose
    words are all in the vocabulary, comparable with gensim's
    ``evaluate_word_pairs`` and with word-only tables; ``"composed"`` adds
    ``{"spearman", "pearson", "pairs_used", "pairs_composed", "composed_words"}``
    over every pair with a vector, as :func:`evaluate_pairs` does.
    """
    from .query import similarity_pairs

    _settings.table("vectors", vectors, path_hint="load it once with wvtool.load(path) and pass the table")
    items, invalid, used = read_pairs(path, columns)
    rows = similarity_pairs(vectors, items)
    for r in rows:
        if r.get("score", "absent") is None:
            del r["score"]
    result = {
        "file": str(path),
        "pairs": rows,
        "total": len(rows),
        "pairs_unknown": sum(1 for r in rows if r["similarity"] is None),
        "invalid_lines": invalid,
        "columns": list(used),
    }
    scores = [r.get("score") for r in rows]
    plain = [None if r.get("composed") else r["similarity"] for r in rows]
    result.update(pair_correlations(scores, plain))
    if vectors.subwords is not None:
        result["composed"] = pair_correlations(scores, [r["similarity"] for r in rows])
    if vectors.subwords is not None:
        result.setdefault("composed", {}).update(
            pairs_composed=sum(1 for r in rows if r["composed"]),
            composed_words=len({w for r in rows for w in r["composed"]}))
    return result


# --- everything ------------------------------------------------------------------------


@reading_twice()  # the files are checked before the vectors are loaded, then scored: a pipe is read once
def evaluate(
    vectors,
    *,
    analogies=None,
    pairs=None,
    options: EvalOptions | None = None,
    load_options=None,
    progress: Progress | None = None,
    load_progress: Progress | None = None,
    **settings,
) -> dict:
    """Run analogy and word-pair benchmarks; with neither given, the shipped ones.

    ``vectors``: a :class:`~wvtool.Vectors` table, or the path of a vector file,
    read with ``load_options`` (a :class:`~wvtool.formats.LoadOptions`) and
    ``load_progress`` after every benchmark file is checked to be readable.
    ``analogies`` is one questions file; ``pairs`` one path or a list of
    paths; ``options`` (an :class:`EvalOptions`) and/or its fields as keywords
    (``restrict``, ``case_sensitive``).  Returns ``{"words", "restrict", "case_sensitive",
    "analogies": dict | None, "pairs": [dict, ...]}`` (``words``: the number of
    words in the table; see
    :func:`evaluate_analogies` and :func:`evaluate_pairs`).
    """
    _settings.table_or_path("vectors", vectors)
    opts = _settings.build(EvalOptions, options, **settings)
    _settings.callback("progress", progress)
    _settings.callback("load_progress", load_progress)
    if analogies is None and not pairs:
        analogies = shipped(ANALOGIES_FILE)
        pairs = [shipped(p) for p in PAIRS_FILES]
    if pairs is None:
        pair_paths = []
    elif isinstance(pairs, (str, os.PathLike)):
        pair_paths = [pairs]
    elif isinstance(pairs, Iterable):
        pair_paths = list(pairs)
    else:
        pair_paths = [_settings.path("pairs", pairs)]
    named = ([("analogies", analogies)] if analogies is not None else []) + [("pairs", p) for p in pair_paths]
    stdin = [name for name, p in named if str(p) == "-"]
    if len(stdin) + (str(vectors) == "-" and not isinstance(vectors, Vectors)) > 1:
        raise ConfigError("standard input (-) can be read once: give at most one of the vectors, the analogies and the "
                          "pair files as -")
    for name, p in named:
        if str(p) != "-":  # standard input is read as a pipe is
            check_readable(_settings.path(name, p))
    if not isinstance(vectors, Vectors):
        # a file with no question or pair fails before the (possibly large) vector file is read; its warnings
        # come once, when it is scored
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", WvtoolWarning)
            if analogies is not None:
                read_analogies(analogies)
            for p in pair_paths:
                read_scored_pairs(p, opts.columns)
    if not isinstance(vectors, Vectors):
        from .formats import load

        vectors = load(vectors, options=load_options, progress=load_progress)
    result = {
        "words": len(vectors),
        "restrict": check_restrict(vectors, opts.restrict),
        "case_sensitive": opts.case_sensitive,
        "analogies": None,
        "pairs": [],
    }
    if analogies is not None:
        result["analogies"] = evaluate_analogies(vectors, analogies, options=opts, progress=progress)
    for p in pair_paths:
        result["pairs"].append(evaluate_pairs(vectors, p, options=opts))
    return result
