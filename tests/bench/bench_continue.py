"""Going on training a model on more text: with its output rows, or from its vectors alone; and gensim's way.

text8-head (2.1M tokens) is cut in two halves, A and B, as lists of 10,000 tokens.
For each seed, skip-gram with word2vec's defaults (2 threads) is trained on A, then
on B starting from it, keeping A's words (``keep_init_words``):

- wvtool going on from the model's output rows (what ``train --init model.wv`` does
  with a table ``train`` wrote), and from its vectors alone (output rows at zero:
  what ``--init`` does with a word-vector file, or with ``--vectors-only``);
- gensim's ``Word2Vec`` trained on A, then ``build_vocab(B, update=True)`` and
  ``train(B)``, which keeps its ``syn1neg``;
- both tools trained on A + B in one go, for reference.

Every table is scored by gensim's evaluator (analogies over the 30,000 most frequent
words, WS-353, SimLex-999), as in :mod:`bench_train`; the table shows the mean over
the seeds (min-max), then wvtool's difference output rows minus vectors alone,
seed by seed, with its standard error.

    python tests/bench/bench_continue.py                     # seeds 1..6, about 5 minutes on 2 cores
    python tests/bench/bench_continue.py --continue-seeds 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import bench_train
import numpy as np

SETTINGS = dict(dim=100, window=5, negative=5, min_count=5, sample=1e-3, epochs=5)


def halves(corpus: str) -> tuple[list[list[str]], list[list[str]]]:
    sentences, _ = bench_train.gensim_sentences(corpus)
    cut = len(sentences) // 2
    return sentences[:cut], sentences[cut:]


def scores(words, vectors) -> dict:
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(list(words), np.asarray(vectors))
    data = bench_train.DATA
    return {
        "analogy": kv.evaluate_word_analogies(str(data / "questions-words.txt"), restrict_vocab=30_000)[0],
        "ws353": kv.evaluate_word_pairs(str(data / "wordsim353.tsv"))[1][0],
        "simlex": kv.evaluate_word_pairs(str(data / "simlex999.txt"))[1][0],
        "words": len(words),
    }


def wvtool_runs(a, b, seed: int, threads: int) -> dict:
    from wvtool.trainer import train

    kw = dict(SETTINGS, seed=seed, threads=threads)
    first = train(iter(a), **kw)
    on = train(iter(b), init=first, keep_init_words=True, **kw)
    alone = train(iter(b), init=first.without_output_rows(), keep_init_words=True, **kw)
    both = train(iter(a + b), **kw)
    return {name: scores(kv.words, kv.vectors) for name, kv in
            (("A", first), ("on", on), ("alone", alone), ("A+B", both))}


def gensim_runs(a, b, seed: int, threads: int) -> dict:
    from gensim.models import Word2Vec

    kw = dict(vector_size=SETTINGS["dim"], window=SETTINGS["window"], negative=SETTINGS["negative"],
              min_count=SETTINGS["min_count"], sample=SETTINGS["sample"], epochs=SETTINGS["epochs"], sg=1, hs=0,
              alpha=0.025, min_alpha=0.0001, workers=threads, seed=seed)
    model = Word2Vec(a, **kw)
    first = scores(model.wv.index_to_key, model.wv.vectors)
    model.build_vocab(b, update=True)
    model.train(b, total_examples=len(b), epochs=SETTINGS["epochs"])
    on = scores(model.wv.index_to_key, model.wv.vectors)
    both = Word2Vec(a + b, **kw)
    return {"A": first, "on": on, "A+B": scores(both.wv.index_to_key, both.wv.vectors)}


def _cell(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.mean(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                allow_abbrev=False)  # run.py passes one set of options to every benchmark
    # not --seeds: `make bench` passes its options to every benchmark
    p.add_argument("--continue-seeds", type=int, default=6, help="seeds 1..N (at least 2)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--continue-corpus", default=str(bench_train.CORPUS_FILES["text8-head"]))
    args, _ = p.parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.continue_seeds < 2:
        p.error("--continue-seeds must be at least 2 (the differences need a standard error)")
    a, b = halves(args.continue_corpus)
    print(f"cpu: {bench_train.cpu_line()}")
    print(f"{args.threads} threads; skip-gram; " + ", ".join(f"{k}={v}" for k, v in SETTINGS.items())
          + f"; A: {sum(map(len, a)):,} tokens, B: {sum(map(len, b)):,} tokens; seeds 1-{args.continue_seeds}",
          flush=True)
    started = time.perf_counter()
    w, g = [], []
    for seed in range(1, args.continue_seeds + 1):
        w.append(wvtool_runs(a, b, seed, args.threads))
        g.append(gensim_runs(a, b, seed, args.threads))
        print(f"  seed {seed} done ({time.perf_counter() - started:.0f} s)", flush=True)
    rows = [
        ("A only", [r["A"] for r in w], [r["A"] for r in g]),
        ("A, then B going on from A's output rows", [r["on"] for r in w], [r["on"] for r in g]),
        ("A, then B from A's vectors alone", [r["alone"] for r in w], None),
        ("A + B in one go", [r["A+B"] for r in w], [r["A+B"] for r in g]),
    ]
    print(f"\ngoing on training (text8-head halves; mean (min-max) over {args.continue_seeds} seeds; gensim's "
          "evaluator)")
    print(f"{'':42} {'':8} {'analogy':>19} {'WS-353':>19} {'SimLex-999':>19} {'words':>7}")
    for name, wr, gr in rows:
        for tool, runs in (("wvtool", wr), ("gensim", gr)):
            if runs is None:
                continue
            cells = " ".join(f"{_cell(runs, k):>19}" for k in ("analogy", "ws353", "simlex"))
            print(f"{name:42} {tool:8} {cells} {runs[0]['words']:>7,}")
    print("wvtool, output rows minus vectors alone, seed by seed (mean +- standard error):")
    for key in ("analogy", "ws353", "simlex"):
        diffs = [r["on"][key] - r["alone"][key] for r in w]
        print(f"  {key:8} {statistics.mean(diffs):+.4f} +- {statistics.stdev(diffs) / len(diffs) ** 0.5:.4f}")
    return {"wvtool": w, "gensim": g}


if __name__ == "__main__":
    main()
