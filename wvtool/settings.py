"""Checks shared by every options object (``TrainConfig``, ``LoadOptions``, ``PlotOptions``, ...).

Each options object is a frozen dataclass that validates itself once, in
``__post_init__``, with these helpers; a bad value raises
:class:`~wvtool.errors.ConfigError` naming the parameter as ``{name=value}``
(rendered ``name=value`` in Python and as the flag on the command line).
The CLI takes its defaults from the dataclass fields (:func:`defaults`), so
the two can never drift apart.
"""

from __future__ import annotations

import codecs
import dataclasses
import math
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from .errors import ConfigError


def whole(name: str, value, lo: int | None = None, hi: int | None = None, *, optional: bool = False) -> int | None:
    """``value`` as an int in ``[lo, hi]`` (None allowed if ``optional``); ConfigError naming ``name`` otherwise."""
    if value is None and optional:
        return None
    span = _span(lo, hi)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ConfigError(f"{{{name}={value!r}}} must be a whole number ({span})")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ConfigError(f"{{{name}={value}}} is out of range; use {span}")
    return int(value)


def number(name: str, value, lo: float | None = None, hi: float | None = None, *, lo_open: bool = False,
           text: str | None = None) -> float:
    """``value`` as a finite float in ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``); ``text`` describes the range."""
    span = text or _span(lo, hi, lo_open)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
        raise ConfigError(f"{{{name}={value!r}}} must be a number ({span})")
    if (lo is not None and (value < lo or (lo_open and value == lo))) or (hi is not None and value > hi):
        raise ConfigError(f"{{{name}={value}}} is out of range; use {span}")
    return float(value)


def choice(name: str, value, choices: Iterable[str]) -> str:
    """``value`` if it is one of ``choices``; ConfigError listing them otherwise."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        raise ConfigError(f"{{{name}={value!r}}} is not one of {', '.join(choices)}")
    return value


#: text a file-reading encoding must spell as ASCII does: the readers split bytes on ASCII spaces and newlines and
#: parse ASCII numbers before any decoding
_ASCII_PROBE = "the 0.5 -1e+3\tx\r\n"


def _ascii_decodes_as(encoding: str) -> str | None:
    try:
        return _ASCII_PROBE.encode("ascii").decode(encoding)
    except (UnicodeError, TypeError, ValueError):
        return None


def codec(name: str, value, what: str = "", ascii_compatible: bool = False) -> str:
    """``value`` if it names a Python text codec (one that turns bytes into text: not ``rot13`` or ``base64``);
    ConfigError otherwise (``what``: what the codec is for, said in the message).  ``ascii_compatible``: the codec
    must also read ASCII bytes as ASCII text (not UTF-16 or UTF-32), as the vector file readers need."""
    try:
        info = codecs.lookup(value)
    except (LookupError, TypeError):
        raise ConfigError(f"unknown {{{name}={value!r}}}{what}; use a Python codec name such as utf-8 or latin-1") from None
    try:
        text = getattr(info, "_is_text_encoding", True) and _ASCII_PROBE.encode(value).decode(value) == _ASCII_PROBE
    except (UnicodeError, TypeError, ValueError):
        text = False
    if not text:
        raise ConfigError(f"{{{name}={value!r}}}{what} is not a text encoding; use a Python codec name such as utf-8 or "
                          "latin-1")
    if ascii_compatible and _ascii_decodes_as(value) != _ASCII_PROBE:
        raise ConfigError(f"{{{name}={value!r}}}{what} does not read ASCII bytes as ASCII text, and wvtool reads files "
                          "whose spaces, newlines and digits are ASCII bytes: convert the file to UTF-8 first (e.g. iconv -t utf-8)")
    return value


def flag(name: str, value) -> bool:
    """``value`` if it is a bool; ConfigError otherwise."""
    if not isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{{{name}={value!r}}} must be True or False")
    return bool(value)


def table(name: str, value, *, path_hint: str = "load the file once with wvtool.load(path) and pass the table"):
    """``value`` if it is a :class:`~wvtool.Vectors` table; ConfigError naming ``name`` otherwise.

    A path (str or os.PathLike) gets ``path_hint`` as its fix; anything else is named by its type.
    """
    from .vectors import Vectors

    if isinstance(value, Vectors):
        return value
    kind = type(value).__name__
    if isinstance(value, (str, os.PathLike)):
        raise ConfigError(f"{{{name}}} must be a vector table, not a path ({kind}); {path_hint}")
    raise ConfigError(f"{{{name}}} must be a vector table (kv = wvtool.load(path)), not {kind}")


def table_or_path(name: str, value):
    """``value`` if it is a :class:`~wvtool.Vectors` table or the path of a vector file (for the functions that
    read a table once); ConfigError naming ``name`` otherwise."""
    from .vectors import Vectors

    if not isinstance(value, (Vectors, str, os.PathLike)):
        raise ConfigError(f"{{{name}}} must be a vector table or the path of a vector file, not {type(value).__name__}")
    return value


def path(name: str, value) -> str | os.PathLike:
    """``value`` if it is a path (a str or path-like); ConfigError naming ``name`` otherwise."""
    if not isinstance(value, (str, os.PathLike)):
        raise ConfigError(f"{{{name}}} must be a file path (a str or pathlib.Path), not {type(value).__name__}")
    return value


def callback(name: str, value):
    """``value`` if it is None or callable; ConfigError naming ``name`` otherwise (checked before any work)."""
    if value is not None and not callable(value):
        raise ConfigError(f"{{{name}}} must be a callable progress(done, total, info) or None, "
                          f"not {type(value).__name__}")
    return value


def _span(lo, hi, lo_open: bool = False) -> str:
    if lo is not None and hi is not None:
        return f"more than {lo} and at most {hi}" if lo_open else f"{lo} to {hi}"
    if lo is not None:
        return f"more than {lo}" if lo_open else f"{lo} or more"
    if hi is not None:
        return f"at most {hi}"
    return "any"


def defaults(cls) -> dict[str, Any]:
    """Field name -> default value of an options dataclass (what the CLI shows and uses)."""
    return {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}


def replace(options, **changes):
    """A copy of a frozen options object with ``changes``, validated again; ConfigError for an unknown name."""
    names = {f.name for f in dataclasses.fields(options)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    return dataclasses.replace(options, **changes)


def build(cls, options=None, **settings):
    """``options`` (an instance of ``cls``, or the defaults) with ``settings`` applied, validated once."""
    if options is not None and not isinstance(options, cls):
        raise ConfigError(f"expected a {cls.__name__}, got {type(options).__name__}")
    if options is None:
        return replace(cls(), **settings) if settings else cls()
    return replace(options, **settings) if settings else options
