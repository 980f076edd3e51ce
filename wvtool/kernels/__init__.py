"""All compiled (Numba) code of wvtool: one module per training kernel, plus what they share.

- :mod:`.common`: the 64-bit LCG, the alias table of the negative-sampling
  distribution, the sigmoid table, and the named steps of an update
  (subsample, draw the negatives, score a block, update the rows, flush the
  shared negatives) as inlined helpers.
- :mod:`.word`: skip-gram and CBOW with negative sampling over words (one kernel: skip-gram scores the
  context rows against the centre word and the negatives, CBOW their mean).
- :mod:`.subword`: both models over words and their character n-grams (fastText).
- :mod:`.prefetch`: :func:`~.prefetch.prefetch_row`, a software prefetch: every kernel
  asks for the rows of its next centre word (and its next negatives, drawn
  ahead from their own generator) while it trains the current one.

The kernels take the same arguments up to ``share`` and run the same steps;
the models differ only in what the input side of the block is (the context rows
for skip-gram, their mean for CBOW).  A subword model (fastText) changes only
that input side: the block's input vectors become the mean of a word's row and
its n-gram rows, and the input delta goes to each of those rows.

Kernels are plain functions over arrays and scalars; random state is explicit
(a 64-bit LCG per chunk of work, seeded by the caller); lookup tables are built
by the caller.  ``tests/test_kernels.py`` checks each kernel against a
plain-NumPy reference of the same update with the same random draws.
Importing this package imports numba: only the trainer does, lazily.
"""

from .common import LCG_ADD, LCG_MUL, build_alias, sigmoid_table
from .subword import subword_cbow_train_chunks, subword_sg_train_chunks
from .word import word_train_chunks

__all__ = [
    "LCG_ADD", "LCG_MUL", "build_alias", "sigmoid_table", "subword_cbow_train_chunks", "subword_sg_train_chunks",
    "word_train_chunks",
]
