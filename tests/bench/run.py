"""`make bench`: every benchmark against gensim, in one process run, on this machine.

Each tests/bench/bench_*.py module has a ``main()`` that prints its own
side-by-side table (wvtool vs gensim: times or rates, and ratios).  Run one
alone with ``python tests/bench/bench_train.py``; pass ``--only load,query`` here
to run a subset.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["load", "query", "train", "seeds", "continue", "subwords"]


def machine_line() -> str:
    from bench_train import cpu_line

    cpu = cpu_line()
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(ORDER), help="comma-separated subset of: " + ", ".join(ORDER))
    args, rest = parser.parse_known_args(argv)
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [w for w in wanted if w not in ORDER]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {ORDER}")
    sys.path.insert(0, str(HERE))
    print(f"wvtool benchmarks, {datetime.date.today().isoformat()}")
    print(f"machine: {machine_line()}")
    import gensim
    import numba
    import numpy

    print(f"gensim {gensim.__version__}, numba {numba.__version__}, numpy {numpy.__version__}\n")
    start = time.perf_counter()
    for name in wanted:
        module = importlib.import_module(f"bench_{name}")
        print(f"== {name} ==", flush=True)
        # each module parses its own options from sys.argv (e.g. --quick for train)
        sys.argv = [module.__file__, *rest]
        module.main()
        print(flush=True)
    print(f"all benchmarks: {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
