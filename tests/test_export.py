"""export-matrix: row i is vocabulary line i; coverage counts; missing rows random or zeros."""

from __future__ import annotations

import numpy as np
import pytest

from wvtool import Vectors
from wvtool import formats as io
from wvtool.errors import ConfigError, FileError, FormatError, WvtoolWarning
from wvtool.export import ExportOptions, Fill, export_matrix, read_vocab


@pytest.fixture
def table():
    rng = np.random.default_rng(5)
    words = ["the", "King", "queen", "café", "Paris", "paris"] + [f"w{i}" for i in range(300)]
    vecs = (rng.normal(size=(len(words), 6)) * np.arange(1, 7) + np.arange(6) * 10).astype(np.float32)
    return Vectors(words, vecs, source=None)


def _vocab(tmp_path, lines, name="vocab.txt"):
    p = tmp_path / name
    p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return p


def test_rows_follow_vocab_lines_and_coverage(tmp_path, table):
    vocab = _vocab(tmp_path, ["[PAD]", "the", "king", "QUEEN", "café", "PARIS", "nothere"])
    out = tmp_path / "m.npy"
    res = export_matrix(table, vocab, out)
    m = np.load(out)
    assert m.shape == (7, 6) and m.dtype == np.float32
    v = table.vectors
    assert np.array_equal(m[1], v[table.get_index("the")])
    assert np.array_equal(m[2], v[table.get_index("King")])  # 'king' -> table's 'King' (case-insensitive)
    assert np.array_equal(m[3], v[table.get_index("queen")])  # 'QUEEN' lowercased
    assert np.array_equal(m[4], v[table.get_index("café")])
    assert np.array_equal(m[5], v[table.get_index("paris")])  # the lowercased token wins over 'Paris'
    assert not m[0].any()  # [PAD] is special: zeros
    assert (res["exact"], res["lowercase"], res["special"], res["missing"]) == (2, 3, 1, 1)
    assert sum(res[f"{k.key}_pct"] for k in Fill) == pytest.approx(100)
    assert res["missing_examples"] == ["nothere"] and res["special_examples"] == ["[PAD]"]
    assert res["rows"] == 7 and res["dim"] == 6 and res["vocab_format"] == "plain"


def test_no_lowercase_fallback(tmp_path, table):
    vocab = _vocab(tmp_path, ["the", "king", "QUEEN"])
    res = export_matrix(table, vocab, tmp_path / "m.npy", lowercase_fallback=False, missing="zeros")
    assert (res["exact"], res["lowercase"], res["missing"]) == (1, 0, 2)
    m = np.load(tmp_path / "m.npy")
    assert not m[1:].any()


def test_random_rows_match_the_tables_spread_and_are_reproducible(tmp_path, table):
    vocab = _vocab(tmp_path, [f"missing{i}" for i in range(4000)] + ["the"])
    export_matrix(table, vocab, tmp_path / "a.npy", seed=1)
    export_matrix(table, vocab, tmp_path / "b.npy", seed=1)
    export_matrix(table, vocab, tmp_path / "c.npy", seed=2)
    a, b, c = (np.load(tmp_path / f"{x}.npy") for x in "abc")
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    v = table.vectors.astype(np.float64)
    rand = a[:-1].astype(np.float64)
    # per-dimension mean and std of the table (dims differ a lot by construction)
    assert np.allclose(rand.mean(axis=0), v.mean(axis=0), atol=4 * v.std(axis=0) / np.sqrt(4000))
    assert np.allclose(rand.std(axis=0), v.std(axis=0), rtol=0.08)
    assert np.array_equal(a[-1], table["the"])


def test_zeros(tmp_path, table):
    vocab = _vocab(tmp_path, ["nothere", "the"])
    export_matrix(table, vocab, tmp_path / "m.npy", missing="zeros")
    m = np.load(tmp_path / "m.npy")
    assert not m[0].any() and np.array_equal(m[1], table["the"])


def test_empty_lines_and_duplicates(tmp_path, table):
    vocab = _vocab(tmp_path, ["", "the", "zzz", "the", "zzz", ""])
    with pytest.warns(WvtoolWarning, match="2 duplicate token lines"):
        res = export_matrix(table, vocab, tmp_path / "m.npy")
    m = np.load(tmp_path / "m.npy")
    assert m.shape[0] == 6
    assert np.array_equal(m[1], m[3]) and np.array_equal(m[2], m[4])  # a repeated missing token shares its row
    assert not m[0].any() and not m[5].any()  # empty lines are padding: zeros
    assert m[2].any()
    assert res["empty_lines"] == 2 and res["duplicates"] == 2
    assert (res["exact"], res["special"], res["missing"]) == (2, 2, 2)
    # with the zero tokens given, those tokens are zero rows, and empty lines still are (as --help says)
    with pytest.warns(WvtoolWarning, match="duplicate"):
        res = export_matrix(table, vocab, tmp_path / "m.npy", zeros=["zzz"])
    m = np.load(tmp_path / "m.npy")
    assert not m[0].any() and not m[5].any() and not m[2].any() and not m[4].any() and m[1].any()
    assert (res["exact"], res["special"], res["missing"]) == (2, 4, 0)


def test_npz_output_and_crlf_vocab(tmp_path, table):
    vocab = tmp_path / "v.txt"
    vocab.write_bytes(b"\xef\xbb\xbfthe\r\nqueen\r\n")
    assert read_vocab(vocab) == ["the", "queen"]
    export_matrix(table, vocab, tmp_path / "m.npz")
    assert not (tmp_path / "m.npz.npz").exists()
    with np.load(tmp_path / "m.npz") as z:
        assert np.array_equal(z["embeddings"][1], table["queen"])


def test_loads_a_path(tmp_path, table):
    io.save(table, tmp_path / "t.wv")
    vocab = _vocab(tmp_path, ["café"])
    export_matrix(tmp_path / "t.wv", vocab, tmp_path / "m.npy")
    assert np.array_equal(np.load(tmp_path / "m.npy")[0], table["café"])


def test_bad_inputs(tmp_path, table):
    vocab = _vocab(tmp_path, ["the"])
    with pytest.raises(ConfigError, match="missing='uniform' is not one of random, zeros"):
        export_matrix(table, vocab, tmp_path / "m.npy", missing="uniform")
    with pytest.raises(ConfigError, match="seed=-1 is out of range"):
        export_matrix(table, vocab, tmp_path / "m.npy", seed=-1)
    with pytest.raises(ConfigError, match="lowercase_fallback='no' must be True or False"):
        export_matrix(table, vocab, tmp_path / "m.npy", lowercase_fallback="no")
    with pytest.raises(ConfigError, match="unknown setting"):
        export_matrix(table, vocab, tmp_path / "m.npy", fill="zeros")
    with pytest.raises(ConfigError, match=r"output='.*m.txt': the output must end in \.npy or \.npz"):
        export_matrix(table, vocab, tmp_path / "m.txt")
    with pytest.raises(FileError, match="no such file"):
        export_matrix(table, tmp_path / "nope.txt", tmp_path / "m.npy")
    with pytest.raises(FileError, match="does not exist"):
        export_matrix(table, vocab, tmp_path / "nodir" / "m.npy")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(FormatError, match="empty"):
        export_matrix(table, empty, tmp_path / "m.npy")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\n")
    with pytest.raises(FormatError, match=r"bad.txt, line 2: not valid UTF-8"):
        export_matrix(table, bad, tmp_path / "m.npy")
    assert not (tmp_path / "m.npy").exists()


def test_options_object_and_keywords_agree(tmp_path, table):
    vocab = _vocab(tmp_path, ["the", "KING", "nothere"])
    a = export_matrix(table, vocab, tmp_path / "a.npy", options=ExportOptions(missing="zeros", lowercase_fallback=False))
    b = export_matrix(table, vocab, tmp_path / "b.npy", missing="zeros", lowercase_fallback=False)
    c = export_matrix(table, vocab, tmp_path / "c.npy", options=ExportOptions(missing="zeros"), lowercase_fallback=False)
    assert np.array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))
    assert np.array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "c.npy"))
    assert (a["exact"], a["lowercase"], a["missing"]) == (b["exact"], b["lowercase"], b["missing"]) == (c["exact"], c["lowercase"], c["missing"]) == (1, 0, 2)
    assert [int(f) for f in Fill] == [0, 1, 2, 3, 4, 5, 6] and Fill.PIECE.key == "piece"


def test_a_path_is_loaded_only_after_every_check(tmp_path, table, monkeypatch):
    io.save(table, tmp_path / "t.wv")
    import wvtool.formats

    def no_load(*args, **kwargs):
        raise AssertionError("loaded before the arguments were checked")

    monkeypatch.setattr(wvtool.formats, "load", no_load)
    vocab = _vocab(tmp_path, ["the"])
    with pytest.raises(ConfigError, match="missing="):
        export_matrix(tmp_path / "t.wv", vocab, tmp_path / "m.npy", missing="nan")
    with pytest.raises(ConfigError, match=r"\.npy or \.npz"):
        export_matrix(tmp_path / "t.wv", vocab, tmp_path / "m.csv")
    with pytest.raises(FileError, match="no such file"):
        export_matrix(tmp_path / "t.wv", tmp_path / "none.txt", tmp_path / "m.npy")
    odd = _vocab(tmp_path, ["the"], name="vocab.npy")
    with pytest.raises(FileError, match="same as the input"):
        export_matrix(tmp_path / "t.wv", odd, odd)
    assert odd.read_text() == "the\n"


def test_a_path_is_read_with_the_load_options(tmp_path, table):
    from wvtool.formats import LoadOptions

    io.save(table, tmp_path / "t.txt")
    vocab = _vocab(tmp_path, ["the", "queen", "w0"])
    res = export_matrix(tmp_path / "t.txt", vocab, tmp_path / "m.npy", load_options=LoadOptions(limit=3), missing="zeros")
    assert (res["exact"], res["missing"]) == (2, 1)  # 'w0' is past the first 3 rows


def test_a_fasttext_model_composes_the_tokens_it_lacks(tmp_path):
    """Rows of tokens outside a fastText model's vocabulary are its composed vectors, as gensim gives them."""
    from pathlib import Path

    import gensim
    from gensim.models.fasttext import load_facebook_vectors

    path = Path(gensim.__file__).parent / "test" / "test_data" / "lee_fasttext.bin"
    ft = load_facebook_vectors(str(path))
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("the\ngovernmentt\n##ment\n[PAD]\n")
    r = export_matrix(path, vocab, tmp_path / "m.npy")
    m = np.load(tmp_path / "m.npy")
    assert (r["exact"], r["composed"], r["special"], r["missing"]) == (1, 2, 1, 0)
    np.testing.assert_allclose(m[1], ft["governmentt"], atol=1e-5)
    np.testing.assert_allclose(m[2], ft["ment"], atol=1e-5)
    assert not m[3].any()


@pytest.mark.parametrize("fmt", ["auto", "plain", "wordpiece"])
def test_a_list_of_tokens_is_read_as_the_lines_of_a_file(tmp_path, table, fmt):
    tokens = ["[PAD]", "the", "king", "##queen", "nothere", "the"]
    with pytest.warns(WvtoolWarning, match=r"^<list of 6 tokens>: 1 duplicate token line"):
        from_list = export_matrix(table, tokens, tmp_path / "a.npy", vocab_format=fmt)
    with pytest.warns(WvtoolWarning):
        from_file = export_matrix(table, _vocab(tmp_path, tokens), tmp_path / "b.npy", vocab_format=fmt)
    assert np.array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))
    assert from_list["vocab"] == "<list of 6 tokens>"
    assert {k: v for k, v in from_list.items() if k not in ("vocab", "output")} == {
        k: v for k, v in from_file.items() if k not in ("vocab", "output")}
    assert np.array_equal(np.load(tmp_path / "a.npy")[1], table.vectors[table.get_index("the")])
    assert from_list["vocab_format"] == ("wordpiece" if fmt in ("auto", "wordpiece") else "plain")


@pytest.mark.parametrize(("vocab", "output", "kwargs", "message"), [
    (["[PAD]", 3], "m.npy", {}, r"^vocab_path: a list of tokens must hold only str; item 1 is int$"),
    ([], "m.npy", {}, r"^vocab_path is an empty list"),
    (None, "m.npy", {}, r"^vocab_path must be the path of a vocabulary file or a list of tokens, not NoneType$"),
    (["the"], None, {}, r"^output must be a file name ending in .npy or .npz, not NoneType$"),
    (["the"], "m.npy", {"vocab_format": "json"}, r"^vocab_format='json' needs a tokenizer.json"),
    (["the"], "m.npy", {"progress": 3}, r"^progress must be a callable"),
])
def test_bad_vocabulary_output_and_progress_arguments(tmp_path, table, vocab, output, kwargs, message):
    with pytest.raises(ConfigError, match=message):
        export_matrix(table, vocab, None if output is None else tmp_path / output, **kwargs)
    with pytest.raises(ConfigError, match=r"^vectors must be a vector table or the path of a vector file, not NoneType"):
        export_matrix(None, ["the"], tmp_path / "m.npy")
    assert list(tmp_path.iterdir()) == []


def test_the_fill_report_has_the_same_keys_however_rows_were_filled(tmp_path, table):
    vocab = _vocab(tmp_path, ["the", "zzz"])
    fills = [export_matrix(table, vocab, tmp_path / "m.npy", missing=missing)["fill"] for missing in ("zeros", "random")]
    only_found = _vocab(tmp_path, ["the"])
    fills.append(export_matrix(table, only_found, tmp_path / "m.npy")["fill"])  # random, but nothing to draw
    assert [list(f) for f in fills] == [["missing", "seed", "mean", "std"]] * 3
    assert (fills[0]["seed"], fills[0]["mean"], fills[2]["mean"]) == (None, None, None)
    assert fills[1]["seed"] == 0 and isinstance(fills[1]["mean"], float) and fills[2]["seed"] == 0
