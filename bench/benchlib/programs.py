"""The compiled programs: C built by clang for wasm32-wasi, each at a short and a long size.

Each program is one module in ``bench/c/programs/`` (sources beside it, Lua's in
``bench/c/lua/``; rebuilt by ``bench/c/build.sh``, the ``.wasm`` are committed) with no
imports and one export ``run(n)`` that returns a checksum (``i32``, or ``f64`` for the
floating-point kernels). They are :class:`~benchlib.workloads.Workload` objects whose sizes
are ``tiny`` (the smoke test), ``short`` (a run of about 1-50 ms of work in wasmem,
so translation and startup dominate) and ``long`` (about 0.3-3 s of work; Lua more,
because translating the interpreter alone takes seconds).

The suite measures every program at both sizes (``tiny`` and ``short`` with ``--quick``),
cold and warm, and the time to the first result of a fresh process (see
:func:`measure_first`).
"""

from __future__ import annotations

from collections.abc import Callable

from .suite import Cell, Settings, measure_cell
from .workloads import Size, Workload

__all__ = ["PROGRAM_REPS", "PROGRAM_SIZES", "PROGRAMS", "measure_programs", "program_sizes"]

PROGRAM_SIZES = ("tiny", "short", "long")


def _program(name: str, result: str, stresses: str, tiny: Size, short: Size, long: Size,
             reference: str | None = None) -> Workload:
    return Workload(name, f"c/programs/{name}.wasm", "run", result,
                    {"tiny": tiny, "short": short, "long": long}, float, stresses,
                    reference=reference)


PROGRAMS: tuple[Workload, ...] = (
    _program("gemm", "f64", "PolyBench-style gemm: C = αAB + βC, f64 triple loop",
             Size(4, 91.50000000000001), Size(10, 1279.815), Size(100, 1432724.620499993),
             reference="gemm"),
    _program("jacobi2d", "f64", "PolyBench-style jacobi-2d: 5-point f64 stencil, 20 steps",
             Size(4, 83.90624999477832), Size(10, 1077.3984771540502),
             Size(100, 776090.2474572463), reference="jacobi2d"),
    _program("nussinov", "i32", "PolyBench-style nussinov: int dynamic programming (max)",
             Size(8, 151567038), Size(20, 2081824143), Size(150, 1638475280),
             reference="nussinov"),
    _program("coremark", "i32", "CoreMark-like mix: linked lists, int16 matrix, state "
             "machine, CRC-16", Size(1, 39320), Size(2, 1249045), Size(60, 2523896946),
             reference="coremark"),
    _program("strhash", "i32", "word counting: FNV-1a, open addressing, strcmp, strdup",
             Size(10, 3751515154), Size(200, 1994200887), Size(20000, 1991584449),
             reference="strhash"),
    _program("vm", "i32", "bytecode interpreter: switch dispatch (br_table), stack VM",
             Size(3, 1039), Size(10, 4012742119), Size(200, 3698541652), reference="vm"),
    _program("mallocs", "i32", "dlmalloc-heavy: binary trees, realloc/calloc churn",
             Size(1, 636082748), Size(2, 1928852311), Size(40, 3417831556),
             reference="mallocs"),
    _program("sortcopy", "i32", "libc qsort (call_indirect), bsearch, memcpy, memmove, "
             "memset", Size(1, 4207987284), Size(2, 3400042393), Size(40, 3662654718),
             reference="sortcopy"),
    _program("lua", "i32", "Lua 5.4 interpreter (real-world C) running a table/string/"
             "closure script", Size(1, 2165804353), Size(1, 2165804353),
             Size(3, 2883202168)),
)
"""The programs, in table order."""


def program_sizes(size: str) -> tuple[str, ...]:
    """Return the program sizes measured for a suite size: ``full`` runs ``short`` and
    ``long``, ``small`` (``--quick``) ``tiny`` and ``short``, ``tiny`` only ``tiny``."""
    return {"full": ("short", "long"), "small": ("tiny", "short")}.get(size, ("tiny",))


PROGRAM_REPS = {"tiny": 3, "short": 5, "long": 3}
"""Timed runs per cell at each size in a full run (after one uncounted run)."""


def measure_programs(programs: list[Workload], engines: list[str], settings: Settings,
                     sizes: tuple[str, ...], reps: int | None = None,
                     progress: Callable[[str], None] | None = None,
                     ) -> dict[str, dict[str, dict[str, Cell]]]:
    """Time every program at every size on every engine (pywasm excepted: hundreds of
    times slower; ``python`` only where a hand-written version exists), one worker process
    per cell, ``reps`` timed runs (default :data:`PROGRAM_REPS`).

    Returns ``{program: {size: {engine: cell}}}``; a cell whose result differs from
    wasmtime's at the same size is not ``ok``.
    """
    rows: dict[str, dict[str, dict[str, Cell]]] = {}
    for program in programs:
        for size in sizes:
            cells: dict[str, Cell] = {}
            for engine in engines:
                if engine == "pywasm" or (engine == "python" and program.reference is None):
                    continue
                if progress is not None:
                    progress(f"{program.name} ({size}): {engine}")
                cells[engine] = measure_cell(program, engine, size,
                                             reps or PROGRAM_REPS[size], settings.warmup,
                                             settings)
            oracle = cells.get("wasmtime")
            if oracle is not None and oracle.error is None:
                for cell in cells.values():
                    if cell.error is None and cell.result != oracle.result:
                        cell.ok = False
            rows.setdefault(program.name, {})[size] = cells
    return rows
