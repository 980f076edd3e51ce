"""Opening input files (gzip detected by content) and writing output files safely.

Every output in wvtool goes through :func:`atomic_output`: the data is written to
a temporary file beside the target and renamed into place only when complete, so
a failed or interrupted run never leaves a half-written file over a good one.
"""

from __future__ import annotations

import bz2
import contextlib
import errno
import gzip
import io
import lzma
import os
import stat
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import FileError

GZIP_MAGIC = b"\x1f\x8b"


#: byte-order marks a text file may start with, longest first (UTF-32's begins with UTF-16's)
BYTE_ORDER_MARKS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xef\xbb\xbf", "UTF-8"),
                    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def byte_order_mark(data: bytes) -> tuple[str, int] | None:
    """(encoding, length) of the byte-order mark ``data`` starts with, or None."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding, len(mark)
    return None


def check_readable(path) -> Path:
    """Return ``path`` as a Path, or raise FileError saying why it cannot be read (for ``archive.zip:member``, the
    archive: whether it holds the member is for :func:`open_source` to say)."""
    p = Path(_split_member(path)[0])
    if not p.exists():
        raise FileError(f"{p}: no such file; check the path")
    if p.is_dir():
        raise FileError(f"{p}: is a directory, not a file; give a file path")
    if not os.access(p, os.R_OK):
        raise FileError(f"{p}: permission denied; check the file's permissions")
    return p


def shown_name(path) -> str:
    """The name a table shows for a file: its last part, or the whole path for a file descriptor (the shell's
    ``<(...)`` gives ``/dev/fd/63``, whose last part alone says nothing)."""
    p = Path(path)
    return str(p) if p.name.isdigit() and p.parent.name == "fd" else p.name


def regular_size(path) -> int | None:
    """The size of ``path`` if it is a regular file (links followed); None for a FIFO, a device, standard input or a
    path that cannot be read (a pipe has no size, and it can be read only once)."""
    try:
        st = os.stat(path)
    except (OSError, TypeError, ValueError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def is_gzip(path) -> bool:
    """True if the file starts with the gzip magic bytes (whatever its extension)."""
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


STDIN = "-"  #: the path that means standard input
STDIN_NAME = "<stdin>"  #: what messages call standard input
STDOUT = "-"  #: the output path that means standard output
STREAM_NAME = "<stream>"  #: what messages call an open stream without a name


def open_input(path, buffer_size: int = 1 << 20) -> IO[bytes]:
    """Open ``path`` for binary reading, decompressing gzip transparently.

    Gzip, bzip2, xz and zip (see :func:`open_source`) are recognised by their
    magic bytes, whatever the file's name.  ``"-"`` means standard input; pipes and FIFOs
    work as well.  A damaged compressed stream raises FormatError naming the
    input and how far it got; an OS error while reading raises FileError.
    """
    return _open(path, buffer_size)[0]


def open_measured(path, buffer_size: int = 1 << 20):
    """:func:`open_input`, plus how far it has got: ``(stream, size, position)``.

    For a regular file (compressed or not) ``size`` is its size on disk and
    ``position()`` the bytes of it consumed so far, so progress over a gzip file
    counts compressed bytes; for a pipe or standard input both are None.
    """
    stream = _open(path, buffer_size)[0]
    disk = getattr(stream, "_wvtool_disk", None)
    if disk is None:
        return stream, None, None
    return stream, os.fstat(disk.fileno()).st_size, disk.tell


#: leading bytes -> compression, recognised by content whatever the file's name
COMPRESSIONS = (
    (GZIP_MAGIC, "gzip"),
    (b"BZh", "bzip2"),  # followed by a digit and the block magic, checked below
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive: its end-of-directory record alone
)
_MAGIC_BYTES = 10
#: compressions recognised only to be refused in one line (no reader in Python's standard library): magic, name,
#: the command that decompresses to stdout
UNREAD_COMPRESSIONS = (
    (b"\x28\xb5\x2f\xfd", "zstd", "zstd -dc"),
    (b"\x04\x22\x4d\x18", "lz4", "lz4 -dc"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "7z x -so"),
)


def _compression(magic: bytes) -> str | None:
    for prefix, kind in COMPRESSIONS:
        if magic.startswith(prefix):
            if kind == "bzip2" and not (magic[3:4].isdigit() and magic[4:10] in (b"1AY&SY", b"\x17rE8P\x90")):
                continue
            return kind
    return None


def _split_member(path) -> tuple[str, str | None]:
    """``archive.zip:member`` -> (archive, member) when the whole path does not exist but the archive does."""
    s = str(path)
    i = s.lower().find(".zip:")
    if i < 0 or os.path.exists(s):
        return s, None
    return s[: i + 4], s[i + 5 :]


def _open(path, buffer_size: int):
    """(stream, name, compression, regular uncompressed file object or None)."""
    member = None
    if hasattr(path, "read"):  # an open binary stream (read as a pipe: never memory-mapped)
        f, name, owned = path, str(getattr(path, "name", STREAM_NAME)), ()
    elif str(path) == STDIN:
        if sys.stdin is None:  # started with standard input closed (<&-)
            raise FileError("standard input is closed; give a file name instead of -, or pipe the input in")
        f, name, owned = sys.stdin.buffer, STDIN_NAME, ()
    else:
        path, member = _split_member(path)
        p = check_readable(path)
        name = str(p)
        try:
            f = open(p, "rb", buffering=buffer_size)
        except OSError as e:
            raise FileError(f"{p}: cannot open ({e.strerror or e}); check the path and permissions") from e
        owned = (f,)
    regular = bool(owned) and _is_regular(f)
    stream, name_, kind_, raw_ = _open_kinds(f, name, owned, member, regular, buffer_size)
    if regular:
        stream._wvtool_disk = f  # what open_measured reports progress from
    return stream, name_, kind_, raw_


def _open_kinds(f, name: str, owned: tuple, member, regular: bool, buffer_size: int):
    """The rest of :func:`_open`: recognise the compression and wrap the stream."""
    if regular:
        try:
            magic, raw = f.peek(_MAGIC_BYTES)[:_MAGIC_BYTES], f
        except OSError as e:  # e.g. an I/O error, or a link to /proc/self/mem
            for c in owned:
                c.close()
            raise FileError(f"{name}: cannot read ({e.strerror or e}); check the file or device") from None
    else:  # a pipe: its first bytes cannot be peeked, so read them and serve them again
        magic = _Guarded(f, name, ()).read(_MAGIC_BYTES)
        raw = _Prefixed(magic, f)
    kind = _compression(magic)
    if member is not None and kind != "zip":
        raise FileError(f"{name}: not a zip archive, so {member!r} cannot be read from it; give the path alone")
    if kind is None:
        for prefix, other, command in UNREAD_COMPRESSIONS:
            if magic.startswith(prefix):
                for c in owned:
                    c.close()
                raise FileError(f"{name}: {other}-compressed, which wvtool does not read (it reads gzip, bzip2, xz "
                                f"and zip); decompress it first ({command} FILE > FILE.txt), or use gzip")
        if raw is f:
            return f, name, None, f
        return io.BufferedReader(_Guarded(raw, name, owned), buffer_size), name, None, None
    try:
        stream, name, closers = _decompressor(kind, raw, name, member, regular)
    except BaseException:
        for c in owned:
            c.close()
        raise
    return io.BufferedReader(_Guarded(stream, name, (*closers, *owned), kind), buffer_size), name, kind, None


def _decompressor(kind: str, raw, name: str, member: str | None, seekable: bool):
    """(decompressed stream, name for messages, objects to close) for a compressed input."""
    if kind == "gzip":
        gz = gzip.GzipFile(fileobj=raw, mode="rb")
        return gz, name, (gz,)
    if kind == "bzip2":
        bz = bz2.BZ2File(raw, "rb")
        return bz, name, (bz,)
    if kind == "xz":
        xz = lzma.LZMAFile(raw, "rb")
        return xz, name, (xz,)
    if not seekable:
        raise FileError(f"{name}: a zip archive cannot be read from a pipe (its index is at the end); unzip it first")
    try:
        zf = zipfile.ZipFile(raw)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        from .errors import FormatError

        raise FormatError(name, None, f"the zip archive is damaged ({e})", DAMAGED) from None
    files = [i for i in zf.infolist() if not i.is_dir()]
    names = [i.filename for i in files]
    if not files:
        dirs = len(zf.infolist())
        zf.close()
        only = f" (only {dirs} director{'ies' if dirs != 1 else 'y'})" if dirs else ""
        raise FileError(f"{name}: the zip archive holds no files{only}; give an archive holding the vector file, "
                        "or the file itself")
    if member is None and len(files) != 1:
        shown = ", ".join(repr(n) for n in names[:5]) + (", ..." if len(names) > 5 else "")
        zf.close()
        raise FileError(f"{name}: the zip archive holds {len(files)} files ({shown}); name one as {name}:MEMBER")
    if member is not None and member not in names:
        zf.close()
        raise FileError(f"{name}: the zip archive has no member {member!r}; it holds {', '.join(repr(n) for n in names[:5])}")
    info = files[0] if member is None else zf.getinfo(member)
    shown = f"{name}:{info.filename}"
    if info.flag_bits & 0x1:  # zipfile would ask for a password (RuntimeError)
        zf.close()
        raise FileError(f"{shown}: the member is encrypted; unzip it with its password first")
    try:
        ext = zf.open(info)
    except NotImplementedError:  # e.g. Deflate64 (9), which Windows uses for large files, or AES (99)
        zf.close()
        raise FileError(f"{shown}: the member is compressed with method {info.compress_type}, which wvtool cannot read "
                        "(it reads stored, deflate, bzip2 and lzma members); unzip it with another tool first") from None
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        zf.close()
        from .errors import FormatError

        raise FormatError(name, None, f"the zip archive is damaged ({e})", DAMAGED) from None
    return ext, shown, (ext, zf)


def _is_regular(f) -> bool:
    try:
        return stat.S_ISREG(os.fstat(f.fileno()).st_mode) and f.seekable()
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


class _Prefixed(io.RawIOBase):
    """A raw stream serving ``prefix`` first, then ``f`` (for pipes, whose first bytes cannot be peeked)."""

    def __init__(self, prefix: bytes, f):
        self._prefix = prefix
        self._f = f

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def read(self, n: int = -1) -> bytes:  # GzipFile reads its fileobj with read()
        if n is None or n < 0:
            data, self._prefix = self._prefix + self._f.read(), b""
            return data
        if self._prefix:
            data, self._prefix = self._prefix[:n], self._prefix[n:]
            return data
        return self._f.read1(n) if hasattr(self._f, "read1") else self._f.read(n)


class _Guarded(io.RawIOBase):
    """A raw stream that turns a damaged compressed stream or an OS read error into one-line wvtool errors.

    ``compression`` names the decompressor ``f`` is (None for a plain stream).  Closing it closes
    ``closers`` (the decompressor and the file it opened).
    """

    def __init__(self, f, name: str, closers=(), compression: str | None = None):
        self._f = f
        self._name = name
        self._closers = closers
        self._compression = compression
        self._done = 0  # bytes delivered so far

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        try:
            # at most 64 KiB a call: the good bytes before a damaged spot are delivered and counted
            n = self._f.readinto(memoryview(b)[: 1 << 16]) or 0
        except (zlib.error, EOFError, lzma.LZMAError, zipfile.BadZipFile, OSError) as e:
            raise self._error(e) from None
        self._done += n
        return n

    def _error(self, e: BaseException):
        if self._compression is None and isinstance(e, OSError):
            return FileError(
                f"{self._name}: cannot read after {self._done:,} bytes ({e.strerror or e}); check the file or device"
            )
        from .errors import FormatError

        what = "ends early" if isinstance(e, EOFError) else "is damaged"
        return FormatError(
            self._name,
            f"after {self._done:,} decompressed bytes",
            f"the {self._compression} stream {what} ({e})",
            "the download or copy is incomplete or corrupt; re-download or regenerate it",
        )

    def close(self) -> None:
        if not self.closed:
            for c in self._closers:
                c.close()
        super().close()


class Source:
    """An open input: its decompressed byte stream and the first bytes already read from it.

    ``head`` holds up to ``peek`` bytes read when the source was opened (format
    detection looks at them); :meth:`read` and :meth:`readline` serve those bytes
    first, then the rest of the stream, so a reader never reopens the input.
    ``name`` is what messages call the input (``archive.zip:member`` for a zip
    member).  ``compression`` is ``"gzip"``, ``"bzip2"``, ``"xz"``, ``"zip"`` or None.  ``size`` is the size on disk of an uncompressed regular file (None
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
    """Open ``path`` (or ``"-"``, standard input, or an open binary stream) as a :class:`Source` and read
    its first ``peek`` bytes.

    Compression (gzip, bzip2, xz, a zip archive holding one file or named as
    ``archive.zip:member``) is recognised by content and decompressed as a
    stream.  Raises FileError if the path cannot be read, FormatError if a
    compressed stream is damaged.
    """
    stream, name, compression, raw = _open(path, buffer_size)
    try:
        head = stream.read(peek)
    except BaseException:
        stream.close()
        raise
    return Source(name, stream, head, compression, raw, (stream,))


DAMAGED = "the file is damaged or is not in the format it claims; re-download or regenerate it"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def same_path(a, b) -> bool:
    """True if ``a`` and ``b`` name one file: the same file on disk (a link to it too), or the same path once resolved."""
    a, b = Path(a), Path(b)
    try:
        return _same_file(a, b) or a.resolve() == b.resolve()
    except OSError:
        return False


def check_output(path, inputs: Iterable = ()) -> Path:
    """Validate an output path before any work is done.

    Raises FileError if the directory is missing or not writable, if the path
    is a directory, or if it names one of ``inputs`` (which would be destroyed).
    ``inputs``: paths, or one path (a str or path-like is taken as one, never split into characters).
    """
    if isinstance(inputs, (str, bytes, os.PathLike)):
        inputs = [inputs]
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_symlink():  # the file it points to is the one written (atomic_output), so its directory must be there
        real = Path(os.path.realpath(p))
        if not real.parent.is_dir():
            raise FileError(f"{p}: a link to {str(real)!r}, whose directory {str(real.parent)!r} does not exist; "
                            "create it first, or remove the link")
        parent = real.parent
    if not parent.exists():
        raise FileError(f"{p}: output directory {str(parent)!r} does not exist; create it first or choose another output path")
    if not parent.is_dir():
        raise FileError(f"{p}: {str(parent)!r} is not a directory; choose another output path")
    if p.is_dir():
        raise FileError(f"{p}: is a directory; give a file name for the output")
    if not os.access(parent, os.W_OK):
        raise FileError(f"{p}: directory {str(parent)!r} is not writable; choose another output path")
    output_compression(p)  # a name that asks for a compression wvtool does not write
    for src in inputs:
        if str(src) == "-":
            continue
        if same_path(p, src):
            raise FileError(f"{p}: output path is the same as the input file; choose a different output path")
    return p


TEMP_MARK = ".wvtool-tmp"  #: part of every temporary output name: ``.{name}.wvtool-tmp.{pid}.{random}{ext}``


@contextlib.contextmanager
def atomic_output(path, inputs: Iterable = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    The temporary name is recognisable (``.NAME.wvtool-tmp.PID.XXXX.tmp.EXT``: it
    keeps the target's extension, which some writers choose their format by);
    temporary files a killed earlier run left for the same output are removed.
    On any exception, including KeyboardInterrupt, the temporary file is
    removed and the target is left untouched; an OS error while writing (disk
    full, quota, I/O error) becomes one FileError naming the output.
    """
    target = check_output(path, inputs)
    kind = _special_kind(target)
    if kind is not None:  # a device or a FIFO cannot be renamed onto: it is written as it stands
        yield from _write_through(target, kind)
        return
    # a symbolic link stays a link: the file it points to is the one replaced
    target = Path(os.path.realpath(target)) if target.is_symlink() else target
    parent = target.parent if str(target.parent) else Path(".")
    prefix = f".{target.name}{TEMP_MARK}."
    _remove_stale(parent, prefix)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}.", suffix=".tmp" + "".join(target.suffixes[-1:]), dir=parent)
    except OSError as e:
        raise _write_error(target, e) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates the file 0600: give the result the mode of the file it replaces, or the usual umask-based one
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:  # no file there yet
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(e, OSError) and not isinstance(e, BrokenPipeError):
            raise _write_error(target, e) from None
        raise


def _special_kind(path: Path) -> str | None:
    """What an existing output is if it is not a regular file (following links): a character device or a FIFO
    (written through), a block device or a socket (refused, FileError); None for a regular or missing file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
        what = "a block device" if stat.S_ISBLK(mode) else "a socket"
        raise FileError(f"{path}: is {what}, not a file; wvtool writes vectors to files, FIFOs and character "
                        "devices only; choose another output path")
    return None


def _write_through(target: Path, kind: str) -> Iterator[Path]:
    """The body of :func:`atomic_output` for a character device (``/dev/null``) or a FIFO: the writer writes to
    it directly; there is no file to keep whole, and nothing is removed on failure."""
    try:
        yield target
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            raise
        raise _write_error(target, e, f" (a {kind}, written directly)") from None


def _write_error(target: Path, e: OSError, what: str = "") -> FileError:
    reason = e.strerror or str(e)
    hint = {
        errno.ENOSPC: "free some space or write elsewhere",
        errno.EDQUOT: "free some space or write elsewhere",
        errno.EROFS: "choose a writable location",
        errno.EACCES: "check the directory's permissions",
    }.get(e.errno, "check the disk and the path")
    if what:  # written directly: part of it may be out
        return FileError(f"{target}{what}: cannot write the output ({reason}); {hint}")
    return FileError(f"{target}: cannot write the output ({reason}); nothing was written; {hint}")


def _remove_stale(parent: Path, prefix: str) -> None:
    """Remove temporary files of this output whose writing process no longer runs (killed runs leave them)."""
    try:
        names = [n for n in os.listdir(parent) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        pid_text = name[len(prefix) :].split(".", 1)[0]
        if not pid_text.isdigit() or _running(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(parent / name)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours
        return True
    return True


class _GzipOutput(gzip.GzipFile):
    """A gzip stream over a file it owns, recording ``name`` (the final name) in its header."""

    def __init__(self, raw, name: str):
        self._raw = raw
        super().__init__(filename=name, mode="wb", fileobj=raw, compresslevel=6, mtime=0)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


class WholeWrites:
    """A binary stream whose ``write`` writes every byte or raises (``BrokenPipeError`` for a closed pipe).

    A write to a pipe can come back short: CPython's buffered stdout returns the partial count when the reader
    goes away in the middle of a large write, and the writers ignore the count, so the rest would be dropped
    without an error.  Standard output is written through this.
    """

    def __init__(self, f):
        self._f = f

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            n = self._f.write(view[done:])
            if not n:  # None (would block) or 0: no progress; one more try raises if the pipe is gone
                n = self._f.write(view[done:]) or 0
                if not n:
                    raise BrokenPipeError(errno.EPIPE, "the output stream takes no more data")
            done += n
        return done

    def flush(self) -> None:
        self._f.flush()


#: output name ending -> the compression written (see :func:`open_output_stream`)
OUTPUT_COMPRESSIONS = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}


def output_compression(path) -> str | None:
    """The compression an output named ``path`` is written with (``"gzip"``, ``"bzip2"``, ``"xz"``), or None.

    A ``.zip`` name raises FileError: wvtool reads zip archives but does not write them.
    """
    name = Path(str(path)).name.lower()
    if name.endswith(".zip"):
        raise FileError(f"{path}: wvtool does not write zip archives; name the output .gz, .bz2 or .xz to "
                        "compress it, or zip the file afterwards")
    return next((kind for suffix, kind in OUTPUT_COMPRESSIONS.items() if name.endswith(suffix)), None)


class WriteOnly:
    """A file seen only through ``write``: NumPy then writes a ``.npy`` to a FIFO or a device (where
    :func:`atomic_output` writes through) in order, without the file position it asks a real file for."""

    def __init__(self, f):
        self._f = f

    def write(self, data) -> int:
        return self._f.write(data)

    def flush(self) -> None:
        self._f.flush()


def open_output_stream(tmp_path: Path, final_path) -> IO[bytes]:
    """Open a temporary output path for binary writing, compressed as the final name says (:func:`output_compression`:
    ``.gz``, ``.bz2``, ``.xz``).

    The gzip header records the final file name (without ``.gz``), not the temporary one.
    """
    kind = output_compression(final_path)
    raw = open(tmp_path, "wb", buffering=1 << 20)
    if kind == "gzip":
        return _GzipOutput(raw, Path(str(final_path)).name)
    if kind == "bzip2":
        return _Owning(bz2.BZ2File(raw, "wb", compresslevel=9), raw)
    if kind == "xz":
        return _Owning(lzma.LZMAFile(raw, "wb", preset=6), raw)
    return raw


class _Owning(io.BufferedIOBase):
    """A compressing writer that closes the file it writes to when it is closed."""

    def __init__(self, f, raw):
        self._f = f
        self._raw = raw

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self._f.write(data)

    def flush(self) -> None:
        self._f.flush()

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._f.close()
        finally:
            self._raw.close()
            super().close()

