"""Compressed downloads as distributed: gzip, bzip2, xz and zip, recognised by content and read as streams."""

from __future__ import annotations

import bz2
import gzip
import lzma
import warnings
import zipfile

import numpy as np
import pytest

from wvtool import Vectors
from wvtool import formats as io
from wvtool.errors import ConfigError, FileError, FormatError, WvtoolWarning

#: the formats both read and written for a word table (a round trip is possible; a fastText model holds a
#: subword table and is tested in tests/test_fasttext_bin.py)
RW_FORMATS = tuple(f for f in io.READABLE if f in io.WRITABLE and f != "fasttext-bin")
EXT = {"word2vec": ".txt", "word2vec-binary": ".bin", "glove": ".glove", "fasttext": ".vec", "native": ".wv"}
COMPRESS = {"gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress}
SUFFIX = {"gzip": ".gz", "bzip2": ".bz2", "xz": ".xz", "zip": ".zip"}


def _table(n=40, dim=6):
    rng = np.random.default_rng(3)
    return Vectors([f"w{i}" for i in range(n)], rng.normal(size=(n, dim)).astype(np.float32))


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


@pytest.mark.parametrize("fmt", RW_FORMATS)
@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz", "zip"])
def test_every_format_reads_from_every_compression_with_limit(tmp_path, fmt, kind):
    kv = _table()
    plain = tmp_path / ("v" + EXT[fmt])
    io.save(kv, plain)
    p = tmp_path / ("v" + EXT[fmt] + SUFFIX[kind])
    if kind == "zip":
        _zip(p, {plain.name: plain.read_bytes()})
    else:
        p.write_bytes(COMPRESS[kind](plain.read_bytes()))
    assert io.detect_format(p) == fmt
    assert io.load(p).equals(kv)
    assert io.load(p, limit=3).equals(kv.head(3))
    info = io.file_info(p)
    assert info["compression"] == kind and info["format"] == fmt and info["vectors"] == len(kv)
    # by content, not by name
    q = tmp_path / ("renamed" + EXT[fmt])
    q.write_bytes(p.read_bytes())
    assert io.load(q).equals(kv)


def test_zip_members_are_named_when_the_archive_holds_several(tmp_path):
    kv = _table()
    txt, vec = tmp_path / "a.txt", tmp_path / "b.vec"
    io.save(kv, txt)
    io.save(kv.head(5), vec)
    p = tmp_path / "glove.6B.zip"
    _zip(p, {"glove.6B.50d.txt": txt.read_bytes(), "sub/b.vec": vec.read_bytes()})
    with pytest.raises(FileError, match=r"glove.6B.zip: the zip archive holds 2 files \('glove.6B.50d.txt', 'sub/b.vec'\)"):
        io.load(p)
    assert io.load(f"{p}:glove.6B.50d.txt").equals(kv)
    assert io.detect_format(f"{p}:sub/b.vec") == "fasttext"
    assert io.load(f"{p}:sub/b.vec", limit=2).equals(kv.head(2))
    with pytest.raises(FileError, match="has no member 'nope.txt'"):
        io.load(f"{p}:nope.txt")
    # convert reads a member as load does (its check that the input exists looks at the archive)
    out = tmp_path / "g.wv"
    assert io.convert(f"{p}:glove.6B.50d.txt", out)["vectors"] == len(kv) and io.load(out).equals(kv)
    with pytest.raises(FileError, match=r"glove.6B.zip: the zip archive has no member 'nope.txt'; it holds "):
        io.convert(f"{p}:nope.txt", tmp_path / "h.wv")
    with pytest.raises(FileError, match=r"nothere.zip: no such file"):
        io.convert(f"{tmp_path / 'nothere.zip'}:glove.6B.50d.txt", tmp_path / "h.wv")
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"1 1\na 1\n")
    with pytest.raises(FileError, match="fake.zip: not a zip archive"):
        io.load(f"{fake}:x")


def test_zip_members_that_cannot_be_read_are_named_in_one_line(tmp_path):
    """An encrypted member, or one compressed with a method Python's zipfile lacks (Deflate64, which Windows uses
    for large files), is refused naming the member and what to do (they were a RuntimeError and a
    NotImplementedError traceback)."""
    kv = _table()
    txt = tmp_path / "a.txt"
    io.save(kv, txt)
    made = tmp_path / "made.zip"
    _zip(made, {"a.txt": txt.read_bytes()})
    data = made.read_bytes()
    central = data.index(b"PK\x01\x02")  # the member's central-directory entry: flags at +8, method at +10

    def patched(name, offset, value):
        b = bytearray(data)
        b[central + offset : central + offset + 2] = value.to_bytes(2, "little")
        p = tmp_path / name
        p.write_bytes(bytes(b))
        return p

    encrypted = patched("enc.zip", 8, 1)
    with pytest.raises(FileError, match=r"^.*enc.zip:a.txt: the member is encrypted; unzip it with its password first$"):
        io.load(encrypted)
    deflate64 = patched("d64.zip", 10, 9)
    with pytest.raises(FileError, match=r"^.*d64.zip:a.txt: the member is compressed with method 9, which wvtool cannot "
                                        r"read \(it reads stored, deflate, bzip2 and lzma members\); unzip it with another "
                                        r"tool first$"):
        io.load(deflate64)
    assert io.load(made).equals(kv)


def test_a_zip_archive_holding_no_files_says_so(tmp_path):
    """An empty archive starts with its end-of-directory record (PK\\x05\\x06), not a member's: it was taken for
    text, 'line 1: not a word-vector file'."""
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    dirs = tmp_path / "dirs.zip"
    with zipfile.ZipFile(dirs, "w") as z:
        z.writestr("sub/", "")
    for p, only in ((empty, ""), (dirs, " (only 1 directory)")):
        for name in (p, f"{p}:v.txt"):
            with pytest.raises(FileError) as e:
                io.load(name)
            assert str(e.value) == (f"{p}: the zip archive holds no files{only}; give an archive holding the vector "
                                    "file, or the file itself")


@pytest.mark.parametrize("kind", ["bzip2", "xz"])
def test_damaged_bzip2_and_xz_are_one_line(tmp_path, kind):
    kv = _table(n=300)
    plain = tmp_path / "v.txt"
    io.save(kv, plain)
    data = bytearray(COMPRESS[kind](plain.read_bytes()))
    mid = len(data) // 2
    data[mid : mid + 16] = bytes(16)
    p = tmp_path / ("bad.txt" + SUFFIX[kind])
    p.write_bytes(bytes(data))
    with pytest.raises(FormatError) as e:
        io.load(p)
    msg = str(e.value)
    assert "\n" not in msg and str(p) in msg and f"the {kind} stream" in msg
    p.write_bytes(bytes(data[: len(data) // 3]))
    with pytest.raises(FormatError, match=f"the {kind} stream ends early|the {kind} stream is damaged"):
        io.load(p)


def test_a_damaged_zip_archive_is_one_line(tmp_path):
    p = tmp_path / "v.zip"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(FormatError, match=r"v.zip: the zip archive is damaged"):
        io.load(p)


MAGIC = {"gzip": b"\x1f\x8b", "bzip2": b"BZh", "xz": b"\xfd7zXZ\x00"}
DECOMPRESS = {"gzip": gzip.decompress, "bzip2": bz2.decompress, "xz": lzma.decompress}


@pytest.mark.parametrize("fmt", RW_FORMATS)
@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz"])
def test_every_writable_format_is_written_compressed_as_its_name_says(tmp_path, fmt, kind):
    """A compressed name compresses the output, the format given or told by the name before the suffix."""
    kv = _table()
    plain = tmp_path / ("plain" + EXT[fmt])
    io.save(kv, plain)
    for name, given in ((f"by-name{EXT[fmt]}{SUFFIX[kind]}", None), (f"given.data{SUFFIX[kind]}", fmt)):
        p = tmp_path / name
        assert io.save(kv, p, given) == p
        data = p.read_bytes()
        assert data.startswith(MAGIC[kind]) and DECOMPRESS[kind](data) == plain.read_bytes()
        assert io.load(p).equals(kv)
        assert io.file_info(p)["compression"] == kind
        assert not [q.name for q in tmp_path.iterdir() if "wvtool-tmp" in q.name]


@pytest.mark.parametrize("kind", ["bzip2", "xz"])
def test_a_fasttext_model_and_a_projector_pair_are_compressed_too(tmp_path, kind):
    from pathlib import Path

    import gensim

    model = io.load(Path(gensim.__file__).parent / "test" / "test_data" / "toy-model.bin")
    p = io.save(model, tmp_path / f"m.bin{SUFFIX[kind]}")
    assert p.read_bytes().startswith(MAGIC[kind])
    assert io.detect_format(p) == "fasttext-bin" and io.load(p).equals(model)
    kv = _table()
    io.save(kv, tmp_path / f"p.tsv{SUFFIX[kind]}")
    meta = tmp_path / f"p-metadata.tsv{SUFFIX[kind]}"
    assert DECOMPRESS[kind](meta.read_bytes()).decode().split() == list(kv.words)
    rows = DECOMPRESS[kind]((tmp_path / f"p.tsv{SUFFIX[kind]}").read_bytes()).decode().splitlines()
    assert np.array_equal(np.array([r.split("\t") for r in rows], dtype=np.float32), kv.vectors)


def test_a_zip_output_name_is_refused_in_one_line_and_nothing_is_written(tmp_path):
    for fmt in (None, "word2vec"):
        with pytest.raises(FileError, match=r"v.txt.zip: wvtool does not write zip archives; name the output .gz, .bz2"):
            io.save(_table(), tmp_path / "v.txt.zip", fmt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", RW_FORMATS)
def test_save_streams_every_format_to_a_binary_stream_and_to_standard_output(tmp_path, fmt):
    import io as stdio
    import subprocess
    import sys

    kv = _table(n=9, dim=4)
    buf = stdio.BytesIO()
    assert io.save(kv, buf, fmt) is None
    ref = tmp_path / ("ref" + EXT[fmt])
    io.save(kv, ref)
    assert buf.getvalue() == ref.read_bytes()
    code = f"import sys, wvtool; wvtool.convert({str(ref)!r}, '-', to={fmt!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert out == ref.read_bytes()
    with pytest.raises(ConfigError, match="writing to a stream needs a format: pass format=FORMAT"):
        io.save(kv, buf)


@pytest.mark.parametrize("fmt", RW_FORMATS)
@pytest.mark.parametrize("kind", [None, "gzip", "xz"])
def test_load_reads_an_open_binary_stream(tmp_path, fmt, kind):
    import io as stdio

    kv = _table(n=12, dim=3)
    p = tmp_path / ("v" + EXT[fmt])
    io.save(kv, p)
    data = p.read_bytes() if kind is None else COMPRESS[kind](p.read_bytes())
    assert io.load(stdio.BytesIO(data)).equals(kv)
    assert io.load(stdio.BytesIO(data), limit=4).equals(kv.head(4))
    with open(p, "rb") as f:
        assert io.load(f).equals(kv)
    info = io.convert(stdio.BytesIO(data), tmp_path / "out.wv")
    assert info["input"] == "<stream>" and io.load(tmp_path / "out.wv").equals(kv)
    if fmt != "glove":  # (a headerless file cut at a line end is still a valid file)
        with pytest.raises(FormatError, match=r"<stream>"), warnings.catch_warnings():
            warnings.simplefilter("ignore", WvtoolWarning)
            io.load(stdio.BytesIO(data[: len(data) // 2]), fmt).vectors  # noqa: B018
