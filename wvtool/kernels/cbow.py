"""CBOW with negative sampling (word2vec's ``-cbow 1``), batched by shared negatives.

For the centre word ``w`` at position ``i`` with reduced window ``b``, the
context words ``c_1..c_m`` in ``[i-b, i+b]`` (after subsampling, within the
sentence) predict ``w``: their input rows are averaged (or summed) into one
hidden vector ``h``, scored against the output rows ``Y = W_out[[w, n_1..n_K]]``::

    h = mean(W_in[c])                 (or the sum, with cbow_sum)
    g = alpha * (label - sigmoid(Y @ h))   label 1 for w, 0 for the negatives
    e = g @ Y                         (from the output rows before their update)
    W_out[o] += g[o] * h
    W_in[c_j] += e   for every j      (e / m with cbow_sum)

as word2vec and gensim do (the mean's delta goes undivided to every context
row; gensim divides it by ``m`` for the sum).  As in the skip-gram kernel,
``share`` consecutive centre words use the same negatives, whose rows are read
once at the start of the group and written once at its end; with ``share == 1``
(the default) the output rows are read and updated in place, with no copies,
and each row's delta and update are done in one pass over it, output after
output, as word2vec does (a negative drawn twice, rare, adds its second delta
from the row its first update left).  Each centre word's output rows (its own
and the next set of negatives, drawn ahead) and the input row of the word that
can enter the window are prefetched one centre word ahead.

With several threads (Hogwild: each updates the shared tables without locks),
the rows of the most frequent words are written by every thread all the time,
and their cache lines travel from core to core at each write.  So each thread
trains the ``hot`` most frequent words' rows (input and output) in copies of
its own, kept in spare rows at the end of the tables (a word's id becomes its
copy's row as it enters the kernel, in the subsampled sentence and in the
negatives drawn, so the prefetches fetch the copies too), and merges what it did into the shared rows every
``merge_every`` centre words and at the end of each chunk, taking them again
with the other threads' updates.  One thread has nothing to gain from this, so
the trainer passes ``hot = 0`` then (and with one thread the copies would give
the same tables up to float rounding).

A subword model plugs in at the two input steps: ``h`` becomes the mean over
the context words' rows and their n-gram rows, and the delta goes to all of them.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .common import (
    block_gradients,
    context,
    count_for_merge,
    deltas_and_outputs,
    draw_negative_ids,
    flush_negatives,
    input_deltas,
    mean_of_rows,
    merge_hot_rows,
    negative_stream,
    prefetch_next,
    reduced_window,
    set_positive,
    set_positive_id,
    spread_delta,
    start_group,
    subsample,
    take_hot_rows,
    update_outputs,
)


@njit(cache=True, parallel=True, fastmath=True)
def cbow_train_chunks(
    w_in, w_out, tokens, bounds, chunk_starts, c0, c1, alphas, seeds,
    keep, accept, alias, sigmoid, sig_max, window, negative, share, fresh, cbow_sum, hot, merge_every, trained, loss,
):
    """Train CBOW with negative sampling on chunks ``c0..c1-1``, in parallel (Hogwild).

    w_in, w_out: float32 (V + spare, D) C-contiguous, updated in place (D may include
        zero padding columns; they stay zero); V is the vocabulary size (``accept.shape[0]``).  With
        ``hot > 0`` the spare rows hold each thread's copies of the hot rows: at least ``hot`` times
        the number of threads Numba can run (``numba.config.NUMBA_NUM_THREADS``).
    tokens: int32 (N,) word ids.  bounds: int64 (S+1,) sentence boundaries
        (the window never crosses one).
    chunk_starts: int64 (C+1,) chunk ``c`` is sentences ``chunk_starts[c]..chunk_starts[c+1]-1``.
    alphas: float32 (c1-c0,) learning rate of each chunk; seeds: uint64 (c1-c0,)
        initial random state of each chunk.
    keep: uint64 (V,) subsampling thresholds on a uniform 32-bit number.
    accept, alias: uint64 (V,), int32 (V,): the alias table of the negative-sampling distribution.
    sigmoid: float32 (3, T) the logistic function and the two losses on T bins of [-sig_max, sig_max].
    window, negative: ints.  share: this many consecutive centre words share one
        set of negatives.  fresh: bool, the group's later centres see the
        negatives' rows as updated by its earlier ones.
    cbow_sum: bool, sum the context rows instead of averaging them.
    hot, merge_every: with ``share == 1``, the ``hot`` most frequent words' input and output rows are
        trained in the thread's own copies, merged into the shared rows every ``merge_every`` centre
        words and at the end of the chunk (0: none; one thread gains nothing from it).
    trained: int64 (c1-c0,) output, tokens kept after subsampling per chunk.
    loss: float64 (c1-c0, 2) output, per chunk the summed loss of its examples
        (one per centre word with a context) and their number.
    """
    dim = w_in.shape[1]
    n_words = accept.shape[0]
    vocab = np.uint64(n_words)
    k1 = negative + 1
    scale = np.float32(sigmoid.shape[1] / (2.0 * sig_max))
    smax = np.float32(sig_max)
    for ci in prange(c1 - c0):
        c = c0 + ci
        alpha = alphas[ci]
        state = seeds[ci]
        longest = 1
        for s in range(chunk_starts[c], chunk_starts[c + 1]):
            longest = max(longest, bounds[s + 1] - bounds[s])
        sent = np.empty(longest, dtype=np.int32)
        ctx = np.empty(2 * window, dtype=np.int32)
        outs = np.empty(k1, dtype=np.int32)
        ahead = np.empty(k1, dtype=np.int32)
        slots = np.arange(k1).astype(np.int32)
        use = np.empty(k1, dtype=np.float32)
        grad = np.empty((1, k1), dtype=np.float32)
        err = np.empty((1, dim), dtype=np.float32)
        hbuf = np.empty((1, dim), dtype=np.float32)
        hrow = np.zeros(1, dtype=np.int32)
        ybuf = np.empty((k1, dim), dtype=np.float32)
        dneg = np.zeros((k1, dim), dtype=np.float32)
        n_trained = 0
        total = 0.0
        examples = 0
        # this thread's copies of the hot rows (a chunk runs on one thread from start to end)
        base, isnap, osnap = take_hot_rows(w_in, w_out, n_words, hot)
        nstate = draw_negative_ids(vocab, accept, alias, hot, base, ahead, negative_stream(state))
        since_merge = 0
        for s in range(chunk_starts[c], chunk_starts[c + 1]):
            m, state = subsample(tokens, bounds[s], bounds[s + 1], keep, hot, base, sent, state)
            n_trained += m
            for i in range(m):
                nstate = start_group(vocab, accept, alias, hot, base, outs, ahead, w_out, ybuf, dneg, i, share, share > 1, nstate)
                prefetch_next(w_in, w_out, sent, m, i, window)
                w = sent[i]
                b, state = reduced_window(state, window)
                nc = context(sent, m, i, b, ctx)
                if nc == 0:
                    continue
                inv = np.float32(1.0) / np.float32(nc)
                mean_of_rows(w_in, ctx, nc, np.float32(1.0) if cbow_sum else inv, hbuf)
                if share == 1:  # the output rows read and updated where they are
                    set_positive_id(w, outs, use)
                    total += block_gradients(hbuf, hrow, 1, w_out, outs, use, grad, alpha, sigmoid, smax, scale)
                    deltas_and_outputs(w_out, outs, hbuf, grad, err)
                else:
                    set_positive(w_out, w, outs, ybuf, use)
                    total += block_gradients(hbuf, hrow, 1, ybuf, slots, use, grad, alpha, sigmoid, smax, scale)
                    input_deltas(grad, 1, ybuf, slots, err)
                    update_outputs(w_out, w, hbuf, hrow, 1, grad, ybuf, dneg, fresh)
                examples += 1
                spread_delta(w_in, ctx, nc, inv if cbow_sum else np.float32(1.0), err)
                since_merge = count_for_merge(since_merge, merge_every, w_in, w_out, base, hot, isnap, osnap)
            if m > 0 and share > 1:
                flush_negatives(w_out, outs, dneg)
        merge_hot_rows(w_in, w_out, base, hot, isnap, osnap)
        trained[ci] = n_trained
        loss[ci, 0] = total
        loss[ci, 1] = examples
