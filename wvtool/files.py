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
import stat
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


class Source:
    """An open input: its decompressed byte stream and the first bytes already read from it.

    ``head`` holds up to ``peek`` bytes read when the source was opened (format
    detection looks at them); :meth:`read` and :meth:`readline` serve those bytes
    first, then the rest of the stream, so a reader never reopens the input.
    ``name`` is what messages call the input.  ``compression`` is ``"gzip"`` or
    None.  ``size`` is the size on disk of an uncompressed regular file (None
    otherwise); :meth:`fileno` is then usable for memory mapping.
    """

    def __init__(self, name: str, stream: IO[bytes], head: bytes, compression: str | None, raw=None, closers=()):
        self.name = name
        self.head = head
        self.compression = compression
        self._stream = stream
        self._pending = head
        self._raw = raw
        self._closers = tuple(closers)
        self.size = os.fstat(raw.fileno()).st_size if raw is not None else None

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (all that remain if ``n < 0``); ``b""`` at the end."""
        pending = self._pending
        if not pending:
            return self._stream.read(n)
        if 0 <= n <= len(pending):
            self._pending = pending[n:]
            return pending[:n]
        self._pending = b""
        return pending + self._stream.read(-1 if n < 0 else n - len(pending))

    def readline(self, limit: int = -1) -> bytes:
        """One line including its newline (at most ``limit`` bytes if ``limit >= 0``)."""
        pending = self._pending
        if not pending:
            return self._stream.readline(limit)
        nl = pending.find(b"\n")
        end = nl + 1 if nl >= 0 else len(pending)
        if 0 <= limit < end:
            end = limit
        if nl >= 0 or end < len(pending) or end == limit:
            self._pending = pending[end:]
            return pending[:end]
        self._pending = b""
        return pending + self._stream.readline(-1 if limit < 0 else limit - len(pending))

    def fileno(self) -> int:
        """The descriptor of an uncompressed regular file (ValueError for any other input)."""
        if self._raw is None:
            raise ValueError(f"{self.name} is not an uncompressed regular file")
        return self._raw.fileno()

    def close(self) -> None:
        for c in self._closers:
            c.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_source(path, peek: int = 1 << 16, buffer_size: int = 1 << 20) -> Source:
    """Open ``path`` as a :class:`Source`, gzip recognised by content, and read its first ``peek`` bytes.

    Raises FileError if the path cannot be read, FormatError if a compressed
    stream is damaged within the first ``peek`` bytes.
    """
    from .errors import FormatError

    p = check_readable(path)
    try:
        f = open(p, "rb", buffering=buffer_size)
    except OSError as e:
        raise FileError(f"{p}: cannot open ({e.strerror or e}); check the path and permissions") from e
    try:
        if f.peek(2)[:2] == GZIP_MAGIC:
            gz = gzip.GzipFile(fileobj=f, mode="rb")
            stream, compression, raw, closers = io.BufferedReader(gz, buffer_size), "gzip", None, (gz, f)
        else:
            regular = stat.S_ISREG(os.fstat(f.fileno()).st_mode)
            stream, compression, raw, closers = f, None, (f if regular else None), (f,)
        head = stream.read(peek)
    except (OSError, EOFError) as e:
        f.close()
        raise FormatError(p, None, f"cannot read the file ({e})", DAMAGED) from e
    return Source(str(p), stream, head, compression, raw, closers)


DAMAGED = "the file is damaged or is not in the format it claims; re-download or regenerate it"


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
