"""Training benchmark: wvtool vs gensim, skip-gram and CBOW, same corpus, settings and threads.

Both train with negative sampling (dim 100, window 5, negative 5, min_count 5,
sample 1e-3, 5 epochs, learning rate falling linearly to 0.0001; alpha 0.025
for skip-gram and 0.05 for CBOW, CBOW averaging its context) with 2 threads,
on ``../shared/corpora/text8-head-12m.txt.gz`` (2.1M tokens),
``wiki-text8like-100m.txt.gz`` (17M tokens) and the demo's
``sample_corpora/wiki.txt.gz`` (7.7M tokens of raw Wikipedia text), 3 seeds each.  Each training
runs in its own subprocess (so peak memory is its own); only the training
call is timed.  gensim gets the corpus as in-memory lists of 10,000 tokens
(its fastest iterable input).  words/s = corpus tokens x epochs / training
time (raw tokens, the same count for both); the table shows the median over the seeds, and the
ratio is the median over the seeds of each seed's two runs' ratio (they run back to back).
Quality is scored by one evaluator (gensim's) on both tables: analogies over
the 30,000 most frequent words (3CosAdd), WordSim-353 and SimLex-999
Spearman, as the mean over the seeds with the min-max range beside it.
Numba's first-run compile time is measured in a fresh process with an empty cache.

    python tests/bench/bench_train.py                      # everything (long: ~1 hour on 2 busy cores)
    python tests/bench/bench_train.py --quick              # text8-head only
    python tests/bench/bench_train.py --models cbow --corpora text8-head --seeds 1
    python tests/bench/bench_train.py --corpus FILE --set neg_share=1 --skip-gensim
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
DATA = ROOT / "wvtool" / "data"
#: the benchmark corpora by name: two of ../shared/corpora, and the demo's sample corpus from this repository
CORPUS_FILES = {"text8-head": CORPORA / "text8-head-12m.txt.gz", "wiki-text8like": CORPORA / "wiki-text8like-100m.txt.gz",
                "sample": ROOT / "sample_corpora" / "wiki.txt.gz"}
SETTINGS = dict(dim=100, window=5, negative=5, min_count=5, sample=1e-3, min_alpha=0.0001, epochs=5)
ALPHA = {"skipgram": 0.025, "cbow": 0.05}


def cpu_line() -> str:
    """The CPU model and which of the SIMD extensions that matter to the kernels it has."""
    cpu, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    except OSError:
        pass
    simd = [f for f in ("avx2", "fma", "avx512f") if f in flags]
    return f"{cpu} ({', '.join(simd) if simd else 'no AVX2/AVX-512'})"


def _maxrss_mb() -> float:
    """Peak resident memory of this process, in MB (VmHWM: ru_maxrss is inherited over fork and exec)."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _train_wvtool(corpus, threads, seed, **settings):
    """wvtool's train on an already-read corpus: (table, training seconds)."""
    from wvtool import trainer

    kv = trainer.train(corpus, threads=threads, seed=seed, **settings)
    return kv, kv.stats.train_seconds


def _worker_wvtool(corpus: str, threads: int, out: str, model: str, seed: int, extra: dict) -> dict:
    from wvtool.corpus import read_corpus

    # load the compiled kernel from the cache before timing
    tiny = Path(out).with_suffix(".warm.txt")
    tiny.write_text("a b c a b c\n" * 10)
    t0 = time.perf_counter()
    c = read_corpus([tiny], min_count=1)
    _train_wvtool(c, threads, 1, dim=8, epochs=1, min_count=1, sample=0, model=model)
    c = read_corpus([corpus], min_count=SETTINGS["min_count"])
    read = time.perf_counter() - t0
    kv, seconds = _train_wvtool(c, threads, seed, model=model, alpha=ALPHA[model], **{**SETTINGS, **extra})
    np.save(out + ".npy", kv.vectors)
    Path(out + ".words").write_text("\n".join(kv.words), encoding="utf-8")
    return {"read": read, "train": seconds, "tokens": c.raw_tokens, "vocab": len(kv), "rss": _maxrss_mb()}


def gensim_sentences(corpus: str) -> tuple[list[list[str]], int]:
    """The corpus as wvtool tokenizes it (min_count 1 keeps every token), as lists of <= 10,000 words, and its
    token count: gensim's fastest iterable input."""
    from wvtool.corpus import read_corpus

    c = read_corpus([corpus], min_count=1)
    words = np.array(c.words, dtype=object)
    sentences = []
    for s, e in zip(c.bounds[:-1], c.bounds[1:], strict=True):
        for a in range(s, e, 10_000):
            sentences.append(words[c.tokens[a : min(e, a + 10_000)]].tolist())
    return sentences, c.n_tokens


def _worker_gensim(corpus: str, threads: int, out: str, model: str, seed: int, extra: dict) -> dict:
    from gensim.models import Word2Vec


    t0 = time.perf_counter()
    sentences, n_tokens = gensim_sentences(corpus)
    gm = Word2Vec(
        sg=1 if model == "skipgram" else 0, cbow_mean=1, vector_size=SETTINGS["dim"], window=SETTINGS["window"],
        negative=SETTINGS["negative"], hs=0, min_count=SETTINGS["min_count"], sample=SETTINGS["sample"],
        alpha=ALPHA[model], min_alpha=SETTINGS["min_alpha"], workers=threads, seed=seed,
    )
    gm.build_vocab(sentences)
    read = time.perf_counter() - t0
    t1 = time.perf_counter()
    gm.train(sentences, total_examples=len(sentences), epochs=SETTINGS["epochs"])
    seconds = time.perf_counter() - t1
    kv = gm.wv
    np.save(out + ".npy", kv.vectors)
    Path(out + ".words").write_text("\n".join(kv.index_to_key), encoding="utf-8")
    return {"read": read, "train": seconds, "tokens": n_tokens, "vocab": len(kv), "rss": _maxrss_mb()}


def _worker_compile(threads: int, out: str) -> dict:
    """First training call of each model in a process with an empty Numba cache: compile + tiny run, minus a
    second run (each model has its own kernel)."""
    from wvtool.corpus import read_corpus

    tiny = Path(out + ".txt")
    tiny.write_text("a b c a b c\n" * 10)
    c = read_corpus([tiny], min_count=1)
    seconds = {}
    for model in ALPHA:
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            _train_wvtool(c, threads, 1, dim=8, epochs=1, min_count=1, sample=0, model=model)
            times.append(time.perf_counter() - t0)
        seconds[model] = times[0] - times[1]
    return {"compile": seconds}


def _worker_read(corpus: str, threads: int) -> dict:
    """Seconds to read the corpus in this process alone and with ``threads`` worker processes (best of 2 each)."""
    from wvtool.corpus import read_corpus

    times: dict = {1: [], threads: []}
    for _ in range(2):
        for workers in times:
            t0 = time.perf_counter()
            read_corpus([corpus], min_count=SETTINGS["min_count"], workers=workers)
            times[workers].append(time.perf_counter() - t0)
    return {"alone": min(times[1]), "workers": min(times[threads])}


def _run_worker(kind: str, corpus: str, threads: int, out: str, model="skipgram", seed=1, extra=(), env=None,
                script: str = __file__) -> dict:
    """Run ``script``'s worker ``kind`` in its own process; return the JSON it prints."""
    cmd = [sys.executable, script, "--worker", kind, "--corpus", corpus, "--threads", str(threads), "--out", out,
           "--models", model, "--seed", str(seed), *[a for kv in extra for a in ("--set", kv)]]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"{kind} worker failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def score(out: str) -> dict:
    """gensim's evaluator on a saved table: analogy (top 30k), WS-353 and SimLex-999 Spearman."""
    from gensim.models import KeyedVectors

    vecs = np.load(out + ".npy")
    words = Path(out + ".words").read_text(encoding="utf-8").split("\n")
    kv = KeyedVectors(vecs.shape[1])
    kv.add_vectors(words, vecs)
    analogy = kv.evaluate_word_analogies(str(DATA / "questions-words.txt"), restrict_vocab=30_000)[0]
    ws = kv.evaluate_word_pairs(str(DATA / "wordsim353.tsv"))[1][0]
    sl = kv.evaluate_word_pairs(str(DATA / "simlex999.txt"))[1][0]
    return {"analogy": analogy, "ws353": ws, "simlex": sl}


def _parse_extra(items) -> dict:
    extra = {}
    for item in items:
        key, _, value = item.partition("=")
        for cast in (int, float):
            try:
                value = cast(value)
                break
            except ValueError:
                pass
        extra[key] = None if value == "None" else value
    return extra


def _run_scored(kind, corpus, model, seed, threads, tmp, extra, script=__file__) -> dict:
    out = str(tmp / f"{kind}-{model}-{Path(corpus).name}-{seed}")
    r = _run_worker(kind, corpus, threads, out, model, seed, extra, script=script)
    r.update(score(out))
    r["wps"] = r["tokens"] * SETTINGS["epochs"] / r["train"]
    print(f"    {kind} {model} seed {seed}: {r['wps']:,.0f} words/s, analogy {r['analogy']:.3f}, "
          f"WS353 {r['ws353']:.3f}, SimLex {r['simlex']:.3f}, peak {r['rss']:,.0f} MB", flush=True)
    return r


def _runs(corpus, model, seeds, threads, tmp, extra, skip_gensim, script=__file__) -> tuple[list[dict], list[dict] | None]:
    """Each seed's wvtool run and then its gensim run (``script``'s workers), back to back, so both see the
    machine as it was then (the speed of a shared machine drifts by tens of percent over minutes)."""
    w, g = [], []
    for seed in seeds:
        w.append(_run_scored("wvtool", corpus, model, seed, threads, tmp, extra, script))
        if not skip_gensim:
            g.append(_run_scored("gensim", corpus, model, seed, threads, tmp, extra, script))
    return w, (None if skip_gensim else g)


def _print_table(title: str, w: list[dict], g: list[dict] | None) -> None:
    def cell(runs, key, fmt):
        vals = [r[key] for r in runs]
        if key in ("analogy", "ws353", "simlex"):
            return f"{fmt.format(statistics.mean(vals))} ({fmt.format(min(vals))}-{fmt.format(max(vals))})"
        return fmt.format(statistics.median(vals))

    rows = [("training words/s (median)", "wps", "{:,.0f}", "ratio"), ("peak memory (MB)", "rss", "{:,.0f}", None),
            ("vocabulary", "vocab", "{:,.0f}", None), ("analogy (top 30k)", "analogy", "{:.3f}", "diff"),
            ("WordSim-353 Spearman", "ws353", "{:.3f}", "diff"), ("SimLex-999 Spearman", "simlex", "{:.3f}", "diff")]
    # the difference of the means to one more decimal than the scores for the analogy score, whose limit
    # (0.5 point, 0.005) the three-decimal mean could hide: -0.0053 and -0.0047 both print as -0.005
    places = {"analogy": 4}
    print(f"\n{title}  ({len(w)} seed(s); quality: mean (min-max))")
    print(f"{'':28} {'wvtool':>20} {'gensim':>20} {'wvtool/gensim':>14}")
    for label, key, fmt, kind in rows:
        rel = ""
        if g and kind == "ratio":  # each seed's two runs were back to back: the median of their ratios
            rel = f"{statistics.median(a[key] / b[key] for a, b in zip(w, g, strict=True)):.2f}x"
        elif g and kind == "diff":
            rel = f"{statistics.mean(r[key] for r in w) - statistics.mean(r[key] for r in g):+.{places.get(key, 3)}f}"
        print(f"{label:28} {cell(w, key, fmt):>20} {cell(g, key, fmt) if g else '-':>20} {rel:>14}")


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                allow_abbrev=False)  # run.py passes one set of options to every benchmark
    p.add_argument("--corpus", default=None, help="one corpus file instead of --corpora")
    p.add_argument("--corpora", default="text8-head,wiki-text8like,sample", help="comma-separated: " + ", ".join(CORPUS_FILES))
    p.add_argument("--quick", action="store_true", help="text8-head only")
    p.add_argument("--models", default="skipgram,cbow", help="comma-separated: skipgram, cbow")
    p.add_argument("--seeds", type=int, default=3, help="seeds 1..N for each tool")
    p.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="extra wvtool setting")
    p.add_argument("--skip-gensim", action="store_true", help="wvtool only (development)")
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    p.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args, _ = p.parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.worker:
        if args.worker == "compile":
            res = _worker_compile(args.threads, args.out)
        elif args.worker == "read":
            res = _worker_read(args.corpus, args.threads)
        else:
            fn = {"wvtool": _worker_wvtool, "gensim": _worker_gensim}[args.worker]
            res = fn(args.corpus, args.threads, args.out, args.models, args.seed, _parse_extra(args.set))
        print(json.dumps(res))
        return res

    corpora = [args.corpus] if args.corpus else [
        str(CORPUS_FILES[name]) for name in (["text8-head"] if args.quick else args.corpora.split(","))
    ]
    models = args.models.split(",")
    seeds = range(1, args.seeds + 1)
    tmp = Path(tempfile.mkdtemp(prefix="wvtool-bench-train-"))
    print(f"cpu: {cpu_line()}")
    print(f"{args.threads} threads; " + ", ".join(f"{k}={v}" for k, v in SETTINGS.items())
          + f"; alpha {ALPHA}" + (f"; wvtool {' '.join(args.set)}" if args.set else ""), flush=True)
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp / "numba-cache")}
    results = {"compile": _run_worker("compile", "-", args.threads, str(tmp / "compile"), env=env)["compile"]}
    for corpus in corpora:
        results[("read", Path(corpus).name)] = _run_worker("read", corpus, args.threads, str(tmp / "read"), env=env)
        for model in models:
            print(f"  {Path(corpus).name}, {model}:", flush=True)
            w, g = _runs(corpus, model, seeds, args.threads, tmp, args.set, args.skip_gensim)
            results[(Path(corpus).name, model)] = {"wvtool": w, "gensim": g}
    for (name, model), r in ((k, v) for k, v in results.items() if k != "compile" and k[0] != "read"):
        _print_table(f"{name}, {model}", r["wvtool"], r["gensim"])
    print("\nNumba compile, first run of each model's kernel (s): "
          + ", ".join(f"{model} {seconds:.1f}" for model, seconds in results["compile"].items()))
    print(f"reading the corpus with wvtool (s, best of 2): in one process / with {args.threads} worker processes")
    for (_, name), r in ((k, v) for k, v in results.items() if k[0] == "read"):
        print(f"  {name:32} {r['alone']:6.2f} / {r['workers']:6.2f}  ({r['alone'] / r['workers']:.2f}x)")
    return results


if __name__ == "__main__":
    main()
