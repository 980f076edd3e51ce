"""The exceptions wvtool raises on bad input.

Every message says what happened, where (file, line or record) and how to fix
it, in one line.  The CLI catches :class:`WvtoolError`, prints its message
and exits non-zero; past every check, an ``OSError`` or ``MemoryError`` the system
raises (a name too long for the file system, no memory) is printed as one line too.
Any other exception is a bug and keeps its traceback.

Messages name settings by their library parameter, written in the message
template as ``{name}`` or ``{name=value}`` (e.g. ``"{dim=0} is out of range"``).
``str(error)`` renders them as Python keyword arguments (``dim=0``); the CLI
renders the same template with its own flag names (``--dim 0``) through
:meth:`WvtoolError.render`, so no library message spells a command-line flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: a parameter reference in a message template: {name} or {name=value}
_PARAM = re.compile(r"\{([a-z][a-z0-9_]*)(?:=([^{}\n]*))?\}")


def render(template: str, flag_of: Callable[[str], str | None] | None = None) -> str:
    """Render the parameter references of ``template``.

    ``flag_of(name)`` gives the command-line flag of a parameter (or None to
    keep the Python form); without it every reference is ``name`` / ``name=value``.
    """

    def sub(m: re.Match) -> str:
        name, value = m.group(1), m.group(2)
        flag = flag_of(name) if flag_of is not None else None
        if flag is None:
            return name if value is None else f"{name}={value}"
        if value is None or value == "True":
            return flag  # a switch given as {name=True} reads as the bare flag
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]  # a quoted string value reads unquoted after a flag
        return f"{flag} {value}"

    return _PARAM.sub(sub, template)


class WvtoolError(Exception):
    """Base class of every error caused by the user's input or environment."""

    def __init__(self, message: str = ""):
        self.template = message
        super().__init__(render(message))

    def render(self, flag_of: Callable[[str], str | None] | None = None) -> str:
        """The message with parameters named through ``flag_of`` (see :func:`render`)."""
        return render(self.template, flag_of)


class FileError(WvtoolError):
    """A path cannot be read or written (missing, a directory, no permission...)."""


class FormatError(WvtoolError):
    """A vector or data file is malformed.

    ``path`` and ``where`` (e.g. ``"line 12"`` or ``"record 7"``) locate the
    problem; both are part of the message.  ``problem`` and ``fix`` may name
    parameters (``{unicode_errors='replace'}``); the path is never read as a template.
    """

    def __init__(self, path, where: str | None, problem: str, fix: str | None = None):
        self.path = str(path)
        self.where = where
        self.problem = problem
        self.fix = fix
        self._loc = f"{self.path}, {where}" if where else self.path
        tail = problem + (f"; {fix}" if fix else "")
        self.template = tail
        Exception.__init__(self, f"{self._loc}: {render(tail)}")

    def render(self, flag_of=None) -> str:
        return f"{self._loc}: {render(self.template, flag_of)}"


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
        self.template = None
        Exception.__init__(self, msg)  # the word is data, never a template

    def render(self, flag_of=None) -> str:
        return self.args[0]

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.args[0]


class ConfigError(WvtoolError, ValueError):
    """A parameter is out of range or options conflict."""


class QueryError(ConfigError):
    """A query that cannot be answered as written: a dangling ``+`` or ``-``, or a query vector that is zero.

    Its message quotes the query's words, which are data, never a template.
    """

    def __init__(self, message: str):
        self.template = None
        Exception.__init__(self, message)

    def render(self, flag_of=None) -> str:
        return self.args[0]


class CorpusError(WvtoolError):
    """A training corpus is missing, empty, binary or has no usable words."""


class TrainingError(WvtoolError):
    """Training diverged: its loss or vectors became NaN or infinite (a learning rate too high for the corpus, or
    an ``init`` table of enormous values), so there is nothing to keep."""


class WvtoolWarning(UserWarning):
    """Something was recovered from (e.g. duplicate words skipped); the CLI prints it as one line.

    Its message is a template like an error's: ``str(warning)`` names parameters in the Python form, the CLI
    with its flags (:meth:`render`).
    """

    def __init__(self, message: str = ""):
        self.template = message
        super().__init__(render(message))

    def render(self, flag_of: Callable[[str], str | None] | None = None) -> str:
        """The message with parameters named through ``flag_of`` (see :func:`render`)."""
        return render(self.template, flag_of)
