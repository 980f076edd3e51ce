"""Facebook fastText's binary model format (``.bin``): reader and writer.

Layout (little-endian, as fastText writes it on every common machine):

- ``int32 magic = 793712314``, ``int32 version`` (11 or 12); files from fastText
  before 2017 have neither and start directly with the args block ("old format");
- the args block: ``int32`` dim, ws, epoch, minCount, neg, wordNgrams, loss,
  model, bucket, minn, maxn, lrUpdateRate, then ``float64`` t;
- the dictionary: ``int32`` size, nwords, nlabels, ``int64`` ntokens, then (not in
  the old format) ``int64`` pruneidx_size; ``size`` entries of a NUL-terminated
  word, ``int64`` count and ``int8`` type (0 word, 1 label); ``pruneidx_size``
  pairs of ``int32``;
- ``uint8`` quant_input (not in the old format), the input matrix: ``int64`` rows
  (nwords + bucket), ``int64`` cols (dim), float32 rows (the words' own rows, then
  the n-gram buckets);
- ``uint8`` quant_output (not in the old format), the output matrix likewise (nwords x dim).

Reading gives a subword table (:class:`~wvtool.vectors.Vectors` with
:class:`~wvtool.subwords.Subwords`) whose word vectors are fastText's: the mean
of a word's own row and its n-gram rows.  With negative sampling (``loss`` ns,
fastText's default) the output matrix holds a row per word, the table's
``output_rows``: training with the model as ``init`` goes on from them.  Every
matrix the table uses (the words' rows, the n-gram rows, those output rows) is
checked for NaN and infinity as the model is read: a FormatError names the
matrix, the row and its word.  Supervised (classifier) models,
quantized ``.ftz`` models and pruned dictionaries are refused.  Every size the
header declares is checked against the file before anything is allocated.
"""

from __future__ import annotations

import mmap
import struct
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..arrays import all_finite, first_non_finite
from ..errors import ConfigError, FormatError, WvtoolWarning
from ..files import atomic_output, open_output_stream
from ..subwords import FASTTEXT_MODELS, Subwords, check_settings, compose_words, subword_rows
from ..vectors import Vectors
from .common import MAX_FASTTEXT_DIM, MAX_WORD_BYTES, Format, Peek, quote, too_wide, unwritable_word

MAGIC = 793712314
VERSION = 12
READ_VERSIONS = (11, 12)
_SIGNATURE = struct.Struct("<ii")
_ARGS = struct.Struct("<12id")
_DICT_HEAD = struct.Struct("<iiiq")
_ENTRY = struct.Struct("<qb")  # a dictionary entry after its word's NUL: count, type
_MODELS = FASTTEXT_MODELS
_LOSSES = {1: "hs", 2: "ns", 3: "softmax", 4: "ova"}
_LOSS_NS = 2  # negative sampling: the output matrix holds one row per word
_ROWS_PER_STEP = 4096  # rows written at a time

_DAMAGED = "the file is damaged or is not a complete fastText model; re-download or regenerate it"


@dataclass(frozen=True)
class FastTextArgs:
    """fastText's args block: the settings a model was trained with (names as fastText's options)."""

    dim: int
    ws: int = 5
    epoch: int = 5
    min_count: int = 5
    neg: int = 5
    word_ngrams: int = 1
    loss: int = 2  # ns
    model: int = 2  # skipgram
    bucket: int = 2_000_000
    minn: int = 3
    maxn: int = 6
    lr_update_rate: int = 100
    t: float = 1e-4

    def pack(self) -> bytes:
        return _ARGS.pack(*(getattr(self, f) for f in _ARG_FIELDS))

    def describe(self) -> dict:
        """The settings as a dict, with ``model`` and ``loss`` also by name."""
        d = asdict(self)
        d["model_name"] = _MODELS.get(self.model, str(self.model))
        d["loss_name"] = _LOSSES.get(self.loss, str(self.loss))
        return d


_ARG_FIELDS = tuple(FastTextArgs.__dataclass_fields__)


# --- detection ---------------------------------------------------------------------------


def sniff_fasttext_bin(head: bytes) -> bool:
    """Does ``head`` (the file's first bytes) start a fastText model?  The magic number, or
    an old-format args block and dictionary header whose values are all plausible."""
    if len(head) >= 8 and _SIGNATURE.unpack_from(head)[0] == MAGIC:
        return True
    if len(head) < _ARGS.size + _DICT_HEAD.size:
        return False
    return _plausible(FastTextArgs(*_ARGS.unpack_from(head)), _DICT_HEAD.unpack_from(head, _ARGS.size))


def _plausible(a: FastTextArgs, dict_head) -> bool:
    size, nwords, nlabels, ntokens = dict_head
    return (
        0 < a.dim <= MAX_FASTTEXT_DIM
        and a.ws >= 0
        and a.epoch >= 0
        and a.loss in _LOSSES
        and a.model in _MODELS
        and a.bucket >= 0
        and 0 <= a.minn <= 1000
        and 0 <= a.maxn <= 1000
        and np.isfinite(a.t)
        and 0 <= a.t <= 1
        and 0 <= nwords <= size
        and nlabels >= 0
        and size == nwords + nlabels
        and ntokens >= 0
    )


# --- reading -----------------------------------------------------------------------------


class _Cursor:
    """Reads a model held whole in a buffer (bytes, or an mmap of the file) part by part, naming the field when the
    file ends too soon.  ``buf[pos]`` is byte ``base + pos`` of the file."""

    whole = True  # the buffer holds the whole file: a size can be checked against it before anything is allocated

    def __init__(self, path, buf):
        self.path, self.buf, self.pos, self.base = str(path), buf, 0, 0

    def _more(self, n: int) -> bool:
        """Add up to ``n`` bytes of the file to the buffer; False at its end."""
        return False

    def _have(self, n: int) -> bool:
        while len(self.buf) - self.pos < n:
            if not self._more(n - (len(self.buf) - self.pos)):
                return False
        return True

    def _ends(self, n: int, field: str, start: int | None = None, end: int | None = None):
        start = self.base + self.pos if start is None else start
        end = self.base + len(self.buf) if end is None else end
        self.fail(field, f"the file ends at byte {end:,} but {field} needs {n:,} bytes from byte {start:,}")

    def need(self, n: int, field: str) -> None:
        if n < 0 or not self._have(n):
            self._ends(n, field)

    def peek(self, n: int) -> bytes:
        """Up to ``n`` bytes from the current position (fewer at the end of the file), not consumed."""
        self._have(n)
        return bytes(self.buf[self.pos : self.pos + n])

    def unpack(self, st: struct.Struct, field: str) -> tuple:
        self.need(st.size, field)
        out = st.unpack_from(self.buf, self.pos)
        self.pos += st.size
        return out

    def fail(self, field: str, problem: str, fix: str = _DAMAGED):
        raise FormatError(self.path, f"header field {field}", problem, fix)

    def entries(self, size: int) -> tuple[list[bytes], np.ndarray]:
        """The dictionary's ``size`` entries: each word's bytes, and the counts."""
        if self.whole:  # every entry takes at least 10 bytes (an empty word's NUL, count, type)
            self.need(10 * size, "dictionary")
        raw: list[bytes] = []
        counts: list[int] = []
        while True:
            self.pos = _parse_entries(self, raw, counts, size)
            if len(raw) == size:
                return raw, np.array(counts, dtype=np.int64)
            # the rest of the dictionary holds at least 10 bytes an entry, and more than the entry begun: reading
            # no more than that stays inside it (or, for a long word, at most its length past it)
            pending, left = len(self.buf) - self.pos, size - len(raw)
            if not self._more(max(10 * left - pending, pending, 1)):
                i = len(raw) + 1
                self.fail(f"dictionary entry {i}", f"the file ends inside the dictionary's entry {i:,} of {size:,}")

    def floats(self, what: str, m: int, n: int) -> np.ndarray:
        """The next ``m x n`` little-endian float32 values: a view of the buffer."""
        self.need(4 * m * n, what)
        mat = np.frombuffer(self.buf, dtype="<f4", count=m * n, offset=self.pos).reshape(m, n)
        self.pos += 4 * m * n
        return mat

    def skip(self, nbytes: int, what: str) -> None:
        self.need(nbytes, what)
        self.pos += nbytes

    def at_end(self, what: str) -> None:
        """FormatError unless the file ends here."""
        extra = len(self.buf) - self.pos
        if extra:
            self.fail(what, f"{extra:,} unexpected bytes after the {what}")


class _StreamCursor(_Cursor):
    """A :class:`_Cursor` over a stream (gzip, a pipe, standard input): the buffer holds only the part being parsed,
    read as it is needed and no further than the sizes declared so far say the model goes, so a header claiming
    more than the stream holds fails where the data ends, having held no more than what was read."""

    whole = False

    def __init__(self, src, chunk_size: int):
        super().__init__(src.name, bytearray())
        self.src, self.chunk = src, max(1, chunk_size)

    def _more(self, n: int) -> bool:
        if self.pos:
            del self.buf[: self.pos]
            self.base += self.pos
            self.pos = 0
        data = self.src.read(max(1, min(n, self.chunk)))
        self.buf += data
        return bool(data)

    def _take(self, nbytes: int, what: str, keep: bool) -> bytearray:
        """The next ``nbytes`` bytes (an empty bytearray unless ``keep``), read a chunk at a time."""
        start = self.base + self.pos
        held = self.buf[self.pos : self.pos + nbytes]
        if len(held) == nbytes:
            self.pos += nbytes
            return held if keep else bytearray()
        self.base, self.buf, self.pos = self.base + len(self.buf), bytearray(), 0
        data = held if keep else bytearray()
        done = len(held)
        while done < nbytes:
            chunk = self.src.read(min(self.chunk, nbytes - done))
            if not chunk:
                self._ends(nbytes, what, start, start + done)
            done += len(chunk)
            self.base += len(chunk)
            if keep:
                data += chunk
        return data

    def floats(self, what: str, m: int, n: int) -> np.ndarray:
        """The next ``m x n`` little-endian float32 values, read into memory that grows with the data read."""
        return np.frombuffer(self._take(4 * m * n, what, True), dtype="<f4").reshape(m, n)

    def skip(self, nbytes: int, what: str) -> None:
        self._take(nbytes, what, False)

    def at_end(self, what: str) -> None:
        if self._have(1):
            self.fail(what, f"unexpected bytes after the {what}, which ends at byte {self.base + self.pos:,}")


def _parse_entries(cur: _Cursor, raw: list[bytes], counts: list[int], size: int) -> int:
    """Parse the complete dictionary entries in ``cur.buf`` from ``cur.pos`` on, appending to ``raw`` and
    ``counts`` until they hold ``size``; return the position after the last one parsed."""
    buf, pos, end = cur.buf, cur.pos, len(cur.buf)
    find, unpack = buf.find, _ENTRY.unpack_from
    i = len(raw)
    while i < size:
        nul = find(b"\x00", pos, min(end, pos + MAX_WORD_BYTES + 1))
        if nul < 0 or nul + 10 > end:
            if nul < 0 and end - pos > MAX_WORD_BYTES:
                cur.fail(
                    f"dictionary entry {i + 1}", f"the word is longer than {MAX_WORD_BYTES:,} bytes (no NUL ends it)"
                )
            return pos
        raw.append(bytes(buf[pos:nul]))
        count, kind = unpack(buf, nul + 1)
        if kind != 0:
            cur.fail(f"dictionary entry {i + 1}", f"entry type {kind} (a label) among the words")
        counts.append(count)
        pos = nul + 10
        i += 1
    return pos


def read_fasttext_bin(path, buf, *, encoding: str = "utf-8", unicode_errors: str = "strict", limit=None) -> Vectors:
    """Read a fastText model held in ``buf`` (bytes, or an mmap of the file ``path``) into a subword table.

    ``limit`` must be None: a model's n-gram matrix is needed whatever its words.
    """
    _refuse_limit(path, limit)
    return _read(_Cursor(path, buf), encoding, unicode_errors)


def _read(cur: _Cursor, encoding: str, unicode_errors: str) -> Vectors:
    """Read a model from ``cur``, part by part in file order."""
    path = cur.path
    new_format = _read_signature(cur)
    args = FastTextArgs(*cur.unpack(_ARGS, "args"))
    _check_args(cur, args)
    raw, counts, nwords = _read_dictionary(cur, args, new_format)
    words = _decode(cur, raw, encoding, unicode_errors)
    if new_format:
        _refuse_quantized(cur, "quant_input", ".ftz, ")
    matrix = _read_matrix(cur, "input matrix", nwords + args.bucket, args.dim)
    with_ngrams = args.bucket > 0 and args.maxn > 0
    _check_finite(cur.path, "input matrix", matrix if with_ngrams else matrix[:nwords], words, args.bucket)
    output = _read_output_matrix(cur, new_format, nwords, args.dim, args.loss)
    if output is not None and _written_as_zeros(output):
        output = None  # the zeros written for a table that had none
    if output is not None:
        _check_finite(cur.path, "output matrix", output, words)
    words, counts, own, output = _dedupe(path, words, counts, matrix[:nwords], output)
    if not with_ngrams:
        return Vectors(words, own, counts, source=str(path), output_rows=output, training=asdict(args), _owned=True)
    sw = Subwords(args.minn, args.maxn, args.bucket, matrix[nwords:], encoding=encoding, training=asdict(args),
                  _owned=True)
    vectors = compose_words(words, own, sw)
    return Vectors(words, vectors, counts, source=str(path), subwords=sw, word_rows=own, output_rows=output,
                   _owned=True)


def _refuse_limit(path, limit) -> None:
    if limit is not None:
        raise ConfigError(
            f"{{limit={limit}}} does not apply to a fastText model ({path}): its n-gram matrix serves every word, "
            "so it is read whole; leave out {limit}, or convert the model to a word-only file first"
        )


def _read_signature(cur: _Cursor) -> bool:
    """True for the current format (magic + version); False for the old one (args first)."""
    head = cur.peek(_ARGS.size + _DICT_HEAD.size)
    cur.need(_SIGNATURE.size, "magic")
    magic, version = _SIGNATURE.unpack_from(head)
    if magic != MAGIC:
        if not sniff_fasttext_bin(head):
            cur.fail(
                "magic",
                f"not a fastText model (magic number {magic}, expected {MAGIC})",
                "check the file or its format",
            )
        return False  # the args block starts here
    cur.pos += _SIGNATURE.size
    if version not in READ_VERSIONS:
        cur.fail(
            "version",
            f"fastText format version {version}; wvtool reads versions {', '.join(map(str, READ_VERSIONS))}",
            "save the model with a fastText release that writes version 12",
        )
    return True


def _check_args(cur: _Cursor, a: FastTextArgs) -> None:
    if a.model == 3:
        cur.fail(
            "model",
            "a supervised (classifier) fastText model (model=supervised); wvtool reads word-vector models (cbow, skipgram)",
            "train an unsupervised model, or use fastText itself for classifiers",
        )
    if a.dim <= 0:
        cur.fail("dim", f"dim={a.dim} is not a valid dimension")
    if a.dim > MAX_FASTTEXT_DIM:
        cur.fail(
            "dim",
            f"dim={a.dim:,} is over wvtool's limit for a fastText model ({MAX_FASTTEXT_DIM:,} dimensions)",
            "wvtool cannot read a model that wide; if it should have fewer dimensions, the file is damaged: "
            "re-download or regenerate it",
        )
    if not np.isfinite(a.t):
        cur.fail("t", f"the sampling threshold t={a.t} is not a number")
    if a.bucket < 0 or a.minn < 0 or a.maxn < 0:
        cur.fail("bucket", f"negative n-gram settings (bucket={a.bucket}, minn={a.minn}, maxn={a.maxn})")
    if a.maxn > 0 and a.bucket > 0:
        try:
            check_settings(a.minn, a.maxn, a.bucket)
        except ConfigError as e:
            cur.fail("minn", str(e))


def _read_dictionary(cur: _Cursor, args: FastTextArgs, new_format: bool):
    size, nwords, nlabels, _ntokens = cur.unpack(_DICT_HEAD, "dictionary size")
    if nlabels > 0:
        cur.fail(
            "nlabels", f"a supervised (classifier) fastText model ({nlabels:,} labels); wvtool reads word-vector models"
        )
    if size < 0 or nwords < 0 or nlabels < 0 or size != nwords + nlabels:
        cur.fail("dictionary size", f"inconsistent dictionary sizes (size={size}, nwords={nwords}, nlabels={nlabels})")
    if new_format:
        (prune,) = cur.unpack(struct.Struct("<q"), "pruneidx_size")
        if prune >= 0:
            cur.fail(
                "pruneidx_size",
                f"a pruned (quantized) fastText model (pruneidx_size={prune}); wvtool reads full models",
                "use the .bin model",
            )
    raw, counts = cur.entries(size)
    return raw, counts, nwords


def _decode(cur: _Cursor, raw: list[bytes], encoding: str, errors: str) -> list[str]:
    try:
        return [b.decode(encoding, errors) for b in raw]
    except UnicodeDecodeError as e:
        i = next(i for i, b in enumerate(raw) if _undecodable(b, encoding))
        raise FormatError(
            cur.path,
            f"dictionary entry {i + 1}",
            f"the word {raw[i][:60]!r} is not valid {encoding} ({e.reason})",
            "pass the model's {encoding} (e.g. encoding='cp852'), or {unicode_errors='replace'}",
        ) from None


def _undecodable(b: bytes, encoding: str) -> bool:
    try:
        b.decode(encoding)
    except UnicodeDecodeError:
        return True
    return False


def _read_matrix(cur: _Cursor, what: str, rows: int, dim: int) -> np.ndarray:
    m, n = cur.unpack(struct.Struct("<qq"), f"{what} shape")
    if (m, n) != (rows, dim):
        cur.fail(
            f"{what} shape",
            f"the {what} is {m:,} x {n:,} but the header implies {rows:,} x {dim} (nwords + bucket x dim)",
        )
    mat = cur.floats(what, m, n)
    # aligned native float32 for the kernels (a copy when the matrix starts at an odd offset or on big-endian)
    return np.require(mat, dtype=np.float32, requirements=("C", "A"))


def _check_finite(path, what: str, rows: np.ndarray, words: list[str], bucket: int = 0) -> None:
    """FormatError naming the first row of ``rows`` (the input or output matrix: the words' rows, then for the
    input matrix the n-gram rows) that holds a NaN or an infinity: none may reach a query or an output file.
    Checked in blocks, without a matrix-sized temporary."""
    if all_finite(rows):
        return
    r, c, value = first_non_finite(rows)
    of = f"the word {quote(words[r])}" if r < len(words) else f"n-gram row {r - len(words) + 1} of {bucket:,}"
    raise FormatError(path, f"{what}, row {r + 1} ({of})", f"value {c + 1} is {value} (not a finite number)", _DAMAGED)


def _refuse_quantized(cur: _Cursor, field: str, kind: str = "") -> None:
    """Read the boolean ``field`` (quant_input or quant_output); a quantized matrix is refused in one line."""
    (quant,) = cur.unpack(struct.Struct("<?"), field)
    if quant:
        cur.fail(field, f"a quantized fastText model ({kind}{field}=1); wvtool reads full models", "use the .bin model")


def _read_output_matrix(cur: _Cursor, new_format: bool, nwords: int, dim: int, loss: int) -> np.ndarray | None:
    """The output matrix, the file's last part, if it holds the words' rows (negative sampling): from a buffer a
    view of it (float32, maybe unaligned: copied only where used).  None for the rows of a softmax tree, or of no
    word (from a stream they are read past, not kept)."""
    if new_format:
        _refuse_quantized(cur, "quant_output")
    m, n = cur.unpack(struct.Struct("<qq"), "output matrix shape")
    if n != dim or m < 0:
        cur.fail("output matrix shape", f"the output matrix is {m:,} x {n:,}; expected {dim} columns")
    if loss == _LOSS_NS and m == nwords:
        output = cur.floats("output matrix", m, n)
    else:
        output = None
        cur.skip(4 * m * n, "output matrix")
    cur.at_end("output matrix")
    return output


def _dedupe(path, words, counts, own, output):
    if len(set(words)) == len(words):
        return words, counts, own, output
    first: dict[str, int] = {}
    for i, w in enumerate(words):
        first.setdefault(w, i)
    keep = np.zeros(len(words), dtype=bool)
    keep[list(first.values())] = True
    n = len(words) - len(first)
    warnings.warn(
        f"{path}: {n:,} duplicate word{'s' if n != 1 else ''} after decoding skipped (first occurrence kept)", WvtoolWarning, stacklevel=4
    )
    return [w for w, k in zip(words, keep, strict=True) if k], counts[keep], own[keep], None if output is None else output[keep]


def open_buffer(path):
    """The file's bytes as a read-only mmap (or bytes for an empty file)."""
    with open(path, "rb") as fh:
        try:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # empty file
            return b""


def read_fasttext_model(src, options, progress, chunk_size) -> Vectors:
    """The registry's reader: an open :class:`~wvtool.files.Source`, memory-mapped if it is an uncompressed
    regular file, else read as a stream part by part (:class:`_StreamCursor`)."""
    _refuse_limit(src.name, options.limit)  # before reading anything
    if src.size is None:
        cur = _StreamCursor(src, chunk_size)
        empty = not cur.peek(1)
    else:
        empty = src.size == 0
    if empty:
        raise FormatError(src.name, None, "the file is empty", "give a file of word vectors")
    if src.size is not None:
        cur = _Cursor(src.name, mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ))
    kv = _read(cur, options.encoding, options.unicode_errors)
    progress(len(kv), len(kv), {})
    return kv


def _sniff(peek: Peek) -> bool:
    return sniff_fasttext_bin(peek.raw)


# --- writing -----------------------------------------------------------------------------


def _written_as_zeros(output: np.ndarray) -> bool:
    """True for the zero output matrix written for a table without output rows (:func:`write_fasttext_bin`).

    Only the first and last rows are looked at, so the matrix (a view of the file) stays unread: training
    updates the output row of every word it sees, and those of the most and least frequent words are never
    both left at exactly zero.
    """
    return not (output[:8].any() or output[-8:].any())


def write_fasttext_bin(vectors: Vectors, out, progress=None, *, output=None, args: FastTextArgs | None = None) -> None:
    """Write ``vectors`` as a fastText model (version 12) to the binary stream ``out``.

    A subword table writes its n-gram matrix and its words' own rows (derived
    from the composed vectors when the table has none); a word-only table writes
    a model without n-grams (bucket 0, maxn 0).  ``output``: the output matrix
    (words x dim); by default the table's ``output_rows``, else zeros (enough for
    vectors, not to resume training).
    ``args``: the settings to record; by default those the table carries, else
    fastText's defaults with the table's dim, bucket, minn and maxn.
    """
    sw = vectors.subwords
    if sw is not None and sw.normalize:
        raise ConfigError(
            "a normalized subword table cannot be written as a fastText model (its vectors are no longer "
            "the mean of its rows); write it before normalizing, or write a word-only format"
        )
    problem = _unwritable_table(vectors)
    if problem:
        raise ConfigError(f"cannot write {problem} as a fastText model; write another format")
    n, dim = len(vectors), vectors.dim
    args = _args_for(vectors, args)
    counts = vectors.counts
    counts = np.arange(n, 0, -1, dtype=np.int64) if counts is None else np.maximum(counts, 1)
    encoding = _word_encoding(vectors)
    entries = []
    for w, c in zip(vectors.words, counts.tolist(), strict=True):
        b = w.encode(encoding)
        if b"\x00" in b:
            raise ConfigError(f"cannot write the word {w!r} in a fastText model: it contains a NUL character")
        if len(b) > MAX_WORD_BYTES:
            raise ConfigError(f"cannot write the word {quote(w)} in a fastText model: it is {len(b):,} bytes long, "
                              f"more than the {MAX_WORD_BYTES:,} wvtool reads")
        entries.append(b + b"\x00" + struct.pack("<qb", c, 0))
    out.write(_SIGNATURE.pack(MAGIC, VERSION) + args.pack())
    out.write(_DICT_HEAD.pack(n, n, 0, int(counts.sum())) + struct.pack("<q", -1))
    out.write(b"".join(entries))
    own = vectors.word_rows if vectors.word_rows is not None else _own_rows(vectors)
    out.write(struct.pack("<?qq", False, n + args.bucket, dim))
    _write_rows(out, own)
    if sw is not None:
        _write_rows(out, sw.ngrams)
    out.write(struct.pack("<?qq", False, n, dim))
    if output is None:
        output = vectors.output_rows
    if output is None:
        zeros = np.zeros((min(n, _ROWS_PER_STEP), dim), dtype="<f4").tobytes()
        for s in range(0, n, _ROWS_PER_STEP):
            out.write(zeros[: 4 * dim * min(_ROWS_PER_STEP, n - s)])
    else:
        output = np.asarray(output)
        if output.shape != (n, dim):
            raise ConfigError(f"the output matrix must be {n} x {dim}, got {output.shape}")
        _write_rows(out, output)
    if progress is not None:
        progress(n, n, {})


def save_fasttext_model(
    vectors: Vectors, path, *, output=None, args: FastTextArgs | None = None, inputs=(), progress=None
) -> Path:
    """Write ``vectors`` as a fastText model at ``path`` atomically (``.gz``, ``.bz2`` or ``.xz`` compresses), with the
    ``output`` matrix and settings ``args`` (see :func:`write_fasttext_bin`: by default the table's own); return
    the path.  ``wvtool.save(kv, "m.bin")`` does the same with the defaults."""
    with atomic_output(path, inputs=inputs) as tmp:
        with open_output_stream(tmp, path) as out:
            write_fasttext_bin(vectors, out, progress, output=output, args=args)
    return Path(path)


def _unwritable_table(vectors: Vectors) -> str | None:
    """The registry's ``check_table``: what makes the table unwritable as a model that reads back as it is, or None.

    A model's words are written in the encoding its n-grams are hashed from (fastText hashes a word's bytes as
    they are in the file): the table's :attr:`~wvtool.subwords.Subwords.encoding`, UTF-8 for a word-only table.
    A word that encoding cannot hold (one read with ``unicode_errors='replace'`` from a model read as ASCII) is
    refused: written in another encoding, its n-grams would hash to other rows when the model is read back.
    """
    problem = too_wide(vectors, MAX_FASTTEXT_DIM, "a fastText model row")
    if problem:
        return problem
    encoding = _word_encoding(vectors)
    words = vectors.words
    try:
        "\n".join(words).encode(encoding)
        return None
    except UnicodeEncodeError:
        pass
    for i, w in enumerate(words):
        try:
            w.encode(encoding)
        except UnicodeEncodeError:
            why = (
                "the encoding its n-grams are hashed from; read the model with the {encoding} it was written in: "
                "fastText's own models are UTF-8"
                if vectors.subwords is not None
                else "a fastText model's words are UTF-8"
            )
            return f"a table whose word {quote(w)} (row {i + 1}) cannot be encoded in {encoding} ({why})"
    return None  # pragma: no cover (the joined words failed, so one of them does)


def _word_encoding(vectors: Vectors) -> str:
    return vectors.subwords.encoding if vectors.subwords is not None else "utf-8"


def _args_for(vectors: Vectors, args: FastTextArgs | None) -> FastTextArgs:
    sw = vectors.subwords
    if args is None:
        known = vectors.training or {}
        args = FastTextArgs(**{k: v for k, v in known.items() if k in _ARG_FIELDS and k != "dim"}, dim=vectors.dim)
    if sw is None:
        return FastTextArgs(**{**asdict(args), "dim": vectors.dim, "bucket": 0, "minn": 0, "maxn": 0})
    return FastTextArgs(**{**asdict(args), "dim": vectors.dim, "bucket": sw.bucket, "minn": sw.minn, "maxn": sw.maxn})


def _own_rows(vectors: Vectors) -> np.ndarray:
    """The own rows that make the table's vectors: ``v * (1 + k) - sum(n-gram rows)`` (exact up to rounding)."""
    sw = vectors.subwords
    vecs = vectors.vectors
    if sw is None:
        return vecs
    zero = np.zeros_like(vecs)
    sums = compose_words(list(vectors.words), zero, sw)  # mean of (0, n-gram rows): sum / (1 + k)
    offsets, _ = subword_rows(list(vectors.words), sw.minn, sw.maxn, sw.bucket, sw.encoding)
    k1 = np.diff(offsets).astype(np.float32)[:, None]
    return (vecs * k1 - sums * k1).astype(np.float32)


def _write_rows(out, rows: np.ndarray) -> None:
    for s in range(0, len(rows), _ROWS_PER_STEP * 4):
        out.write(np.ascontiguousarray(rows[s : s + _ROWS_PER_STEP * 4], dtype="<f4").tobytes())


FASTTEXT_BIN = Format(
    "fasttext-bin",
    "Facebook fastText model (.bin): words and the n-gram matrix that composes unseen words",
    read_fasttext_model,
    write_fasttext_bin,
    extensions=(),  # .bin stays word2vec binary for a word-only table
    sniff=_sniff,
    sniff_order=5,
    magic=True,
    check_words=lambda words: unwritable_word(words, "\x00", max_bytes=MAX_WORD_BYTES),
    check_table=_unwritable_table,
    subwords=True,
    subword_extensions=(".bin",),  # a subword table's .bin is a fastText model, as fastText names it
)
