"""Tokenizing, counting and encoding a corpus."""

import gzip

import numpy as np
import pytest

from wvtool.corpus import read_corpus, tokenize
from wvtool.errors import ConfigError, CorpusError, FileError


def _decode(c):
    return [[c.words[i] for i in c.tokens[s:e]] for s, e in zip(c.bounds[:-1], c.bounds[1:], strict=True)]


def test_default_tokenizer_lowercases_and_drops_punctuation():
    assert tokenize("The Café's 2 dogs, naïve-ly; snake_case!") == ["the", "café", "s", "2", "dogs", "naïve", "ly", "snake", "case"]
    assert tokenize("Don't STOP", tokens="whitespace", lowercase=False) == ["Don't", "STOP"]
    with pytest.raises(ConfigError):
        tokenize("x", tokens="nltk")


@pytest.mark.parametrize("block_size", [3, 5, 7, 64, 1 << 20])
def test_encoding_keeps_lines_as_sentences_at_any_block_size(tmp_path, block_size):
    text = "The cat sat.\n\nthe dog, the CAT!\nzebra\nthe cat on a mat\nthe"
    p = tmp_path / "c.txt"
    p.write_text(text, encoding="utf-8")
    c = read_corpus([p], min_count=2, block_size=block_size)
    assert c.words == ("the", "cat")
    assert c.counts.tolist() == [5, 3]
    assert _decode(c) == [["the", "cat"], ["the", "the", "cat"], ["the", "cat"], ["the"]]
    assert c.raw_tokens == len(tokenize(text))
    assert c.distinct == len(set(tokenize(text)))
    assert c.tokens.dtype == np.int32 and c.bounds.dtype == np.int64


def test_vocabulary_order_min_count_and_max_vocab(tmp_path):
    # b and c tie: first appearance wins; a is most frequent
    p = tmp_path / "c.txt"
    p.write_text("b c a a a\nc b a d\n")
    c = read_corpus([p], min_count=1)
    assert c.words == ("a", "b", "c", "d") and c.counts.tolist() == [4, 2, 2, 1]
    c = read_corpus([p], min_count=1, max_vocab=2)
    assert c.words == ("a", "b")
    assert _decode(c) == [["b", "a", "a", "a"], ["b", "a"]]


def test_gzip_several_files_and_a_long_single_line(tmp_path):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in rng.integers(0, 50, size=20000)]
    g = tmp_path / "a.txt"  # gzip without the .gz extension
    with gzip.open(g, "wt") as f:
        f.write(" ".join(words))
    p = tmp_path / "b.txt"
    p.write_text("w1 w2\n")
    c = read_corpus([g, p], min_count=1, block_size=1000)
    sents = _decode(c)
    assert len(sents) == 2 and sents[0] == words and sents[1] == ["w1", "w2"]


def test_whitespace_tokens_without_lowercasing(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("New_York is BIG , New_York\n")
    c = read_corpus([p], min_count=1, tokens="whitespace", lowercase=False)
    assert c.words[0] == "New_York" and "," in c.words and "BIG" in c.words


def test_bad_corpora(tmp_path):
    with pytest.raises(FileError, match="no such file"):
        read_corpus([tmp_path / "missing.txt"])
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n ... !!\n")
    with pytest.raises(CorpusError, match="no words"):
        read_corpus([empty])
    rare = tmp_path / "rare.txt"
    rare.write_text("a b c a\n")
    with pytest.raises(CorpusError, match=r"3 distinct words.*occurs 2 times.*min_count to 2"):
        read_corpus([rare], min_count=5)
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"hello world " + bytes(range(256)))
    with pytest.raises(CorpusError, match=r"b.bin: byte 12 .*binary"):
        read_corpus([binary])
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("abc caf\xe9 x".encode("latin-1"))
    with pytest.raises(CorpusError, match=r"byte 7 is not valid UTF-8"):
        read_corpus([latin])
