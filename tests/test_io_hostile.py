"""Hostile and broken files (issue 12): damaged gzip, lying headers, non-finite values, pipes, full disks."""

from __future__ import annotations

import errno
import gzip
import os
import re
import struct
import subprocess
import sys
import threading
import tracemalloc
import warnings

import numpy as np
import pytest

from wvtool import Vectors
from wvtool import formats as io
from wvtool.corpus import read_corpus
from wvtool.errors import ConfigError, FileError, FormatError, WvtoolWarning
from wvtool.files import atomic_output

#: the formats both read and written for a word table (a round trip is possible; a fastText model holds a
#: subword table and is tested in tests/test_fasttext_bin.py)
RW_FORMATS = tuple(f for f in io.READABLE if f in io.WRITABLE and f != "fasttext-bin")
EXT = {"word2vec": ".txt", "word2vec-binary": ".bin", "glove": ".glove", "fasttext": ".vec", "native": ".wv"}


def _table(n=6, dim=4, seed=0, counts=False):
    rng = np.random.default_rng(seed)
    c = np.arange(n, 0, -1) * 10 if counts else None
    return Vectors([f"w{i}" for i in range(n)], rng.normal(size=(n, dim)).astype(np.float32), c)


def _one_line(e) -> str:
    msg = str(e.value)
    assert "\n" not in msg and len(msg) < 600
    return msg


def _peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


# --- damaged gzip anywhere ------------------------------------------------------------------------


def _damaged_gzip(data: bytes) -> bytes:
    gz = bytearray(gzip.compress(data, mtime=0))
    mid = len(gz) // 2
    gz[mid : mid + 8] = bytes(b ^ 0x5A for b in gz[mid : mid + 8])
    return bytes(gz)


@pytest.mark.parametrize("fmt", RW_FORMATS)
@pytest.mark.parametrize("how", ["damaged", "cut"])
def test_damaged_gzip_is_one_line_naming_the_file(tmp_path, fmt, how):
    src = tmp_path / ("v" + EXT[fmt])
    io.save(_table(n=400, dim=8), src)
    data = src.read_bytes()
    p = tmp_path / ("bad" + EXT[fmt] + ".gz")
    p.write_bytes(_damaged_gzip(data) if how == "damaged" else gzip.compress(data)[:-40])
    with pytest.raises(FormatError) as e:
        kv = io.load(p, fmt)
        kv.vectors  # noqa: B018 (a native table checks its rows on first use)
    msg = _one_line(e)
    assert str(p) in msg and "gzip stream" in msg and "decompressed bytes" in msg
    # detection reads only the first bytes: if the damage lies beyond them it still answers
    try:
        assert io.detect_format(p) == fmt
    except FormatError as e2:
        assert "gzip stream" in str(e2)


def test_damaged_gzip_in_detection_and_in_a_corpus(tmp_path):
    p = tmp_path / "tiny.txt.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"garbage that is not deflate data" * 3)
    with pytest.raises(FormatError, match=r"tiny.txt.gz, after 0 decompressed bytes: the gzip stream is damaged"):
        io.detect_format(p)
    corpus = tmp_path / "corpus.txt.gz"
    corpus.write_bytes(_damaged_gzip(("the quick brown fox jumps over the lazy dog\n" * 2000).encode()))
    with pytest.raises(FormatError) as e:
        read_corpus([corpus], min_count=1)
    assert str(corpus) in _one_line(e) and "the gzip stream" in str(e.value)


# --- allocations bounded by what the file holds ---------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_binary_header_claiming_a_huge_dimension_allocates_nothing_big(tmp_path, gz):
    """A record is held whole before it is copied, so a header of 2e9 dimensions in front of 32 MB of zeros
    (32 KB compressed) used to buffer all 32 MB (a 3 GB bomb: all of it) before saying the file ends inside the
    first record; it is refused at the header, before any record is read."""
    data = b"3 2000000000\nw " + b"\x00" * (32 << 20)
    p = tmp_path / ("huge.bin" + (".gz" if gz else ""))
    p.write_bytes(gzip.compress(data) if gz else data)

    def run():
        with pytest.raises(FormatError) as e:
            io.load(p, "word2vec-binary")
        assert _one_line(e) == (
            f"{p}, line 1: the header declares 2,000,000,000 dimensions, more than a word2vec binary record wvtool "
            "reads can have (at most 1,000,000); the header (line 1) is damaged: fix its dimension, the second "
            "number, or re-download or regenerate the file")

    assert _peak_bytes(run) < 8 << 20


def test_binary_records_of_the_most_dimensions_read_and_one_more_is_refused(tmp_path):
    """The bound is the record's, not a file's: 1,000,000 values read back; 1,000,001 are refused on writing
    (the reader would refuse them) and on reading."""
    wide = Vectors(["a", "b"], np.arange(2_000_000, dtype=np.float32).reshape(2, 1_000_000))
    io.save(wide, tmp_path / "wide.bin")
    back = io.load(tmp_path / "wide.bin")
    assert back.words == ("a", "b") and np.array_equal(back.vectors, wide.vectors)
    wider = Vectors(["a"], np.zeros((1, 1_000_001), dtype=np.float32))
    with pytest.raises(ConfigError) as e:
        io.save(wider, tmp_path / "wider.bin")
    assert _one_line(e) == ("cannot write a table of 1,000,001 dimensions (a word2vec binary record holds at most "
                            "1,000,000 values) in word2vec-binary format; choose another format: native")
    p = tmp_path / "wider-by-hand.bin"
    p.write_bytes(b"1 1000001\na " + b"\x00" * 4_000_004)
    with pytest.raises(FormatError, match="declares 1,000,001 dimensions, more than a word2vec binary record"):
        io.load(p)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["wide.bin", "wider-by-hand.bin"]


@pytest.mark.parametrize("fmt", ["word2vec", "word2vec-binary"])
@pytest.mark.parametrize("dim", ["99999999999999999999999", "9223372036854775807", "2305843009213693952"])
def test_a_header_dimension_no_array_can_hold_is_one_line_naming_the_header(tmp_path, fmt, dim):
    """Beyond 2**61 - 1 float32 values a row cannot exist (numpy raised 'Maximum allowed dimension exceeded' or
    'array is too big' from the binary reader, and from either with --limit 0); text and binary say the same."""
    p = tmp_path / "huge"
    p.write_bytes(f"200 {dim}\n".encode() + (b"w 1 2\n" if fmt == "word2vec" else b"w \x00\x00\x80?\x01\x02"))
    for limit in (None, 0, 1):
        with pytest.raises(FormatError) as e:
            io.load(p, fmt, limit=limit)
        assert _one_line(e) == (
            f"{p}, line 1: the header declares {int(dim):,} dimensions, more than a vector can have (at most "
            "2,305,843,009,213,693,951 float32 values fit in memory); the header (line 1) is damaged: fix its "
            "dimension, the second number, or re-download or regenerate the file")
    assert io.detect_format(p) == fmt  # detection leaves the message to the reader
    with pytest.raises(FormatError, match="more than a vector can have"):
        io.load(p)


def test_a_binary_file_cut_inside_its_first_record_names_the_word(tmp_path):
    p = tmp_path / "cut.bin"
    io.save(_table(n=2, dim=3), p)
    p.write_bytes(p.read_bytes()[: len(b"2 3\nw0 ") + 9])
    with pytest.raises(FormatError) as e:
        io.load(p, "word2vec-binary")
    assert _one_line(e) == (f"{p}, record 1: 'w0' has 2 values (9 bytes) before the file ends but the header "
                            "declares 3 dimensions (12 bytes); the header's dimension is wrong or the file is "
                            "truncated; re-download or regenerate it")


@pytest.mark.parametrize("gz", [False, True])
def test_binary_header_claiming_a_huge_count_allocates_by_the_data(tmp_path, gz):
    kv = _table(n=3, dim=300)
    good = tmp_path / "v.bin"
    io.save(kv, good)
    data = b"4000000000 300\n" + good.read_bytes().split(b"\n", 1)[1]
    p = tmp_path / ("count.bin" + (".gz" if gz else ""))
    p.write_bytes(gzip.compress(data) if gz else data)

    def run():
        with pytest.raises(FormatError, match=r"record 4: the file ends after 3 complete vectors .* 4,000,000,000"):
            io.load(p)

    assert _peak_bytes(run) < 50 << 20


def test_compressed_native_is_streamed_and_stops_at_limit(tmp_path):
    kv = _table(n=20_000, dim=100, counts=True)  # an 8 MB matrix
    p = tmp_path / "v.wv.gz"
    io.save(kv, p)
    assert io.load(p).equals(kv)
    assert (io.load(p).counts == kv.counts).all()
    peak = _peak_bytes(lambda: io.load(p, limit=2))
    assert peak < 4 << 20, peak  # the words and one chunk, not the matrix
    assert io.load(p, limit=2).equals(kv.head(2))


@pytest.mark.parametrize("gz", [False, True])
def test_native_trailing_data_is_an_error(tmp_path, gz):
    p = tmp_path / "v.wv"
    io.save(_table(), p)
    data = p.read_bytes() + b"\x00" * 64
    q = tmp_path / ("t.wv" + (".gz" if gz else ""))
    q.write_bytes(gzip.compress(data) if gz else data)
    with pytest.raises(FormatError, match="data after the"):
        io.load(q)
    # and a cut file names what is missing
    data = p.read_bytes()[:-5]
    q.write_bytes(gzip.compress(data) if gz else data)
    with pytest.raises(FormatError, match="cut short|ends inside the matrix section"):
        io.load(q)


# --- native: non-finite values and every header field --------------------------------------------


def _native_bytes(tmp_path, kv) -> bytearray:
    p = tmp_path / "src.wv"
    io.save(kv, p)
    return bytearray(p.read_bytes())


def _matrix_offset(data) -> int:
    return struct.unpack_from("<Q", data, 64)[0]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_native_non_finite_value_is_refused_when_rows_are_first_used(tmp_path, bad):
    kv = _table(n=5, dim=3)
    data = _native_bytes(tmp_path, kv)
    struct.pack_into("<f", data, _matrix_offset(data) + 4 * (3 * 3 + 1), bad)  # row 4, value 2
    p = tmp_path / "nan.wv"
    p.write_bytes(bytes(data))
    loaded = io.load(p)  # the open stays cheap: nothing is read yet
    assert len(loaded) == 5 and loaded.words[3] == "w3"
    assert loaded.head(3).norms().shape == (3,)  # the rows before it are fine
    assert io.load(p)["w0"].tolist() == kv["w0"].tolist()  # a single good row is served without a full pass
    uses = (lambda t: t.norms(), lambda t: t.vectors, lambda t: t.cosines(np.ones(3)), lambda t: t["w3"],
            lambda t: t.unit_rows([0]), lambda t: t.unit)
    for use in uses:
        with pytest.raises(FormatError) as e:
            use(io.load(p))
        assert f"{p}, row 4: value 2 of 'w3' is" in _one_line(e)
    with pytest.raises(FormatError, match="row 4"):
        io.file_info(p)
    with pytest.raises(FormatError, match="row 4"):
        io.convert(p, tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()


def _field(data, offset, fmt, value):
    struct.pack_into(fmt, data, offset, value)
    return data


NATIVE_FIELDS = [
    ("flags", 12, "<I", 33, "header field flags: unknown flag bits 0x20"),
    ("training flag", 12, "<I", 17, "header field flags: the training flag and offset disagree"),
    ("training length", 120, "<Q", 5, "header field training length: is 5 but the header has no training settings"),
    ("output flag", 12, "<I", 9, "header field flags: the output-rows flag and offset disagree"),
    ("output offset", 104, "<Q", 128, "header field flags: the output-rows flag and offset disagree"),
    ("dim", 24, "<Q", 0, "header field dim: 0 dimensions"),
    ("dtype", 32, "<I", 7, "header field dtype"),
    ("reserved", 36, "<I", 1, "header field reserved"),
    ("words_offset", 40, "<Q", 0, "header field words_offset"),
    ("words_bytes", 48, "<Q", 1, "header field words_bytes"),
    ("counts_offset", 56, "<Q", 8, "header field counts_offset"),
    ("matrix_offset", 64, "<Q", 72, "header field matrix_offset"),
    ("n", 16, "<Q", 0, "words: the header declares 0 words|has data after the table"),
    ("n huge", 16, "<Q", 1 << 40, "header field words_bytes"),
    ("dim wide", 24, "<Q", 1 << 20, "cut short"),
    ("dim huge", 24, "<Q", 1 << 40, "header field dim: 1,099,511,627,776 dimensions, over the limit of 1,048,576"),
    ("version", 8, "<I", 9, "native format version 9"),
    # a word-only table's subword offsets (header bytes 72 to 103) are zeros, and it has no word rows
    ("subword offsets", 80, "<Q", 5, r"header field subword offsets: byte 80 is not 0 but the flags declare no subword "
                                     r"section \(a word-only table's header bytes 72 to 103 are zeros\); the file is "
                                     "damaged; regenerate it$"),
    ("subword offsets end", 103, "<B", 0x80, "header field subword offsets: byte 103 is not 0"),
    ("word-rows flag", 12, "<I", 5, "header field flags: the word-rows flag is set without the subword flag; the file "
                                    "is damaged; regenerate it$"),
]


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("name,offset,fmt,value,message", NATIVE_FIELDS, ids=[f[0] for f in NATIVE_FIELDS])
def test_native_header_fields_are_each_checked(tmp_path, name, offset, fmt, value, message, gz):
    data = _field(_native_bytes(tmp_path, _table(n=5, dim=3, counts=True)), offset, fmt, value)
    p = tmp_path / ("h.wv" + (".gz" if gz else ""))
    p.write_bytes(gzip.compress(bytes(data)) if gz else bytes(data))
    with pytest.raises(FormatError) as e:
        io.load(p).vectors  # noqa: B018
    msg = _one_line(e)
    if gz and name == "dim wide":
        message = "ends inside the matrix section"
    assert re.search(message, msg), msg


def test_native_words_and_counts_are_checked(tmp_path):
    data = _native_bytes(tmp_path, Vectors(["ab", "cd", "ef"], np.eye(3, dtype=np.float32), [3, 2, 1]))
    p = tmp_path / "w.wv"
    p.write_bytes(bytes(data).replace(b"ab\ncd", b"ab\nab", 1))
    with pytest.raises(FormatError, match=r"w.wv, words: duplicate word 'ab'"):
        io.load(p).vectors  # noqa: B018
    p.write_bytes(bytes(data).replace(b"ab\ncd", b"ab\n\nd", 1))
    with pytest.raises(FormatError, match="empty word"):
        io.load(p)
    m = _matrix_offset(data)
    c_off = struct.unpack_from("<Q", data, 56)[0]
    assert c_off < m
    bad = bytearray(data)
    struct.pack_into("<q", bad, c_off + 8, -5)
    p.write_bytes(bytes(bad))
    with pytest.raises(FormatError, match=r"counts, row 2: the count of 'cd' is negative \(-5\)"):
        io.load(p)


def test_an_empty_table_reads_back_or_is_refused_on_write(tmp_path):
    """GloVe's files always read back whole: an empty table, whose dimension a GloVe file cannot hold, is refused
    before anything is written (it was written as an empty file, which then could not be read); the formats with
    a header keep its dimension."""
    kv = Vectors([], np.ones((0, 3), dtype=np.float32))
    for target in (tmp_path / "empty.glove", tmp_path / "empty.glove.gz"):
        with pytest.raises(ConfigError) as e:
            io.save(kv, target)
        assert _one_line(e) == (
            "cannot write an empty table (0 words of 3 dimensions: GloVe has no header and takes its dimension from "
            "its first row, so an empty file cannot be read back) in glove format; choose another format: word2vec, "
            "word2vec-binary, fasttext, native")
    with pytest.raises(ConfigError, match="cannot write an empty table"):
        io.save(kv, "-", "glove")
    assert not list(tmp_path.iterdir())
    for fmt in ("word2vec", "word2vec-binary", "fasttext", "native"):
        p = tmp_path / ("empty" + EXT[fmt])
        io.save(kv, p)
        back = io.load(p)
        assert len(back) == 0 and back.dim == 3  # ("0 3\n" alone detects as word2vec text: the same table)


def test_an_empty_native_table_keeps_its_dimension(tmp_path):
    empty = Vectors([], np.zeros((0, 7), dtype=np.float32))
    io.save(empty, tmp_path / "e.wv")
    back = io.load(tmp_path / "e.wv")
    assert len(back) == 0 and back.dim == 7


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("dim", [2**62, 2**63 + 5, 2**64 - 1, 10**8, (1 << 20) + 1])
def test_a_native_dimension_over_the_limit_is_refused_before_anything_is_allocated(tmp_path, dim, gz):
    """128 bytes of an empty table declared any dimension: 2**62 and more was a numpy ValueError traceback, 10**8 an
    empty table that wide (the projector writer then took 1.3 GB for its line format)."""
    data = _native_bytes(tmp_path, Vectors([], np.zeros((0, 7), dtype=np.float32)))
    assert len(data) == 128
    struct.pack_into("<Q", data, 24, dim)
    p = tmp_path / ("wide.wv" + (".gz" if gz else ""))
    p.write_bytes(gzip.compress(bytes(data)) if gz else bytes(data))
    expected = (f"{p}, header field dim: {dim:,} dimensions, over the limit of 1,048,576 (the most wvtool reads or "
                "writes in a native file); the file is damaged or is not in the format it claims; re-download or "
                "regenerate it")

    def run():
        for limit in (None, 0):
            with pytest.raises(FormatError) as e:
                io.load(p, limit=limit)
            assert _one_line(e) == expected

    assert _peak_bytes(run) < 4 << 20  # less than one row of the smallest dimension refused
    with pytest.raises(FormatError, match="over the limit of 1,048,576"):
        io.convert(p, tmp_path / "p.tsv")
    with pytest.raises(FormatError, match="over the limit of 1,048,576"):
        io.file_info(p)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["src.wv", p.name]


def test_native_files_of_the_most_dimensions_read_and_one_more_is_refused_on_writing(tmp_path):
    widest = Vectors([], np.zeros((0, 1 << 20), dtype=np.float32))
    assert io.load(io.save(widest, tmp_path / "widest.wv")).dim == 1 << 20
    wider = Vectors([], np.zeros((0, (1 << 20) + 1), dtype=np.float32))
    with pytest.raises(ConfigError) as e:
        io.save(wider, tmp_path / "wider.wv")
    assert _one_line(e) == ("cannot write a table of 1,048,577 dimensions (a native row holds at most 1,048,576 "
                            "values) in native format; no format wvtool writes can hold it")
    assert [f.name for f in tmp_path.iterdir()] == ["widest.wv"]


# --- pipes, FIFOs and standard input --------------------------------------------------------------


@pytest.mark.parametrize("fmt", RW_FORMATS)
@pytest.mark.parametrize("gz", [False, True])
def test_every_format_loads_from_standard_input(tmp_path, fmt, gz):
    kv = _table(n=7, dim=5, counts=fmt == "native")
    p = tmp_path / ("v" + EXT[fmt] + (".gz" if gz else ""))
    io.save(kv, p)
    code = "import sys, wvtool; kv = wvtool.load('-'); sys.stdout.write(repr((kv.words, kv.vectors.tolist())))"
    out = subprocess.run([sys.executable, "-c", code], input=p.read_bytes(), capture_output=True, check=True).stdout
    words, rows = eval(out)  # noqa: S307 (our own repr)
    assert tuple(words) == kv.words and np.array_equal(np.array(rows, dtype=np.float32), kv.vectors)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("fmt", ["word2vec-binary", "native", "glove"])
def test_a_fifo_is_read_once_with_the_format_detected_from_its_first_bytes(tmp_path, fmt):
    kv = _table(n=50, dim=6)
    src = tmp_path / ("v" + EXT[fmt] + ".gz")
    io.save(kv, src)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as f:
            f.write(src.read_bytes())

    t = threading.Thread(target=feed, daemon=True)
    t.start()
    info = io.file_info(fifo)
    t.join(10)
    assert info["format"] == fmt and info["vectors"] == 50 and info["compressed"]


# --- full disk ------------------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("name", ["v.txt", "v.bin.gz", "v.wv"])
def test_a_full_disk_is_one_line_naming_the_output_and_leaves_nothing(tmp_path, monkeypatch, name):
    import wvtool.formats as formats_pkg

    monkeypatch.setattr(formats_pkg, "open_output_stream", lambda tmp, final: open("/dev/full", "wb"))
    target = tmp_path / name
    with pytest.raises(FileError) as e:
        io.save(_table(n=3000, dim=50), target)
    msg = _one_line(e)
    assert msg.startswith(f"{target}: cannot write the output (No space left on device)") and "free some space" in msg
    assert os.listdir(tmp_path) == []


def test_os_errors_inside_atomic_output_name_the_output(tmp_path):
    with pytest.raises(FileError, match=r"out.txt: cannot write the output \(Disk quota exceeded\)"):
        with atomic_output(tmp_path / "out.txt"):
            raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))
    assert os.listdir(tmp_path) == []


# --- temporary files and gzip names ---------------------------------------------------------------


def test_temporary_names_are_recognisable_and_stale_ones_are_removed(tmp_path):
    target = tmp_path / "v.txt"
    stale = tmp_path / ".v.txt.wvtool-tmp.999999999.abcd.tmp.txt"  # no such process
    live = tmp_path / f".v.txt.wvtool-tmp.{os.getpid()}.efgh.tmp.txt"  # a writer still running
    other = tmp_path / ".w.txt.wvtool-tmp.999999999.abcd.tmp.txt"  # another output's
    for f in (stale, live, other):
        f.write_text("partial")
    with atomic_output(target) as tmp:
        assert re.fullmatch(rf"\.v\.txt\.wvtool-tmp\.{os.getpid()}\.\w+\.tmp\.txt", tmp.name)
        tmp.write_text("done")
    assert target.read_text() == "done"
    assert not stale.exists() and live.exists() and other.exists()


def test_gzip_output_records_the_final_name(tmp_path):
    p = tmp_path / "vectors.txt.gz"
    io.save(_table(), p)
    data = p.read_bytes()
    assert data[3] & 0x08  # FNAME
    name = data[10 : data.index(b"\x00", 10)]
    assert name == b"vectors.txt"


# --- text details ---------------------------------------------------------------------------------


def test_a_headed_file_cut_inside_its_last_line_warns_naming_it(tmp_path):
    p = tmp_path / "cut.txt"
    p.write_bytes(b"2 3\na 1 2 3\nb 4 5 0.12")
    with pytest.warns(WvtoolWarning, match=r"cut.txt: line 3 \(the last\) has no newline"):
        kv = io.load(p)
    assert kv.vectors[1].tolist() == pytest.approx([4, 5, 0.12])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p.write_bytes(b"2 3\na 1 2 3\nb 4 5 6\n")
        io.load(p)
        p.write_bytes(b"2 3\na 1 2 3\nb 4 5 6\n  ")  # trailing blanks are not a cut row
        io.load(p)
        p.write_bytes(b"3 3\na 1 2 3\nb 4 5 6\nc 7 8 9")
        io.load(p, limit=2)  # the cut line is never read


@pytest.mark.parametrize("gz", [False, True])
def test_a_glove_file_cut_short_warns_naming_its_last_line(tmp_path, gz):
    """GloVe has no header promising rows, but a file cut 3 bytes short changed its last value without a word."""
    kv = _table(n=5, dim=4)
    whole = tmp_path / "v.glove"
    io.save(kv, whole)
    p = tmp_path / ("cut.glove" + (".gz" if gz else ""))
    data = whole.read_bytes()[:-3]
    p.write_bytes(gzip.compress(data) if gz else data)
    with pytest.warns(WvtoolWarning) as w:
        cut = io.load(p)
    assert [str(m.message) for m in w] == [
        f"{p}: line 5 (the last) has no newline at its end: the file may be cut short and that row's last value "
        "incomplete; check the file (or ignore this if it was written without a final newline)"]
    assert cut.words == kv.words and not np.array_equal(cut.vectors, kv.vectors)
    # cut inside its first (so only) line: the dimension comes from what is left of it
    p.write_bytes(b"the 0.1 0.2 0.")
    with pytest.warns(WvtoolWarning) as w:
        assert io.load(p).dim == 3
    assert [str(m.message) for m in w] == [
        f"{p}: line 1 (the last) has no newline at its end: the file may be cut short and that row's last value "
        "incomplete, and the dimension, taken from this first row, too small; check the file (or ignore this if it "
        "was written without a final newline)"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert io.load(whole).equals(kv)
        p.write_bytes(whole.read_bytes() + b"\n  ")  # trailing blanks are not a cut row
        io.load(p)
        p.write_bytes(whole.read_bytes()[:-3])
        io.load(p, limit=4)  # the cut line is never read


def test_an_underscored_number_is_named(tmp_path):
    p = tmp_path / "u.txt"
    p.write_bytes(b"2 3\na 1 2 3\nb 4 1_000 6\n")
    with pytest.raises(FormatError, match=r"u.txt, line 3: value 2 of 'b' is not a number: '1_000'"):
        io.load(p)


def test_long_words_round_trip_or_are_refused_on_write(tmp_path):
    long = "x" * 70_000
    kv = Vectors(["a", long], np.ones((2, 3), dtype=np.float32))
    with pytest.raises(ConfigError) as e:
        io.save(kv, tmp_path / "long.bin")
    assert "70,000 bytes long (more than 65,536)" in _one_line(e)
    assert not (tmp_path / "long.bin").exists()
    for ext in (".txt", ".glove", ".wv"):
        io.save(kv, tmp_path / ("long" + ext))
        assert io.load(tmp_path / ("long" + ext)).equals(kv)


def test_quoted_words_in_messages_are_bounded(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"2 3\na 1 2 3\n" + b"\xff" * 1_000_000 + b" 4 5 6\n")  # words of up to 1 MiB are read
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert "line 3" in _one_line(e) and "not valid utf-8" in str(e.value)
    p.write_bytes(b"2 3\na 1 2 3\n" + b"b" * 1_000_000 + b" 4 5\n")
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert "(1,000,000 characters) has 2 values" in _one_line(e)
    with pytest.warns(WvtoolWarning) as w:
        p.write_bytes(b"2 1\n" + (b"z" * 1000 + b" 1\n") * 2)
        io.load(p)
    assert len(str(w[0].message)) < 300


# --- the length of a text line is bounded by what a row can hold ----------------------------------

ENDLESS_GLOVE = ("line 1: no newline within its first 33,048,576 bytes: longer than any row wvtool reads (a word of "
                 "at most 1,048,576 bytes and at most 1,000,000 values of 32 bytes); the file is damaged or is not in "
                 "the format it claims; re-download or regenerate it")


def _gzip_stream(path, parts):
    with gzip.open(path, "wb", compresslevel=1) as f:
        for part in parts:
            f.write(part)


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("limit", [None, 0, 1])
def test_an_endless_first_glove_line_stops_at_the_line_bound(tmp_path, gz, limit):
    """A row of 'the 111...' then 40 MiB of '0' and no newline: before the bound, the whole line was buffered and
    parsed (about 10 times its size in memory; a 2 GB one took 19.6 GB and 188 s) to end in 'unreadable values'."""
    p = tmp_path / ("bomb.glove" + (".gz" if gz else ""))
    parts = [b"the " + b"1" * 1000, *[b"0" * (1 << 20)] * 40]
    if gz:
        _gzip_stream(p, parts)
    else:
        p.write_bytes(b"".join(parts))

    def run():
        with pytest.raises(FormatError) as e:
            io.load(p, limit=limit)
        assert _one_line(e) == f"{p}, {ENDLESS_GLOVE}"

    assert _peak_bytes(run) < 120 << 20  # the bound (33 MiB) and the chunks read past it, not the file


@pytest.mark.parametrize("fmt", ["word2vec", "glove", "fasttext"])
def test_a_line_longer_than_its_dimension_allows_is_named(tmp_path, fmt):
    """Once the dimension is known (header, or GloVe's first row), a line may hold a word of up to 1 MiB and 32
    bytes a value: a longer one is refused as soon as that much is read without a newline, or when it is parsed."""
    head = b"" if fmt == "glove" else b"3 3\n"
    first = 0 if fmt == "glove" else 1
    p = tmp_path / ("v.vec" if fmt == "fasttext" else "v")
    tail = ("longer than a row of 3 values can be (a word of at most 1,048,576 bytes and 32 bytes a value); the file "
            "is damaged or is not in the format it claims; re-download or regenerate it")
    p.write_bytes(head + b"a 1 2 3\nb " + b"0" * 5_000_000)  # no newline: stops at the bound
    for chunk_size in (1 << 22, 1 << 16):
        with pytest.raises(FormatError) as e:
            io.load(p, fmt, chunk_size=chunk_size)
        assert _one_line(e) == f"{p}, line {first + 2}: no newline within its first 1,048,672 bytes: {tail}"
    p.write_bytes(head + b"a 1 2 3\nb " + b"1 " * 600_000 + b"\nc 1 2 3\n")  # whole, within one chunk
    with pytest.raises(FormatError) as e:
        io.load(p, fmt)
    assert _one_line(e) == f"{p}, line {first + 2}: the line is 1,200,002 bytes long: {tail}"
    p.write_bytes(head + b"a 1 2 3\n" + b"b" * 1_048_576 + b" 1e-45 -2.2250738585072014e-308 3\n" + b"c 1 2 3\n")
    assert len(io.load(p, fmt)) == 3  # the longest word and values that fit are read


def test_text_writers_refuse_what_their_reader_would(tmp_path):
    word = "x" * (1 << 20) + "y"
    kv = Vectors(["a", word], np.ones((2, 3), dtype=np.float32))
    for ext in (".txt", ".glove", ".vec"):
        with pytest.raises(ConfigError) as e:
            io.save(kv, tmp_path / ("long" + ext))
        assert "1,048,577 bytes long (more than 1,048,576)" in _one_line(e)
    wide = Vectors(["a"], np.zeros((1, 1_000_001), dtype=np.float32))
    with pytest.raises(ConfigError) as e:
        io.save(wide, tmp_path / "wide.glove")
    assert _one_line(e) == ("cannot write a table of 1,000,001 dimensions (a text row holds at most 1,000,000 values) "
                            "in glove format; choose another format: native")
    assert not list(tmp_path.iterdir())


# --- GloVe 840B: words containing spaces -----------------------------------------------------------

GLOVE_840B_LIKE = (
    ", -0.1 0.2 0.3\n"
    ". . . 0.4 0.5 0.6\n"
    "at\u00a0name@domain.com 0.7 0.8 0.9\n"
    "-  - 1 2 3\n"
    "the 1.5 -2 0\n"
).encode()


def test_glove_840b_words_with_spaces_are_read(tmp_path):
    p = tmp_path / "glove.840B.300d.txt"
    p.write_bytes(GLOVE_840B_LIKE)
    assert io.detect_format(p) == "glove"
    kv = io.load(p)
    assert kv.words == (",", ". . .", "at\u00a0name@domain.com", "-  -", "the")
    assert kv["-  -"].tolist() == [1, 2, 3] and kv[". . ."].tolist() == pytest.approx([0.4, 0.5, 0.6])
    # with a header the dimension comes from it, even when the first word has spaces
    q = tmp_path / "headed.txt"
    q.write_bytes(b"2 2\nnew york 1 2\nparis 3 4\n")
    assert io.load(q).words == ("new york", "paris")


@pytest.mark.parametrize("fmt", ["word2vec", "fasttext", "glove", "native"])
def test_words_with_spaces_round_trip_where_the_format_allows(tmp_path, fmt):
    kv = Vectors(["first", "new york", "a  b\tc", "route 66"], np.arange(12, dtype=np.float32).reshape(4, 3))
    p = tmp_path / ("s" + EXT[fmt])
    io.save(kv, p)
    if fmt != "native":  # a text row's last dim fields are its vector: '66' stays in the word, and a warning says so
        line = 4 if fmt == "glove" else 5  # after the header, if any
        with pytest.warns(WvtoolWarning, match=rf"s\.\w+: line {line}: 'route 66' was read as one word with spaces"):
            back = io.load(p)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            back = io.load(p)
    assert back.equals(kv)


def test_words_with_spaces_are_refused_clearly_in_binary(tmp_path):
    kv = Vectors(["first", "new york"], np.zeros((2, 3), dtype=np.float32))
    with pytest.raises(ConfigError, match=r"'new york', which contains whitespace ' ', in word2vec-binary format"):
        io.save(kv, tmp_path / "s.bin")


def test_text_values_parse_without_numpy_warnings(tmp_path):
    """The text parser is numpy's supported loadtxt: a bad token is an error, never a DeprecationWarning."""
    p = tmp_path / "w.txt"
    p.write_bytes(b"2 3\na 1 2 3\nb 4 # 6\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FormatError, match=r"line 3: value 2 of 'b' is not a number: '#'"):
            io.load(p)
        p.write_bytes(b"2 3\r\na 1 2 3\r\nb 4 -inf 6e-2\r\n")
        with pytest.raises(FormatError, match=r"line 3: value 2 of 'b' is -inf"):
            io.load(p)
        p.write_bytes(b"2 3\r\na 1 2 3\r\nb 4 -5 6e-2\r\n")
        assert io.load(p).vectors.tolist() == [[1, 2, 3], [4, -5, np.float32(0.06)]]
