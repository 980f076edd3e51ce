"""Reading a training corpus: tokenize, count, build the vocabulary, encode to ids.

Every input is read exactly once, in byte blocks (a 100 MB single line is never
one Python string).  While reading, each token gets a provisional id in order
of first appearance and the block is stored as an int32 array of those ids;
when all input is read the vocabulary is chosen (``min_count``, ``max_vocab``)
and the provisional ids are remapped to final ids, dropping the rest.  So
standard input works like a file, and memory is bounded by the number of
distinct words plus 4 bytes per token -- never by Python objects per token.

Each input line is a sentence: the training window never crosses a line break.
Sentences held in memory (an iterable of token lists or of strings, see
:func:`corpus_source`) are consumed the same way, a block of tokens at a time.
"""

from __future__ import annotations

import functools
import glob
import os
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import settings
from .arrays import short
from .errors import ConfigError, CorpusError, FileError, WvtoolWarning
from .files import byte_order_mark, open_measured
from .read_worker import Workers

#: the name sentences in memory have in messages and reports
SENTENCES = "<sentences>"
#: the longest run of bytes without a space or a newline a corpus may hold (word2vec cuts words at 100 bytes): more
#: is not text, and reading on would hold all of it in memory (``/dev/zero`` grew without end)
MAX_WORD_BYTES = 1 << 20
#: bytes read per block
BLOCK_SIZE = 1 << 21
#: tokens of in-memory sentences gathered per block
BLOCK_TOKENS = 1 << 18
#: worker processes tokenize the rest of the input once at least this many blocks are left (estimated) or, when
#: the input's size is unknown, once this many have been read (starting them takes a quarter of a second)
WORKERS_AFTER = 6
_WHITESPACE = b" \t\n\r\x0b\x0c"
#: a character of text that the default tokenizer does not split exactly as ``str.split`` does
_NOT_PLAIN = re.compile(r"[^0-9A-Za-z \t\n\r\x0b\x0c]")

TOKENIZERS = ("default", "whitespace")

#: lines left out by default: a line holding nothing but one markup tag, such as WikiExtractor's
#: ``<doc id="12" url="..." title="...">`` and ``</doc>`` lines (see :func:`check_skip_lines`)
MARKUP_LINES = r"[ \t]*</?[A-Za-z][^<>\n]*>[ \t]*$"

#: CJK ideographs (text in these scripts has no spaces): each is a token of its own
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"


def _class_body(codepoints: Iterable[int]) -> str:
    """A regex character-class body of ranges covering the sorted ``codepoints``."""
    parts: list[tuple[int, int]] = []
    for cp in codepoints:
        if parts and cp == parts[-1][1] + 1:
            parts[-1] = (parts[-1][0], cp)
        else:
            parts.append((cp, cp))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in parts)


def _marks(lo: int, hi: int) -> str:
    cps = range(lo, hi)
    return _class_body(cp for cp, cat in zip(cps, map(unicodedata.category, map(chr, cps)), strict=True) if cat[0] == "M")


@functools.cache
def default_pattern() -> re.Pattern:
    """The default tokenizer's regular expression (built once; see :func:`tokenize` for what it does).

    A word is a run of Unicode letters and digits (not ``_``) that may contain
    combining marks (Devanagari vowel signs, Arabic vowel marks, ...) and ZWNJ/ZWJ;
    words joined by one hyphen or apostrophe stay one token; digit groups joined
    by ``.`` or ``,`` stay one number; a final ``'s`` is consumed but not kept.
    """
    bmp_marks = _marks(0x300, 0x10000) + "\u200c\u200d"
    astral_marks = _marks(0x10000, 0x20000) + _marks(0xE0100, 0xE01F0)
    # the BMP class compiles to a fast table; astral marks are tested only for astral characters
    mark = f"(?:[{bmp_marks}]|(?=[\\U00010000-\\U0010ffff])[{astral_marks}])"
    letter = f"[^\\W_{_HAN}]"
    word = f"{letter}+(?:{mark}+{letter}*)*"
    number = rf"\d+(?:[.,]\d+)+{letter}*"
    piece = f"{number}|{word}"
    not_s = r"(?![sS](?![^\W_]))"  # an apostrophe joins unless a possessive 's follows
    token = rf"(?:{piece})(?:[-\u2010\u2011](?:{piece})|['\u2019]{not_s}(?:{piece}))*"
    abbreviation = r"[^\W\d_](?:\.[^\W\d_])+(?![^\W_])\.?"
    url = r"(?:https?://|ftp://|www\.)[^\s<>\"]*[^\s<>\"'.,;:!?()\[\]{}]"
    possessive = r"(?:['\u2019][sS](?![^\W_]))?"
    # fast path, same tokens: an ASCII word followed by a character that can neither continue nor join it
    plain = r"[a-zA-Z]+(?=[ \t\n\r,;!?)\]\"])"
    return re.compile(f"({plain}|{url}|{abbreviation}|{token}|[{_HAN}]){possessive}")


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
    - ``read_with``: the settings it was read with (``min_count``, ``max_vocab``, ``tokens``, ``lowercase``,
      ``token_pattern``, ``skip_lines``), as (name, value) pairs.
    """

    words: tuple
    counts: np.ndarray
    tokens: np.ndarray
    bounds: np.ndarray
    raw_tokens: int
    distinct: int
    paths: tuple = field(default=())
    #: the reading settings it was read with, as (name, value) pairs (:func:`read_corpus`'s keywords)
    read_with: tuple = field(default=())

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


def _compile(name: str, pattern, example: str) -> re.Pattern:
    if not isinstance(pattern, str):
        raise ConfigError(f"{{{name}={pattern!r}}} must be a regular expression (a string)")
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ConfigError(f"{{{name}={pattern!r}}} is not a regular expression ({e}); e.g. {{{name}={example!r}}}") from None


def check_skip_lines(skip_lines: str) -> re.Pattern | None:
    """The compiled ``skip_lines`` (None for ``""``: keep every line); ConfigError if it is not a regex.

    A line is left out when the expression matches at its start (``re.match``
    on the line as read, before lowercasing; ``$`` matches at the line's end).
    A line longer than one block (2 MB) is tested on its first block.
    """
    if skip_lines == "":
        return None
    return _compile("skip_lines", skip_lines, MARKUP_LINES)


def check_token_pattern(token_pattern: str, tokens: str = "default") -> re.Pattern | None:
    """The compiled ``token_pattern`` (None for ``""``: the ``tokens`` tokenizer); ConfigError if unusable.

    Every match is a token (the match of its one group, if it has a group); it
    must not match the empty string, and it replaces the default tokenizer only.
    """
    if token_pattern == "":
        return None
    rx = _compile("token_pattern", token_pattern, r"[a-z]+(?:'[a-z]+)?")
    if rx.groups > 1:
        raise ConfigError(
            f"{{token_pattern={token_pattern!r}}} has {rx.groups} groups; use at most one (its match is the token), "
            "and (?:...) for the others"
        )
    if rx.fullmatch("") is not None:
        raise ConfigError(f"{{token_pattern={token_pattern!r}}} matches the empty string; make every token one character or more")
    if tokens != "default":
        raise ConfigError(f"{{token_pattern}} replaces the default tokenizer; leave out {{tokens={tokens!r}}} or {{token_pattern}}")
    return rx


def make_splitter(tokens: str = "default", token_pattern: str = "") -> Callable[[str], list[str]]:
    """The function splitting one line into tokens for these settings (validated)."""
    check_tokenizer(tokens)
    rx = check_token_pattern(token_pattern, tokens)
    if rx is not None:
        return rx.findall
    return default_pattern().findall if tokens == "default" else str.split


def tokenize(text: str, tokens: str = "default", lowercase: bool = True, *, token_pattern: str = "",
             skip_lines: str = MARKUP_LINES) -> list[str]:
    """Split a text into words exactly as the trainer does (all its lines, in order).

    Lines matching ``skip_lines`` (by default a line holding only one markup tag,
    such as ``<doc id=...>``) are left out; the text is lowercased (``lowercase``);
    then ``tokens="whitespace"`` splits on whitespace only (text already
    tokenized), ``token_pattern`` takes every match of a regular expression as
    a token, and the default tokenizer (``tokens="default"``) finds words:

    - runs of Unicode letters and digits in any script, combining marks
      included (``naïve``, ``हिन्दी``, ``русский``); everything else separates
      words, the underscore too (``snake_case`` -> ``snake``, ``case``);
    - words joined by one hyphen or apostrophe stay whole (``well-known``,
      ``mother-in-law``, ``don't``, ``o'clock``, ``covid-19``, ``2015-05-01``);
    - a final ``'s`` or ``’s`` is dropped (``king's`` -> ``king``, ``it's`` -> ``it``);
      so are other apostrophes not between letters (``kings'`` -> ``kings``);
    - digits joined by ``.`` or ``,`` stay one number (``1,000,000``, ``3.14``,
      ``3.5mm``); a final full stop is not part of it (``in 1999.`` -> ``1999``);
    - single letters joined by full stops are one abbreviation (``e.g.``, ``u.s.``);
    - a URL starting with ``http://``, ``https://``, ``ftp://`` or ``www.`` is
      one token, up to whitespace, ``<``, ``>`` or ``"``, without trailing
      punctuation;
    - each CJK ideograph is a token by itself (``中文`` -> ``中``, ``文``); kana
      and Hangul words are runs as above.  Thai, Lao, Khmer and Burmese text,
      which has no spaces between words, comes out as whole phrases: segment it
      first and use ``tokens="whitespace"``.
    """
    if not isinstance(text, str):
        raise ConfigError(f"{{text}} must be a str, not {type(text).__name__}"
                          + ("; decode it first (text.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""))
    split = make_splitter(tokens, token_pattern)
    skip = check_skip_lines(skip_lines)
    lines = [line for line in text.split("\n") if skip is None or not skip.match(line)]
    return [w for line in lines for w in split(line.lower() if lowercase else line)]


def _blocks(path, block_size: int, measured: list | None = None) -> Iterable[tuple[bytes, int, bool]]:
    """Yield (block, byte offset, ends_line) with each block cut at a whitespace byte.

    ``measured``, if given, receives ``[size on disk, position()]`` of the input
    (None, None for a pipe): how far reading has got, in bytes of the file.

    A block is cut after its last newline if it has one, else after its last
    whitespace byte; the rest is carried into the next block, so no word (and
    no UTF-8 character) is ever split.  ``ends_line`` says the block ends at a
    line break (or at the end of the input).
    """
    f, size, position = open_measured(path)
    if measured is not None:
        measured[:] = [size, position]
    with f:
        carry = b""
        offset = 0  # byte offset of the start of carry + next data
        first = True
        while True:
            try:
                data = f.read(block_size)
            except OSError as e:  # a plain file is read as it is (a compressed one names itself, files.py)
                raise FileError(f"{path}: cannot read after {offset + len(carry):,} bytes ({e.strerror or e}); "
                                "check the file or device") from None
            if first:
                first = False
                data, offset = _after_bom(path, data)
            if not data:
                if carry:
                    yield carry, offset, True
                return
            buf = carry + data if carry else data
            cut = buf.rfind(b"\n") + 1
            if cut == 0:
                cut = max(buf.rfind(c) for c in (b" ", b"\t", b"\r", b"\x0b", b"\x0c")) + 1
            if cut == 0:  # one enormous word: keep reading, up to the longest a text word may be
                if len(buf) > MAX_WORD_BYTES:
                    raise CorpusError(_no_whitespace(path, buf, offset))
                carry = buf
                continue
            yield buf[:cut], offset, buf[cut - 1 : cut] == b"\n"
            offset += cut
            carry = buf[cut:]


def _warn_read_twice(paths: list) -> None:
    """Warn when a file is among the inputs more than once (named twice, or also inside a directory or pattern
    given): it is read, and trained on, as often as it is given, which is rarely what was meant."""
    seen: set[str] = set()
    twice = []
    for p in paths:
        if str(p) == "-":
            continue
        key = os.path.realpath(p)
        if key in seen:
            twice.append(p)
        seen.add(key)
    if twice:
        more = f" (and {len(twice) - 1:,} more)" if len(twice) > 1 else ""
        warnings.warn(f"{twice[0]} is among the corpus files more than once{more}, so it is read as many times; name "
                      "each file once", WvtoolWarning, stacklevel=4)


def _after_bom(path, data: bytes) -> tuple[bytes, int]:
    """The first block without a UTF-8 byte-order mark (and the bytes it skipped); CorpusError for UTF-16's or
    UTF-32's, whose text the UTF-8 reader would take for binary."""
    mark = byte_order_mark(data)
    if mark is None:
        return data, 0
    kind, length = mark
    if kind != "UTF-8":
        raise CorpusError(f"{path}: the file starts with a {kind} byte-order mark; wvtool reads UTF-8 text: convert it "
                          f"first (iconv -f {kind} -t UTF-8)")
    return data[length:], length


def _no_whitespace(path, buf: bytes, offset: int) -> str:
    """The message for more than :data:`MAX_WORD_BYTES` bytes without a space or a newline from byte ``offset``."""
    nul = buf.find(b"\x00")
    what = f"a NUL byte at byte {offset + nul + 1:,} and " if nul >= 0 else ""
    return (f"{path}, byte {offset + 1:,}: {what}over {MAX_WORD_BYTES:,} bytes with no space or newline, longer than "
            "any word: this looks like a binary file, not text; give a plain-text (UTF-8) corpus, optionally compressed")


def _decode(block: bytes, path, offset: int, line: int) -> str:
    """The text of a block of a file that starts at byte ``offset`` (0-based) and line ``line`` (1-based);
    CorpusError naming the line and byte of a NUL byte or of bytes that are not UTF-8."""
    nul = block.find(b"\x00")
    if nul >= 0:
        raise CorpusError(
            f"{path}, {_where(block, offset, line, nul)}: a NUL byte: this looks like a binary file, not text; "
            "give a plain-text (UTF-8) corpus, optionally compressed"
        )
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CorpusError(
            f"{path}, {_where(block, offset, line, e.start)}: not valid UTF-8: this looks like a binary file or "
            "another encoding; give a plain-text UTF-8 corpus (convert it with iconv)"
        ) from None


def _where(block: bytes, offset: int, line: int, at: int) -> str:
    """'line L (byte B)' of position ``at`` of a block (bytes counted from 1, of the file as read: uncompressed)."""
    before = block.count(b"\n", 0, at)
    return f"line {line + before:,} (byte {offset + at + 1:,})"


class _Ids(dict):
    """Provisional word ids, in order of first appearance: looking up a word not seen yet numbers it (checked
    first if ``check``), so a block's tokens become ids in one pass that hashes each token once."""

    check = False

    def __missing__(self, w: str) -> int:
        if self.check:
            _check_token(w)
        i = self[w] = len(self)
        return i


def split_block(text: str, ends_line: bool, continues: bool, skipping: bool, split: Callable[[str], list[str]],
                plain_fast: bool, skip: re.Pattern | None, lowercase: bool) -> tuple[list[str], np.ndarray]:
    """The tokens of a block of lines and where its sentences end: (tokens, ends).

    ``ends``: int64, the token positions (in the block) where each line ends, but for a last line that goes on in
    the next block (not ``ends_line``).  ``continues``: the block's first line began in the block before, and
    ``skipping`` says whether that line is left out (``skip`` matched its start; see :meth:`_Reader.job`).
    ``plain_fast``: ``split`` is the default tokenizer, which splits text of ASCII letters, digits and spaces
    only (e.g. text8) exactly as whitespace does.
    """
    if plain_fast and text.isascii() and _NOT_PLAIN.search(text) is None:
        split = str.split
    lines = text.split("\n")
    if ends_line and lines and lines[-1] == "":
        lines.pop()
    match = skip.match if skip is not None else None
    words: list[str] = []
    ends = np.empty(len(lines), dtype=np.int64)
    pos = 0
    for i, line in enumerate(lines):
        if match is not None:
            # the rest of a line longer than a block is left out with its start
            if i > 0 or not continues:
                skipping = match(line) is not None
            if skipping:
                ends[i] = pos
                continue
        toks = split(line.lower() if lowercase else line)
        words.extend(toks)
        pos += len(toks)
        ends[i] = pos
    if not ends_line:  # the last line continues in the next block
        ends = ends[:-1]
    return words, ends


class _Reader:
    """Accumulates provisional ids and line lengths over all inputs (the counts come from the ids at the end)."""

    def __init__(self, split: Callable[[str], list[str]], skip: re.Pattern | None, lowercase: bool):
        self.split = split
        # text of ASCII letters, digits and spaces only (e.g. text8) splits the same on whitespace, 3x faster
        self.plain_fast = split == default_pattern().findall
        self.skip = skip
        self.lowercase = lowercase
        self.ids = _Ids()
        self.blocks: list[np.ndarray] = []  # provisional ids, int32
        self.line_ends: list[np.ndarray] = []  # cumulative token positions where a sentence ends
        self.n = 0
        self.at_line_start = True  # the line state the next block of a file starts in (see job)
        self.skipping = False
        self.worker_ids: list[np.ndarray] = []  # per worker process, the ids of its words (see add_tokenized)

    def add_text(self, text: str) -> None:
        """Tokenize whole lines given as text (sentences in memory given as strings)."""
        words, ends = split_block(text, True, False, False, self.split, self.plain_fast, self.skip, self.lowercase)
        self.add_words(words, ends + self.n, check=False)

    def add_words(self, words: list[str], ends: np.ndarray, *, check: bool = True) -> None:
        """Add tokens ending sentences at the absolute positions ``ends`` (``check``: tokens from the caller)."""
        if words:
            self.ids.check = check
            self.blocks.append(np.fromiter(map(self.ids.__getitem__, words), dtype=np.int32, count=len(words)))
        self.n += len(words)
        if ends.size:
            self.line_ends.append(ends)

    def add_tokenized(self, worker: int, words: list[str], local: np.ndarray, ends: np.ndarray) -> None:
        """Add a block a worker tokenized (:mod:`wvtool.read_worker`): the words new to that worker in order of
        first appearance, the block's tokens as indices into all the worker's words and its line ends (positions
        in the block)."""
        while len(self.worker_ids) <= worker:
            self.worker_ids.append(np.empty(0, dtype=np.int32))
        if words:
            new = np.fromiter(map(self.ids.__getitem__, words), dtype=np.int32, count=len(words))
            self.worker_ids[worker] = np.concatenate([self.worker_ids[worker], new])
        if local.size:
            self.blocks.append(self.worker_ids[worker][local])
        if ends.size:
            self.line_ends.append(ends + self.n)
        self.n += local.size

    def end_line(self) -> None:
        """A file not ending with a newline still ends its last sentence."""
        if self.n and (not self.line_ends or self.line_ends[-1][-1] != self.n):
            self.line_ends.append(np.array([self.n], dtype=np.int64))

    def end_input(self) -> None:
        self.end_line()
        self.at_line_start = True

    def add_job(self, block: bytes, name: str, offset: int, line: int, ends_line: bool, continues: bool,
                skipping: bool) -> None:
        """Tokenize here a block of a file made into a job (:meth:`job`), as a worker would."""
        words, ends = split_block(_decode(block, name, offset, line), ends_line, continues, skipping, self.split,
                                  self.plain_fast, self.skip, self.lowercase)
        self.add_words(words, ends + self.n, check=False)

    def job(self, block: bytes, name: str, offset: int, line: int, ends_line: bool) -> tuple:
        """The job of tokenizing the next block of a file, here (:meth:`add_job`) or in a worker
        (:mod:`wvtool.read_worker`): the block with the line state it starts in, which moves on: whether the
        block's last line goes on in the next block, and is left out (``skip`` matched its start)."""
        job = (block, name, offset, line, ends_line, not self.at_line_start, self.skipping)
        if not ends_line and self.skip is not None:
            start = block.rfind(b"\n") + 1
            if start > 0 or self.at_line_start:  # the block's last line starts in it: its start decides
                self.skipping = self.skip.match(block[start:].decode("utf-8", "replace")) is not None
        self.at_line_start = ends_line
        return job


def _check_token(w) -> None:
    if not isinstance(w, str) or not w or len(w.split()) != 1 or w.strip() != w:
        raise CorpusError(
            f"{SENTENCES}: the token {w!r} is not a word: a sentence given as a list holds non-empty strings "
            "without whitespace; give each sentence as a list of such strings, or as one string to tokenize"
        )


def _is_path(x) -> bool:
    return isinstance(x, (str, bytes)) or hasattr(x, "__fspath__")


#: what :func:`corpus_source` reads from an iterable that has no items (a sentence may be None, reported as such)
_NOTHING = object()


def corpus_source(source) -> tuple[str, Iterable]:
    """Tell files from sentences: ``("paths", list)`` or ``("sentences", iterable)``.

    - a ``str``, ``bytes`` or path-like object names one file (``"-"``: standard input);
    - a list or tuple of them names several files;
    - any other iterable (a list of token lists, a generator, an open text file,
      ``io.StringIO``, ...) yields sentences: each a list or tuple of tokens, or a
      string tokenized like a line of a file.  An iterable whose first item is a
      path-like object (e.g. ``Path(...).glob("*.txt")``) names files.

    So strings inside a list or tuple are always file names: to train on
    sentences held as strings, pass ``iter(lines)`` (or token lists).
    """
    if _is_path(source):
        return "paths", [source]
    if isinstance(source, (list, tuple)):
        if all(_is_path(x) for x in source):
            return "paths", list(source)
        return "sentences", source
    try:
        it = iter(source)
    except TypeError:
        raise CorpusError(
            f"a corpus of type {type(source).__name__} cannot be read; give a file path, a list of paths, "
            "or an iterable of sentences (token lists or strings)"
        ) from None
    first = next(it, _NOTHING)
    if first is _NOTHING:
        return "sentences", ()
    if hasattr(first, "__fspath__"):
        return "paths", [first, *it]
    return "sentences", _chain_first(first, it)


#: the wildcards of a file-name pattern (:func:`corpus_files`)
_PATTERN = re.compile(r"[*?[]")


def corpus_files(paths) -> list:
    """The inputs ``paths`` name: a directory stands for every file below it (at any depth, names starting with
    ``.`` left out), in sorted order, such as WikiExtractor's ``AA/wiki_00``, ``AA/wiki_01``, ``AB/wiki_00``;
    a name that is no file but a pattern (``*``, ``?``, ``[...]``; ``**`` for any depth) stands for the files it
    matches, in sorted order, as a shell would expand it (for a quoted pattern, a shell that does not expand
    them, or more files than a command line holds), each once (``data/**`` matches ``data/sub`` and the files in
    it); files and ``"-"`` stand for themselves.  CorpusError for an empty name, a directory holding no file or a
    pattern matching none."""
    out: list = []
    for p in paths:
        if isinstance(p, bytes):  # a bytes path names a file as its decoded str does
            p = os.fsdecode(p)
        name = str(p)
        if name == "-":
            out.append(p)
            continue
        if not name:
            raise CorpusError("an empty name was given as a corpus file (an unset shell variable?); "
                              "give a file, a directory or a pattern")
        root = Path(p)
        try:
            exists, is_dir = root.exists(), root.is_dir()
        except OSError as e:  # e.g. a name longer than the file system allows
            raise CorpusError(f"{short(name, 60)}: {e.strerror or e}; check the path") from None
        if not exists and _PATTERN.search(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                raise CorpusError(f"{p}: no file matches this pattern; check the path")
            out.extend(dict.fromkeys(corpus_files([Path(m) for m in matches])))
        elif is_dir:
            found = sorted(f for f in root.rglob("*")
                           if f.is_file() and not any(part.startswith(".") for part in f.relative_to(root).parts))
            if not found:
                raise CorpusError(f"{p}: the directory holds no files; give a directory of text files, or the files")
            out.extend(found)
        else:
            out.append(p)
    return out


def _check_not_sentences(names) -> None:
    """CorpusError if a string of a list or tuple (a file name, see :func:`corpus_source`) names no file and holds
    a space: most likely a sentence meant as text."""
    for x in names:
        if not isinstance(x, str) or not any(c.isspace() for c in x.strip()):
            continue
        try:
            found = Path(x).exists()
        except OSError:
            found = False
        if not found:
            raise CorpusError(f"{short(x, 60)}: no such file: the strings of a list or tuple name files; to train on "
                              "sentences held as strings, pass iter(lines), or lists of tokens")


def _chain_first(first, it: Iterator) -> Iterator:
    yield first
    yield from it


def _read_sentences(reader: _Reader, sentences: Iterable, block_tokens: int, progress: Callable | None) -> None:
    """Feed sentences to ``reader`` in blocks: strings are joined into a text block (tokenized like a file),
    token lists are gathered into a block of tokens; never more than a block is held beyond the ids."""
    words: list = []
    ends: list[int] = []
    texts: list[str] = []
    size = 0
    count = 0

    def flush() -> None:
        nonlocal words, ends, texts, size
        if texts:
            reader.add_text("\n".join(texts))
            texts, size = [], 0
        if words or ends:
            reader.add_words(words, reader.n + np.asarray(ends, dtype=np.int64))
            words, ends = [], []
        if progress is not None:
            progress(count, None, {"tokens": reader.n, "file": SENTENCES, "unit": "sentences"})

    for s in sentences:
        count += 1
        if isinstance(s, str):
            if ends:
                flush()
            texts.append(s)
            size += len(s) + 4
            if size >= BLOCK_SIZE:
                flush()
        elif isinstance(s, (list, tuple)):
            if texts:
                flush()
            words.extend(s)
            ends.append(len(words))
            if len(words) >= block_tokens:
                flush()
        else:
            raise CorpusError(
                f"{SENTENCES}: sentence {count:,} is a {type(s).__name__}; give each sentence as a list of "
                "tokens or as a string"
            )
    flush()
    reader.end_input()


#: the settings that act while a corpus is read, not while training (a :class:`Corpus` keeps them as ``read_with``)
READING_SETTINGS = ("min_count", "max_vocab", "tokens", "lowercase", "token_pattern", "skip_lines")


def read_corpus(
    source,
    *,
    min_count: int = 5,
    max_vocab: int | None = None,
    tokens: str = "default",
    lowercase: bool = True,
    token_pattern: str = "",
    skip_lines: str = MARKUP_LINES,
    block_size: int = BLOCK_SIZE,
    block_tokens: int = BLOCK_TOKENS,
    progress: Callable | None = None,
    workers: int = 1,
) -> Corpus:
    """Read, tokenize and encode a corpus once: files or sentences in memory (see :func:`corpus_source`).

    Files (``.gz`` read transparently, ``"-"`` for stdin; a directory stands for
    the files below it, a pattern for the files it matches, see :func:`corpus_files`) are read in blocks
    of ``block_size`` bytes, one sentence per line.  Sentences in memory are
    consumed once, ``block_tokens`` tokens at a time; a sentence given as a
    list of tokens is used exactly as given (not lowercased, split or skipped),
    a sentence given as a string is treated as a line of a file (it may hold
    several lines).  Lines matching ``skip_lines`` are left out and the text is
    tokenized as :func:`tokenize` describes.  Words occurring fewer than
    ``min_count`` times are dropped; ``max_vocab`` keeps only the most frequent
    words.  ``progress(done, None, info)`` is called after each block (``done``:
    bytes read, or sentences with ``info["unit"] == "sentences"``).  ``workers``:
    with more than 1, files longer than ``WORKERS_AFTER`` blocks are tokenized
    by that many worker processes from there on (:mod:`wvtool.read_worker`;
    the same corpus, bit for bit).  Raises
    CorpusError for a binary file, an empty corpus, or no word reaching
    ``min_count``; ConfigError for bad settings.
    """
    min_count = settings.whole("min_count", min_count, 1)
    max_vocab = settings.whole("max_vocab", max_vocab, 1, optional=True)
    lowercase = settings.flag("lowercase", lowercase)
    block_size = settings.whole("block_size", block_size, 1)
    block_tokens = settings.whole("block_tokens", block_tokens, 1)
    workers = settings.whole("workers", workers, 1, 1_024)
    settings.callback("progress", progress)
    kind, items = corpus_source(source)
    reader = _Reader(make_splitter(tokens, token_pattern), check_skip_lines(skip_lines), lowercase)
    read_with = tuple(zip(READING_SETTINGS, (min_count, max_vocab, tokens, lowercase, token_pattern, skip_lines),
                          strict=True))
    if kind == "sentences":
        _read_sentences(reader, items, block_tokens, progress)
        return _finish(reader, [SENTENCES], min_count, max_vocab, read_with)
    if not items:
        raise CorpusError("no corpus file given; name one or more text files (or - for standard input)")
    if isinstance(source, (list, tuple)):
        _check_not_sentences(items)
    items = corpus_files(items)
    _warn_read_twice(items)
    total = _total_size(items)  # bytes on disk (compressed, for a gzip file): the bar's 100%
    done = 0  # bytes of the files before this one
    blocks = 0
    at = 0  # bytes read so far (on disk, when total is known)
    pool = None
    try:
        for path in items:
            name = "<stdin>" if str(path) == "-" else str(path)
            measured: list = []
            read = 0
            line = 1  # the line the next block starts in (for messages)
            for block, offset, ends_line in _blocks(path, block_size, measured):
                if pool is None and workers > 1 and _workers_pay(blocks, at, total):
                    pool = _start_workers(workers, (tokens, token_pattern, lowercase, skip_lines))
                job = reader.job(block, name, offset, line, ends_line)
                line += block.count(b"\n")
                if pool is None:
                    reader.add_job(*job)
                else:
                    _merge(reader, pool.put(job))
                    if pool.failed is not None:
                        _read_on_alone(reader, pool, name)
                        pool, workers = None, 1
                read += len(block)
                blocks += 1
                size, position = measured
                at = done + position() if total is not None and position is not None else done + read
                if progress is not None:
                    progress(min(at, total) if total is not None else at, total, {"tokens": reader.n, "file": name})
            done += measured[0] if total is not None and measured and measured[0] is not None else read
            if pool is None:
                reader.end_input()
            else:  # the line state starts afresh now; the sentence ends once the file's blocks are merged
                reader.at_line_start = True
                pool.mark("end of input")
        if pool is not None:
            _merge(reader, pool.drain())
            if pool.failed is not None:
                _read_on_alone(reader, pool, name)
    finally:
        if pool is not None:
            pool.close()
    return _finish(reader, items, min_count, max_vocab, read_with)


def _workers_pay(blocks: int, at: int, total: int | None) -> bool:
    """Whether starting worker processes now will pay for itself: a worker takes about a quarter of a second to
    start, tokenizing a block a tenth, so the blocks left must be many (estimated from the share of the input's
    bytes read so far, or, when the size is unknown, from those read: more than ``WORKERS_AFTER``)."""
    if blocks == 0:
        return False
    if total is None:
        return blocks >= WORKERS_AFTER
    return blocks * (total - at) >= WORKERS_AFTER * max(at, 1)


def _start_workers(n: int, settings: tuple):
    """:class:`~wvtool.read_worker.Workers` tokenizing the rest of the input, or None if processes cannot be
    started here (then this process reads on alone)."""
    if getattr(sys, "frozen", False):  # a frozen application's executable is not a Python to run -c with
        return None
    try:
        return Workers(n, settings)
    except OSError:
        return None


def _merge(reader: _Reader, answers: list) -> None:
    """Add the workers' answers (and end-of-input markers) to ``reader``, in the order the blocks were read; a
    block a worker did not answer is tokenized here."""
    for kind, answer in answers:
        if kind == "mark":
            reader.end_line()
        elif kind == "local":
            reader.add_job(*answer)
        else:
            worker, (words, local, ends, error) = answer
            if error is not None:
                raise CorpusError(error)
            reader.add_tokenized(worker, words, local, ends)


def _read_on_alone(reader: _Reader, pool: Workers, name: str) -> None:
    """A worker stopped: tokenize here what the workers had not answered, stop them and say so (this process
    reads the rest alone)."""
    _merge(reader, pool.drain())
    warnings.warn(f"{name}: {pool.failed}; reading on in this process", WvtoolWarning, stacklevel=3)
    pool.close()


def _total_size(paths) -> int | None:
    """The inputs' total size on disk, or None if any is standard input, a pipe or not a regular file."""
    import os
    import stat

    total = 0
    for p in paths:
        if str(p) == "-":
            return None
        try:
            st = os.stat(p)
        except OSError:
            return None  # reading it will say what is wrong
        if not stat.S_ISREG(st.st_mode):
            return None
        total += st.st_size
    return total


def _count_ids(blocks: list[np.ndarray], n: int) -> np.ndarray:
    """int64 (n,): how often each id ``0..n-1`` occurs in ``blocks``.  Blocks are counted together, at least
    ``n`` tokens at a time, so each count of ``n`` entries covers as many tokens (linear in the corpus)."""
    counts = np.zeros(n, dtype=np.int64)
    group: list[np.ndarray] = []
    size = 0
    for i, b in enumerate(blocks):
        group.append(b)
        size += b.size
        if size >= n or i == len(blocks) - 1:
            counts += np.bincount(np.concatenate(group), minlength=n)
            group, size = [], 0
    return counts


def _finish(reader: _Reader, paths, min_count: int, max_vocab: int | None, read_with: tuple = ()) -> Corpus:
    names = ", ".join(str(p) for p in paths)
    if reader.n == 0:
        if paths == [SENTENCES]:  # a generator read before gives nothing the second time
            raise CorpusError(f"{SENTENCES}: the corpus has no words; give sentences with tokens "
                              "(a generator can be read only once: pass a list, or a new generator for each run)")
        defaults = {"skip_lines": MARKUP_LINES, "token_pattern": ""}
        shaping = [f"{{{k}={v!r}}}" for k, v in read_with if k in defaults and v != defaults[k]]
        if shaping:  # the file may well hold text: these settings left nothing of it
            raise CorpusError(f"{names}: no words are left with {' and '.join(shaping)}; check that "
                              f"{'they leave' if len(shaping) > 1 else 'it leaves'} some of the text")
        raise CorpusError(f"{names}: the corpus has no words; give a non-empty text file")
    n_prov = len(reader.ids)
    counts = _count_ids(reader.blocks, n_prov)
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
        read_with=read_with,
    )
