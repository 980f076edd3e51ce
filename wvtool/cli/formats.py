"""Commands: info, convert, export-matrix."""

from .common import app  # noqa: F401
