"""Load benchmark: wvtool vs gensim on the same files, in one process, side by side.

- a 400,000 x 300 word2vec binary file written by gensim's own writer, loaded by
  gensim ``KeyedVectors.load_word2vec_format(binary=True)`` and by ``wvtool.load``;
- the same table in wvtool's native format (memory-mapped);
- a 100,000 x 300 word2vec text file (text is slow for both; kept smaller);
- a 1,000,000 x 300 native file (the "well under a second" requirement).

Generated files are cached in $WVTOOL_BENCH_DIR (default /tmp/wvtool-bench-load)
so a second run skips generation.  Run alone: ``python tests/bench/bench_load.py``.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

import numpy as np

CACHE = Path(os.environ.get("WVTOOL_BENCH_DIR", "/tmp/wvtool-bench-load"))
N_BIN, N_TEXT, N_NATIVE_BIG, DIM = 400_000, 100_000, 1_000_000, 300


def _words(n: int, seed: int = 0) -> list[str]:
    """Plausible unique words: lowercase syllables, some capitalised, some non-ASCII."""
    rng = np.random.default_rng(seed)
    syll = ["ka", "to", "ri", "men", "sa", "lo", "ve", "qu", "an", "ter", "ing", "ed", "é", "ü", "ö", "ñ", "st", "ch"]
    out: list[str] = []
    seen: set[str] = set()
    lengths = rng.integers(1, 5, size=n * 2)
    picks = rng.integers(0, len(syll), size=(n * 2, 4))
    caps = rng.random(n * 2) < 0.1
    for i in range(n * 2):
        w = "".join(syll[j] for j in picks[i, : lengths[i]])
        if caps[i]:
            w = w.capitalize()
        if w in seen:
            w = f"{w}{i}"
        seen.add(w)
        out.append(w)
        if len(out) == n:
            break
    return out


def _table(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return _words(n, seed), rng.normal(scale=0.3, size=(n, DIM)).astype(np.float32)


def _prepare() -> dict[str, Path]:
    from gensim.models import KeyedVectors

    import wvtool

    CACHE.mkdir(parents=True, exist_ok=True)
    paths = {
        "bin": CACHE / f"gensim-{N_BIN}x{DIM}.bin",
        "native": CACHE / f"wvtool-{N_BIN}x{DIM}.wv",
        "text": CACHE / f"gensim-{N_TEXT}x{DIM}.txt",
        "native_big": CACHE / f"wvtool-{N_NATIVE_BIG}x{DIM}.wv",
    }
    if not paths["bin"].exists() or not paths["native"].exists() or not paths["text"].exists():
        print(f"generating {N_BIN:,} x {DIM} table in {CACHE} ...", file=sys.stderr)
        words, vecs = _table(N_BIN)
        kv = KeyedVectors(DIM)
        kv.add_vectors(words, vecs)
        tmp = paths["bin"].with_suffix(".tmp")
        kv.save_word2vec_format(str(tmp), binary=True)
        tmp.replace(paths["bin"])
        small = KeyedVectors(DIM)
        small.add_vectors(words[:N_TEXT], vecs[:N_TEXT])
        tmp = paths["text"].with_suffix(".tmp")
        small.save_word2vec_format(str(tmp), binary=False)
        tmp.replace(paths["text"])
        wvtool.save(wvtool.Vectors(words, vecs), paths["native"])
    if not paths["native_big"].exists():
        print(f"generating {N_NATIVE_BIG:,} x {DIM} native file ...", file=sys.stderr)
        words, vecs = _table(N_NATIVE_BIG, seed=1)
        wvtool.save(wvtool.Vectors(words, vecs), paths["native_big"])
    return paths


def _time(fn, repeat: int = 1):
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None  # free the previous table before loading the next
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def _load_and_lookup(path):
    import wvtool

    kv = wvtool.load(path)
    kv.get_index(kv.words[-1])
    return kv


def _same(kv, gensim_kv) -> bool:
    return list(kv.words) == list(gensim_kv.index_to_key) and np.array_equal(kv.vectors, gensim_kv.vectors)


def main() -> list[dict]:
    from gensim.models import KeyedVectors

    import wvtool

    paths = _prepare()
    rows: list[dict] = []

    # warm the page cache for every file so the first contender is not penalised
    for p in paths.values():
        with open(p, "rb") as f:
            while f.read(1 << 24):
                pass

    # best of several runs each: the machine may be shared, and the first run pays page faults
    t_g_bin, g_bin = _time(lambda: KeyedVectors.load_word2vec_format(str(paths["bin"]), binary=True), repeat=2)
    t_w_bin, w_bin = _time(lambda: wvtool.load(paths["bin"]), repeat=3)
    t_w_nat, w_nat = _time(lambda: wvtool.load(paths["native"]), repeat=5)
    # the native reader defers the word->row dict to the first lookup: time that too
    t_w_nat_q, _ = _time(lambda: _load_and_lookup(paths["native"]), repeat=5)
    assert _same(w_bin, g_bin), "wvtool and gensim read different tables from the binary file"
    assert _same(w_nat, g_bin), "the native file does not hold the same table"
    rows.append(dict(what=f"word2vec binary {N_BIN:,} x {DIM}", gensim=t_g_bin, wvtool=t_w_bin))
    rows.append(dict(what=f"native .wv {N_BIN:,} x {DIM} (vs gensim binary)", gensim=t_g_bin, wvtool=t_w_nat))
    rows.append(dict(what="  ... plus the first word lookup (builds the index)", gensim=t_g_bin, wvtool=t_w_nat_q))
    del g_bin, w_bin, w_nat

    t_g_txt, g_txt = _time(lambda: KeyedVectors.load_word2vec_format(str(paths["text"]), binary=False))
    t_w_txt, w_txt = _time(lambda: wvtool.load(paths["text"]))
    assert _same(w_txt, g_txt), "wvtool and gensim read different tables from the text file"
    rows.append(dict(what=f"word2vec text {N_TEXT:,} x {DIM}", gensim=t_g_txt, wvtool=t_w_txt))
    del g_txt, w_txt

    t_big, big = _time(lambda: _load_and_lookup(paths["native_big"]), repeat=5)
    assert len(big) == N_NATIVE_BIG and big.vectors.shape == (N_NATIVE_BIG, DIM)
    rows.append(dict(what=f"native .wv {N_NATIVE_BIG:,} x {DIM} (load + first lookup)", gensim=None, wvtool=t_big))
    del big

    _print(rows)
    return rows


def _print(rows: list[dict]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover
        Console = None
    header = ("load", "gensim s", "wvtool s", "speed-up")
    body = []
    for r in rows:
        g = f"{r['gensim']:.3f}" if r["gensim"] is not None else "-"
        ratio = f"{r['gensim'] / r['wvtool']:.1f}x" if r["gensim"] is not None else "-"
        body.append((r["what"], g, f"{r['wvtool']:.3f}", ratio))
    if Console is None:
        for line in (header, *body):
            print(" | ".join(line))
        return
    t = Table(title="Loading vector files (best of runs; same files, same process)", title_justify="left")
    t.add_column(header[0])
    for h in header[1:]:
        t.add_column(h, justify="right")
    for line in body:
        t.add_row(*line)
    Console().print(t)


if __name__ == "__main__":
    main()
