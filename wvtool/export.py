"""Export an embedding matrix for a tokenizer's vocabulary (Keras / PyTorch embedding layers).

Row ``i`` of the output is line ``i`` of the vocabulary file (one token per
line, taken verbatim apart from the line ending).  Each token is looked up
exactly; then (unless disabled) case-insensitively: the lowercased token, else
the first (most frequent) table word whose lowercase form equals it, so an
uncased vocabulary finds ``King`` in a cased table.  Tokens found neither way
are *missing* and get

- ``random``: a row drawn from a normal distribution with the table's own
  per-dimension mean and standard deviation (so the new rows have the same
  spread as the trained ones), reproducible with ``seed``; or
- ``zeros``: a row of zeros.

Empty lines keep their row (often a padding token) and count as missing.
A token that appears on several lines gets the same row on each of them
(also when it is missing); the duplicates are counted and warned about.

    >>> kv = wvtool.load("vectors.bin")
    >>> wvtool.export_matrix(kv, "vocab.txt", "embedding.npy")
    >>> torch.nn.Embedding.from_pretrained(torch.from_numpy(np.load("embedding.npy")))
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from .errors import ConfigError, FormatError, WvtoolWarning
from .files import atomic_output, check_output, open_input
from .vectors import Vectors

MISSING = ("random", "zeros")
OUTPUT_EXTENSIONS = (".npy", ".npz")


def read_vocab(path) -> list[str]:
    """The tokens of a vocabulary file, one per line (line endings removed, nothing else)."""
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
            raise FormatError(path, f"line {i + 1}", f"not valid UTF-8 ({e.reason} at byte {e.start})", "save the vocabulary as UTF-8") from None
    if not any(tokens):
        raise FormatError(path, None, "the vocabulary file has only empty lines", "give one token per line")
    return tokens


def _lowered_index(words) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, w in enumerate(words):
        out.setdefault(w.lower(), i)
    return out


def check_arguments(output, missing: str, inputs=()) -> Path:
    """Check the cheap arguments of :func:`export_matrix` (before loading a large table); return the output path."""
    if missing not in MISSING:
        raise ConfigError(f"--missing must be one of {', '.join(MISSING)}, got {missing!r}")
    out_path = Path(output)
    ext = out_path.suffix.lower()
    if ext not in OUTPUT_EXTENSIONS:
        raise ConfigError(f"{out_path}: the output must end in .npy or .npz (got {ext or 'no extension'!r})")
    return check_output(out_path, inputs=inputs)


def export_matrix(
    vectors: Vectors,
    vocab_path,
    output,
    *,
    missing: str = "random",
    seed: int = 0,
    lowercase_fallback: bool = True,
) -> dict:
    """Write the (len(vocab), dim) float32 matrix for ``vocab_path`` to ``output`` (.npy or .npz).

    A ``.npz`` file holds the matrix under the key ``embeddings``.  Returns a
    report: rows, dim, counts and percentages of tokens found exactly, found
    after lowercasing and missing, some missing examples, duplicates and empty
    lines, and how missing rows were filled.
    """
    if not isinstance(vectors, Vectors):
        from .formats import load

        vectors = load(vectors)
    inputs = [vocab_path] + ([vectors.source] if vectors.source else [])
    out_path = check_arguments(output, missing, inputs=inputs)
    tokens = read_vocab(vocab_path)
    if len(vectors) == 0:
        raise FormatError(vectors.source or "vectors", None, "the vector table is empty", "give a table with vectors")

    index = vectors.index
    n, dim = len(tokens), vectors.dim
    rows = np.full(n, -1, dtype=np.int64)
    how = np.zeros(n, dtype=np.int8)  # 0 missing, 1 exact, 2 lowercase
    first_line: dict[str, int] = {}
    duplicates = 0
    empty = 0
    lowered: dict[str, int] | None = None  # lowercased table word -> its first (most frequent) row
    for i, tok in enumerate(tokens):
        if tok in first_line:
            duplicates += bool(tok)
        else:
            first_line[tok] = i
        if not tok:
            empty += 1
            continue
        r = index.get(tok)
        if r is not None:
            rows[i], how[i] = r, 1
        elif lowercase_fallback:
            low = tok.lower()
            r = index.get(low)
            if r is None:
                if lowered is None:
                    lowered = _lowered_index(vectors.words)
                r = lowered.get(low)
            if r is not None:
                rows[i], how[i] = r, 2

    table = np.asarray(vectors.vectors, dtype=np.float32)
    matrix = np.zeros((n, dim), dtype=np.float32)
    found = rows >= 0
    matrix[found] = table[rows[found]]
    miss = np.flatnonzero(~found)
    fill: dict = {"missing": missing}
    if missing == "random" and len(miss):
        mean = table.mean(axis=0, dtype=np.float64)
        std = table.std(axis=0, dtype=np.float64)
        rng = np.random.default_rng(seed)
        # one draw per distinct missing token, so repeated tokens share their row
        distinct = [i for i in miss.tolist() if first_line[tokens[i]] == i]
        draws = rng.normal(size=(len(distinct), dim)) * std + mean
        drawn = dict(zip(distinct, draws.astype(np.float32), strict=True))
        for i in miss.tolist():
            matrix[i] = drawn[first_line[tokens[i]]]
        fill.update(seed=seed, mean=float(mean.mean()), std=float(std.mean()))

    if duplicates:
        warnings.warn(
            f"{vocab_path}: {duplicates:,} duplicate token line{'s' if duplicates != 1 else ''}; "
            "each gets the same row as the token's first line",
            WvtoolWarning,
            stacklevel=2,
        )

    with atomic_output(out_path, inputs=inputs) as tmp:
        with open(tmp, "wb") as fh:  # a file object: numpy must not add its own extension
            if out_path.suffix.lower() == ".npz":
                np.savez(fh, embeddings=matrix)
            else:
                np.save(fh, matrix)

    exact = int(np.count_nonzero(how == 1))
    lower = int(np.count_nonzero(how == 2))
    n_missing = int(len(miss))

    def pct(k: int) -> float:
        return 100.0 * k / n if n else 0.0

    return {
        "output": str(out_path),
        "vocab": str(vocab_path),
        "vectors": vectors.source,
        "rows": n,
        "dim": dim,
        "exact": exact,
        "lowercase": lower,
        "missing": n_missing,
        "exact_pct": pct(exact),
        "lowercase_pct": pct(lower),
        "missing_pct": pct(n_missing),
        "missing_examples": [tokens[i] for i in miss[:10].tolist()],
        "duplicates": duplicates,
        "empty_lines": empty,
        "fill": fill,
    }
