import gzip
import os

import pytest

from wvtool.errors import FileError
from wvtool.files import atomic_output, check_output, open_input


def test_open_input_detects_gzip_by_content(tmp_path):
    p = tmp_path / "no-extension"
    p.write_bytes(gzip.compress(b"hello world\n"))
    with open_input(p) as f:
        assert f.read() == b"hello world\n"
    q = tmp_path / "plain.gz"  # misleading extension, plain content
    q.write_bytes(b"plain\n")
    with open_input(q) as f:
        assert f.read() == b"plain\n"


def test_open_input_errors(tmp_path):
    with pytest.raises(FileError, match="no such file"):
        open_input(tmp_path / "missing.txt")
    with pytest.raises(FileError, match="is a directory"):
        open_input(tmp_path)


def test_atomic_output_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("good")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "good"
    assert os.listdir(tmp_path) == ["out.txt"]
    with atomic_output(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".txt"
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_output_cleans_up_on_interrupt(tmp_path):
    target = tmp_path / "out.bin"
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"x")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_check_output_errors(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("x")
    with pytest.raises(FileError, match="does not exist; create it first"):
        check_output(tmp_path / "nodir" / "out.txt")
    with pytest.raises(FileError, match="same as the input"):
        check_output(tmp_path / "." / "in.txt", inputs=[src])
    with pytest.raises(FileError, match="is a directory"):
        check_output(tmp_path)


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("peek", [0, 1, 5, 6, 7, 100])
def test_source_serves_peeked_bytes_then_the_stream(tmp_path, gz, peek):
    from wvtool.files import open_source

    data = b"first line\nsecond\n\nthird without newline"
    p = tmp_path / "f"
    p.write_bytes(gzip.compress(data) if gz else data)
    with open_source(p, peek=peek) as src:
        assert src.head == data[:peek]
        assert src.compression == ("gzip" if gz else None)
        assert src.size == (None if gz else len(data))
        assert src.readline(3) == b"fir"
        assert src.readline() == b"st line\n"
        assert src.read(4) == b"seco"
        assert src.readline() == b"nd\n"
        assert src.readline() == b"\n"
        assert src.read() == b"third without newline"
        assert src.read(10) == b"" and src.readline() == b""
