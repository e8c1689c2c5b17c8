"""The benchmark workloads: which module, which export, which argument, which answer.

Each workload is one WebAssembly module (a ``.wat`` file in ``bench/workloads/``, or the
clang-built ``bench/c/cbench.wasm``) with one exported function taking one ``i32``
argument. A run instantiates the module afresh and calls the export ``calls`` times with
the argument of the chosen size; the last result must equal the size's expected value.

Sizes: ``tiny`` (the smoke test), ``small`` (``--quick``, and the inputs pywasm runs
before its time is extrapolated), ``full`` (the recorded table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BENCH_DIR", "SIZES", "WORKLOADS", "Size", "Workload", "by_name"]

BENCH_DIR = Path(__file__).resolve().parent.parent
"""The ``bench/`` folder."""

SIZES = ("tiny", "small", "full")


@dataclass(frozen=True)
class Size:
    """One input size: the argument and the value every engine must return for it."""

    arg: int
    expected: int | float


@dataclass(frozen=True)
class Workload:
    """A benchmark workload.

    Attributes:
        name: short name (the table row).
        source: path of the module relative to ``bench/`` (``.wat`` or ``.wasm``).
        export: the exported function, ``(param i32) (result <result>)``.
        result: ``"i32"`` (compared as an unsigned 32-bit pattern) or ``"f64"``.
        sizes: ``tiny`` / ``small`` / ``full`` arguments with their expected results.
        work: relative amount of work for an argument (for extrapolating pywasm's time).
        calls: how many times one run calls the export (on the same fresh instance).
        reference: name of the hand-written Python version in ``reference.py``, if any.
        stresses: what the workload exercises (one line, for the table legend).
    """

    name: str
    source: str
    export: str
    result: str
    sizes: dict[str, Size]
    work: Callable[[int], float]
    stresses: str
    calls: int = 1
    reference: str | None = None

    @property
    def path(self) -> Path:
        """Absolute path of the module source."""
        return BENCH_DIR / self.source


def _fib_calls(n: int) -> float:
    """Number of calls fib(n) makes (2 fib(n+1) - 1)."""
    a, b = 0, 1
    for _ in range(n + 1):
        a, b = b, a + b
    return float(2 * a - 1)


WORKLOADS: tuple[Workload, ...] = (
    Workload(
        "fib", "workloads/fib.wat", "fib", "i32",
        {"tiny": Size(15, 610), "small": Size(22, 17711), "full": Size(30, 832040)},
        _fib_calls, "recursive calls (call, if/else, i32 arithmetic)", reference="fib"),
    Workload(
        "memsum", "workloads/memsum.wat", "memsum", "i32",
        {"tiny": Size(1000, 499500), "small": Size(10000, 49995000),
         "full": Size(131072, 4294901760)},
        float, "i32.store / i32.load loops over linear memory", calls=4, reference="memsum"),
    Workload(
        "sieve", "workloads/sieve.wat", "sieve", "i32",
        {"tiny": Size(2000, 303), "small": Size(10000, 1229), "full": Size(262144, 23000)},
        float, "byte loops: i32.load8_u / i32.store8 (sieve of Eratosthenes)", calls=8,
        reference="sieve"),
    Workload(
        "bytecopy", "workloads/bytecopy.wat", "bytecopy", "i32",
        {"tiny": Size(1000, 1804276524), "small": Size(10000, 3934382008),
         "full": Size(1048576, 4018143232)},
        float, "byte-by-byte fill, copy and checksum (load8_u / store8)",
        reference="bytecopy"),
    Workload(
        "bulk", "workloads/bulk.wat", "bulk", "i32",
        {"tiny": Size(1, 961), "small": Size(4, 3416955778), "full": Size(64, 2327484448)},
        float, "memory.fill / memory.copy of 4 MiB blocks (incl. overlapping)",
        reference="bulk"),
    Workload(
        "matmul", "workloads/matmul.wat", "matmul", "f64",
        {"tiny": Size(8, -89.125), "small": Size(24, 642.75), "full": Size(120, -1270.5)},
        lambda n: float(n) ** 3, "f64 matrix multiply (f64.load / f64.mul / f64.add)",
        reference="matmul"),
    Workload(
        "alloc", "workloads/alloc.wat", "alloc", "i32",
        {"tiny": Size(500, 2437413856), "small": Size(5000, 1430234648),
         "full": Size(300000, 1136264012)},
        float, "malloc/free-heavy size-class allocator written in WebAssembly"),
    Workload(
        "cbench", "c/cbench.wasm", "run", "i32",
        {"tiny": Size(1, 8517659), "small": Size(4, 3508787730), "full": Size(300, 591909344)},
        float, "C by clang + wasi-libc: malloc/free, qsort, memcpy", reference="cbench"),
)


def by_name(names: list[str] | None) -> list[Workload]:
    """Return the workloads with these names (all when ``names`` is empty or None).

    Raises:
        KeyError: for an unknown name (the message lists the known ones).
    """
    if not names:
        return list(WORKLOADS)
    known = {w.name: w for w in WORKLOADS}
    missing = [n for n in names if n not in known]
    if missing:
        raise KeyError(f"unknown workload(s) {', '.join(missing)}; known: {', '.join(known)}")
    return [known[n] for n in names]
