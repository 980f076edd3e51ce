"""The registry of file formats: one :class:`~wvtool.formats.common.Format` record per format.

Adding a format is one module (its reader, writer and sniff function, and a
``Format`` record) plus one line in :data:`REGISTRY`.  Everything else derives
from this list: :data:`FORMATS` (the names, in this order), the output
extensions :func:`~wvtool.formats.save` recognises, and the order detection
tries the formats in (each record's ``sniff_order``).
"""

from __future__ import annotations

from ..errors import ConfigError
from . import binary, fasttext_bin, native, projector, text
from .common import Format

REGISTRY: tuple[Format, ...] = (
    text.WORD2VEC,
    binary.WORD2VEC_BINARY,
    text.GLOVE,
    text.FASTTEXT,
    native.NATIVE,
    fasttext_bin.FASTTEXT_BIN,
    projector.PROJECTOR,
)

#: the format names, in registry order
FORMATS: tuple[str, ...] = tuple(f.name for f in REGISTRY)

#: the formats :func:`~wvtool.formats.load` reads and :func:`~wvtool.formats.save` writes
READABLE: tuple[str, ...] = tuple(f.name for f in REGISTRY if f.read is not None)
WRITABLE: tuple[str, ...] = tuple(f.name for f in REGISTRY if f.write is not None)
#: the formats that can be written to a stream (one file, no companions)
STREAMABLE: tuple[str, ...] = tuple(f.name for f in REGISTRY if f.write is not None and f.companions is None)

#: file extension -> format name, for :func:`~wvtool.formats.save` (a trailing ``.gz`` is ignored)
EXTENSIONS: dict[str, str] = {ext: f.name for f in REGISTRY for ext in f.extensions}

#: file extension -> format name for a subword table (these take precedence over :data:`EXTENSIONS`)
SUBWORD_EXTENSIONS: dict[str, str] = {ext: f.name for f in REGISTRY for ext in f.subword_extensions}

#: the formats that hold a subword table's n-gram matrix
SUBWORD_FORMATS: tuple[str, ...] = tuple(f.name for f in REGISTRY if f.subwords)

#: formats with a sniff function, in the order detection tries them
SNIFF_ORDER: tuple[Format, ...] = tuple(sorted((f for f in REGISTRY if f.sniff is not None), key=lambda f: f.sniff_order))

_BY_NAME = {f.name: f for f in REGISTRY}


def get(name: str, param: str = "format", what: str = "format") -> Format:
    """The record of format ``name``; ConfigError naming ``param`` if there is none."""
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown {what} {name!r} ({{{param}={name!r}}}); use one of {', '.join(FORMATS)}") from None
