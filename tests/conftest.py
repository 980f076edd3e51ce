"""Shared fixtures: small tables, a CLI runner, paths to shipped data."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPORA = ROOT / "sample_corpora"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def small_vectors():
    """A 50 x 8 table with a few non-ASCII words and counts in frequency order."""
    from wvtool import Vectors

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(45)] + ["café", "naïve", "日本", "Zürich", "über"]
    vecs = rng.normal(size=(50, 8)).astype(np.float32)
    counts = np.arange(1000, 950, -1, dtype=np.int64)
    return Vectors(words, vecs, counts)


@pytest.fixture
def run_cli(capfd):
    """Run ``wvtool ARGS...`` in-process; return (exit_code, stdout, stderr)."""
    from wvtool.cli import main

    def run(*args, input: str | None = None):
        import io
        import sys

        old_stdin = sys.stdin
        if input is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(input.encode()), encoding="utf-8")
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        finally:
            sys.stdin = old_stdin
        captured = capfd.readouterr()
        return code, captured.out, captured.err

    return run
