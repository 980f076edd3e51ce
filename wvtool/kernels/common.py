"""What every training kernel shares: the random generator, the lookup tables and the named steps.

The steps of a negative-sampling update are small ``@njit(inline="always")``
helpers, so a kernel reads as a list of steps (subsample the sentence, draw the
negatives, score the block, update the rows, flush the shared negatives) while
compiling to one loop nest, as fast as the hand-inlined version.

The names used throughout (shapes in brackets; V words, D padded dimension,
K negatives, K1 = K + 1):

- ``w_in``, ``w_out``: float32 [V, D], the input and output tables, updated in place.
- ``x``, ``rows``, ``n``: the block's input vectors are ``x[rows[r]]`` for
  ``r < n``.  Skip-gram passes ``x = w_in`` and the context words' ids; CBOW
  passes a one-row buffer holding the mean of the context rows; a subword model
  passes a buffer of composed vectors.  The score/update helpers never care which.
- ``outs``: int32 [K1], ``outs[0]`` the positive (centre) word, ``outs[1:]`` the negatives.
- ``ahead``: int32 [K1], the next set of negatives (``ahead[1:]``), drawn one centre word or
  group ahead so its rows are prefetched while the current one trains; ``nstate``: the
  state of the generator that draws them (:func:`negative_stream`).
- ``ybuf``: float32 [K1, D], the output rows of ``outs`` as read at the start of
  the group (the negatives) or of the window (the positive); ``slots``: int32
  [K1], ``0..K``, its row numbers.  With no shared negatives the steps read
  ``w_out`` at ``outs`` instead.
- ``dneg``: float32 [K1, D], accumulated updates of the negatives' rows (row 0 unused).
- ``use``: float32 [K1], 0 for a negative equal to the positive word (skipped, as in word2vec).
- ``grad``: float32 [B, K1], ``alpha * (label - sigmoid(score)) * use`` per block row and output.
- ``err``: float32 [B, D], the input-side deltas ``grad @ ybuf``.
"""

from __future__ import annotations

import numpy as np
from numba import get_thread_id, njit

from .prefetch import prefetch_row

# 64-bit LCG (Knuth's MMIX constants); the high 32 bits are the random number.
LCG_MUL = np.uint64(6364136223846793005)
LCG_ADD = np.uint64(1442695040888963407)
_U32 = np.uint64(32)
#: xor-ed into a chunk's seed to start its generator of negatives (see :func:`negative_stream`)
NEG_STREAM = np.uint64(0xD1B54A32D192ED03)


@njit(cache=True, inline="always")
def lcg_next(state):
    """The generator's next 64-bit state (uint64); ``state >> 32`` is a uniform 32-bit number."""
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
    """float32 (3, size): at the centres of ``size`` bins of [-sig_max, sig_max], row 0 the
    logistic function ``sigmoid(x)``, row 1 the loss ``-log sigmoid(x)`` of a positive output and row 2
    the loss ``-log(1 - sigmoid(x))`` of a negative one (all three from the same bin: :func:`score_terms`)."""
    x = -sig_max + (np.arange(size) + 0.5) * (2.0 * sig_max / size)
    return np.stack([1.0 / (1.0 + np.exp(-x)), np.logaddexp(0.0, -x), np.logaddexp(0.0, x)]).astype(np.float32)


# --- the steps of an update ------------------------------------------------------------


@njit(cache=True, inline="always")
def sentence_buffer(bounds, chunk_starts, c):
    """An int32 buffer that holds the longest sentence of chunk ``c`` (at least one word)."""
    longest = 1
    for s in range(chunk_starts[c], chunk_starts[c + 1]):
        longest = max(longest, bounds[s + 1] - bounds[s])
    return np.empty(longest, dtype=np.int32)


@njit(cache=True, inline="always")
def subsample(tokens, start, end, keep, hot, base, sent, state):
    """Copy the tokens of ``tokens[start:end]`` that survive subsampling into ``sent``, as the rows the kernel
    trains (:func:`hot_row`; ``hot`` 0: the word ids themselves).

    A token ``w`` is kept if a uniform 32-bit number is below ``keep[w]`` (uint64).
    Returns (number kept, new random state).
    """
    m = 0
    for t in range(start, end):
        w = tokens[t]
        state = lcg_next(state)
        if (state >> _U32) < keep[w]:
            sent[m] = hot_row(w, hot, base)
            m += 1
    return m, state


@njit(cache=True, inline="always")
def reduced_window(state, window):
    """word2vec's random window: ``b`` uniform in 1..window.  Returns (b, new state)."""
    state = lcg_next(state)
    return window - np.int64((state >> _U32) % np.uint64(window)), state


@njit(cache=True, inline="always")
def context(sent, m, i, b, ctx):
    """Copy the words of ``sent[:m]`` within distance ``b`` of position ``i`` (not ``i`` itself) into ``ctx``; return their number."""
    nc = 0
    for j in range(max(0, i - b), min(m, i + b + 1)):
        if j != i:
            ctx[nc] = sent[j]
            nc += 1
    return nc


@njit(cache=True, inline="always")
def draw_negative_ids(vocab, accept, alias, hot, base, outs, state):
    """Draw ``outs[1:]`` from the alias table (``vocab``: uint64, the number of words), as the rows the kernel
    trains (:func:`hot_row`).

    Returns the new random state.
    """
    for k in range(1, outs.shape[0]):
        state = lcg_next(state)
        cand = np.int64(((state >> _U32) * vocab) >> _U32)
        state = lcg_next(state)
        if (state >> _U32) >= accept[cand]:
            cand = alias[cand]
        outs[k] = hot_row(cand, hot, base)
    return state


@njit(cache=True, inline="always")
def negative_stream(seed):
    """The first state of a chunk's generator of negatives, derived from the chunk's ``seed``.

    The negatives come from a generator of their own (the chunk's other one
    subsamples and draws the windows), so a kernel can draw the next set ahead
    of time, to prefetch its rows, without changing which words are drawn.
    """
    return lcg_next(seed ^ NEG_STREAM)


@njit(cache=True, inline="always")
def next_negatives(vocab, accept, alias, hot, base, outs, ahead, w_out, nstate):
    """Make the set drawn ahead (``ahead[1:]``) the current negatives ``outs[1:]``; draw the next set into ``ahead``
    (:func:`draw_negative_ids`) and prefetch its output rows.  Returns the new state of the negatives' generator."""
    for k in range(1, outs.shape[0]):
        outs[k] = ahead[k]
    nstate = draw_negative_ids(vocab, accept, alias, hot, base, ahead, nstate)
    for k in range(1, ahead.shape[0]):
        prefetch_row(w_out, ahead[k])
    return nstate


@njit(cache=True, inline="always")
def start_group(vocab, accept, alias, hot, base, outs, ahead, w_out, ybuf, dneg, i, share, buffered, nstate):
    """Before centre word ``i`` of a sentence: if it starts a group of ``share`` centre words, make the set drawn
    ahead the group's negatives (:func:`next_negatives`).  With ``buffered`` the group works on copies of their
    rows: the previous group's updates are written first (:func:`flush_negatives`, not before a sentence's first
    word: the end of a sentence flushes its last group) and the new rows copied (:func:`load_negatives`).
    Returns the new state of the negatives' generator."""
    if share == 1 or i % share == 0:
        if buffered and i > 0:
            flush_negatives(w_out, outs, dneg)
        nstate = next_negatives(vocab, accept, alias, hot, base, outs, ahead, w_out, nstate)
        if buffered:
            load_negatives(w_out, outs, ybuf, dneg)
    return nstate


@njit(cache=True, inline="always")
def load_negatives(w_out, outs, ybuf, dneg):
    """Copy the negatives' rows ``w_out[outs[1:]]`` into ``ybuf[1:]`` and zero ``dneg[1:]``: the start of a group."""
    for k in range(1, outs.shape[0]):
        cand = outs[k]
        for d in range(w_out.shape[1]):
            ybuf[k, d] = w_out[cand, d]
            dneg[k, d] = 0.0


@njit(cache=True, inline="always")
def prefetch_next(w_in, w_out, sent, m, i, window):
    """Prefetch the rows a word-level kernel will need at centre ``i + 1``: the next centre word's output row and the
    input row of the word that can enter the window (the context words already in it were used just now)."""
    if i + 1 < m:
        prefetch_row(w_out, sent[i + 1])
    if i + 1 + window < m:
        prefetch_row(w_in, sent[i + 1 + window])


@njit(cache=True, inline="always")
def prefetch_rows(table, rows, start, end):
    """Prefetch ``table[rows[start:end]]`` (a subword model's word: its own row and n-gram rows)."""
    for r in range(start, end):
        prefetch_row(table, rows[r])


@njit(cache=True, inline="always")
def set_positive_id(w, outs, use):
    """Make ``w`` the positive output ``outs[0]`` and skip the negatives equal to it (``use[k] = 0``)."""
    outs[0] = w
    use[0] = 1.0
    for k in range(1, outs.shape[0]):
        use[k] = 0.0 if outs[k] == w else 1.0


@njit(cache=True, inline="always")
def set_positive(w_out, w, outs, ybuf, use):
    """:func:`set_positive_id`, and copy ``w``'s row into ``ybuf[0]``."""
    set_positive_id(w, outs, use)
    for d in range(w_out.shape[1]):
        ybuf[0, d] = w_out[w, d]


@njit(cache=True, inline="always")
def score_terms(s, sigmoid, smax, scale):
    """(sigmoid(s), -log sigmoid(s), -log(1 - sigmoid(s))) of float32 ``s``, from one bin of the table: beyond
    ``[-smax, smax]`` the function is 0 or 1 and the losses 0 or ``|s|``."""
    if s >= smax:
        return np.float32(1.0), np.float32(0.0), s
    if s <= -smax:
        return np.float32(0.0), -s, np.float32(0.0)
    # clamped at both ends: a NaN score (a diverging run, stopped after its epoch) must not index outside the table
    i = max(np.int64(0), min(np.int64((s + smax) * scale), sigmoid.shape[1] - 1))
    return sigmoid[0, i], sigmoid[1, i], sigmoid[2, i]


@njit(cache=True, inline="always")
def block_gradients(x, rows, n, y, yrows, use, grad, alpha, sigmoid, smax, scale):
    """``grad[r, k] = alpha * (label_k - sigmoid(x[rows[r]] . y[yrows[k]])) * use[k]`` for ``r < n``; label 1 for k = 0.

    ``y, yrows``: the output rows, either the group's copies (``ybuf`` and
    ``slots``, ``0..K``) or the table itself (``w_out`` and ``outs``).
    Returns the block's loss: ``-log sigmoid(score)`` of each positive plus
    ``-log sigmoid(-score)`` of each negative used, summed over the rows.
    """
    dim = x.shape[1]
    loss = np.float32(0.0)
    for r in range(n):
        xr = rows[r]
        for k in range(yrows.shape[0]):
            yk = yrows[k]
            acc = np.float32(0.0)
            for d in range(dim):
                acc += x[xr, d] * y[yk, d]
            sig, loss_pos, loss_neg = score_terms(acc, sigmoid, smax, scale)
            if k == 0:
                grad[r, k] = (np.float32(1.0) - sig) * alpha
                loss += loss_pos
            else:
                grad[r, k] = -sig * alpha * use[k]
                loss += loss_neg * use[k]
    return loss


@njit(cache=True, inline="always")
def input_deltas(grad, n, y, yrows, err):
    """``err[:n] = grad[:n] @ y[yrows]``: the input-side deltas, from the output rows before their update."""
    dim = y.shape[1]
    for r in range(n):
        g = grad[r, 0]
        y0 = yrows[0]
        for d in range(dim):  # set by the first output rather than zeroed and added to (the same numbers)
            err[r, d] = g * y[y0, d]
        for k in range(1, yrows.shape[0]):
            g = grad[r, k]
            yk = yrows[k]
            for d in range(dim):
                err[r, d] += g * y[yk, d]


@njit(cache=True, inline="always")
def update_outputs(w_out, w, x, rows, n, grad, ybuf, dneg, fresh):
    """The output side of the block, from the input vectors before their update.

    The positive's row ``w_out[w]`` is updated now; the negatives' updates are
    added to ``dneg[1:]`` (written by :func:`flush_negatives` at the end of the
    group) and, if ``fresh``, to their copies ``ybuf[1:]`` too, so the group's
    next centre words score against the updated rows.
    """
    dim = x.shape[1]
    for r in range(n):
        g = grad[r, 0]
        xr = rows[r]
        for d in range(dim):
            w_out[w, d] += g * x[xr, d]
    for k in range(1, dneg.shape[0]):
        if fresh:
            for r in range(n):
                g = grad[r, k]
                xr = rows[r]
                for d in range(dim):
                    v = g * x[xr, d]
                    dneg[k, d] += v
                    ybuf[k, d] += v
        else:
            for r in range(n):
                g = grad[r, k]
                xr = rows[r]
                for d in range(dim):
                    dneg[k, d] += g * x[xr, d]


@njit(cache=True, inline="always")
def add_rows(w_in, rows, n, err):
    """``w_in[rows[r]] += err[r]`` for ``r < n`` (one row per input word)."""
    for r in range(n):
        xr = rows[r]
        for d in range(w_in.shape[1]):
            w_in[xr, d] += err[r, d]


@njit(cache=True, inline="always")
def add_outputs(w_out, outs, x, rows, n, grad):
    """``w_out[outs[k]] += sum_r grad[r, k] x[rows[r]]`` for every ``k``: the output side of a block whose
    rows were read in place (no shared negatives, nothing buffered); a word drawn twice gets both updates."""
    dim = x.shape[1]
    for k in range(outs.shape[0]):
        o = outs[k]
        for r in range(n):
            g = grad[r, k]
            xr = rows[r]
            for d in range(dim):
                w_out[o, d] += g * x[xr, d]


@njit(cache=True, inline="always")
def deltas_and_outputs(w_out, outs, h, grad, err):
    """A one-row block read in place (CBOW with its own negatives), its two last steps in one pass over each
    output row: ``err[0] += grad[0, k] w_out[outs[k]]``, then ``w_out[outs[k]] += grad[0, k] h[0]``, for each
    ``k`` in turn.  As in word2vec and gensim, a word drawn twice adds its second delta from the row its first
    update left (:func:`input_deltas` with :func:`add_outputs` read every row before any update).

    Two outputs in a row that are different words share one pass (``err`` is read and written once for both,
    the same sums); two equal ones are done one after the other, so the rule above holds."""
    dim = h.shape[1]
    k1 = outs.shape[0]
    # the first pass sets err rather than adding to zeros (the same numbers, and no call to zero it)
    g = grad[0, 0]
    o = outs[0]
    if k1 > 1 and outs[1] != o:
        g2 = grad[0, 1]
        o2 = outs[1]
        for d in range(dim):
            err[0, d] = g * w_out[o, d] + g2 * w_out[o2, d]
            w_out[o, d] += g * h[0, d]
            w_out[o2, d] += g2 * h[0, d]
        k = 2
    else:
        for d in range(dim):
            err[0, d] = g * w_out[o, d]
            w_out[o, d] += g * h[0, d]
        k = 1
    while k < k1:
        g = grad[0, k]
        o = outs[k]
        if k + 1 < k1 and outs[k + 1] != o:
            g2 = grad[0, k + 1]
            o2 = outs[k + 1]
            for d in range(dim):
                err[0, d] += g * w_out[o, d] + g2 * w_out[o2, d]
                w_out[o, d] += g * h[0, d]
                w_out[o2, d] += g2 * h[0, d]
            k += 2
        else:
            for d in range(dim):
                err[0, d] += g * w_out[o, d]
                w_out[o, d] += g * h[0, d]
            k += 1


@njit(cache=True, inline="always")
def mean_of_rows(w_in, rows, n, scale, h):
    """``h[0] = scale * sum(w_in[rows[:n]])``: the CBOW hidden vector (scale 1/n for the mean, 1 for the sum)."""
    dim = w_in.shape[1]
    if n == 0:
        for d in range(dim):
            h[0, d] = 0.0
        return
    first = rows[0]
    for d in range(dim):  # the first row copied rather than added to zeros: the same sum, no call to zero h
        h[0, d] = w_in[first, d]
    for r in range(1, n):
        xr = rows[r]
        for d in range(dim):
            h[0, d] += w_in[xr, d]
    for d in range(dim):
        h[0, d] *= scale


@njit(cache=True, inline="always")
def spread_delta(w_in, rows, n, scale, err):
    """``w_in[rows[r]] += scale * err[0]`` for ``r < n``: one input-side delta given to every context row."""
    dim = w_in.shape[1]
    if scale != np.float32(1.0):
        for d in range(dim):
            err[0, d] *= scale
    for r in range(n):
        xr = rows[r]
        for d in range(dim):
            w_in[xr, d] += err[0, d]


@njit(cache=True, inline="always")
def take_hot_rows(w_in, w_out, n_words, hot):
    """The start of a chunk with ``hot`` rows: copy the rows of the ``hot`` most frequent words (``[:hot]`` of both
    tables) into this thread's own rows after the vocabulary's, ``[base:base + hot]``.  Returns ``base`` and
    the two snapshots of what the copies were when taken (for :func:`merge_hot_rows`)."""
    base = n_words + get_thread_id() * hot
    isnap = np.empty((hot, w_in.shape[1]), dtype=np.float32)
    osnap = np.empty((hot, w_out.shape[1]), dtype=np.float32)
    for table, snap in ((w_in, isnap), (w_out, osnap)):
        for o in range(hot):
            for d in range(table.shape[1]):
                v = table[o, d]
                table[base + o, d] = v
                snap[o, d] = v
    return base, isnap, osnap


@njit(cache=True, inline="always")
def merge_hot_rows(w_in, w_out, base, hot, isnap, osnap):
    """Add what this thread did to its copies of the hot rows since they were taken (copy minus snapshot) to the
    shared rows, and take them again: the copies then hold the other threads' updates too."""
    for table, snap in ((w_in, isnap), (w_out, osnap)):
        for o in range(hot):
            for d in range(table.shape[1]):
                v = table[o, d] + (table[base + o, d] - snap[o, d])
                table[o, d] = v
                table[base + o, d] = v
                snap[o, d] = v


@njit(cache=True, inline="always")
def count_for_merge(since, merge_every, w_in, w_out, base, hot, isnap, osnap):
    """After a centre word: :func:`merge_hot_rows` every ``merge_every`` centre words (none when ``hot`` is 0).
    Returns the centre words trained since the last merge."""
    if hot == 0:
        return since
    since += 1
    if since == merge_every:
        merge_hot_rows(w_in, w_out, base, hot, isnap, osnap)
        return 0
    return since


@njit(cache=True, inline="always")
def hot_row(w, hot, base):
    """The table row word ``w`` is trained in: this thread's copy (``base + w``) for the ``hot`` most frequent
    words, else its own.  The kernels map a word when its id enters them (the subsampled sentence, the negatives
    drawn), so every step, the prefetches included, reads the rows that are trained."""
    return w + base if w < hot else w


@njit(cache=True, inline="always")
def flush_negatives(w_out, outs, dneg):
    """Write the group's accumulated negative updates: ``w_out[outs[k]] += dneg[k]`` for ``k >= 1``."""
    for k in range(1, outs.shape[0]):
        yk = outs[k]
        for d in range(w_out.shape[1]):
            w_out[yk, d] += dneg[k, d]
