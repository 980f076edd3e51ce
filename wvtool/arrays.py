"""Arrays a caller hands to wvtool: checked, and copied unless nothing else can write to them."""

from __future__ import annotations

import numpy as np

from .errors import ConfigError


def given_array(name: str, a, dtype) -> np.ndarray:
    """A caller's array of real numbers as a new ``dtype`` C-contiguous array that nothing else can write.

    Shared, not copied, when nothing can write to it (read-only all the way down: a read-only memory map,
    another table's ``vectors``).  ConfigError, naming ``name``, for anything that is not real numbers."""
    try:
        arr = np.asarray(a)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{{{name}}} must be an array of real numbers ({short(e, 80)})") from None
    if arr.dtype.kind == "c":
        raise ConfigError(f"{{{name}}} holds complex numbers; pass a real array (e.g. its .real part)")
    if arr.dtype.kind == "O":
        missing = np.flatnonzero(np.equal(arr, None).reshape(-1))
        if len(missing):
            where = tuple(int(i) for i in np.unravel_index(missing[0], arr.shape))
            raise ConfigError(f"{{{name}}} holds None at {list(where)}; give a number there")
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"{{{name}}} must hold real numbers ({short(e, 80)})") from None
    elif arr.dtype.kind not in "biuf":
        raise ConfigError(f"{{{name}}} must hold real numbers, got an array of dtype {arr.dtype}")
    with np.errstate(over="ignore"):  # a float64 beyond float32 becomes infinity, which the caller's check names
        out = np.ascontiguousarray(arr, dtype=dtype)
    if not isinstance(a, (list, tuple)) and np.may_share_memory(out, arr) and not unwritable(out):
        out = out.copy()  # the caller could still change it
    return out


def unwritable(a) -> bool:
    """True if nothing can write to the memory of ``a``: it and every array it views are read-only."""
    while isinstance(a, np.ndarray):
        if a.flags.writeable:
            return False
        a = a.base
    if isinstance(a, memoryview):
        return a.readonly
    return not isinstance(a, bytearray)


def all_finite(a: np.ndarray) -> bool:
    """True if no NaN or infinity (checked in cache-sized blocks: no table-sized temporary)."""
    step = max(1, (1 << 20) // max(1, a.shape[1] if a.ndim == 2 else 1))
    return all(bool(np.isfinite(a[i : i + step]).all()) for i in range(0, len(a), step))


def first_non_finite(a: np.ndarray) -> tuple[int, int, str] | None:
    """``(row, column, "NaN" / "inf" / "-inf")`` of the first non-finite value of the 2-D ``a``, or None.

    Checked in blocks of rows: no table-sized temporary."""
    step = max(1, (1 << 20) // max(1, a.shape[1]))
    for start in range(0, len(a), step):
        block = np.isfinite(a[start : start + step])
        if not block.all():
            r = int(np.flatnonzero(~block.all(axis=1))[0])
            c = int(np.flatnonzero(~block[r])[0])
            value = a[start + r, c]
            return start + r, c, "NaN" if np.isnan(value) else str(float(value))
    return None


def short(x, limit: int = 40) -> str:
    """``repr(x)`` cut to ``limit`` characters, braces shown as parentheses (a message template reads ``{name}`` as a parameter)."""
    text = repr(x) if not isinstance(x, Exception) else str(x)
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return text.replace("{", "(").replace("}", ")")
