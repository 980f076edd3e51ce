"""Quality over many seeds on the small corpus: is a 3-seed gap between wvtool and gensim real, or the seeds?

On text8-head (2.1M tokens) one seed's analogy score moves by up to a point for
either tool, so the difference of two 3-seed means moves by about as much as
the half point the training benchmark judges it by.  This runs skip-gram and
CBOW on text8-head with seeds 1..N (16 by default) for both tools, with the
training benchmark's settings, workers and evaluator (:mod:`bench_train`), and
prints its table over all N seeds, then the analogy difference seed by seed:
its mean with the standard error of that mean, and its mean over seeds 1-3
alone (the training benchmark's seeds).

    python tests/bench/bench_seeds.py                          # skip-gram and CBOW, seeds 1..16 (about 12 minutes)
    python tests/bench/bench_seeds.py --many-seeds 8 --models skipgram
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import bench_train

DEFAULT_SEEDS = 16


def paired_line(w: list[dict], g: list[dict], key: str = "analogy") -> str:
    """The seed-by-seed difference of ``key`` (wvtool minus gensim): mean ± its standard error over all seeds,
    and the mean over the first three."""
    diffs = [a[key] - b[key] for a, b in zip(w, g, strict=True)]
    mean = statistics.mean(diffs)
    se = statistics.stdev(diffs) / len(diffs) ** 0.5  # main() asks for at least two seeds
    first = statistics.mean(diffs[:3])
    return (f"{key} difference seed by seed (wvtool - gensim): mean {mean:+.4f} +- {se:.4f} (standard error) over "
            f"{len(diffs)} seeds; {first:+.4f} over seeds 1-{min(3, len(diffs))}")


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                allow_abbrev=False)  # run.py passes one set of options to every benchmark
    # not --seeds: `make bench` passes its options to every benchmark, and bench_train's --seeds is 3
    p.add_argument("--many-seeds", type=int, default=DEFAULT_SEEDS, help="seeds 1..N for each tool")
    p.add_argument("--models", default="skipgram,cbow", help="comma-separated: skipgram, cbow")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seeds-corpus", default=str(bench_train.CORPUS_FILES["text8-head"]),
                   help="the corpus (default text8-head)")
    args, _ = p.parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.many_seeds < 2:
        p.error("--many-seeds must be at least 2 (the standard error needs two)")
    tmp = Path(tempfile.mkdtemp(prefix="wvtool-bench-seeds-"))
    print(f"cpu: {bench_train.cpu_line()}")
    print(f"{args.threads} threads; seeds 1..{args.many_seeds}; the training benchmark's settings", flush=True)
    results = {}
    for model in args.models.split(","):
        print(f"  {Path(args.seeds_corpus).name}, {model}:", flush=True)
        w, g = bench_train._runs(args.seeds_corpus, model, range(1, args.many_seeds + 1), args.threads, tmp, [], False,
                                 script=bench_train.__file__)
        results[model] = {"wvtool": w, "gensim": g}
    for model, r in results.items():
        bench_train._print_table(f"{Path(args.seeds_corpus).name}, {model}", r["wvtool"], r["gensim"])
        print(paired_line(r["wvtool"], r["gensim"]))
    return results


if __name__ == "__main__":
    main()
