"""The exceptions wvtool raises on bad input.

Every message says what happened, where (file, line or record) and how to fix
it, in one line.  The CLI catches :class:`WvtoolError` only, prints its message
and exits non-zero; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations


class WvtoolError(Exception):
    """Base class of every error caused by the user's input or environment."""


class FileError(WvtoolError):
    """A path cannot be read or written (missing, a directory, no permission...)."""


class FormatError(WvtoolError):
    """A vector or data file is malformed.

    ``path`` and ``where`` (e.g. ``"line 12"`` or ``"record 7"``) locate the
    problem; both are part of the message.
    """

    def __init__(self, path, where: str | None, problem: str, fix: str | None = None):
        self.path = str(path)
        self.where = where
        self.problem = problem
        self.fix = fix
        loc = f"{self.path}, {where}" if where else self.path
        msg = f"{loc}: {problem}"
        if fix:
            msg += f"; {fix}"
        super().__init__(msg)


class UnknownWordError(WvtoolError, KeyError):
    """A word is not in the vocabulary; carries the closest spellings found."""

    def __init__(self, word: str, suggestions: list[str] | tuple[str, ...] = (), vocab_size: int | None = None):
        self.word = word
        self.suggestions = list(suggestions)
        size = f" ({vocab_size:,} words)" if vocab_size is not None else ""
        msg = f"{word!r} is not in the vocabulary{size}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            msg += "; check the spelling and case"
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.args[0]


class ConfigError(WvtoolError, ValueError):
    """A parameter is out of range or options conflict."""


class CorpusError(WvtoolError):
    """A training corpus is missing, empty, binary or has no usable words."""


class WvtoolWarning(UserWarning):
    """Something was recovered from (e.g. duplicate words skipped); the CLI prints it as one line."""
