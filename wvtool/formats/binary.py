"""word2vec binary (reader and writer).

A ``count dim`` text header line, then per record the word, one space, ``dim``
little-endian float32 values and, as word2vec.c writes it, a newline (gensim
writes none; both layouts, even mixed, are read).
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import FormatError
from .common import (
    ASCII_WS,
    DAMAGED,
    EXTRA_ROWS_FIX,
    HEADER_DIM_FIX,
    MAX_BINARY_DIM,
    MAX_WORD_BYTES,
    TRUNCATED_FIX,
    Format,
    Peek,
    check_finite,
    decode_words,
    grow,
    is_number,
    looks_like_text,
    make_vectors,
    parse_header,
    quote,
    read_header_line,
    too_wide,
    unwritable_word,
)

_NEWLINES_AFTER_SPACE = re.compile(rb" [\r\n]+")
_CRLF = b"\r\n"

# --- reading -----------------------------------------------------------------------------


def read_binary(src, options, progress, chunk_size):
    path, limit = src.name, options.limit
    count, dim = parse_header(path, read_header_line(src, path))
    if dim > MAX_BINARY_DIM:
        raise FormatError(path, "line 1", f"the header declares {dim:,} dimensions, more than a word2vec binary "
                          f"record wvtool reads can have (at most {MAX_BINARY_DIM:,})", HEADER_DIM_FIX)
    wanted = count if limit is None else min(count, limit)
    nbytes = dim * 4
    out = np.empty((_first_capacity(src, wanted, nbytes), dim), dtype="<f4")
    raw: list[bytes] = []
    buf = b""
    pos = i = 0
    eof = False
    while i < wanted:
        out = _make_room(out, i, wanted, (len(buf) - pos) // (nbytes + 2))
        i0 = i
        starts, pos = _find_records(path, buf, pos, nbytes, len(out) - i0, raw, i0)
        i = i0 + len(starts)
        if i0 == 0 and starts:
            _check_not_text(path, buf, starts[0], nbytes, raw[0])
        if starts and nbytes:
            _copy_rows(out, i0, buf, starts, nbytes)
        progress(i, wanted, {})
        if i >= wanted:
            break
        if starts and i == len(out):
            continue  # the output is full but the buffer may hold more records: grow it and keep parsing
        if eof:
            if i == 0:
                _first_record_cut(path, buf[pos:], dim, options.encoding)
            raise FormatError(
                path,
                f"record {i + 1}",
                f"the file ends after {i:,} complete vectors but the header declares {count:,}",
                TRUNCATED_FIX,
            )
        # read at least as much as is buffered: a record longer than a chunk is then read in linear time
        chunk = src.read(max(chunk_size, len(buf) - pos))
        eof = not chunk
        buf = buf[pos:] + chunk
        pos = 0
    progress(i, wanted, {})
    if limit is None and count == wanted:
        _check_no_more_records(path, src, buf[pos:], count, chunk_size)
    vecs = out[:i] if out.dtype == np.float32 else out[:i].astype(np.float32)
    check_finite(path, vecs, lambda r: f"record {r + 1}", lambda r: raw[r].lstrip(_CRLF).decode(options.encoding, "replace"))
    return make_vectors(path, _decode_binary_words(path, raw, options.encoding, options.unicode_errors), vecs, None)


_NUMBER_TEXT = re.compile(rb"[0-9.eE+\- \t\r]*[0-9][0-9.eE+\- \t\r]*")


def _check_not_text(path, buf: bytes, start: int, nbytes: int, word: bytes) -> None:
    """FormatError if the value bytes of the first record read as the numbers of a text row (a text file forced
    as binary: its digits would become float32 garbage such as 1e25).

    The bytes up to the first newline (all of them if there is none) must be at least two numbers separated
    by spaces or tabs.  The float32 bytes of real vectors are not: a value's top byte is a digit, sign, point
    or space only for values below about 1e-9, an 'E' only between 2048 and 8192, and then its other bytes
    would have to be such characters too.  Dimension 1 (4 bytes) is not judged.
    """
    if nbytes < 8:
        return
    values = buf[start : start + nbytes]
    line = values.partition(b"\n")[0]
    if not _NUMBER_TEXT.fullmatch(line) or sum(any(c in b"0123456789" for c in t) for t in line.split()) < 2:
        return
    shown = quote(values.decode("utf-8", "replace"), 40)
    raise FormatError(path, "record 1", f"the values of {quote(word.decode('utf-8', 'replace'))} are text ({shown}), "
                      "not float32 bytes: this is a text file", "read it as word2vec text: leave out {format='word2vec-binary'}")


def _first_record_cut(path, rest: bytes, dim: int, encoding: str) -> None:
    """FormatError for a file that ends inside its first record (``rest``: the bytes after the header), naming the
    word and the values it has, as the text reader names a row with fewer values than the header's dimension.
    Returns if not even a word is complete (the caller reports a truncated file)."""
    sp = rest.find(b" ")
    if sp < 0:
        return
    word = quote(rest[:sp].lstrip(_CRLF).decode(encoding, "replace"))
    have = len(rest) - sp - 1
    raise FormatError(
        path,
        "record 1",
        f"{word} has {have // 4:,} value{'s' if have // 4 != 1 else ''} ({have:,} bytes) before the file ends but "
        f"the header declares {dim:,} dimensions ({dim * 4:,} bytes)",
        "the header's dimension is wrong or the file is truncated; re-download or regenerate it",
    )


def _first_capacity(src, wanted: int, nbytes: int) -> int:
    """Rows to allocate at first: what the file can hold (a record is at least a byte of word, a space and the
    vector); for a stream, none until data arrives.  A damaged header never drives the allocation."""
    return min(wanted, src.size // (nbytes + 2)) if src.size else 0


def _make_room(out: np.ndarray, i: int, wanted: int, buffered: int) -> np.ndarray:
    """``out`` with room for the ``buffered`` records the buffer can hold after row ``i`` (grown geometrically,
    so rows allocated stay within twice the records actually read plus those buffered)."""
    need = min(wanted, i + buffered)
    if need <= len(out):
        return out
    return grow(out, min(wanted, max(2 * len(out), need)))


def _find_records(path, buf: bytes, pos: int, nbytes: int, room: int, raw: list[bytes], first: int):
    """Find up to ``room`` records that ``buf`` holds completely from ``pos``: a word, a space, ``nbytes`` of vector.

    Appends the words to ``raw``; returns the offsets of the vectors and the position after the last record.
    """
    find = buf.find
    append = raw.append
    starts: list[int] = []
    start_append = starts.append
    last = len(buf) - nbytes  # a word's space must come before this for its vector to be complete
    sp = -1
    if room <= 0:  # not even one complete record buffered: only check the word is not impossibly long
        if len(buf) - pos > MAX_WORD_BYTES and find(b" ", pos, pos + MAX_WORD_BYTES + 1) < 0:
            _no_space(path, first, buf[pos : pos + 40])
        return starts, pos
    for _ in range(room):
        # a word starts after the previous vector, possibly after a newline (word2vec.c writes one)
        sp = find(b" ", pos)
        if not 0 <= sp < last:
            break
        append(buf[pos:sp])
        start_append(sp + 1)
        pos = sp + 1 + nbytes
    # a "word" that long means the header's dimension is wrong or the file is not word2vec binary
    if (sp < 0 and len(buf) - pos > MAX_WORD_BYTES) or sp - pos > MAX_WORD_BYTES:
        _no_space(path, first + len(starts), buf[pos : pos + 40])
    if starts and max(map(len, raw[first:])) > MAX_WORD_BYTES:
        r = next(k for k in range(first, len(raw)) if len(raw[k]) > MAX_WORD_BYTES)
        _no_space(path, r, raw[r][:40])
    return starts, pos


def _copy_rows(out: np.ndarray, i0: int, buf: bytes, starts: list[int], nbytes: int) -> None:
    """Copy the vectors at ``starts`` into ``out[i0:]`` in one numpy call (rows of a sliding-window view)."""
    a = np.frombuffer(buf, dtype=np.uint8)
    window = np.lib.stride_tricks.as_strided(a, shape=(len(buf) - nbytes + 1, nbytes), strides=(1, 1), writeable=False)
    out.view(np.uint8)[i0 : i0 + len(starts)] = window[np.asarray(starts, dtype=np.intp)]  # (np.take would copy)


def _check_no_more_records(path, src, rest: bytes, count: int, chunk_size: int) -> None:
    while not rest.strip():
        more = src.read(chunk_size)
        if not more:
            break
        rest = more
    if rest.strip():
        raise FormatError(
            path,
            f"record {count + 1}",
            f"data after the {count:,} vectors the header declares",
            EXTRA_ROWS_FIX,
        )


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
        raise FormatError(path, f"record {r + 1}", "empty word (a space where a word should start)", DAMAGED)
    return decode_words(path, stripped, encoding, errors, "record", 1)


def _no_space(path, i, sample: bytes):
    raise FormatError(
        path,
        f"record {i + 1}",
        f"no word found (no space within {MAX_WORD_BYTES:,} bytes, starting {sample!r})",
        "the header's dimension may be wrong or the file is damaged; re-download or regenerate it",
    )


# --- detection ---------------------------------------------------------------------------


def sniff_binary(peek: Peek) -> bool:
    """A ``count dim`` header, then a record that is not a text row: a word, a space, then raw bytes."""
    if peek.header is None:
        return False
    dim = peek.header[1]
    rest = peek.after_header()
    if not rest:
        return False  # header only (or content missing): the text reader says what is wrong
    line_end = rest.find(b"\n")
    fields = (rest if line_end < 0 else rest[:line_end]).split()
    if len(fields) == dim + 1 and all(is_number(t) for t in fields[1:]):
        return False
    space = rest.find(b" ")
    return 0 < space <= MAX_WORD_BYTES and not looks_like_text(rest[: space + 1 + dim * 4])


# --- writing -----------------------------------------------------------------------------


def write_binary(vectors, out, progress) -> None:
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


WORD2VEC_BINARY = Format(
    "word2vec-binary",
    "word2vec binary: a 'count dim' header, then per record the word, a space and dim float32 values",
    read_binary,
    write_binary,
    extensions=(".bin",),
    sniff=sniff_binary,
    sniff_order=10,
    # a space ends the word; the reader rejects longer words (a sign of a wrong dimension)
    check_words=lambda words: unwritable_word(words, ASCII_WS, max_bytes=MAX_WORD_BYTES),
    check_table=lambda vectors: too_wide(vectors, MAX_BINARY_DIM, "a word2vec binary record"),
)
