"""Skip-gram and CBOW with negative sampling over words: one kernel's source, the models differing in the block's input side.

For the centre word ``w`` at position ``i`` with reduced window ``b``, the
context words ``c_1..c_m`` are those in ``[i-b, i+b]`` (after subsampling,
within the sentence); the output rows are ``Y = W_out[[w, n_1..n_K]]``, the
centre word and ``K`` negatives.

**Skip-gram** (batched per centre word: HogBatch, Ji et al. 2016, arXiv
1604.04661): every context word is scored against the same ``K + 1`` outputs,
so each output row is read and written once per window instead of once per
(centre, context) pair.  With input rows ``X = W_in[c]`` (m x d)::

    S = X @ Y.T                       scores, m x (K+1)
    G = alpha * (label - sigmoid(S))  label 1 for column 0 (w), 0 for the negatives
    W_in[c]  += G @ Y                 (computed from the rows before the update)
    W_out[o] += G.T @ X

(Scoring the context words one after the other instead, each against the rows as
the one before left them, word2vec's order, ran as fast and moved text8-head's
scores to gensim's profile: WS-353 -0.024, SimLex-999 +0.004, analogy +0.0007 ±
0.0005 over 24 seeds.  It trades a relatedness lead for less, so not taken; see
the README's Benchmarks.  Each pair with its own negatives too, gensim's order of
work: analogy +0.0014 ± 0.0008 over 16 seeds, WS-353 -0.024, at 0.64M words/s
against 1.6M in a plain patch; not taken either.)

**CBOW** (word2vec's ``-cbow 1``): the context rows are averaged (or summed,
``cbow_sum``) into one hidden vector, a block of one row::

    h = mean(W_in[c])                      (or the sum)
    g = alpha * (label - sigmoid(Y @ h))
    e = g @ Y                              (from the output rows before their update)
    W_out[o] += g[o] * h
    W_in[c_j] += e   for every j           (e / m with cbow_sum, as gensim does)

With its own negatives (``share == 1``) CBOW does each output row's delta and
update in one pass over the row, output after output, as word2vec does (a
negative drawn twice, rare, adds its second delta from the row its first
update left).

A negative equal to ``w`` is skipped (its column of ``G`` is zero), as in word2vec.

**Shared negatives.**  ``share`` consecutive centre words of a sentence may use
the same negatives: their rows are read once at the start of the group (the
scores of the group's later centres use these values) and their accumulated
updates are written once at its end.  This cuts the random-row traffic on the
output table (and, with several threads, the cache lines bouncing between
cores on frequent words' rows).  With ``share == 1`` there is nothing to
share, so the same steps read and update the output rows where they are
(``w_out`` indexed by ``outs`` instead of the copies ``ybuf`` indexed by
``slots``), with no copies and no flush.

**Prefetching.**  The rows the next centre word needs are prefetched while the
current one trains (:mod:`.prefetch`): its output row, the input row of the
word that can enter its window, and the next set of negatives, drawn one centre
word (or group) ahead from a generator of their own, so drawing ahead changes
no draw.

**Hot rows.**  With several threads (Hogwild: each updates the shared tables
without locks), the rows of the most frequent words are written by every
thread all the time, and their cache lines travel from core to core at each
write.  So with ``share == 1`` each thread trains the ``hot`` most frequent
words' rows (input and output) in copies of its own, kept in spare rows at the
end of the tables (a word's id becomes its copy's row as it enters the kernel,
in the subsampled sentence and in the negatives drawn, so the prefetches fetch
the copies too), and merges what it did into the shared rows every
``merge_every`` centre words and at the end of each chunk, taking them again
with the other threads' updates.  One thread has nothing to gain from this, so
the trainer passes ``hot = 0`` then (and with one thread the copies would give
the same tables up to float rounding).

A subword model (:mod:`.subword`) changes the input side again: a word's input
is the mean of its own row and its n-gram rows, and the delta goes to all of them.
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
    deltas_and_outputs,
    draw_negative_ids,
    flush_negatives,
    input_deltas,
    mean_of_rows,
    merge_hot_rows,
    negative_stream,
    prefetch_next,
    reduced_window,
    sentence_buffer,
    set_positive,
    set_positive_id,
    spread_delta,
    start_group,
    subsample,
    take_hot_rows,
    update_outputs,
)


def _word_kernel(cbow: bool):
    """The kernel of one model: skip-gram (``cbow`` False) or CBOW.

    ``cbow`` is a constant of the compiled code, not an argument, so Numba drops the other model's steps before
    its own passes: a kernel compiles in about half the time one kernel for both models took (16 s and 17 s
    against 30 s on the first run), and trains as fast, to the same bits.  Numba's cache tells the two
    apart by the closure's values, so both are cached in the one index of this function.
    """

    @njit(cache=True, parallel=True, fastmath=True)
    def word_train_chunks(
        w_in, w_out, tokens, bounds, chunk_starts, c0, c1, alphas, seeds,
        keep, accept, alias, sigmoid, sig_max, window, negative, share, fresh, cbow_sum, hot, merge_every,
        trained, loss,
    ):
        """Train this model with negative sampling on chunks ``c0..c1-1``, in parallel (Hogwild).

        w_in, w_out: float32 (V + spare, D) C-contiguous, updated in place (D may include
            zero padding columns; they stay zero); V is the vocabulary size (``accept.shape[0]``).  With
            ``hot > 0`` the spare rows hold each thread's copies of the hot rows: at least ``hot`` times
            the number of threads Numba can run (``numba.config.NUMBA_NUM_THREADS``).
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
            set of negatives.  fresh: bool, the group's later centres see the
            negatives' rows as updated by its earlier ones.
        cbow_sum: bool, CBOW sums the context rows instead of averaging them (skip-gram ignores it).
        hot, merge_every: with ``share == 1``, the ``hot`` most frequent words' input and output rows are
            trained in the thread's own copies, merged into the shared rows every ``merge_every`` centre
            words and at the end of the chunk (0: none; one thread gains nothing from it).
        trained: int64 (c1-c0,) output, tokens kept after subsampling per chunk.
        loss: float64 (c1-c0, 2) output, per chunk the summed loss of its examples (the positive's and the
            negatives' ``-log sigmoid``) and their number: one per (centre, context) pair for skip-gram, one per
            centre word with a context for CBOW.
        """
        dim = w_in.shape[1]
        n_words = accept.shape[0]
        vocab = np.uint64(n_words)
        k1 = negative + 1
        scale = np.float32(sigmoid.shape[1] / (2.0 * sig_max))
        smax = np.float32(sig_max)
        block = 1 if cbow else 2 * window  # rows of the block scored at once
        for ci in prange(c1 - c0):
            c = c0 + ci
            alpha = alphas[ci]
            state = seeds[ci]
            sent = sentence_buffer(bounds, chunk_starts, c)
            ctx = np.empty(2 * window, dtype=np.int32)
            outs = np.empty(k1, dtype=np.int32)
            ahead = np.empty(k1, dtype=np.int32)
            slots = np.arange(k1).astype(np.int32)
            use = np.empty(k1, dtype=np.float32)
            grad = np.empty((block, k1), dtype=np.float32)
            err = np.empty((block, dim), dtype=np.float32)
            hbuf = np.empty((1, dim), dtype=np.float32)  # CBOW's hidden vector
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
                    # the models differ in the block's input and its delta (the rest of the loop is theirs alike);
                    # each has its own steps here, not one path through shared names: CBOW ran 5% slower so
                    if cbow:  # one row, the mean (or sum) of the context rows; its delta to each of them
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
                    else:  # the context rows themselves, each its own delta
                        if share == 1:
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

    return word_train_chunks


#: skip-gram and CBOW; both take the arguments documented in :func:`_word_kernel`'s ``word_train_chunks``
word_sg_train_chunks = _word_kernel(False)
word_cbow_train_chunks = _word_kernel(True)
