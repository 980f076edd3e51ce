"""The CPU features the kernels are compiled for: the host's, with 256-bit vectors preferred on AVX-512 CPUs.

LLVM vectorises the kernels' loops over the dimension (a dot product, a row
update: 100 floats each by default) at the width its tuning for the CPU
prefers.  For Intel's AVX-512 CPUs that is 256 bits; for AMD's Zen 4 (LLVM's
``znver4``) it is 512, and there the same kernels ran slower: skip-gram on
text8-head 1.18M words/s against 1.62M with ``+prefer-256-bit`` (2 threads,
3 interleaved runs each; 0.74M against 0.90M with 1 thread), CBOW 2.82M against
3.39M (4 pairs), the subword models the same within the runs' spread
(2026-12-03, a 2-core AMD EPYC Zen 4 virtual machine).  So on a CPU with AVX-512, unless the user chose the
target (``NUMBA_CPU_NAME`` or ``NUMBA_CPU_FEATURES``), the host's features get
``+prefer-256-bit``; on a CPU without AVX-512 nothing changes (its vectors are
256 bits at most).

Numba compiles every function of a process for one target, set up the first
time a function is compiled or declared: the setting is made before the kernels
are declared and so also applies to Numba code the process compiles later.  If
Numba's compiler was already set up (the process declared Numba functions of its
own before it first trained), the kernels are compiled for the host as it was.
Numba's cache keeps kernels per feature string, so it never mixes the two.
"""

from __future__ import annotations

#: the LLVM tuning added on AVX-512 CPUs
PREFER_256 = "+prefer-256-bit"


def kernel_features(host_features: str) -> str | None:
    """The feature string to compile with on a host with ``host_features`` (LLVM's comma-separated ``+name`` /
    ``-name`` list), or None to leave the host's as they are (no AVX-512, or 256-bit vectors already asked for)."""
    flags = host_features.split(",")
    if "+avx512f" not in flags or PREFER_256 in flags:
        return None
    return f"{host_features},{PREFER_256}"


def prefer_256_bit_vectors() -> bool:
    """Set Numba's target features to :func:`kernel_features` of the host's, unless the user chose a target or
    Numba's compiler is already set up; True if it did."""
    from numba.core import config, registry

    if config.CPU_NAME is not None or config.CPU_FEATURES is not None:
        return False
    if "_toplevel_target_context" in vars(registry.cpu_target):  # set up already: too late to change
        return False
    from numba.core.codegen import get_host_cpu_features

    features = kernel_features(get_host_cpu_features())
    if features is None:
        return False
    config.CPU_FEATURES = features
    return True
