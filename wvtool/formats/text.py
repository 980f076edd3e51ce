"""Text formats: word2vec text, GloVe and fastText ``.vec`` (reader and writer).

- ``word2vec``: a ``count dim`` header line, then ``word v1 ... vd`` per line.
- ``glove``: the same rows without the header line.
- ``fasttext``: fastText's ``.vec`` files, which are word2vec text; detection
  reports ``fasttext`` only for a ``.vec`` (or ``.vec.gz``) name.

Rows are parsed a block of whole lines at a time with numpy.
"""

from __future__ import annotations

import io as stdio
import warnings

import numpy as np

from ..errors import FormatError, WvtoolWarning
from .common import (
    ASCII_WS,
    BOM,
    DAMAGED,
    EXTRA_ROWS_FIX,
    HEADER_DIM_FIX,
    HEADER_FIX,
    HEADER_RE,
    MAX_TEXT_DIM,
    MAX_TEXT_WORD_BYTES,
    MAX_VALUE_BYTES,
    TRUNCATED_FIX,
    Format,
    Peek,
    check_finite,
    decode_words,
    is_number,
    make_vectors,
    max_line_bytes,
    negative_header,
    parse_header,
    quote,
    read_header_line,
    too_wide,
    unwritable_word,
)

# --- reading -----------------------------------------------------------------------------


def read_word2vec(src, options, progress, chunk_size):
    return _read_text(src, options, progress, chunk_size, header=True)


def read_glove(src, options, progress, chunk_size):
    return _read_text(src, options, progress, chunk_size, header=False)


class _LineTooLong(Exception):
    """No newline within ``_LineBlocks.max_line`` bytes of the start of the next line."""


class _LineBlocks:
    """Blocks of whole lines (each ending with a newline) read ``chunk_size`` bytes at a time.

    A line is buffered whole, so its length is bounded: with no newline within ``max_line`` bytes of the
    start of the next line, :meth:`next` raises :class:`_LineTooLong` (the reader knows the line's number).
    """

    def __init__(self, f, chunk_size: int, strip_bom: bool, max_line: int):
        self.f = f
        self.chunk_size = chunk_size
        self.max_line = max_line
        self.leftover = b""
        self.eof = False
        self.unterminated = False  # the block last returned ends with a non-blank line that had no newline
        self._strip_bom = strip_bom

    def next(self) -> bytes | None:
        """The next block, or None at the end of the input; the last line gets a newline if it lacks one."""
        read_size = self.chunk_size
        while not self.eof:
            chunk = self.f.read(read_size)
            if not chunk:
                self.eof = True
                block, self.leftover = self.leftover, b""
                if block and not block.endswith(b"\n"):
                    self.unterminated = bool(block.rsplit(b"\n", 1)[-1].strip())
                    block += b"\n"
            else:
                data = self.leftover + chunk
                cut = data.rfind(b"\n")
                if cut < 0:  # a line longer than the chunk: read more at a time (keeps long lines linear)
                    if len(data) > self.max_line:
                        raise _LineTooLong
                    self.leftover = data
                    read_size = max(self.chunk_size, len(data))
                    continue
                block, self.leftover = data[: cut + 1], data[cut + 1 :]
            if not block:
                continue
            if self._strip_bom:
                self._strip_bom = False
                if block.startswith(BOM):
                    block = block[len(BOM) :]
            return block
        return None

    def push_back(self, data: bytes) -> None:
        self.leftover = data + self.leftover

    def first_nonblank(self) -> tuple[bytes, int]:
        """The rest of the input from its first non-blank byte (one chunk's worth) and the newlines skipped."""
        rest = self.leftover
        skipped = _leading_newlines(rest)
        rest = rest + self.f.read(self.chunk_size)
        while not rest.strip():
            more = self.f.read(self.chunk_size)
            if not more:
                return b"", skipped
            rest = more
        return rest.lstrip(), skipped


def _read_text(src, options, progress, chunk_size, *, header: bool):
    path, limit = src.name, options.limit
    count, dim, line_no, wanted = _start(src, path, header, limit)
    if dim is not None:
        _check_dim(path, dim, header)
    blocks = _LineBlocks(src, chunk_size, strip_bom=not header, max_line=max_line_bytes(dim))
    word_chunks: list[list[str]] = []
    vec_chunks: list[np.ndarray] = []
    numeric_spaced: list[tuple[int, bytes]] = []  # (line, word) of words with spaces that go on with numbers
    n_read = 0
    while wanted is None or n_read < wanted:
        try:
            block = blocks.next()
        except _LineTooLong:
            _line_too_long(path, line_no + 1, dim, None)
        if block is None:
            break
        need = None if wanted is None else wanted - n_read
        words, vecs, dim, used_lines, n_rows, used_bytes = _parse_text_block(
            path, block, line_no, dim, header, need, options.encoding, options.unicode_errors, numeric_spaced
        )
        line_no += used_lines
        blocks.max_line = max_line_bytes(dim)
        if used_bytes < len(block):  # stopped at the limit: keep the rest for the trailing-data check
            blocks.push_back(block[used_bytes:])
        elif blocks.unterminated:  # GloVe too: no header promises the rows, but a cut row is as wrong
            _warn_unterminated(path, line_no, sets_dim=not header and n_read + n_rows == 1)
        if n_rows:
            word_chunks.append(words)
            vec_chunks.append(vecs)
            n_read += n_rows
            progress(n_read, wanted, {})
    if header:
        _check_count(path, n_read, wanted, count, line_no)
        if limit is None and not blocks.eof:
            _check_no_more_rows(path, blocks, count, line_no)
    if dim is None:
        if not header:
            raise FormatError(path, None, "the file has no vectors (only blank lines)", "give a file of word vectors")
        dim = 0
    if numeric_spaced:
        _check_numeric_spaced(path, numeric_spaced, n_read, dim, header, options.encoding)
    words = [w for chunk in word_chunks for w in chunk]
    vecs = np.concatenate(vec_chunks) if vec_chunks else np.zeros((0, dim), dtype=np.float32)
    return make_vectors(path, words, vecs, None)


def _check_dim(path, dim: int, header: bool) -> None:
    """FormatError for rows wider than a text row wvtool reads (the header's dimension, or GloVe's first row's)."""
    if dim <= MAX_TEXT_DIM:
        return
    if header:
        raise FormatError(path, "line 1", f"the header declares {dim:,} dimensions, more than a text row wvtool reads "
                          f"can have (at most {MAX_TEXT_DIM:,} values)", HEADER_DIM_FIX)
    raise FormatError(path, "the first row", f"{dim:,} values, more than a text row wvtool reads can have (at most "
                      f"{MAX_TEXT_DIM:,})", DAMAGED)


def _check_numeric_spaced(path, found: list[tuple[int, bytes]], rows: int, dim: int, header: bool,
                          encoding: str) -> None:
    """Words read with spaces in them whose fields after the first are numbers (``'a 1'`` from ``a 1 2 3 4`` with
    3 dimensions): more likely a row with a value too many than a word such as ``'route 66'``.  A few are warned
    about; when they are most of the rows, the dimension itself is wrong (the header's, or GloVe's first row
    short of a value), and reading on would rename every word: a FormatError."""
    line, word = found[0]
    n = len(found)
    if n * 2 > rows:
        shown = quote(word.decode(encoding, "replace"))
        where = "the header's dimension (line 1)" if header else "the first row, which sets it,"
        raise FormatError(path, f"line {line:,}", f"{n:,} of {rows:,} rows have more values than the dimension, "
                          f"{dim:,} ({shown} would be read as a word)", f"{where} is wrong; fix it, or re-download or "
                          "regenerate the file")
    others = f" (and {n - 1:,} more such word{'s' if n != 2 else ''})" if n > 1 else ""
    warnings.warn(
        f"{path}: line {line:,}: {quote(word.decode(encoding, 'replace'))} was read as one word with spaces in it "
        f"(the last {dim} fields of a row are its vector){others}, but it goes on with numbers: the row may have "
        "more values than the dimension; check the file if that is not a word",
        WvtoolWarning,
        stacklevel=5,
    )


def _start(f, path, header: bool, limit):
    """Read the header (or, for GloVe with ``limit=0``, the first row's width): (count, dim, lines used, rows wanted)."""
    if header:
        count, dim = parse_header(path, read_header_line(f, path))
        return count, dim, 1, count if limit is None else min(count, limit)
    _check_first_row(path, getattr(f, "head", b""))
    if limit != 0:
        return None, None, 0, limit
    line_no, bound = 1, max_line_bytes(None)
    line = f.readline(bound + 2)  # nothing to read, but the dimension comes from the first row
    while line and not line.strip():
        line_no += line.count(b"\n")
        line = f.readline(bound + 2)
    if len(line.rstrip(b"\r\n")) > bound:
        _line_too_long(path, line_no, None, None)
    if not line:
        raise FormatError(path, None, "the file has no vectors (only blank lines)", "give a file of word vectors")
    return None, max(0, len(line.split()) - 1), 0, 0


FIRST_ROW_SAMPLE = 1000  #: lines of the peeked bytes that GloVe's first row is compared with


def _check_first_row(path, head: bytes) -> None:
    """GloVe takes its dimension from the first row, so that row must be a row like the others.

    When the first line is numbers only and most of the rows after it (in the peeked bytes ``head``) have more
    fields, reading on would take each of them as a word containing spaces: the first line is a header, not a
    row of this table (``'2000 50'`` on a word2vec file forced as GloVe, ``'-1 3'``: a broken word2vec header).
    FormatError naming line 1.  The same when the first row is a word and one value and most rows after it are
    longer with numbers only (``'abc 100'``: a damaged word2vec header).  (A first row whose word is not a number
    may be followed by many words with spaces: a table of phrases, whose words go on with words, not numbers.)
    """
    if head.startswith(BOM):
        head = head[len(BOM) :]
    lines = head.split(b"\n")[:FIRST_ROW_SAMPLE]
    if len(lines) > 1:
        lines = lines[:-1]  # the last piece may be cut short by the peek
    numbered = [(i, line.split()) for i, line in enumerate(lines, 1) if line.strip()]
    if len(numbered) < 2 or len(numbered[0][1]) < 2:
        return  # nothing to compare with, or a word without values (the reader says so)
    (line_no, first), later = numbered[0], [fields for _, fields in numbered[1:]]
    k = len(first) - 1
    if all(is_number(t) for t in first):
        longer = [len(f) for f in later if len(f) > len(first)]
    elif k == 1:  # a word and one value: only rows whose "word" would go on with numbers count
        longer = [len(f) for f in later if len(f) > len(first) and all(is_number(t) for t in f[1:-k])]
    else:
        return  # a word first
    if 2 * len(longer) <= len(later):
        return
    typical = max(set(longer), key=longer.count) - 1
    shown = quote(b" ".join(first).decode("utf-8", "replace"), 40)
    negative = negative_header(lines[line_no - 1])
    if negative:
        problem = f"{shown} looks like a word2vec 'count dim' header, but {negative}: not a GloVe row"
        fix = HEADER_FIX
    elif HEADER_RE.match(lines[line_no - 1]):
        problem = (f"{shown} is a word2vec 'count dim' header, not a GloVe row (the rows after it have "
                   f"{typical} values)")
        fix = "read the file as word2vec text: leave out {format='glove'}"
    else:
        problem = (f"{shown} would be a row of {k} value{'s' if k != 1 else ''} but most rows after it have {typical}: "
                   "it is not a row of this table (a word2vec header is 'COUNT DIM', two non-negative integers)")
        fix = "fix or remove line 1"
    raise FormatError(path, f"line {line_no}", problem, fix)


def _line_too_long(path, line: int, dim: int | None, length: int | None):
    """FormatError: line ``line`` is longer than a row of ``dim`` values can be (``length``: its length in bytes,
    None if it was not read to its end)."""
    bound = max_line_bytes(dim)
    size = f"no newline within its first {bound:,} bytes" if length is None else f"the line is {length:,} bytes long"
    if dim is None or dim > MAX_TEXT_DIM:
        what = (f"longer than any row wvtool reads (a word of at most {MAX_TEXT_WORD_BYTES:,} bytes and at most "
                f"{MAX_TEXT_DIM:,} values of {MAX_VALUE_BYTES} bytes)")
    else:
        what = (f"longer than a row of {dim:,} values can be (a word of at most {MAX_TEXT_WORD_BYTES:,} bytes and "
                f"{MAX_VALUE_BYTES} bytes a value)")
    raise FormatError(path, f"line {line}", f"{size}: {what}", DAMAGED)


def _check_count(path, n_read: int, wanted: int, count: int, line_no: int) -> None:
    if n_read < wanted:
        raise FormatError(
            path,
            f"line {line_no + 1}",
            f"the file ends after {n_read:,} vectors but the header declares {count:,}",
            TRUNCATED_FIX,
        )


def _warn_unterminated(path, line: int, sets_dim: bool = False) -> None:
    """``sets_dim``: the line is GloVe's first row, which the dimension was taken from."""
    also = ", and the dimension, taken from this first row, too small" if sets_dim else ""
    warnings.warn(
        f"{path}: line {line:,} (the last) has no newline at its end: the file may be cut short and that row's last "
        f"value incomplete{also}; check the file (or ignore this if it was written without a final newline)",
        WvtoolWarning,
        stacklevel=5,
    )


def _check_no_more_rows(path, blocks: _LineBlocks, count: int, line_no: int) -> None:
    """The declared vectors are read; anything but blank lines after them disagrees with the header."""
    rest, skipped = blocks.first_nonblank()
    if rest:
        extra = rest.split(b"\n", 1)[0][:40].decode("utf-8", "replace")
        raise FormatError(
            path,
            f"line {line_no + 1 + skipped}",
            f"more lines than the {count:,} vectors the header declares (found {extra!r}...)",
            EXTRA_ROWS_FIX,
        )


def _leading_newlines(b: bytes) -> int:
    stripped = b.lstrip()
    return b[: len(b) - len(stripped)].count(b"\n")


def _parse_text_block(path, block: bytes, line_no: int, dim, header: bool, need, encoding, errors,
                      numeric_spaced: list | None = None):
    """Parse whole lines (``block`` ends with a newline) with numpy.

    Returns (words, vectors, dim, lines consumed, rows, bytes consumed).  ``line_no`` is the
    number of lines before the block; ``need`` caps the rows taken (limit).  Words with spaces in them whose
    fields after the first are all numbers are appended to ``numeric_spaced`` as (line, word).
    """
    nl, per_line = _tokens_per_line(block)
    nonblank = np.flatnonzero(per_line)
    if need is not None and len(nonblank) > need:
        if need == 0:
            return [], None, dim, 0, 0, 0
        cut = int(nl[nonblank[need - 1]]) + 1
        return _parse_text_block(path, block[:cut], line_no, dim, header, None, encoding, errors, numeric_spaced)
    if len(nonblank) == 0:
        return [], None, dim, len(nl), 0, len(block)
    counts = per_line[nonblank]
    if dim is None:  # GloVe: the first row sets the dimension
        dim = int(counts[0]) - 1
        if dim < 1:
            raise FormatError(path, f"line {line_no + nonblank[0] + 1}", "a word without values", DAMAGED)
        _check_dim(path, dim, header=False)
    _check_line_lengths(path, nl, line_no, dim)
    _check_short_rows(path, block, nl, nonblank, counts, line_no, dim, header, encoding)
    # the first field of each non-blank line is the word; the rest are parsed in one C call
    lines = block.split(b"\n")
    parts = [lines[i].split(None, 1) for i in nonblank.tolist()]
    for k in np.flatnonzero(counts > dim + 1).tolist():
        parts[k] = _split_spaced_word(lines[nonblank[k]], dim)
        if numeric_spaced is not None and all(is_number(t) for t in parts[k][0].split()[1:]):
            numeric_spaced.append((line_no + int(nonblank[k]) + 1, parts[k][0]))
    raw = [p[0] for p in parts]
    vecs = _parse_values(path, b"\n".join([p[1] for p in parts]), len(parts), dim, block, nl, nonblank, line_no, encoding)
    check_finite(path, vecs, lambda r: f"line {line_no + int(nonblank[r]) + 1}", lambda r: raw[r].decode(encoding, "replace"))
    line_numbers = (line_no + nonblank + 1).tolist()
    words = decode_words(path, raw, encoding, errors, "line", line_numbers)
    return words, vecs, dim, len(nl), len(parts), len(block)


def _tokens_per_line(block: bytes):
    """(offsets of the newlines, number of whitespace-separated tokens on each line)."""
    a = np.frombuffer(block, dtype=np.uint8)
    ws = (a == 32) | ((a >= 9) & (a <= 13))  # ASCII whitespace, as bytes.split() sees it
    nl = np.flatnonzero(a == 10)
    tok_start = ~ws
    tok_start[1:] &= ws[:-1]
    # tokens per line (every line is non-empty: it includes its newline)
    line_starts = np.empty(len(nl), dtype=np.int64)
    line_starts[0] = 0
    line_starts[1:] = nl[:-1] + 1
    return nl, np.add.reduceat(tok_start, line_starts, dtype=np.int32)


def _check_line_lengths(path, nl: np.ndarray, line_no: int, dim: int) -> None:
    """FormatError at the first line of the block longer than a row of ``dim`` values can be (a block holds the
    lines of a chunk: those are bounded only here)."""
    lengths = np.diff(nl, prepend=-1) - 1
    bound = max_line_bytes(dim)
    if int(lengths.max()) > bound:
        i = int(np.argmax(lengths > bound))
        _line_too_long(path, line_no + i + 1, dim, int(lengths[i]))


def _check_short_rows(path, block, nl, nonblank, counts, line_no: int, dim: int, header: bool, encoding) -> None:
    """A row with fewer than ``dim`` values is an error (one with more is a word containing spaces)."""
    short = np.flatnonzero(counts < dim + 1)
    if not len(short):
        return
    i = int(nonblank[short[0]])
    n_vals = int(counts[short[0]]) - 1
    word = quote(_line_of(block, nl, i).split(None, 1)[0].decode(encoding, "replace"))
    if header:
        problem = f"{word} has {n_vals} values but the header declares {dim} dimensions"
    else:
        problem = f"{word} has {n_vals} values but the first row has {dim}"
    raise FormatError(path, f"line {line_no + i + 1}", problem, "every row needs exactly one value per dimension; " + DAMAGED)


def _split_spaced_word(line: bytes, dim: int) -> list[bytes]:
    """[word, values] of a line with more than ``dim + 1`` fields: the last ``dim`` are the vector and
    everything before them, spaces included, is the word (GloVe 840B has such words)."""
    fields = line.rsplit(None, dim)
    return [fields[0].strip(), b" ".join(fields[1:])]


def _parse_values(path, numbers: bytes, n_rows: int, dim: int, block, nl, nonblank, line_no: int, encoding):
    """The ``n_rows x dim`` float32 values of ``numbers`` (whitespace-separated); FormatError naming the bad token."""
    try:
        # numpy's C text parser (rows of exactly dim whitespace-separated numbers; '#' is not a comment here)
        values = np.loadtxt(stdio.BytesIO(numbers), dtype=np.float32, comments=None, ndmin=2)
        ok = values.size == n_rows * dim
    except ValueError:
        ok = False
    if not ok:
        _locate_bad_number(path, block, nl, nonblank, line_no, encoding, dim)
        raise FormatError(path, f"lines {line_no + 1}-{line_no + len(nl)}", "unreadable values", DAMAGED)
    return values.reshape(n_rows, dim)


def _line_of(block: bytes, nl: np.ndarray, i: int) -> bytes:
    start = int(nl[i - 1]) + 1 if i > 0 else 0
    return block[start : int(nl[i])]


def _locate_bad_number(path, block, nl, nonblank, line_no, encoding, dim):
    """Slow pass: find the first line with a value that is not a number."""
    for i in nonblank.tolist():
        word, values = _split_spaced_word(_line_of(block, nl, i), dim)
        for j, tok in enumerate(values.split()):
            if not is_number(tok):
                raise FormatError(
                    path,
                    f"line {line_no + i + 1}",
                    f"value {j + 1} of {quote(word.decode(encoding, 'replace'))} is not a number: "
                    f"{quote(tok.decode(encoding, 'replace'), 30)}",
                    DAMAGED,
                ) from None


# --- detection ---------------------------------------------------------------------------


def sniff_word2vec(peek: Peek) -> bool:
    """A ``count dim`` header (a text file whose rows are wrong is still read as text, to report the line)."""
    return peek.header is not None


def sniff_fasttext(peek: Peek) -> bool:
    return peek.header is not None and peek.name.endswith(".vec")


def sniff_glove(peek: Peek) -> bool:
    """No header; the first line is a word followed by numbers (mostly numbers: a damaged row the reader reports)."""
    if peek.header is not None:
        return False
    fields = peek.first_line.split()
    if len(fields) < 2:
        return False
    numbers = sum(is_number(t) for t in fields[1:])
    return numbers == len(fields) - 1 or numbers >= max(1, (len(fields) - 1) // 2)


# --- writing -----------------------------------------------------------------------------


def check_text_words(words) -> str | None:
    """Words may contain spaces (the last ``dim`` fields of a line are the vector), not line breaks or
    whitespace at either end, and are at most the reader's ``MAX_TEXT_WORD_BYTES`` long."""
    return unwritable_word(words, "\n", ASCII_WS, max_bytes=MAX_TEXT_WORD_BYTES)


def check_text_table(vectors) -> str | None:
    """A row holds at most the reader's ``MAX_TEXT_DIM`` values (see :func:`~.common.max_line_bytes`)."""
    return too_wide(vectors, MAX_TEXT_DIM, "a text row")


def check_glove_words(words) -> str | None:
    """As text, but GloVe takes the dimension from its first line, so the first word cannot contain whitespace,
    and it starts the file, so it cannot start with a byte-order mark."""
    if words and any(c in words[0] for c in ASCII_WS):
        return f"the first word {quote(words[0])}, which contains whitespace (GloVe counts the first line's fields),"
    if words and words[0].startswith("\ufeff"):  # the reader drops a byte-order mark at the start of the file
        return f"the first word {quote(words[0])}, which starts with a byte-order mark (U+FEFF) that reads as none,"
    return check_text_words(words)


def check_glove_table(vectors) -> str | None:
    """As text, and a table must have a row: GloVe has no header, so an empty file would have no dimension (and
    an empty file is more likely a failed download than a table: the reader says so)."""
    if not len(vectors):
        return (f"an empty table (0 words of {vectors.dim:,} dimensions: GloVe has no header and takes its dimension "
                "from its first row, so an empty file cannot be read back)")
    return check_text_table(vectors)


def write_word2vec(vectors, out, progress) -> None:
    out.write(f"{len(vectors)} {vectors.dim}\n".encode())
    _write_rows(vectors, out, progress)


def write_glove(vectors, out, progress) -> None:
    _write_rows(vectors, out, progress, glove=True)


def _write_rows(vectors, out, progress, glove: bool = False) -> None:
    """``word v1 ... vd`` per line; ``%.9g`` reads back to the identical float32.

    ``glove``: no header comes before the rows, so a first row that would read as a word2vec ``count dim``
    header (dimension 1, a word of digits, an integral value: ``2 1``) gets its value written as ``1.0``.
    """
    n, dim = len(vectors), vectors.dim
    vecs = vectors.vectors
    words = vectors.words
    fmt = " ".join(["%.9g"] * dim)
    step = 4096
    for s in range(0, n, step):
        rows = vecs[s : s + step].tolist()
        lines = [f"{w} {fmt % tuple(r)}\n" if dim else f"{w}\n" for w, r in zip(words[s : s + step], rows, strict=True)]
        if glove and s == 0 and lines and HEADER_RE.match(lines[0].encode("utf-8")):
            lines[0] = lines[0][:-1] + ".0\n"
        out.write("".join(lines).encode("utf-8"))
        progress(min(n, s + step), n, {})


WORD2VEC = Format(
    "word2vec",
    "word2vec text: a 'count dim' header, then 'word v1 ... vd' per line",
    read_word2vec,
    write_word2vec,
    extensions=(".txt",),
    sniff=sniff_word2vec,
    sniff_order=30,
    check_words=check_text_words,
    check_table=check_text_table,
)
GLOVE = Format(
    "glove",
    "GloVe text: 'word v1 ... vd' per line, no header",
    read_glove,
    write_glove,
    extensions=(".glove",),
    sniff=sniff_glove,
    sniff_order=40,
    check_words=check_glove_words,
    check_table=check_glove_table,
)
FASTTEXT = Format(
    "fasttext",
    "fastText .vec: word2vec text (detected by the .vec name)",
    read_word2vec,
    write_word2vec,
    extensions=(".vec",),
    sniff=sniff_fasttext,
    sniff_order=20,
    check_words=check_text_words,
    check_table=check_text_table,
)
