"""The random draws of the training kernels, in plain Python, for the NumPy reference implementations.

The kernels draw from two 64-bit LCGs per chunk (Knuth's MMIX constants; the
high 32 bits are the random number).  The first, seeded with the chunk's seed,
draws in a fixed order: one draw per token to subsample it, one per centre
word for its reduced window.  The second, started by :func:`negative_stream`,
draws the negatives, set after set: two draws per negative (a uniform word,
then the alias table's accept test).  The references in ``test_kernels.py``
and ``test_subword_training.py`` replay the same draws.
"""

M64 = (1 << 64) - 1
MUL = 6364136223846793005
ADD = 1442695040888963407
NEG_STREAM = 0xD1B54A32D192ED03


def lcg(state: int) -> int:
    """The generator's next state."""
    return (state * MUL + ADD) & M64


def negative_stream(seed: int) -> int:
    """The first state of a chunk's generator of negatives."""
    return lcg(seed ^ NEG_STREAM)


def subsample(tokens, start: int, end: int, keep, state: int):
    """The tokens of ``tokens[start:end]`` that survive subsampling, and the new state."""
    sent = []
    for t in range(start, end):
        state = lcg(state)
        if (state >> 32) < int(keep[tokens[t]]):
            sent.append(int(tokens[t]))
    return sent, state


def negatives(state: int, negative: int, vocab: int, accept, alias):
    """``negative`` words from the alias table, and the new state."""
    negs = []
    for _ in range(negative):
        state = lcg(state)
        cand = ((state >> 32) * vocab) >> 32
        state = lcg(state)
        if (state >> 32) >= int(accept[cand]):
            cand = int(alias[cand])
        negs.append(cand)
    return negs, state


def window_positions(sent, i: int, window: int, state: int):
    """The positions of ``sent`` within the reduced window of position ``i`` (word2vec's ``b`` in 1..window), and the new state."""
    state = lcg(state)
    b = window - (state >> 32) % window
    return [j for j in range(max(0, i - b), min(len(sent), i + b + 1)) if j != i], state


def window_context(sent, i: int, window: int, state: int):
    """The words at :func:`window_positions`, and the new state."""
    positions, state = window_positions(sent, i, window, state)
    return [sent[j] for j in positions], state
