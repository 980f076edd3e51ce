"""All compiled (Numba) code of wvtool: one module per training kernel, plus what they share.

- :mod:`.common`: the 64-bit LCG, the alias table of the negative-sampling
  distribution, the sigmoid table, and the named steps of an update
  (subsample, draw the negatives, score a block, update the rows, flush the
  shared negatives) as inlined helpers.
- :mod:`.sgns`: skip-gram with negative sampling, batched per centre word.

Kernels are plain functions over arrays and scalars; random state is explicit
(a 64-bit LCG per chunk of work, seeded by the caller); lookup tables are built
by the caller.  ``tests/test_kernels.py`` checks each kernel against a
plain-NumPy reference of the same update with the same random draws.
Importing this package imports numba: only the trainer does, lazily.
"""

from .common import LCG_ADD, LCG_MUL, build_alias, sigmoid_table
from .sgns import sgns_train_chunks

__all__ = ["LCG_ADD", "LCG_MUL", "build_alias", "sigmoid_table", "sgns_train_chunks"]
