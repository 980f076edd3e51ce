"""Export an embedding matrix for a tokenizer's vocabulary (Keras / PyTorch embedding layers).

Row ``i`` of the output is token ``i`` of the vocabulary: line ``i`` of a
one-token-per-line file (plain, WordPiece ``vocab.txt``, SentencePiece
``.vocab``), or id ``i`` of a Hugging Face ``tokenizer.json`` / ``vocab.json``
(see :mod:`wvtool.tokenizer_vocab`).  Each row is filled, in this order
(the report counts each kind, see :class:`Fill`):

- *special*: padding and special tokens (``[PAD]``, ``<pad>``, ``[CLS]``,
  ``</s>``, ``<|endoftext|>``, empty lines, tokens a tokenizer.json declares
  special; a token spelt like one that it declares not special, such as an
  added ``<br>``, only when the table lacks it; or exactly the tokens given
  as ``zeros``, and empty lines) get zeros;
- *exact*: the token is in the table;
- *piece*: a subword piece whose word is in the table once its marker is
  removed (``##ing`` -> ``ing``, ``▁the`` -> ``the``, ``Ġthe`` -> ``the``;
  ``pieces=False`` turns this off);
- *lowercase*: (unless ``lowercase_fallback=False``) the lowercased token,
  else the first (most frequent) table word whose lowercase form equals it,
  so an uncased vocabulary finds ``King`` in a cased table;
- *unused*: an id no token has (JSON vocabularies) gets zeros;
- *missing*: anything else gets, with ``missing="random"``, a row drawn from a
  normal distribution with the table's own per-dimension mean and standard
  deviation (so the new rows have the same spread as the trained ones),
  reproducible with ``seed``; with ``missing="zeros"``, zeros.

A token that appears on several lines gets the same row on each of them
(also when it is missing); the duplicates are counted and warned about.

    >>> kv = wvtool.load("vectors.bin")
    >>> wvtool.export_matrix(kv, "vocab.txt", "embedding.npy")
    >>> torch.nn.Embedding.from_pretrained(torch.from_numpy(np.load("embedding.npy")))
"""

from __future__ import annotations

import enum
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import settings as _settings
from .errors import ConfigError, FormatError, WvtoolWarning
from .files import WriteOnly, atomic_output, check_output
from .tokenizer_vocab import VOCAB_FORMATS, TokenizerVocab, read_tokenizer_vocab, tokens_vocab
from .vectors import Vectors

#: how rows of tokens missing from the table are filled
MISSING = ("random", "zeros")
OUTPUT_EXTENSIONS = (".npy", ".npz")
#: how many missing tokens the report lists
EXAMPLES = 10


class Fill(enum.IntEnum):
    """How one row of the exported matrix was filled."""

    MISSING = 0  #: not in the table: random or zero, as ``missing`` says
    EXACT = 1  #: the token itself is in the table
    LOWERCASE = 2  #: found after lowercasing (``lowercase_fallback``)
    PIECE = 3  #: a subword piece whose word (marker removed) is in the table
    SPECIAL = 4  #: a padding or special token: zeros
    UNUSED = 5  #: an id no token has: zeros
    COMPOSED = 6  #: outside the vocabulary of a subword table (fastText model): composed from its n-grams

    @property
    def key(self) -> str:
        """The name of this kind in the report (``"exact"``, ``"piece"``, ...)."""
        return self.name.lower()


@dataclass(frozen=True)
class ExportOptions:
    """Settings of :func:`export_matrix`.

    - ``missing``: rows of tokens not in the table: ``"random"`` (the table's
      per-dimension mean and spread) or ``"zeros"``.
    - ``seed``: random seed of ``missing="random"`` rows (0 to 2**63-1).
    - ``lowercase_fallback``: look a token up lowercased (and case-insensitively) when it is not found as written.
    - ``vocab_format``: ``"auto"`` (from the content), ``"plain"``, ``"wordpiece"``,
      ``"sentencepiece"`` or ``"json"`` (see :mod:`wvtool.tokenizer_vocab`).
    - ``pieces``: look subword pieces up by their word (``##ing`` -> ``ing``).
    - ``zeros``: the tokens whose rows are zeros, besides empty lines (a list or tuple, kept as a
      tuple); None: the padding and special tokens the vocabulary declares or
      that look special (``[PAD]``, ``<pad>``, ``</s>``, ``<|endoftext|>``, empty lines).
    """

    missing: str = "random"
    seed: int = 0
    lowercase_fallback: bool = True
    vocab_format: str = "auto"
    pieces: bool = True
    zeros: list[str] | None = None

    def __post_init__(self):
        put = object.__setattr__
        _settings.choice("missing", self.missing, MISSING)
        put(self, "seed", _settings.whole("seed", self.seed, 0, 2**63 - 1))
        put(self, "lowercase_fallback", _settings.flag("lowercase_fallback", self.lowercase_fallback))
        _settings.choice("vocab_format", self.vocab_format, VOCAB_FORMATS)
        put(self, "pieces", _settings.flag("pieces", self.pieces))
        if self.zeros is not None:
            zeros = (self.zeros,) if isinstance(self.zeros, str) else self.zeros
            try:
                zeros = tuple(zeros)
            except TypeError:
                zeros = (None,)
            if not all(isinstance(t, str) for t in zeros):
                raise ConfigError(f"{{zeros={self.zeros!r}}} must be a list of tokens, e.g. ['[PAD]']")
            put(self, "zeros", zeros)


def read_vocab(path) -> list[str]:
    """The tokens of a one-token-per-line vocabulary file (line endings and a UTF-8 BOM removed, nothing else)."""
    return list(read_tokenizer_vocab(path, "plain").tokens)


def output_path(output, inputs=()) -> Path:
    """``output`` as a Path after checking its extension and that it can be written (not over an input)."""
    if not isinstance(output, (str, os.PathLike)):
        raise ConfigError(f"{{output}} must be a file name ending in .npy or .npz, not {type(output).__name__}")
    out_path = Path(output)
    ext = out_path.suffix.lower()
    if ext not in OUTPUT_EXTENSIONS:
        raise ConfigError(f"{{output='{out_path}'}}: the output must end in .npy or .npz (got {ext or 'no extension'!r})")
    return check_output(out_path, inputs=inputs)


def _vocab_tokens(vocab_path) -> list[str] | None:
    """The tokens when ``vocab_path`` is a list (or tuple) of tokens, None when it is a path; ConfigError otherwise."""
    if isinstance(vocab_path, (str, os.PathLike)):
        return None
    if not isinstance(vocab_path, (list, tuple)):
        raise ConfigError(f"{{vocab_path}} must be the path of a vocabulary file or a list of tokens, "
                          f"not {type(vocab_path).__name__}")
    bad = next((i for i, t in enumerate(vocab_path) if not isinstance(t, str)), None)
    if bad is not None:
        raise ConfigError(f"{{vocab_path}}: a list of tokens must hold only str; item {bad} is "
                          f"{type(vocab_path[bad]).__name__}")
    if not vocab_path:
        raise ConfigError("{vocab_path} is an empty list; give at least one token")
    return list(vocab_path)


def export_matrix(vectors, vocab_path, output, *, options: ExportOptions | None = None, load_options=None,
                  progress=None, **settings) -> dict:
    """Write the (rows, dim) float32 matrix for the tokenizer vocabulary ``vocab_path`` to ``output`` (.npy or .npz).

    ``vocab_path`` is a vocabulary file, or a list of tokens (token ``i`` is row ``i``), read as
    the lines of a one-token-per-line file are (``vocab_format`` ``"json"`` needs a file); the
    report's ``vocab`` then says ``"<list of N tokens>"``.

    ``vectors`` is a :class:`~wvtool.Vectors` table or the path of a vector
    file, read with ``load_options`` (a :class:`~wvtool.formats.LoadOptions`)
    and ``progress`` after every argument and the vocabulary are checked.
    ``options`` (an :class:`ExportOptions`) and/or its fields as keywords
    (``missing``, ``seed``, ``lowercase_fallback``, ``vocab_format``,
    ``pieces``, ``zeros``) say how rows are found and filled (see the module
    docs).  A ``.npz`` file holds the matrix under the key ``embeddings``.

    Returns a report: rows, dim, vocab_format, for every :class:`Fill` kind
    (exact, lowercase, piece, special, unused, missing) its count and
    percentage (``exact_pct``, ...), some missing and special examples,
    duplicates, empty lines, and how missing rows were filled.
    """
    _settings.table_or_path("vectors", vectors)
    opts = _settings.build(ExportOptions, options, **settings)
    _settings.callback("progress", progress)
    tokens = _vocab_tokens(vocab_path)
    if tokens is not None:
        vocab_path = f"<list of {len(tokens):,} tokens>"
    source = vectors.source if isinstance(vectors, Vectors) else str(vectors)
    inputs = ([vocab_path] if tokens is None else []) + ([source] if source else [])
    out_path = output_path(output, inputs)
    if tokens is None:
        vocab = read_tokenizer_vocab(vocab_path, opts.vocab_format)
    else:
        vocab = tokens_vocab(tokens, opts.vocab_format, vocab_path)
    if not isinstance(vectors, Vectors):
        from .formats import load

        vectors = load(vectors, options=load_options, progress=progress)
    if len(vectors) == 0:
        raise FormatError(vectors.source or "vectors", None, "the vector table is empty", "give a table with vectors")

    rows, fill = _match(vocab, vectors, opts)
    table = np.asarray(vectors.vectors, dtype=np.float32)
    matrix = np.zeros((len(vocab.tokens), vectors.dim), dtype=np.float32)
    found = rows >= 0
    matrix[found] = table[rows[found]]
    _compose_missing(matrix, fill, vocab, vectors, opts)
    first_line: dict[str | None, int] = {}
    for i, tok in enumerate(vocab.tokens):
        first_line.setdefault(tok, i)
    # the same keys whatever was filled: the seed of random rows (null for zeros), the mean and spread drawn from
    # (null when nothing was drawn)
    filled = {"missing": opts.missing, "seed": opts.seed if opts.missing == "random" else None, "mean": None,
              "std": None}
    if opts.missing == "random":
        filled.update(_fill_random(matrix, table, vocab.tokens, np.flatnonzero(fill == Fill.MISSING), first_line, opts.seed))

    absent = [t for t in opts.zeros or () if t not in first_line]
    if absent:  # a misspelt --zeros token would leave the padding it meant with a random row
        shown = ", ".join(repr(t) for t in absent[:EXAMPLES]) + (", ..." if len(absent) > EXAMPLES else "")
        warnings.warn(f"{vocab_path}: {len(absent):,} of the tokens given as {{zeros}} {'is' if len(absent) == 1 else 'are'} "
                      f"not in the vocabulary: {shown}", WvtoolWarning, stacklevel=2)
    duplicates = sum(1 for i, tok in enumerate(vocab.tokens) if tok and first_line[tok] != i)
    if duplicates:
        warnings.warn(
            f"{vocab_path}: {duplicates:,} duplicate token line{'s' if duplicates != 1 else ''}; "
            "each gets the same row as the token's first line",
            WvtoolWarning,
            stacklevel=2,
        )
    _write(out_path, inputs, matrix)
    return _report(out_path, vocab_path, vectors, vocab, fill, filled, duplicates)


class _Lookup:
    """Table rows of words: exactly, then (if allowed) lowercased or case-insensitively (first, most frequent row)."""

    def __init__(self, vectors: Vectors, lowercase_fallback: bool):
        self.index = vectors.index
        self.words = vectors.words
        self.fallback = lowercase_fallback
        self._lowered: dict[str, int] | None = None

    def exact(self, word: str) -> int | None:
        return self.index.get(word)

    def folded(self, word: str) -> int | None:
        if not self.fallback:
            return None
        low = word.lower()
        r = self.index.get(low)
        if r is None:
            if self._lowered is None:
                self._lowered = {}
                for i, w in enumerate(self.words):
                    self._lowered.setdefault(w.lower(), i)
            r = self._lowered.get(low)
        return r


def _match(vocab: TokenizerVocab, vectors: Vectors, opts: ExportOptions) -> tuple[np.ndarray, np.ndarray]:
    """Table row (-1: none) and :class:`Fill` of every row of the vocabulary, in the order the module docs give."""
    n = len(vocab.tokens)
    rows = np.full(n, -1, dtype=np.int64)
    fill = np.full(n, Fill.MISSING, dtype=np.int8)
    zeros = None if opts.zeros is None else set(opts.zeros)
    look = _Lookup(vectors, opts.lowercase_fallback)
    for i, tok in enumerate(vocab.tokens):
        if tok is None:
            fill[i] = Fill.UNUSED
            continue
        if zeros is not None:  # exactly these tokens, and empty lines (a row kept for nothing)
            special = tok in zeros or not tok
        else:  # a token declared not special is looked up (an added '<br>'), and only zeroed if the table lacks it
            special = vocab.looks_special(i) and not (i in vocab.not_special and look.exact(tok) is not None)
        if special:
            fill[i] = Fill.SPECIAL
            continue
        if not tok:
            continue
        rows[i], fill[i] = _find(tok, vocab.word(tok) if opts.pieces else None, look)
    return rows, fill


def _compose_missing(matrix: np.ndarray, fill: np.ndarray, vocab: TokenizerVocab, vectors: Vectors,
                     opts: ExportOptions) -> None:
    """A subword table (fastText model) composes the missing tokens (a piece: its word) from their n-grams."""
    if vectors.subwords is None:
        return
    miss = [i for i in np.flatnonzero(fill == Fill.MISSING).tolist() if vocab.tokens[i]]
    if not miss:
        return
    words = [(opts.pieces and vocab.word(vocab.tokens[i])) or vocab.tokens[i] for i in miss]
    got = vectors.lookup(words, missing="zero")
    ok = np.asarray(miss)[~got.missing]
    matrix[ok] = got.vectors[~got.missing]
    fill[ok] = Fill.COMPOSED


def _find(token: str, word: str | None, look: _Lookup) -> tuple[int, Fill]:
    """(row, how) of one token: as written, then its word if it is a piece, then lowercased; (-1, MISSING) if none."""
    r = look.exact(token)
    if r is not None:
        return r, Fill.EXACT
    if word:
        r = look.exact(word)
        if r is None:
            r = look.folded(word)
        if r is not None:
            return r, Fill.PIECE
    r = look.folded(token)
    if r is not None:
        return r, Fill.LOWERCASE
    return -1, Fill.MISSING


def _fill_random(matrix, table, tokens, miss, first_line, seed: int) -> dict:
    """Draw the rows ``miss`` from the table's per-dimension normal distribution; one draw per distinct token."""
    if len(miss):
        mean = table.mean(axis=0, dtype=np.float64)
        std = table.std(axis=0, dtype=np.float64)
        rng = np.random.default_rng(seed)
        distinct = [i for i in miss.tolist() if first_line[tokens[i]] == i]
        draws = (rng.normal(size=(len(distinct), table.shape[1])) * std + mean).astype(np.float32)
        drawn = dict(zip(distinct, draws, strict=True))
        for i in miss.tolist():
            matrix[i] = drawn[first_line[tokens[i]]]
        return {"seed": seed, "mean": float(mean.mean()), "std": float(std.mean())}
    return {}


def _write(out_path: Path, inputs, matrix: np.ndarray) -> None:
    with atomic_output(out_path, inputs=inputs) as tmp:
        with open(tmp, "wb") as fh:  # a file object: numpy must not add its own extension
            # a FIFO or a device (atomic_output writes through to them) cannot seek: the .npy goes out in order,
            # the .npz (a zip archive numpy only writes to a file it can seek in) is made in memory first
            if out_path.suffix.lower() == ".npz":
                buffer = fh if fh.seekable() else io.BytesIO()
                np.savez(buffer, embeddings=matrix)
                if buffer is not fh:
                    fh.write(buffer.getbuffer())
            else:
                np.save(fh if fh.seekable() else WriteOnly(fh), matrix)


def _report(out_path, vocab_path, vectors: Vectors, vocab: TokenizerVocab, fill: np.ndarray, filled: dict,
            duplicates: int) -> dict:
    n = len(vocab.tokens)
    result = {
        "output": str(out_path),
        "vocab": str(vocab_path),
        "vocab_format": vocab.kind,
        "vectors": vectors.source,
        "rows": n,
        "dim": vectors.dim,
    }
    for kind in Fill:
        count = int(np.count_nonzero(fill == kind))
        result[kind.key] = count
        result[kind.key + "_pct"] = 100.0 * count / n if n else 0.0
    result["missing_examples"] = [vocab.tokens[i] for i in np.flatnonzero(fill == Fill.MISSING)[:EXAMPLES].tolist()]
    result["special_examples"] = [vocab.tokens[i] for i in np.flatnonzero(fill == Fill.SPECIAL)[:EXAMPLES].tolist()]
    result["duplicates"] = duplicates
    result["empty_lines"] = sum(1 for t in vocab.tokens if t == "")
    result["fill"] = filled
    return result
