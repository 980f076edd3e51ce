"""Subword (fastText) skip-gram training: the compiled kernel against a NumPy reference, settings, the trained table."""

import json

import numpy as np
import pytest
from reference_draws import negative_stream, negatives, subsample, window_positions

from wvtool import kernels, train
from wvtool.errors import ConfigError
from wvtool.subwords import compose_words, subword_rows
from wvtool.trainer import TrainConfig, keep_thresholds, make_chunks, negative_distribution


def _sigmoid(s, table, sig_max):
    if s >= sig_max:
        return 1.0
    if s <= -sig_max:
        return 0.0
    size = table.shape[1]
    return float(table[0, min(int((s + sig_max) * (size / (2 * sig_max))), size - 1)])


def reference_subword_sg(w_in, w_out, tokens, bounds, chunks, alphas, seeds, keep, accept, alias, table, sig_max,
                         window, negative, share, offsets, rows, model="skipgram", slices=1, fresh=False):
    """Plain-Python version of kernels.subword_sg_train_chunks (float64), written as per-pair updates.

    For each centre word: ``h`` = mean of its rows (own + n-grams), computed once;
    every context word is a positive output of ``h`` (its row updated at once);
    the group draws ``slices`` sets of ``negative`` words and context word ``j``
    is scored against set ``j % slices``, as read at the group's start (their
    updates written at the group's end); the sum of the input-side deltas is
    added in full to each of the centre's rows.  CBOW: the mean of all the
    context words' rows predicts the centre word; its delta is owed in full to
    each row.  ``cbow`` keeps each context word's rows as the kernel does: their
    sum is read when a window first uses the word and kept up to date with its
    deltas, which reach the rows when no later window can use it (the centre
    ``window + 1`` past it, or the sentence's end); ``cbow-per-window`` adds
    each window's delta to the rows at once (fastText's update).  ``fresh``:
    each window's updates of the negatives' rows also reach the copies read at
    the group's start, so the group's later centre words score against them.
    """
    w_in = w_in.astype(np.float64)
    w_out = w_out.astype(np.float64)
    vocab = w_out.shape[0]
    trained, losses = [], []
    for ci in range(chunks.size - 1):
        state, alpha, n = int(seeds[ci]), float(alphas[ci]), 0
        nstate = negative_stream(state)
        loss = [0.0, 0]  # summed exact loss -log sigmoid, examples
        for s in range(chunks[ci], chunks[ci + 1]):
            sent, state = subsample(tokens, bounds[s], bounds[s + 1], keep, state)
            n += len(sent)
            negs, neg_rows, dneg = [], None, None
            held = {}  # CBOW: sentence position -> [the sum of its word's rows, the delta owed to each]
            for i, w in enumerate(sent):
                if i - window - 1 in held:
                    _release(w_in, held, i - window - 1, sent, offsets, rows)
                if i % share == 0:
                    if negs:
                        np.add.at(w_out, negs, dneg)
                    negs, nstate = negatives(nstate, negative * (slices if model == "skipgram" else 1), vocab, accept,
                                            alias)
                    neg_rows = w_out[negs].copy()
                    dneg = np.zeros_like(neg_rows)
                where, state = window_positions(sent, i, window, state)
                ctx = [sent[j] for j in where]
                if not ctx:
                    continue
                if model.startswith("cbow"):
                    loss[0] += _cbow_step(w_in, w_out, w, where, sent, held if model == "cbow" else None, negs,
                                          neg_rows, dneg, offsets, rows, alpha, table, sig_max, fresh)
                    loss[1] += 1
                    continue
                mine = rows[offsets[w] : offsets[w + 1]]
                h = w_in[mine].mean(axis=0)
                err = np.zeros_like(h)
                dwin = np.zeros_like(neg_rows)  # this window's updates of the negatives' rows
                loss[1] += len(ctx)
                for j, c in enumerate(ctx):
                    g = alpha * (1.0 - _sigmoid(h @ w_out[c], table, sig_max))
                    loss[0] += np.logaddexp(0.0, -(h @ w_out[c]))
                    err += g * w_out[c]
                    w_out[c] += g * h
                    mine_set = range((j % slices) * negative, (j % slices + 1) * negative)
                    for k in mine_set:
                        o = negs[k]
                        if o != c:
                            loss[0] += np.logaddexp(0.0, h @ neg_rows[k])
                            gk = -alpha * _sigmoid(h @ neg_rows[k], table, sig_max)
                            err += gk * neg_rows[k]
                            dwin[k] += gk * h
                dneg += dwin
                if fresh:
                    neg_rows += dwin
                np.add.at(w_in, mine, np.broadcast_to(err, (len(mine), h.size)))
            for p in sorted(held):
                _release(w_in, held, p, sent, offsets, rows)
            if negs:
                np.add.at(w_out, negs, dneg)
        trained.append(n)
        losses.append(loss)
    return w_in, w_out, trained, np.array(losses)


def _release(w_in, held, p, sent, offsets, rows):
    mine = rows[offsets[sent[p]] : offsets[sent[p] + 1]]
    np.add.at(w_in, mine, np.broadcast_to(held.pop(p)[1], (len(mine), w_in.shape[1])))


def _cbow_step(w_in, w_out, w, where, sent, held, negs, neg_rows, dneg, offsets, rows, alpha, table, sig_max,
               fresh=False):
    """One CBOW window; ``held`` None: fastText's update, else the kernel's held sums (see reference_subword_sg)."""
    mine = [rows[offsets[sent[p]] : offsets[sent[p] + 1]] for p in where]
    n_rows = sum(len(r) for r in mine)
    if held is None:
        h = w_in[np.concatenate(mine)].sum(axis=0) / n_rows
    else:
        for p, r in zip(where, mine, strict=True):
            if p not in held:
                held[p] = [w_in[r].sum(axis=0), np.zeros(w_in.shape[1])]
        h = sum(held[p][0] for p in where) / n_rows
    Y = np.vstack([w_out[w], neg_rows])
    use = np.array([1.0] + [0.0 if o == w else 1.0 for o in negs])
    labels = np.zeros(len(negs) + 1)
    labels[0] = 1.0
    G = alpha * (labels - np.array([_sigmoid(h @ y, table, sig_max) for y in Y])) * use
    err = G @ Y
    w_out[w] += G[0] * h
    dneg += np.outer(G[1:], h)
    if fresh:
        neg_rows += np.outer(G[1:], h)
    for p, r in zip(where, mine, strict=True):
        if held is None:
            np.add.at(w_in, r, np.broadcast_to(err, (len(r), h.size)))
        else:
            held[p][1] += err
            held[p][0] += len(r) * err
    scores = Y @ h
    return float((np.logaddexp(0.0, np.where(labels == 1.0, -scores, scores)) * use).sum())


WORDS = ["the", "cat", "cats", "sat", "mat", "mats", "on", "a", "dog", "dogs", "hat", "hats"]


def _setup(seed, bucket=40, dim=16, n_tokens=300, window=3, sample=0.05):
    rng = np.random.default_rng(seed)
    vocab = len(WORDS)
    counts = np.sort(rng.integers(1, 60, size=vocab))[::-1].astype(np.int64)
    tokens = rng.choice(vocab, size=n_tokens, p=counts / counts.sum()).astype(np.int32)
    cuts = np.sort(rng.choice(np.arange(1, n_tokens), size=20, replace=False))
    bounds = np.concatenate([[0], cuts, [n_tokens]]).astype(np.int64)
    chunks = make_chunks(bounds, chunk_tokens=60)
    w_in = ((rng.random((vocab + bucket, dim)) - 0.5) / dim).astype(np.float32)
    w_out = (rng.normal(size=(vocab, dim)) * 0.1).astype(np.float32)
    keep = keep_thresholds(counts, sample)
    accept, alias = kernels.build_alias(negative_distribution(counts))
    offsets, rows = subword_rows(WORDS, 2, 4, bucket)
    return w_in, w_out, tokens, bounds, chunks, keep, accept, alias, offsets, rows


def _kernel_and_reference(setup, model, share, slices, reference_model=None, fresh=False):
    """Train ``setup`` (as :func:`_setup` returns) with the kernel (1 thread) and with the reference."""
    import numba

    w_in, w_out, tokens, bounds, chunks, keep, accept, alias, offsets, rows = setup
    n_chunks = chunks.size - 1
    alphas = np.linspace(0.05, 0.01, n_chunks).astype(np.float32)
    seeds = np.arange(1, n_chunks + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    table = kernels.sigmoid_table(1 << 20, 8.0)
    reference = reference_subword_sg(
        w_in, w_out, tokens, bounds, chunks, alphas, seeds, keep, accept, alias, table, 8.0, 3, 4, share, offsets, rows,
        reference_model or model, slices, fresh,
    )
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        trained = np.zeros(n_chunks, dtype=np.int64)
        loss = np.zeros((n_chunks, 2))
        a, b = w_in.copy(), w_out.copy()
        common = (a, b, tokens, bounds, chunks, 0, n_chunks, alphas, seeds, keep, accept, alias, table, 8.0, 3, 4, share,
                  fresh)
        if model == "cbow":
            kernels.subword_cbow_train_chunks(*common, offsets, rows, trained, loss)
        else:
            kernels.subword_sg_train_chunks(*common, slices, offsets, rows, trained, loss)
    finally:
        numba.set_num_threads(old)
    return (a, b, trained, loss), reference


@pytest.mark.parametrize(
    "model, seed, share, slices, fresh",
    [("skipgram", 0, 1, 1, False), ("skipgram", 1, 1, 4, False), ("skipgram", 2, 3, 1, False),
     ("skipgram", 3, 4, 4, False), ("skipgram", 5, 2, 3, False), ("skipgram", 6, 3, 2, True), ("skipgram", 10, 4, 1, True),
     ("cbow", 0, 1, 1, False), ("cbow", 2, 3, 1, False), ("cbow", 8, 3, 1, True)],
)
def test_subword_kernel_matches_numpy_reference(model, seed, share, slices, fresh):
    setup = _setup(seed)
    (a, b, trained, loss), (ref_in, ref_out, ref_trained, ref_loss) = _kernel_and_reference(setup, model, share, slices,
                                                                                          fresh=fresh)
    w_in, tokens = setup[0], setup[2]
    assert trained.tolist() == ref_trained
    assert 0 < sum(ref_trained) < tokens.size
    # the n-gram rows (after the word rows) moved, and both versions moved every row the same way
    assert np.abs(ref_in[len(WORDS):] - w_in[len(WORDS):]).max() > 1e-3
    np.testing.assert_allclose(a, ref_in, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(b, ref_out, rtol=1e-4, atol=2e-6)
    # the loss the kernel adds up (from its table) is the exact one of the same updates
    assert loss[:, 1].tolist() == ref_loss[:, 1].tolist()
    np.testing.assert_allclose(loss[:, 0], ref_loss[:, 0], rtol=1e-4)


def test_subword_cbow_holding_rows_is_fasttexts_update_when_no_row_is_shared():
    """Words with no n-gram or bucket in common, never twice in a sentence: the held sums change nothing.

    With shared rows (the common test setup) the two updates differ, so the held sums are not a no-op there.
    """
    words = ["ab", "cd", "ef", "gh", "ij", "kl", "mn", "op", "qr", "st", "uv", "wx"]
    bucket = 20_000  # the smallest round number with no two of the 60 n-grams in one bucket
    offsets, rows = subword_rows(words, 2, 3, bucket)
    own = [set(rows[offsets[w] : offsets[w + 1]].tolist()) for w in range(len(words))]
    assert sum(len(r) for r in own) == len(set().union(*own)) == rows.size  # no row shared, none twice in a word
    setup = list(_setup(4, bucket=bucket))
    rng = np.random.default_rng(4)
    lengths = rng.integers(3, len(words) + 1, size=30)
    setup[2] = np.concatenate([rng.permutation(len(words))[:n] for n in lengths]).astype(np.int32)
    setup[3] = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    setup[4] = make_chunks(setup[3], chunk_tokens=60)
    setup[8], setup[9] = offsets, rows
    (a, b, _, loss), (ref_in, ref_out, _, ref_loss) = _kernel_and_reference(setup, "cbow", 2, 1, "cbow-per-window")
    assert np.abs(ref_in - setup[0]).max() > 1e-3
    np.testing.assert_allclose(a, ref_in, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(b, ref_out, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(loss[:, 0], ref_loss[:, 0], rtol=1e-4)
    # where rows are shared, fastText's update is another one
    shared = _setup(0)
    (a, _, _, _), (ref_in, _, _, _) = _kernel_and_reference(shared, "cbow", 1, 1, "cbow-per-window")
    assert np.abs(a - ref_in).max() > 1e-4


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"minn": 2}, "minn=2 is a subword setting; pass subwords=True too"),
        ({"bucket": 10}, "bucket=10 is a subword setting"),
        ({"subwords": True, "minn": 5, "maxn": 4}, "minn=5 is greater than maxn=4"),
        ({"subwords": True, "bucket": 0}, "bucket=0 leaves no rows for the n-grams of maxn=6"),
        ({"subwords": True, "minn": -1}, "minn=-1 is out of range; use 0 to 100"),
        ({"subwords": True, "bucket": 2**31}, "bucket=2147483648 is out of range"),
        ({"subwords": True, "model": "cbow", "cbow_sum": True}, "cbow_sum=True is not available with subwords=True"),
        ({"subwords": "yes"}, "subwords='yes'"),
        ({"subwords": True, "minn": 0}, "minn=0: the shortest n-gram has at least 1 character"),
    ],
)
def test_bad_subword_settings_are_refused_in_one_line(settings, message):
    with pytest.raises(ConfigError) as info:
        TrainConfig(**settings)
    text = str(info.value)
    assert message in text and "\n" not in text


def test_subword_defaults_are_fasttexts():
    assert TrainConfig(subwords=True).ngram_settings == (3, 6, 2_000_000)
    assert TrainConfig(subwords=True, minn=2, bucket=7).ngram_settings == (2, 6, 7)
    assert TrainConfig(subwords=True, maxn=0, bucket=0).ngram_settings == (3, 0, 0)
    assert TrainConfig(subwords=True, maxn=0).ngram_settings == (3, 0, 0)  # no n-grams: no buckets, as fastText
    assert TrainConfig(subwords=True, maxn=0, bucket=500).ngram_settings == (3, 0, 0)


def _planted(rng, n_sentences=1500):
    """Two topics; the stems of each take the suffixes -s, -ing, -ed; "walked" and "baked" never occur."""
    topics = {
        "walk": ["walk", "jump", "run", "hike", "stroll"],
        "bake": ["bake", "cook", "roast", "boil", "fry"],
    }
    places = {"walk": ["park", "trail", "road", "hill"], "bake": ["oven", "kitchen", "pan", "stove"]}
    lines = []
    for _ in range(n_sentences):
        topic = rng.choice(list(topics))
        words = []
        for _ in range(8):
            stem = rng.choice(topics[topic])
            suffix = rng.choice(["", "s", "ing", "ed"])
            word = stem + suffix
            if word in ("walked", "baked"):
                word = stem
            words += [word, rng.choice(places[topic])]
        lines.append(" ".join(words))
    return lines


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_an_unseen_inflection_composes_close_to_its_relatives(tmp_path, model):
    rng = np.random.default_rng(0)
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(_planted(rng)) + "\n")
    kv = train(str(path), subwords=True, bucket=20_000, dim=32, epochs=5, min_count=3, threads=1, seed=2, sample=0,
               model=model)
    assert "walked" not in kv and "baked" not in kv
    sw = kv.subwords
    assert (sw.minn, sw.maxn, sw.bucket) == (3, 6, 20_000)
    assert kv.stats.subwords == {"minn": 3, "maxn": 6, "bucket": 20_000, "from_init": False}
    assert sw.training["model"] == {"cbow": 1, "skipgram": 2}[model] and sw.training["ws"] == 5
    loss = kv.stats.epoch_loss
    # the loss falls from the first epoch and stays down (on this tiny corpus skip-gram is flat after the second:
    # 2.056 then 1.988, 1.990, 2.004, 1.996 with seed 2)
    assert len(loss) == 5 and max(loss[1:]) < 0.98 * loss[0] and loss[-1] < 0.98 * loss[0]

    def cos(a, b):
        return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))

    for unseen, own, other in (("walked", "walk", "bake"), ("baked", "bake", "walk")):
        vec = sw.compose(unseen)
        same = np.mean([cos(vec, kv[w]) for w in kv.words if w.startswith(own)])
        diff = np.mean([cos(vec, kv[w]) for w in kv.words if w.startswith(other)])
        assert same > 0.5 and same > diff + 0.3, (unseen, same, diff)
    # the table's vectors are the mean of each word's own row and n-gram rows (fastText's get_word_vector)
    i = kv.index["jumping"]
    ids = sw.buckets("jumping")
    expected = (kv.word_rows[i] + sw.ngrams[ids].sum(axis=0)) / (1 + len(ids))
    np.testing.assert_allclose(kv["jumping"], expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_seed_and_one_thread_are_bit_for_bit_reproducible(tmp_path, model):
    rng = np.random.default_rng(1)
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(_planted(rng, 300)) + "\n")
    runs = [train(str(path), subwords=True, model=model, bucket=5000, dim=16, epochs=2, threads=1, seed=s)
            for s in (4, 4, 5)]
    assert np.array_equal(runs[0].vectors, runs[1].vectors)
    assert np.array_equal(runs[0].subwords.ngrams, runs[1].subwords.ngrams)
    assert np.array_equal(runs[0].word_rows, runs[1].word_rows)
    assert not np.array_equal(runs[0].vectors, runs[2].vectors)


def test_cli_writes_a_fasttext_model_gensim_loads_with_the_same_vectors(run_cli, tmp_path):
    from gensim.models.fasttext import load_facebook_model

    import wvtool

    rng = np.random.default_rng(3)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(_planted(rng, 300)) + "\n")
    common = ["--subwords", "--bucket", "3000", "--dim", "16", "--epochs", "1", "--threads", "1", "-q"]
    code, _, err = run_cli("train", corpus, "-o", tmp_path / "m.bin", *common)
    assert code == 0, err
    ours = wvtool.load(tmp_path / "m.bin")
    model = load_facebook_model(str(tmp_path / "m.bin"))
    assert list(model.wv.index_to_key) == list(ours.words)
    assert (model.wv.min_n, model.wv.max_n, model.wv.bucket) == (3, 6, 3000)
    np.testing.assert_allclose(model.wv.vectors, ours.vectors, atol=1e-6)
    for unseen in ("walked", "baked", "zebras"):
        np.testing.assert_allclose(model.wv[unseen], ours.subwords.compose(unseen), atol=1e-6)
    # the native format keeps the subword part; a word-only format writes the vocabulary's vectors
    assert run_cli("train", corpus, "-o", tmp_path / "m.wv", *common)[0] == 0
    native = wvtool.load(tmp_path / "m.wv")
    assert native.subwords is not None and native.subwords.equals(ours.subwords)
    np.testing.assert_array_equal(native.vectors, ours.vectors)  # --seed 1 --threads 1: the same model again
    assert run_cli("train", corpus, "-o", tmp_path / "m.vec", *common)[0] == 0
    vec = wvtool.load(tmp_path / "m.vec")
    assert vec.subwords is None and list(vec.words) == list(ours.words)
    np.testing.assert_allclose(vec.vectors, ours.vectors, atol=1e-6)


def test_cli_refuses_subword_settings_without_subwords(run_cli, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n")
    code, _, err = run_cli("train", corpus, "-o", tmp_path / "v.bin", "--bucket", "10")
    assert code == 1 and err.strip() == "wvtool: error: --bucket 10 is a subword setting; pass --subwords too, or leave it out"
    assert not (tmp_path / "v.bin").exists()
    code, _, err = run_cli("train", corpus, "-o", tmp_path / "v.bin", "--subwords", "--minn", "4", "--maxn", "3")
    assert code == 1 and err.strip() == "wvtool: error: --minn 4 is greater than --maxn 3; n-grams run from minn to maxn"


def test_unpad_moves_rows_in_place():
    from wvtool.subword_training import unpad

    rng = np.random.default_rng(0)
    w = rng.random((1000, 32), dtype=np.float32)
    expected = w[:, :20].copy()
    out = unpad(w, 20, block=64)
    assert out.flags.c_contiguous and np.shares_memory(out, w)
    np.testing.assert_array_equal(out, expected)


def test_training_goes_on_from_a_subword_model_with_its_ngrams(tmp_path):
    import warnings

    from wvtool import formats
    from wvtool.errors import WvtoolWarning

    rng = np.random.default_rng(3)
    first, more = tmp_path / "first.txt", tmp_path / "more.txt"
    first.write_text("\n".join(_planted(rng, 800)) + "\n")
    more.write_text("\n".join(_planted(rng, 200)) + "\n")
    base = train(str(first), subwords=True, bucket=3000, minn=2, maxn=4, dim=16, epochs=3, min_count=2, threads=1,
                 seed=2, sample=0)
    formats.save(base, tmp_path / "base.bin")  # as fastText's .bin, read back below
    start = formats.load(tmp_path / "base.bin")
    # a learning rate too small to move anything: the model goes on exactly where it was
    with warnings.catch_warnings():
        warnings.simplefilter("error", WvtoolWarning)
        on = train(str(more), init=start, subwords=True, epochs=1, min_count=1, threads=1, alpha=1e-9, min_alpha=0)
    assert (on.subwords.minn, on.subwords.maxn, on.subwords.bucket) == (2, 4, 3000)  # the model's, not the defaults
    assert on.stats.config.minn == 2 and on.stats.subwords == {"minn": 2, "maxn": 4, "bucket": 3000, "from_init": True}
    np.testing.assert_allclose(on.subwords.ngrams, base.subwords.ngrams, atol=1e-6)
    shared = [w for w in on.words if w in base.index]
    assert len(shared) > 20
    np.testing.assert_allclose(on.word_rows[[on.index[w] for w in shared]],
                               base.word_rows[[base.index[w] for w in shared]], atol=1e-6)
    np.testing.assert_allclose(on.subwords.compose("walked"), base.subwords.compose("walked"), atol=1e-6)
    assert on.stats.output_from_init == len(shared)  # and the output rows the .bin model kept
    np.testing.assert_allclose(on.output_rows[[on.index[w] for w in shared]],
                               base.output_rows[[base.index[w] for w in shared]], atol=1e-6)
    assert np.abs(base.output_rows).max() > 0.1
    # keeping the model's words the corpus lacks: their own rows as they were, composed with the n-grams as trained
    kept = train(str(more), init=start, subwords=True, keep_init_words=True, max_vocab=20, epochs=1, min_count=1,
                 threads=1)
    n = kept.stats.vocab_size
    extra = [w for w in base.words if w not in kept.words[:n]]
    assert n == 20 and kept.words[n:] == tuple(extra) and kept.stats.kept_from_init == len(extra) > 20
    rows = [base.index[w] for w in extra]
    np.testing.assert_array_equal(kept.word_rows[n:], base.word_rows[rows])
    np.testing.assert_array_equal(kept.output_rows[n:], base.output_rows[rows])
    np.testing.assert_allclose(kept.vectors[n:], compose_words(extra, base.word_rows[rows], kept.subwords), atol=1e-6)
    assert not np.allclose(kept.vectors[n:], base.vectors[rows], atol=1e-4)  # the n-grams moved on
    # other n-gram settings: the model's n-grams cannot be used; said once, and its words' vectors still start them
    with pytest.warns(WvtoolWarning, match=r"maxn=5 differs from the init model's n-grams \(minn 2, maxn 4, bucket "
                                           r"3000\): its n-gram rows are not used, only its words' vectors"):
        other = train(str(more), init=start, subwords=True, maxn=5, epochs=1, min_count=1, threads=1, alpha=1e-9,
                      min_alpha=0)
    assert not np.allclose(other.subwords.ngrams, base.subwords.ngrams, atol=1e-3)
    assert other.stats.from_init == len(shared) and other.stats.subwords["from_init"] is False


def test_cli_maxn_0_makes_no_ngram_table_and_vectors_only_writes_no_output_rows(run_cli, tmp_path):
    from gensim.models.fasttext import load_facebook_vectors

    import wvtool

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(_planted(np.random.default_rng(4), 300)) + "\n")
    common = ["--subwords", "--dim", "8", "--epochs", "1", "--threads", "1"]
    code, stdout, err = run_cli("train", corpus, "-o", tmp_path / "m0.bin", "--maxn", "0", *common)
    assert code == 0, err
    assert "with no character n-grams (maxn 0)" in stdout
    code, stdout, err = run_cli("train", corpus, "-o", tmp_path / "d.bin", "--bucket", "300", *common, "--json", "-q")
    config = json.loads(stdout)["config"]  # the settings used, the defaults filled in
    assert code == 0 and (config["minn"], config["maxn"], config["bucket"], config["neg_share"]) == (3, 6, 300, 4)
    ours = wvtool.load(tmp_path / "m0.bin")
    gensim_kv = load_facebook_vectors(str(tmp_path / "m0.bin"))
    assert gensim_kv.bucket == 0 and ours.subwords is None and ours.output_rows is not None
    np.testing.assert_array_equal(gensim_kv.vectors, ours.vectors)
    # the file holds the words' rows twice (input and output matrices) and nothing for n-grams
    assert (tmp_path / "m0.bin").stat().st_size < 2 * len(ours) * 8 * 4 + 10_000 + 30 * len(ours)
    code, _, err = run_cli("train", corpus, "-o", tmp_path / "vo.bin", "--bucket", "500", "--vectors-only", *common,
                           "-q")
    assert code == 0, err
    assert wvtool.load(tmp_path / "vo.bin").output_rows is None  # the zeros written stand for none
    code, stdout, _ = run_cli("info", tmp_path / "vo.bin", "--json")
    assert json.loads(stdout)["has_output_rows"] is False
