"""wvtool's native format (``.wv``): reader and writer, with the layout.

One file: a 128-byte header, the words as one UTF-8 blob (newline-separated),
optional int64 counts (8-byte aligned), and a 64-byte aligned float32 matrix
that :func:`read_native` memory-maps read-only (a gzipped file is read whole).
A subword table adds a section after the matrix (:mod:`.subword_section`).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass

import numpy as np

from ..errors import FormatError
from ..vectors import Vectors
from . import subword_section
from .common import DAMAGED, Format, Peek

NATIVE_MAGIC = b"\x89WVT\r\n\x1a\n"  # binary-safe: a text-mode transfer would mangle it
NATIVE_VERSION = 1
# magic, version, flags, n, dim, dtype code, reserved, words offset, words bytes, counts offset, matrix offset
NATIVE_HEADER = struct.Struct("<8sIIQQIIQQQQ")
NATIVE_HEADER_SIZE = 128  # the struct padded with zeros
FLAG_COUNTS = 1
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


# --- reading -----------------------------------------------------------------------------


def read_native(src, options, progress, chunk_size) -> Vectors:
    path, limit = src.name, options.limit
    buf = _buffer(src)
    h = _read_header(path, buf)
    take = h.n if limit is None else min(h.n, limit)
    words = _read_words(path, buf, h)
    if take < h.n:
        words = words[:take]
    counts = None
    if h.flags & FLAG_COUNTS:
        counts = np.frombuffer(buf, dtype="<i8", count=take, offset=h.counts_offset)
    vecs = np.frombuffer(buf, dtype="<f4", count=take * h.dim, offset=h.matrix_offset).reshape(take, h.dim)
    if vecs.dtype != np.float32:  # big-endian machine
        vecs = vecs.astype(np.float32)
    subwords, own = subword_section.read(path, buf, h.flags, h.n, h.dim)
    own = None if own is None else own[:take]
    # Words were checked unique when the file was written: build the index on first lookup.
    return Vectors(words, vecs, counts, source=str(path), check_unique=False, subwords=subwords, word_rows=own)


def _buffer(src):
    """The whole file: memory-mapped if it is an uncompressed regular file, else read."""
    if src.size is None:
        return memoryview(src.read())
    if src.size == 0:
        raise FormatError(src.name, None, "the file is empty", "give a file of word vectors")
    return mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ)


def _read_header(path, buf) -> _Header:
    size = len(buf)
    if size < NATIVE_HEADER_SIZE:
        raise FormatError(path, "header", f"the file is {size} bytes, shorter than the native header", DAMAGED)
    magic, *fields = NATIVE_HEADER.unpack_from(buf, 0)
    del fields[5]  # reserved
    h = _Header(*fields)
    if magic != NATIVE_MAGIC:
        raise FormatError(path, "header", "not a wvtool native file (wrong magic bytes)", "check {format}")
    if h.version != NATIVE_VERSION:
        raise FormatError(
            path, "header", f"native format version {h.version}; this wvtool reads version {NATIVE_VERSION}", "upgrade wvtool"
        )
    if h.dtype_code != DTYPE_F32LE:
        raise FormatError(path, "header", f"unknown dtype code {h.dtype_code}", DAMAGED)
    need = h.matrix_offset + h.n * h.dim * 4
    has_counts = h.flags & FLAG_COUNTS
    if h.words_offset + h.words_bytes > size or (has_counts and h.counts_offset + 8 * h.n > size) or need > size:
        raise FormatError(
            path,
            "header",
            f"the header declares {h.n:,} x {h.dim} vectors ({need:,} bytes) but the file has {size:,} bytes",
            "the file is truncated; regenerate it",
        )
    return h


def _read_words(path, buf, h: _Header) -> list[str]:
    try:
        blob = bytes(buf[h.words_offset : h.words_offset + h.words_bytes]).decode("utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(path, "words", f"the word list is not valid UTF-8 ({e.reason})", DAMAGED) from None
    words = blob.split("\n") if h.n else []
    if len(words) != h.n:
        raise FormatError(path, "words", f"the header declares {h.n:,} words but the word list has {len(words):,}", DAMAGED)
    return words


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
        c_off = -(-pos // 8) * 8
        pos = c_off + 8 * n
    m_off = -(-pos // ALIGN) * ALIGN
    sub = subword_section.plan(vectors, m_off + 4 * n * dim)
    flags |= sub.flags if sub else 0
    head = NATIVE_HEADER.pack(NATIVE_MAGIC, NATIVE_VERSION, flags, n, dim, DTYPE_F32LE, 0, w_off, len(blob), c_off, m_off)
    head += sub.ext if sub else b""
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
    progress(n, n, {})


NATIVE = Format(
    "native",
    "wvtool native (.wv): words, optional counts and a float32 matrix memory-mapped on load",
    read_native,
    write_native,
    extensions=(".wv",),
    sniff=sniff_native,
    sniff_order=0,
    word_forbidden="\n",
)
