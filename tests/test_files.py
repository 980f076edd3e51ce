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


# --- outputs that are not regular files: FIFOs and devices are written through, links followed ---------------


def _read_fifo_in_background(path):
    """Start a thread reading the FIFO ``path`` to its end; returns a function giving the bytes read."""
    import threading

    got = {}

    def read():
        with open(path, "rb") as fh:
            got["data"] = fh.read()

    t = threading.Thread(target=read, daemon=True)
    t.start()

    def result():
        t.join(30)
        return got["data"]

    return result


@pytest.fixture
def table(tmp_path):
    import numpy as np

    from wvtool import Vectors

    return Vectors([f"w{i}" for i in range(12)], np.random.default_rng(0).normal(size=(12, 5)).astype(np.float32))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", ["out.txt", "out.npy", "out.npz", "out.png"])
def test_a_fifo_output_is_written_through_not_replaced(tmp_path, table, name):
    import stat

    import numpy as np

    from wvtool import export_matrix, plot, save

    fifo = tmp_path / name
    os.mkfifo(fifo)
    data = _read_fifo_in_background(fifo)
    if name.endswith(".txt"):
        save(table, fifo)
        assert data().decode().splitlines()[0] == "12 5"
    elif name.endswith(".png"):
        plot(table, ["w1", "w2", "w3"], output=fifo)
        assert data()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        (tmp_path / "vocab.txt").write_text("w3\nw1\n")
        export_matrix(table, tmp_path / "vocab.txt", fifo)
        (tmp_path / ("copy" + fifo.suffix)).write_bytes(data())
        loaded = np.load(tmp_path / ("copy" + fifo.suffix))
        matrix = loaded if name.endswith(".npy") else loaded["embeddings"]
        np.testing.assert_array_equal(matrix, table.vectors[[3, 1]])
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the FIFO
    assert sorted(p.name for p in tmp_path.iterdir() if "wvtool-tmp" in p.name) == []


def test_a_link_stays_a_link_and_its_file_gets_the_output(tmp_path, table):
    from wvtool import load, save

    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    save(table, link)
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert load(real).words == table.words


def test_a_socket_is_refused_and_a_character_device_is_written_through(tmp_path, table):
    import socket

    from wvtool import files, save

    path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(FileError, match=r"s\.txt: is a socket, not a file; .*choose another output path"):
            save(table, path)
    assert files._special_kind(tmp_path / "missing") is None and files._special_kind(tmp_path) is None
    if os.path.exists("/dev/null"):
        assert files._special_kind("/dev/null") == "character device"


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_umasks(tmp_path):
    """The temporary file renamed over an output takes the old file's mode (a 640 file stayed 640); a new output
    gets 666 less the umask, as any file the user creates."""
    import stat

    old = tmp_path / "old.txt"
    old.write_text("x")
    os.chmod(old, 0o640)
    with atomic_output(old) as tmp:
        tmp.write_text("y")
    assert old.read_text() == "y" and stat.S_IMODE(os.stat(old).st_mode) == 0o640
    umask = os.umask(0o022)
    try:
        with atomic_output(tmp_path / "new.txt") as tmp:
            tmp.write_text("z")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == 0o644
