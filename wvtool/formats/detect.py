"""Format detection: which registered format an input's first bytes fit."""

from __future__ import annotations

from ..errors import FormatError
from ..files import Source, open_source
from .common import PEEK_BYTES, Peek
from .registry import SNIFF_ORDER


def detect_format(path) -> str:
    """The format of a vector file, one of ``FORMATS``, decided by its content.

    - native: the magic bytes;
    - word2vec text vs binary: a ``count dim`` header, then either a text line
      of ``dim + 1`` fields whose values are numbers (text) or not (binary);
    - GloVe: no header (the first line is a word followed by numbers);
    - fasttext: word2vec text whose name ends in ``.vec`` (or ``.vec.gz``);
    - projector: lines of tab-separated numbers (refused: wvtool writes it, but cannot read it).

    Raises FormatError for an empty file, a format wvtool cannot read, or content none of these fit.
    """
    with open_source(path, peek=PEEK_BYTES) as src:
        return detect(src)


def detect(src: Source) -> str:
    """The format of an open source, from the bytes it has already peeked (nothing more is read)."""
    if not src.head:
        raise FormatError(src.name, None, "the file is empty", "give a file of word vectors")
    peek = Peek.of(src.head, src.name)
    for fmt in SNIFF_ORDER:
        if fmt.sniff(peek):
            if fmt.read is None:
                raise FormatError(src.name, None, f"this is a {fmt.name} file ({fmt.summary}): wvtool writes it but "
                                  "cannot read it", "read the vector file it was made from")
            return fmt.name
    raise FormatError(
        src.name,
        "line 1",
        "not a word-vector file: expected a 'count dim' header (word2vec), a word followed by numbers (GloVe) "
        "or the wvtool native magic bytes",
        "check the file, or force a format with {format}",
    )
