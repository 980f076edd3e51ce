"""A real vector table trained by gensim, shared by the query and evaluation tests.

Trained once per test process (a second or two): gensim Word2Vec, one worker,
fixed seed, on the start of the repository's sample corpus (or, while it is
absent, of the shared text8 corpus).  ``mixed_case_table`` adds case variants
of many words, some before and some after their lower-case form, so that case
folding and "first variant wins" are exercised.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "sample_corpora" / "books.txt.gz", ROOT.parent / "shared" / "corpora" / "text8-head-12m.txt.gz"]

TOKENS = 200_000


def _sentences() -> list[list[str]]:
    for path in CORPORA:
        if path.exists():
            break
    else:
        pytest.skip("no training corpus: neither sample_corpora/books.txt.gz nor ../shared/corpora exists")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        text = f.read(4_000_000)
    tokens = re.findall(r"[a-z]+", text.lower())[:TOKENS]
    return [tokens[i : i + 1000] for i in range(0, len(tokens), 1000)]


@functools.cache
def gensim_table():
    """(gensim KeyedVectors, wvtool Vectors) with the same words, order and float32 vectors."""
    from gensim.models import Word2Vec

    from wvtool import Vectors

    model = Word2Vec(_sentences(), vector_size=40, window=5, min_count=5, sg=1, negative=5, epochs=6, workers=1, seed=1)
    kv = model.wv
    return kv, Vectors(list(kv.index_to_key), np.array(kv.vectors, dtype=np.float32))


@functools.cache
def mixed_case_table():
    """Like :func:`gensim_table` with capitalised and upper-case variants of many words added."""
    from gensim.models import KeyedVectors

    from wvtool import Vectors

    kv, vec = gensim_table()
    rng = np.random.default_rng(7)
    words, rows, late = [], [], []
    base = vec.vectors
    for i, w in enumerate(vec.words):
        norm = float(np.linalg.norm(base[i]))
        variant = w.capitalize() if i % 3 else w.upper()
        noisy = base[i] + rng.normal(scale=0.25 * norm / np.sqrt(vec.dim), size=vec.dim).astype(np.float32)
        if i % 4 == 0:  # the variant comes first: it stands for the lower-case word when folding
            words += [variant, w]
            rows += [noisy, base[i]]
        else:
            words.append(w)
            rows.append(base[i])
            if i % 4 == 1 and variant != w:  # the variant comes after, at the end of the table
                late.append((variant, noisy))
    for w, r in late:
        words.append(w)
        rows.append(r)
    # keep words unique (a variant may equal an existing word)
    seen, uw, ur = set(), [], []
    for w, r in zip(words, rows, strict=True):
        if w not in seen:
            seen.add(w)
            uw.append(w)
            ur.append(r)
    arr = np.ascontiguousarray(np.array(ur, dtype=np.float32))
    gkv = KeyedVectors(vector_size=arr.shape[1])
    gkv.add_vectors(uw, arr)
    return gkv, Vectors(uw, arr)
