"""Cross-check with Facebook's own fastText (the ``fasttext`` Python module, a test dependency)."""

import io
from pathlib import Path

import numpy as np
import pytest

from wvtool.formats.fasttext_bin import open_buffer, read_fasttext_bin, write_fasttext_bin

fasttext = pytest.importorskip("fasttext")

import gensim  # noqa: E402

DATA = Path(gensim.__file__).parent / "test" / "test_data"
OOV = ["someoovword", "xyzzy", "nights", "Příliš", "日本語", "</s>x"]


def _facebook(path):
    m = fasttext.load_model(str(path))
    words = m.get_words()
    return words, np.stack([m.get_word_vector(w) for w in words]), np.stack([m.get_word_vector(w) for w in OOV])


@pytest.mark.parametrize("name", ["lee_fasttext_new.bin", "toy-model.bin", "crime-and-punishment.bin"])
def test_reads_as_facebook_fasttext(name):
    kv = read_fasttext_bin(DATA / name, open_buffer(DATA / name))
    words, vecs, oov = _facebook(DATA / name)
    assert list(kv.words) == words
    np.testing.assert_array_equal(kv.output_rows, fasttext.load_model(str(DATA / name)).get_output_matrix())
    np.testing.assert_allclose(kv.vectors, vecs, atol=1e-6, rtol=0)  # </s> included: no n-grams, as here
    np.testing.assert_allclose(np.stack([kv.vector(w) for w in OOV]), oov, atol=1e-6, rtol=0)


@pytest.mark.parametrize("name", ["lee_fasttext.bin", "non_ascii_fasttext.bin"])
def test_written_model_loads_in_facebook_fasttext(tmp_path, name):
    kv = read_fasttext_bin(DATA / name, open_buffer(DATA / name))  # old-format files fastText no longer reads
    buf = io.BytesIO()
    write_fasttext_bin(kv, buf)
    out = tmp_path / "m.bin"
    out.write_bytes(buf.getvalue())
    words, vecs, oov = _facebook(out)
    assert words == list(kv.words)
    np.testing.assert_allclose(vecs, kv.vectors, atol=1e-6, rtol=0)
    np.testing.assert_array_equal(fasttext.load_model(str(out)).get_output_matrix(), kv.output_rows)  # kept
    np.testing.assert_allclose(oov, np.stack([kv.vector(w) for w in OOV]), atol=1e-6, rtol=0)
