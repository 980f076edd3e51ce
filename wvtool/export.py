"""Export an embedding matrix for a tokenizer's vocabulary (Keras / PyTorch embedding layers).

Row ``i`` of the output is line ``i`` of the vocabulary file (one token per
line, taken verbatim apart from the line ending).  Each token is looked up
exactly; then (unless ``lowercase_fallback=False``) case-insensitively: the
lowercased token, else the first (most frequent) table word whose lowercase
form equals it, so an uncased vocabulary finds ``King`` in a cased table.
Tokens found neither way are *missing* and get

- ``missing="random"``: a row drawn from a normal distribution with the
  table's own per-dimension mean and standard deviation (so the new rows have
  the same spread as the trained ones), reproducible with ``seed``; or
- ``missing="zeros"``: a row of zeros.

Empty lines keep their row (often a padding token) and count as missing.
A token that appears on several lines gets the same row on each of them
(also when it is missing); the duplicates are counted and warned about.

    >>> kv = wvtool.load("vectors.bin")
    >>> wvtool.export_matrix(kv, "vocab.txt", "embedding.npy")
    >>> torch.nn.Embedding.from_pretrained(torch.from_numpy(np.load("embedding.npy")))
"""

from __future__ import annotations

import enum
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import settings as _settings
from .errors import ConfigError, FormatError, WvtoolWarning
from .files import atomic_output, check_output, open_input
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


@dataclass(frozen=True)
class ExportOptions:
    """Settings of :func:`export_matrix`.

    - ``missing``: rows of tokens not in the table: ``"random"`` (the table's
      per-dimension mean and spread) or ``"zeros"``.
    - ``seed``: random seed of ``missing="random"`` rows (0 to 2**63-1).
    - ``lowercase_fallback``: look a token up lowercased (and case-insensitively) when it is not found as written.
    """

    missing: str = "random"
    seed: int = 0
    lowercase_fallback: bool = True

    def __post_init__(self):
        _settings.choice("missing", self.missing, MISSING)
        object.__setattr__(self, "seed", _settings.whole("seed", self.seed, 0, 2**63 - 1))
        object.__setattr__(self, "lowercase_fallback", _settings.flag("lowercase_fallback", self.lowercase_fallback))


def read_vocab(path) -> list[str]:
    """The tokens of a vocabulary file, one per line (line endings and a UTF-8 BOM removed, nothing else)."""
    with open_input(path) as f:
        data = f.read()
    if not data:
        raise FormatError(path, None, "the vocabulary file is empty", "give one token per line")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline ending the last line
    tokens = []
    for i, line in enumerate(lines):
        if line.endswith(b"\r"):
            line = line[:-1]
        try:
            tokens.append(line.decode("utf-8"))
        except UnicodeDecodeError as e:
            raise FormatError(path, f"line {i + 1}", f"not valid UTF-8 ({e.reason} at byte {e.start})",
                              "save the vocabulary as UTF-8") from None
    if not any(tokens):
        raise FormatError(path, None, "the vocabulary file has only empty lines", "give one token per line")
    return tokens


def output_path(output, inputs=()) -> Path:
    """``output`` as a Path after checking its extension and that it can be written (not over an input)."""
    out_path = Path(output)
    ext = out_path.suffix.lower()
    if ext not in OUTPUT_EXTENSIONS:
        raise ConfigError(f"{{output='{out_path}'}}: the output must end in .npy or .npz (got {ext or 'no extension'!r})")
    return check_output(out_path, inputs=inputs)


def check_arguments(output, missing: str, inputs=()) -> Path:
    """Check the output path and ``missing`` (what :func:`export_matrix` checks first); return the output path.

    Kept for callers that load the table themselves; passing :func:`export_matrix`
    a path instead of a table checks everything before reading it.
    """
    ExportOptions(missing=missing)
    return output_path(output, inputs)


def export_matrix(vectors, vocab_path, output, *, options: ExportOptions | None = None, load_options=None,
                  progress=None, **settings) -> dict:
    """Write the (len(vocab), dim) float32 matrix for ``vocab_path`` to ``output`` (.npy or .npz).

    ``vectors`` is a :class:`~wvtool.Vectors` table or the path of a vector
    file, read with ``load_options`` (a :class:`~wvtool.formats.LoadOptions`)
    and ``progress`` after every argument and the vocabulary are checked.
    ``options`` (an :class:`ExportOptions`) and/or its fields as keywords
    (``missing``, ``seed``, ``lowercase_fallback``) say how rows are found
    and filled.  A ``.npz`` file holds the matrix under the key ``embeddings``.

    Returns a report: rows, dim, counts and percentages of tokens found
    exactly, found after lowercasing and missing, some missing examples,
    duplicates and empty lines, and how missing rows were filled.
    """
    opts = _settings.build(ExportOptions, options, **settings)
    source = vectors.source if isinstance(vectors, Vectors) else str(vectors)
    inputs = [vocab_path] + ([source] if source else [])
    out_path = output_path(output, inputs)
    tokens = read_vocab(vocab_path)
    if not isinstance(vectors, Vectors):
        from .formats import load

        vectors = load(vectors, options=load_options, progress=progress)
    if len(vectors) == 0:
        raise FormatError(vectors.source or "vectors", None, "the vector table is empty", "give a table with vectors")

    rows, fill, first_line = _match(tokens, vectors, opts.lowercase_fallback)
    table = np.asarray(vectors.vectors, dtype=np.float32)
    matrix = np.zeros((len(tokens), vectors.dim), dtype=np.float32)
    found = fill != Fill.MISSING
    matrix[found] = table[rows[found]]
    filled = {"missing": opts.missing}
    if opts.missing == "random":
        filled.update(_fill_random(matrix, table, tokens, np.flatnonzero(~found), first_line, opts.seed))

    duplicates = sum(1 for i, tok in enumerate(tokens) if tok and first_line[tok] != i)
    if duplicates:
        warnings.warn(
            f"{vocab_path}: {duplicates:,} duplicate token line{'s' if duplicates != 1 else ''}; "
            "each gets the same row as the token's first line",
            WvtoolWarning,
            stacklevel=2,
        )
    _write(out_path, inputs, matrix)
    return _report(out_path, vocab_path, vectors, tokens, fill, filled, duplicates)


def _match(tokens: list[str], vectors: Vectors, lowercase_fallback: bool):
    """Table row and :class:`Fill` of every token, and the first line of each distinct token."""
    index = vectors.index
    rows = np.full(len(tokens), -1, dtype=np.int64)
    fill = np.full(len(tokens), Fill.MISSING, dtype=np.int8)
    first_line: dict[str, int] = {}
    lowered: dict[str, int] | None = None  # lowercased table word -> its first (most frequent) row
    for i, tok in enumerate(tokens):
        first_line.setdefault(tok, i)
        if not tok:
            continue
        r = index.get(tok)
        if r is not None:
            rows[i], fill[i] = r, Fill.EXACT
        elif lowercase_fallback:
            low = tok.lower()
            r = index.get(low)
            if r is None:
                if lowered is None:
                    lowered = _lowered_index(vectors.words)
                r = lowered.get(low)
            if r is not None:
                rows[i], fill[i] = r, Fill.LOWERCASE
    return rows, fill, first_line


def _lowered_index(words) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, w in enumerate(words):
        out.setdefault(w.lower(), i)
    return out


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
            if out_path.suffix.lower() == ".npz":
                np.savez(fh, embeddings=matrix)
            else:
                np.save(fh, matrix)


def _report(out_path, vocab_path, vectors: Vectors, tokens, fill: np.ndarray, filled: dict, duplicates: int) -> dict:
    n = len(tokens)
    counts = {kind: int(np.count_nonzero(fill == kind)) for kind in Fill}
    missing = np.flatnonzero(fill == Fill.MISSING)

    def pct(k: int) -> float:
        return 100.0 * k / n if n else 0.0

    return {
        "output": str(out_path),
        "vocab": str(vocab_path),
        "vectors": vectors.source,
        "rows": n,
        "dim": vectors.dim,
        "exact": counts[Fill.EXACT],
        "lowercase": counts[Fill.LOWERCASE],
        "missing": counts[Fill.MISSING],
        "exact_pct": pct(counts[Fill.EXACT]),
        "lowercase_pct": pct(counts[Fill.LOWERCASE]),
        "missing_pct": pct(counts[Fill.MISSING]),
        "missing_examples": [tokens[i] for i in missing[:EXAMPLES].tolist()],
        "duplicates": duplicates,
        "empty_lines": sum(1 for t in tokens if not t),
        "fill": filled,
    }
