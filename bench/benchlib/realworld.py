"""The real-world programs: C libraries written by others, compiled to WebAssembly.

Issue 15's targets are judged on code nobody working on the engine wrote. The programs of
``bench/c/programs`` and ``bench/c/independent`` were written for the benchmarks; these
are libraries as their authors ship them (sources taken from PyPI sdists, listed with
their versions and licenses in ``bench/c/realworld/SOURCES.md``), each with a small
driver of ours (``NAME_run.c``) exporting ``run(n)`` and returning a checksum, rebuilt by
``bench/c/realworld/build.sh``: LZ4 (compression, -O3), Brotli (compression with a large
static dictionary, -O2), cmark-gfm (Markdown parser and HTML renderer, -O2), libyaml
(YAML parser and emitter, -Os), QuickJS-ng (a JavaScript engine, -Os), SQLite (a SQL
database engine: parser, code generator, B-trees and the VDBE bytecode interpreter, -Os),
Zstandard (compression, -O3), PyCryptodome's C primitives (AES, SHA-2/3, ChaCha20-Poly1305,
Ed25519: straight-line integer kernels, -O2) and ERFA (astronomy, f64 and libm, -O2).
They are large (114-814 KB) and call many functions a few times each, with wasi-libc's
malloc, memcpy and printf family under them: the shape of real library code, where
start-up, the interpreter and translation costs weigh more than in a hand-written loop.

Sizes: ``tiny`` (n=1, for the first result of a fresh process), ``short`` (the smallest
run that uses each library's main paths) and ``long`` (several times the work); unlike the
other program sets, even a short run takes 0.2-4 s, so only short and long are timed in
the table (:data:`REALWORLD_SIZES`) with :data:`REALWORLD_REPS` runs per cell. The expected
values are wasmtime's answers (``tests/bench/test_bench_realworld.py`` checks them).
"""

from __future__ import annotations

from collections.abc import Callable

from .programs import measure_programs
from .suite import Cell, Settings
from .workloads import Size, Workload

__all__ = ["HEAVY_REPS", "REALWORLD", "REALWORLD_REPS", "REALWORLD_SIZES",
           "measure_realworld"]

REALWORLD_SIZES = ("short", "long")
"""The sizes timed in the table (``tiny`` is the first-result size)."""

REALWORLD_REPS = {"short": 3, "long": 3}
"""Timed runs per cell at each size in a full run (after one uncounted run)."""

HEAVY_REPS = {"sqlite": 1, "zstd": 1}
"""Timed runs per cell of the programs whose cold runs take seconds even at their short
size (most of it the code a run reaches once), so that the group's recorded run stays
short: they override :data:`REALWORLD_REPS` when no count is given."""


def _realworld(name: str, stresses: str, sizes: tuple[tuple[int, int], ...]) -> Workload:
    by_size = {size: Size(arg, expected)
               for size, (arg, expected) in zip(("tiny", "short", "long"), sizes)}
    return Workload(name, f"c/realworld/{name}.wasm", "run", "i32", by_size, float,
                    stresses)


REALWORLD: tuple[Workload, ...] = (
    _realworld("lz4", "LZ4 1.9.4 -O3: fast and HC compression, frame format, XXH32 over "
               "n blocks of 4 KiB", ((1, 4059103988), (4, 3670538833), (30, 757864712))),
    _realworld("brotli", "Brotli 1.2 -O2: one-shot encoder at qualities 1/4/6 and decoder "
               "over n blocks of 2 KiB", ((1, 2810738978), (3, 3149832329),
                                          (9, 4138553614))),
    _realworld("cmark", "cmark-gfm 0.29 -O2: GFM Markdown of n sections parsed, rendered "
               "to HTML and CommonMark", ((1, 1810842043), (2, 25552392),
                                          (20, 70183870))),
    _realworld("yaml", "libyaml 0.1.7 -Os: load n records into a node graph, emit, "
               "re-parse events", ((1, 1281697636), (2, 79126698), (8, 3263418101))),
    _realworld("quickjs", "QuickJS-ng 0.11 -Os: new runtime and context, compile a script,"
               " n rounds of classes, closures, sort, Map, RegExp, JSON",
               ((1, 1745145368), (2, 364580809), (4, 3062621179))),
    _realworld("sqlite", "SQLite 3.50 -Os: in-memory database, 50*n rows inserted with "
               "prepared statements, indexes, aggregate, join, window and CTE queries, "
               "updates, deletes", ((0, 2162907236), (1, 1743654740), (2, 471399189))),
    _realworld("zstd", "Zstandard 1.5 -O3: n blocks of 4 KiB compressed at levels 1/3/9, "
               "streamed at level 5, with a dictionary; decompressed and checked",
               ((1, 88705220), (2, 4043641333), (4, 2006679285))),
    _realworld("crypto", "PyCryptodome 4.5 -O2: n messages of 4 KiB through AES-128-CBC, "
               "AES-256-CTR, ChaCha20-Poly1305, SHA-256/512, SHA3-256, one Ed25519 scalar "
               "multiplication", ((1, 2966459775), (2, 2159044908), (6, 2949131144))),
    _realworld("erfa", "ERFA 2.0 -O2 (astropy's astronomy library): n instants through "
               "UTC/TAI/TT/UT1, IAU 2006/2000A precession-nutation, planets, Moon, observed "
               "places of stars (f64, sin/cos)", ((1, 2178116828), (2, 47950856),
                                                  (8, 2922209380))),
)
"""The real-world programs, in table order."""


def measure_realworld(programs: list[Workload], engines: list[str], settings: Settings,
                      sizes: tuple[str, ...] = REALWORLD_SIZES, reps: int | None = None,
                      progress: Callable[[str], None] | None = None,
                      ) -> dict[str, dict[str, dict[str, Cell]]]:
    """Time the real-world programs at ``sizes`` as
    :func:`~.programs.measure_programs` does (one worker process per cell, results checked
    against wasmtime's), ``reps`` timed runs per cell (default :data:`REALWORLD_REPS`, 1
    at the tiny size, :data:`HEAVY_REPS` for the programs it names).

    Returns ``{program: {size: {engine: cell}}}``.
    """
    rows: dict[str, dict[str, dict[str, Cell]]] = {}
    for size in sizes:
        for program in programs:
            count = reps or HEAVY_REPS.get(program.name) or REALWORLD_REPS.get(size, 1)
            found = measure_programs([program], engines, settings, (size,), reps=count,
                                     progress=progress)
            for name, by_size in found.items():
                rows.setdefault(name, {}).update(by_size)
    return rows
