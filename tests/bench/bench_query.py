"""Query benchmark: wvtool vs gensim in one process, side by side.

- The full Google analogy set (questions-words.txt, 19,544 questions) over a
  300,000 x 300 table: gensim ``evaluate_word_analogies(restrict_vocab=300000)``
  (one matrix-vector product per question) against
  ``wvtool.evaluate_analogies(restrict=300000)`` (batched matrix products).
  The table is random with each section's relation planted among the
  question words (every question is answered, many correctly), and both must
  count the same answers correct.
- One neighbours query on a 1,000,000 x 300 table: cold (the first query,
  which computes the unit-norm cache / gensim's norms) and warm (median of
  later queries).

``--quick`` times gensim on every 10th question only (the ratio is taken on
that same subset; the full gensim time is extrapolated and marked "~").  Run
alone: ``python tests/bench/bench_query.py [--quick]``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N_ANALOGY, N_NEIGHBORS, DIM = 300_000, 1_000_000, 300


def _question_words(path: Path) -> list[str]:
    seen: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith(":"):
            for w in line.split():
                seen.setdefault(w, None)
    return list(seen)


def _plant_analogies(path: Path, index: dict[str, int], arr: np.ndarray, rng) -> None:
    """Give the question words vectors with the section's relation built in (b = a + r + noise), in place.

    A random table answers nothing correctly, which would make "same number
    correct as gensim" a weak check; with the relations planted, many answers are right.
    """
    placed: set[str] = set()
    rel = None
    dim = arr.shape[1]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(":"):
            rel = rng.standard_normal(dim).astype(np.float32)
            continue
        w = line.split()
        for x, y in ((w[0], w[1]), (w[2], w[3])):
            placed.add(x)
            if y not in placed:
                arr[index[y]] = arr[index[x]] + rel + 0.5 * rng.standard_normal(dim).astype(np.float32)
                placed.add(y)


def _gensim_kv(words: list[str], arr: np.ndarray):
    """A gensim KeyedVectors sharing ``arr`` (no copy)."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=arr.shape[1])
    kv.index_to_key = list(words)
    kv.key_to_index = {w: i for i, w in enumerate(words)}
    kv.vectors = arr
    kv.norms = None
    return kv


def _subset_file(path: Path, every: int, out: Path) -> int:
    n = 0
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(":"):
            lines.append(line)
        else:
            if n % every == 0:
                lines.append(line)
            n += 1
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(1 for x in lines if not x.startswith(":"))


def _timed(fn):
    t = time.perf_counter()
    r = fn()
    return time.perf_counter() - t, r


def bench_analogies(quick: bool) -> list[tuple]:
    from wvtool import Vectors
    from wvtool.evaluation import evaluate_analogies, shipped

    path = shipped("questions-words.txt")
    qwords = _question_words(path)
    rng = np.random.default_rng(0)
    words = qwords + [f"filler{i}" for i in range(N_ANALOGY - len(qwords))]
    arr = rng.standard_normal((N_ANALOGY, DIM), dtype=np.float32)
    _plant_analogies(path, {w: i for i, w in enumerate(qwords)}, arr, rng)
    vec = Vectors(words, arr)
    kv = _gensim_kv(vec.words, np.asarray(vec.vectors))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if quick:
            sub = Path(tmp) / "questions-sub.txt"
            n_sub = _subset_file(path, 10, sub)
        t_wv, ours = _timed(lambda: evaluate_analogies(vec, path, restrict=N_ANALOGY))  # includes the unit-norm cache
        if quick:
            t_wv_sub, ours_sub = _timed(lambda: evaluate_analogies(vec, sub, restrict=N_ANALOGY))
            t_g_sub, (_, g_sections) = _timed(lambda: kv.evaluate_word_analogies(str(sub), restrict_vocab=N_ANALOGY))
            g_total = g_sections[-1]
            rows.append((f"analogies, every 10th ({n_sub:,} q), {N_ANALOGY:,} x {DIM}", t_g_sub, t_wv_sub,
                         f"correct: gensim {len(g_total['correct'])}, wvtool {ours_sub['total']['correct']}"))
            t_g_full = t_g_sub * ours["total"]["seen"] / n_sub
            rows.append((f"analogies, full ({ours['total']['seen']:,} q), {N_ANALOGY:,} x {DIM}", t_g_full, t_wv,
                         "gensim extrapolated"))
        else:
            t_g, (_, g_sections) = _timed(lambda: kv.evaluate_word_analogies(str(path), restrict_vocab=N_ANALOGY))
            g_total = g_sections[-1]
            same = len(g_total["correct"]) == ours["total"]["correct"]
            rows.append((f"analogies, full ({ours['total']['seen']:,} q), {N_ANALOGY:,} x {DIM}", t_g, t_wv,
                         f"correct: gensim {len(g_total['correct'])}, wvtool {ours['total']['correct']}"
                         + ("" if same else " (DIFFER)")))
    return rows


def bench_neighbors(repeats: int = 7) -> list[tuple]:
    from wvtool import Vectors
    from wvtool.query import neighbors

    rng = np.random.default_rng(1)
    arr = rng.standard_normal((N_NEIGHBORS, DIM), dtype=np.float32)
    words = [f"w{i}" for i in range(N_NEIGHBORS)]
    vec = Vectors(words, arr)
    kv = _gensim_kv(vec.words, np.asarray(vec.vectors))
    queries = [words[int(i)] for i in rng.integers(0, N_NEIGHBORS, size=repeats + 1)]

    t_wv_cold, ours = _timed(lambda: neighbors(vec, queries[0], 10))
    t_g_cold, theirs = _timed(lambda: kv.most_similar(queries[0], topn=10))
    assert [w for w, _ in ours] == [w for w, _ in theirs], "gensim and wvtool disagree"
    warm_wv, warm_g = [], []
    for q in queries[1:]:
        warm_wv.append(_timed(lambda q=q: neighbors(vec, q, 10))[0])
        warm_g.append(_timed(lambda q=q: kv.most_similar(q, topn=10))[0])
    rows = [
        (f"neighbours k=10, {N_NEIGHBORS:,} x {DIM}, cold", t_g_cold, t_wv_cold, "first query: + norms / unit cache"),
        (f"neighbours k=10, {N_NEIGHBORS:,} x {DIM}, warm", statistics.median(warm_g), statistics.median(warm_wv),
         f"median of {repeats}; wvtool {1e3 * statistics.median(warm_wv):.1f} ms (target < 50 ms)"),
    ]
    return rows


def _print(rows: list[tuple]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover
        Console = None
    head = ("what", "gensim s", "wvtool s", "speed-up", "note")
    cells = []
    for what, g, w, note in rows:
        approx = "~" if "extrapolated" in note else ""
        cells.append((what, f"{approx}{g:.3f}", f"{w:.3f}", f"{approx}{g / w:.1f}x", note))
    if Console is None:
        print(" | ".join(head))
        for c in cells:
            print(" | ".join(c))
        return
    t = Table(title="queries: wvtool vs gensim", title_justify="left")
    for i, h in enumerate(head):
        t.add_column(h, justify="right" if 0 < i < 4 else "left")
    for c in cells:
        t.add_row(*c)
    Console(width=160).print(t)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--quick", action="store_true", help="time gensim on every 10th analogy question only")
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    rows = bench_neighbors()
    gc.collect()  # free the 1,000,000-word table before building the next
    rows += bench_analogies(args.quick)
    _print(rows)


if __name__ == "__main__":
    main()
