"""Subword training benchmark: wvtool ``subwords=True`` vs gensim's ``FastText``, same corpus, settings, threads.

Both train skip-gram (``sg=1``) and CBOW (``sg=0``, the mean of the context)
with negative sampling over words and their character n-grams (min_n 3, max_n
6, bucket 2,000,000) with the settings of bench_train.py (dim 100, window 5,
negative 5, min_count 5, sample 1e-3, 5 epochs, alpha 0.025 for skip-gram and
0.05 for CBOW falling to 0.0001), 2 threads, each run in its own
subprocess (peak memory is its own); only the training call is timed; gensim
gets the corpus as in-memory lists of 10,000 tokens.  Quality: gensim's
evaluator on both tables' vocabulary vectors (in-vocabulary questions), as in
bench_train.py.  Each seed's wvtool run and then its gensim run go back to
back; the ratio is the median over the seeds of those pairs' ratios.

    python tests/bench/bench_subwords.py                   # text8-head 3 seeds, wiki-text8like 1 seed
    python tests/bench/bench_subwords.py --corpora text8-head,wiki-text8like --seeds 3 --large-seeds 3
    python tests/bench/bench_subwords.py --corpora text8-head --seeds 1 --set neg_share=4 --skip-gensim
    python tests/bench/bench_subwords.py --models cbow

``--seeds N`` means seeds 1..N, as in bench_train.py (``make bench`` passes the
same options to both).  On wiki-text8like one gensim FastText run takes about
13 minutes on 2 cores, so the large corpus gets ``--large-seeds`` (default 1).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_train as bt  # noqa: E402

NGRAMS = dict(minn=3, maxn=6, bucket=2_000_000)


def _save(out: str, words, vectors) -> None:
    np.save(out + ".npy", vectors)
    Path(out + ".words").write_text("\n".join(words), encoding="utf-8")


def _worker_wvtool(corpus: str, threads: int, out: str, model: str, seed: int, extra: dict) -> dict:
    from wvtool import trainer
    from wvtool.corpus import read_corpus

    tiny = Path(out).with_suffix(".warm.txt")
    tiny.write_text("abc bcd cde abc bcd cde\n" * 10)
    t0 = time.perf_counter()
    trainer.train(read_corpus([tiny], min_count=1), threads=threads, dim=8, epochs=1, min_count=1, sample=0,
                  subwords=True, bucket=100, model=model)  # load the compiled kernel before timing
    c = read_corpus([corpus], min_count=bt.SETTINGS["min_count"])
    read = time.perf_counter() - t0
    kv = trainer.train(c, threads=threads, seed=seed, model=model, alpha=bt.ALPHA[model], subwords=True,
                       **{**NGRAMS, **bt.SETTINGS, **extra})
    _save(out, kv.words, kv.vectors)
    return {"read": read, "train": kv.stats.train_seconds, "tokens": c.raw_tokens, "vocab": len(kv), "rss": bt._maxrss_mb()}


def _worker_gensim(corpus: str, threads: int, out: str, model: str, seed: int, extra: dict) -> dict:
    from gensim.models import FastText


    t0 = time.perf_counter()
    sentences, n_tokens = bt.gensim_sentences(corpus)
    s = bt.SETTINGS
    gm = FastText(
        sg=1 if model == "skipgram" else 0, cbow_mean=1, vector_size=s["dim"], window=s["window"],
        negative=s["negative"], hs=0, min_count=s["min_count"], sample=s["sample"], alpha=bt.ALPHA[model],
        min_alpha=s["min_alpha"], workers=threads, seed=seed,
        min_n=NGRAMS["minn"], max_n=NGRAMS["maxn"], bucket=NGRAMS["bucket"],
    )
    gm.build_vocab(sentences)
    read = time.perf_counter() - t0
    t1 = time.perf_counter()
    gm.train(sentences, total_examples=len(sentences), epochs=s["epochs"])
    seconds = time.perf_counter() - t1
    _save(out, gm.wv.index_to_key, gm.wv.vectors)
    return {"read": read, "train": seconds, "tokens": n_tokens, "vocab": len(gm.wv), "rss": bt._maxrss_mb()}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                allow_abbrev=False)  # run.py passes one set of options to every benchmark
    p.add_argument("--corpora", default="text8-head,wiki-text8like")
    p.add_argument("--seeds", type=int, default=3, help="seeds 1..N on text8-head")
    p.add_argument("--large-seeds", type=int, default=1, help="seeds 1..N on wiki-text8like")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--models", default="skipgram,cbow", help="comma-separated: skipgram, cbow")
    p.add_argument("--skip-gensim", action="store_true")
    p.add_argument("--worker", choices=["wvtool", "gensim"])
    p.add_argument("--corpus")
    p.add_argument("--out")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a wvtool setting (e.g. neg_share=4)")
    args, _ = p.parse_known_args(argv)
    if args.worker:
        job = _worker_wvtool if args.worker == "wvtool" else _worker_gensim
        print(json.dumps(job(args.corpus, args.threads, args.out, args.models, args.seed, bt._parse_extra(args.set))))
        return {}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.corpora.split(","):
            corpus = str(bt.CORPUS_FILES[name])
            seeds = range(1, (args.large_seeds if name == "wiki-text8like" else args.seeds) + 1)
            for model in args.models.split(","):
                w, g = bt._runs(corpus, model, seeds, args.threads, Path(tmp), args.set, args.skip_gensim, __file__)
                title = {"skipgram": "skip-gram", "cbow": "CBOW"}[model]
                bt._print_table(f"subword {title} on {name}, {args.threads} threads", w, g)
                results[(name, model)] = {"wvtool": w, "gensim": g}
    return results


if __name__ == "__main__":
    main()
