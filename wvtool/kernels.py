"""All compiled (Numba) code of wvtool: the skip-gram negative-sampling kernel.

Plain functions over arrays and scalars; random state is explicit (a 64-bit
LCG per chunk of work, seeded by the caller); lookup tables are built by the
caller.  ``tests/test_kernels.py`` checks :func:`sgns_train_chunks` against a
plain-NumPy reference of the same update with the same random draws.

The update is batched per centre word (HogBatch, Ji et al. 2016, arXiv
1604.04661): for the
centre word ``w`` at position ``i`` with reduced window ``b``, the context
words ``c_1..c_m`` in ``[i-b, i+b]`` (after subsampling, within the sentence)
all share one set of ``K`` negatives ``n_1..n_K``.  With input rows
``X = W_in[c]`` (m x d) and output rows ``Y = W_out[[w, n_1..n_K]]``
((K+1) x d)::

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
cores on frequent words' rows).  Measured on wiki-text8like, 2 threads:
share=4 is about 30% faster than share=1 at the same quality versus gensim.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

# 64-bit LCG (Knuth's MMIX constants); the high 32 bits are the random number.
LCG_MUL = np.uint64(6364136223846793005)
LCG_ADD = np.uint64(1442695040888963407)
_U32 = np.uint64(32)
_MASK32 = np.uint64(0xFFFFFFFF)


@njit(cache=True, inline="always")
def _next(state):
    return state * LCG_MUL + LCG_ADD


@njit(cache=True)
def build_alias(prob):
    """Walker/Vose alias table for sampling ``i`` with probability ``prob[i]``.

    prob: float64 (V,), sums to 1.  Returns (accept uint64 (V,), alias int32 (V,)):
    draw ``j`` uniformly, then keep ``j`` if a uniform 32-bit number is below
    ``accept[j]`` (scaled to 2**32), else take ``alias[j]``.
    """
    n = prob.shape[0]
    scaled = prob * n
    accept = np.empty(n, dtype=np.uint64)
    alias = np.arange(n).astype(np.int32)
    small = np.empty(n, dtype=np.int64)
    large = np.empty(n, dtype=np.int64)
    ns = 0
    nl = 0
    for i in range(n):
        if scaled[i] < 1.0:
            small[ns] = i
            ns += 1
        else:
            large[nl] = i
            nl += 1
    while ns > 0 and nl > 0:
        ns -= 1
        s = small[ns]
        big = large[nl - 1]
        accept[s] = np.uint64(scaled[s] * 4294967296.0)
        alias[s] = big
        scaled[big] = (scaled[big] + scaled[s]) - 1.0
        if scaled[big] < 1.0:
            nl -= 1
            small[ns] = big
            ns += 1
    for k in range(nl):
        accept[large[k]] = np.uint64(4294967296)
    for k in range(ns):  # leftovers from rounding
        accept[small[k]] = np.uint64(4294967296)
    return accept, alias


def sigmoid_table(size: int = 2048, sig_max: float = 8.0) -> np.ndarray:
    """float32 (size,): the logistic function at the centres of ``size`` bins of [-sig_max, sig_max]."""
    x = -sig_max + (np.arange(size) + 0.5) * (2.0 * sig_max / size)
    return (1.0 / (1.0 + np.exp(-x))).astype(np.float32)


@njit(cache=True, parallel=True, fastmath=True)
def sgns_train_chunks(
    w_in, w_out, tokens, bounds, chunk_starts, c0, c1, alphas, seeds,
    keep, accept, alias, sigmoid, sig_max, window, negative, share, trained,
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
    accept, alias: the alias table of the negative-sampling distribution (:func:`build_alias`).
    sigmoid: float32 (T,) the logistic function at the centres of T equal bins of
        [-sig_max, sig_max] (:func:`sigmoid_table`); beyond the range it is taken as 0 or 1.
    window, negative: ints.  share: this many consecutive centre words share one
        set of negatives; the negatives' rows are updated once per group.  trained: int64 (c1-c0,) output, tokens kept after subsampling per chunk.
    """
    n_chunks = c1 - c0
    dim = w_in.shape[1]
    vocab = np.uint64(w_in.shape[0])
    k1 = negative + 1
    n_sig = sigmoid.shape[0]
    sig_scale = np.float32(n_sig / (2.0 * sig_max))
    smax = np.float32(sig_max)
    for ci in prange(n_chunks):
        c = c0 + ci
        alpha = alphas[ci]
        state = seeds[ci]
        longest = 1
        for s in range(chunk_starts[c], chunk_starts[c + 1]):
            longest = max(longest, bounds[s + 1] - bounds[s])
        sent = np.empty(longest, dtype=np.int32)
        ctx = np.empty(2 * window, dtype=np.int32)
        outs = np.empty(k1, dtype=np.int32)
        use = np.empty(k1, dtype=np.float32)
        score = np.empty((2 * window, k1), dtype=np.float32)
        err = np.empty((2 * window, dim), dtype=np.float32)
        ybuf = np.empty((k1, dim), dtype=np.float32)  # row 0: the centre's output row; 1..K: the negatives
        dneg = np.zeros((k1, dim), dtype=np.float32)  # accumulated updates of the negatives' rows
        n_trained = 0
        for s in range(chunk_starts[c], chunk_starts[c + 1]):
            # subsample the sentence
            m = 0
            for t in range(bounds[s], bounds[s + 1]):
                w = tokens[t]
                state = _next(state)
                if (state >> _U32) < keep[w]:
                    sent[m] = w
                    m += 1
            n_trained += m
            for i in range(m):
                if i % share == 0:
                    if i > 0:  # apply the previous group's negative updates
                        for k in range(1, k1):
                            yk = outs[k]
                            for d in range(dim):
                                w_out[yk, d] += dneg[k, d]
                    for k in range(1, k1):
                        state = _next(state)
                        cand = np.int64(((state >> _U32) * vocab) >> _U32)
                        state = _next(state)
                        if (state >> _U32) >= accept[cand]:
                            cand = alias[cand]
                        outs[k] = cand
                        for d in range(dim):
                            ybuf[k, d] = w_out[cand, d]
                            dneg[k, d] = 0.0
                w = sent[i]
                state = _next(state)
                b = window - np.int64((state >> _U32) % np.uint64(window))
                lo = max(0, i - b)
                hi = min(m, i + b + 1)
                nc = 0
                for j in range(lo, hi):
                    if j != i:
                        ctx[nc] = sent[j]
                        nc += 1
                if nc == 0:
                    continue
                outs[0] = w
                use[0] = 1.0
                for d in range(dim):
                    ybuf[0, d] = w_out[w, d]
                for k in range(1, k1):
                    use[k] = 0.0 if outs[k] == w else 1.0
                # scores -> gradients
                for r in range(nc):
                    xr = ctx[r]
                    for k in range(k1):
                        acc = np.float32(0.0)
                        for d in range(dim):
                            acc += w_in[xr, d] * ybuf[k, d]
                        label = np.float32(1.0) if k == 0 else np.float32(0.0)
                        if acc >= smax:
                            sig = np.float32(1.0)
                        elif acc <= -smax:
                            sig = np.float32(0.0)
                        else:
                            sig = sigmoid[min(np.int64((acc + smax) * sig_scale), n_sig - 1)]
                        score[r, k] = (label - sig) * alpha * use[k]
                # input-side deltas from the old output rows
                for r in range(nc):
                    for d in range(dim):
                        err[r, d] = 0.0
                    for k in range(k1):
                        g = score[r, k]
                        for d in range(dim):
                            err[r, d] += g * ybuf[k, d]
                # output rows from the old input rows: the centre's now, the negatives' at the end of the group
                for r in range(nc):
                    g = score[r, 0]
                    xr = ctx[r]
                    for d in range(dim):
                        w_out[w, d] += g * w_in[xr, d]
                for k in range(1, k1):
                    for r in range(nc):
                        g = score[r, k]
                        xr = ctx[r]
                        for d in range(dim):
                            dneg[k, d] += g * w_in[xr, d]
                for r in range(nc):
                    xr = ctx[r]
                    for d in range(dim):
                        w_in[xr, d] += err[r, d]
            if m > 0:
                for k in range(1, k1):
                    yk = outs[k]
                    for d in range(dim):
                        w_out[yk, d] += dneg[k, d]
        trained[ci] = n_trained
