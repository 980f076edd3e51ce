"""Tokenizer vocabularies as they are saved: one token per line, WordPiece, SentencePiece, Hugging Face JSON.

:func:`read_tokenizer_vocab` returns a :class:`TokenizerVocab`: the token of
every row (row = token id), which rows the file declares special, and how the
tokenizer marks pieces, so that :meth:`TokenizerVocab.word` can give the word a
piece stands for (``##ing`` -> ``ing``, ``▁the`` -> ``the``, ``Ġthe`` -> ``the``).

Kinds (``vocab_format``):

- ``plain``: one token per line, verbatim; row i is line i.
- ``wordpiece``: BERT's ``vocab.txt``: one token per line; ``##`` marks a piece continuing a word.
- ``sentencepiece``: a SentencePiece ``.vocab`` file (``piece<TAB>score``) or
  one piece per line; ``▁`` (U+2581) marks a piece starting a word.
- ``json``: a Hugging Face ``tokenizer.json`` (WordPiece, BPE, Unigram or
  WordLevel model, plus its ``added_tokens``, which are special when marked so)
  or a ``vocab.json`` (``{"token": id}``, as GPT-2 and RoBERTa save it); rows
  follow the ids.  Byte-level BPE vocabularies (``Ġ`` for a leading space,
  bytes spelt as characters) are decoded back to text.
- ``auto``: told apart by the content (JSON; ``piece<TAB>score`` on most lines or
  ``▁`` pieces; ``##`` pieces; else plain).

A SentencePiece vocabulary with a tab on any line is read as ``piece<TAB>score``
lines throughout: a line that is not one is an error naming it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from .errors import ConfigError, FormatError
from .files import open_input

VOCAB_FORMATS = ("auto", "plain", "wordpiece", "sentencepiece", "json")
#: SentencePiece's word-start mark and byte-level BPE's space
SP_SPACE, BYTE_SPACE = "\u2581", "\u0120"
#: tokens that look special: [PAD], [CLS], [unused7], <pad>, </s>, <|endoftext|>
SPECIAL_PATTERN = re.compile(r"\[[A-Za-z][A-Za-z0-9_]*\]|<\|?/?[A-Za-z][A-Za-z0-9_.-]*\|?>")
#: the largest vocabulary file read (it is read whole: a JSON file cannot be parsed in pieces)
MAX_VOCAB_BYTES = 1 << 28
#: a JSON vocabulary's ids may leave at most this many rows unused per token it holds
MAX_GAP_RATIO = 1
_SP_LINE = re.compile(r"[^\t]*\t-?[0-9.eE+-]+")


@dataclass(frozen=True)
class TokenizerVocab:
    """A tokenizer vocabulary: ``tokens[i]`` is the token of row i (None for an id no token has).

    ``special``: rows the file declares special (``added_tokens`` marked
    special in a tokenizer.json); ``not_special``: rows it declares not special
    (``"special": false``: a control token such as ``<tool_call>``, or a word such
    as ``<br>`` that a table may hold); ``continuation``/``word_start``/``word_end``:
    the markers of pieces (``"##"``, ``"▁"`` or ``"Ġ"``, ``"</w>"``);
    ``byte_level``: tokens spell UTF-8 bytes as characters (GPT-2's BPE).
    """

    tokens: list[str | None]
    kind: str
    special: frozenset[int] = frozenset()
    not_special: frozenset[int] = frozenset()
    continuation: str | None = None
    word_start: str | None = None
    word_end: str | None = None
    byte_level: bool = False

    def word(self, token: str) -> str | None:
        """The word ``token`` stands for once its piece markers are removed (and bytes decoded); None if it has none."""
        text = token
        for prefix in (self.continuation, self.word_start):
            if prefix and text.startswith(prefix):
                text = text[len(prefix):]
                break
        if self.word_end and text.endswith(self.word_end):
            text = text[: -len(self.word_end)]
        if self.byte_level:
            text = _decode_bytes(text)
        return text if text != token and text else None

    def looks_special(self, row: int) -> bool:
        """Whether row ``row`` is special: declared so, empty, or spelt like [PAD], <pad>, </s>, <|endoftext|>."""
        tok = self.tokens[row]
        return row in self.special or tok == "" or (tok is not None and SPECIAL_PATTERN.fullmatch(tok) is not None)


def read_tokenizer_vocab(path, vocab_format: str = "auto") -> TokenizerVocab:
    """Read a tokenizer vocabulary of ``vocab_format`` (see the module docs); FormatError naming the problem."""
    with open_input(path) as f:
        data = f.read(MAX_VOCAB_BYTES + 1)
    if len(data) > MAX_VOCAB_BYTES:  # (a tokenizer.json of 250,000 tokens is about 10 MB)
        raise FormatError(path, None, f"over {MAX_VOCAB_BYTES >> 20} MiB, more than a tokenizer vocabulary holds",
                          "check that this is a vocab.txt, a .vocab or a tokenizer.json")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise FormatError(path, None, "the vocabulary file is empty", "give one token per line, or a tokenizer.json")
    # a name ending in .json is read as JSON too, so a broken or other JSON file is an error, not one long token
    named_json = str(getattr(path, "name", path)).lower().endswith(".json")
    if vocab_format == "json" or (vocab_format == "auto" and (data.lstrip()[:1] == b"{" or named_json)):
        try:
            return _read_json(path, data)
        except RecursionError:
            raise FormatError(path, None, "JSON nested too deeply to be a tokenizer vocabulary",
                              "give the tokenizer.json or vocab.json a Hugging Face tokenizer saved") from None
    return _from_lines(path, _text_lines(path, data), vocab_format)


def tokens_vocab(tokens, vocab_format: str = "auto", name: str = "<tokens>") -> TokenizerVocab:
    """A vocabulary given as a list of tokens (token ``i`` is row ``i``), read as the lines of a file
    would be (``vocab_format``: ``"auto"``, ``"plain"``, ``"wordpiece"`` or ``"sentencepiece"``)."""
    if vocab_format == "json":
        raise ConfigError("{vocab_format='json'} needs a tokenizer.json or vocab.json file, not a list of tokens")
    return _from_lines(name, list(tokens), vocab_format)


def _from_lines(path, lines: list[str], vocab_format: str) -> TokenizerVocab:
    """The vocabulary of one-token-per-line ``lines`` in ``vocab_format`` (``"auto"``: guessed from them)."""
    if vocab_format == "auto":
        vocab_format = _guess_line_format(lines)
    if vocab_format == "sentencepiece":
        if any("\t" in line for line in lines):
            lines = _sentencepiece_pieces(path, lines)
        return TokenizerVocab(lines, "sentencepiece", word_start=SP_SPACE)
    if vocab_format == "wordpiece":
        return TokenizerVocab(lines, "wordpiece", continuation="##")
    return TokenizerVocab(lines, "plain")


def _text_lines(path, data: bytes) -> list[str]:
    """The lines of a vocabulary file, line endings removed, nothing else; FormatError naming a line that is not UTF-8."""
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()  # the newline ending the last line
    tokens = []
    for i, line in enumerate(raw):
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


def _sentencepiece_pieces(path, lines: list[str]) -> list[str]:
    """The pieces of a SentencePiece ``.vocab`` file's ``piece<TAB>score`` lines (empty lines kept); FormatError
    naming the first other line (a piece never contains a tab, so a file with one is a scored file throughout)."""
    for i, line in enumerate(lines):
        if line and not _SP_LINE.fullmatch(line):
            shown = line if len(line) <= 60 else line[:60] + "..."
            raise FormatError(path, f"line {i + 1}", f"{shown!r} is not 'piece<TAB>score' as the other lines of this "
                              "SentencePiece vocabulary are",
                              "fix or remove the line, or pass {vocab_format='plain'} if the file is one token per line")
    return [line.split("\t", 1)[0] for line in lines]


def _guess_line_format(lines: list[str]) -> str:
    filled = [line for line in lines if line]
    if sum(_SP_LINE.fullmatch(line) is not None for line in filled) * 2 > len(filled):
        return "sentencepiece"  # most lines are 'piece<TAB>score' (a line that is not is reported)
    if sum(line.startswith(SP_SPACE) for line in filled) * 10 >= len(filled):
        return "sentencepiece"
    if any(line.startswith("##") and len(line) > 2 for line in filled):
        return "wordpiece"
    return "plain"


def _read_json(path, data: bytes) -> TokenizerVocab:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise FormatError(path, None, f"not a JSON vocabulary ({e})",
                          "give a whole tokenizer.json or vocab.json; for one token per line pass {vocab_format='plain'}") from None
    if isinstance(doc, dict) and isinstance(doc.get("model"), dict):
        return _read_tokenizer_json(path, doc)
    if isinstance(doc, dict) and doc and all(isinstance(v, int) and not isinstance(v, bool) for v in doc.values()):
        byte_level = sum(k.startswith(BYTE_SPACE) for k in doc) * 20 >= len(doc)
        return _vocab_from_ids(path, doc, {}, "bpe" if byte_level else "wordlevel",
                               word_start=BYTE_SPACE if byte_level else None, byte_level=byte_level)
    raise FormatError(path, None, "a JSON file that is neither a tokenizer.json (with a 'model') nor a {token: id} vocab.json",
                      "give the tokenizer.json or vocab.json a Hugging Face tokenizer saved")


def _read_tokenizer_json(path, doc: dict) -> TokenizerVocab:
    model = doc["model"]
    kind = str(model.get("type", "")).lower() or "wordlevel"
    vocab = model.get("vocab")
    if isinstance(vocab, list):  # Unigram: [[piece, score], ...], ids in order
        try:
            vocab = {str(entry[0]): i for i, entry in enumerate(vocab)}
        except (TypeError, IndexError, KeyError):
            raise FormatError(path, "model.vocab", "expected [piece, score] entries", "give the tokenizer.json as saved") from None
    if not isinstance(vocab, dict):
        raise FormatError(path, "model.vocab", "missing or not a {token: id} mapping", "give the tokenizer.json as saved")
    added = {}
    for n, entry in enumerate(doc.get("added_tokens") or []):
        if not (isinstance(entry, dict) and isinstance(entry.get("content"), str)):
            raise FormatError(path, f"added_tokens[{n}]", "not a token entry with a 'content' text",
                              "give the tokenizer.json as saved")
        # the id is checked with the vocabulary's (_vocab_from_ids), and named by its token
        added[entry["content"]] = (entry.get("id"), entry.get("special"))
    byte_level = _has_part(doc, "ByteLevel")
    metaspace = _find_part(doc, "Metaspace")
    word_start = BYTE_SPACE if byte_level else (metaspace.get("replacement") or SP_SPACE) if metaspace else None
    return _vocab_from_ids(path, vocab, added, kind, continuation=model.get("continuing_subword_prefix") or None,
                           word_start=word_start, word_end=model.get("end_of_word_suffix") or None, byte_level=byte_level)


def _vocab_from_ids(path, vocab: dict, added: dict, kind: str, **markers) -> TokenizerVocab:
    """Rows in id order from ``{token: id}`` and ``{token: (id, special)}`` (special True, False or None: not
    said); FormatError for bad or far-out ids."""
    by_id: dict[int, str] = {}
    special = set()
    not_special = set()
    entries = [(tok, i, None) for tok, i in vocab.items()] + [(tok, i, sp) for tok, (i, sp) in added.items()]
    for tok, i, is_special in entries:
        if not isinstance(i, int) or isinstance(i, bool) or i < 0:
            raise FormatError(path, f"token {tok[:40]!r}", f"id {i!r} is not a whole number >= 0", "give the file as saved")
        if by_id.setdefault(i, tok) != tok:
            raise FormatError(path, f"id {i}", f"given to both {by_id[i][:40]!r} and {tok[:40]!r}", "give the file as saved")
        if is_special is not None:
            (special if is_special else not_special).add(i)
    if not by_id:
        raise FormatError(path, "model.vocab", "the vocabulary holds no tokens", "give the tokenizer.json or vocab.json a "
                          "Hugging Face tokenizer saved")
    rows = max(by_id) + 1
    if rows - len(by_id) > MAX_GAP_RATIO * len(by_id):
        raise FormatError(path, f"id {rows - 1}", f"{len(by_id):,} tokens have ids up to {rows - 1:,}, leaving most rows unused",
                          "check that this is a tokenizer vocabulary")
    tokens: list[str | None] = [by_id.get(i) for i in range(rows)]
    return TokenizerVocab(tokens, kind, frozenset(special), frozenset(not_special - special), **markers)


def _find_part(node, type_name: str) -> dict | None:
    """The first dict with ``"type": type_name`` anywhere in a tokenizer.json (pre-tokenizer, decoder, sequences)."""
    if isinstance(node, dict):
        if node.get("type") == type_name:
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        if isinstance(child, (dict, list)) and not (isinstance(child, dict) and "vocab" in child):
            found = _find_part(child, type_name)
            if found is not None:
                return found
    return None


def _has_part(doc: dict, type_name: str) -> bool:
    return any(_find_part(doc.get(key), type_name) is not None for key in ("pre_tokenizer", "decoder"))


@functools.cache
def _byte_decoder() -> dict[str, int]:
    """Byte-level BPE's character -> byte table: printable bytes spell themselves, the others 256, 257, ... in order."""
    keep = set(range(0x21, 0x7F)) | set(range(0xA1, 0xAD)) | set(range(0xAE, 0x100))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[chr(b)] = b
        else:
            table[chr(256 + extra)] = b
            extra += 1
    return table


def _decode_bytes(text: str) -> str:
    """Text of a byte-level token (``Ã©`` -> ``é``); the token unchanged if it is not whole UTF-8 characters."""
    table = _byte_decoder()
    try:
        return bytes(table[c] for c in text).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return text
