"""All compiled (Numba) code of wvtool: one module per training kernel, plus what they share.

- :mod:`.common`: the 64-bit LCG, the alias table of the negative-sampling
  distribution, the sigmoid table, and the named steps of an update
  (subsample, draw the negatives, score a block, update the rows, flush the
  shared negatives) as inlined helpers.
- :mod:`.word`: skip-gram and CBOW with negative sampling over words (one source compiled once per model:
  skip-gram scores the context rows against the centre word and the negatives, CBOW their mean).
- :mod:`.subword`: both models over words and their character n-grams (fastText).
- :mod:`.target`: the CPU features the kernels are compiled for (256-bit vectors on AVX-512 CPUs).
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

import hashlib
from pathlib import Path

from .target import prefer_256_bit_vectors

prefer_256_bit_vectors()  # before the kernels are declared: see target.py

from .common import LCG_ADD, LCG_MUL, build_alias, sigmoid_table  # noqa: E402
from .subword import subword_cbow_train_chunks, subword_sg_train_chunks  # noqa: E402
from .word import word_cbow_train_chunks, word_sg_train_chunks  # noqa: E402

#: the kernels that inline the helpers of common.py and prefetch.py
KERNELS = (word_sg_train_chunks, word_cbow_train_chunks, subword_sg_train_chunks, subword_cbow_train_chunks)
HELPERS = ("common.py", "prefetch.py")


def forget_stale_kernels(cache: Path, kernels=KERNELS, helpers=HELPERS) -> bool:
    """Drop the cached kernels in ``cache`` if they were compiled with other helpers than these; True if it did.

    Numba checks only a kernel's own source file before loading it from its cache, not the helpers inlined into
    it, so after an update that changed only ``common.py`` (``git pull`` in an editable install) the old steps
    would keep running.  A stamp file names the helpers' digest the cached kernels were compiled with; when it
    differs, their index files go (Numba compiles them again on first use) and the stamp is renewed.
    """
    here = Path(__file__).resolve().parent
    digest = hashlib.sha1(b"".join((here / name).read_bytes() for name in helpers)).hexdigest()[:16]
    stamp = cache / f"wvtool-helpers-{digest}.stamp"
    if stamp.exists():
        return False
    cache.mkdir(parents=True, exist_ok=True)  # a new cache: what Numba compiles into it will match the stamp
    for kernel in kernels:
        for index in cache.glob(f"{cache_name(kernel)}-*.nbi"):
            index.unlink(missing_ok=True)
    for old in cache.glob("wvtool-helpers-*.stamp"):
        old.unlink(missing_ok=True)
    stamp.touch()
    return True


def cache_name(kernel) -> str:
    """How Numba's cache files of ``kernel`` begin: its module's last name and its qualified name without '<>'."""
    module = kernel.py_func.__module__.rsplit(".", 1)[-1]
    return f"{module}.{kernel.py_func.__qualname__}".replace("<", "").replace(">", "")


try:
    forget_stale_kernels(Path(word_sg_train_chunks.stats.cache_path))
except (OSError, AttributeError):  # an unwritable cache, or a Numba without these attributes: nothing to do
    pass

__all__ = [
    "LCG_ADD", "LCG_MUL", "build_alias", "forget_stale_kernels", "sigmoid_table", "subword_cbow_train_chunks",
    "subword_sg_train_chunks", "word_cbow_train_chunks", "word_sg_train_chunks",
]
