"""Vector file formats: round trips, detection, chunk boundaries, --limit, gzip, encodings."""

from __future__ import annotations

import gzip
import mmap
import struct

import numpy as np
import pytest

import wvtool
from wvtool import Vectors
from wvtool import formats as io
from wvtool.errors import ConfigError, FormatError, WvtoolWarning
from wvtool.formats import native


def _flag(name: str) -> str:
    """How a command line spells a parameter (for checking message templates)."""
    return "--" + name.replace("_", "-")


EXT = {
    "word2vec": ".txt",
    "word2vec-binary": ".bin",
    "glove": ".glove",
    "fasttext": ".vec",
    "native": ".wv",
    "fasttext-bin": ".bin",  # a word-only table's .bin is word2vec binary: tests pass this format by name
}
#: formats that read a prefix of the file (a fastText model is read whole: limit is refused, see test_fasttext_bin)
LIMITED = [f for f in io.FORMATS if f != "fasttext-bin"]
#: the formats both read and written for a word table (a round trip is possible; a fastText model holds a
#: subword table and is tested in tests/test_fasttext_bin.py)
RW_FORMATS = tuple(f for f in io.READABLE if f in io.WRITABLE and f != "fasttext-bin")


def _table(n=30, dim=5, seed=0, counts=False, words=None):
    rng = np.random.default_rng(seed)
    words = words or [f"w{i}" for i in range(n - 4)] + ["café", "naïve", "日本語", "Zürich"]
    vecs = rng.normal(size=(len(words), dim)).astype(np.float32)
    # awkward values: tiny, huge, negative zero, values needing all 9 significant digits
    vecs[0, 0] = np.float32(1e-38)
    vecs[1, 0] = np.float32(3.4e38)
    vecs[2, 0] = np.float32(-0.0)
    vecs[3, :] = np.nextafter(np.float32(0.1), np.float32(1))
    c = np.arange(len(words), 0, -1) * 7 if counts else None
    return Vectors(words, vecs, c)


def _w2v_binary(words, vecs, newline=True, header=None, leading=b"") -> bytes:
    """A word2vec binary file built by hand (newline=True: word2vec.c layout; False: gensim's)."""
    vecs = np.asarray(vecs, dtype="<f4")
    out = [header if header is not None else f"{len(words)} {vecs.shape[1]}\n".encode()]
    for i, (w, v) in enumerate(zip(words, vecs, strict=True)):
        nl = newline[i] if isinstance(newline, (list, tuple)) else newline
        out.append(leading + (w.encode() if isinstance(w, str) else w) + b" " + v.tobytes() + (b"\n" if nl else b""))
    return b"".join(out)


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RW_FORMATS)
@pytest.mark.parametrize("gz", [False, True])
def test_round_trip_every_format(tmp_path, fmt, gz):
    kv = _table(counts=True)
    path = tmp_path / ("v" + EXT[fmt] + (".gz" if gz else ""))
    assert io.save(kv, path, fmt) == path
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == gz
    back = io.load(path)
    assert back.words == kv.words
    assert np.array_equal(back.vectors.view(np.uint32), kv.vectors.view(np.uint32))  # bit for bit, -0.0 too
    assert back.source == str(path)
    if fmt in ("native", "fasttext-bin"):
        assert np.array_equal(back.counts, kv.counts)
    else:
        assert back.counts is None


@pytest.mark.parametrize("fmt", RW_FORMATS)
def test_detect_format_from_content_not_extension(tmp_path, fmt):
    kv = _table()
    path = tmp_path / "v.dat"  # an extension that says nothing
    io.save(kv, path, fmt)
    expected = "word2vec" if fmt == "fasttext" else fmt  # .vec content is word2vec text
    assert io.detect_format(path) == expected
    assert io.load(path).equals(kv)
    gz = tmp_path / "v.dat.gz"
    io.save(kv, gz, fmt)
    assert io.detect_format(gz) == expected


def test_detect_fasttext_by_vec_extension(tmp_path):
    kv = _table()
    for name in ("a.vec", "a.vec.gz"):
        io.save(kv, tmp_path / name, "word2vec")
        assert io.detect_format(tmp_path / name) == "fasttext"
    # a binary file named .vec is still binary
    io.save(kv, tmp_path / "b.vec", "word2vec-binary")
    assert io.detect_format(tmp_path / "b.vec") == "word2vec-binary"


def test_format_can_be_forced(tmp_path):
    kv = _table()
    path = tmp_path / "v.txt"
    io.save(kv, path, "glove")
    assert io.detect_format(path) == "glove"
    assert io.load(path, "glove").equals(kv)
    # forcing word2vec on a headerless file names the problem and the fix
    with pytest.raises(FormatError, match=r"line 1: expected a 'count dim' header.*use format='glove'"):
        io.load(path, "word2vec")
    with pytest.raises(ConfigError, match="format=.xml. is not one of"):
        io.load(path, "xml")


def test_glove_with_dimension_one_and_first_word_numeric(tmp_path):
    # "12 0.5" could be a header; the next line having 0.5+1 fields decides it is GloVe
    path = tmp_path / "g.txt"
    path.write_text("12 0.5\n13 -1.25\nabc 2\n")
    assert io.detect_format(path) == "glove"
    kv = io.load(path)
    assert kv.words == ("12", "13", "abc")
    assert kv.vectors[:, 0].tolist() == [0.5, -1.25, 2.0]


def test_text_reader_accepts_tabs_crlf_trailing_spaces_blank_lines_and_bom(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"\xef\xbb\xbf2 3\r\nfoo 1 2 3 \r\n\r\nbar\t4\t5\t6\r\n\n")
    kv = io.load(path)
    assert kv.words == ("foo", "bar")
    assert kv.vectors.tolist() == [[1, 2, 3], [4, 5, 6]]
    glove = tmp_path / "g.txt"
    glove.write_bytes(b"\xef\xbb\xbffoo 1 2\nbar 3 4")  # no final newline: read, with a warning that it may be cut
    with pytest.warns(WvtoolWarning, match=r"g.txt: line 2 \(the last\) has no newline"):
        assert io.load(glove).vectors.tolist() == [[1, 2], [3, 4]]


def test_text_floats_read_like_python_float(tmp_path):
    # whatever the spelling, a value must parse to the float32 nearest to it
    spellings = ["1", "-2.5", "1e-3", "3.14159265358979", "-0", "+7", "1E+2", "0.000001", ".5", "6."]
    path = tmp_path / "v.txt"
    path.write_text(f"1 {len(spellings)}\nw {' '.join(spellings)}\n")
    expected = np.array([float(s) for s in spellings], dtype=np.float32)
    assert np.array_equal(io.load(path).vectors[0], expected)


def test_save_chooses_format_by_extension(tmp_path):
    kv = _table()
    assert (tmp_path / "a.txt").exists() is False
    io.save(kv, tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_bytes().startswith(f"{len(kv)} {kv.dim}\n".encode())
    io.save(kv, tmp_path / "a.glove")
    assert (tmp_path / "a.glove").read_bytes().startswith(b"w0 ")
    io.save(kv, tmp_path / "a.wv")
    assert (tmp_path / "a.wv").read_bytes().startswith(native.NATIVE_MAGIC)
    with pytest.raises(ConfigError, match=r"cannot tell the output format.*pass format=FORMAT"):
        io.save(kv, tmp_path / "a.xyz")


def test_save_refuses_words_that_cannot_be_written(tmp_path):
    kv = Vectors(["ok", "two words"], np.zeros((2, 3)))
    with pytest.raises(ConfigError, match="'two words', which contains whitespace ' ', in word2vec-binary format"):
        io.save(kv, tmp_path / "a.bin")
    assert not (tmp_path / "a.bin").exists()
    for bad in ["line\nbreak", " lead", "trail\t"]:
        with pytest.raises(ConfigError, match="in word2vec format; drop or rename it, or choose another format"):
            io.save(Vectors(["ok", bad], np.zeros((2, 3))), tmp_path / "a.txt")
    with pytest.raises(ConfigError, match="first word 'two words'"):
        io.save(Vectors(["two words", "ok"], np.zeros((2, 3))), tmp_path / "a.glove")
    # a byte-order mark starting the file is dropped by the reader: a first word starting with one would change
    with pytest.raises(ConfigError, match=r"first word '\\ufeffa', which starts with a byte-order mark .* in glove format"):
        io.save(Vectors(["\ufeffa", "z"], np.ones((2, 1))), tmp_path / "a.glove")
    io.save(Vectors(["z", "\ufeffa"], np.ones((2, 1))), tmp_path / "a.glove")  # later rows keep it
    assert io.load(tmp_path / "a.glove").words == ("z", "\ufeffa")
    with pytest.raises(ConfigError, match="^vectors has 0 dimensions; a word's vector needs at least one value$"):
        Vectors(["a"], np.zeros((1, 0)))  # no format could read it back (each reads a dimension of 0 as damage)
    # the native format stores any word without a newline
    io.save(kv, tmp_path / "a.wv")
    assert io.load(tmp_path / "a.wv").words == ("ok", "two words")
    with pytest.raises(ConfigError, match="empty word"):
        io.save(Vectors(["", "x"], np.zeros((2, 3))), tmp_path / "b.bin")


@pytest.mark.parametrize("fmt", RW_FORMATS)
def test_words_with_unicode_spaces_round_trip(tmp_path, fmt):
    # only ASCII whitespace separates fields; U+00A0, U+2009, U+3000 and U+0085 belong to the word
    kv = Vectors(["a\u00a0b", "thin\u2009space", "ideo\u3000graphic", "nel\u0085x", "plain"], np.eye(5, dtype=np.float32))
    p = tmp_path / ("u" + EXT[fmt])
    io.save(kv, p, fmt)
    assert io.load(p).equals(kv)


def test_empty_table_round_trips(tmp_path):
    kv = Vectors([], np.zeros((0, 4), dtype=np.float32))
    for fmt in ("word2vec", "word2vec-binary", "native"):
        p = tmp_path / ("e" + EXT[fmt])
        io.save(kv, p)
        back = io.load(p, fmt)
        assert len(back) == 0 and back.dim == 4


# --- native format ------------------------------------------------------------------------------


def test_native_is_memory_mapped_read_only_and_aligned(tmp_path):
    kv = _table(counts=True)
    path = tmp_path / "v.wv"
    io.save(kv, path)
    back = io.load(path)
    (m_off,) = struct.unpack_from("<Q", path.read_bytes(), native.NATIVE_HEADER.size - 8)
    assert m_off % 64 == 0
    assert path.stat().st_size == m_off + len(kv) * kv.dim * 4
    arr = back.vectors
    assert not arr.flags.writeable
    base = arr
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    base = getattr(base, "obj", base)  # np.frombuffer keeps a memoryview of the mmap
    assert isinstance(base, mmap.mmap)
    with pytest.raises(ValueError):
        arr[0, 0] = 1.0


def test_native_limit_reads_first_rows(tmp_path):
    kv = _table(counts=True)
    io.save(kv, tmp_path / "v.wv")
    back = io.load(tmp_path / "v.wv", limit=7)
    assert back.equals(kv.head(7)) and np.array_equal(back.counts, kv.counts[:7])


# --- binary layouts and chunk boundaries -----------------------------------------------------------


@pytest.mark.parametrize("layout", ["word2vec.c", "gensim", "mixed", "leading-newlines"])
def test_binary_layouts_at_every_chunk_size(tmp_path, layout):
    kv = _table(n=9, dim=3)
    words, vecs = list(kv.words), kv.vectors
    if layout == "word2vec.c":
        data = _w2v_binary(words, vecs, newline=True)
    elif layout == "gensim":
        data = _w2v_binary(words, vecs, newline=False)
    elif layout == "mixed":
        data = _w2v_binary(words, vecs, newline=[i % 2 == 0 for i in range(len(words))])
    else:
        data = _w2v_binary(words, vecs, newline=False, leading=b"\n\n")
    path = tmp_path / "v.bin"
    path.write_bytes(data)
    record = len("w0 ") + 3 * 4
    # every chunk size from 1 byte to beyond two records: boundaries land on every byte of a record
    for chunk in range(1, 2 * record + 5):
        back = io.load(path, chunk_size=chunk)
        assert back.words == kv.words, chunk
        assert np.array_equal(back.vectors, vecs), chunk


def test_binary_vectors_containing_space_and_newline_bytes(tmp_path):
    # float bytes 0x20 (space) and 0x0a (newline) inside vectors must not confuse the reader
    vals = np.frombuffer(b"\x20\x20\x20\x20\x0a\x0a\x0a\x0a\x20\x0a\x20\x0a", dtype="<f4").reshape(1, 3)
    words = ["a", "b", "c"]
    vecs = np.repeat(vals, 3, axis=0)
    path = tmp_path / "v.bin"
    for newline in (True, False):
        path.write_bytes(_w2v_binary(words, vecs, newline=newline))
        # (forced: vectors made only of whitespace bytes look like text to detection, legitimately)
        for chunk in (1, 2, 5, 16, 1 << 20):
            back = io.load(path, "word2vec-binary", chunk_size=chunk)
            assert back.words == tuple(words) and np.array_equal(back.vectors, vecs)


def test_text_at_every_chunk_size(tmp_path):
    kv = _table(n=6, dim=2)
    for fmt in ("word2vec", "glove"):
        path = tmp_path / ("v" + EXT[fmt])
        io.save(kv, path)
        for chunk in range(1, 60):
            assert io.load(path, chunk_size=chunk).equals(kv), (fmt, chunk)


# --- limit ---------------------------------------------------------------------------------------------


def test_binary_limit_does_not_read_the_rest(tmp_path):
    kv = _table(n=10, dim=4)
    good = _w2v_binary(list(kv.words), kv.vectors)
    # declare 1000 vectors, then 10 good ones and garbage: with --limit the garbage is never parsed
    data = b"1000 4\n" + good.split(b"\n", 1)[1] + b"\xff" * 5 + b"no spaces here"
    path = tmp_path / "v.bin"
    path.write_bytes(data)
    for chunk in (3, 17, 1 << 20):
        assert io.load(path, limit=10, chunk_size=chunk).equals(kv)
        assert io.load(path, limit=4, chunk_size=chunk).equals(kv.head(4))
    with pytest.raises(FormatError, match="record 11"):
        io.load(path)


def test_text_limit_does_not_read_the_rest(tmp_path):
    kv = _table(n=10, dim=4)
    path = tmp_path / "v.txt"
    io.save(kv, path)
    text = path.read_bytes().replace(b"10 4\n", b"500 4\n", 1) + b"broken line\n\x00\x01 garbage"
    path.write_bytes(text)
    assert io.load(path, limit=10).equals(kv)
    assert io.load(path, limit=3, chunk_size=5).equals(kv.head(3))
    assert len(io.load(path, limit=0)) == 0
    with pytest.raises(FormatError, match="line 12"):
        io.load(path)


@pytest.mark.parametrize("fmt", RW_FORMATS)
def test_limit_zero_gives_an_empty_table_with_the_dimension(tmp_path, fmt):
    p = tmp_path / ("v" + EXT[fmt])
    io.save(_table(dim=6), p)
    kv = io.load(p, limit=0)
    assert len(kv) == 0 and kv.dim == 6


def test_limit_larger_than_file_reads_everything(tmp_path):
    kv = _table()
    for fmt in RW_FORMATS:
        p = tmp_path / ("v" + EXT[fmt])
        io.save(kv, p)
        assert io.load(p, limit=10_000).equals(kv)


def test_limit_on_gzip_file(tmp_path):
    kv = _table(n=50, dim=4)
    p = tmp_path / "v.bin.gz"
    raw = _w2v_binary(list(kv.words), kv.vectors)
    p.write_bytes(gzip.compress(raw[: len(raw) - 7]))  # truncated at the end: --limit never sees it
    assert io.load(p, limit=20).equals(kv.head(20))
    with pytest.raises(FormatError, match="record 50.*declares 50"):
        io.load(p)


def test_bad_limit(tmp_path):
    p = tmp_path / "v.txt"
    io.save(_table(), p)
    with pytest.raises(ConfigError, match=r"limit=-1 is out of range"):
        io.load(p, limit=-1)


# --- encodings ------------------------------------------------------------------------------------------


def _broken_utf8_file(tmp_path):
    # word2vec.c cuts words at 100 bytes, which can split a multibyte character
    cut = ("é" * 50).encode()[:99]  # ends with half of 'é'
    words = [b"ok", cut, b"fine", b"\xffbad"]
    vecs = np.arange(12, dtype=np.float32).reshape(4, 3)
    path = tmp_path / "broken.bin"
    path.write_bytes(_w2v_binary(words, vecs))
    return path, vecs


def test_broken_multibyte_word_strict_names_record_and_fix(tmp_path):
    path, _ = _broken_utf8_file(tmp_path)
    with pytest.raises(FormatError) as e:
        io.load(path)
    msg = str(e.value)
    assert str(path) in msg and "record 2" in msg and "pass unicode_errors='replace'" in msg
    assert "--unicode-errors replace" in e.value.render(_flag)


def test_broken_multibyte_word_replace_and_ignore(tmp_path):
    path, vecs = _broken_utf8_file(tmp_path)
    kv = io.load(path, unicode_errors="replace")
    assert kv.words == ("ok", "é" * 49 + "\ufffd", "fine", "\ufffdbad")
    assert np.array_equal(kv.vectors, vecs)
    kv = io.load(path, unicode_errors="ignore")
    assert kv.words == ("ok", "é" * 49, "fine", "bad")


def test_replacement_creating_duplicates_keeps_first_and_warns(tmp_path):
    words = [b"x\xff", b"x\xfe", b"y"]
    vecs = np.arange(9, dtype=np.float32).reshape(3, 3)
    path = tmp_path / "v.bin"
    path.write_bytes(_w2v_binary(words, vecs))
    with pytest.warns(WvtoolWarning, match="1 duplicate word"):
        kv = io.load(path, unicode_errors="replace")
    assert kv.words == ("x\ufffd", "y")
    assert np.array_equal(kv.vectors, vecs[[0, 2]])


def test_other_encoding(tmp_path):
    words = ["café", "straße"]
    vecs = np.ones((2, 2), dtype=np.float32)
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"2 2\n" + b"".join(w.encode("latin-1") + b" 1 1\n" for w in words))
    assert io.load(path, encoding="latin-1").words == tuple(words)
    with pytest.raises(FormatError, match=r"line 2.*not valid utf-8.*unicode_errors='replace'.*the right encoding"):
        io.load(path)
    binp = tmp_path / "latin1.bin"
    binp.write_bytes(_w2v_binary([w.encode("latin-1") for w in words], vecs))
    assert io.load(binp, encoding="latin-1").words == tuple(words)
    with pytest.raises(ConfigError, match="unknown encoding=.no-such-codec."):
        io.load(path, encoding="no-such-codec")
    # codecs that are not text encodings, or that do not read ASCII bytes as ASCII, are refused before reading
    for codec in ("rot13", "base64", "hex", "zlib", "undefined"):
        with pytest.raises(ConfigError, match=rf"^encoding='{codec}' is not a text encoding; use a Python codec name"):
            io.load(path, encoding=codec)
    for codec in ("utf-16", "utf-32", "punycode"):
        with pytest.raises(ConfigError, match=rf"^encoding='{codec}' does not read ASCII bytes as ASCII text.*iconv"):
            io.load(path, encoding=codec)
    assert io.load(path, encoding="utf-8-sig", unicode_errors="replace").words == ("caf\ufffd", "stra\ufffde")
    with pytest.raises(ConfigError, match="unicode_errors=.skip. is not one of"):
        io.load(path, unicode_errors="skip")


# --- info and convert --------------------------------------------------------------------------------------


def test_file_info(tmp_path):
    kv = _table(counts=True)
    rows = kv.vectors.copy()
    rows[5] = 0
    kv = Vectors(kv.words, rows, kv.counts)
    p = tmp_path / "v.bin"
    io.save(kv, p)
    info = io.file_info(p)
    norms = np.linalg.norm(rows.astype(np.float64), axis=1)
    assert info["format"] == "word2vec-binary"
    assert info["vectors"] == len(kv) and info["dim"] == kv.dim and info["dtype"] == "float32"
    assert info["file_size"] == p.stat().st_size
    assert info["zero_vectors"] == 1
    assert info["norm_min"] == 0.0
    assert info["norm_max"] == pytest.approx(norms.max())
    assert info["norm_mean"] == pytest.approx(norms.mean())
    assert info["sample_words"] == list(kv.words[:8])
    assert info["has_counts"] is False and info["compressed"] is False
    assert info["load_seconds"] >= 0
    assert io.file_info(p, limit=3)["vectors"] == 3


def test_convert_limit_normalize(tmp_path):
    kv = _table()
    src = tmp_path / "v.txt"
    io.save(kv, src)
    res = io.convert(src, tmp_path / "out.bin", limit=10, normalize=True)
    assert res["input_format"] == "word2vec" and res["output_format"] == "word2vec-binary"
    assert res["vectors"] == 10 and res["dim"] == kv.dim
    back = io.load(tmp_path / "out.bin")
    assert back.words == kv.words[:10]
    assert np.array_equal(back.vectors, kv.head(10).unit)
    res = io.convert(src, tmp_path / "out.data", to="glove")
    assert io.detect_format(tmp_path / "out.data") == "glove" and io.load(tmp_path / "out.data").equals(kv)


def test_top_level_api():
    assert wvtool.load is io.load and wvtool.save is io.save and wvtool.FORMATS == io.FORMATS


@pytest.mark.parametrize("fmt", ["word2vec", "word2vec-binary", "glove"])
def test_progress_reports_vectors_read(tmp_path, fmt):
    kv = _table(n=200, dim=3)
    p = tmp_path / ("v" + EXT[fmt])
    io.save(kv, p)
    calls = []
    io.load(p, progress=lambda done, total, info: calls.append((done, total)), chunk_size=256)
    assert len(calls) > 2
    dones = [d for d, _ in calls]
    assert dones == sorted(dones) and dones[-1] == 200
    assert all(t == (None if fmt == "glove" else 200) for _, t in calls)


def test_a_native_table_rebuilt_from_its_rows_shares_the_memory_map(tmp_path):
    rng = np.random.default_rng(3)
    kv = wvtool.Vectors([f"w{i}" for i in range(20)], rng.normal(size=(20, 4)).astype(np.float32))
    wvtool.save(kv, tmp_path / "t.wv")
    loaded = wvtool.load(tmp_path / "t.wv")
    again = wvtool.Vectors(loaded.words, loaded.vectors)  # read-only all the way down: no copy
    assert np.shares_memory(again.vectors, loaded.vectors)
    assert again.equals(kv)


@pytest.mark.parametrize("as_given", [str, lambda p: p])
def test_save_takes_a_single_inputs_path_as_one_path(tmp_path, as_given):
    kv = Vectors(["a", "b"], np.eye(2, dtype=np.float32))
    target = tmp_path / "so.txt"
    wvtool.save(kv, target)
    before = target.read_bytes()
    other = Vectors(["c", "d"], np.eye(2, dtype=np.float32))
    with pytest.raises(wvtool.FileError, match="same as the input file"):
        wvtool.save(other, target, inputs=as_given(target))
    assert target.read_bytes() == before


def test_save_checks_every_output_against_inputs_given_as_a_generator(tmp_path):
    kv = Vectors(["a", "b"], np.eye(2, dtype=np.float32))
    wvtool.save(kv, tmp_path / "p.tsv", format="projector")  # writes p.tsv and its metadata companion
    names = sorted(p.name for p in tmp_path.iterdir())
    companion = next(tmp_path / n for n in names if n != "p.tsv")
    before = companion.read_bytes()
    with pytest.raises(wvtool.FileError, match="same as the input file"):
        wvtool.save(kv, tmp_path / "p.tsv", format="projector", inputs=(p for p in [companion]))
    assert companion.read_bytes() == before
