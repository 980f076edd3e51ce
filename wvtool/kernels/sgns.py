"""Skip-gram with negative sampling, batched per centre word (HogBatch, Ji et al. 2016, arXiv 1604.04661).

For the centre word ``w`` at position ``i`` with reduced window ``b``, the
context words ``c_1..c_m`` in ``[i-b, i+b]`` (after subsampling, within the
sentence) all share one set of ``K`` negatives ``n_1..n_K``.  With input rows
``X = W_in[c]`` (m x d) and output rows ``Y = W_out[[w, n_1..n_K]]`` ((K+1) x d)::

    S = X @ Y.T                       scores, m x (K+1)
    G = alpha * (label - sigmoid(S))  label 1 for column 0 (w), 0 for the negatives
    W_in[c]  += G @ Y                 (computed from the rows before the update)
    W_out[o] += G.T @ X

A negative equal to ``w`` is skipped (its column of ``G`` is zero), as in
word2vec.  Each output row is read and written once per window instead of once
per (centre, context) pair.

Going one step further, ``share`` consecutive centre words of a sentence use
the same negatives: their rows are read once at the start of the group (the
scores of the group's later centres use these values) and their accumulated
updates are written once at its end.  This cuts the random-row traffic on the
output table (and, with several threads, the cache lines bouncing between
cores on frequent words' rows).  With ``share == 1`` there is nothing to
share, so the same steps read and update the output rows where they are
(``w_out`` indexed by ``outs`` instead of the copies ``ybuf`` indexed by
``slots``), with no copies and no flush: the same update with less memory traffic.

The rows the next centre word needs are prefetched while the current one
trains (:mod:`.prefetch`): its output row, the input row of the word that can
enter its window, and the next set of negatives, drawn one centre word (or
group) ahead from a generator of their own, so drawing ahead changes no draw.

With several threads and ``share == 1``, the most frequent words' rows are
trained in thread-own copies and merged every so many centre words, as in
:mod:`.cbow` (which explains why).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .common import (
    add_outputs,
    add_rows,
    block_gradients,
    context,
    count_for_merge,
    draw_negative_ids,
    flush_negatives,
    input_deltas,
    merge_hot_rows,
    negative_stream,
    prefetch_next,
    reduced_window,
    set_positive,
    set_positive_id,
    start_group,
    subsample,
    take_hot_rows,
    update_outputs,
)


@njit(cache=True, parallel=True, fastmath=True)
def sgns_train_chunks(
    w_in, w_out, tokens, bounds, chunk_starts, c0, c1, alphas, seeds,
    keep, accept, alias, sigmoid, sig_max, window, negative, share, fresh, hot, merge_every, trained, loss,
):
    """Train skip-gram with negative sampling on chunks ``c0..c1-1``, in parallel (Hogwild).

    w_in, w_out: float32 (V, D) C-contiguous, updated in place (D may include
        zero padding columns; they stay zero).
    tokens: int32 (N,) word ids.  bounds: int64 (S+1,) sentence boundaries
        (the window never crosses one).
    chunk_starts: int64 (C+1,) chunk ``c`` is sentences ``chunk_starts[c]..chunk_starts[c+1]-1``.
    alphas: float32 (c1-c0,) learning rate of each chunk; seeds: uint64 (c1-c0,)
        initial random state of each chunk (results depend only on these, not on
        which thread runs a chunk).
    keep: uint64 (V,) subsampling: a token is kept if a uniform 32-bit number
        is below ``keep[w]`` (2**32 keeps always).
    accept, alias: uint64 (V,), int32 (V,): the alias table of the negative-sampling
        distribution (:func:`~wvtool.kernels.common.build_alias`).
    sigmoid: float32 (3, T) the logistic function and the losses ``-log sigmoid`` and ``-log(1 - sigmoid)`` at the
        centres of T equal bins of [-sig_max, sig_max]
        (:func:`~wvtool.kernels.common.sigmoid_table`); beyond the range the function is 0 or 1.
    window, negative: ints.  share: this many consecutive centre words share one
        set of negatives; the negatives' rows are updated once per group.
    hot, merge_every: the ``hot`` most frequent words' rows trained in the thread's own copies, merged every
        ``merge_every`` centre words (0: none), as in :func:`~wvtool.kernels.cbow.cbow_train_chunks`;
        w_in and w_out then have the spare rows it describes, and the vocabulary size is ``accept.shape[0]``.
    trained: int64 (c1-c0,) output, tokens kept after subsampling per chunk.
    loss: float64 (c1-c0, 2) output, per chunk the summed loss of its (centre,
        context) examples (the positive's and the negatives' ``-log sigmoid``) and their number.
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
        grad = np.empty((2 * window, k1), dtype=np.float32)
        err = np.empty((2 * window, dim), dtype=np.float32)
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
                if share == 1:  # the output rows read and updated where they are
                    set_positive_id(w, outs, use)
                    total += block_gradients(w_in, ctx, nc, w_out, outs, use, grad, alpha, sigmoid, smax, scale)
                    input_deltas(grad, nc, w_out, outs, err)
                    add_outputs(w_out, outs, w_in, ctx, nc, grad)
                else:
                    set_positive(w_out, w, outs, ybuf, use)
                    total += block_gradients(w_in, ctx, nc, ybuf, slots, use, grad, alpha, sigmoid, smax, scale)
                    input_deltas(grad, nc, ybuf, slots, err)
                    update_outputs(w_out, w, w_in, ctx, nc, grad, ybuf, dneg, fresh)
                examples += nc
                add_rows(w_in, ctx, nc, err)
                since_merge = count_for_merge(since_merge, merge_every, w_in, w_out, base, hot, isnap, osnap)
            if m > 0 and share > 1:
                flush_negatives(w_out, outs, dneg)
        merge_hot_rows(w_in, w_out, base, hot, isnap, osnap)
        trained[ci] = n_trained
        loss[ci, 0] = total
        loss[ci, 1] = examples
