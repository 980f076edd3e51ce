"""word2vec's vocabulary file: one ``word count`` line per word, most frequent first."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..files import atomic_output, open_output_stream
from ..vectors import Vectors


def save_vocab(vectors: Vectors, path, *, inputs=()) -> Path:
    """Write the words of ``vectors`` and their corpus counts as ``word count`` lines, atomically.

    The table must carry counts (a table :func:`wvtool.train` made does).
    ``inputs`` are paths that must not be overwritten.
    """
    counts = vectors.counts
    if counts is None:
        raise ConfigError("the table has no word counts to write; train it with wvtool or load a native file with counts")
    with atomic_output(path, inputs) as tmp:
        with open_output_stream(tmp, path) as out:  # compressed as the name says (.gz, .bz2, .xz)
            out.write("".join(f"{w} {c}\n" for w, c in zip(vectors.words, counts.tolist(), strict=True)).encode("utf-8"))
    return Path(path)
