"""wvtool's native format (``.wv``): reader and writer, with the layout.

One file: a 128-byte header, the words as one UTF-8 blob (newline-separated),
optional int64 counts (8-byte aligned), and a 64-byte aligned float32 matrix
that :func:`read_native` memory-maps read-only (any other input is read as a stream).
A subword table adds a section after the matrix (:mod:`.subword_section`).  A
table with its model's output rows (:attr:`~wvtool.vectors.Vectors.output_rows`)
ends with them: flag :data:`FLAG_OUTPUT_ROWS`, their offset a little-endian
uint64 at header byte :data:`OUTPUT_OFFSET`, an ``(n, dim)`` float32 matrix at the
first multiple of 64 after what comes before it, memory-mapped on load.  A
word table that knows how it was trained (:attr:`~wvtool.vectors.Vectors.training`)
ends with those settings as a UTF-8 JSON object right after what comes before
it: flag :data:`FLAG_TRAINING`, its offset and length two little-endian uint64 at
header byte :data:`TRAINING_OFFSET` (a subword table keeps them in its own section).
"""

from __future__ import annotations

import functools
import json
import mmap
import struct
from dataclasses import dataclass

import numpy as np

from ..errors import FormatError
from ..subwords import check_training
from ..vectors import Vectors
from . import subword_section
from .common import DAMAGED, MAX_NATIVE_DIM, Format, Peek, check_finite, quote, read_json, too_wide, unwritable_word

NATIVE_MAGIC = b"\x89WVT\r\n\x1a\n"  # binary-safe: a text-mode transfer would mangle it
NATIVE_VERSION = 1
# magic, version, flags, n, dim, dtype code, reserved, words offset, words bytes, counts offset, matrix offset
NATIVE_HEADER = struct.Struct("<8sIIQQIIQQQQ")
NATIVE_HEADER_SIZE = 128  # the struct padded with zeros
FLAG_COUNTS = 1
FLAG_OUTPUT_ROWS = 8
FLAG_TRAINING = 16
KNOWN_FLAGS = (FLAG_COUNTS | subword_section.FLAG_SUBWORDS | subword_section.FLAG_WORD_ROWS | FLAG_OUTPUT_ROWS
               | FLAG_TRAINING)
OUTPUT = struct.Struct("<Q")
OUTPUT_OFFSET = subword_section.EXT_OFFSET + subword_section.EXT.size  # 104: after the subword section's offsets
TRAINING = struct.Struct("<QQ")
TRAINING_OFFSET = OUTPUT_OFFSET + OUTPUT.size  # 112: the header's last 16 bytes
_MAX_TRAINING_BYTES = 1 << 16
DTYPE_F32LE = 1
ALIGN = 64


@dataclass(frozen=True)
class _Header:
    version: int
    flags: int
    n: int
    dim: int
    dtype_code: int
    words_offset: int
    words_bytes: int
    counts_offset: int
    matrix_offset: int

    output_offset: int = 0
    training_offset: int = 0
    training_bytes: int = 0

    @property
    def has_counts(self) -> bool:
        return bool(self.flags & FLAG_COUNTS)


# --- reading -----------------------------------------------------------------------------


def read_native(src, options, progress, chunk_size) -> Vectors:
    """Memory-map an uncompressed regular file; read any other input (gzip, pipe) as a stream, stopping at ``limit``."""
    path, limit = src.name, options.limit
    if src.size is not None:
        buf = _map(src)
        h, where = _read_header(path, buf[:NATIVE_HEADER_SIZE])
        sec = None
        if where is not None:
            meta_off, meta_len = where[0], where[1]
            if meta_off + meta_len > len(buf):
                _check_size(path, h, meta_off + meta_len, len(buf))
            sec = subword_section.parse(path, where, bytes(buf[meta_off : meta_off + meta_len]), h.flags, h.n, h.dim)
        end = _check_tail(path, h, sec.end(h.n, h.dim) if sec else h.matrix_offset + 4 * h.n * h.dim)
        _check_size(path, h, end, len(buf))
        take = h.n if limit is None else min(h.n, limit)
        words = _decode_words(path, bytes(buf[h.words_offset : h.words_offset + h.words_bytes]), h)
        counts = np.frombuffer(buf, dtype="<i8", count=take, offset=h.counts_offset) if h.has_counts else None
        vecs = np.frombuffer(buf, dtype="<f4", count=take * h.dim, offset=h.matrix_offset).reshape(take, h.dim)
        subwords, own = None, None
        if sec is not None:
            subwords = subword_section.build(path, sec, subword_section.matrix(buf, sec.ngrams_offset, sec.meta["bucket"], h.dim))
            own = subword_section.matrix(buf, sec.rows_offset, take, h.dim) if sec.with_rows else None
        output = subword_section.matrix(buf, h.output_offset, take, h.dim) if h.output_offset else None
        training = None
        if h.training_offset:
            training = _parse_training(path, bytes(buf[h.training_offset : h.training_offset + h.training_bytes]))
    else:
        h, take, words, counts, vecs, subwords, own, output, training = _stream(src, limit, chunk_size)
    if take < h.n:
        words = words[:take]
    if counts is not None and len(counts) and int(counts.min()) < 0:
        r = int(np.argmax(counts < 0))
        raise FormatError(path, f"counts, row {r + 1}", f"the count of {quote(words[r])} is negative ({counts[r]})", DAMAGED)
    if vecs.dtype != np.float32:  # big-endian machine
        vecs = vecs.astype(np.float32)
    # Words were checked unique when the file was written: build the index on first lookup.  The values (and
    # the uniqueness) are verified when the rows are first used, so opening a large file stays a millisecond.
    return Vectors(words, vecs, counts, source=str(path), check_unique=False, verify=functools.partial(_verify, path),
                   subwords=subwords, word_rows=own, output_rows=output, training=training, _owned=True)


def _map(src):
    if src.size == 0:
        raise FormatError(src.name, None, "the file is empty", "give a file of word vectors")
    return mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ)


def _stream(src, limit, chunk_size: int):
    """Read a native file from a stream: every section in order, only as many bytes as are there."""
    path = src.name
    header = _read_exactly(src, NATIVE_HEADER_SIZE, "header", chunk_size)
    h, where = _read_header(path, header)
    take = h.n if limit is None else min(h.n, limit)
    pos = NATIVE_HEADER_SIZE
    words = _decode_words(path, _read_exactly(src, h.words_bytes, "words", chunk_size), h)
    pos += h.words_bytes
    counts = None
    if h.has_counts:
        _read_exactly(src, h.counts_offset - pos, "counts", chunk_size)
        counts = np.frombuffer(_read_exactly(src, 8 * h.n, "counts", chunk_size, keep=8 * take), dtype="<i8")
        pos = h.counts_offset + 8 * h.n
    _read_exactly(src, h.matrix_offset - pos, "matrix", chunk_size)
    full = where is not None or h.output_offset or h.training_offset or take == h.n
    data = _read_exactly(src, 4 * h.n * h.dim if full else 4 * take * h.dim, "matrix", chunk_size, keep=4 * take * h.dim)
    vecs = np.frombuffer(data, dtype="<f4").reshape(take, h.dim)
    subwords, own, sec = None, None, None
    if where is not None:
        subwords, own, sec = _stream_subwords(src, path, h, where, take, chunk_size)
    end = sec.end(h.n, h.dim) if sec else h.matrix_offset + 4 * h.n * h.dim
    _check_tail(path, h, end)
    output, training = None, None
    if h.output_offset:
        _read_exactly(src, h.output_offset - end, "output rows", chunk_size)
        rows = _read_exactly(src, 4 * h.n * h.dim, "output rows", chunk_size, keep=4 * take * h.dim)
        output = np.frombuffer(rows, dtype="<f4").reshape(take, h.dim).astype(np.float32)
    if h.training_offset:
        training = _parse_training(path, _read_exactly(src, h.training_bytes, "training settings", chunk_size))
    if full and src.read(1):
        raise FormatError(path, "end", f"data after the {h.n:,} x {h.dim} table the header declares", DAMAGED)
    return h, take, words, counts, vecs, subwords, own, output, training


def _stream_subwords(src, path, h: _Header, where, take: int, chunk_size: int):
    """The subword section of a streamed native file, read in order after the matrix."""
    meta_off, meta_len, ng_off, _ = where
    sec = subword_section.parse(path, where, _read_exactly(src, meta_len, "subword", chunk_size), h.flags, h.n, h.dim)
    _read_exactly(src, ng_off - meta_off - meta_len, "subword", chunk_size)
    bucket = sec.meta["bucket"]
    ngrams = np.frombuffer(_read_exactly(src, 4 * bucket * h.dim, "subword", chunk_size), dtype="<f4")
    own = None
    if sec.with_rows:
        _read_exactly(src, sec.rows_offset - ng_off - 4 * bucket * h.dim, "subword", chunk_size)
        rows = _read_exactly(src, 4 * h.n * h.dim, "subword", chunk_size, keep=4 * take * h.dim)
        own = np.frombuffer(rows, dtype="<f4").reshape(take, h.dim).astype(np.float32)
    return subword_section.build(path, sec, ngrams.reshape(bucket, h.dim).astype(np.float32)), own, sec


def _read_exactly(src, n: int, section: str, chunk_size: int, keep: int | None = None) -> bytes:
    """``n`` bytes of ``src`` (of which the first ``keep`` are returned), read a chunk at a time: a header
    claiming more than the input holds fails at the end of the data, without allocating what it claims."""
    keep = n if keep is None else keep
    parts = bytearray()
    done = 0
    while done < n:
        chunk = src.read(min(chunk_size, n - done))
        if not chunk:
            raise FormatError(
                src.name, section, f"the file ends inside the {section} section (needed {n:,} bytes, found {done:,})",
                "the file is truncated; regenerate it",
            )
        if done < keep:
            parts += chunk[: keep - done]
        done += len(chunk)
    return bytes(parts)


def _decode_words(path, blob: bytes, h: _Header) -> list[str]:
    if h.n and (not blob or blob[:1] == b"\n" or blob[-1:] == b"\n" or b"\n\n" in blob):
        raise FormatError(path, "words", "the word list holds an empty word", DAMAGED)
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(path, "words", f"the word list is not valid UTF-8 ({e.reason} at byte {e.start:,})", DAMAGED) from None
    words = text.split("\n") if h.n else []
    if len(words) != h.n or (not h.n and blob):
        raise FormatError(path, "words", f"the header declares {h.n:,} words but the word list has {len(words):,}", DAMAGED)
    return words


def _verify(path, words, vecs: np.ndarray, norms) -> None:
    """Run once before the rows are first used: no NaN or infinity (finite norms prove it), no duplicate word."""
    if norms is None or not np.isfinite(norms).all():
        check_finite(path, vecs, lambda r: f"row {r + 1}", lambda r: words[r])
    if len(set(words)) != len(words):
        seen: set[str] = set()
        dup = next(w for w in words if w in seen or seen.add(w))
        raise FormatError(path, "words", f"duplicate word {quote(dup)}", DAMAGED)


def _read_header(path, raw: bytes):
    """The header, every field checked against the layout; and where its subword section lies (or None)."""
    if len(raw) < NATIVE_HEADER_SIZE:
        raise FormatError(path, "header", f"the file is {len(raw)} bytes, shorter than the native header", DAMAGED)
    magic, version, flags, n, dim, dtype_code, reserved, w_off, w_len, c_off, m_off = NATIVE_HEADER.unpack_from(raw, 0)
    if magic != NATIVE_MAGIC:
        raise FormatError(path, "header", "not a wvtool native file (wrong magic bytes)", "check {format}")
    if version != NATIVE_VERSION:
        raise FormatError(path, "header", f"native format version {version}; this wvtool reads version {NATIVE_VERSION}", "upgrade wvtool")
    (out_off,) = OUTPUT.unpack_from(raw, OUTPUT_OFFSET)
    t_off, t_len = TRAINING.unpack_from(raw, TRAINING_OFFSET)
    h = _Header(version, flags, n, dim, dtype_code, w_off, w_len, c_off, m_off, out_off, t_off, t_len)
    for field, problem in _header_problems(h, reserved):
        raise FormatError(path, f"header field {field}", problem, DAMAGED)
    return h, subword_section.locate(path, raw, flags, m_off + 4 * n * dim)


def _check_tail(path, h: _Header, end: int) -> int:
    """Where the file ends, given ``end``, the byte after the word matrix or the subword section: after the output
    rows (at the first multiple of 64 after ``end``) and the training settings (right after what comes before
    them), if the header has them.  FormatError if their offsets break that layout."""
    if h.output_offset:
        if h.output_offset != subword_section.align(end, ALIGN):
            raise FormatError(path, "header field output-rows offset", f"is {h.output_offset:,}; the output rows "
                              f"start at the first multiple of {ALIGN} after the previous section, byte "
                              f"{subword_section.align(end, ALIGN):,}", DAMAGED)
        end = h.output_offset + 4 * h.n * h.dim
    if h.training_offset:
        if h.training_offset != end:
            raise FormatError(path, "header field training offset", f"is {h.training_offset:,}; the training "
                              f"settings start right after the previous section, at byte {end:,}", DAMAGED)
        end += h.training_bytes
    return end


def _parse_training(path, blob: bytes) -> dict:
    try:
        training = read_json(blob)
    except ValueError as e:
        raise FormatError(path, "training settings", f"unreadable ({e})", DAMAGED) from None
    try:
        return check_training(training)
    except ValueError as e:
        raise FormatError(path, "training settings", str(e), DAMAGED) from None


def _check_size(path, h: _Header, end: int, size: int) -> None:
    """The file ends where its header says (``end``): not before, not after."""
    if end != size:
        what = "is cut short" if end > size else "has data after the table"
        raise FormatError(
            path, "header", f"the file {what}: the header declares {h.n:,} x {h.dim} vectors (and what follows them) "
            f"ending at byte {end:,} but the file has {size:,} bytes", "the file is truncated or damaged; regenerate it",
        )


def _header_problems(h: _Header, reserved: int):
    """(field, problem) for each field that breaks the layout, in file order."""
    if h.flags & ~KNOWN_FLAGS:
        yield "flags", f"unknown flag bits {h.flags & ~KNOWN_FLAGS:#x}"
    if h.dtype_code != DTYPE_F32LE:
        yield "dtype", f"unknown dtype code {h.dtype_code}"
    if reserved:
        yield "reserved", f"is {reserved}, not 0"
    if h.n and not h.dim:
        yield "dim", f"0 dimensions for {h.n:,} words"
    if h.dim > MAX_NATIVE_DIM:
        yield "dim", (f"{h.dim:,} dimensions, over the limit of {MAX_NATIVE_DIM:,} (the most wvtool reads or writes in "
                      "a native file)")
    if h.words_offset != NATIVE_HEADER_SIZE:
        yield "words_offset", f"is {h.words_offset:,}; the word list starts right after the {NATIVE_HEADER_SIZE}-byte header"
    if h.n and h.words_bytes < 2 * h.n - 1:
        yield "words_bytes", f"{h.words_bytes:,} bytes cannot hold {h.n:,} words"
    after_words = h.words_offset + h.words_bytes
    if h.has_counts and not (after_words <= h.counts_offset < after_words + 8 and h.counts_offset % 8 == 0):
        yield "counts_offset", f"is {h.counts_offset:,}; the counts start at the first multiple of 8 after the words"
    if not h.has_counts and h.counts_offset:
        yield "counts_offset", f"is {h.counts_offset:,} but the flags declare no counts"
    before = h.counts_offset + 8 * h.n if h.has_counts else after_words
    if not (before <= h.matrix_offset < before + ALIGN and h.matrix_offset % ALIGN == 0):
        yield "matrix_offset", f"is {h.matrix_offset:,}; the matrix starts at the first multiple of {ALIGN} after the previous section"
    if bool(h.flags & FLAG_OUTPUT_ROWS) != bool(h.output_offset):
        yield "flags", "the output-rows flag and offset disagree"
    if bool(h.flags & FLAG_TRAINING) != bool(h.training_offset):
        yield "flags", "the training flag and offset disagree"
    if not h.training_offset and h.training_bytes:
        yield "training length", f"is {h.training_bytes:,} but the header has no training settings"
    if h.training_offset and not 0 < h.training_bytes <= _MAX_TRAINING_BYTES:
        yield "training length", f"is {h.training_bytes:,}; the settings take 1 to {_MAX_TRAINING_BYTES:,} bytes"


# --- detection ---------------------------------------------------------------------------


def sniff_native(peek: Peek) -> bool:
    return peek.raw.startswith(NATIVE_MAGIC)


# --- writing -----------------------------------------------------------------------------


def write_native(vectors, out, progress) -> None:
    n, dim = len(vectors), vectors.dim
    blob = "\n".join(vectors.words).encode("utf-8")
    w_off = NATIVE_HEADER_SIZE
    pos = w_off + len(blob)
    counts = vectors.counts
    flags = 0
    c_off = 0
    if counts is not None:
        flags |= FLAG_COUNTS
        c_off = subword_section.align(pos, 8)
        pos = c_off + 8 * n
    m_off = subword_section.align(pos, ALIGN)
    sub = subword_section.plan(vectors, m_off + 4 * n * dim)
    flags |= sub.flags if sub else 0
    end = sub.end if sub else m_off + 4 * n * dim
    output = vectors.output_rows
    out_off = 0 if output is None else subword_section.align(end, ALIGN)
    flags |= FLAG_OUTPUT_ROWS if out_off else 0
    training = vectors.training if sub is None else None  # a subword table's are in its section
    settings = b"" if training is None else json.dumps(training, sort_keys=True).encode("utf-8")
    t_off = 0 if training is None else (out_off + 4 * n * dim if out_off else end)
    flags |= FLAG_TRAINING if t_off else 0
    head = NATIVE_HEADER.pack(NATIVE_MAGIC, NATIVE_VERSION, flags, n, dim, DTYPE_F32LE, 0, w_off, len(blob), c_off, m_off)
    head += sub.ext if sub else b"\x00" * subword_section.EXT.size
    head += OUTPUT.pack(out_off) + TRAINING.pack(t_off, len(settings))
    out.write(head + b"\x00" * (NATIVE_HEADER_SIZE - len(head)))
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
    subword_section.write(out, vectors, sub, m_off + 4 * n * dim)
    if out_off:
        out.write(b"\x00" * (out_off - end))
        subword_section.write_rows(out, output)
    out.write(settings)
    progress(n, n, {})


def check_native_table(vectors) -> str | None:
    """A row holds at most the reader's ``MAX_NATIVE_DIM`` values (a subword table's settings are within what it
    reads by construction: :func:`~wvtool.subwords.check_settings`)."""
    return too_wide(vectors, MAX_NATIVE_DIM, "a native row")


NATIVE = Format(
    "native",
    "wvtool native (.wv): words, optional counts and a float32 matrix memory-mapped on load",
    read_native,
    write_native,
    extensions=(".wv",),
    sniff=sniff_native,
    sniff_order=0,
    magic=True,
    check_words=lambda words: unwritable_word(words, "\n"),
    check_table=check_native_table,
    subwords=True,
)
