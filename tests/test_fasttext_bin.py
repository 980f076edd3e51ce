"""fastText .bin models: read as gensim reads them, written so gensim reads them back, bad input refused."""

import io
import struct
from pathlib import Path

import gensim
import numpy as np
import pytest
from gensim.models.fasttext import load_facebook_model, load_facebook_vectors
from gensim.models.fasttext_inner import ft_hash_bytes

from wvtool import ConfigError, Vectors
from wvtool.errors import FormatError, WvtoolWarning
from wvtool.formats.fasttext_bin import (
    MAGIC,
    FastTextArgs,
    open_buffer,
    read_fasttext_bin,
    sniff_fasttext_bin,
    write_fasttext_bin,
)
from wvtool.subwords import EOS, Subwords, ngram_bytes, word_buckets

DATA = Path(gensim.__file__).parent / "test" / "test_data"
OOV = ["someoovword", "xyzzy", "nights", "Příliš", "日本語"]
FILES = [
    ("lee_fasttext.bin", "utf-8"),  # the old format (no magic number)
    ("lee_fasttext_new.bin", "utf-8"),  # version 11
    ("non_ascii_fasttext.bin", "utf-8"),
    ("cp852_fasttext.bin", "cp852"),
    ("toy-model.bin", "utf-8"),  # cbow, version 12
    ("crime-and-punishment.bin", "utf-8"),
]


def _load(path, **kw):
    return read_fasttext_bin(path, open_buffer(path), **kw)


def _save(kv, path, **kw):
    buf = io.BytesIO()
    write_fasttext_bin(kv, buf, **kw)
    Path(path).write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("name, encoding", FILES)
def test_reads_as_gensim(name, encoding):
    kv = _load(DATA / name, encoding=encoding)
    g = load_facebook_vectors(str(DATA / name), encoding=encoding)
    assert list(kv.words) == list(g.index_to_key)
    assert kv.subwords.minn == g.min_n and kv.subwords.maxn == g.max_n and kv.subwords.bucket == g.bucket
    # gensim gives </s> n-grams (fastText does not), and re-encodes words as UTF-8 before hashing
    # (fastText hashes the model's own bytes): compare the words where both agree
    same = [i for i, w in enumerate(kv.words) if w != EOS and (encoding == "utf-8" or w.isascii())]
    assert len(same) >= len(kv) - 70
    np.testing.assert_allclose(kv.vectors[same], g.vectors[same], atol=1e-5, rtol=0)
    for w in OOV:
        if encoding == "utf-8" or w.isascii():
            np.testing.assert_allclose(kv.vector(w), g[w], atol=1e-5, rtol=0)
            assert kv.is_composed(w)
    if EOS in kv:
        i = kv.get_index(EOS)
        np.testing.assert_array_equal(kv[EOS], kv.word_rows[i])  # fastText: </s> is its own row only
    assert kv.counts is not None and kv.counts.min() >= 1
    # negative sampling: the output matrix is a row per word, gensim's syn1neg
    model = load_facebook_model(str(DATA / name), encoding=encoding)
    assert model.negative > 0 and not model.hs
    np.testing.assert_array_equal(kv.output_rows, model.syn1neg)


def test_cp852_non_ascii_words_hash_the_models_bytes():
    kv = _load(DATA / "cp852_fasttext.bin", encoding="cp852")
    sw = kv.subwords
    for w in ["který", "už", "více"]:
        ids = [ft_hash_bytes(g) % sw.bucket for g in ngram_bytes(w, sw.minn, sw.maxn, "cp852")]
        expected = (kv.word_rows[kv.get_index(w)] + sw.ngrams[ids].sum(0)) / (1 + len(ids))
        np.testing.assert_allclose(kv[w], expected, atol=1e-6)
    with pytest.raises(FormatError, match=r"cp852_fasttext.bin, dictionary entry \d+: .*not valid utf-8.*encoding="):
        _load(DATA / "cp852_fasttext.bin")
    with pytest.warns(WvtoolWarning, match="duplicate words? after decoding") as record:
        lossy = _load(DATA / "cp852_fasttext.bin", unicode_errors="replace")
    assert "\ufffd" in "".join(lossy.words) and len(lossy) < len(kv)
    n = len(kv) - len(lossy)
    assert f": {n:,} duplicate word{'s' if n != 1 else ''} after decoding skipped" in str(record[0].message)
    # the output rows are those of the words kept (the first of each decoded duplicate)
    first: dict[str, int] = {}
    for i, w in enumerate(w.encode("cp852").decode("utf-8", "replace") for w in kv.words):
        first.setdefault(w, i)
    assert list(first) == list(lossy.words)
    np.testing.assert_array_equal(lossy.output_rows, kv.output_rows[list(first.values())])


def test_sniff():
    for name, _ in FILES:
        assert sniff_fasttext_bin((DATA / name).read_bytes()[:4096]), name
    for other in ["euclidean_vectors.bin", "toy-model.vec", "lee_fasttext.vec", "high_precision.kv.bin"]:
        assert not sniff_fasttext_bin((DATA / other).read_bytes()[:4096]), other


def test_limit_is_refused():
    with pytest.raises(ConfigError, match="limit=10 does not apply to a fastText model"):
        _load(DATA / "toy-model.bin", limit=10)


def test_supervised_model_refused():
    path = DATA / "pang_lee_polarity_fasttext.bin"
    with pytest.raises(FormatError) as e:
        _load(path)
    msg = str(e.value)
    assert "pang_lee_polarity_fasttext.bin, header field model:" in msg and "supervised" in msg
    assert "\n" not in msg


# --- a small model wvtool writes, then damages ------------------------------------------


def _small(seed=0, bucket=50, derive_rows=False):
    rng = np.random.default_rng(seed)
    words = ["the", "cat", "sat", "on", "mat", "naïve", "日本"]
    own = rng.normal(size=(len(words), 4)).astype(np.float32)
    ngrams = rng.normal(size=(bucket, 4)).astype(np.float32)
    sw = Subwords(2, 4, bucket, ngrams)
    vecs = np.stack(
        [
            (own[i] + ngrams[word_buckets(w, 2, 4, bucket)].sum(0)) / (1 + len(word_buckets(w, 2, 4, bucket)))
            for i, w in enumerate(words)
        ]
    ).astype(np.float32)
    counts = np.arange(70, 0, -10)
    return Vectors(words, vecs, counts, subwords=sw, word_rows=None if derive_rows else own)


def _quant_offset(kv):
    return 8 + 56 + 20 + 8 + sum(len(w.encode()) + 10 for w in kv.words)


def test_written_model_loads_in_gensim_with_identical_vectors(tmp_path):
    kv = _load(DATA / "lee_fasttext.bin")
    path = _save(kv, tmp_path / "m.bin")
    m = load_facebook_model(str(path))
    assert list(m.wv.index_to_key) == list(kv.words)
    assert (m.window, m.epochs, m.negative, m.sg, m.wv.bucket, m.wv.min_n, m.wv.max_n) == (5, 5, 5, 1, 1000, 3, 6)
    same = [i for i, w in enumerate(kv.words) if w != EOS]
    np.testing.assert_allclose(m.wv.vectors[same], kv.vectors[same], atol=1e-6, rtol=0)
    for w in OOV:
        np.testing.assert_allclose(m.wv[w], kv.vector(w), atol=1e-6, rtol=0)
    back = _load(path)
    assert back.equals(kv)  # exact: the same rows, the same composition


def test_written_model_without_word_rows(tmp_path):
    kv = _small(derive_rows=True)
    path = _save(kv, tmp_path / "d.bin")
    g = load_facebook_vectors(str(path))
    np.testing.assert_allclose(g.vectors, kv.vectors, atol=1e-5, rtol=0)
    for w in ["cats", "mats", "naïvety"]:
        np.testing.assert_allclose(g[w], kv.vector(w), atol=1e-6, rtol=0)
    back = _load(path)
    np.testing.assert_allclose(back.vectors, kv.vectors, atol=1e-5, rtol=0)
    np.testing.assert_array_equal(back.subwords.ngrams, kv.subwords.ngrams)


def test_word_only_table_written_without_ngrams(tmp_path):
    kv = Vectors(["a", "b", "c"], np.arange(6, dtype=np.float32).reshape(3, 2))
    path = _save(kv, tmp_path / "w.bin", args=FastTextArgs(dim=2, ws=3, epoch=7))
    g = load_facebook_model(str(path))
    np.testing.assert_array_equal(g.wv.vectors, kv.vectors)
    assert (g.window, g.epochs, g.wv.bucket) == (3, 7, 0)
    back = _load(path)
    assert back.subwords is None and back.equals(kv)


def test_normalized_subword_table_not_writable():
    with pytest.raises(ConfigError, match="normalized subword table"):
        write_fasttext_bin(_small().normalized(), io.BytesIO())


@pytest.fixture
def small_bin(tmp_path):
    kv = _small()
    return _save(kv, tmp_path / "small.bin"), kv


def _damaged(path, tmp_path, data: bytes):
    out = tmp_path / "damaged.bin"
    out.write_bytes(data)
    with pytest.raises(FormatError) as e:
        _load(out)
    msg = str(e.value)
    assert msg.startswith(str(out)) and "\n" not in msg
    return msg


def test_round_trip_small(small_bin, tmp_path):
    path, kv = small_bin
    back = _load(path)
    assert back.words == kv.words and back.counts.tolist() == kv.counts.tolist()
    np.testing.assert_array_equal(back.word_rows, kv.word_rows)
    np.testing.assert_array_equal(back.subwords.ngrams, kv.subwords.ngrams)
    np.testing.assert_allclose(back.vectors, kv.vectors, atol=1e-6)  # composed by wvtool vs by the test
    assert _load(_save(back, tmp_path / "again.bin")).equals(back)  # exact from then on


def test_truncated_anywhere_is_one_line(small_bin, tmp_path):
    path, kv = small_bin
    data = path.read_bytes()
    for cut in [4, 30, 70, 100, _quant_offset(kv) - 3, _quant_offset(kv) + 5, _quant_offset(kv) + 40, len(data) - 4]:
        msg = _damaged(path, tmp_path, data[:cut])
        assert "header field" in msg


@pytest.mark.parametrize(
    "field, offset, fmt, value, fragment",
    [
        ("version", 4, "<i", 13, "version 13"),
        ("dim", 8, "<i", 0, "dim=0"),
        ("size", 64, "<i", 2**31 - 1, "inconsistent dictionary sizes"),
        ("nlabels", 72, "<i", 3, "supervised"),
        ("prune", 84, "<q", 5, "pruned"),
    ],
)
def test_bad_header_fields(small_bin, tmp_path, field, offset, fmt, value, fragment):
    path, _ = small_bin
    data = bytearray(path.read_bytes())
    struct.pack_into(fmt, data, offset, value)
    assert fragment in _damaged(path, tmp_path, bytes(data))


def test_huge_dictionary_claim_does_not_allocate(small_bin, tmp_path):
    path, _ = small_bin
    data = bytearray(path.read_bytes())
    struct.pack_into("<ii", data, 64, 2**31 - 1, 2**31 - 1)  # size and nwords agree, the file cannot hold them
    assert "header field dictionary" in _damaged(path, tmp_path, bytes(data))


def test_quantized_and_matrix_shape(small_bin, tmp_path):
    path, kv = small_bin
    q = _quant_offset(kv)
    data = bytearray(path.read_bytes())
    data[q] = 1
    assert "quantized" in _damaged(path, tmp_path, bytes(data)) and "quant_input" in _damaged(
        path, tmp_path, bytes(data)
    )
    data = bytearray(path.read_bytes())
    struct.pack_into("<q", data, q + 1, 10**12)
    assert "input matrix shape" in _damaged(path, tmp_path, bytes(data))
    assert "unexpected bytes" in _damaged(path, tmp_path, path.read_bytes() + b"\0\0\0\0")
    data = bytearray(path.read_bytes())
    struct.pack_into("<i", data, 0, MAGIC + 1)
    assert "not a fastText model" in _damaged(path, tmp_path, bytes(data))


def test_reads_what_gensim_writes(tmp_path):
    from gensim.models import FastText
    from gensim.models.fasttext import save_facebook_model

    sentences = [["the", "cat", "sat", "on", "the", "mat"], ["a", "naïve", "dog", "sat", "on", "a", "log"]] * 20
    model = FastText(sentences, vector_size=8, min_count=1, min_n=2, max_n=4, bucket=200, epochs=2, seed=1, workers=1)
    path = tmp_path / "gensim.bin"
    save_facebook_model(model, str(path))
    kv = _load(path)
    assert list(kv.words) == list(model.wv.index_to_key)
    np.testing.assert_allclose(kv.vectors, model.wv.vectors, atol=1e-6, rtol=0)
    for w in ["cats", "naïvety", "mats"]:
        np.testing.assert_allclose(kv.vector(w), model.wv[w], atol=1e-6, rtol=0)
    assert kv.subwords.training["dim"] == 8 and kv.subwords.training["model"] == 1  # gensim's default: cbow
    np.testing.assert_array_equal(kv.output_rows, model.syn1neg)
    # hierarchical softmax: the output rows are the tree's nodes, not the words': not taken as theirs
    hs = FastText(sentences, vector_size=8, min_count=1, bucket=200, epochs=1, hs=1, negative=0, seed=1, workers=1)
    save_facebook_model(hs, str(tmp_path / "hs.bin"))
    assert _load(tmp_path / "hs.bin").output_rows is None


@pytest.mark.parametrize("name", ["toy-model.bin", "crime-and-punishment.bin"])
def test_random_damage_never_escapes_as_another_error(name):
    # found by this test: a damaged maxn of ~10**9 once sized an n-gram table by it (a MemoryError)
    import random
    import warnings

    data = (DATA / name).read_bytes()
    rng = random.Random(0)
    for _ in range(400):
        b = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(min(len(b), 400))] = rng.randrange(256)
        if rng.random() < 0.2:
            b = b[: rng.randrange(len(b))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", WvtoolWarning)
            try:
                read_fasttext_bin("damaged.bin", bytes(b))
            except (FormatError, ConfigError):
                pass


def test_huge_maxn_in_header_is_harmless(small_bin, tmp_path):
    path, kv = small_bin
    data = bytearray(path.read_bytes())
    struct.pack_into("<i", data, 8 + 4 * 10, 10**9)  # maxn
    out = tmp_path / "maxn.bin"
    out.write_bytes(bytes(data))
    back = _load(out)
    assert back.subwords.maxn == 10**9
    # "<cats>" has 6 characters: every n-gram of 2 or more of them, as with maxn=6
    assert back.subwords.buckets("cats").tolist() == word_buckets("cats", 2, 6, 50).tolist()
    assert len(word_buckets("cats", 2, 6, 50)) == 15


def test_save_with_output_matrix_and_settings(tmp_path):
    from wvtool.formats.fasttext_bin import save_fasttext_model

    kv = _small()
    output = np.random.default_rng(5).normal(size=(len(kv), kv.dim)).astype(np.float32)
    args = FastTextArgs(dim=99, ws=3, epoch=9, neg=7, model=2, t=1e-3)  # dim, bucket, minn, maxn come from kv
    path = save_fasttext_model(kv, tmp_path / "t.bin", output=output, args=args)
    m = load_facebook_model(str(path))
    np.testing.assert_array_equal(m.syn1neg, output)
    assert (m.window, m.epochs, m.negative, m.sample, m.vector_size, m.wv.min_n, m.wv.max_n) == (3, 9, 7, 1e-3, 4, 2, 4)
    with pytest.raises(ConfigError, match="output matrix must be 7 x 4"):
        save_fasttext_model(kv, tmp_path / "u.bin", output=output[:3])
    assert not (tmp_path / "u.bin").exists()
    # a table's own output rows are written by default, and read back
    own = Vectors(kv.words, kv.vectors, kv.counts, subwords=kv.subwords, word_rows=kv.word_rows, output_rows=output * 2)
    back = _load(save_fasttext_model(own, tmp_path / "v.bin"))
    np.testing.assert_array_equal(back.output_rows, output * 2)
    np.testing.assert_array_equal(load_facebook_model(str(tmp_path / "v.bin")).syn1neg, output * 2)
    # none: zeros written (fastText needs the matrix), read back as none
    assert _load(save_fasttext_model(kv, tmp_path / "w.bin")).output_rows is None
    with open(tmp_path / "w.bin", "rb") as f:
        assert not np.frombuffer(f.read()[-len(kv) * kv.dim * 4 :], dtype="<f4").any()


def test_a_trained_word_model_records_its_own_settings(tmp_path):
    import wvtool

    sentences = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "log"]] * 30
    kv = wvtool.train(iter(sentences), model="cbow", dim=8, window=3, epochs=2, negative=4, min_count=2,
                      sample=1e-4, threads=1)
    model = load_facebook_model(str(wvtool.save(kv, tmp_path / "cbow.bin", format="fasttext-bin")))
    assert (model.sg, model.vector_size, model.window, model.epochs, model.negative, model.min_count) == (0, 8, 3, 2, 4, 2)
    assert model.sample == 1e-4 and model.wv.bucket == 0
    np.testing.assert_array_equal(model.syn1neg, kv.output_rows)
    back = wvtool.load(tmp_path / "cbow.bin")
    assert back.training["model"] == 1 and back.training["ws"] == 3 and back.subwords is None
    # a part of it was trained as it was; a table of vectors alone records fastText's defaults
    model = load_facebook_model(str(wvtool.save(kv.subset(["the", "sat"]), tmp_path / "s.bin", format="fasttext-bin")))
    assert (model.sg, model.window, model.epochs) == (0, 3, 2)
    plain = Vectors(kv.words, kv.vectors)
    model = load_facebook_model(str(wvtool.save(plain, tmp_path / "p.bin", format="fasttext-bin")))
    assert (model.sg, model.window, model.epochs) == (1, 5, 5) and plain.training is None


# --- what the writer writes, the reader reads ----------------------------------------------


def test_dimension_over_the_limit_is_refused_by_the_writer_and_named_by_the_reader(small_bin, tmp_path):
    import wvtool

    wide = Vectors(["a", "b"], np.ones((2, 1_100_000), dtype=np.float32))
    with pytest.raises(ConfigError) as e:
        wvtool.save(wide, tmp_path / "wide.bin", format="fasttext-bin")
    assert str(e.value) == (
        "cannot write a table of 1,100,000 dimensions (a fastText model row holds at most 1,048,576 values) "
        "in fasttext-bin format; no format wvtool writes can hold it"  # native's bound is fastText's
    )
    assert not (tmp_path / "wide.bin").exists()
    with pytest.raises(ConfigError, match=r"^cannot write a table of 1,100,000 dimensions .* as a fastText model"):
        write_fasttext_bin(wide, io.BytesIO())
    # at the limit it writes and reads back
    edge = Vectors(["a"], np.full((1, 1 << 20), 0.5, dtype=np.float32))
    assert _load(_save(edge, tmp_path / "edge.bin")).dim == 1 << 20
    # a header over the limit is named as such, not as damage
    path, _ = small_bin
    data = bytearray(path.read_bytes())
    struct.pack_into("<i", data, 8, 1_100_000)
    assert _damaged(path, tmp_path, bytes(data)) == (
        f"{tmp_path / 'damaged.bin'}, header field dim: dim=1,100,000 is over wvtool's limit for a fastText model "
        "(1,048,576 dimensions); wvtool cannot read a model that wide; if it should have fewer dimensions, the file "
        "is damaged: re-download or regenerate it"
    )


def test_words_the_hashing_encoding_cannot_hold_are_refused_in_one_line(small_bin, tmp_path, run_cli):
    # read as ASCII with replacement, 'naïve' and '日本' hold U+FFFD, which ASCII (the encoding the table hashes its
    # n-grams from, and so the one its words must be written in) cannot encode: a UnicodeEncodeError traceback before
    path, _ = small_bin
    code, out, err = run_cli("convert", path, tmp_path / "o.bin", "--encoding", "ascii", "--unicode-errors", "replace")
    assert code == 1 and out == "" and not (tmp_path / "o.bin").exists()
    assert err == (
        "wvtool: error: cannot write a table whose word 'na\ufffd\ufffdve' (row 6) cannot be encoded in ascii "
        "(the encoding its n-grams are hashed from; read the model with the --encoding it was written in: "
        "fastText's own models are UTF-8) in fasttext-bin format; choose another --to: word2vec, word2vec-binary, "
        "glove, fasttext, native\n"
    )
    kv = _load(path, encoding="ascii", unicode_errors="replace")
    with pytest.raises(ConfigError, match="^cannot write a table whose word 'na\ufffd\ufffdve' \\(row 6\\) cannot be "
                       r"encoded in ascii .* as a fastText model; write another format$"):
        write_fasttext_bin(kv, io.BytesIO())
    # a word-only table: its words are written in UTF-8, which a lone surrogate is not
    odd = Vectors(["a", "b\udc80"], np.ones((2, 3), dtype=np.float32))
    with pytest.raises(ConfigError, match=r"^cannot write a table whose word 'b\\udc80' \(row 2\) cannot be encoded in "
                       r"utf-8 \(a fastText model's words are UTF-8\) as a fastText model"):
        write_fasttext_bin(odd, io.BytesIO())
    # read in its own encoding, the same model writes and reads back exactly (words in the encoding it hashes)
    cp = _load(DATA / "cp852_fasttext.bin", encoding="cp852")
    back = _load(_save(cp, tmp_path / "cp.bin"), encoding="cp852")
    assert back.equals(cp)
    assert "který".encode("cp852") + b"\x00" in (tmp_path / "cp.bin").read_bytes()


@pytest.mark.parametrize(
    "matrix, row, col, value, where",
    [
        ("input", 2, 1, np.nan, "input matrix, row 3 (the word 'sat'): value 2 is NaN"),
        ("input", 7 + 41, 3, np.inf, "input matrix, row 49 (n-gram row 42 of 50): value 4 is inf"),
        ("output", 5, 0, -np.inf, "output matrix, row 6 (the word 'naïve'): value 1 is -inf"),
    ],
)
def test_nan_or_infinity_in_a_matrix_is_refused(tmp_path, matrix, row, col, value, where):
    kv = _small()
    output = np.random.default_rng(3).normal(size=(len(kv), kv.dim)).astype(np.float32)
    path = _save(kv, tmp_path / "m.bin", output=output)
    start = _quant_offset(kv) + 17  # quant_input and the shape, then the input matrix
    if matrix == "output":
        start += 4 * (len(kv) + 50) * kv.dim + 17
    data = bytearray(path.read_bytes())
    struct.pack_into("<f", data, start + 4 * (row * kv.dim + col), value)
    msg = _damaged(path, tmp_path, bytes(data))
    assert msg == (
        f"{tmp_path / 'damaged.bin'}, {where} (not a finite number); the file is damaged or is not a complete "
        "fastText model; re-download or regenerate it"
    )
    # the same from a gzip stream
    import gzip

    import wvtool

    (tmp_path / "damaged.bin.gz").write_bytes(gzip.compress(bytes(data)))
    with pytest.raises(FormatError) as e:
        wvtool.load(tmp_path / "damaged.bin.gz")
    assert str(e.value) == msg.replace("damaged.bin", "damaged.bin.gz")
    if matrix == "output":  # with loss hs the output matrix is a tree's, not the words': not read, not refused
        struct.pack_into("<i", data, 8 + 4 * 6, 1)
        (tmp_path / "hs.bin").write_bytes(bytes(data))
        back = _load(tmp_path / "hs.bin")
        assert back.output_rows is None
        np.testing.assert_array_equal(back.word_rows, kv.word_rows)


class _Served(io.RawIOBase):
    """A non-seekable stream serving ``data`` then ``more`` bytes ``fill``, counting the bytes it has served."""

    def __init__(self, data: bytes, more: int, fill: int = 0):
        self.data, self.size, self.fill, self.served = data, len(data) + more, fill, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = min(len(b), self.size - self.served)
        start = self.served
        head = self.data[start : start + n]
        b[: len(head)] = head
        b[len(head) : n] = bytes([self.fill]) * (n - len(head))
        self.served += n
        return n


def test_a_stream_is_read_no_further_than_its_declared_sizes(small_bin):
    # a stream used to be read whole before its header was parsed: a gzip bomb behind a small header buffered
    # everything it decompressed (1.25 GB for 500 MB of zeros) before failing
    import wvtool

    path, kv = small_bin
    data = path.read_bytes()
    slack = (1 << 20) + (1 << 17)  # what open_source reads ahead (its buffer and the format-detection peek)
    zeros = 64 << 20
    # a whole model followed by data: refused after one byte past its end
    stream = _Served(data, zeros)
    with pytest.raises(FormatError) as e:
        wvtool.load(stream)
    assert str(e.value) == (
        f"<stream>, header field output matrix: unexpected bytes after the output matrix, which ends at byte "
        f"{len(data):,}; the file is damaged or is not a complete fastText model; re-download or regenerate it"
    )
    assert stream.served < len(data) + slack
    # a header and zeros (empty words, then a 0 x 0 matrix): refused after the dictionary
    stream = _Served(data[:100], zeros)
    with pytest.raises(FormatError) as e:
        wvtool.load(stream)
    assert str(e.value) == (
        "<stream>, header field input matrix shape: the input matrix is 0 x 0 but the header implies 57 x 4 "
        "(nwords + bucket x dim); the file is damaged or is not a complete fastText model; re-download or "
        "regenerate it"
    )
    assert stream.served < 100 + slack
    # a header and a word that never ends: refused at wvtool's longest word (which the writer keeps to)
    stream = _Served(data[:92], zeros, fill=ord("a"))
    with pytest.raises(FormatError) as e:
        wvtool.load(stream)
    assert str(e.value) == (
        "<stream>, header field dictionary entry 1: the word is longer than 65,536 bytes (no NUL ends it); the file "
        "is damaged or is not a complete fastText model; re-download or regenerate it"
    )
    assert stream.served < 92 + slack
    long = Vectors(["a", "b" * 65_537], np.ones((2, 4), dtype=np.float32))
    with pytest.raises(ConfigError, match=r"^cannot write the word 'bbb.*\(65,537 characters\), 65,537 bytes long "
                       r"\(more than 65,536\), in fasttext-bin format"):
        wvtool.save(long, path.parent / "long.bin", format="fasttext-bin")
    with pytest.raises(ConfigError, match="65,537 bytes long, more than the 65,536 wvtool reads"):
        write_fasttext_bin(long, io.BytesIO())
    # a stream that ends before the sizes its header declares: refused where it ends
    big = bytearray(data)
    struct.pack_into("<i", big, 8 + 4 * 8, 2_000_000)  # bucket: a 2,000,007 x 4 input matrix
    struct.pack_into("<q", big, _quant_offset(kv) + 1, 2_000_007)
    stream = _Served(bytes(big[: _quant_offset(kv) + 1000]), 0)
    with pytest.raises(FormatError) as e:
        wvtool.load(stream)
    assert str(e.value) == (
        f"<stream>, header field input matrix: the file ends at byte {_quant_offset(kv) + 1000:,} but input matrix "
        f"needs 32,000,112 bytes from byte {_quant_offset(kv) + 17:,}; the file is damaged or is not a complete "
        "fastText model; re-download or regenerate it"
    )
    with pytest.raises(FormatError, match="^<stream>: the file is empty; give a file of word vectors$"):
        wvtool.load(_Served(b"", 0), format="fasttext-bin")
    # and the whole model from a stream is the same table as from the file, read a few bytes at a time too
    for chunk_size in (1 << 22, 5):
        back = wvtool.load(_Served(data, 0), chunk_size=chunk_size)
        assert back.equals(_load(path)) and back.counts.tolist() == kv.counts.tolist()
        np.testing.assert_array_equal(back.word_rows, kv.word_rows)
