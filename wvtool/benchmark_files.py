"""Reading benchmark files: analogy questions and word pairs, in the layouts they are distributed in.

Analogy files are word2vec's ``questions-words.txt`` layout (``: section``
headers, then ``a b c d`` lines); questions before the first header (a file
with no headers at all, such as the MSR set) form one section named after the
file.

Word-pair files hold one pair per line: two words and usually a human score,
in columns separated by tabs, commas (CSV, e.g. MTurk) or spaces.  Which
columns hold the words and the score is found from the file: with three
columns (WordSim-353, SimLex-999 as gensim ships it, MEN) they are the first,
second and third; with more (RW has 13, SimVerb-3500 5, the original
SimLex-999 10), the words are the first two text columns and the score the
first numeric column after them.  When that is not clear the reader says so
and the ``columns`` setting names them (``"1,2,3"``: word, word, score,
counted from 1; ``"1,2"``: no score).
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from .errors import ConfigError, FormatError, WvtoolWarning
from .files import byte_order_mark, open_input, regular_size

#: how many line numbers a warning about skipped lines shows
SHOWN_LINES = 5


class Pairs(NamedTuple):
    """A word-pair file read: ``items`` (word1, word2, score or None), ``invalid`` lines skipped, ``columns`` used (from 1)."""

    items: list[tuple[str, str, float | None]]
    invalid: int
    columns: tuple[int, ...]


#: the longest line a benchmark file may have: its lines are a few words (more is not a benchmark file, and a line
#: is held whole while it is read)
MAX_LINE_BYTES = 1 << 20
#: the most text a benchmark file read from a pipe may hold (it is kept to be read twice, see :func:`reading_twice`)
MAX_PIPED_BYTES = 1 << 26
#: while :func:`reading_twice` is on, the text of benchmark files that are pipes, by path, from their first reading
_PIPED: dict[str, bytes] | None = None


@contextlib.contextmanager
def reading_twice() -> Iterator[None]:
    """Within it, a benchmark file that can be read only once (a FIFO, ``/dev/fd/N`` from the shell's ``<(...)``)
    is read once and its text served again: a command checks its files before loading the vectors, then uses
    them.  Outside it nothing is kept, so reading a FIFO again reads what is written to it then."""
    global _PIPED
    outer = _PIPED
    if outer is None:
        _PIPED = {}
    try:
        yield
    finally:
        if outer is None:
            _PIPED = None


def _open_once(path):
    """A benchmark file opened for reading (a pipe's text kept while :func:`reading_twice` is on)."""
    if _PIPED is None or regular_size(path) is not None:
        return open_input(path)
    key = str(path)
    if key not in _PIPED:
        with open_input(path) as f:  # (a path that cannot be read: open_input says why)
            text = f.read(MAX_PIPED_BYTES + 1)
        if len(text) > MAX_PIPED_BYTES:
            raise FormatError(path, None, f"over {MAX_PIPED_BYTES >> 20} MiB from a pipe, more than a benchmark file "
                              "holds", "give a file of analogy questions or word pairs")
        _PIPED[key] = text
    return io.BytesIO(_PIPED[key])


def lines(path) -> Iterable[tuple[int, str]]:
    """(line number, text) of every line of a UTF-8 file (compression detected; a UTF-8 byte-order mark dropped);
    FormatError naming a line that is not UTF-8 or is longer than :data:`MAX_LINE_BYTES`, or a UTF-16 file."""
    with _open_once(path) as f:
        line_no = 0
        while raw := f.readline(MAX_LINE_BYTES + 1):
            line_no += 1
            if len(raw) > MAX_LINE_BYTES:
                raise FormatError(path, f"line {line_no}", f"over {MAX_LINE_BYTES >> 20} MiB long, longer than a line "
                                  "of a few words can be", "give a file of analogy questions or word pairs")
            mark = byte_order_mark(raw) if line_no == 1 else None
            if mark is not None:
                kind, length = mark
                if kind != "UTF-8":
                    raise FormatError(path, None, f"the file is {kind} text", f"convert it to UTF-8 first "
                                      f"(iconv -f {kind} -t UTF-8)")
                raw = raw[length:]
            try:
                yield line_no, raw.decode("utf-8")
            except UnicodeDecodeError:
                raise FormatError(path, f"line {line_no}", "not valid UTF-8 text", "save the file as UTF-8") from None


def _warn_skipped(path, what: str, line_numbers: list[int]) -> None:
    if line_numbers:
        shown = ", ".join(map(str, line_numbers[:SHOWN_LINES])) + (" ..." if len(line_numbers) > SHOWN_LINES else "")
        warnings.warn(f"{path}: skipped {len(line_numbers)} line(s) {what} (line {shown})", WvtoolWarning, stacklevel=4)


# --- analogies -------------------------------------------------------------------------


def read_analogies(path) -> tuple[list[tuple[str, list[tuple[str, str, str, str]]]], int]:
    """Parse a questions file: ``: section`` headers, then ``a b c d`` lines.

    Returns ``(sections, invalid)``: a list of ``(name, questions)`` and the
    number of lines that are not four words (skipped with a warning, as gensim
    skips them).  Questions before the first header (or in a file without
    headers) form a section named after the file.  A file with no question at
    all (empty, only headers, or no line of four words) is a FormatError naming
    its first line that is not four words.
    """
    sections: list[tuple[str, list]] = []
    invalid: list[int] = []
    first_bad: tuple[int, int] | None = None  # (line number, number of words) of the first line skipped
    for line_no, line in lines(path):
        if line.startswith(": "):
            sections.append((line.lstrip(": ").strip(), []))
            continue
        words = line.split()
        if len(words) != 4:
            if words:
                invalid.append(line_no)
                first_bad = first_bad or (line_no, len(words))
            continue
        if not sections:
            sections.append((Path(str(path)).name, []))
        sections[-1][1].append(tuple(words))
    if not any(questions for _, questions in sections):
        fix = "write each question as four words 'a b c d' (': name' lines start sections)"
        if first_bad is not None:
            raise FormatError(path, f"line {first_bad[0]}", f"no analogy question in the file: this line has "
                              f"{first_bad[1]} word{'s' if first_bad[1] != 1 else ''} (and {len(invalid)} line(s) in "
                              "all are not four words)", fix)
        what = "only ': section' headers" if sections else "no text"
        raise FormatError(path, None, f"no analogy question in the file (it has {what})", fix)
    _warn_skipped(path, "that are not four words", invalid)
    return sections, len(invalid)


# --- word pairs ------------------------------------------------------------------------


def parse_columns(columns) -> tuple[int, ...] | None:
    """``"1,2,3"`` or ``(1, 2, 3)`` (word, word[, score] column numbers from 1) -> a tuple; ConfigError if malformed."""
    if columns is None:
        return None
    parts = columns.split(",") if isinstance(columns, str) else columns
    try:
        out = tuple(int(str(p).strip()) for p in parts)
    except (TypeError, ValueError):
        out = ()
    if len(out) not in (2, 3) or min(out) < 1 or len(set(out)) != len(out):
        raise ConfigError(
            f"{{columns={columns!r}}} must name two word columns and optionally a score column, "
            "distinct and counted from 1, e.g. {columns='1,2,3'}"
        )
    return out


def split_fields(line: str) -> list[str]:
    """The fields of one pair line: tab-separated if it has a tab, else CSV if it has a comma and no space, else whitespace."""
    text = line.rstrip("\r\n")
    if "\t" in text:
        return [f.strip() for f in text.split("\t")]
    stripped = text.strip()
    if "," in stripped and not any(c.isspace() for c in stripped):
        return [f.strip() for f in next(csv.reader([stripped]))]
    return stripped.split()


def _number(field: str) -> float | None:
    """``field`` as a float (NaN and infinity included), or None if it is not a number."""
    if "_" in field:  # float() accepts 1_000; a score file does not mean it
        return None
    try:
        return float(field)
    except ValueError:
        return None


def guess_columns(path, rows: Sequence[list[str]]) -> tuple[tuple[int, ...], int]:
    """``(columns, width)``: the (word, word[, score]) columns (0-based) of a pair file and its usual number of fields.

    Found from the rows of fields as the module docs say; FormatError when the layout does not tell.
    """
    counts = Counter(len(r) for r in rows if len(r) >= 2)
    if not counts:
        return (0, 1, 2), 3
    n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]  # the usual number of fields (the wider on a tie)
    if n <= 3:
        return ((0, 1, 2) if n == 3 else (0, 1)), n
    shaped = [r for r in rows if len(r) == n]
    numeric = [sum(_number(r[c]) is not None for r in shaped) * 2 > len(shaped) for c in range(n)]
    text = [c for c in range(n) if not numeric[c]]
    first_number = next((c for c in range(n) if numeric[c]), None)
    if first_number is None or len([c for c in text if c < first_number]) < 2:
        raise FormatError(
            path, None, f"cannot tell which of its {n} columns hold the two words and the score",
            "name them with {columns='1,2,3'} (word, word, score; counted from 1)",
        )
    return (text[0], text[1], first_number), n


def read_pairs(path, columns=None) -> Pairs:
    """Parse a word-pair file (any of the layouts in the module docs); ``#`` lines are comments.

    ``columns``: None (found from the file) or the word, word[, score] column
    numbers from 1.  Lines without the needed columns (or, when the columns are
    found from the file, with another number of fields than most lines), with a
    score that is not a number, or with a NaN or infinite score are skipped
    with a warning naming them.  A line of just two fields is a pair without a
    score when the words are the first two columns.
    """
    chosen = parse_columns(columns)
    rows = [(no, split_fields(line)) for no, line in lines(path) if line.strip() and not line.startswith("#")]
    if chosen:
        cols, width = tuple(c - 1 for c in chosen), None
    else:
        cols, width = guess_columns(path, [r for _, r in rows])
    items: list[tuple[str, str, float | None]] = []
    bad: list[int] = []
    not_finite: list[int] = []
    for no, fields in rows:
        if len(fields) == 2 and cols[:2] == (0, 1):
            items.append((fields[0], fields[1], None))
            continue
        if len(fields) <= max(cols) or (width and len(fields) != width) or not fields[cols[0]] or not fields[cols[1]]:
            bad.append(no)
            continue
        score = _number(fields[cols[2]]) if len(cols) == 3 else None
        if len(cols) == 3 and score is None:
            bad.append(no)
        elif score is not None and not math.isfinite(score):
            not_finite.append(no)
        else:
            items.append((fields[cols[0]], fields[cols[1]], score))
    if not items:
        _no_pairs(path, rows, bad, not_finite, cols, width)
    _warn_skipped(path, "without two words and a score in the expected columns", bad)
    _warn_skipped(path, "whose score is not a finite number (nan or inf)", not_finite)
    return Pairs(items, len(bad) + len(not_finite), tuple(c + 1 for c in cols))


def _no_pairs(path, rows: list[tuple[int, list[str]]], bad: list[int], not_finite: list[int], cols,
              width: int | None) -> None:
    """FormatError for a pair file that gave no pair: naming its first line skipped and why, or saying it is empty."""
    fix = "write one pair per line as 'word1 word2 score' (tab- or space-separated), or name the columns with " \
          "{columns='1,2,3'}"
    if not bad and not not_finite:
        raise FormatError(path, None, "no word pair in the file (it is empty, or only comments and blank lines)", fix)
    first = min(bad + not_finite)
    fields = dict(rows)[first]
    if first in not_finite:
        why = f"its score {fields[cols[2]]} is not a finite number"
    elif len(fields) <= max(cols):
        why = f"it has {len(fields)} field(s) and the pair is read from columns {', '.join(str(c + 1) for c in cols)}"
    elif width and len(fields) != width:
        why = f"it has {len(fields)} fields where most lines have {width}"
    elif not fields[cols[0]] or not fields[cols[1]]:
        why = "a word is empty"
    else:
        why = f"its score {fields[cols[2]]!r} (column {cols[2] + 1}) is not a number"
    skipped = len(bad) + len(not_finite)
    raise FormatError(path, f"line {first}", f"no word pair in the file: this line is skipped because {why} "
                      f"({skipped} line(s) skipped in all)", fix)
