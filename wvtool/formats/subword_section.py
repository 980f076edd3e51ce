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
word-only tables, those 32 header bytes zeros (any other value is damage).  A wvtool without subword support refuses a subword file
(unknown flag bits) rather than misread it.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError, FormatError
from ..subwords import MAX_SETTING, Subwords, check_training
from .common import quote, read_json

FLAG_SUBWORDS = 2
FLAG_WORD_ROWS = 4
EXT = struct.Struct("<QQQQ")
EXT_OFFSET = 72  # right after the version-1 header fields, inside the 128 header bytes
_ALIGN = 64
_DAMAGED = "the file is damaged; regenerate it"
#: the settings JSON's keys, as :func:`plan` writes them
SETTINGS = ("minn", "maxn", "bucket", "encoding", "normalize", "training")


def align(pos: int, to: int = _ALIGN) -> int:
    """The first multiple of ``to`` at or after ``pos`` (where a native file's next aligned section starts)."""
    return -(-pos // to) * to


@dataclass(frozen=True)
class Layout:
    """Where a table's subword section goes: ``flags`` to set, ``ext`` (the header bytes), offsets, its ``end``."""

    flags: int
    ext: bytes
    meta: bytes
    meta_offset: int
    ngrams_offset: int
    rows_offset: int
    end: int


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
    ngrams_offset = align(end + len(blob))
    rows_offset = 0
    flags = FLAG_SUBWORDS
    after = ngrams_offset + 4 * sw.bucket * sw.dim
    if vectors.word_rows is not None:
        flags |= FLAG_WORD_ROWS
        rows_offset = align(after)
        after = rows_offset + 4 * len(vectors) * sw.dim
    return Layout(flags, EXT.pack(end, len(blob), ngrams_offset, rows_offset), blob, end, ngrams_offset, rows_offset,
                  after)


def write(out, vectors, layout: Layout | None, written: int) -> None:
    """Write the section after the word matrix (``written`` bytes so far)."""
    if layout is None:
        return
    out.write(b"\x00" * (layout.meta_offset - written) + layout.meta)
    written = layout.meta_offset + len(layout.meta)
    out.write(b"\x00" * (layout.ngrams_offset - written))
    ngrams = vectors.subwords.ngrams
    write_rows(out, ngrams)
    if layout.rows_offset:
        written = layout.ngrams_offset + ngrams.nbytes
        out.write(b"\x00" * (layout.rows_offset - written))
        write_rows(out, vectors.word_rows)


def write_rows(out, rows) -> None:
    """Write a float32 matrix as little-endian rows, 16 MB at a time."""
    step = max(1, (1 << 24) // max(1, rows.shape[1] * 4))
    for s in range(0, len(rows), step):
        out.write(np.ascontiguousarray(rows[s : s + step], dtype="<f4").tobytes())


@dataclass(frozen=True)
class Section:
    """A native file's subword section as its header and settings describe it (offsets from the file's start)."""

    meta_offset: int
    meta_bytes: int
    ngrams_offset: int
    rows_offset: int
    with_rows: bool
    meta: dict

    def end(self, n: int, dim: int) -> int:
        """The byte after the section: the end of the file."""
        if self.with_rows:
            return self.rows_offset + 4 * n * dim
        return self.ngrams_offset + 4 * self.meta["bucket"] * dim


def locate(path, header: bytes, flags: int, matrix_end: int) -> tuple[int, int, int, int] | None:
    """(meta offset, meta bytes, n-gram offset, rows offset) from the header's padding, checked against the
    layout :func:`plan` writes; None for a word-only table."""
    meta_off, meta_len, ng_off, rows_off = EXT.unpack_from(header, EXT_OFFSET)
    if not flags & FLAG_SUBWORDS:
        if flags & FLAG_WORD_ROWS:
            raise FormatError(path, "header field flags", "the word-rows flag is set without the subword flag", _DAMAGED)
        if meta_off or meta_len or ng_off or rows_off:
            at = EXT_OFFSET + next(i for i, b in enumerate(header[EXT_OFFSET : EXT_OFFSET + EXT.size]) if b)
            raise FormatError(path, "header field subword offsets", f"byte {at} is not 0 but the flags declare no "
                              f"subword section (a word-only table's header bytes {EXT_OFFSET} to "
                              f"{EXT_OFFSET + EXT.size - 1} are zeros)", _DAMAGED)
        return None
    if meta_off != matrix_end:
        raise FormatError(path, "header field subword offset", f"is {meta_off:,}; the section starts right after the "
                          f"word matrix, at byte {matrix_end:,}", _DAMAGED)
    if not 0 < meta_len <= 1 << 16 or ng_off != align(meta_off + meta_len):
        raise FormatError(path, "header field subword settings", f"{meta_len:,} bytes, n-grams at byte {ng_off:,}: "
                          "not the layout of a subword section", _DAMAGED)
    if bool(flags & FLAG_WORD_ROWS) != bool(rows_off):
        raise FormatError(path, "header field flags", "the word-rows flag and offset disagree", _DAMAGED)
    return meta_off, meta_len, ng_off, rows_off


def parse(path, where: tuple[int, int, int, int], blob: bytes, flags: int, n: int, dim: int) -> Section:
    """The section from its located offsets and its settings' JSON ``blob``; FormatError naming what is wrong."""
    meta_off, meta_len, ng_off, rows_off = where
    try:
        meta = read_json(blob)
    except ValueError as e:
        raise FormatError(path, "subword section", f"unreadable settings ({e})", _DAMAGED) from None
    problem = _settings_problem(meta)
    if problem:
        raise FormatError(path, "subword section", problem, _DAMAGED)
    try:
        meta = {**meta, "training": None if meta["training"] is None else check_training(meta["training"])}
    except ValueError as e:
        raise FormatError(path, "subword section", str(e), _DAMAGED) from None
    with_rows = bool(flags & FLAG_WORD_ROWS)
    if with_rows and rows_off != align(ng_off + 4 * meta["bucket"] * dim):
        raise FormatError(path, "header field word-rows offset", f"is {rows_off:,}; not right after the n-grams", _DAMAGED)
    return Section(meta_off, meta_len, ng_off, rows_off, with_rows, meta)


def _settings_problem(meta) -> str | None:
    """What makes the settings JSON not what :func:`plan` writes (an object of integers from 0 to
    :data:`MAX_SETTING`, a string and a boolean, each a JSON value of that type), or None."""
    if not isinstance(meta, dict):
        return f"the settings are {_shown(meta)}, not a JSON object"
    missing = [key for key in SETTINGS if key not in meta]
    if missing:
        return f"the setting {missing[0]} is missing"
    for key in ("minn", "maxn", "bucket"):
        value = meta[key]
        if type(value) is not int:
            return f"the setting {key} is {_shown(value)}, not an integer"
        if not 0 <= value <= MAX_SETTING:
            return f"the setting {key} is {_shown(value)}, not an integer from 0 to {MAX_SETTING:,}"
    if type(meta["encoding"]) is not str:
        return f"the setting encoding is {_shown(meta['encoding'])}, not a string (the name of a text encoding)"
    if type(meta["normalize"]) is not bool:
        return f"the setting normalize is {_shown(meta['normalize'])}, not true or false"
    return None


def _shown(value) -> str:
    """A JSON value as a message shows it: its text if short, else what it is."""
    if isinstance(value, str):
        return f"the string {quote(value, 40)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    text = json.dumps(value)  # null, true, 2.5, Infinity, NaN, 12
    return text if len(text) <= 40 else f"{text[:40]}... ({len(text):,} characters)"


def build(path, sec: Section, ngrams: np.ndarray) -> Subwords:
    m = sec.meta
    try:
        return Subwords(m["minn"], m["maxn"], m["bucket"], ngrams, encoding=m["encoding"],
                        normalize=m["normalize"], training=m["training"], _owned=True)
    except ConfigError as e:
        raise FormatError(path, "subword section", str(e), _DAMAGED) from None


def matrix(buf, offset: int, rows: int, dim: int) -> np.ndarray:
    m = np.frombuffer(buf, dtype="<f4", count=rows * dim, offset=offset).reshape(rows, dim)
    return m if m.dtype == np.float32 else m.astype(np.float32)  # big-endian machine: a copy
