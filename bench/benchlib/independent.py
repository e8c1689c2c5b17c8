"""The independent programs: a second set of compiled programs, written apart from the
engine's own tuning work, to check that its gains carry over to code in other styles.

Issue 15's targets are judged on workloads nobody working on the engine wrote; these
programs (``bench/c/independent/``, rebuilt by its ``build.sh``) were written for that,
without looking at what the engine does well: twelve C programs, each built at its own
optimisation level (-O0, -O1, -Os, -O2, -O3) and in its own style (recursion, a switch
tokenizer, function pointers, linked structs with malloc/free, double and float numerics,
libc string functions and ``snprintf``, hand-written sorts, an expression compiler and
bytecode machine, LZ77 compression, SHA-256/CRC-32/FNV-64 hashing, a JSON parser), a C++
program (virtual methods, templates, operator overloading), and three hand-written text
modules in other people's styles (folded ``block``/``br``-heavy code with ``select``,
``local.tee``, ``i64`` and bulk memory; flat stack-style code with multi-value functions,
blocks and loops; a Brainfuck interpreter with its registers in globals and ``br_table``
dispatch). Each module has no imports and one export ``run(n)`` (the WASI command
``chatty.c`` of the same folder belongs to ``bench/run_wasi.py``). Sizes: ``tiny`` (n=1:
a run of about 1-70 ms in wasmem, startup and the first translations dominate),
``short`` (about 20 ms of work) and ``long`` (about 300 ms); the expected values are
wasmtime's answers (``tests/bench/test_bench_independent.py`` checks them).
"""

from __future__ import annotations

from .workloads import Size, Workload

__all__ = ["INDEPENDENT"]


def _independent(name: str, result: str, stresses: str, sizes: tuple[tuple[int, float], ...],
                 source: str = "wasm", reference: str | None = None) -> Workload:
    by_size = {size: Size(arg, expected)
               for size, (arg, expected) in zip(("tiny", "short", "long"), sizes)}
    return Workload(name, f"c/independent/{name}.{source}", "run", result, by_size, float,
                    stresses, reference=reference)


INDEPENDENT: tuple[Workload, ...] = (
    _independent("recur", "i32", "C -O1: naive fib, Ackermann, malloc'ed binary trees, "
                 "N-queens", ((1, 9926049), (4, 4162638379), (55, 673914600)),
                 reference="recur"),
    _independent("tokens", "i32", "C -Os: switch state-machine tokenizer of C-like text",
                 ((1, 2769897063), (5, 1260118467), (230, 958864682))),
    _independent("fnptr", "i32", "C -O2: call_indirect through op tables, vtables, "
                 "callbacks", ((1, 2548068322), (20, 3844036611), (380, 2523500969))),
    _independent("lists", "i32", "C -O0: doubly linked sorted list, stack, chained hash "
                 "of structs (malloc/calloc/free)",
                 ((1, 3509787134), (3, 3852809722), (50, 1518732577))),
    _independent("nbody", "f64", "C -O3: n-body (double, sqrt) and spectral norm",
                 ((1, 0.9355035524957845), (2, 0.9356117580273808),
                  (130, 0.9360339454862697)), reference="nbody"),
    _independent("mandel", "i32", "C -O2: f32 Mandelbrot, double Newton iteration",
                 ((1, 1859503905), (20, 3262761334), (115, 2776765909))),
    _independent("strings", "i32", "C -O2: snprintf, strlen, strcmp, memcmp, strchr, "
                 "strstr, strtol", ((1, 3857242811), (3, 2290119552), (25, 3822307469))),
    _independent("sorts", "i32", "C -O3: hand-written merge, heap, 3-way quick and "
                 "insertion sorts", ((1, 2752018911), (3, 3780314685), (40, 2387533490)),
                 reference="sorts"),
    _independent("calc", "i32", "C -O2: expression parser to bytecode, switch stack "
                 "machine", ((1, 3483599183), (4, 4258929257), (150, 326061869))),
    _independent("lz", "i32", "C -O2: LZ77-style compress/decompress round trip, RLE",
                 ((1, 37147), (3, 3282013276), (60, 4088543870))),
    _independent("hashes", "i32", "C -Os: SHA-256, CRC-32, FNV-1a 64 (i64)",
                 ((1, 1638242662), (6, 758511837), (160, 1739638137)),
                 reference="hashes"),
    _independent("json", "i32", "C -O1: recursive-descent JSON parser over generated "
                 "documents", ((1, 3579893334), (18, 3891918323), (370, 2010240826))),
    _independent("oop", "i32", "C++ -O2 (no standard library): virtual methods, templates"
                 ", operator overloading, new/delete", ((1, 1485228248), (2, 3364309982),
                                                        (20, 557561970))),
    _independent("brloops", "i32", "text, folded style: block/br loops, select, local.tee,"
                 " i64 mixing, memory.fill/copy",
                 ((1, 1476479777), (36, 1213678228), (680, 3881984248)), source="wat"),
    _independent("multival", "i32", "text, flat style: multi-value calls/blocks/loops, "
                 "br_table with values, i64 div/rem",
                 ((1, 35), (800, 2066987650), (12000, 101064570)), source="wat"),
    _independent("bfvm", "i32", "text, a third style: Brainfuck interpreter, registers in "
                 "globals, br_table dispatch, data segments, load8 with offsets",
                 ((1, 2345669865), (3, 2894334312), (300, 2730751431)), source="wat"),
)
"""The independent programs, in table order."""
