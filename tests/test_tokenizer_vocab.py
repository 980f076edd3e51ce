"""export-matrix on real tokenizer vocabularies: WordPiece, SentencePiece, Hugging Face tokenizer.json / vocab.json."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wvtool import ConfigError, FormatError, Vectors, WvtoolWarning
from wvtool.export import Fill, export_matrix
from wvtool.tokenizer_vocab import read_tokenizer_vocab


@pytest.fixture
def table():
    words = ["the", "King", "run", "ing", "s", "café", "naïve", "night", "light"]
    rng = np.random.default_rng(8)
    return Vectors(words, rng.normal(size=(len(words), 5)).astype(np.float32))


def _lines(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return p


def _json(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def _export(table, vocab, tmp_path, **settings):
    res = export_matrix(table, vocab, tmp_path / "m.npy", **settings)
    return res, np.load(tmp_path / "m.npy")


def _check_rows(table, m, expected):
    """``expected``: per row a table word (that row) or None (a zero row) or '?' (a random, non-zero row)."""
    assert m.shape == (len(expected), table.dim)
    for i, want in enumerate(expected):
        if want is None:
            assert not m[i].any(), i
        elif want == "?":
            assert m[i].any() and not any(np.array_equal(m[i], v) for v in table.vectors), i
        else:
            assert np.array_equal(m[i], table[want]), (i, want)


def test_wordpiece_vocab_txt(tmp_path, table):
    vocab = _lines(tmp_path, "vocab.txt", ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "king",
                                           "run", "##ing", "##s", "##ING", "##zz", "qq"])
    res, m = _export(table, vocab, tmp_path)
    assert res["vocab_format"] == "wordpiece"
    _check_rows(table, m, [None] * 6 + ["the", "King", "run", "ing", "s", "ing", "?", "?"])
    assert (res["special"], res["exact"], res["lowercase"], res["piece"], res["missing"]) == (6, 2, 1, 3, 2)
    assert res["special_examples"][:2] == ["[PAD]", "[unused0]"] and res["missing_examples"] == ["##zz", "qq"]
    # pieces off: continuation pieces are missing; only [PAD] zero
    res, m = _export(table, vocab, tmp_path, pieces=False, zeros=["[PAD]"], missing="zeros")
    assert (res["special"], res["piece"], res["missing"]) == (1, 0, 10)


@pytest.mark.parametrize("scored", [True, False])
def test_sentencepiece_vocab(tmp_path, table, scored):
    pieces = ["<unk>", "<s>", "</s>", "\u2581the", "\u2581King", "s", "ing", "\u2581", "\u2581naïve", "<0x0A>"]
    lines = [f"{p}\t{-i / 2:g}" for i, p in enumerate(pieces)] if scored else pieces
    res, m = _export(table, _lines(tmp_path, "sp.vocab", lines), tmp_path, missing="zeros")
    assert res["vocab_format"] == "sentencepiece"
    _check_rows(table, m, [None, None, None, "the", "King", "s", "ing", None, "naïve", None])
    assert (res["special"], res["piece"], res["exact"], res["missing"]) == (3, 3, 2, 2)
    assert res["missing_examples"] == ["\u2581", "<0x0A>"]  # byte pieces are not special


def test_tokenizer_json_wordpiece_with_declared_specials(tmp_path, table):
    doc = {
        "added_tokens": [{"id": 0, "content": "[PAD]", "special": True}, {"id": 5, "content": "the", "special": True},
                         {"id": 6, "content": "<extra>", "special": False}],
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "decoder": {"type": "WordPiece", "prefix": "##"},
        "model": {"type": "WordPiece", "continuing_subword_prefix": "##", "unk_token": "[UNK]",
                  "vocab": {"[PAD]": 0, "[UNK]": 1, "run": 2, "##ing": 3, "night": 4}},
    }
    res, m = _export(table, _json(tmp_path, "tokenizer.json", doc), tmp_path, missing="zeros")
    assert res["vocab_format"] == "wordpiece" and res["rows"] == 7
    _check_rows(table, m, [None, None, "run", "ing", "night", None, None])
    assert (res["special"], res["exact"], res["piece"]) == (4, 2, 1)  # 'the' declared special; '<extra>' looks special


def test_a_token_declared_not_special_gets_the_tables_vector_when_it_has_one(tmp_path):
    words = ["the", "<br>", "[math]", "<tool_call>"]
    table = Vectors(words, np.arange(1, 13, dtype=np.float32).reshape(4, 3))
    added = [{"id": 1, "content": "<br>", "special": False}, {"id": 2, "content": "[math]", "special": True},
             {"id": 3, "content": "<tool_call>", "special": False}, {"id": 4, "content": "<end>", "special": False}]
    doc = {"added_tokens": added, "model": {"type": "WordLevel", "vocab": {"the": 0, "<br>": 1, "[math]": 2, "<x>": 5}}}
    vocab = read_tokenizer_vocab(_json(tmp_path, "tokenizer.json", doc))
    assert vocab.special == frozenset({2}) and vocab.not_special == frozenset({1, 3, 4})
    res, m = _export(table, tmp_path / "tokenizer.json", tmp_path, missing="zeros")
    # '<br>' and '<tool_call>': declared plain, in the table; '[math]' declared special; '<end>' declared plain but not
    # in the table and '<x>' (declared nothing) look special
    _check_rows(table, m, ["the", "<br>", None, "<tool_call>", None, None])
    assert (res["exact"], res["special"], res["missing"]) == (3, 3, 0)
    # tokens given as zeros= are exactly the zero rows, declarations or not
    res, m = _export(table, tmp_path / "tokenizer.json", tmp_path, missing="zeros", zeros=["<br>"])
    assert (res["exact"], res["special"], res["missing"]) == (3, 1, 2) and not m[1].any()


def test_tokenizer_json_byte_level_bpe_with_a_gap(tmp_path, table):
    doc = {
        "added_tokens": [{"id": 9, "content": "<mask>", "special": True}],
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "ByteLevel", "add_prefix_space": False}]},
        "model": {"type": "BPE", "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "vocab": {"<s>": 0, "<pad>": 1, "</s>": 2, "\u0120the": 3, "the": 4, "\u0120caf\u00c3\u00a9": 5,
                            "na\u00c3\u00afve": 6, "\u0120run": 7},
                  "merges": []},
    }
    res, m = _export(table, _json(tmp_path, "tokenizer.json", doc), tmp_path, missing="zeros")
    assert res["vocab_format"] == "bpe" and res["rows"] == 10
    _check_rows(table, m, [None, None, None, "the", "the", "café", "naïve", "run", None, None])
    assert (res["special"], res["unused"], res["exact"], res["piece"]) == (4, 1, 1, 4)


def test_tokenizer_json_unigram_and_clip_style_suffix(tmp_path, table):
    unigram = {"pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581"},
               "model": {"type": "Unigram", "vocab": [["<pad>", 0.0], ["</s>", 0.0], ["\u2581night", -3.2], ["ing", -4.0]]}}
    res, m = _export(table, _json(tmp_path, "u.json", unigram), tmp_path, missing="zeros")
    assert res["vocab_format"] == "unigram"
    _check_rows(table, m, [None, None, "night", "ing"])
    clip = {"model": {"type": "BPE", "end_of_word_suffix": "</w>", "vocab": {"light</w>": 0, "run": 1, "zz</w>": 2}}}
    res, m = _export(table, _json(tmp_path, "c.json", clip), tmp_path, missing="zeros")
    _check_rows(table, m, ["light", "run", None])
    assert (res["piece"], res["exact"], res["missing"]) == (1, 1, 1)


def test_vocab_json_gpt2_style(tmp_path, table):
    vocab = {"<|endoftext|>": 2, "\u0120the": 0, "\u0120King": 1, "ing": 3, "\u0120light": 4}
    res, m = _export(table, _json(tmp_path, "vocab.json", vocab), tmp_path, missing="zeros")
    assert res["vocab_format"] == "bpe"
    _check_rows(table, m, ["the", "King", None, "ing", "light"])
    v = read_tokenizer_vocab(_json(tmp_path, "w.json", {"a": 1, "b": 0}))
    assert (v.kind, v.tokens, v.byte_level) == ("wordlevel", ["b", "a"], False)


@pytest.mark.parametrize(
    "content, match",
    [
        ('{"model": {"type": "BPE"}}', "model.vocab: missing"),
        ('{"a": 0, "b": 0}', "id 0: given to both 'a' and 'b'"),
        ('{"a": -1}', "id -1 is not a whole number"),
        ('{"a": 0, "b": 1000000000}', "ids up to 1,000,000,000"),
        ('{"a": 0,', "not a JSON vocabulary"),
        ('{"a": "x"}', "neither a tokenizer.json"),
        ('["the", "of"]', "neither a tokenizer.json"),  # named .json: read as JSON, not as one plain token
        ("42", "neither a tokenizer.json"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
        ('{"model": {"type": "WordLevel", "vocab": {"a": 0}}, "added_tokens": [{"content": "[X]", "id": "x"}]}',
         "token '\\[X\\]': id 'x' is not a whole number"),
        ('{"model": {"type": "WordLevel", "vocab": {"a": 0}}, "added_tokens": [7]}', "added_tokens\\[0\\]: not a token"),
    ],
)
def test_bad_json_vocabularies_are_one_line_errors(tmp_path, table, content, match):
    p = tmp_path / "v.json"
    p.write_text(content)
    with pytest.raises(FormatError, match=match) as e:
        export_matrix(table, p, tmp_path / "m.npy")
    assert "\n" not in str(e.value) and not (tmp_path / "m.npy").exists()


def test_vocab_settings_are_checked(tmp_path, table):
    vocab = _lines(tmp_path, "v.txt", ["the"])
    with pytest.raises(ConfigError, match="vocab_format='bert' is not one of auto, plain"):
        export_matrix(table, vocab, tmp_path / "m.npy", vocab_format="bert")
    with pytest.raises(ConfigError, match="zeros=\\[1\\] must be a list of tokens"):
        export_matrix(table, vocab, tmp_path / "m.npy", zeros=[1])
    with pytest.raises(ConfigError, match="pieces=1 must be True or False"):
        export_matrix(table, vocab, tmp_path / "m.npy", pieces=1)
    # a forced format wins over detection: '##ing' read plainly is just a missing token
    res, _ = _export(table, _lines(tmp_path, "w.txt", ["##ing", "the"]), tmp_path, vocab_format="plain")
    assert (res["vocab_format"], res["missing"], res["exact"]) == ("plain", 1, 1)
    assert int(Fill.SPECIAL) == 4


@pytest.mark.parametrize("given", ["auto", "sentencepiece"])
def test_a_bad_line_in_a_scored_sentencepiece_vocab_is_an_error_naming_it(tmp_path, table, given):
    """One line without its score used to leave every score on: all rows missing, exit 0."""
    p = _lines(tmp_path, "sp.vocab", ["the\t-1.0", "\u2581King\t-2", "broken line without score", "s\t-3"])
    with pytest.raises(FormatError) as e:
        export_matrix(table, p, tmp_path / "m.npy", vocab_format=given)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"{p}, line 3: 'broken line without score' is not 'piece<TAB>score'")
    assert "vocab_format='plain'" in msg and not (tmp_path / "m.npy").exists()
    # the same file with the line fixed, and an empty line (a zero row), reads every piece
    p = _lines(tmp_path, "sp.vocab", ["the\t-1.0", "\u2581King\t-2", "", "s\t-3"])
    res, m = _export(table, p, tmp_path, vocab_format=given, missing="zeros")
    assert res["vocab_format"] == "sentencepiece"
    _check_rows(table, m, ["the", "King", None, "s"])
    assert (res["exact"], res["piece"], res["special"], res["missing"]) == (2, 1, 1, 0)


def test_a_mostly_plain_vocab_with_a_tab_line_is_not_taken_for_sentencepiece(tmp_path, table):
    p = _lines(tmp_path, "v.txt", ["the", "King", "run", "x\t1"])
    assert read_tokenizer_vocab(p).kind == "plain"


def test_export_matrix_help_says_what_an_empty_line_gets(run_cli, tmp_path, table):
    code, out, _ = run_cli("export-matrix", "--help")
    text = " ".join(out.split())
    assert code == 0 and "count as missing" not in text
    assert "An empty line keeps its row, a zero row counted as a special token" in text
    from wvtool import formats

    vectors = tmp_path / "t.wv"
    formats.save(table, vectors)
    vocab = _lines(tmp_path, "v.txt", ["the", "", "zzz"])
    code, out, err = run_cli("export-matrix", vectors, "--vocab", vocab, "-o", tmp_path / "m.npy", "--json")
    assert code == 0, err
    r = json.loads(out)
    assert (r["exact"], r["special"], r["missing"]) == (1, 1, 1) and not np.load(tmp_path / "m.npy")[1].any()


def test_empty_lines_stay_zero_with_zeros_given_and_absent_zeros_are_warned_about(tmp_path, table):
    vocab = _lines(tmp_path, "v.txt", ["[PAD]", "", "the", "", "zzqq"])
    with pytest.warns(WvtoolWarning, match=r"v.txt: 1 of the tokens given as zeros is not in the vocabulary: 'nothere'$"):
        res, m = _export(table, vocab, tmp_path, zeros=["[PAD]", "nothere"])
    _check_rows(table, m, [None, None, "the", None, "?"])  # empty lines keep zero rows, as without zeros=
    assert (res["special"], res["exact"], res["missing"]) == (3, 1, 1)


def test_a_vocabulary_with_no_tokens_or_too_large_is_one_line(tmp_path, table, monkeypatch):
    for name, doc in (("wl.json", {"model": {"vocab": {}}}), ("uni.json", {"model": {"type": "Unigram", "vocab": []}})):
        with pytest.raises(FormatError, match=rf"{name}, model.vocab: the vocabulary holds no tokens"):
            read_tokenizer_vocab(_json(tmp_path, name, doc))  # a ValueError traceback from max() before
    import wvtool.tokenizer_vocab as tv

    monkeypatch.setattr(tv, "MAX_VOCAB_BYTES", 1 << 20)
    big = _lines(tmp_path, "big.txt", ["a" * 1000] * 1100)
    with pytest.raises(FormatError, match=r"big.txt: over 1 MiB, more than a tokenizer vocabulary holds"):
        read_tokenizer_vocab(big)
