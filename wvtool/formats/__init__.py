"""Reading and writing vector files: word2vec text and binary, GloVe, fastText .vec, native.

Formats (the names in :data:`FORMATS`):

- ``word2vec``: text; a ``count dim`` header line, then ``word v1 ... vd`` per line.
- ``word2vec-binary``: the same header, then per record the word, one space,
  ``dim`` little-endian float32 values and, as word2vec.c writes it, a newline
  (gensim writes none; both layouts, even mixed, are read).
- ``glove``: word2vec text without the header line.
- ``fasttext``: fastText's ``.vec`` files, which are word2vec text.  Detection
  reports ``fasttext`` only for a ``.vec`` (or ``.vec.gz``) name; the content is
  identical to ``word2vec``.
- ``native``: wvtool's own single file (``.wv``): a header, the words as one
  UTF-8 blob, optional counts, and a 64-byte aligned float32 matrix that
  :func:`load` memory-maps read-only.

The format is detected from the file's content (:func:`detect_format`); the
extension is used only to tell ``fasttext`` from ``word2vec``.  Gzip input is
recognised by its magic bytes.  Every reader validates what it reads and
raises :class:`~wvtool.errors.FormatError` naming the file and the line or
record; duplicate words keep their first occurrence and are reported with a
:class:`~wvtool.errors.WvtoolWarning`.
"""

from __future__ import annotations

import dataclasses
import mmap
import os
import re
import struct
import time
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..errors import ConfigError, FormatError, WvtoolWarning
from ..files import GZIP_MAGIC, atomic_output, check_output, check_readable, open_input, open_output_stream
from ..progress import Progress, no_progress
from ..vectors import Vectors
from .options import UNICODE_ERRORS, LoadOptions

FORMATS = ("word2vec", "word2vec-binary", "glove", "fasttext", "native")

#: file extension -> format used by :func:`save` (a trailing ``.gz`` is ignored)
EXTENSIONS = {
    ".txt": "word2vec",
    ".bin": "word2vec-binary",
    ".vec": "fasttext",
    ".glove": "glove",
    ".wv": "native",
}


# --- native format layout -----------------------------------------------------------
NATIVE_MAGIC = b"\x89WVT\r\n\x1a\n"  # binary-safe: a text-mode transfer would mangle it
NATIVE_VERSION = 1
# magic, version, flags, n, dim, dtype code, reserved, words offset, words bytes, counts offset, matrix offset
_NATIVE_HEADER = struct.Struct("<8sIIQQIIQQQQ")
_NATIVE_HEADER_SIZE = 128  # the struct padded with zeros
_FLAG_COUNTS = 1
_DTYPE_F32LE = 1
_ALIGN = 64

_DEFAULT_CHUNK = 1 << 22  # bytes read at a time by the streaming readers
_MAX_WORD_BYTES = 1 << 16  # a longer "word" in a binary file means the file is not what it claims
_HEADER_RE = re.compile(rb"^\s*(\d+)\s+(\d+)\s*$")
_BOM = b"\xef\xbb\xbf"

_DAMAGED = "the file is damaged or is not in the format it claims; re-download or regenerate it"


# ======================================================================================
# detection
# ======================================================================================


def _strip_gz(path) -> str:
    name = Path(str(path)).name.lower()
    return name[:-3] if name.endswith(".gz") else name


def _read_head(path, n: int = 1 << 16) -> bytes:
    with open_input(path) as f:
        try:
            return f.read(n)
        except (OSError, EOFError) as e:
            raise FormatError(path, None, f"cannot read the file ({e})", _DAMAGED) from e


def _is_number(tok: bytes) -> bool:
    try:
        float(tok)
    except ValueError:
        return False
    return True


def detect_format(path) -> str:
    """The format of a vector file, one of :data:`FORMATS`, decided by its content.

    - native: the magic bytes;
    - word2vec text vs binary: a ``count dim`` header, then either a text line
      of ``dim + 1`` fields whose values are numbers (text) or not (binary);
    - GloVe: no header (the first line is a word followed by numbers);
    - fasttext: word2vec text whose name ends in ``.vec`` (or ``.vec.gz``).

    Raises FormatError for an empty file or content none of these fit.
    """
    check_readable(path)
    head = _read_head(path)
    if not head:
        raise FormatError(path, None, "the file is empty", "give a file of word vectors")
    if head.startswith(NATIVE_MAGIC):
        return "native"
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    nl = head.find(b"\n")
    first = head if nl < 0 else head[:nl]
    m = _HEADER_RE.match(first)
    if m:
        dim = int(m.group(2))
        rest = head[nl + 1 :] if nl >= 0 else b""
        rest = rest.lstrip(b"\n")
        if not rest:
            return _text_name(path)  # header only (or content missing): let the reader say what is wrong
        line_end = rest.find(b"\n")
        line = rest if line_end < 0 else rest[:line_end]
        try:
            fields = line.split()
            is_text = len(fields) == dim + 1 and all(_is_number(t) for t in fields[1:])
        except ValueError:
            is_text = False
        if is_text:
            return _text_name(path)
        # Not a text row.  A binary record has a word, a space, then raw bytes.
        space = rest.find(b" ")
        if 0 < space <= _MAX_WORD_BYTES:
            if not _looks_like_text(rest[: space + 1 + dim * 4]):
                return "word2vec-binary"
        return _text_name(path)  # text with a wrong row: the text reader reports the line
    fields = first.split()
    if len(fields) >= 2 and all(_is_number(t) for t in fields[1:]):
        return "glove"
    if len(fields) >= 2 and sum(_is_number(t) for t in fields[1:]) >= max(1, (len(fields) - 1) // 2):
        return "glove"  # mostly numbers: GloVe with a damaged row, reported by the reader
    raise FormatError(
        path,
        "line 1",
        "not a word-vector file: expected a 'count dim' header (word2vec), a word followed by numbers (GloVe) "
        "or the wvtool native magic bytes",
        "check the file, or force a format with --format",
    )


def _text_name(path) -> str:
    return "fasttext" if _strip_gz(path).endswith(".vec") else "word2vec"


def _looks_like_text(b: bytes) -> bool:
    """Printable ASCII/whitespace or valid UTF-8 without control characters."""
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\n\t\r " for c in s)


# ======================================================================================
# load
# ======================================================================================


def load(
    path,
    format: str | None = None,
    *,
    limit: int | None = None,
    encoding: str = "utf-8",
    unicode_errors: str = "strict",
    options: LoadOptions | None = None,
    progress: Progress | None = None,
    chunk_size: int = _DEFAULT_CHUNK,
) -> Vectors:
    """Read a vector file of any supported format into a :class:`Vectors` table.

    ``format`` forces a format (one of :data:`FORMATS`); by default it is
    detected from the content.  ``limit`` reads only the first ``limit``
    vectors and stops reading there.  ``encoding`` and ``unicode_errors``
    (``strict``, ``replace`` or ``ignore``) decode the words.  ``options``: a
    :class:`LoadOptions` holding these four settings instead (the keywords are
    then ignored).  ``progress`` is called as ``progress(done, total, info)``
    with vectors read so far.  ``chunk_size`` (bytes per read) exists for tests.
    """
    if options is None:
        options = LoadOptions(format=format, limit=limit, encoding=encoding, unicode_errors=unicode_errors)
    if chunk_size < 1:
        raise ConfigError(f"{{chunk_size={chunk_size}}} must be >= 1")
    p = check_readable(path)
    format = options.format or detect_format(p)
    limit, encoding, unicode_errors = options.limit, options.encoding, options.unicode_errors
    progress = progress or no_progress
    if format == "native":
        return _load_native(p, limit)
    reader = _read_binary if format == "word2vec-binary" else _read_text
    kwargs = dict(limit=limit, encoding=encoding, errors=unicode_errors, progress=progress, chunk_size=chunk_size)
    if reader is _read_text:
        kwargs["header"] = format != "glove"
    with open_input(p) as f:
        try:
            words, vecs, counts = reader(f, p, **kwargs)
        except (OSError, EOFError) as e:  # e.g. a damaged gzip stream
            raise FormatError(p, None, f"cannot read the file ({e})", _DAMAGED) from e
    return _make_vectors(p, words, vecs, counts)


def _make_vectors(path, words, vecs, counts) -> Vectors:
    try:
        return Vectors(words, vecs, counts, source=str(path))
    except ConfigError:  # duplicate words (the only thing Vectors can object to here)
        if len(set(words)) == len(words):
            raise
    words, vecs, counts = _dedupe(path, words, vecs, counts)
    return Vectors(words, vecs, counts, source=str(path))


def _dedupe(path, words: list[str], vecs: np.ndarray, counts):
    """Keep the first occurrence of each word; warn with the number dropped."""
    first: dict[str, int] = {}
    for i, w in enumerate(words):
        first.setdefault(w, i)
    keep = np.zeros(len(words), dtype=bool)
    keep[np.fromiter(first.values(), dtype=np.int64, count=len(first))] = True
    dups = [w for i, w in enumerate(words) if not keep[i]]
    n = len(dups)
    examples = ", ".join(repr(w) for w in list(dict.fromkeys(dups))[:3])
    warnings.warn(
        f"{path}: {n:,} duplicate word{'s' if n != 1 else ''} skipped (first occurrence kept), e.g. {examples}",
        WvtoolWarning,
        stacklevel=4,
    )
    words = [w for i, w in enumerate(words) if keep[i]]
    vecs = vecs[keep]
    counts = None if counts is None else counts[keep]
    return words, vecs, counts


def _decode_words(path, raw: list[bytes], encoding: str, errors: str, unit: str, first_number: list[int] | int):
    """Decode a batch of words; on a strict failure name the record/line."""
    try:
        if "\n".encode(encoding) == b"\n":  # ASCII-compatible: decode all words in one call
            joined = b"\n".join(raw)
            if joined.count(b"\n") == len(raw) - 1:
                return joined.decode(encoding, errors).split("\n") if raw else []
        return [w.decode(encoding, errors) for w in raw]
    except UnicodeDecodeError:
        pass
    for i, w in enumerate(raw):
        try:
            w.decode(encoding, errors)
        except UnicodeDecodeError as e:
            num = first_number[i] if isinstance(first_number, list) else first_number + i
            raise FormatError(
                path,
                f"{unit} {num}",
                f"word {w!r} is not valid {encoding} ({e.reason} at byte {e.start})",
                "pass --unicode-errors replace (or ignore), or the right --encoding",
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _parse_header(path, line: bytes):
    m = _HEADER_RE.match(line)
    if not m:
        shown = line[:80].decode("utf-8", "replace").strip()
        raise FormatError(
            path,
            "line 1",
            f"expected a 'count dim' header, found {shown!r}",
            "if the file has no header it is GloVe text: use --format glove",
        )
    count, dim = int(m.group(1)), int(m.group(2))
    if dim == 0 and count > 0:
        raise FormatError(path, "line 1", "the header declares 0 dimensions", _DAMAGED)
    return count, dim


def _read_header_line(f, path) -> bytes:
    line = f.readline(4096)
    if not line:
        raise FormatError(path, None, "the file is empty", "give a file of word vectors")
    if line.startswith(_BOM):
        line = line[len(_BOM) :]
    return line


# --- text ------------------------------------------------------------------------------


def _read_text(f, path, *, header: bool, limit, encoding, errors, progress, chunk_size):
    count = dim = None
    line_no = 0  # number of lines consumed so far
    if header:
        count, dim = _parse_header(path, _read_header_line(f, path))
        line_no = 1
        if limit is not None:
            count_wanted = min(count, limit)
        else:
            count_wanted = count
    else:
        count_wanted = limit
        if limit == 0:  # nothing to read, but the dimension comes from the first row
            line = f.readline()
            while line and not line.strip():
                line = f.readline()
            if not line:
                raise FormatError(path, None, "the file has no vectors (only blank lines)", "give a file of word vectors")
            dim = max(0, len(line.split()) - 1)
    total = count_wanted
    word_chunks: list[list[str]] = []
    vec_chunks: list[np.ndarray] = []
    n_read = 0
    leftover = b""
    first_block = not header
    eof = False
    read_size = chunk_size
    while not eof and (count_wanted is None or n_read < count_wanted):
        chunk = f.read(read_size)
        if not chunk:
            eof = True
            block, leftover = leftover, b""
            if block and not block.endswith(b"\n"):
                block += b"\n"
        else:
            data = leftover + chunk
            cut = data.rfind(b"\n")
            if cut < 0:  # a line longer than the chunk: read more at a time (keeps long lines linear)
                leftover = data
                read_size = max(chunk_size, len(leftover))
                continue
            block, leftover = data[: cut + 1], data[cut + 1 :]
            read_size = chunk_size
        if not block:
            continue
        if first_block:
            first_block = False
            if block.startswith(_BOM):
                block = block[len(_BOM) :]
        need = None if count_wanted is None else count_wanted - n_read
        words, vecs, dim, used_lines, n_rows, used_bytes = _parse_text_block(
            path, block, line_no, dim, header, need, encoding, errors
        )
        line_no += used_lines
        if used_bytes < len(block):  # stopped at the limit: keep the rest for the trailing-data check
            leftover = block[used_bytes:] + leftover
        if n_rows:
            word_chunks.append(words)
            vec_chunks.append(vecs)
            n_read += n_rows
            progress(n_read, total, {})
    if header and n_read < count_wanted:
        raise FormatError(
            path,
            f"line {line_no + 1}",
            f"the file ends after {n_read:,} vectors but the header declares {count:,}",
            "the file is truncated or its header is wrong; re-download or regenerate it",
        )
    if header and limit is None and not eof:
        # The declared vectors are read; anything but blank lines after them disagrees with the header.
        rest = leftover + f.read(chunk_size)
        while rest.strip() == b"":
            more = f.read(chunk_size)
            if not more:
                break
            rest = more
        if rest.strip():
            extra = rest.lstrip().split(b"\n", 1)[0][:40].decode("utf-8", "replace")
            raise FormatError(
                path,
                f"line {line_no + 1 + _leading_newlines(leftover)}",
                f"more lines than the {count:,} vectors the header declares (found {extra!r}...)",
                "fix the header's count, or read only the declared vectors with --limit",
            )
    if dim is None:
        if header:
            dim = 0
        else:
            raise FormatError(path, None, "the file has no vectors (only blank lines)", "give a file of word vectors")
    words = [w for chunk in word_chunks for w in chunk]
    vecs = np.concatenate(vec_chunks) if vec_chunks else np.zeros((0, dim), dtype=np.float32)
    return words, vecs, None


def _leading_newlines(b: bytes) -> int:
    stripped = b.lstrip()
    return b[: len(b) - len(stripped)].count(b"\n")


def _parse_text_block(path, block: bytes, line_no: int, dim, header: bool, need, encoding, errors):
    """Parse whole lines (``block`` ends with a newline) with numpy.

    Returns (words, vectors, dim, lines consumed, rows, bytes consumed).  ``line_no`` is the
    number of lines before the block; ``need`` caps the rows taken (limit).
    """
    a = np.frombuffer(block, dtype=np.uint8)
    ws = (a == 32) | ((a >= 9) & (a <= 13))  # ASCII whitespace, as bytes.split() sees it
    nl = np.flatnonzero(a == 10)
    tok_start = ~ws
    tok_start[1:] &= ws[:-1]
    # tokens per line (every line is non-empty: it includes its newline)
    line_starts = np.empty(len(nl), dtype=np.int64)
    line_starts[0] = 0
    line_starts[1:] = nl[:-1] + 1
    per_line = np.add.reduceat(tok_start, line_starts, dtype=np.int32)
    nonblank = np.flatnonzero(per_line)
    if need is not None and len(nonblank) > need:
        if need == 0:
            return [], None, dim, 0, 0, 0
        cut = int(nl[nonblank[need - 1]]) + 1
        return _parse_text_block(path, block[:cut], line_no, dim, header, None, encoding, errors)
    if len(nonblank) == 0:
        return [], None, dim, len(nl), 0, len(block)
    counts = per_line[nonblank]
    if dim is None:  # GloVe: the first row sets the dimension
        dim = int(counts[0]) - 1
        if dim < 1:
            raise FormatError(path, f"line {line_no + nonblank[0] + 1}", "a word without values", _DAMAGED)
    bad = np.flatnonzero(counts != dim + 1)
    if len(bad):
        i = int(nonblank[bad[0]])
        n_vals = int(per_line[i]) - 1
        line = _line_of(block, nl, i)
        word = line.split(None, 1)[0].decode(encoding, "replace")
        if header:
            problem = f"{word!r} has {n_vals} values but the header declares {dim} dimensions"
        else:
            problem = f"{word!r} has {n_vals} values but the first row has {dim}"
        raise FormatError(path, f"line {line_no + i + 1}", problem, "every row needs exactly one value per dimension; " + _DAMAGED)
    # the first field of each non-blank line is the word; the rest are parsed in one C call
    lines = block.split(b"\n")
    parts = [lines[i].split(None, 1) for i in nonblank.tolist()]
    raw = [p[0] for p in parts]
    numbers = b"\n".join([p[1] for p in parts])
    n_rows = len(nonblank)
    try:
        values = np.fromstring(numbers, dtype=np.float32, sep=" ")
        ok = values.size == n_rows * dim
    except ValueError:
        ok = False
    if not ok:
        _locate_bad_number(path, block, nl, nonblank, line_no, encoding)
        raise FormatError(path, f"lines {line_no + 1}-{line_no + len(nl)}", "unreadable values", _DAMAGED)
    vecs = values.reshape(n_rows, dim)
    _check_finite(path, vecs, lambda r: f"line {line_no + int(nonblank[r]) + 1}", lambda r: raw[r].decode(encoding, "replace"))
    line_numbers = (line_no + nonblank + 1).tolist()
    words = _decode_words(path, raw, encoding, errors, "line", line_numbers)
    return words, vecs, dim, len(nl), n_rows, len(block)


def _line_of(block: bytes, nl: np.ndarray, i: int) -> bytes:
    start = int(nl[i - 1]) + 1 if i > 0 else 0
    return block[start : int(nl[i])]


def _locate_bad_number(path, block, nl, nonblank, line_no, encoding):
    """Slow pass: find the first line with a value that is not a number."""
    for i in nonblank.tolist():
        fields = _line_of(block, nl, i).split()
        for j, tok in enumerate(fields[1:]):
            try:
                float(tok)
            except ValueError:
                raise FormatError(
                    path,
                    f"line {line_no + i + 1}",
                    f"value {j + 1} of {fields[0].decode(encoding, 'replace')!r} is not a number: "
                    f"{tok[:30].decode(encoding, 'replace')!r}",
                    _DAMAGED,
                ) from None


# --- binary ----------------------------------------------------------------------------


def _read_binary(f, path, *, limit, encoding, errors, progress, chunk_size):
    count, dim = _parse_header(path, _read_header_line(f, path))
    wanted = count if limit is None else min(count, limit)
    nbytes = dim * 4
    # Never trust the header with the allocation: a damaged count must give a
    # FormatError at the record where the data ends, not a MemoryError.
    size = os.fstat(f.fileno()).st_size if hasattr(f, "fileno") and not _is_gz(path) else 0
    cap = min(wanted, size // (nbytes + 2) + 1) if size else min(wanted, max(1, (1 << 26) // max(nbytes, 1)))
    out = np.empty((cap, dim), dtype="<f4")
    raw: list[bytes] = []
    append = raw.append
    buf = b""
    pos = 0
    i = 0
    eof = False
    while i < wanted:
        if i == cap and cap < wanted:  # grow the output (only when the header's count is not yet backed by data)
            cap = min(wanted, cap * 2)
            out = _grow(out, cap)
        # Find the records the buffer holds completely: a word, a space, nbytes of vector.  The
        # vectors are then copied out in one numpy call (rows of a sliding-window view of the buffer).
        blen = len(buf)
        find = buf.find
        starts: list[int] = []
        start_append = starts.append
        i0 = i
        last = blen - nbytes  # a word's space must come before this for its vector to be complete
        sp = -1
        for _ in range(cap - i0):
            # a word starts after the previous vector, possibly after a newline (word2vec.c writes one)
            sp = find(b" ", pos)
            if not 0 <= sp < last:
                break
            append(buf[pos:sp])
            start_append(sp + 1)
            pos = sp + 1 + nbytes
        i = i0 + len(starts)
        # a "word" that long means the header's dimension is wrong or the file is not word2vec binary
        if (sp < 0 and blen - pos > _MAX_WORD_BYTES) or sp - pos > _MAX_WORD_BYTES:
            _no_space(path, i, buf[pos : pos + 40])
        if starts and max(map(len, raw[i0:])) > _MAX_WORD_BYTES:
            r = next(k for k in range(i0, i) if len(raw[k]) > _MAX_WORD_BYTES)
            _no_space(path, r, raw[r][:40])
        if starts and nbytes:
            a = np.frombuffer(buf, dtype=np.uint8)
            window = np.lib.stride_tricks.as_strided(a, shape=(blen - nbytes + 1, nbytes), strides=(1, 1), writeable=False)
            out.view(np.uint8)[i0:i] = window[np.asarray(starts, dtype=np.intp)]  # (np.take would copy the window)
            del a, window
        progress(i, wanted, {})
        if i >= wanted:
            break
        if i == cap:
            continue  # the output is full but the header declares more: grow it and keep parsing
        if eof:
            raise FormatError(
                path,
                f"record {i + 1}",
                f"the file ends after {i:,} complete vectors but the header declares {count:,}",
                "the file is truncated or its header is wrong; re-download or regenerate it",
            )
        chunk = f.read(chunk_size)
        if not chunk:
            eof = True
        buf = buf[pos:] + chunk
        pos = 0
    progress(i, wanted, {})
    if limit is None and count == wanted:
        rest = buf[pos:]
        while not rest.strip():
            more = f.read(chunk_size)
            if not more:
                break
            rest = more
        if rest.strip():
            raise FormatError(
                path,
                f"record {count + 1}",
                f"data after the {count:,} vectors the header declares",
                "fix the header's count, or read only the declared vectors with --limit",
            )
    vecs = out[:i] if out.dtype == np.float32 else out[:i].astype(np.float32)
    _check_finite(path, vecs, lambda r: f"record {r + 1}", lambda r: raw[r].lstrip(_CRLF).decode(encoding, "replace"))
    return _decode_binary_words(path, raw, encoding, errors), vecs, None


_NEWLINES_AFTER_SPACE = re.compile(rb" [\r\n]+")
_CRLF = b"\r\n"


def _decode_binary_words(path, raw: list[bytes], encoding: str, errors: str) -> list[str]:
    """Decode the words of a binary file; drop the newline word2vec.c writes after each vector.

    Fast path: words never contain spaces, so join them with spaces, remove
    newlines that follow a separator, decode once and split.  Any problem
    (bad bytes in strict mode, an empty word) is located by the slow per-word pass.
    """
    if raw and " ".encode(encoding) == b" ":
        joined = b" ".join(raw)
        if b"\n" in joined or b"\r" in joined:
            joined = _NEWLINES_AFTER_SPACE.sub(b" ", joined).lstrip(b"\r\n")
        try:
            words = joined.decode(encoding, errors).split(" ")
        except UnicodeDecodeError:
            words = None
        if words is not None and len(words) == len(raw) and "" not in words:
            return words
    stripped = [w.lstrip(b"\r\n") for w in raw]
    if not all(stripped):
        r = stripped.index(b"")
        raise FormatError(path, f"record {r + 1}", "empty word (a space where a word should start)", _DAMAGED)
    return _decode_words(path, stripped, encoding, errors, "record", 1)


def _all_finite(a: np.ndarray) -> bool:
    """True if no NaN or infinity (checked in cache-sized blocks: no table-sized temporary)."""
    step = max(1, (1 << 20) // max(1, a.shape[1] if a.ndim == 2 else 1))
    return all(bool(np.isfinite(a[i : i + step]).all()) for i in range(0, len(a), step))


def _check_finite(path, vecs: np.ndarray, where, word) -> None:
    """Raise FormatError at the first NaN or infinite value; ``where(row)`` and ``word(row)`` describe its row."""
    if _all_finite(vecs):
        return
    finite = np.isfinite(vecs)
    r = int(np.flatnonzero(~finite.all(axis=1))[0])
    c = int(np.flatnonzero(~finite[r])[0])
    raise FormatError(path, where(r), f"value {c + 1} of {word(r)!r} is {vecs[r, c]} (not a finite number)", _DAMAGED)


def _grow(a: np.ndarray, rows: int) -> np.ndarray:
    b = np.empty((rows, a.shape[1]), dtype=a.dtype)
    b[: len(a)] = a
    return b


def _no_space(path, i, sample: bytes):
    raise FormatError(
        path,
        f"record {i + 1}",
        f"no word found (no space within {_MAX_WORD_BYTES:,} bytes, starting {sample!r})",
        "the header's dimension may be wrong or the file is damaged; re-download or regenerate it",
    )


# --- native ----------------------------------------------------------------------------


def _load_native(path: Path, limit) -> Vectors:
    if _is_gz(path):
        with open_input(path) as f:
            try:
                data = f.read()
            except (OSError, EOFError) as e:
                raise FormatError(path, None, f"cannot read the file ({e})", _DAMAGED) from e
        buf = memoryview(data)
    else:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                raise FormatError(path, None, "the file is empty", "give a file of word vectors")
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    size = len(buf)
    if size < _NATIVE_HEADER_SIZE:
        raise FormatError(path, "header", f"the file is {size} bytes, shorter than the native header", _DAMAGED)
    magic, version, flags, n, dim, dtype_code, _, w_off, w_len, c_off, m_off = _NATIVE_HEADER.unpack_from(buf, 0)
    if magic != NATIVE_MAGIC:
        raise FormatError(path, "header", "not a wvtool native file (wrong magic bytes)", "check --format")
    if version != NATIVE_VERSION:
        raise FormatError(path, "header", f"native format version {version}; this wvtool reads version {NATIVE_VERSION}", "upgrade wvtool")
    if dtype_code != _DTYPE_F32LE:
        raise FormatError(path, "header", f"unknown dtype code {dtype_code}", _DAMAGED)
    need = m_off + n * dim * 4
    if w_off + w_len > size or (flags & _FLAG_COUNTS and c_off + 8 * n > size) or need > size:
        raise FormatError(
            path,
            "header",
            f"the header declares {n:,} x {dim} vectors ({need:,} bytes) but the file has {size:,} bytes",
            "the file is truncated; regenerate it",
        )
    take = n if limit is None else min(n, limit)
    try:
        blob = bytes(buf[w_off : w_off + w_len]).decode("utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(path, "words", f"the word list is not valid UTF-8 ({e.reason})", _DAMAGED) from None
    words = blob.split("\n") if n else []
    if len(words) != n:
        raise FormatError(path, "words", f"the header declares {n:,} words but the word list has {len(words):,}", _DAMAGED)
    if take < n:
        words = words[:take]
    counts = None
    if flags & _FLAG_COUNTS:
        counts = np.frombuffer(buf, dtype="<i8", count=take, offset=c_off)
    vecs = np.frombuffer(buf, dtype="<f4", count=take * dim, offset=m_off).reshape(take, dim)
    if vecs.dtype != np.float32:  # big-endian machine
        vecs = vecs.astype(np.float32)
    # Words were checked unique when the file was written: build the index on first lookup.
    return Vectors(words, vecs, counts, source=str(path), check_unique=False)


def _is_gz(path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


# ======================================================================================
# save
# ======================================================================================


def format_for_path(path, param: str = "format") -> str:
    """The format :func:`save` picks for a file name (``.gz`` ignored); ConfigError if unknown.

    ``param`` names the caller's parameter that would choose the format instead.
    """
    name = _strip_gz(path)
    ext = os.path.splitext(name)[1]
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    known = ", ".join(f"{e} ({f})" for e, f in EXTENSIONS.items())
    raise ConfigError(f"cannot tell the output format from the name {str(path)!r}; use one of {known} or pass {{{param}=FORMAT}}")


_ASCII_WS = " \t\n\r\x0b\x0c"


def _check_words_writable(words, fmt: str) -> None:
    if not words:
        return
    # The readers split on ASCII whitespace only (as bytes.split() does), so a
    # no-break space or other Unicode space inside a word is fine.
    forbidden = "\n" if fmt == "native" else _ASCII_WS
    joined = "\x00".join(words)
    if not any(c in joined for c in forbidden) and "\x00\x00" not in joined and words[0] and words[-1]:
        return
    for w in words:
        if not w or any(c in w for c in forbidden):
            what = "an empty word" if not w else f"the word {w!r} contains whitespace"
            raise ConfigError(f"cannot write {what} in {fmt} format; drop or rename it first")


def save(
    vectors: Vectors,
    path,
    format: str | None = None,
    *,
    inputs: Iterable = (),
    progress: Progress | None = None,
) -> Path:
    """Write ``vectors`` to ``path`` atomically; return the path.

    The format is ``format`` or chosen by extension: ``.txt`` word2vec text,
    ``.bin`` word2vec binary, ``.vec`` fastText, ``.glove`` GloVe, ``.wv``
    native.  A ``.gz`` suffix compresses the output (native files are then not
    memory-mapped on load).  ``inputs`` are paths that must not be overwritten.
    Floats are written as ``%.9g``, which reads back to the identical float32.
    """
    if format is None:
        format = format_for_path(path)
    elif format not in FORMATS:
        raise ConfigError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    progress = progress or no_progress
    _check_words_writable(vectors.words, format)
    writer = {
        "word2vec": _write_text,
        "fasttext": _write_text,
        "glove": _write_text,
        "word2vec-binary": _write_binary,
        "native": _write_native,
    }[format]
    with atomic_output(path, inputs=inputs) as tmp:
        with open_output_stream(tmp, path) as out:
            writer(vectors, out, header=format != "glove", progress=progress)
    return Path(path)


def _write_text(vectors: Vectors, out, *, header: bool, progress):
    n, dim = len(vectors), vectors.dim
    if header:
        out.write(f"{n} {dim}\n".encode())
    vecs = vectors.vectors
    words = vectors.words
    fmt = " ".join(["%.9g"] * dim)
    step = 4096
    for s in range(0, n, step):
        rows = vecs[s : s + step].tolist()
        lines = [f"{w} {fmt % tuple(r)}\n" if dim else f"{w}\n" for w, r in zip(words[s : s + step], rows, strict=True)]
        out.write("".join(lines).encode("utf-8"))
        progress(min(n, s + step), n, {})


def _write_binary(vectors: Vectors, out, *, header: bool, progress):
    n, dim = len(vectors), vectors.dim
    out.write(f"{n} {dim}\n".encode())
    vecs = np.ascontiguousarray(vectors.vectors, dtype="<f4")
    words = vectors.words
    step = 8192
    for s in range(0, n, step):
        block = vecs[s : s + step]
        parts = []
        for w, row in zip(words[s : s + step], block, strict=True):
            parts.append(w.encode("utf-8") + b" ")
            parts.append(row.tobytes())
            parts.append(b"\n")
        out.write(b"".join(parts))
        progress(min(n, s + step), n, {})


def _write_native(vectors: Vectors, out, *, header: bool, progress):
    n, dim = len(vectors), vectors.dim
    blob = "\n".join(vectors.words).encode("utf-8")
    w_off = _NATIVE_HEADER_SIZE
    pos = w_off + len(blob)
    counts = vectors.counts
    flags = 0
    c_off = 0
    if counts is not None:
        flags |= _FLAG_COUNTS
        c_off = -(-pos // 8) * 8
        pos = c_off + 8 * n
    m_off = -(-pos // _ALIGN) * _ALIGN
    head = _NATIVE_HEADER.pack(NATIVE_MAGIC, NATIVE_VERSION, flags, n, dim, _DTYPE_F32LE, 0, w_off, len(blob), c_off, m_off)
    out.write(head + b"\x00" * (_NATIVE_HEADER_SIZE - len(head)))
    out.write(blob)
    written = w_off + len(blob)
    if counts is not None:
        out.write(b"\x00" * (c_off - written))
        out.write(np.ascontiguousarray(counts, dtype="<i8").tobytes())
        written = c_off + 8 * n
    out.write(b"\x00" * (m_off - written))
    vecs = vectors.vectors
    step = max(1, (1 << 24) // max(1, dim * 4))
    for s in range(0, n, step):
        out.write(np.ascontiguousarray(vecs[s : s + step], dtype="<f4").tobytes())
        progress(min(n, s + step), n, {})
    progress(n, n, {})


# ======================================================================================
# info and convert
# ======================================================================================


def file_info(path, format: str | None = None, *, options: LoadOptions | None = None, progress: Progress | None = None,
              **load_kwargs) -> dict:
    """Describe a vector file: format, size, shape, norm statistics, sample words, load time.

    ``format`` and ``load_kwargs`` (or ``options``) are as for :func:`load`.
    """
    if options is None:
        options = LoadOptions(format=format, **load_kwargs)
    p = check_readable(path)
    fmt = options.format or detect_format(p)
    t0 = time.perf_counter()
    kv = load(p, options=dataclasses.replace(options, format=fmt), progress=progress)
    seconds = time.perf_counter() - t0
    norms = kv.norms()
    return {
        "path": str(p),
        "format": fmt,
        "compressed": _is_gz(p),
        "file_size": p.stat().st_size,
        "vectors": len(kv),
        "dim": kv.dim,
        "dtype": str(kv.vectors.dtype),
        "norm_min": float(norms.min()) if len(norms) else None,
        "norm_mean": float(norms.mean()) if len(norms) else None,
        "norm_max": float(norms.max()) if len(norms) else None,
        "zero_vectors": int(np.count_nonzero(norms == 0)),
        "sample_words": list(kv.words[:8]),
        "has_counts": kv.counts is not None,
        "limit": options.limit,
        "load_seconds": seconds,
    }


def convert(
    src,
    dst,
    to: str | None = None,
    *,
    limit: int | None = None,
    normalize: bool = False,
    format: str | None = None,
    encoding: str = "utf-8",
    unicode_errors: str = "strict",
    options: LoadOptions | None = None,
    progress: Progress | None = None,
) -> dict:
    """Read ``src`` (any format) and write it to ``dst`` (format ``to`` or by extension).

    ``limit`` keeps the first N vectors; ``normalize`` scales rows to unit
    length; ``format``, ``encoding`` and ``unicode_errors`` (or ``options``) are
    as for :func:`load`.  The output path is checked before anything is read.
    """
    if options is None:
        options = LoadOptions(format=format, limit=limit, encoding=encoding, unicode_errors=unicode_errors)
    src_p = check_readable(src)
    to = to or format_for_path(dst, "to")
    if to not in FORMATS:
        raise ConfigError(f"unknown output format {to!r}; choose one of {', '.join(FORMATS)}")
    check_output(dst, inputs=[src_p])
    t0 = time.perf_counter()
    fmt = options.format or detect_format(src_p)
    kv = load(src_p, options=dataclasses.replace(options, format=fmt), progress=progress)
    t_load = time.perf_counter() - t0
    if normalize:
        kv = kv.normalized()
    out = save(kv, dst, to, inputs=[src_p], progress=progress)
    seconds = time.perf_counter() - t0
    return {
        "input": str(src_p),
        "input_format": fmt,
        "output": str(out),
        "output_format": to,
        "vectors": len(kv),
        "dim": kv.dim,
        "normalized": normalize,
        "output_size": Path(out).stat().st_size,
        "load_seconds": t_load,
        "seconds": seconds,
    }


__all__ = ["FORMATS", "LoadOptions", "UNICODE_ERRORS", "detect_format", "load", "save", "file_info", "convert", "format_for_path"]
