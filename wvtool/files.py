"""Opening input files (gzip detected by content) and writing output files safely.

Every output in wvtool goes through :func:`atomic_output`: the data is written to
a temporary file beside the target and renamed into place only when complete, so
a failed or interrupted run never leaves a half-written file over a good one.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import FileError

GZIP_MAGIC = b"\x1f\x8b"


def check_readable(path) -> Path:
    """Return ``path`` as a Path, or raise FileError saying why it cannot be read."""
    p = Path(path)
    if not p.exists():
        raise FileError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise FileError(f"{p}: is a directory, not a file; give a file path")
    if not os.access(p, os.R_OK):
        raise FileError(f"{p}: permission denied; check the file's permissions")
    return p


def is_gzip(path) -> bool:
    """True if the file starts with the gzip magic bytes (whatever its extension)."""
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


def open_input(path, buffer_size: int = 1 << 20) -> IO[bytes]:
    """Open ``path`` for binary reading, decompressing gzip transparently.

    Gzip is recognised by its magic bytes, so a compressed file without a
    ``.gz`` extension works too.  ``"-"`` means standard input.
    """
    if str(path) == "-":
        import sys

        stream = sys.stdin.buffer
        head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
        return gzip.GzipFile(fileobj=stream) if head == GZIP_MAGIC else stream
    p = check_readable(path)
    try:
        if is_gzip(p):
            return io.BufferedReader(gzip.GzipFile(p, "rb"), buffer_size)
        return open(p, "rb", buffering=buffer_size)
    except OSError as e:
        raise FileError(f"{p}: cannot open ({e.strerror or e}); check the path and permissions") from e


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path, inputs: Iterable = ()) -> Path:
    """Validate an output path before any work is done.

    Raises FileError if the directory is missing or not writable, if the path
    is a directory, or if it names one of ``inputs`` (which would be destroyed).
    """
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise FileError(f"{p}: output directory {str(parent)!r} does not exist; create it first or choose another output path")
    if not parent.is_dir():
        raise FileError(f"{p}: {str(parent)!r} is not a directory; choose another output path")
    if p.is_dir():
        raise FileError(f"{p}: is a directory; give a file name for the output")
    if not os.access(parent, os.W_OK):
        raise FileError(f"{p}: directory {str(parent)!r} is not writable; choose another output path")
    for src in inputs:
        if str(src) == "-":
            continue
        s = Path(src)
        if _same_file(p, s) or p.resolve() == s.resolve():
            raise FileError(f"{p}: output path is the same as the input file; choose a different output path")
    return p


@contextlib.contextmanager
def atomic_output(path, inputs: Iterable = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    The temporary name keeps the target's extension (some writers choose their
    format by extension).  On any exception, including KeyboardInterrupt, the
    temporary file is removed and the target is left untouched.
    """
    target = check_output(path, inputs)
    parent = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp" + "".join(target.suffixes[-1:]), dir=parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates the file 0600; give the result the usual umask-based mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def open_output_stream(tmp_path: Path, final_path) -> IO[bytes]:
    """Open a temporary output path for binary writing, gzip-compressed if the final name ends in .gz."""
    if str(final_path).endswith(".gz"):
        return gzip.GzipFile(tmp_path, "wb", compresslevel=6, mtime=0)
    return open(tmp_path, "wb", buffering=1 << 20)
