"""Fuzzing the readers: truncated and mutated small files of every format, compressed (gzip, bzip2, xz) and not.

Every outcome must be a correct load (finite values, one row per word) or a WvtoolError: never another
exception, a hang, or an allocation far beyond the file.  Seeded, and bounded to a few seconds.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import random
import signal
import subprocess
import sys
import time
import tracemalloc
import warnings

import numpy as np
import pytest

from wvtool import Vectors
from wvtool import formats as io
from wvtool.errors import WvtoolError, WvtoolWarning

EXT = {"word2vec": ".txt", "word2vec-binary": ".bin", "glove": ".glove", "fasttext": ".vec", "native": ".wv"}
BUDGET_SECONDS = 2.0
ALLOCATION_BOUND = 32 << 20  # the files are < 1 kB


def _mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    kind = rng.randrange(6)
    if kind == 0 and b:  # truncate
        return bytes(b[: rng.randrange(len(b))])
    if kind == 1 and b:  # flip bytes
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        return bytes(b)
    if kind == 2:  # insert random bytes
        pos = rng.randrange(len(b) + 1)
        return bytes(b[:pos] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + b[pos:])
    if kind == 3 and b:  # duplicate a slice
        i = rng.randrange(len(b))
        j = min(len(b), i + rng.randint(1, 40))
        return bytes(b[:j] + b[i:j] + b[j:])
    if kind == 4:  # a lying header: huge numbers where the text header or a native field is
        if b[:1] == b"\x89":
            off = rng.choice([16, 24, 40, 48, 56, 64, 104, 112, 120])
            b[off : off + 8] = rng.choice([2**40, 2**62, 2**31 - 1, 0]).to_bytes(8, "little")
            return bytes(b)
        nl = b.find(b"\n")
        return rng.choice([b"9999999999 3", b"3 2000000000", b"2000000000 2000000000", b"0 0"]) + bytes(b[nl:])
    return bytes(b) + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))  # trailing junk


def _check_outcome(path, forced) -> None:
    try:
        kv = io.load(path, forced)
        v = kv.vectors
        kv.norms()
        kv.training, kv.output_rows  # noqa: B018
    except WvtoolError:
        return
    assert v.dtype == np.float32 and v.shape == (len(kv.words), kv.dim)
    assert np.isfinite(v).all()


def _alarm(signum, frame):
    raise TimeoutError("a reader hung")


def test_fuzz_readers(tmp_path):
    rng = random.Random(20261123)
    table = Vectors(["the", "of", "naïve", "x"], np.arange(12, dtype=np.float32).reshape(4, 3) / 3, [9, 7, 5, 1],
                    output_rows=np.ones((4, 3)), training={"model": 1, "dim": 3, "ws": 5, "t": 1e-3})  # every section
    originals = {}
    for fmt, ext in EXT.items():
        p = tmp_path / f"orig{ext}"
        io.save(table, p)
        originals[fmt] = p.read_bytes()
    old = signal.signal(signal.SIGALRM, _alarm)
    cases = 0
    deadline = time.perf_counter() + BUDGET_SECONDS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            warnings.simplefilter("ignore", WvtoolWarning)
            while time.perf_counter() < deadline:
                fmt = rng.choice(list(EXT))
                gz = rng.choice([None, None, gzip.compress, bz2.compress, lzma.compress])
                data = _mutate(rng, originals[fmt])
                if gz:
                    data = gz(data)
                    if rng.random() < 0.5:
                        data = _mutate(rng, data)
                p = tmp_path / f"case{cases % 7}{EXT[fmt]}"
                p.write_bytes(data)
                for forced in (None, fmt):
                    signal.alarm(5)
                    tracemalloc.start()
                    try:
                        _check_outcome(p, forced)
                    except BaseException as e:  # report the input that broke it
                        raise AssertionError(f"case {cases} ({fmt}, gz={gz}, forced={forced}) {data[:200]!r}") from e
                    finally:
                        peak = tracemalloc.get_traced_memory()[1]
                        tracemalloc.stop()
                        signal.alarm(0)
                    assert peak < ALLOCATION_BOUND, (cases, fmt, peak, data[:200])
                cases += 1
    finally:
        signal.signal(signal.SIGALRM, old)
    assert cases > 50  # the budget must buy a meaningful number of cases


def test_crafted_headers_stay_within_a_4_gb_address_space(tmp_path):
    """As ``ulimit -v 4000000``: no header of any format may make wvtool allocate beyond it or die in a traceback."""
    pytest.importorskip("resource")
    crafted = {
        "dim.bin": b"3 2000000000\nw " + b"\x00" * 64,
        "count.bin": b"999999999999 300\nw " + b"\x00" * 1200,
        "both.txt": b"999999999999 2000000000\nw 1 2 3\n",
    }
    p = tmp_path / "v.wv"
    io.save(Vectors(["a", "b"], np.ones((2, 3), dtype=np.float32)), p)
    wv = bytearray(p.read_bytes())
    for name, off, value in [("n.wv", 16, 2**40), ("dim.wv", 24, 2**40), ("wlen.wv", 48, 2**50)]:
        bad = bytearray(wv)
        bad[off : off + 8] = value.to_bytes(8, "little")
        crafted[name] = bytes(bad)
        crafted[name + ".gz"] = gzip.compress(bytes(bad))
    crafted.update({k + ".gz": gzip.compress(v) for k, v in list(crafted.items()) if not k.endswith(".gz")})
    for name, data in crafted.items():
        (tmp_path / name).write_bytes(data)
    # one endless line of 600 MB (parsed whole, it took about 10 times that: a MemoryError here)
    with gzip.open(tmp_path / "endless.glove.gz", "wb", compresslevel=1) as f:
        f.write(b"the 1")
        for _ in range(600):
            f.write(b"0" * 1_000_000)
    crafted["endless.glove.gz"] = b""
    code = (
        "import resource, sys, wvtool\n"
        "resource.setrlimit(resource.RLIMIT_AS, (4_000_000 * 1024, 4_000_000 * 1024))\n"
        "for p in sys.argv[1:]:\n"
        "    try:\n"
        "        wvtool.load(p).vectors\n"
        "        print(p, 'loaded')\n"
        "    except wvtool.WvtoolError as e:\n"
        "        print(p, type(e).__name__)\n"
    )
    paths = [str(tmp_path / n) for n in crafted]
    r = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.splitlines()
    assert len(lines) == len(paths) and all(line.endswith(" FormatError") for line in lines), r.stdout
