"""What every format module shares: the registry record, the detection peek, word decoding and checks."""

from __future__ import annotations

import itertools
import json
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..arrays import all_finite, first_non_finite
from ..errors import ConfigError, FormatError, WvtoolWarning
from ..files import DAMAGED
from ..vectors import Vectors

DEFAULT_CHUNK = 1 << 22  # bytes read at a time by the streaming readers
PEEK_BYTES = 1 << 16  # bytes read ahead for format detection
MAX_WORD_BYTES = 1 << 16  # a longer "word" in a binary file means the file is not what it claims
#: the most float32 values a vector can have: numpy cannot make an array with rows of more (their bytes would
#: exceed the address space), so a header declaring more is damaged whatever the file holds
MAX_DIM = int(np.iinfo(np.intp).max) // 4
# How long a text line may be.  A row is a word and ``dim`` values, so its length is bounded by what those can take:
# - a word is at most MAX_TEXT_WORD_BYTES (16 times word2vec binary's limit; GloVe 840B's phrases and the longest
#   words of real vocabularies are far shorter, and the text writers refuse longer words, so a file wvtool writes
#   always reads back);
# - a value is at most MAX_VALUE_BYTES with its separating whitespace: the shortest repr of any float64 is at
#   most 24 characters ('-2.2250738585072014e-308'), wvtool writes at most 15 ('%.9g' of a float32), which leaves
#   room for padding;
# - a row has at most MAX_TEXT_DIM values: when the dimension is not known yet (GloVe's first line) it is the
#   only bound, and a header declaring more does not raise it, since a line is held in memory whole before it is
#   parsed (a few times its size while parsing): a header must not make wvtool read gigabytes as one line.
# A longer line is an error naming it as soon as that many bytes are read without a newline (a compressed bomb of
# one endless line stops after about 32 MiB), instead of growing a buffer with whatever the file holds.
MAX_TEXT_WORD_BYTES = 1 << 20
MAX_VALUE_BYTES = 32
MAX_TEXT_DIM = 1_000_000
#: the most values a word2vec binary record may have: the reader holds a record whole before it copies it, so a
#: header's dimension must not make it buffer gigabytes of whatever the file holds (a compressed file of zeros
#: behind a header of 2e9 dimensions buffered all of it, then failed); text's bound, 4 MB a record
MAX_BINARY_DIM = MAX_TEXT_DIM
#: the most values a fastText model's row may have (4 MiB a row), the widest model wvtool reads and so writes
MAX_FASTTEXT_DIM = 1 << 20
#: the most values a native (``.wv``) row may have, fastText's bound: a non-empty file holds its rows, but an empty
#: one declares any dimension in 128 bytes, and writers and queries of a table that wide allocate by it (a
#: projector line format of 10^8 values took 1.3 GB); as wide as any other format wvtool writes
MAX_NATIVE_DIM = MAX_FASTTEXT_DIM

#: the deepest nesting of arrays and objects a settings JSON of a native file may have (what wvtool writes is 2
#: deep): Python's parser recurses per level, so a deeper one must be refused before it is parsed
MAX_JSON_DEPTH = 100
#: the most digits an integer in such a JSON may have (a 64-bit one has 20 with its sign): Python refuses to
#: convert more than 4,300 anyway, in a message of its own
MAX_JSON_DIGITS = 100
#: a JSON string (to its end if it is not closed: one pass over any input) or a bracket
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)
_JSON_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def max_line_bytes(dim: int | None) -> int:
    """The longest text line (newline excluded) that a row of ``dim`` values can be (None: dimension not known)."""
    values = MAX_TEXT_DIM if dim is None else min(dim, MAX_TEXT_DIM)
    return MAX_TEXT_WORD_BYTES + MAX_VALUE_BYTES * values


HEADER_RE = re.compile(rb"^\s*(\d+)\s+(\d+)\s*$")
SIGNED_HEADER_RE = re.compile(rb"^\s*([+-]?\d+)\s+([+-]?\d+)\s*$")  # a header with a sign, to say what is wrong
BOM = b"\xef\xbb\xbf"
ASCII_WS = " \t\n\r\x0b\x0c"  # what bytes.split() splits on
#: the fix for rows beyond the header's count
EXTRA_ROWS_FIX = "fix the header's count, or read only the declared vectors with {limit}"
#: the fix for a dimension no file can hold
HEADER_DIM_FIX = "the header (line 1) is damaged: fix its dimension, the second number, or re-download or regenerate the file"
#: the fix for fewer rows than the header's count
TRUNCATED_FIX = "the file is truncated or its header is wrong; re-download or regenerate it"

__all__ = ["DAMAGED", "Format", "Peek"]


@dataclass(frozen=True)
class Peek:
    """What detection knows of an input from its first bytes (computed once, shared by every sniff function).

    ``raw``: the bytes as read; ``head``: the same without a UTF-8 byte-order mark;
    ``first_line``: ``head`` up to its first newline; ``header``: ``(count, dim)``
    if that line is a word2vec ``count dim`` header, else None; ``name``: the
    input's file name in lower case, without a ``.gz`` suffix.
    """

    raw: bytes
    head: bytes
    first_line: bytes
    header: tuple[int, int] | None
    name: str

    @classmethod
    def of(cls, raw: bytes, name: str) -> Peek:
        head = raw[len(BOM) :] if raw.startswith(BOM) else raw
        nl = head.find(b"\n")
        first = head if nl < 0 else head[:nl]
        m = HEADER_RE.match(first)
        header = (int(m.group(1)), int(m.group(2))) if m else None
        return cls(raw, head, first, header, strip_gz(name))

    def after_header(self) -> bytes:
        """The peeked bytes after the header line, leading newlines removed."""
        nl = self.head.find(b"\n")
        return self.head[nl + 1 :].lstrip(b"\n") if nl >= 0 else b""


@dataclass(frozen=True)
class Format:
    """One file format: the registry's record (see :mod:`wvtool.formats.registry`).

    - ``read(source, options, progress, chunk_size) -> Vectors``: read an open
      :class:`~wvtool.files.Source` (its peeked bytes are served first);
    - ``write(vectors, out, progress)``: write to a binary stream (None: read-only format);
    - ``extensions``: file name endings :func:`~wvtool.formats.save` picks this format for;
    - ``sniff(peek) -> bool``: does the content look like this format (None: never detected,
      only forced); formats are tried in increasing ``sniff_order``, the first match wins;
    - ``magic``: the first bytes identify the format for certain (a magic number), so a file forced to
      another format that shows this one's, or forced to this one without it, is named as what it is;
    - ``check_words(words) -> str | None``: what makes a word unwritable in this format
      (None: every word can be written); see :func:`unwritable_word`;
    - ``check_table(vectors) -> str | None``: what makes the table as a whole (its shape) unwritable in this
      format, as ``'a table of ...'`` (None: it can be written);
    - ``companions(path) -> ((path, write), ...)``: further files written beside the
      output (a format made of several files); ``read`` is None for a write-only format;
    - ``subwords``: the format holds a subword table's n-gram matrix (else only word vectors are written);
    - ``subword_extensions``: endings :func:`~wvtool.formats.save` picks this format for when the
      table has subwords (they take precedence over other formats' ``extensions``).
    """

    name: str
    summary: str
    read: Callable[..., Vectors] | None
    write: Callable[..., None] | None
    extensions: tuple[str, ...] = ()
    sniff: Callable[[Peek], bool] | None = None
    sniff_order: int = 50
    magic: bool = False
    check_words: Callable[[Sequence[str]], str | None] | None = None
    check_table: Callable[[Vectors], str | None] | None = None
    companions: Callable[[Path], tuple] | None = None
    subwords: bool = False
    subword_extensions: tuple[str, ...] = ()


COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zip")


def strip_gz(path) -> str:
    """The file name in lower case without a compression suffix (and for ``a.zip:member``, the member's)."""
    name = Path(str(path)).name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


#: a number as the text readers parse it (Python's float() also takes '1_000', which they do not)
NUMBER_RE = re.compile(rb"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)", re.IGNORECASE)


def is_number(tok: bytes) -> bool:
    return NUMBER_RE.fullmatch(tok) is not None


def looks_like_text(b: bytes) -> bool:
    """Printable ASCII/whitespace or valid UTF-8 without control characters."""
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\n\t\r " for c in s)


# --- headers ---------------------------------------------------------------------------


def negative_header(line: bytes) -> str | None:
    """What is wrong with a first line that is two integers, one of them negative (``'-5 100'``), or None."""
    m = SIGNED_HEADER_RE.match(line)
    if not m or HEADER_RE.match(line):
        return None
    count, dim = int(m.group(1)), int(m.group(2))
    bad = [f"its {what} is negative ({value})" for what, value in (("count", count), ("dimension", dim)) if value < 0]
    if not bad:  # '+5 100': a sign, but nothing negative
        return "its numbers have a sign"
    return " and ".join(bad)


#: the fix for a header that is not two non-negative integers
HEADER_FIX = ("fix line 1: a word2vec header is 'COUNT DIM', the number of vectors and their dimension (two non-negative "
              "integers); or re-download or regenerate the file")


def parse_header(path, line: bytes) -> tuple[int, int]:
    m = HEADER_RE.match(line)
    negative = None if m else negative_header(line)
    if negative:
        shown = quote(line.decode("utf-8", "replace").strip(), 40)
        raise FormatError(path, "line 1", f"the header {shown} is damaged: {negative}", HEADER_FIX)
    if not m:
        shown = line[:80].decode("utf-8", "replace").strip()
        raise FormatError(
            path,
            "line 1",
            f"expected a 'count dim' header, found {shown!r}",
            "if the file has no header it is GloVe text: use {format='glove'}",
        )
    count, dim = int(m.group(1)), int(m.group(2))
    if dim == 0 and count > 0:
        raise FormatError(path, "line 1", "the header declares 0 dimensions", DAMAGED)
    if dim > MAX_DIM:
        raise FormatError(path, "line 1", f"the header declares {dim:,} dimensions, more than a vector can have "
                          f"(at most {MAX_DIM:,} float32 values fit in memory)", HEADER_DIM_FIX)
    return count, dim


def read_header_line(f, path) -> bytes:
    line = f.readline(4096)
    if not line:
        raise FormatError(path, None, "the file is empty", "give a file of word vectors")
    if line.startswith(BOM):
        line = line[len(BOM) :]
    return line


# --- settings ----------------------------------------------------------------------------


def _json_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_JSON_DIGITS:
        raise ValueError(f"an integer of {digits:,} digits, more than the {MAX_JSON_DIGITS} a setting may have")
    return int(text)


def read_json(blob: bytes):
    """The JSON document ``blob`` (UTF-8) holds; ValueError with a one-line reason if it is not one, is nested more
    than :data:`MAX_JSON_DEPTH` levels or holds an integer of more than :data:`MAX_JSON_DIGITS` digits."""
    text = blob.decode("utf-8")
    steps = (_JSON_STEP.get(t, 0) for t in _JSON_TOKEN.findall(text))
    if max(itertools.accumulate(steps), default=0) > MAX_JSON_DEPTH:
        raise ValueError(f"arrays or objects nested more than {MAX_JSON_DEPTH} levels deep")
    return json.loads(text, parse_int=_json_int)


# --- words -----------------------------------------------------------------------------

QUOTE_CHARS = 60  # a quoted word or token in a message is cut to this many characters


def quote(word: str | bytes, limit: int = QUOTE_CHARS) -> str:
    """``repr(word)``, cut to about ``limit`` characters with the full length noted (messages stay one short line)."""
    if len(word) <= limit:
        return repr(word)
    unit = "bytes" if isinstance(word, bytes) else "characters"
    return f"{word[:limit]!r}... ({len(word):,} {unit})"


def too_wide(vectors, limit: int, holder: str) -> str | None:
    """A ``check_table`` problem for a table of more than ``limit`` dimensions, the most its format's reader takes
    (``holder``: what holds one vector in that format, "a text row"), or None."""
    if vectors.dim > limit:
        return f"a table of {vectors.dim:,} dimensions ({holder} holds at most {limit:,} values)"
    return None


def unwritable_word(words: Sequence[str], anywhere: str, ends: str = "", max_bytes: int | None = None) -> str | None:
    """Describe the first word that is empty, contains a character of ``anywhere``, starts or ends with one of
    ``ends``, or is longer than ``max_bytes`` in UTF-8; None if every word is fine (checked in C first)."""
    if not words:
        return None
    joined = "\x00".join(words)
    suspicious = (
        any(c in joined for c in anywhere + ends)
        or "\x00\x00" in joined
        or not words[0]
        or not words[-1]
        or (max_bytes is not None and 4 * max(map(len, words)) > max_bytes)
    )
    if not suspicious:
        return None
    for w in words:
        if not w:
            return "an empty word"
        bad = next((c for c in anywhere if c in w), None)
        if bad is not None:
            return f"the word {quote(w)}, which contains {'whitespace ' if bad in ASCII_WS else ''}{bad!r},"
        if w[0] in ends or w[-1] in ends:
            return f"the word {quote(w)}, which starts or ends with whitespace,"
        if max_bytes is not None and len(w) * 4 > max_bytes and len(w.encode("utf-8")) > max_bytes:
            return f"the word {quote(w)}, {len(w.encode('utf-8')):,} bytes long (more than {max_bytes:,}),"
    return None



def decode_words(path, raw: list[bytes], encoding: str, errors: str, unit: str, first_number: list[int] | int):
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
                f"word {quote(w)} is not valid {encoding} ({e.reason} at byte {e.start})",
                "pass {unicode_errors='replace'} (or 'ignore'), or the right {encoding}",
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def make_vectors(path, words, vecs, counts) -> Vectors:
    """The table, duplicate words dropped (first occurrence kept) with a warning."""
    try:
        return Vectors(words, vecs, counts, source=str(path), _owned=True)
    except ConfigError:  # duplicate words (the only thing Vectors can object to here)
        if len(set(words)) == len(words):
            raise
    words, vecs, counts = dedupe(path, words, vecs, counts)
    return Vectors(words, vecs, counts, source=str(path), _owned=True)


def dedupe(path, words: list[str], vecs: np.ndarray, counts):
    """Keep the first occurrence of each word; warn with the number dropped."""
    first: dict[str, int] = {}
    for i, w in enumerate(words):
        first.setdefault(w, i)
    keep = np.zeros(len(words), dtype=bool)
    keep[np.fromiter(first.values(), dtype=np.int64, count=len(first))] = True
    dups = [w for i, w in enumerate(words) if not keep[i]]
    n = len(dups)
    examples = ", ".join(quote(w) for w in list(dict.fromkeys(dups))[:3])
    warnings.warn(
        f"{path}: {n:,} duplicate word{'s' if n != 1 else ''} skipped (first occurrence kept), e.g. {examples}",
        WvtoolWarning,
        stacklevel=5,
    )
    words = [w for i, w in enumerate(words) if keep[i]]
    vecs = vecs[keep]
    counts = None if counts is None else counts[keep]
    return words, vecs, counts


# --- values ----------------------------------------------------------------------------


def check_finite(path, vecs: np.ndarray, where, word) -> None:
    """Raise FormatError at the first NaN or infinite value; ``where(row)`` and ``word(row)`` describe its row."""
    if all_finite(vecs):
        return
    r, c, value = first_non_finite(vecs)
    raise FormatError(path, where(r), f"value {c + 1} of {quote(word(r))} is {value} (not a finite number)", DAMAGED)


def grow(a: np.ndarray, rows: int) -> np.ndarray:
    b = np.empty((rows, a.shape[1]), dtype=a.dtype)
    b[: len(a)] = a
    return b
