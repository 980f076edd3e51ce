"""Skip-gram and CBOW over words and their character n-grams (fastText's ``skipgram`` and ``cbow``).

The input table holds fastText's layout: the V words' own rows followed by the
``bucket`` n-gram rows.  Word ``w``'s input vector is the mean of its rows
``rows[offsets[w]:offsets[w + 1]]`` (its own row, then one per n-gram).  As in
fastText, the centre word's input vector predicts each context word ``c_j`` of
its window (the positive outputs), against negatives.

Batching: the centre's input vector ``h`` is computed once per centre word,
not once per (centre, context) pair, and its accumulated delta is added once,
in full, to every one of its rows (fastText and gensim add the full gradient to
each row, not a share of it).  Negatives are drawn once for ``share``
consecutive centre words, as in the word-level kernels, but as a pool of
``slices`` sets of ``K``: context word ``j`` is trained against set
``j % slices``.  As ``h`` is fixed while its window is scored, a negative's
gradient is the same for every context word that uses it, so it is computed
once and weighted by their number.  Per centre word with ``r`` rows, ``m``
context words and ``K`` negatives this costs about ``3r + 3m + 3 min(m, slices) K``
row operations, where fastText's per-pair update costs ``m (3r + 3(K + 1))``.

Why a pool: with one set of ``K`` shared by the whole window (``slices = 1``)
each negative's push on ``h`` and on its own row is ``m`` times a pair's, and
analogy accuracy fell 3.3 points below gensim's on wiki-text8like (0.533
against 0.566; 1.7 on text8-head).  Drawing a fresh set per pair, as fastText
does, closed the gap (0.562) at a fifth of the speed; four sets per window
(``slices = 4``) shared across four centre words closed it too (0.563), at
about 80% of the one-set speed on text8-head and 40% on wiki-text8like
(measured 2026-11-23, before the kernels prefetched their rows).

CBOW (:func:`subword_cbow_train_chunks`) is the word-level CBOW kernel with the
context words' rows widened to their own and n-gram rows, as fastText's ``cbow``,
except that a context word's rows are read and written once while it is in
reach of the window, not once per window: the sum of its rows and the delta
owed to them are held in a slot.

Both prefetch one centre word ahead (:mod:`.prefetch`), as the word-level
kernels do: skip-gram the next centre word's own and n-gram rows (random rows
of a table of millions) and the output row of the word that can enter the
window, CBOW that word's input rows and the next centre word's output row; and
both draw the next pool of negatives one group ahead and prefetch its rows.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .common import (
    block_gradients,
    context,
    draw_negative_ids,
    flush_negatives,
    input_deltas,
    mean_of_rows,
    negative_stream,
    prefetch_rows,
    reduced_window,
    score_terms,
    sentence_buffer,
    set_positive,
    spread_delta,
    start_group,
    subsample,
    update_outputs,
)
from .prefetch import prefetch_row


@njit(cache=True, inline="always")
def train_negative_pool(h, ybuf, outs, ctx, nc, negative, slices, dneg, err, fresh, alpha, sigmoid, smax, scale):
    """The negatives' part of a window: context word ``j`` is trained against slice ``j % slices`` of the pool.

    The pool ``outs[1:]`` holds ``slices`` sets of ``negative`` words (rows in
    ``ybuf``).  As ``h`` is fixed while its window is scored, a pool word's
    gradient is the same for every context word that uses it, so it is computed
    once and weighted by their number (those it differs from):
    ``g = -alpha * sigmoid(h . y) * times``; then ``err[0] += g y`` and
    ``dneg += g h`` (and ``ybuf`` if fresh).  Returns the negatives' loss,
    ``-log sigmoid(-score)`` times that number, summed.
    """
    dim = h.shape[1]
    loss = np.float32(0.0)
    for p in range(1, 1 + min(nc, slices) * negative):
        first = (p - 1) // negative
        times = 0
        for j in range(first, nc, slices):
            if ctx[j] != outs[p]:
                times += 1
        if times == 0:
            continue
        acc = np.float32(0.0)
        for d in range(dim):
            acc += h[0, d] * ybuf[p, d]
        sig, _, loss_neg = score_terms(acc, sigmoid, smax, scale)
        g = -sig * alpha * np.float32(times)
        loss += loss_neg * np.float32(times)
        for d in range(dim):
            err[0, d] += g * ybuf[p, d]
            v = g * h[0, d]
            dneg[p, d] += v
            if fresh:
                ybuf[p, d] += v
    return loss


@njit(cache=True, inline="always")
def train_positives(w_out, h, ctx, nc, err, alpha, sigmoid, smax, scale):
    """Each context word as the positive output of ``h``: add its input-side delta to ``err[0]``, update its row.

    Returns the positives' loss, ``-log sigmoid(score)`` summed.
    """
    dim = h.shape[1]
    loss = np.float32(0.0)
    for j in range(nc):
        c = ctx[j]
        acc = np.float32(0.0)
        for d in range(dim):
            acc += h[0, d] * w_out[c, d]
        sig, loss_pos, _ = score_terms(acc, sigmoid, smax, scale)
        g = (np.float32(1.0) - sig) * alpha
        loss += loss_pos
        for d in range(dim):
            err[0, d] += g * w_out[c, d]
            w_out[c, d] += g * h[0, d]
    return loss


@njit(cache=True, parallel=True, fastmath=True)
def subword_sg_train_chunks(
    w_in, w_out, tokens, bounds, chunk_starts, c0, c1, alphas, seeds,
    keep, accept, alias, sigmoid, sig_max, window, negative, share, fresh, slices, offsets, rows, trained, loss,
):
    """Train subword skip-gram with negative sampling on chunks ``c0..c1-1``, in parallel (Hogwild).

    w_in: float32 (V + bucket, D), the words' own rows then the n-gram rows;
    w_out: float32 (V, D); both updated in place.  offsets: int64 (V + 1,),
    rows: int64: word ``w``'s input rows are ``rows[offsets[w]:offsets[w + 1]]``
    (:func:`wvtool.subwords.subword_rows`).  slices: the pool of negatives drawn
    for ``share`` centre words holds ``slices * negative`` words; context word
    ``j`` of a window is trained against the ``negative`` words of slice
    ``j % slices``.  The other arguments are those of
    :func:`~wvtool.kernels.word.word_sg_train_chunks`.
    """
    dim = w_in.shape[1]
    vocab = np.uint64(w_out.shape[0])
    k1 = negative * slices + 1
    scale = np.float32(sigmoid.shape[1] / (2.0 * sig_max))
    smax = np.float32(sig_max)
    for ci in prange(c1 - c0):
        c = c0 + ci
        alpha = alphas[ci]
        state = seeds[ci]
        sent = sentence_buffer(bounds, chunk_starts, c)
        ctx = np.empty(2 * window, dtype=np.int32)
        outs = np.empty(k1, dtype=np.int32)
        ahead = np.empty(k1, dtype=np.int32)
        h = np.empty((1, dim), dtype=np.float32)
        err = np.empty((1, dim), dtype=np.float32)
        ybuf = np.empty((k1, dim), dtype=np.float32)
        dneg = np.zeros((k1, dim), dtype=np.float32)
        n_trained = 0
        total = 0.0
        examples = 0
        nstate = draw_negative_ids(vocab, accept, alias, 0, 0, ahead, negative_stream(state))
        for s in range(chunk_starts[c], chunk_starts[c + 1]):
            m, state = subsample(tokens, bounds[s], bounds[s + 1], keep, 0, 0, sent, state)
            n_trained += m
            for i in range(m):
                nstate = start_group(vocab, accept, alias, 0, 0, outs, ahead, w_out, ybuf, dneg, i, share, True, nstate)
                if i + 1 < m:  # the next centre's rows, and the output row of the word that can enter the window
                    prefetch_rows(w_in, rows, offsets[sent[i + 1]], offsets[sent[i + 1] + 1])
                if i + 1 + window < m:
                    prefetch_row(w_out, sent[i + 1 + window])
                w = sent[i]
                b, state = reduced_window(state, window)
                nc = context(sent, m, i, b, ctx)
                if nc == 0:
                    continue
                own = rows[offsets[w] : offsets[w + 1]]
                nr = own.shape[0]
                mean_of_rows(w_in, own, nr, np.float32(1.0) / np.float32(nr), h)
                for d in range(dim):
                    err[0, d] = 0.0
                total += train_negative_pool(h, ybuf, outs, ctx, nc, negative, slices, dneg, err, fresh, alpha, sigmoid,
                                             smax, scale)
                total += train_positives(w_out, h, ctx, nc, err, alpha, sigmoid, smax, scale)
                examples += nc
                spread_delta(w_in, own, nr, np.float32(1.0), err)
            if m > 0:
                flush_negatives(w_out, outs, dneg)
        trained[ci] = n_trained
        loss[ci, 0] = total
        loss[ci, 1] = examples


@njit(cache=True, parallel=True, fastmath=True)
def subword_cbow_train_chunks(
    w_in, w_out, tokens, bounds, chunk_starts, c0, c1, alphas, seeds,
    keep, accept, alias, sigmoid, sig_max, window, negative, share, fresh, offsets, rows, trained, loss,
):
    """Train subword CBOW (fastText's ``cbow``) on chunks ``c0..c1-1``, in parallel (Hogwild).

    The hidden vector is the mean of every input row of the context words (their
    own rows and n-gram rows, duplicates counted); it predicts the centre word
    against the negatives, and its delta is owed in full to each of those rows.

    A word stays in about ``window + 1`` windows, so its rows are not read and
    written again for each of them.  Its position is held in a slot from the
    first window that uses it until the window has passed it (the centre is
    ``window + 1`` further, or the sentence ends): on entry the slot gets the sum
    of its rows; each window adds to the hidden vector the sums of its words'
    slots, and its delta ``e`` to what each of them is owed (``pend``) and
    ``r e`` to the sum (``r`` rows each got ``e``); on release the owed delta
    is added to each row.  The rows end as fastText's per-window update leaves
    them, and every hidden vector is the same, as long as no row is shared by
    two words held at once (an n-gram in both, or a word twice within a
    window): then a window sees the other holder's deltas to that row only
    once it is released, a delay of a few words like that between Hogwild
    threads.  Arguments as :func:`subword_sg_train_chunks`.
    """
    dim = w_in.shape[1]
    vocab = np.uint64(w_out.shape[0])
    k1 = negative + 1
    span = 2 * window + 1
    one = np.float32(1.0)
    scale = np.float32(sigmoid.shape[1] / (2.0 * sig_max))
    smax = np.float32(sig_max)
    for ci in prange(c1 - c0):
        c = c0 + ci
        alpha = alphas[ci]
        state = seeds[ci]
        sent = sentence_buffer(bounds, chunk_starts, c)
        held = np.full(span, -1, dtype=np.int64)  # the sentence position each slot holds (-1: none)
        wsum = np.empty((span, dim), dtype=np.float32)  # the sum of its word's rows, kept up to date
        pend = np.empty((span, dim), dtype=np.float32)  # the delta owed to each of those rows
        cslots = np.empty(2 * window, dtype=np.int64)  # the slots of a window's context words
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
        nstate = draw_negative_ids(vocab, accept, alias, 0, 0, ahead, negative_stream(state))
        for s in range(chunk_starts[c], chunk_starts[c + 1]):
            m, state = subsample(tokens, bounds[s], bounds[s + 1], keep, 0, 0, sent, state)
            n_trained += m
            for i in range(m):
                nstate = start_group(vocab, accept, alias, 0, 0, outs, ahead, w_out, ybuf, dneg, i, share, True, nstate)
                if i + 1 < m:  # the next centre's output row, and the rows of the word that can enter the window
                    prefetch_row(w_out, sent[i + 1])
                if i + 1 + window < m:
                    prefetch_rows(w_in, rows, offsets[sent[i + 1 + window]], offsets[sent[i + 1 + window] + 1])
                gone = i - window - 1  # no window from here on reaches it
                if gone >= 0 and held[gone % span] == gone:
                    start, end = offsets[sent[gone]], offsets[sent[gone] + 1]
                    spread_delta(w_in, rows[start:end], end - start, one, pend[gone % span : gone % span + 1])
                    held[gone % span] = -1
                w = sent[i]
                b, state = reduced_window(state, window)
                lo = max(0, i - b)
                hi = min(m, i + b + 1)
                if hi - lo < 2:
                    continue
                nc = 0
                nr = 0
                for p in range(lo, hi):
                    if p == i:
                        continue
                    slot = p % span
                    start, end = offsets[sent[p]], offsets[sent[p] + 1]
                    if held[slot] != p:  # hold it: the sum of its rows, nothing owed yet
                        mean_of_rows(w_in, rows[start:end], end - start, one, wsum[slot : slot + 1])
                        for d in range(dim):
                            pend[slot, d] = 0.0
                        held[slot] = p
                    cslots[nc] = slot
                    nc += 1
                    nr += end - start
                mean_of_rows(wsum, cslots, nc, one / np.float32(nr), hbuf)
                set_positive(w_out, w, outs, ybuf, use)
                total += block_gradients(hbuf, hrow, 1, ybuf, slots, use, grad, alpha, sigmoid, smax, scale)
                examples += 1
                input_deltas(grad, 1, ybuf, slots, err)
                update_outputs(w_out, w, hbuf, hrow, 1, grad, ybuf, dneg, fresh)
                spread_delta(pend, cslots, nc, one, err)
                for j in range(nc):  # each of the word's r rows is owed err: its sum grows by r err
                    slot = cslots[j]
                    r = np.float32(offsets[sent[held[slot]] + 1] - offsets[sent[held[slot]]])
                    for d in range(dim):
                        wsum[slot, d] += r * err[0, d]
            for slot in range(span):  # the sentence's end: release what is held
                p = held[slot]
                if p >= 0:
                    start, end = offsets[sent[p]], offsets[sent[p] + 1]
                    spread_delta(w_in, rows[start:end], end - start, one, pend[slot : slot + 1])
                    held[slot] = -1
            if m > 0:
                flush_negatives(w_out, outs, dneg)
        trained[ci] = n_trained
        loss[ci, 0] = total
        loss[ci, 1] = examples
