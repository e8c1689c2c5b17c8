"""The recursion programs: short runs of recursion-heavy C code, at -O0 and -O2.

Issue 15 asks never to be slower than pwasm at any run length, and recursion is where the
tiered mode's costs show first: functions called thousands of times within a few
milliseconds, each one interpreted until its budget runs out and then translated (with
its recursive calls inlined into it). These three programs (``bench/c/recursion/``,
rebuilt by its ``build.sh``; our own code) are measured side by side with pwasm by
``bench/sidebyside.py --recursion`` (results in ``bench/recursion.md``): a
recursive-descent parser and evaluator over generated arithmetic text (``rdesc``), binary
trees in a static pool walked recursively (``trees``: build, sum, mirror, height, count)
and mutual and call-heavy recursion (``mutual``: Hofstadter's F/M, is_even/is_odd, tak,
Ackermann), each built at -O0 and -O2. Sizes: ``tiny`` (n=1), ``short`` (about 20 ms of
work in wasmem) and ``long`` (about 300 ms); the expected values are wasmtime's answers
(``tests/bench/test_bench_recursion.py`` checks them).
"""

from __future__ import annotations

from .workloads import Size, Workload

__all__ = ["RECURSION"]


def _recursive(name: str, stresses: str,
               sizes: tuple[tuple[int, float], ...]) -> Workload:
    by_size = {size: Size(arg, expected)
               for size, (arg, expected) in zip(("tiny", "short", "long"), sizes)}
    return Workload(name, f"c/recursion/{name}.wasm", "run", "i32", by_size, float,
                    stresses)


RECURSION: tuple[Workload, ...] = (
    _recursive("rdesc-O0", "C -O0: recursive-descent parser/evaluator of generated text",
               ((1, 67524), (20, 2294501755), (250, 946436619))),
    _recursive("rdesc-O2", "C -O2: recursive-descent parser/evaluator of generated text",
               ((1, 67524), (40, 2375036237), (600, 3146186993))),
    _recursive("trees-O0", "C -O0: binary trees in a static pool, recursive walks",
               ((1, 3467063768), (2, 3279241999), (25, 764108961))),
    _recursive("trees-O2", "C -O2: binary trees in a static pool, recursive walks",
               ((1, 3467063768), (6, 3675103939), (100, 3504407473))),
    _recursive("mutual-O0", "C -O0: Hofstadter F/M, is_even/is_odd, tak, Ackermann",
               ((1, 3275609928), (1, 3275609928), (12, 830561450))),
    _recursive("mutual-O2", "C -O2: Hofstadter F/M, is_even/is_odd, tak, Ackermann",
               ((1, 3275609928), (4, 1190635642), (70, 3471025490))),
)
"""The recursion programs, in table order."""
