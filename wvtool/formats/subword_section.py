"""The subword section of wvtool's native format (``.wv``): a subword table's n-gram part.

A native file whose header flags have :data:`FLAG_SUBWORDS` set carries, after
its word matrix:

- a UTF-8 JSON object: ``minn``, ``maxn``, ``bucket``, ``encoding``, ``normalize``
  and ``training`` (the model's recorded settings, or null);
- the ``(bucket, dim)`` float32 n-gram matrix, 64-byte aligned, memory-mapped on load;
- with :data:`FLAG_WORD_ROWS`, the words' own ``(n, dim)`` float32 rows, 64-byte aligned.

Their offsets are four little-endian uint64 in the header's padding at byte
:data:`EXT_OFFSET` (JSON offset, JSON length, n-gram matrix offset, word-rows
offset).  Files without the flag (every file older wvtools wrote) are
word-only tables; a wvtool without subword support refuses a subword file
(unknown flag bits) rather than misread it.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError, FormatError
from ..subwords import Subwords

FLAG_SUBWORDS = 2
FLAG_WORD_ROWS = 4
EXT = struct.Struct("<QQQQ")
EXT_OFFSET = 72  # right after the version-1 header fields, inside the 128 header bytes
_ALIGN = 64
_DAMAGED = "the file is damaged; regenerate it"


def _align(pos: int) -> int:
    return -(-pos // _ALIGN) * _ALIGN


@dataclass(frozen=True)
class Layout:
    """Where a table's subword section goes: ``flags`` to set, ``ext`` (the header bytes), offsets."""

    flags: int
    ext: bytes
    meta: bytes
    meta_offset: int
    ngrams_offset: int
    rows_offset: int


def plan(vectors, end: int) -> Layout | None:
    """The section's layout for a table whose word matrix ends at byte ``end``; None for a word-only table."""
    sw = vectors.subwords
    if sw is None:
        return None
    meta = {
        "minn": sw.minn,
        "maxn": sw.maxn,
        "bucket": sw.bucket,
        "encoding": sw.encoding,
        "normalize": sw.normalize,
        "training": sw.training,
    }
    blob = json.dumps(meta, sort_keys=True).encode("utf-8")
    ngrams_offset = _align(end + len(blob))
    rows_offset = 0
    flags = FLAG_SUBWORDS
    if vectors.word_rows is not None:
        flags |= FLAG_WORD_ROWS
        rows_offset = _align(ngrams_offset + 4 * sw.bucket * sw.dim)
    return Layout(flags, EXT.pack(end, len(blob), ngrams_offset, rows_offset), blob, end, ngrams_offset, rows_offset)


def write(out, vectors, layout: Layout | None, written: int) -> None:
    """Write the section after the word matrix (``written`` bytes so far)."""
    if layout is None:
        return
    out.write(b"\x00" * (layout.meta_offset - written) + layout.meta)
    written = layout.meta_offset + len(layout.meta)
    out.write(b"\x00" * (layout.ngrams_offset - written))
    ngrams = vectors.subwords.ngrams
    _write_rows(out, ngrams)
    if layout.rows_offset:
        written = layout.ngrams_offset + ngrams.nbytes
        out.write(b"\x00" * (layout.rows_offset - written))
        _write_rows(out, vectors.word_rows)


def _write_rows(out, rows) -> None:
    step = max(1, (1 << 24) // max(1, rows.shape[1] * 4))
    for s in range(0, len(rows), step):
        out.write(np.ascontiguousarray(rows[s : s + step], dtype="<f4").tobytes())


def read(path, header: bytes, tail, start: int, flags: int, n: int, dim: int) -> tuple[Subwords | None, np.ndarray | None]:
    """The subword part of a native file (or (None, None) if its header ``flags`` declare none).

    ``header``: the file's first 128 bytes; ``tail``: the file's bytes from byte ``start``
    (the end of the word matrix) to its end.  The section must end exactly where the file does.
    """
    if not flags & FLAG_SUBWORDS:
        return None, None
    size = start + len(tail)
    meta_off, meta_len, ng_off, rows_off = EXT.unpack_from(header, EXT_OFFSET)
    if not start <= meta_off <= meta_off + meta_len <= size:
        raise FormatError(path, "subword section", f"settings at bytes {meta_off:,}+{meta_len:,} outside the section", _DAMAGED)
    try:
        meta = json.loads(bytes(tail[meta_off - start : meta_off - start + meta_len]).decode("utf-8"))
        minn, maxn, bucket = (int(meta[k]) for k in ("minn", "maxn", "bucket"))
        encoding, normalize, training = str(meta["encoding"]), bool(meta["normalize"]), meta["training"]
    except (ValueError, KeyError, TypeError) as e:
        raise FormatError(path, "subword section", f"unreadable settings ({e})", _DAMAGED) from None
    with_rows = bool(flags & FLAG_WORD_ROWS)
    need = (rows_off + 4 * n * dim) if with_rows else ng_off + 4 * bucket * dim
    aligned = ng_off % _ALIGN == 0 and rows_off % _ALIGN == 0 and ng_off >= meta_off + meta_len
    if bucket < 0 or not aligned or (with_rows and rows_off < ng_off + 4 * bucket * dim):
        raise FormatError(path, "subword section", f"inconsistent offsets ({ng_off:,}, {rows_off:,})", _DAMAGED)
    if need != size:
        raise FormatError(
            path,
            "subword section",
            f"it declares {bucket:,} x {dim} n-gram rows ending at byte {need:,} but the file has {size:,} bytes",
            "the file is truncated or damaged; regenerate it",
        )
    ngrams = _matrix(tail, ng_off - start, bucket, dim)
    rows = _matrix(tail, rows_off - start, n, dim) if with_rows else None
    try:
        sw = Subwords(minn, maxn, bucket, ngrams, encoding=encoding, normalize=normalize, training=training)
    except ConfigError as e:
        raise FormatError(path, "subword section", str(e), _DAMAGED) from None
    return sw, rows


def _matrix(buf, offset: int, rows: int, dim: int) -> np.ndarray:
    m = np.frombuffer(buf, dtype="<f4", count=rows * dim, offset=offset).reshape(rows, dim)
    return m if m.dtype == np.float32 else m.astype(np.float32)  # big-endian machine: a copy
