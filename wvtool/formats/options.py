"""How a vector file is read: :class:`LoadOptions`, validated once."""

from __future__ import annotations

from dataclasses import dataclass

from .. import settings

UNICODE_ERRORS = ("strict", "replace", "ignore")


@dataclass(frozen=True)
class LoadOptions:
    """Settings for reading a vector file.

    - ``format``: force a format (one of ``wvtool.formats.READABLE``); None detects it from the content.
    - ``limit``: read only the first ``limit`` vectors (None: all).
    - ``encoding``: the encoding of the words (a Python codec name).
    - ``unicode_errors``: what to do with undecodable words: ``strict`` (error), ``replace`` or ``ignore``.
    """

    format: str | None = None
    limit: int | None = None
    encoding: str = "utf-8"
    unicode_errors: str = "strict"

    def __post_init__(self):
        from .registry import READABLE  # the registry's names

        if self.format is not None:
            settings.choice("format", self.format, READABLE)
        settings.whole("limit", self.limit, 0, optional=True)
        settings.choice("unicode_errors", self.unicode_errors, UNICODE_ERRORS)
        settings.codec("encoding", self.encoding, ascii_compatible=True)


@dataclass(frozen=True)
class SaveOptions:
    """Settings for writing a vector file.

    - ``keep_subwords``: a subword table must keep its n-gram matrix: writing it to a
      format that holds only word vectors is an error instead of writing the vocabulary's vectors.
    - ``vectors_only``: leave out the model's output rows (a ``.wv`` file about half the
      size; a ``.bin`` model gets zeros), so training from the file starts them at zero.
    """

    keep_subwords: bool = False
    vectors_only: bool = False

    def __post_init__(self):
        settings.flag("keep_subwords", self.keep_subwords)
        settings.flag("vectors_only", self.vectors_only)
