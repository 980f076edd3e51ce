"""Using subword (fastText) tables from the command line: the output format a subword table is written in,
--keep-subwords."""

import json
from pathlib import Path

import gensim
import numpy as np
import pytest

import wvtool
from wvtool import ConfigError, Vectors
from wvtool.formats import detect_format

DATA = Path(gensim.__file__).parent / "test" / "test_data"
LEE = DATA / "lee_fasttext.bin"
OOV = ["someoovword", "governmentz", "tennises"]


@pytest.fixture(scope="module")
def lee():
    return wvtool.load(LEE)


def _leftovers(directory: Path, keep=()) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


# ---------------------------------------------------------------------------------------------
# 1. the output format follows the table: .bin is a fastText model for a subword table
# ---------------------------------------------------------------------------------------------


def test_convert_subword_table_to_bin_writes_a_fasttext_model(run_cli, tmp_path, lee):
    from gensim.models.fasttext import load_facebook_model

    out = tmp_path / "out.bin"
    code, stdout, err = run_cli("convert", LEE, out, "--json", "-q")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["output_format"] == "fasttext-bin" and doc["subwords_written"] is True
    assert detect_format(out) == "fasttext-bin"
    back = wvtool.load(out)
    assert back.equals(lee)
    for w in OOV:
        assert back.is_composed(w)
        np.testing.assert_array_equal(back.vector(w), lee.vector(w))
    model = load_facebook_model(str(out))
    assert list(model.wv.index_to_key) == list(lee.words)
    same = [i for i, w in enumerate(lee.words) if w != "</s>"]  # fastText composes </s> without n-grams
    np.testing.assert_allclose(model.wv.vectors[same], lee.vectors[same], atol=1e-6, rtol=0)
    for w in OOV:
        np.testing.assert_allclose(model.wv[w], lee.vector(w), atol=1e-6, rtol=0)


def test_convert_word_only_table_to_bin_stays_word2vec_binary(run_cli, tmp_path, lee):
    vec = wvtool.save(Vectors(lee.words, lee.vectors), tmp_path / "plain.vec")
    out = tmp_path / "plain.bin"
    code, stdout, err = run_cli("convert", vec, out, "--json", "-q")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["output_format"] == "word2vec-binary" and doc["subwords_written"] is None
    assert detect_format(out) == "word2vec-binary"
    np.testing.assert_array_equal(wvtool.load(out).vectors, lee.vectors)
    assert "note" not in err


def test_explicit_output_format_wins_over_the_table(run_cli, tmp_path, lee):
    out = tmp_path / "words.bin"
    code, _, err = run_cli("convert", LEE, out, "--to", "word2vec-binary")
    assert code == 0, err
    assert detect_format(out) == "word2vec-binary"
    np.testing.assert_array_equal(wvtool.load(out).vectors, lee.vectors)
    info = wvtool.formats.convert(LEE, tmp_path / "lib.bin")  # the library decides the same way
    assert info["output_format"] == "fasttext-bin" and detect_format(tmp_path / "lib.bin") == "fasttext-bin"


def test_output_format_choice():
    from wvtool.formats import output_format

    assert output_format("m.bin") == "word2vec-binary"
    assert output_format("m.bin.gz", subwords=True) == "fasttext-bin"
    assert output_format("m.bin", "word2vec-binary", subwords=True) == "word2vec-binary"
    assert output_format("m.wv", subwords=True, keep_subwords=True) == "native"
    assert output_format("m.vec", keep_subwords=True) == "fasttext"  # a word-only table has nothing to keep
    with pytest.raises(ConfigError, match=r"^fasttext format cannot hold the n-gram table .*keep_subwords=True.*"
                                          r"\.bin or \.wv, or pass to=native or to=fasttext-bin$"):
        output_format("m.vec", subwords=True, keep_subwords=True, param="to")


# ---------------------------------------------------------------------------------------------
# 2. word-only formats: the vocabulary's vectors and a note, or with --keep-subwords an error
# ---------------------------------------------------------------------------------------------

WORD_ONLY = [
    ("v.vec", [], "fasttext"),
    ("v.txt", [], "word2vec"),
    ("v.glove", [], "glove"),
    ("v.bin", ["--to", "word2vec-binary"], "word2vec-binary"),
    ("v.tsv", [], "projector"),
]


@pytest.mark.parametrize("name, extra, fmt", WORD_ONLY)
def test_word_only_format_writes_the_vocabulary_with_a_note(run_cli, tmp_path, lee, name, extra, fmt):
    code, stdout, err = run_cli("convert", LEE, tmp_path / name, *extra, "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["output_format"] == fmt and doc["subwords_written"] is False
    notes = [line for line in err.splitlines() if line.startswith("wvtool: note:")]
    assert len(notes) == 1 and "n-gram table" in notes[0] and fmt in notes[0]
    if fmt != "projector":
        back = wvtool.load(tmp_path / name, format=fmt)
        assert back.subwords is None and back.words == lee.words
        np.testing.assert_array_equal(back.vectors, lee.vectors)
    assert "note" not in run_cli("convert", LEE, tmp_path / ("q" + name), *extra, "-q")[2]


@pytest.mark.parametrize("name, extra, fmt", WORD_ONLY)
def test_keep_subwords_refuses_a_word_only_format(run_cli, tmp_path, name, extra, fmt):
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run_cli("convert", LEE, out / name, *extra, "--keep-subwords")
    assert code == 1 and stdout == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"wvtool: error: {fmt} format cannot hold the n-gram table of a subword model "
                          "(--keep-subwords); name the output .bin or .wv, or pass --to native or --to fasttext-bin")
    assert _leftovers(out) == []


def test_keep_subwords_accepts_subword_formats(run_cli, tmp_path, lee):
    for name in ("k.bin", "k.wv"):
        code, _, err = run_cli("convert", LEE, tmp_path / name, "--keep-subwords")
        assert code == 0, err
        assert wvtool.load(tmp_path / name).equals(lee)
    with pytest.raises(ConfigError, match="keep_subwords=True"):
        wvtool.save(lee, tmp_path / "lib.txt", keep_subwords=True)
    assert not (tmp_path / "lib.txt").exists()


def test_train_keep_subwords_refused_before_training(run_cli, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat\n" * 20)
    code, stdout, err = run_cli("train", corpus, "-o", tmp_path / "m.vec", "--subwords", "--keep-subwords",
                                "--bucket", "100", "--min-count", "1")
    assert code == 1 and stdout == "" and err.count("\n") == 1
    assert err.startswith("wvtool: error: fasttext format cannot hold the n-gram table of a subword model "
                          "(--keep-subwords); name the output .bin or .wv, or pass --format native")
    assert _leftovers(tmp_path, {"c.txt"}) == []
    code, stdout, err = run_cli("train", corpus, "-o", tmp_path / "m.txt", "--subwords", "--bucket", "100",
                                "--min-count", "1", "--epochs", "1", "--threads", "1", "--dim", "8", "--json")
    assert code == 0, err
    assert json.loads(stdout)["subwords_written"] is False and "wvtool: note:" in err and "n-gram table" in err

