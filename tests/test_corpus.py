"""Tokenizing, counting and encoding a corpus."""

import gzip
import io
import os
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from wvtool.corpus import MARKUP_LINES, corpus_source, read_corpus, tokenize
from wvtool.errors import ConfigError, CorpusError, FileError, WvtoolWarning


def _decode(c):
    return [[c.words[i] for i in c.tokens[s:e]] for s, e in zip(c.bounds[:-1], c.bounds[1:], strict=True)]


# (text, default tokens): the tricky inputs of raw text
TOKENIZER_TABLE = [
    ("The Café's 2 dogs, naïve-ly; snake_case!", ["the", "café", "2", "dogs", "naïve-ly", "snake", "case"]),
    # contractions stay whole; a possessive 's is dropped, never a token "s"
    ("Don't STOP: we'll, I'd, o'clock, rock'n'roll", ["don't", "stop", "we'll", "i'd", "o'clock", "rock'n'roll"]),
    ("The king's men, the kings' horses, JAMES’S hat", ["the", "king", "men", "the", "kings", "horses", "james", "hat"]),
    ("it's O'Sullivan's mother-in-law's", ["it", "o'sullivan", "mother-in-law"]),
    # hyphens join words; dashes and double hyphens separate them
    ("well-known anti-statism -- a—b x--y -ism covid-19", ["well-known", "anti-statism", "a", "b", "x", "y", "ism", "covid-19"]),
    # numbers
    ("1,000,000 people in 1999, 3.14 and 2015-05-01 or 3.5mm, .5 1.", ["1,000,000", "people", "in", "1999", "3.14", "and",
                                                                       "2015-05-01", "or", "3.5mm", "5", "1"]),
    # abbreviations
    ("e.g. the U.S. Army at 3 p.m. i.e.", ["e.g.", "the", "u.s.", "army", "at", "3", "p.m.", "i.e."]),
    # URLs: one token each, trailing punctuation left out
    ("see https://en.wikipedia.org/wiki?curid=12, www.example.com. or http://a.b/c?d=e&f=g)",
     ["see", "https://en.wikipedia.org/wiki?curid=12", "www.example.com", "or", "http://a.b/c?d=e&f=g"]),
    # non-Latin scripts: combining marks stay inside words; CJK ideographs are one token each
    ("हिन्दी भाषा ভাষা Ελληνικά русский язык", ["हिन्दी", "भाषा", "ভাষা", "ελληνικά", "русский", "язык"]),
    ("العَرَبِيَّة فارسی\u200cها 中文字 日本語です 한국어 문장", ["العَرَبِيَّة", "فارسی\u200cها", "中", "文", "字", "日", "本", "語", "です", "한국어", "문장"]),
    # a markup line holding one tag is left out; text around tags is kept
    ('<doc id="12" url="http://en.wikipedia.org/wiki?curid=12" title="Anarchism">\nAnarchism is old.\n</doc>\n'
     '  <p>  \nuse <b>bold</b> text', ["anarchism", "is", "old", "use", "b", "bold", "b", "text"]),
]


@pytest.mark.parametrize(("text", "expected"), TOKENIZER_TABLE)
def test_default_tokenizer_on_tricky_inputs(text, expected):
    assert tokenize(text) == expected


def test_tokenizer_modes_and_settings():
    assert tokenize("Don't STOP", tokens="whitespace", lowercase=False) == ["Don't", "STOP"]
    assert tokenize("King's CAFÉ", lowercase=False) == ["King", "CAFÉ"]
    assert tokenize("<doc id=1>\nthe cat\n</doc>", skip_lines="") == ["doc", "id", "1", "the", "cat", "doc"]
    assert tokenize("# comment\nthe cat\n  # another", skip_lines=r"\s*#") == ["the", "cat"]
    assert tokenize("don't 3.14 a_b", token_pattern=r"[a-z]+") == ["don", "t", "a", "b"]
    assert tokenize("k=v x=y", token_pattern=r"(\w)=\w") == ["k", "x"]  # one group: the group is the token
    with pytest.raises(ConfigError):
        tokenize("x", tokens="nltk")
    with pytest.raises(ConfigError, match=r"token_pattern='\(a\)\(b\)' has 2 groups"):
        tokenize("x", token_pattern="(a)(b)")
    with pytest.raises(ConfigError, match="matches the empty string"):
        tokenize("x", token_pattern="a*")
    with pytest.raises(ConfigError, match=r"skip_lines='\[' is not a regular expression"):
        tokenize("x", skip_lines="[")
    with pytest.raises(ConfigError, match="replaces the default tokenizer"):
        tokenize("x", tokens="whitespace", token_pattern="a")


def test_train_config_checks_the_tokenizer_settings():
    from wvtool.trainer import TrainConfig

    assert TrainConfig().skip_lines == MARKUP_LINES and TrainConfig().token_pattern == ""
    for bad in ({"skip_lines": "("}, {"token_pattern": "(a)(b)"}, {"token_pattern": ""+"x?"}, {"skip_lines": 3},
                {"tokens": "whitespace", "token_pattern": "a"}):
        with pytest.raises(ConfigError):
            TrainConfig(**bad)


def test_skip_lines_holds_at_block_boundaries(tmp_path):
    lines = [f'<doc id="{i}" url="x">\nword{i} text here\n</doc>' for i in range(200)]
    p = tmp_path / "wiki.txt"
    p.write_text("\n".join(lines) + "\n")
    for block_size in (30, 50, 1 << 20):  # blocks are cut at line ends; skip_lines sees whole lines up to a block
        c = read_corpus([p], min_count=1, block_size=block_size)
        assert "doc" not in c.words and "id" not in c.words and c.n_sentences == 200
        assert _decode(c)[3] == ["word3", "text", "here"]


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


@pytest.mark.parametrize("block_size", [40, 400, 1 << 20])
def test_counts_and_order_match_a_counter_of_the_tokens(tmp_path, block_size):
    """Counted from the provisional ids block group by block group (a group: at least as many tokens as distinct
    words so far): every word's count and the order (most frequent first, ties by first appearance) as a Counter."""
    rng = np.random.default_rng(5)
    ranks = np.minimum(rng.zipf(1.3, 6000), 3000)
    lines = [" ".join(f"w{r}" for r in ranks[i : i + 7]) for i in range(0, ranks.size, 7)]
    text = "\n".join(lines) + "\n"
    p = tmp_path / "z.txt"
    p.write_text(text)
    c = read_corpus([p], min_count=1, block_size=block_size)
    toks = tokenize(text)
    first = {w: i for i, w in reversed(list(enumerate(toks)))}
    expected = sorted(Counter(toks).items(), key=lambda kv: (-kv[1], first[kv[0]]))
    assert list(zip(c.words, c.counts.tolist(), strict=True)) == expected
    assert [c.words[i] for i in c.tokens] == toks


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
    text = tmp_path / "text.txt"  # text that the reading settings leave nothing of: the message names them
    text.write_text("the cat sat\n")
    with pytest.raises(CorpusError, match=r"text.txt: no words are left with skip_lines='.\*'; check that it leaves "
                                          r"some of the text$"):
        read_corpus([text], min_count=1, skip_lines=".*")
    with pytest.raises(CorpusError, match=r"no words are left with token_pattern='\[0-9\]\+' and skip_lines='x'; "
                                          r"check that they leave"):
        read_corpus([text], min_count=1, token_pattern="[0-9]+", skip_lines="x")
    rare = tmp_path / "rare.txt"
    rare.write_text("a b c a\n")
    with pytest.raises(CorpusError, match=r"3 distinct words.*occurs 2 times.*min_count to 2"):
        read_corpus([rare], min_count=5)
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"hello world " + bytes(range(256)))
    with pytest.raises(CorpusError, match=r"b.bin, line 1 \(byte 13\): a NUL byte.*binary"):
        read_corpus([binary])
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("abc caf\xe9 x".encode("latin-1"))
    with pytest.raises(CorpusError, match=r"latin1.txt, line 1 \(byte 8\): not valid UTF-8"):
        read_corpus([latin])
    # input with no whitespace at all is refused once it is longer than any word, not held whole in memory
    from wvtool.corpus import MAX_WORD_BYTES

    run = tmp_path / "run.txt"
    run.write_bytes(b"ok fine\n" + b"a" * (MAX_WORD_BYTES + 10))
    with pytest.raises(CorpusError, match=r"run.txt, byte 9: over 1,048,576 bytes with no space or newline, longer than "
                                          r"any word: this looks like a binary file"):
        read_corpus([run], block_size=1 << 16)
    zeros = tmp_path / "zeros.img"
    zeros.write_bytes(bytes(MAX_WORD_BYTES + 10))
    with pytest.raises(CorpusError, match=r"zeros.img, byte 1: a NUL byte at byte 1 and over 1,048,576 bytes"):
        read_corpus([zeros], block_size=1 << 16)
    # a UTF-8 byte-order mark is not part of the first word; UTF-16 and UTF-32 text is named as such
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfthe cat the\n\xff")
    for tokens in ("default", "whitespace"):
        with pytest.raises(CorpusError, match=r"bom.txt, line 2 \(byte 16\): not valid UTF-8"):  # bytes of the file
            read_corpus([bom], min_count=1, tokens=tokens)
    bom.write_bytes(b"\xef\xbb\xbfthe cat the\n")
    assert [read_corpus([bom], min_count=1, tokens=t).words for t in ("default", "whitespace")] == [("the", "cat")] * 2
    for encoding, kind in (("utf-16", "UTF-16"), ("utf-32", "UTF-32")):
        wide = tmp_path / f"{encoding}.txt"
        wide.write_bytes("the cat\n".encode(encoding))
        with pytest.raises(CorpusError, match=rf"{encoding}.txt: the file starts with a {kind} byte-order mark; wvtool "
                                              rf"reads UTF-8 text: convert it first \(iconv -f {kind} -t UTF-8\)$"):
            read_corpus([wide])
    word = tmp_path / "word.txt"  # a long word under the bound is read as a word
    word.write_bytes(b"b" * (MAX_WORD_BYTES - 1) + b" c\n")
    assert read_corpus([word], min_count=1, block_size=1 << 16).words == ("b" * (MAX_WORD_BYTES - 1), "c")


SENTENCES_TEXT = "The cat sat on the mat.\n\nThe dog's bone, the CAT!\n<doc id=1>\nzebra\nthe cat on a mat\nthe"


@pytest.mark.parametrize("block_tokens", [1, 3, 1 << 18])
def test_sentences_in_memory_read_like_a_file(tmp_path, block_tokens):
    p = tmp_path / "c.txt"
    p.write_text(SENTENCES_TEXT, encoding="utf-8")
    want = read_corpus([p], min_count=1)
    lines = SENTENCES_TEXT.split("\n")
    for source in (iter(lines), (line for line in lines), io.StringIO(SENTENCES_TEXT)):  # strings: tokenized like lines
        got = read_corpus(source, min_count=1, block_tokens=block_tokens)
        assert got.words == want.words and _decode(got) == _decode(want) and got.raw_tokens == want.raw_tokens
    # token lists are used as given: equal to the file read with the whitespace tokenizer, case kept
    tok_lines = [line.split() for line in lines]
    want_ws = read_corpus([p], min_count=1, tokens="whitespace", lowercase=False, skip_lines="")
    for source in (tok_lines, tuple(tuple(t) for t in tok_lines), iter(tok_lines)):
        got = read_corpus(source, min_count=1, block_tokens=block_tokens)
        assert got.words == want_ws.words and got.counts.tolist() == want_ws.counts.tolist()
        assert _decode(got) == _decode(want_ws) and got.tokens.tolist() == want_ws.tokens.tolist()
    # mixed: order kept
    mixed = read_corpus([["a", "b"], "C D", ("e",)], min_count=1, block_tokens=block_tokens)
    assert _decode(mixed) == [["a", "b"], ["c", "d"], ["e"]]


def test_files_or_sentences(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("x y\n")
    assert corpus_source(str(p)) == ("paths", [str(p)])
    assert corpus_source(p) == ("paths", [p])
    assert corpus_source([str(p), p]) == ("paths", [str(p), p])
    assert corpus_source(p for _ in range(2))[0] == "paths"  # e.g. Path.glob
    # a bytes path names the file its decoded str names (Path() refuses bytes: a TypeError before)
    assert read_corpus(bytes(p), min_count=1).words == read_corpus([str(p).encode()], min_count=1).words == ("x", "y")
    assert corpus_source([["x", "y"]])[0] == "sentences"
    assert corpus_source(iter(["x y"]))[0] == "sentences"
    # a list of strings names files: one that is no file and holds spaces is most likely a sentence
    for sentence in ("the cat sat", "a long sentence " * 40):  # the second is too long for a file name
        with pytest.raises(CorpusError, match=r"no such file: the strings of a list or tuple name files.*iter\(lines\)"):
            read_corpus([sentence])
    with pytest.raises(FileError, match="nofile.txt: no such file; check the path"):
        read_corpus(["nofile.txt"])
    with pytest.raises(CorpusError, match="cannot be read"):
        read_corpus(42)
    with pytest.raises(CorpusError, match="sentence 2 is a int"):
        read_corpus([["a"], 5])
    for bad in ("", "a b", 7):
        with pytest.raises(CorpusError, match="is not a word"):
            read_corpus([["ok", bad]], min_count=1)
    with pytest.raises(CorpusError, match="no words"):
        read_corpus(iter([]))
    # a None first item is a bad sentence, the same message as in a list, not an empty corpus
    for sentences in ([None, ["a"]], iter([None, ["a"]])):
        with pytest.raises(CorpusError, match="sentence 1 is a NoneType"):
            read_corpus(sentences)
    # a generator read once has nothing left: the message says so
    used = (["a", "b"] for _ in range(3))
    assert read_corpus(used, min_count=1).n_tokens == 6
    with pytest.raises(CorpusError, match="<sentences>: the corpus has no words; .*a generator can be read only once"):
        read_corpus(used, min_count=1)
    with pytest.raises(CorpusError, match="no corpus file given"):
        read_corpus([])


def test_a_file_given_twice_is_read_twice_with_a_warning(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    f = d / "a.txt"
    f.write_text("x y\n")
    once = read_corpus([f], min_count=1)
    for given in ([f, f], [d, f], [f, tmp_path / "d" / ".." / "d" / "a.txt"]):
        with pytest.warns(WvtoolWarning, match=r"a.txt is among the corpus files more than once, so it is read as many "
                                               r"times; name each file once$"):
            twice = read_corpus(given, min_count=1)
        assert twice.n_tokens == 2 * once.n_tokens  # read as given: the warning says so, nothing is dropped
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_corpus([d], min_count=1)


def test_sentences_are_streamed_in_blocks():
    seen = []

    def sentences():
        for i in range(1000):
            seen.append(i)
            yield ["w", f"v{i % 7}"]

    calls = []
    c = read_corpus(sentences(), min_count=1, block_tokens=100, progress=lambda d, t, info: calls.append((d, len(seen))))
    assert c.n_tokens == 2000 and c.n_sentences == 1000
    # progress after every block of 100 tokens (50 sentences), while the generator is still running
    assert len(calls) >= 20 and calls[0] == (50, 50) and all(d == n for d, n in calls)


def test_plain_ascii_blocks_split_as_the_default_tokenizer(tmp_path):
    rng = np.random.default_rng(1)
    alphabet = list("abcXYZ019") + [" ", " ", "\t", "\x0b", "\r", "\n"]
    text = "".join(rng.choice(alphabet, size=5000))
    p = tmp_path / "plain.txt"
    p.write_text(text, newline="")
    c = read_corpus([p], min_count=1, block_size=256, skip_lines="")  # plain blocks take the str.split path
    assert [c.words[i] for i in c.tokens] == tokenize(text, skip_lines="")
    assert c.raw_tokens == len(text.lower().split())


@pytest.mark.parametrize("block_size", [4, 9, 1 << 20])
def test_a_skipped_line_longer_than_a_block_is_skipped_whole(tmp_path, block_size):
    p = tmp_path / "c.txt"
    p.write_text("# a long comment line with many words\nkeep these words\n#x y z\nand THESE\n")
    c = read_corpus([p], min_count=1, skip_lines="#", block_size=block_size)
    assert _decode(c) == [["keep", "these", "words"], ["and", "these"]]


def test_reading_progress_has_a_total_in_bytes_on_disk(tmp_path):
    """Progress while reading knows its total (for a gzip file: compressed bytes), so a bar can show % and ETA."""
    import gzip as gz

    text = "".join(f"word{i % 97} other{i % 13} and more text here\n" for i in range(200_000)).encode()
    plain, packed = tmp_path / "a.txt", tmp_path / "b.txt.gz"
    plain.write_bytes(text)
    packed.write_bytes(gz.compress(text))
    seen = []
    read_corpus([plain, packed], min_count=1, block_size=1 << 16, progress=lambda d, t, i: seen.append((d, t)))
    total = plain.stat().st_size + packed.stat().st_size
    assert all(t == total for _, t in seen) and seen[-1][0] == total
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(set(done)) > 10  # it moves steadily, also through the compressed file
    seen.clear()
    read_corpus(iter(["a b", "c d"]), min_count=1, progress=lambda d, t, i: seen.append(t))
    assert set(seen) <= {None}  # sentences in memory: no total


def _corpus_bytes(c):
    return [c.tokens.tobytes(), c.bounds.tobytes(), c.counts.tobytes(), list(c.words), c.raw_tokens, c.distinct]


@pytest.fixture
def workers_early(monkeypatch):
    """Worker processes take over after the first block, whatever the input's size."""
    from wvtool import corpus

    monkeypatch.setattr(corpus, "WORKERS_AFTER", 0)


@pytest.mark.parametrize("settings", [{}, {"tokens": "whitespace", "lowercase": False}, {"skip_lines": "#"},
                                      {"token_pattern": r"[a-z]+"}])
def test_worker_processes_read_the_same_corpus_bit_for_bit(tmp_path, workers_early, settings):
    rng = np.random.default_rng(3)
    vocab = ["The", "cat", "sat", "on", "mat", "Élan", "naïve", "中文", "don't", "e.g.", "x1"] + [f"w{i}" for i in range(300)]
    lines = []
    for i in range(900):
        if i % 97 == 5:
            lines.append("<doc id=1>" if i % 2 else "# a comment " + "skipped " * int(rng.integers(1, 40)))
        else:
            lines.append(" ".join(vocab[k] for k in rng.zipf(1.4, int(rng.integers(0, 60))) % len(vocab)))
    first = tmp_path / "a.txt.gz"
    with gzip.open(first, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines[:500]))  # no newline at the end: the last sentence still ends with the file
    second = tmp_path / "b.txt"
    second.write_text("\n".join(lines[500:]) + "\n" + "long " * 3000 + "\n", encoding="utf-8")  # a line of blocks
    for block_size in (50, 700, 1 << 20):
        alone = read_corpus([first, second], min_count=1, block_size=block_size, **settings)
        shared = read_corpus([first, second], min_count=1, block_size=block_size, workers=2, **settings)
        assert _corpus_bytes(shared) == _corpus_bytes(alone)
        assert shared.n_sentences == alone.n_sentences


def test_a_bad_byte_in_a_workers_block_is_reported_as_when_reading_alone(tmp_path, workers_early):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"good words here\n" * 500 + b"bad \xff byte\n" + b"more words\n" * 100)
    with pytest.raises(CorpusError) as alone:
        read_corpus([p], min_count=1, block_size=256)
    with pytest.raises(CorpusError) as shared:
        read_corpus([p], min_count=1, block_size=256, workers=2)
    # 500 lines of 16 bytes, then "bad " and the bad byte: line 501, the 8,005th byte
    assert str(shared.value) == str(alone.value) and "bad.txt, line 501 (byte 8,005): not valid UTF-8" in str(alone.value)


def _dying_worker(after: int) -> list[str]:
    """A worker command that answers ``after`` blocks, then exits with status 3."""
    import sys

    import wvtool

    parent = str(Path(wvtool.__file__).resolve().parent.parent)
    code = (f"import sys; sys.path.insert(0, {parent!r}); import wvtool.corpus as c\n"
            f"real, seen = c.split_block, []\n"
            f"def split_block(*a):\n"
            f"    seen.append(1)\n"
            f"    if len(seen) > {after}: sys.exit(3)\n"
            f"    return real(*a)\n"
            f"c.split_block = split_block\n"
            f"from wvtool.read_worker import serve; serve(sys.stdin.buffer, sys.stdout.buffer)")
    return [sys.executable, "-c", code]


@pytest.mark.parametrize("after", [0, 3])
def test_when_a_worker_stops_this_process_reads_on_and_no_process_is_left(tmp_path, workers_early, monkeypatch, after):
    from wvtool import read_worker
    from wvtool.errors import WvtoolWarning

    started = []
    real = read_worker.Workers.__init__

    def spy(self, n, settings):
        real(self, n, settings)
        started.extend(w.proc for w in self.workers)

    monkeypatch.setattr(read_worker.Workers, "__init__", spy)
    p = tmp_path / "c.txt"
    rng = np.random.default_rng(5)
    p.write_text("\n".join(" ".join(f"w{k}" for k in rng.zipf(1.5, 12) % 500) for _ in range(3000)) + "\n")
    alone = _corpus_bytes(read_corpus([p], min_count=1, block_size=512))
    assert _corpus_bytes(read_corpus([p], min_count=1, block_size=512, workers=2)) == alone
    assert len(started) == 2 and all(proc.poll() is not None for proc in started)  # stopped once read
    monkeypatch.setattr(read_worker, "worker_command", lambda: _dying_worker(after))
    with pytest.warns(WvtoolWarning, match=r"c.txt: a tokenizing worker process stopped \(exit code 3\); "
                                           r"reading on in this process"):
        assert _corpus_bytes(read_corpus([p], min_count=1, block_size=512, workers=2)) == alone
    assert len(started) == 4 and all(proc.poll() is not None for proc in started)


def test_workers_start_only_when_enough_of_the_input_is_left():
    from wvtool.corpus import WORKERS_AFTER, _workers_pay

    assert not _workers_pay(0, 0, 10**9)
    assert _workers_pay(1, 10**6, 10**8) and not _workers_pay(1, 10**6, 5 * 10**6)
    assert not _workers_pay(WORKERS_AFTER - 1, 10**6, None) and _workers_pay(WORKERS_AFTER, 10**6, None)


def test_a_directory_stands_for_the_files_below_it_in_sorted_order(tmp_path):
    from wvtool.corpus import corpus_files

    root = tmp_path / "extracted"
    for rel, text in [("AB/wiki_00", "third file\n"), ("AA/wiki_01", "second file\n"), ("AA/wiki_00", "first file\n"),
                      ("AA/.hidden", "not read\n"), (".git/config", "not read\n")]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    assert corpus_files([root, "-"]) == [root / "AA/wiki_00", root / "AA/wiki_01", root / "AB/wiki_00", "-"]
    c = read_corpus(root, min_count=1, skip_lines="")
    assert list(np.array(c.words)[c.tokens]) == ["first", "file", "second", "file", "third", "file"]
    assert c.n_sentences == 3
    (tmp_path / "empty" / ".cache").mkdir(parents=True)
    with pytest.raises(CorpusError, match="empty: the directory holds no files"):
        read_corpus([tmp_path / "empty"], min_count=1)


def test_a_pattern_stands_for_the_files_it_matches_in_sorted_order(tmp_path, monkeypatch):
    from wvtool.corpus import corpus_files

    monkeypatch.chdir(tmp_path)
    for rel, text in [("data/b.txt", "second\n"), ("data/a.txt", "first\n"), ("data/c.log", "not matched\n"),
                      ("data/more/d.txt", "third\n"), ("data/.e.txt", "hidden\n"), ("odd[1].txt", "itself\n")]:
        Path(rel).parent.mkdir(parents=True, exist_ok=True)
        Path(rel).write_text(text)
    assert corpus_files(["data/*.txt"]) == [Path("data/a.txt"), Path("data/b.txt")]
    assert corpus_files(["data/**/*.txt"]) == [Path("data/a.txt"), Path("data/b.txt"), Path("data/more/d.txt")]
    # a directory matched stands for its files; a file whose name looks like a pattern stands for itself
    assert corpus_files(["data/m*", "odd[1].txt", "-"]) == [Path("data/more/d.txt"), "odd[1].txt", "-"]
    c = read_corpus("data/*.txt", min_count=1, skip_lines="")
    assert list(np.array(c.words)[c.tokens]) == ["first", "second"]
    with pytest.raises(CorpusError, match=r"data/\*\.gz: no file matches this pattern"):
        read_corpus(["data/*.gz"], min_count=1)
    # '**' matches the directories too: each file still comes once, in sorted order
    everything = [Path("data/a.txt"), Path("data/b.txt"), Path("data/c.log"), Path("data/more/d.txt")]
    assert corpus_files(["data/**"]) == everything and corpus_files(["data/**/*"]) == everything
    assert corpus_files(["data/**", "data/a.txt"]) == [*everything, "data/a.txt"]  # a name given again: read again


def test_an_empty_name_or_one_too_long_for_the_file_system_is_one_error():
    from wvtool.corpus import corpus_files

    with pytest.raises(CorpusError, match=r"an empty name was given as a corpus file \(an unset shell variable\?\)"):
        corpus_files(["a.txt", ""])
    with pytest.raises(CorpusError, match=r"^'x{56}\.\.\.: File name too long; check the path"):
        corpus_files(["x" * 300])


def test_when_no_worker_can_start_this_process_reads_alone(tmp_path, workers_early, monkeypatch):
    import warnings

    from wvtool import read_worker

    p = tmp_path / "d.txt"
    p.write_text("words of a line\n" * 3000)
    alone = _corpus_bytes(read_corpus([p], min_count=1, block_size=512))
    monkeypatch.setattr(read_worker, "worker_command", lambda: [str(tmp_path / "no-such-python")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to say: reading alone is what --threads 1 does
        assert _corpus_bytes(read_corpus([p], min_count=1, block_size=512, workers=2)) == alone


@pytest.mark.parametrize("magic, name, command", [(b"\x28\xb5\x2f\xfd", "zstd", "zstd -dc"),
                                                  (b"\x04\x22\x4d\x18", "lz4", "lz4 -dc")])
def test_a_compression_wvtool_does_not_read_is_named(tmp_path, magic, name, command):
    p = tmp_path / "c.txt.x"
    p.write_bytes(magic + b"\x00\x01 compressed bytes")
    with pytest.raises(FileError, match=rf"c.txt.x: {name}-compressed, which wvtool does not read .*\({command} FILE"):
        read_corpus([p])


@pytest.mark.parametrize(("text", "message"), [
    (None, r"^text must be a str, not NoneType$"),
    (b"a b", r"^text must be a str, not bytes; decode it first"),
    (["a", "b"], r"^text must be a str, not list$"),
])
def test_tokenize_wants_a_str(text, message):
    import wvtool

    with pytest.raises(wvtool.ConfigError, match=message):
        wvtool.tokenize(text)
    assert wvtool.tokenize("A b") == ["a", "b"]


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux's /proc/self/mem")
def test_an_input_the_system_cannot_read_is_named(tmp_path):
    """A read the system refuses (an I/O error: here a link to /proc/self/mem, whose first page is not mapped)
    names the file; the message was the system's alone ('Input/output error')."""
    from wvtool import formats

    (tmp_path / "a.txt").write_text("a b c\n")
    (tmp_path / "b.txt").symlink_to("/proc/self/mem")
    with pytest.raises(FileError, match=r"b.txt: cannot read \(Input/output error\); check the file or device$"):
        read_corpus([tmp_path], min_count=1)
    with pytest.raises(FileError, match=r"b.txt: cannot read \(Input/output error\); check the file or device$"):
        formats.load(tmp_path / "b.txt")
