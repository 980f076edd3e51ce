"""Interoperability with gensim's KeyedVectors, both ways, text and binary, with non-ASCII words."""

from __future__ import annotations

import numpy as np
import pytest

from wvtool import Vectors
from wvtool import formats as io

gensim_models = pytest.importorskip("gensim.models")
KeyedVectors = gensim_models.KeyedVectors

WORDS = ["the", "King", "no\u00a0break", "café", "naïve", "日本語", "Zürich", "über", "ñandú", "emoji😀", "x"] + [f"w{i}" for i in range(40)]


def _gensim_table(dim=7, seed=3):
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(len(WORDS), dim)).astype(np.float32)
    vecs[1] *= 1e-30  # tiny values must survive the text round trip too
    vecs[2] *= 1e30
    kv = KeyedVectors(dim)
    kv.add_vectors(WORDS, vecs)
    return kv, vecs


@pytest.mark.parametrize("binary", [False, True])
def test_wvtool_reads_files_written_by_gensim(tmp_path, binary):
    gkv, vecs = _gensim_table()
    path = tmp_path / ("g.bin" if binary else "g.txt")
    gkv.save_word2vec_format(str(path), binary=binary)
    assert io.detect_format(path) == ("word2vec-binary" if binary else "word2vec")
    kv = io.load(path)
    assert list(kv.words) == gkv.index_to_key == WORDS
    assert np.array_equal(kv.vectors, gkv.vectors)
    # and with tiny chunks, so gensim's record layout meets every chunk edge
    assert io.load(path, chunk_size=3).equals(kv)


def test_wvtool_reads_gensim_file_with_limit(tmp_path):
    gkv, _ = _gensim_table()
    path = tmp_path / "g.bin"
    gkv.save_word2vec_format(str(path), binary=True)
    mine = io.load(path, limit=5)
    theirs = KeyedVectors.load_word2vec_format(str(path), binary=True, limit=5)
    assert list(mine.words) == theirs.index_to_key
    assert np.array_equal(mine.vectors, theirs.vectors)


@pytest.mark.parametrize("fmt", ["word2vec", "word2vec-binary", "fasttext", "glove"])
@pytest.mark.parametrize("compression", ["", ".gz", ".bz2", ".xz"])
def test_gensim_reads_files_written_by_wvtool(tmp_path, fmt, compression):
    _, vecs = _gensim_table()
    kv = Vectors(WORDS, vecs)
    ext = {"word2vec": ".txt", "word2vec-binary": ".bin", "fasttext": ".vec", "glove": ".glove"}[fmt]
    path = tmp_path / ("w" + ext + compression)
    io.save(kv, path)
    g = KeyedVectors.load_word2vec_format(str(path), binary=fmt == "word2vec-binary", no_header=fmt == "glove")
    assert g.index_to_key == WORDS
    assert np.array_equal(g.vectors, vecs)


def test_round_trip_through_gensim_and_back(tmp_path):
    _, vecs = _gensim_table()
    kv = Vectors(WORDS, vecs)
    io.save(kv, tmp_path / "a.bin")
    g = KeyedVectors.load_word2vec_format(str(tmp_path / "a.bin"), binary=True)
    g.save_word2vec_format(str(tmp_path / "b.txt"), binary=False)
    assert io.load(tmp_path / "b.txt").equals(kv)


@pytest.mark.parametrize(
    "name, fmt", [("test_glove.txt", "glove"), ("lee_fasttext.vec", "fasttext"), ("toy-model.vec", "fasttext"),
                  ("crime-and-punishment.vec", "fasttext")],
)
def test_wvtool_reads_gensims_own_test_files_as_gensim_does(name, fmt):
    """The GloVe and fastText .vec files gensim ships for its own tests: the same words and values from both readers."""
    from gensim.test.utils import datapath

    path = datapath(name)
    assert io.detect_format(path) == fmt
    mine = io.load(path)
    theirs = KeyedVectors.load_word2vec_format(path, no_header=fmt == "glove")
    assert len(theirs) > 0 and list(mine.words) == theirs.index_to_key
    assert np.array_equal(mine.vectors, theirs.vectors)
