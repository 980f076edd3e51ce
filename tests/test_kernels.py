"""The compiled kernels against a plain-NumPy reference of the same update and the same random draws."""

import numpy as np
import pytest
from reference_draws import negative_stream, negatives, subsample, window_context

from wvtool import kernels
from wvtool.trainer import keep_thresholds, make_chunks, negative_distribution, split_sentences


def reference_sigmoid(s, table, sig_max):
    """The table lookup of the kernel: bins of [-sig_max, sig_max], 0 or 1 beyond."""
    size = table.shape[1]
    idx = np.minimum(np.floor((s + sig_max) * (size / (2 * sig_max))), size - 1)
    inside = table[0, np.clip(idx, 0, size - 1).astype(np.int64)].astype(np.float64)
    return np.where(s >= sig_max, 1.0, np.where(s <= -sig_max, 0.0, inside))


def reference_train(w_in, w_out, tokens, bounds, chunks, c0, c1, alphas, seeds, keep, accept, alias, table, sig_max,
                    window, negative, share, fresh=False, model="skipgram", cbow_sum=False):
    """Slow plain-Python/NumPy version of kernels.word_sg_train_chunks and word_cbow_train_chunks (float64 arithmetic).

    Every ``share`` consecutive centre words of a sentence share one set of
    negatives, whose rows are read at the start of the group and updated at its
    end (with ``fresh``, the group's copies of the rows follow the updates).
    Skip-gram: every context row is scored against the centre and the negatives.
    CBOW: the mean (or sum) of the context rows is; its delta goes to every context row
    (divided by their number for the sum, as gensim does).
    Returns (w_in, w_out, tokens kept per chunk, (summed loss, examples) per chunk),
    the loss computed exactly (``-log sigmoid``), not from the table.
    """
    w_in = w_in.astype(np.float64)
    w_out = w_out.astype(np.float64)
    vocab = w_in.shape[0]
    trained, losses = [], []
    for ci, c in enumerate(range(c0, c1)):
        state = int(seeds[ci])
        nstate = negative_stream(state)
        alpha = float(alphas[ci])
        n = 0
        loss, examples = 0.0, 0
        for s in range(chunks[c], chunks[c + 1]):
            sent, state = subsample(tokens, bounds[s], bounds[s + 1], keep, state)
            n += len(sent)
            negs, neg_rows, dneg = [], None, None
            for i, w in enumerate(sent):
                if i % share == 0:
                    if negs:
                        np.add.at(w_out, negs, dneg)
                    negs, nstate = negatives(nstate, negative, vocab, accept, alias)
                    neg_rows = w_out[negs].copy()
                    dneg = np.zeros_like(neg_rows)
                ctx, state = window_context(sent, i, window, state)
                if not ctx:
                    continue
                X = w_in[ctx]
                if model == "cbow":
                    X = X.sum(axis=0, keepdims=True) / (1 if cbow_sum else len(ctx))
                Y = np.vstack([w_out[w], neg_rows])
                labels = np.zeros(negative + 1)
                labels[0] = 1.0
                use = np.array([1.0] + [0.0 if o == w else 1.0 for o in negs])
                S = X @ Y.T
                G = alpha * (labels - reference_sigmoid(S, table, sig_max)) * use
                loss += float((np.logaddexp(0.0, np.where(labels == 1.0, -S, S)) * use).sum())
                examples += S.shape[0]
                delta_in = G @ Y
                if model == "cbow" and share == 1:  # in place, output after output: a repeat sees the first update
                    delta_in = np.zeros_like(X)
                    for k, o in enumerate([w, *negs]):
                        delta_in += G[:, k] * w_out[o]
                        w_out[o] += G[0, k] * X[0]
                    np.add.at(w_in, ctx, np.repeat(delta_in / (len(ctx) if cbow_sum else 1), len(ctx), axis=0))
                    continue
                w_out[w] += G[:, 0] @ X
                dneg += G[:, 1:].T @ X
                if fresh:
                    neg_rows += G[:, 1:].T @ X
                if model == "cbow":
                    np.add.at(w_in, ctx, np.repeat(delta_in / (len(ctx) if cbow_sum else 1), len(ctx), axis=0))
                else:
                    np.add.at(w_in, ctx, delta_in)
            if negs:
                np.add.at(w_out, negs, dneg)
        trained.append(n)
        losses.append((loss, examples))
    return w_in, w_out, trained, np.array(losses)


def _setup(seed=0, vocab=12, dim=16, n_tokens=300, window=3, sample=0.05):
    rng = np.random.default_rng(seed)
    counts = np.sort(rng.integers(1, 60, size=vocab))[::-1].astype(np.int64)
    tokens = rng.choice(vocab, size=n_tokens, p=counts / counts.sum()).astype(np.int32)
    cuts = np.sort(rng.choice(np.arange(1, n_tokens), size=20, replace=False))
    bounds = np.concatenate([[0], cuts, [n_tokens]]).astype(np.int64)
    chunks = make_chunks(bounds, chunk_tokens=60)
    w_in = ((rng.random((vocab, dim)) - 0.5) / dim).astype(np.float32)
    w_out = (rng.normal(size=(vocab, dim)) * 0.1).astype(np.float32)
    keep = keep_thresholds(counts, sample)
    accept, alias = kernels.build_alias(negative_distribution(counts))
    return w_in, w_out, tokens, bounds, chunks, keep, accept, alias


@pytest.mark.parametrize(
    "model, seed, share, fresh, cbow_sum, hot",
    [
        ("skipgram", 0, 1, False, False, 0),
        ("skipgram", 1, 1, False, False, 0),
        ("skipgram", 2, 3, False, False, 0),
        ("skipgram", 3, 3, True, False, 0),
        ("skipgram", 1, 1, False, False, 4),
        ("cbow", 0, 1, False, False, 0),
        ("cbow", 2, 3, False, False, 0),
        ("cbow", 3, 3, True, False, 0),
        ("cbow", 1, 2, False, True, 0),
        ("cbow", 5, 1, False, True, 0),
        # the hot rows trained in the thread's copies and merged every 5 centre words: with one thread, the same
        ("cbow", 0, 1, False, False, 4),
        ("cbow", 5, 1, False, True, 3),
    ],
)
def test_kernel_matches_numpy_reference(model, seed, share, fresh, cbow_sum, hot):
    w_in, w_out, tokens, bounds, chunks, keep, accept, alias = _setup(seed)
    n_chunks = chunks.size - 1
    assert n_chunks >= 3
    alphas = np.linspace(0.05, 0.01, n_chunks).astype(np.float32)
    seeds = np.arange(1, n_chunks + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    # a fine table, so a score falling on the other side of a bin edge in float32 vs float64 changes little
    table = kernels.sigmoid_table(1 << 20, 8.0)
    ref_in, ref_out, ref_trained, ref_loss = reference_train(
        w_in, w_out, tokens, bounds, chunks, 0, n_chunks, alphas, seeds, keep, accept, alias, table, 8.0, 3, 4, share,
        fresh, model, cbow_sum,
    )
    import numba

    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        trained = np.zeros(n_chunks, dtype=np.int64)
        loss = np.zeros((n_chunks, 2))
        spare = np.full((hot * numba.config.NUMBA_NUM_THREADS, w_in.shape[1]), np.nan, dtype=np.float32)
        a, b = np.vstack([w_in, spare]), np.vstack([w_out, spare])
        args = (a, b, tokens, bounds, chunks, 0, n_chunks, alphas, seeds, keep, accept, alias, table, 8.0, 3, 4, share, fresh)
        kernel = kernels.word_cbow_train_chunks if model == "cbow" else kernels.word_sg_train_chunks
        kernel(*args, cbow_sum, hot, 5, trained, loss)
    finally:
        numba.set_num_threads(old)
    a, b = a[: w_in.shape[0]], b[: w_in.shape[0]]
    assert trained.tolist() == ref_trained
    assert 0 < sum(ref_trained) < tokens.size  # subsampling dropped some tokens but not all
    # the update really moved the weights, and both versions moved them the same way
    assert np.abs(ref_in - w_in).max() > 1e-3
    np.testing.assert_allclose(a, ref_in, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(b, ref_out, rtol=1e-4, atol=2e-6)
    # the loss the kernel adds up (from its table) is the exact one of the same updates
    assert loss[:, 1].tolist() == ref_loss[:, 1].tolist()
    assert (ref_loss[:, 0] > 0).all()
    np.testing.assert_allclose(loss[:, 0], ref_loss[:, 0], rtol=1e-4)


def test_alias_table_samples_the_distribution():
    rng = np.random.default_rng(3)
    p = rng.random(50) ** 3
    p /= p.sum()
    accept, alias = kernels.build_alias(p)
    # exact probability of each outcome implied by the table
    implied = np.zeros(50)
    frac = np.minimum(accept / 2.0**32, 1.0)
    implied += frac / 50
    np.add.at(implied, alias, (1 - frac) / 50)
    np.testing.assert_allclose(implied, p, atol=1e-9)


def test_sigmoid_table_is_close_to_the_logistic_function():
    table = kernels.sigmoid_table(2048, 8.0)
    x = np.linspace(-10, 10, 10001)
    exact = 1 / (1 + np.exp(-x))
    assert np.abs(reference_sigmoid(x, table, 8.0) - exact).max() < 2e-3
    # row 1 is the loss -log sigmoid at the same bin centres
    centres = -8.0 + (np.arange(2048) + 0.5) * (16.0 / 2048)
    np.testing.assert_allclose(table[1], -np.log(1 / (1 + np.exp(-centres))), rtol=1e-6)
    # row 2 the loss of a negative, -log(1 - sigmoid), at the same centres: row 1 mirrored
    np.testing.assert_allclose(table[2], -np.log(1 - 1 / (1 + np.exp(-centres))), rtol=1e-5)
    np.testing.assert_allclose(table[2], table[1][::-1], rtol=1e-6)


def test_keep_thresholds_follow_word2vec_formula():
    counts = np.array([1000, 100, 10, 1], dtype=np.int64)
    thr = keep_thresholds(counts, 1e-2)
    t = 1e-2 * counts.sum()
    expected = np.minimum((np.sqrt(counts / t) + 1) * t / counts, 1.0)
    np.testing.assert_allclose(thr / 2.0**32, expected, atol=1e-9)
    assert (keep_thresholds(counts, 0) == 2**32).all()


def test_negatives_are_drawn_from_gensims_distribution():
    """The unigram counts to the power 0.75, as gensim's cumulative table of negatives holds them."""
    from gensim.models import Word2Vec

    counts = {f"w{i}": c for i, c in enumerate([5000, 1200, 700, 90, 33, 8, 5])}
    model = Word2Vec(vector_size=4, min_count=1)
    model.build_vocab_from_freq(counts)
    cum = model.cum_table.astype(np.float64)
    gensim_p = np.diff(np.concatenate([[0.0], cum])) / cum[-1]
    order = [model.wv.key_to_index[w] for w in counts]  # gensim's rows of our words
    ours = negative_distribution(np.array(list(counts.values()), dtype=np.int64))
    np.testing.assert_allclose(ours, gensim_p[order], atol=1e-8)


def test_long_sentences_are_cut_where_gensim_cuts_them():
    from gensim.models.word2vec import MAX_WORDS_IN_BATCH

    # a 25,000-token sentence between two short ones: pieces of 10,000, as gensim trains a long sentence
    assert MAX_WORDS_IN_BATCH == 10_000
    got = split_sentences(np.array([0, 3, 25_003, 25_010], dtype=np.int64))
    assert got.tolist() == [0, 3, 10_003, 20_003, 25_003, 25_010]
    # nothing to cut: the boundaries as they are
    assert split_sentences(np.array([0, 10_000, 10_001])).tolist() == [0, 10_000, 10_001]
    assert split_sentences(np.array([0, 7, 12]), max_len=5).tolist() == [0, 5, 7, 12]


def test_cached_kernels_compiled_with_other_helpers_are_forgotten(tmp_path):
    from wvtool.kernels import KERNELS, cache_name, forget_stale_kernels

    # the names Numba itself gives the kernels' cache indexes (the two word kernels share one)
    indexes = sorted({k._cache._cache_file._index_name for k in KERNELS})
    assert len(indexes) == 3 and all(any(i.startswith(cache_name(k) + "-") for k in KERNELS) for i in indexes)
    cache = tmp_path / "cache"
    assert forget_stale_kernels(cache)  # a new cache gets the stamp at once
    assert not forget_stale_kernels(cache)  # and nothing is dropped on the next run
    data = [indexes[0].replace(".nbi", ".1.nbc"), indexes[0].replace(".nbi", ".2.nbc")]
    others = ["common.build_alias-51.py311.nbi", "other.thing-1.py311.nbi", "word.word_train_chunks-97.py311.nbi"]
    names = indexes + data + others
    for name in names:
        (cache / name).write_bytes(b"x")
    assert not forget_stale_kernels(cache)  # same helpers: the kernels stay
    assert all((cache / name).exists() for name in names)
    # other helpers (here: another subset of the files): the kernels' indexes go, nothing else
    assert forget_stale_kernels(cache, KERNELS, ("common.py",))
    assert sorted(p.name for p in cache.iterdir() if not p.name.endswith(".stamp")) == sorted(data + others)
    assert len(list(cache.glob("wvtool-helpers-*.stamp"))) == 1


# --- the target the kernels are compiled for ------------------------------------------------------------------


def test_kernel_features_prefer_256_bit_vectors_on_avx512_only():
    from wvtool.kernels.target import kernel_features

    assert kernel_features("+avx2,+fma,+avx512f,-amx-int8") == "+avx2,+fma,+avx512f,-amx-int8,+prefer-256-bit"
    assert kernel_features("+avx2,+fma,-avx512f") is None  # no AVX-512: nothing to change
    assert kernel_features("+avx2,+fma,+avx512fp16") is None  # a flag that only begins with avx512f is not it
    assert kernel_features("+avx512f,+prefer-256-bit") is None  # asked for already


def _compiled_features(env_extra: dict, code: str = "") -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CPU_NAME", "NUMBA_CPU_FEATURES")}
    program = (f"{code}\nimport wvtool.kernels\nfrom numba.core import registry\n"
               "print(registry.cpu_target.target_context.codegen()._tm_features)")
    return subprocess.run([sys.executable, "-c", program], env={**env, **env_extra}, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_the_kernels_compile_for_the_host_with_256_bit_vectors_unless_the_user_chose():
    from numba.core.codegen import get_host_cpu_features

    host = get_host_cpu_features()
    avx512 = "+avx512f" in host.split(",")
    features = _compiled_features({})
    assert features == (host + ",+prefer-256-bit" if avx512 else host)
    chosen = "+avx2,+fma"  # the user's NUMBA_CPU_FEATURES is used as given
    assert _compiled_features({"NUMBA_CPU_FEATURES": chosen}) == chosen
    # Numba set up by the process before wvtool's kernels: the host's features, as they were
    early = "from numba import njit\nnjit(lambda x: x)(1)"
    assert _compiled_features({}, early) == host
