"""TensorBoard Embedding Projector export (write only): a vectors TSV and a metadata TSV beside it.

``save(vectors, "out.tsv", "projector")`` writes ``out.tsv`` (one row of
tab-separated values per word, no header) and ``out-metadata.tsv`` (the words,
one per line; with a ``word``/``count`` header row when the table has counts),
the two files projector.tensorflow.org's "Load" dialog asks for.  wvtool does
not read them back, but detection recognises the vectors file, so that reading
it is refused by name instead of taking its first column for words.
"""

from __future__ import annotations

from pathlib import Path

from ..files import OUTPUT_COMPRESSIONS
from .common import MAX_TEXT_DIM, Format, Peek, is_number, too_wide, unwritable_word


def metadata_path(path) -> Path:
    """``NAME.tsv`` (or ``NAME.tsv.gz``, ``.bz2``, ``.xz``) -> ``NAME-metadata.tsv`` (the compression suffix kept)."""
    p = Path(str(path))
    name = p.name
    suffix = next((s for s in OUTPUT_COMPRESSIONS if name.lower().endswith(s)), "")
    base = name[: len(name) - len(suffix)]
    stem = base[:-4] if base.lower().endswith(".tsv") else base
    return p.with_name(f"{stem}-metadata.tsv{suffix}")


def write_vectors_tsv(vectors, out, progress) -> None:
    n, dim = len(vectors), vectors.dim
    fmt = "\t".join(["%.9g"] * dim) + "\n"
    vecs = vectors.vectors
    step = 4096
    for s in range(0, n, step):
        out.write("".join(fmt % tuple(r) for r in vecs[s : s + step].tolist()).encode("utf-8"))
        progress(min(n, s + step), n, {})


def write_metadata_tsv(vectors, out, progress) -> None:
    counts = vectors.counts
    if counts is None:
        out.write("".join(w + "\n" for w in vectors.words).encode("utf-8"))
        return
    out.write(b"word\tcount\n")
    out.write("".join(f"{w}\t{c}\n" for w, c in zip(vectors.words, counts.tolist(), strict=True)).encode("utf-8"))


def sniff_projector(peek: Peek) -> bool:
    """A vectors TSV as :func:`write_vectors_tsv` writes it: lines of tab-separated numbers, no words, no spaces
    (detected so that it is refused by name instead of read as GloVe with numbers for words)."""
    lines = peek.head.split(b"\n")
    lines = [line.rstrip(b"\r") for line in (lines[:-1] if len(lines) > 1 else lines)[:100] if line.strip()]
    return bool(lines) and b"\t" in lines[0] and all(
        b" " not in line and all(is_number(t) for t in line.split(b"\t")) for line in lines
    )


def check_words(words) -> str | None:
    """A metadata line holds the word: no tab or line break in it, no whitespace at its ends, not empty."""
    return unwritable_word(words, "\t\n\r", " \x0b\x0c")


PROJECTOR = Format(
    "projector",
    "TensorBoard projector: NAME.tsv holds the vectors as tab-separated numbers, NAME-metadata.tsv the words",
    None,
    write_vectors_tsv,
    extensions=(".tsv",),
    sniff=sniff_projector,
    sniff_order=15,
    check_words=check_words,
    check_table=lambda vectors: too_wide(vectors, MAX_TEXT_DIM, "a projector row"),  # a text row, as the text formats'
    companions=lambda path: ((metadata_path(path), write_metadata_tsv),),
)
