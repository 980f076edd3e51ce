"""Reading a training corpus: tokenize, count, build the vocabulary, encode to ids.

Every input is read exactly once, in byte blocks (a 100 MB single line is never
one Python string).  While reading, each token gets a provisional id in order
of first appearance and the block is stored as an int32 array of those ids;
when all input is read the vocabulary is chosen (``min_count``, ``max_vocab``)
and the provisional ids are remapped to final ids, dropping the rest.  So
standard input works like a file, and memory is bounded by the number of
distinct words plus 4 bytes per token -- never by Python objects per token.

Each input line is a sentence: the training window never crosses a line break.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import ConfigError, CorpusError
from .files import open_input

#: bytes read per block
BLOCK_SIZE = 1 << 21
#: words of Unicode letters and digits (``\w`` without the underscore)
_WORD_RE = re.compile(r"[^\W_]+")
_WHITESPACE = b" \t\n\r\x0b\x0c"

TOKENIZERS = ("default", "whitespace")


@dataclass(frozen=True)
class Corpus:
    """An encoded corpus.

    - ``words``: the vocabulary, most frequent first (ties: first appearance).
    - ``counts``: int64 (V,) corpus frequency of each word.
    - ``tokens``: int32 (N,) the corpus as word ids, out-of-vocabulary tokens dropped.
    - ``bounds``: int64 (S+1,) sentence boundaries: sentence ``s`` is
      ``tokens[bounds[s]:bounds[s+1]]``.  Lines whose words were all dropped are omitted.
    - ``raw_tokens``: tokens read, including words below ``min_count``.
    - ``distinct``: distinct words read.
    """

    words: tuple
    counts: np.ndarray
    tokens: np.ndarray
    bounds: np.ndarray
    raw_tokens: int
    distinct: int
    paths: tuple = field(default=())

    @property
    def n_tokens(self) -> int:
        return int(self.tokens.shape[0])

    @property
    def n_sentences(self) -> int:
        return int(self.bounds.shape[0] - 1)

    def nbytes(self) -> int:
        return int(self.tokens.nbytes + self.bounds.nbytes + self.counts.nbytes)


def check_tokenizer(tokens: str) -> str:
    """``tokens`` if it names a tokenizer; ConfigError listing them otherwise (the one place this is checked)."""
    if tokens not in TOKENIZERS:
        raise ConfigError(f"{{tokens={tokens!r}}} is not a tokenizer; use one of {', '.join(TOKENIZERS)}")
    return tokens


def tokenize(text: str, tokens: str = "default", lowercase: bool = True) -> list[str]:
    """Split one string into words the way the trainer does.

    ``"default"``: words made of Unicode letters and digits, everything else
    (punctuation, symbols, underscores) separates words.  ``"whitespace"``:
    split on whitespace only (for text already tokenized).
    """
    check_tokenizer(tokens)
    if lowercase:
        text = text.lower()
    return _WORD_RE.findall(text) if tokens == "default" else text.split()


def _blocks(path, block_size: int) -> Iterable[tuple[bytes, int, bool]]:
    """Yield (block, byte offset, ends_line) with each block cut at a whitespace byte.

    A block is cut after its last newline if it has one, else after its last
    whitespace byte; the rest is carried into the next block, so no word (and
    no UTF-8 character) is ever split.  ``ends_line`` says the block ends at a
    line break (or at the end of the input).
    """
    with open_input(path) as f:
        carry = b""
        offset = 0  # byte offset of the start of carry + next data
        while True:
            data = f.read(block_size)
            if not data:
                if carry:
                    yield carry, offset, True
                return
            buf = carry + data if carry else data
            cut = buf.rfind(b"\n") + 1
            if cut == 0:
                cut = max(buf.rfind(c) for c in (b" ", b"\t", b"\r", b"\x0b", b"\x0c")) + 1
            if cut == 0:  # one enormous word: keep reading
                carry = buf
                continue
            yield buf[:cut], offset, buf[cut - 1 : cut] == b"\n"
            offset += cut
            carry = buf[cut:]


def _decode(block: bytes, path, offset: int) -> str:
    nul = block.find(b"\x00")
    if nul >= 0:
        raise CorpusError(
            f"{path}: byte {offset + nul:,} is a NUL byte: this looks like a binary file, not text; "
            "give a plain-text (UTF-8) corpus, optionally gzipped"
        )
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CorpusError(
            f"{path}: byte {offset + e.start:,} is not valid UTF-8: this looks like a binary file or another "
            "encoding; give a plain-text UTF-8 corpus (convert it with iconv)"
        ) from None


class _Reader:
    """Accumulates provisional ids, counts and line lengths over all inputs."""

    def __init__(self, tokens: str, lowercase: bool):
        self.tokens = check_tokenizer(tokens)
        self.lowercase = lowercase
        self.ids: dict[str, int] = {}
        self.counts = Counter()
        self.blocks: list[np.ndarray] = []  # provisional ids, int32
        self.line_ends: list[np.ndarray] = []  # cumulative token positions where a sentence ends
        self.n = 0

    def add_block(self, text: str, ends_line: bool) -> None:
        if self.lowercase:
            text = text.lower()
        split = _WORD_RE.findall if self.tokens == "default" else str.split
        lines = text.split("\n")
        if ends_line and lines and lines[-1] == "":
            lines.pop()
        words: list[str] = []
        ends = np.empty(len(lines), dtype=np.int64)
        pos = self.n
        for i, line in enumerate(lines):
            toks = split(line)
            words.extend(toks)
            pos += len(toks)
            ends[i] = pos
        if not ends_line:  # the last line continues in the next block
            ends = ends[:-1]
        if words:
            ids = self.ids
            new = Counter(words)
            for w in new:
                if w not in ids:
                    ids[w] = len(ids)
            self.counts.update(new)
            self.blocks.append(np.fromiter(map(ids.__getitem__, words), dtype=np.int32, count=len(words)))
        self.n = pos
        if ends.size:
            self.line_ends.append(ends)

    def end_input(self) -> None:
        # a file not ending with a newline still ends its last sentence
        if self.n and (not self.line_ends or self.line_ends[-1][-1] != self.n):
            self.line_ends.append(np.array([self.n], dtype=np.int64))


def read_corpus(
    paths: Sequence,
    *,
    min_count: int = 5,
    max_vocab: int | None = None,
    tokens: str = "default",
    lowercase: bool = True,
    block_size: int = BLOCK_SIZE,
    progress: Callable | None = None,
) -> Corpus:
    """Read, tokenize and encode ``paths`` (files, ``.gz`` or ``"-"`` for stdin) once.

    Words occurring fewer than ``min_count`` times are dropped; ``max_vocab``
    keeps only the most frequent words.  ``progress(bytes_read, None, info)``
    is called after each block.  Raises CorpusError for a binary file, an
    empty corpus, or no word reaching ``min_count``.
    """
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    paths = list(paths)
    if not paths:
        raise CorpusError("no corpus file given; name one or more text files (or - for standard input)")
    reader = _Reader(tokens, lowercase)
    done = 0
    for path in paths:
        name = "<stdin>" if str(path) == "-" else str(path)
        for block, offset, ends_line in _blocks(path, block_size):
            reader.add_block(_decode(block, name, offset), ends_line)
            done += len(block)
            if progress is not None:
                progress(done, None, {"tokens": reader.n, "file": name})
        reader.end_input()
    return _finish(reader, paths, min_count, max_vocab)


def _finish(reader: _Reader, paths, min_count: int, max_vocab: int | None) -> Corpus:
    names = ", ".join(str(p) for p in paths)
    if reader.n == 0:
        raise CorpusError(f"{names}: the corpus has no words; give a non-empty text file")
    n_prov = len(reader.ids)
    counts = np.fromiter((reader.counts[w] for w in reader.ids), dtype=np.int64, count=n_prov)
    words_prov = list(reader.ids)
    order = np.argsort(-counts, kind="stable")  # most frequent first, ties in order of first appearance
    keep = order[counts[order] >= min_count]
    if max_vocab is not None:
        keep = keep[:max_vocab]
    if keep.size == 0:
        top = int(counts.max())
        raise CorpusError(
            f"{names}: no word occurs at least {{min_count={min_count}}} times among the {n_prov:,} distinct words "
            f"(the most frequent occurs {top} times); lower {{min_count}} to {top} or less, or give more text"
        )
    remap = np.full(n_prov, -1, dtype=np.int32)
    remap[keep] = np.arange(keep.size, dtype=np.int32)
    total = int(counts[keep].sum())
    out = np.empty(total, dtype=np.int32)
    # cumulative kept tokens at each raw position, to move sentence boundaries
    line_ends = np.concatenate(reader.line_ends)
    new_ends = np.empty_like(line_ends)
    raw_pos = 0
    kept_pos = 0
    li = 0
    blocks = reader.blocks[::-1]
    reader.blocks = []
    while blocks:
        b = blocks.pop()  # free each provisional block once encoded: peak ~4 bytes/token + one block
        ids = remap[b]
        mask = ids >= 0
        n_keep = int(mask.sum())
        out[kept_pos : kept_pos + n_keep] = ids[mask]
        # line ends inside this block: (raw_pos, raw_pos + len(b)]
        hi = np.searchsorted(line_ends, raw_pos + b.size, side="right")
        if hi > li:
            csum = np.concatenate([[0], np.cumsum(mask, dtype=np.int64)])
            new_ends[li:hi] = kept_pos + csum[line_ends[li:hi] - raw_pos]
            li = hi
        raw_pos += b.size
        kept_pos += n_keep
    new_ends[li:] = kept_pos
    bounds = np.unique(np.concatenate([[0], new_ends]))  # drops empty sentences
    words = tuple(words_prov[i] for i in keep)
    return Corpus(
        words=words,
        counts=counts[keep].copy(),
        tokens=out,
        bounds=bounds.astype(np.int64),
        raw_tokens=reader.n,
        distinct=n_prov,
        paths=tuple(str(p) for p in paths),
    )
