"""Every kind of bad input: a typed one-line error naming the file and the line or record; no partial output."""

from __future__ import annotations

import gzip
import os
import warnings

import numpy as np
import pytest

from wvtool import Vectors
from wvtool import formats as io
from wvtool.errors import ConfigError, FileError, FormatError, WvtoolWarning


def _vecs(n=4, dim=3):
    rng = np.random.default_rng(1)
    return Vectors([f"w{i}" for i in range(n)], rng.normal(size=(n, dim)).astype(np.float32))


def _binary(kv, count=None, newline=True) -> bytes:
    head = f"{len(kv) if count is None else count} {kv.dim}\n".encode()
    end = b"\n" if newline else b""
    return head + b"".join(w.encode() + b" " + v.astype("<f4").tobytes() + end for w, v in zip(kv.words, kv.vectors, strict=True))


def _one_line(e) -> str:
    msg = str(e.value)
    assert "\n" not in msg
    return msg


# --- missing, unreadable, empty -------------------------------------------------------------------


def test_missing_file(tmp_path):
    p = tmp_path / "nope.bin"
    with pytest.raises(FileError) as e:
        io.load(p)
    assert str(p) in _one_line(e) and "no such file" in str(e.value)
    with pytest.raises(FileError):
        io.detect_format(p)


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(FileError, match="is a directory"):
        io.load(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path):
    p = tmp_path / "v.txt"
    io.save(_vecs(), p)
    p.chmod(0)
    try:
        with pytest.raises(FileError, match="permission denied"):
            io.load(p)
    finally:
        p.chmod(0o644)


def test_unreadable_file_as_root_is_simulated(tmp_path, monkeypatch):
    # root ignores permission bits; simulate the access check failing
    p = tmp_path / "v.txt"
    io.save(_vecs(), p)
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(FileError) as e:
        io.load(p)
    assert str(p) in _one_line(e) and "permission denied" in str(e.value)


@pytest.mark.parametrize("fmt", [None, "word2vec", "word2vec-binary", "glove", "native"])
def test_empty_file(tmp_path, fmt):
    p = tmp_path / "empty.bin"
    p.write_bytes(b"")
    with pytest.raises(FormatError) as e:
        io.load(p, fmt)
    assert str(p) in _one_line(e) and "empty" in str(e.value)


def test_empty_gzip_file(tmp_path):
    p = tmp_path / "empty.txt.gz"
    p.write_bytes(gzip.compress(b""))
    with pytest.raises(FormatError, match="empty"):
        io.load(p)


def test_blank_glove_file(tmp_path):
    p = tmp_path / "blank.txt"
    p.write_text("\n\n")
    with pytest.raises(FormatError, match="not a word-vector file|no vectors"):
        io.load(p)
    with pytest.raises(FormatError, match="no vectors"):
        io.load(p, "glove")


def test_not_a_vector_file(tmp_path):
    p = tmp_path / "prose.txt"
    p.write_text("Call me Ishmael. Some years ago, never mind how long\n")
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert f"{p}, line 1" in _one_line(e) and "force a format with format" in str(e.value)
    assert "with --format" in e.value.render(lambda name: f"--{name}")


# --- header disagrees with content --------------------------------------------------------------------


@pytest.mark.parametrize("newline", [True, False])
def test_truncated_binary_names_record_and_declared_count(tmp_path, newline):
    kv = _vecs(n=5)
    data = _binary(kv, newline=newline)
    p = tmp_path / "v.bin"
    for cut in (2, 7, 13, len(data) // 2) if newline else (1, 7, 13, len(data) // 2):
        p.write_bytes(data[:-cut])
        with pytest.raises(FormatError) as e:
            io.load(p, chunk_size=5)
        msg = _one_line(e)
        assert str(p) in msg and "declares 5" in msg and "truncated" in msg
        complete = len(data[:-cut]) - len(b"5 3\n")
        record_len = len(b"w0 ") + 12 + (1 if newline else 0)
        # the first incomplete record is the one named (a dangling newline does not count)
        assert f"record {complete // record_len + 1}" in msg or f"record {(complete + 1) // record_len + 1}" in msg


def test_binary_header_declares_more_than_present_is_not_a_memory_error(tmp_path):
    kv = _vecs(n=3)
    p = tmp_path / "v.bin"
    p.write_bytes(_binary(kv, count=10**12))
    with pytest.raises(FormatError, match=r"record 4: the file ends after 3 complete vectors but the header declares 1,000,000,000,000"):
        io.load(p)
    pgz = tmp_path / "v.bin.gz"
    pgz.write_bytes(gzip.compress(_binary(kv, count=10**12)))
    with pytest.raises(FormatError, match=r"record 4"):
        io.load(pgz)


def test_binary_more_records_than_declared(tmp_path):
    kv = _vecs(n=5)
    p = tmp_path / "v.bin"
    p.write_bytes(_binary(kv, count=3))
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert "record 4" in _one_line(e) and "with limit" in str(e.value)
    assert io.load(p, limit=3).equals(kv.head(3))


def test_text_fewer_lines_than_declared(tmp_path):
    kv = _vecs(n=4)
    p = tmp_path / "v.txt"
    io.save(kv, p)
    p.write_bytes(p.read_bytes().replace(b"4 3\n", b"6 3\n", 1))
    with pytest.raises(FormatError) as e:
        io.load(p)
    msg = _one_line(e)
    assert f"{p}, line 6" in msg and "ends after 4 vectors but the header declares 6" in msg


def test_text_more_lines_than_declared(tmp_path):
    kv = _vecs(n=4)
    p = tmp_path / "v.txt"
    io.save(kv, p)
    p.write_bytes(p.read_bytes().replace(b"4 3\n", b"2 3\n", 1))
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert f"{p}, line 4" in _one_line(e) and "more lines than the 2 vectors" in str(e.value)


def test_truncated_native_file(tmp_path):
    kv = _vecs(n=50, dim=8)
    p = tmp_path / "v.wv"
    io.save(kv, p)
    data = p.read_bytes()
    for cut in (1, 4 * 8, len(data) - 200, len(data) - 10):
        p.write_bytes(data[:-cut])
        with pytest.raises(FormatError) as e:
            io.load(p)
        assert str(p) in _one_line(e) and ("truncated" in str(e.value) or "shorter than" in str(e.value))


def test_native_with_wrong_version(tmp_path):
    p = tmp_path / "v.wv"
    io.save(_vecs(), p)
    data = bytearray(p.read_bytes())
    data[8] = 99
    p.write_bytes(bytes(data))
    with pytest.raises(FormatError, match="version 99"):
        io.load(p)


# --- rows ------------------------------------------------------------------------------------------------------


def test_row_with_too_few_values(tmp_path):
    p = tmp_path / "v.txt"
    p.write_text("3 4\na 1 2 3 4\nb 1 2 3\nc 1 2 3 4\n")
    with pytest.raises(FormatError) as e:
        io.load(p)
    msg = _one_line(e)
    assert f"{p}, line 3" in msg and "'b' has 3 values but the header declares 4" in msg


def test_rows_with_compensating_wrong_counts_are_caught(tmp_path):
    # one row short and the next one long: the total is right, the rows are not
    p = tmp_path / "v.txt"
    p.write_text("3 2\na 1 2\nb 1\nc 1 2 3\n")
    with pytest.raises(FormatError, match=r"line 3: 'b' has 1 values"):
        io.load(p)


def test_glove_row_with_wrong_count(tmp_path):
    p = tmp_path / "g.txt"
    p.write_text("a 1 2 3\nb 4 5 6\nc 7 8\n")
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert f"{p}, line 3" in _one_line(e) and "'c' has 2 values but the first row has 3" in str(e.value)


def test_dimension_mismatch_between_header_and_rows(tmp_path):
    kv = _vecs(n=3, dim=4)
    p = tmp_path / "v.txt"
    io.save(kv, p)
    p.write_bytes(p.read_bytes().replace(b"3 4\n", b"3 5\n", 1))
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert f"{p}, line 2" in _one_line(e) and "has 4 values but the header declares 5 dimensions" in str(e.value)


def test_dimension_mismatch_in_binary_header(tmp_path):
    # the header says 4 dimensions, records hold 3: the reader runs off the records and says so
    kv = _vecs(n=6, dim=3)
    p = tmp_path / "v.bin"
    p.write_bytes(_binary(kv).replace(b"6 3\n", b"6 4\n", 1))
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert str(p) in _one_line(e) and "record" in str(e.value)


def test_non_numeric_value(tmp_path):
    p = tmp_path / "v.txt"
    lines = ["5 3"] + [f"w{i} 1 2 3" for i in range(5)]
    lines[4] = "w3 1 two 3"
    p.write_text("\n".join(lines) + "\n")
    for chunk in (7, 1 << 20):
        with pytest.raises(FormatError) as e:
            io.load(p, chunk_size=chunk)
        msg = _one_line(e)
        assert f"{p}, line 5" in msg and "value 2 of 'w3' is not a number: 'two'" in msg


def test_value_with_trailing_garbage(tmp_path):
    p = tmp_path / "g.txt"
    p.write_text("a 1 2\nb 3 4x\n")
    with pytest.raises(FormatError, match=r"line 2: value 2 of 'b' is not a number: '4x'"):
        io.load(p)


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "NaN", "1e999"])
def test_nan_or_infinite_in_text(tmp_path, bad):
    p = tmp_path / "v.txt"
    p.write_text(f"3 2\na 1 2\nb 3 {bad}\nc 5 6\n")
    with pytest.raises(FormatError) as e:
        io.load(p)
    msg = _one_line(e)
    assert f"{p}, line 3" in msg and "value 2 of 'b'" in msg and "not a finite number" in msg and "damaged" in msg


def test_nan_in_binary(tmp_path):
    vecs = np.ones((3, 2), dtype=np.float32)
    vecs[2, 1] = 7.0  # a table holds finite numbers only: the file gets its inf after writing
    p = tmp_path / "v.bin"
    data = _binary(Vectors(["a", "b", "c"], vecs))
    assert data.count(np.float32(7.0).tobytes()) == 1
    p.write_bytes(data.replace(np.float32(7.0).tobytes(), np.float32(np.inf).tobytes()))
    with pytest.raises(FormatError, match=r"record 3: value 2 of 'c' is inf \(not a finite number\)"):
        io.load(p)


def test_binary_empty_word(tmp_path):
    v = np.ones(2, "<f4").tobytes()
    p = tmp_path / "v.bin"
    p.write_bytes(b"3 2\na " + v + b"\n " + v + b"\nc " + v + b"\n")
    with pytest.raises(FormatError, match=r"record 2: empty word"):
        io.load(p)


def test_binary_without_spaces(tmp_path):
    p = tmp_path / "v.bin"
    p.write_bytes(b"2 3\n" + b"\x01" * 200_000)
    with pytest.raises(FormatError, match="record 1: no word found"):
        io.load(p, "word2vec-binary")


def test_damaged_gzip_stream(tmp_path):
    p = tmp_path / "v.txt.gz"
    io.save(_vecs(n=2000), p)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert str(p) in _one_line(e)


# --- duplicates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["word2vec", "word2vec-binary", "glove"])
def test_duplicate_words_keep_first_and_warn_with_count(tmp_path, fmt):
    words = ["a", "b", "a", "c", "b", "a"]
    vecs = np.arange(12, dtype=np.float32).reshape(6, 2)
    p = tmp_path / "dup"
    if fmt == "word2vec-binary":
        p.write_bytes(_binary_raw(words, vecs))
    else:
        head = "6 2\n" if fmt == "word2vec" else ""
        p.write_text(head + "".join(f"{w} {v[0]:g} {v[1]:g}\n" for w, v in zip(words, vecs, strict=True)))
    with pytest.warns(WvtoolWarning, match=r"3 duplicate words skipped \(first occurrence kept\)"):
        kv = io.load(p, fmt)
    assert kv.words == ("a", "b", "c")
    assert np.array_equal(kv.vectors, vecs[[0, 1, 3]])


def _binary_raw(words, vecs) -> bytes:
    return f"{len(words)} {vecs.shape[1]}\n".encode() + b"".join(
        w.encode() + b" " + v.astype("<f4").tobytes() + b"\n" for w, v in zip(words, vecs, strict=True)
    )


# --- outputs ----------------------------------------------------------------------------------------------------


def test_missing_output_directory(tmp_path):
    src = tmp_path / "v.txt"
    io.save(_vecs(), src)
    with pytest.raises(FileError) as e:
        io.convert(src, tmp_path / "nodir" / "out.bin")
    assert "does not exist" in _one_line(e) and "nodir" in str(e.value)
    with pytest.raises(FileError, match="does not exist"):
        io.save(_vecs(), tmp_path / "nodir" / "out.bin")


def test_output_equal_to_input(tmp_path):
    src = tmp_path / "v.txt"
    io.save(_vecs(), src)
    before = src.read_bytes()
    with pytest.raises(FileError, match="same as the input"):
        io.convert(src, src, to="word2vec")
    # also through another spelling of the same path
    with pytest.raises(FileError, match="same as the input"):
        io.convert(src, tmp_path / "." / "v.txt")
    assert src.read_bytes() == before


def test_failed_conversion_leaves_no_partial_output(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_text("3 2\na 1 2\nb 1 x\nc 1 2\n")
    dst = tmp_path / "out.bin"
    with pytest.raises(FormatError):
        io.convert(src, dst)
    assert list(tmp_path.iterdir()) == [src]


def test_failure_while_writing_keeps_existing_output_and_no_temp_file(tmp_path):
    kv = _vecs(n=10_000, dim=4)
    dst = tmp_path / "out.txt"
    dst.write_text("precious\n")

    def boom(done, total, info):
        raise RuntimeError("disk full (simulated)")

    for fmt in ("word2vec", "word2vec-binary", "native"):
        with pytest.raises(RuntimeError):
            io.save(kv, dst, fmt, progress=boom)
        assert dst.read_text() == "precious\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


# --- text that is not a vector table is refused, not read as GloVe ---------------------------------------------


@pytest.mark.parametrize("name", ["p.tsv", "p.tsv.gz"])
def test_a_projector_vectors_file_is_recognised_and_refused(tmp_path, name):
    kv = _vecs(n=30, dim=5)
    out = tmp_path / name
    io.save(kv, out, "projector")
    with pytest.raises(FormatError) as e:
        io.load(out)
    assert _one_line(e).startswith(f"{out}: this is a projector file") and "cannot read it" in str(e.value)
    with pytest.raises(FormatError, match="this is a projector file"):
        io.file_info(out)
    # a GloVe table whose words are numbers is still GloVe (spaces, not tabs)
    numbers = tmp_path / "n.glove"
    io.save(Vectors(["1", "2", "3"], kv.vectors[:3]), numbers)
    assert io.detect_format(numbers) == "glove" and io.load(numbers).words == ("1", "2", "3")


@pytest.mark.parametrize("text, values, typical", [(b"1.5 3\na 1 2 3\n", "1 value", 3),
                                                    (b"abc 3\na 1 2 3\nb 4 5 6\n", "1 value", 3),
                                                    (b"1 3 4\na 1 2 3\nb 4 5 6\n", "2 values", 3)])
@pytest.mark.parametrize("chunk_size", [1, 1 << 22])
def test_a_broken_word2vec_header_is_an_error_at_line_1(tmp_path, text, values, typical, chunk_size):
    p = tmp_path / "h.txt"
    p.write_bytes(text)
    for forced in (None, "glove"):
        with pytest.raises(FormatError) as e:
            io.load(p, forced, chunk_size=chunk_size)
        msg = _one_line(e)
        assert msg.startswith(f"{p}, line 1: ") and f"would be a row of {values} but most rows after it have {typical}" in msg


@pytest.mark.parametrize("header, problem", [("-5 100", "its count is negative (-5)"),
                                             ("5 -100", "its dimension is negative (-100)"),
                                             ("-5 -100", "its count is negative (-5) and its dimension is negative (-100)")])
@pytest.mark.parametrize("fmt", ["word2vec", "word2vec-binary"])
def test_a_negative_header_says_which_number_is_negative(tmp_path, header, problem, fmt):
    """'-5 100' is no 'count dim' header to detection, so it was read as GloVe: 'would be a row of 1 value but most
    rows after it have 2' (the fields of float32 bytes); forced, 'expected a count dim header'."""
    good = tmp_path / ("v" + (".bin" if fmt == "word2vec-binary" else ".txt"))
    io.save(_vecs(n=20, dim=100), good)
    p = tmp_path / "neg"
    p.write_bytes(header.encode() + b"\n" + good.read_bytes().split(b"\n", 1)[1])
    fix = ("fix line 1: a word2vec header is 'COUNT DIM', the number of vectors and their dimension (two non-negative "
           "integers); or re-download or regenerate the file")
    for forced in (fmt, None, "glove"):
        with pytest.raises(FormatError) as e:
            io.load(p, forced)
        detail = "is damaged" if forced == fmt else "looks like a word2vec 'count dim' header, but"
        tail = "" if forced == fmt else ": not a GloVe row"
        assert _one_line(e) == f"{p}, line 1: {'the header ' if forced == fmt else ''}'{header}' {detail}" + (
            f": {problem}; {fix}" if forced == fmt else f" {problem}{tail}; {fix}")


def test_a_glove_table_of_one_dimension_keeps_its_phrases(tmp_path):
    """A first row of a word and one value followed by longer rows is refused only when those rows go on with
    numbers (a damaged header such as 'abc 100'): phrases are words."""
    p = tmp_path / "phrases.glove"
    p.write_bytes(b"abc 100\nnew york 1\nlos angeles 2\nw 3\n")
    assert io.load(p).words == ("abc", "new york", "los angeles", "w")


def test_a_word2vec_file_forced_as_glove_names_its_header(tmp_path):
    p = tmp_path / "w.txt"
    io.save(_vecs(n=20, dim=4), p)
    with pytest.raises(FormatError) as e:
        io.load(p, "glove")
    assert _one_line(e) == (f"{p}, line 1: '20 4' is a word2vec 'count dim' header, not a GloVe row (the rows after it "
                            "have 4 values); read the file as word2vec text: leave out format='glove'")
    assert io.load(p, "word2vec").equals(_vecs(n=20, dim=4))


@pytest.mark.parametrize("words, values", [(["2", "x", "y"], [[1], [2], [3]]),
                                           (["5", "a", "b", "c", "d", "e"], [[3], [1], [2], [3], [4], [5]]),
                                           (["7", "x"], [[123456792], [0.5]])])
def test_a_glove_table_whose_first_row_looks_like_a_header_reads_back_whole(tmp_path, words, values):
    kv = Vectors(words, np.array(values, dtype=np.float32))
    p = tmp_path / "d1.glove"
    io.save(kv, p)
    assert io.detect_format(p) == "glove"
    assert io.load(p).equals(kv)
    with gzip.open(tmp_path / "d1.glove.gz", "wb") as f:
        f.write(p.read_bytes())
    assert io.load(tmp_path / "d1.glove.gz").equals(kv)


def test_a_word_with_spaces_that_goes_on_with_numbers_is_warned_about(tmp_path):
    p = tmp_path / "s.txt"
    p.write_bytes(b"5 3\na 1 2 3 4\nb 1 2 3\nc 9 8 1 2 3\nd 1 2 3\ne 1 2 3\n")
    with pytest.warns(WvtoolWarning) as record:
        kv = io.load(p)
    assert kv.words == ("a 1", "b", "c 9 8", "d", "e")  # the documented rule: the last dim fields are the vector
    assert len(record) == 1
    msg = str(record[0].message)
    assert f"{p}: line 2: 'a 1' was read as one word" in msg and "(and 1 more such word)" in msg
    q = tmp_path / "phrases.txt"
    q.write_bytes(b"2 2\nnew york 1 2\nparis 3 4\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", WvtoolWarning)
        assert io.load(q).words == ("new york", "paris")


def test_a_dimension_one_short_is_refused_when_most_rows_go_on_with_numbers(tmp_path):
    """A header's dimension, or GloVe's first row, one value short: every row would become a word such as 'b 0.4'
    with a shifted vector.  When such words are most of the rows the file is refused, naming the cause."""
    kv = _vecs(n=6, dim=4)
    p = tmp_path / "h.txt"
    io.save(kv, p)
    p.write_bytes(b"6 3\n" + p.read_bytes().split(b"\n", 1)[1])
    word = kv.words[0]
    with pytest.raises(FormatError) as e:
        io.load(p)
    assert _one_line(e).startswith(f"{p}, line 2: 6 of 6 rows have more values than the dimension, 3 ('{word} ")
    assert _one_line(e).endswith("; the header's dimension (line 1) is wrong; fix it, or re-download or regenerate the file")
    g = tmp_path / "g.glove"
    io.save(kv, g)
    first, rest = g.read_bytes().split(b"\n", 1)
    g.write_bytes(first.rsplit(b" ", 1)[0] + b"\n" + rest)  # the first row lost its last value
    with pytest.raises(FormatError, match=r", line 2: 5 of 6 rows have more values than the dimension, 3 .*; the first "
                                          r"row, which sets it, is wrong; fix it"):
        io.load(g)


def test_text_rows_wider_than_the_reader_takes_are_refused_at_once(tmp_path):
    p = tmp_path / "wide.txt"
    p.write_bytes(b"0 100000000\n")  # an empty table that would claim 10^8 dimensions
    with pytest.raises(FormatError, match=r"wide.txt, line 1: the header declares 100,000,000 dimensions, more than a "
                                          r"text row wvtool reads can have \(at most 1,000,000 values\)"):
        io.load(p)
    g = tmp_path / "wide.glove"
    g.write_bytes(b"w" + b" 1" * 1_000_001 + b"\n")
    with pytest.raises(FormatError, match=r"wide.glove, the first row: 1,000,001 values, more than a text row wvtool "
                                          r"reads can have \(at most 1,000,000\)"):
        io.load(g)
    g.write_bytes(b"w" + b" 1" * 1_000_000 + b"\n")  # the widest row it reads
    assert io.load(g).dim == 1_000_000
    # the projector's rows are text rows too: no wider than the text writers write
    wide = Vectors(["w"], np.ones((1, 1_000_001), dtype=np.float32))
    with pytest.raises(ConfigError, match=r"^cannot write a table of 1,000,001 dimensions \(a projector row holds at "
                                          r"most 1,000,000 values\) in projector format; choose another format"):
        io.save(wide, tmp_path / "p.tsv")
    assert not (tmp_path / "p.tsv").exists()


@pytest.mark.parametrize("limit", [None, 1, 10])
def test_a_text_file_forced_as_binary_is_refused_at_record_1(tmp_path, limit):
    for kv, name in ((_vecs(n=20, dim=50), "w.txt"), (Vectors(["a", "b", "c"], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]), "t3.txt"),
                     (_vecs(n=5, dim=8), "f.vec")):
        p = tmp_path / name
        io.save(kv, p)
        with pytest.raises(FormatError) as e:
            io.load(p, "word2vec-binary", limit=limit)
        msg = _one_line(e)
        assert msg.startswith(f"{p}, record 1: the values of ") and "are text" in msg
        assert msg.endswith("read it as word2vec text: leave out format='word2vec-binary'")


def test_binary_vectors_are_not_taken_for_text(tmp_path):
    """Real float32 rows never read as number text: many one-record tables of small dimensions at many scales."""
    import io as stdio

    rng = np.random.default_rng(5)
    for dim in (2, 3, 4):
        for scale in (1e-3, 0.3, 1, 3000, 1e5):
            vecs = (rng.normal(size=(400, dim)) * scale).astype(np.float32)
            for row in vecs:
                data = f"1 {dim}\n".encode() + b"w " + row.astype("<f4").tobytes() + b"\n"
                assert np.array_equal(io.load(stdio.BytesIO(data), "word2vec-binary").vectors[0], row)


# --- wrong arguments to load / save / convert / file_info: one-line ConfigErrors naming the parameter -----------


def test_save_wants_the_table_first_and_a_name_or_binary_stream(tmp_path):
    from wvtool.errors import ConfigError

    kv = _vecs()
    with pytest.raises(ConfigError, match=r"^vectors must be a vector table, not a path \(str\); the table comes first"):
        io.save(str(tmp_path / "out.wv"), kv)
    with pytest.raises(ConfigError, match=r"^vectors must be a vector table .*not dict$"):
        io.save({"a": [1.0]}, tmp_path / "out.wv")
    with pytest.raises(ConfigError, match=r"^path must be a file name, '-' or a binary stream, not NoneType$"):
        io.save(kv, None)
    import io as stdio

    with pytest.raises(ConfigError, match=r"^path is a text-mode stream; open the file in binary mode \('wb'\)$"):
        io.save(kv, stdio.StringIO(), format="word2vec")
    with pytest.raises(ConfigError, match=r"^progress must be a callable"):
        io.save(kv, tmp_path / "out.wv", progress=5)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["x.zip", "x.ZIP", "x.txt.zip"])
def test_save_and_convert_refuse_a_zip_name(tmp_path, name):
    kv = _vecs()
    with pytest.raises(FileError, match=r"does not write zip archives"):
        io.save(kv, tmp_path / name)
    src = tmp_path / "in.txt"
    io.save(kv, src)
    with pytest.raises(FileError, match=r"does not write zip archives"):
        io.convert(src, tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]


def test_load_convert_and_file_info_name_a_bad_input(tmp_path):
    from wvtool.errors import ConfigError

    kv = _vecs()
    p = tmp_path / "v.bin"
    io.save(kv, p)
    with open(p) as text:  # text mode
        with pytest.raises(ConfigError, match=r"^path is a text-mode stream; open the file in binary mode \('rb'\)$"):
            io.load(text)
    with open(p, "rb") as binary:
        assert io.load(binary).words == kv.words
    for call, name in ((lambda: io.load(None), "path"), (lambda: io.file_info(None), "path"),
                       (lambda: io.convert(None, tmp_path / "o.txt"), "src")):
        with pytest.raises(ConfigError, match=rf"^{name} must be a file path, '-' or an open binary stream, not NoneType$"):
            call()
    with pytest.raises(ConfigError, match=r"^src is a vector table, not a file; write it with wvtool.save"):
        io.convert(kv, tmp_path / "o.txt")
    with pytest.raises(ConfigError, match=r"^dst must be a file name, '-' or a binary stream, not NoneType$"):
        io.convert(p, None)
    with pytest.raises(ConfigError, match=r"^progress must be a callable"):
        io.load(p, progress=5)
    with pytest.raises(ConfigError, match=r"^progress must be a callable"):
        io.convert(p, tmp_path / "o.txt", progress=5)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["v.bin"]


def test_a_forced_format_that_a_magic_number_contradicts_is_named(tmp_path):
    kv = _vecs()
    native, text = tmp_path / "v.wv", tmp_path / "v.txt"
    io.save(kv, native)
    io.save(kv, text)
    looks = "; the content looks like {} format: leave out format"
    for path, forced, seen in ((native, "glove", "native"), (native, "fasttext-bin", "native"), (text, "native", "word2vec")):
        with pytest.raises(FormatError) as e:
            io.load(path, format=forced)
        assert str(e.value).endswith(looks.format(seen)), (forced, str(e.value))
        with pytest.raises(FormatError) as e2:  # info and convert read the same way
            io.file_info(path, format=forced)
        assert str(e2.value) == str(e.value)
    # text forced as other text: the reader's own message, which already says what to do
    with pytest.raises(FormatError, match=r"read the file as word2vec text: leave out format='glove'$"):
        io.load(text, format="glove")
    damaged = tmp_path / "d.txt"  # a damaged word2vec header forced as word2vec keeps its reader's fix
    damaged.write_text("-5 3\na 1 2 3\n")
    with pytest.raises(FormatError, match="its count is negative.*re-download or regenerate the file$"):
        io.load(damaged, format="word2vec")
