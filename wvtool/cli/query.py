"""Commands: (to be written)."""

from .common import app  # noqa: F401
