"""The one progress protocol of wvtool.

Long library functions take ``progress``: a callable ``progress(done, total, info)``
where ``done`` counts units of work (vectors, words, bytes, questions) so far,
``total`` is the number expected or None when unknown, and ``info`` is a dict of
extra facts (``epoch``, ``epochs``, ``alpha``, ``stage``, ...).  It is called a
few times a second at most.  The CLI turns it into a progress bar; library
callers may pass their own or nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, "int | None", dict], None]


def no_progress(done: int, total: int | None = None, info: dict | None = None) -> None:
    """A progress callback that does nothing."""
    return None
