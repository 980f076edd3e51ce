"""Training benchmark: wvtool vs gensim skip-gram on the same corpus, same settings, same threads.

Both train skip-gram with negative sampling (dim 100, window 5, negative 5,
min_count 5, sample 1e-3, alpha 0.025 -> 0.0001, 5 epochs) with 2 threads on
``../shared/corpora/wiki-text8like-100m.txt.gz``.  Each trainer runs in its own
subprocess (so peak memory, ru_maxrss, is its own); only the training call is
timed (reading the corpus and building the vocabulary are timed separately).
gensim gets the corpus as in-memory lists of 10,000 tokens (its fastest
iterable input; its peak memory includes those Python lists).  words/s =
corpus tokens x epochs / training time, the same count for both.  Numba's
first-run compile time is measured separately, in a fresh process with an
empty cache.  Both tables are scored by the same evaluator (gensim's):
analogies over the 30,000 most frequent words (3CosAdd), WordSim-353 and
SimLex-999 Spearman.

    python tests/bench/bench_train.py            # full run (~6 minutes on 2 cores)
    python tests/bench/bench_train.py --quick    # text8-head-12m (2.1M tokens)
    python tests/bench/bench_train.py --corpus FILE --threads 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
DATA = ROOT / "wvtool" / "data"
SETTINGS = dict(dim=100, window=5, negative=5, min_count=5, sample=1e-3, alpha=0.025, min_alpha=0.0001, epochs=5)


def _maxrss_mb() -> float:
    """Peak resident memory of this process, in MB.

    VmHWM belongs to the address space, which exec replaces; ru_maxrss would not
    do here: Linux carries it over fork and exec, so a worker started by a parent
    that holds big tables (e.g. after the load benchmark in `make bench`) would
    report the parent's peak.
    """
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_wvtool(corpus: str, threads: int, out: str) -> dict:
    from wvtool.corpus import read_corpus
    from wvtool.trainer import train

    # load the compiled kernel from the cache before timing
    tiny = Path(out).with_suffix(".warm.txt")
    tiny.write_text("a b c a b c\n" * 10)
    train([tiny], dim=8, epochs=1, min_count=1, threads=threads)
    t0 = time.perf_counter()
    c = read_corpus([corpus], min_count=SETTINGS["min_count"])
    read = time.perf_counter() - t0
    kv = train(c, threads=threads, seed=1, **SETTINGS)
    stats = kv.stats
    np.save(out + ".npy", kv.vectors)
    Path(out + ".words").write_text("\n".join(kv.words), encoding="utf-8")
    return {"read": read, "train": stats.train_seconds, "tokens": c.raw_tokens, "vocab": len(kv), "rss": _maxrss_mb()}


def _worker_gensim(corpus: str, threads: int, out: str) -> dict:
    from gensim.models import Word2Vec

    from wvtool.corpus import read_corpus

    t0 = time.perf_counter()
    # the same tokens as wvtool (min_count 1 keeps every token), as lists of <= 10,000 words
    c = read_corpus([corpus], min_count=1)
    words = np.array(c.words, dtype=object)
    sentences = []
    for s, e in zip(c.bounds[:-1], c.bounds[1:], strict=True):
        for a in range(s, e, 10_000):
            sentences.append(words[c.tokens[a : min(e, a + 10_000)]].tolist())
    n_tokens = c.n_tokens
    del c, words
    model = Word2Vec(
        sg=1, vector_size=SETTINGS["dim"], window=SETTINGS["window"], negative=SETTINGS["negative"], hs=0,
        min_count=SETTINGS["min_count"], sample=SETTINGS["sample"], alpha=SETTINGS["alpha"],
        min_alpha=SETTINGS["min_alpha"], workers=threads, seed=1,
    )
    model.build_vocab(sentences)
    read = time.perf_counter() - t0
    t1 = time.perf_counter()
    model.train(sentences, total_examples=len(sentences), epochs=SETTINGS["epochs"])
    train_s = time.perf_counter() - t1
    kv = model.wv
    np.save(out + ".npy", kv.vectors)
    Path(out + ".words").write_text("\n".join(kv.index_to_key), encoding="utf-8")
    return {"read": read, "train": train_s, "tokens": n_tokens, "vocab": len(kv), "rss": _maxrss_mb()}


def _worker_compile(threads: int, out: str) -> dict:
    """First training call in a process with an empty Numba cache: compile + tiny run, minus a second run."""
    from wvtool.trainer import train

    tiny = Path(out + ".txt")
    tiny.write_text("a b c a b c\n" * 10)
    t0 = time.perf_counter()
    train([tiny], dim=8, epochs=1, min_count=1, threads=threads)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    train([tiny], dim=8, epochs=1, min_count=1, threads=threads)
    second = time.perf_counter() - t0
    return {"compile": first - second}


def _run_worker(kind: str, corpus: str, threads: int, out: str, env=None) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--corpus", corpus, "--threads", str(threads), "--out", out]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"{kind} worker failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def _score(out: str) -> dict:
    from gensim.models import KeyedVectors

    vecs = np.load(out + ".npy")
    words = Path(out + ".words").read_text(encoding="utf-8").split("\n")
    kv = KeyedVectors(vecs.shape[1])
    kv.add_vectors(words, vecs)
    analogy = kv.evaluate_word_analogies(str(DATA / "questions-words.txt"), restrict_vocab=30_000)[0]
    ws = kv.evaluate_word_pairs(str(DATA / "wordsim353.tsv"))[1][0]
    sl = kv.evaluate_word_pairs(str(DATA / "simlex999.txt"))[1][0]
    return {"analogy": analogy, "ws353": ws, "simlex": sl}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default=None, help="corpus file (default: wiki-text8like-100m)")
    p.add_argument("--quick", action="store_true", help="use text8-head-12m (2.1M tokens)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--skip-gensim", action="store_true", help="wvtool only (development)")
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    p.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args, _ = p.parse_known_args(sys.argv[1:] if argv is None else argv)
    corpus = args.corpus or str(CORPORA / ("text8-head-12m.txt.gz" if args.quick else "wiki-text8like-100m.txt.gz"))
    if args.worker:
        fn = {"wvtool": _worker_wvtool, "gensim": _worker_gensim}.get(args.worker)
        res = _worker_compile(args.threads, args.out) if args.worker == "compile" else fn(corpus, args.threads, args.out)
        print(json.dumps(res))
        return res

    tmp = Path(tempfile.mkdtemp(prefix="wvtool-bench-train-"))
    print(f"corpus: {corpus}; {args.threads} threads; " + ", ".join(f"{k}={v}" for k, v in SETTINGS.items()), flush=True)
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp / "numba-cache")}
    comp = _run_worker("compile", corpus, args.threads, str(tmp / "compile"), env=env)
    results = {}
    for kind in ("wvtool",) if args.skip_gensim else ("wvtool", "gensim"):
        results[kind] = _run_worker(kind, corpus, args.threads, str(tmp / kind))
        results[kind].update(_score(str(tmp / kind)))
        r = results[kind]
        r["wps"] = r["tokens"] * SETTINGS["epochs"] / r["train"]
        print(f"  {kind}: {r['train']:.1f} s training, {r['wps']:,.0f} words/s", flush=True)
    results["compile"] = comp["compile"]

    rows = [
        ("training words/s", "wps", "{:,.0f}", True),
        ("training time (s)", "train", "{:.1f}", False),
        ("read + vocabulary (s)", "read", "{:.1f}", False),
        ("peak memory (MB)", "rss", "{:,.0f}", False),
        ("vocabulary", "vocab", "{:,}", None),
        ("analogy accuracy (top 30k)", "analogy", "{:.3f}", "diff"),
        ("WordSim-353 Spearman", "ws353", "{:.3f}", "diff"),
        ("SimLex-999 Spearman", "simlex", "{:.3f}", "diff"),
    ]
    w = results["wvtool"]
    g = results.get("gensim")
    print()
    print(f"{'':28} {'wvtool':>12} {'gensim':>12} {'wvtool/gensim':>14}")
    for label, key, fmt, kind in rows:
        gv = fmt.format(g[key]) if g else "-"
        if g is None or kind is None:
            rel = ""
        elif kind == "diff":
            rel = f"{w[key] - g[key]:+.3f}"
        else:
            rel = f"{w[key] / g[key]:.2f}x"
        print(f"{label:28} {fmt.format(w[key]):>12} {gv:>12} {rel:>14}")
    print(f"{'Numba compile, first run (s)':28} {results['compile']:>12.1f} {'-':>12}")
    return results


if __name__ == "__main__":
    main()
