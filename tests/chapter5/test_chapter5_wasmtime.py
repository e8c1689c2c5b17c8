"""wasmtime as the oracle for the corrected chapter 5 examples.

Each scenario (host writes and export calls) runs on wasmem and on wasmtime; every
result or trap, the exported globals and all the memory bytes must agree. Skipped when
the ``wasmtime`` package is not installed.
"""

from __future__ import annotations

from typing import Any

import pytest
from _chapter5 import EXAMPLES, NAMES, load

import wasmem

wasmtime = pytest.importorskip("wasmtime")

Step = tuple[Any, ...]
"""``("call", export, *args)`` or ``("write", address, bytes)``."""

ARRAY = b"".join((k * 37 - 400).to_bytes(4, "little", signed=True) for k in range(23))

SCENARIOS: dict[str, list[Step]] = {
    "01-memory-basics": [("call", "memory_demo", 0x10, 0x12345678),
                         ("call", "memory_demo", 65532, -1),
                         ("call", "memory_demo", 65533, 1)],
    "02-memory-layout": [("call", "push", 7), ("call", "push", -2), ("call", "malloc", 10),
                         ("call", "malloc", 0x7000), ("call", "malloc", -16),
                         ("call", "pop"), ("call", "pop"), ("call", "pop")],
    "03-memory-grow": [("call", "get_memory_size"), ("call", "grow_memory", 3),
                       ("call", "ensure_memory", 300_000), ("call", "ensure_memory", -1),
                       ("call", "grow_memory", 200), ("call", "get_memory_size")],
    "04-loads": [("call", "load_operations", a) for a in (0, 3, 16, 21, 24, 65528, 65530)],
    "05-stores": [("write", 0x100, b"abcdefghijklmnop"),
                  ("call", "store_operations", 0x400, 0x11223344),
                  ("call", "memory_copy", 0x104, 0x100, 10),
                  ("call", "memory_copy", 0x100, 0x103, 10),
                  ("call", "memory_copy", 0x200, 0x100, 16),
                  ("call", "memory_fill", 0x300, 0x1FF, 9),
                  ("call", "memory_fill", 65530, 1, 10)],
    "06-bulk-memory": [("write", 0x100, b"abcdefgh"),
                       ("call", "fast_memory_copy", 0x102, 0x100, 6),
                       ("call", "fast_memory_fill", 0x200, 0x41, 5),
                       ("call", "init_data_segment", 0x300, 0, 19),
                       ("call", "init_data_segment", 0x340, 1, 10),
                       ("call", "init_data_segment", 0x380, 1, 11),
                       ("call", "init_data_segment", 0x380, 5, 1),
                       ("call", "fast_memory_copy", 65530, 0, 7)],
    "07-static-data": [*(("call", "get_string_char", k) for k in (0, 7, 18, 19, -1)),
                       *(("call", "fast_square", n) for n in (0, 5, 15, 16, 100)),
                       ("call", "get_person_age"), ("call", "get_person_height"),
                       ("call", "get_person_name_length")],
    "08-passive-data": [("call", "build_error_message", 1, 0x100),
                        ("call", "init_error_system"),
                        ("call", "build_error_message", 2, 0x140),
                        ("call", "build_error_message", 0, 0x180),
                        ("call", "build_error_message", 3, 0x1C0)],
    "09-alignment": [("call", "alignment_demo"), ("call", "aligned_struct_demo"),
                     ("call", "align_up", 13, 8), ("call", "align_up", 0x1001, 16),
                     ("call", "is_aligned", 0x1004, 4), ("call", "is_aligned", 6, 4),
                     ("call", "is_aligned", 6, 0)],
    "10-performance": [("write", 0x1000, ARRAY), ("write", 0x2000, ARRAY[::-1]),
                       ("call", "cache_friendly_sum", 0x1000, 23),
                       ("call", "prefetch_demo", 0x1000, 23),
                       ("call", "vectorized_add", 0x1000, 0x2000, 0x3000, 23),
                       ("call", "vectorized_add", 0x1000, 0x2000, 0x4000, 8),
                       ("call", "cache_friendly_sum", 65532, 2)],
    "11-heap-allocator": [("call", "heap_alloc", 8), ("call", "init_heap"),
                          *(("call", "heap_alloc", s) for s in (10, 100, 24, 0, 4000)),
                          ("call", "heap_free", 0x1008), ("call", "heap_free", 0x1090),
                          ("call", "heap_stats", 0x10, 0x14),
                          ("call", "heap_alloc", 16), ("call", "heap_free", 0x1020),
                          ("call", "heap_free", 0x1020), ("call", "heap_stats", 0x18, 0x1C)],
    "12-pool-allocator": [("call", "init_pools"),
                          *(("call", "pool_alloc", s) for s in (1, 16, 17, 40, 64, 65)),
                          ("call", "pool_free", 0x2010, 16), ("call", "pool_free", 0x4000, 5),
                          ("call", "pool_free", 0x4000, 5), ("call", "pool_free", 0x2004, 4),
                          *(("call", "pool_stats", s) for s in (16, 32, 64, 8))],
}


def run_wasmem(name: str, steps: list[Step]) -> tuple[list[Any], bytes, dict[str, Any]]:
    instance = load(name)
    exports = instance.exports
    memory = exports["memory"]
    outcomes: list[Any] = []
    for step in steps:
        if step[0] == "write":
            memory.write(step[1], step[2])
            continue
        try:
            result = exports[step[1]](*step[2:])
        except wasmem.Trap:
            outcomes.append("trap")
            continue
        outcomes.append(result if isinstance(result, tuple) else
                        (() if result is None else (result,)))
    global_values = {k: exports[k].value for k in exports if isinstance(exports[k], wasmem.Global)}
    return outcomes, memory.read(0, len(memory)), global_values


def run_wasmtime(name: str, steps: list[Step]) -> tuple[list[Any], bytes, dict[str, Any]]:
    store = wasmtime.Store()
    module = wasmtime.Module(store.engine, (EXAMPLES / f"{name}.wat").read_text("utf-8"))
    instance = wasmtime.Instance(store, module, [])
    exports = instance.exports(store)
    memory = exports["memory"]
    outcomes: list[Any] = []
    for step in steps:
        if step[0] == "write":
            memory.write(store, step[2], step[1])
            continue
        try:
            result = exports[step[1]](store, *step[2:])
        except (wasmtime.Trap, wasmtime.WasmtimeError):
            outcomes.append("trap")
            continue
        outcomes.append(tuple(result) if isinstance(result, list) else
                        (() if result is None else (result,)))
    global_values = {n: g.value(store) for n, g in exports.items()
                     if isinstance(g, wasmtime.Global)}
    return outcomes, bytes(memory.read(store, 0, memory.data_len(store))), global_values


def test_every_example_has_a_scenario() -> None:
    assert sorted(SCENARIOS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_same_as_wasmtime(name: str) -> None:
    steps = SCENARIOS[name]
    ours, memory, global_values = run_wasmem(name, steps)
    theirs, their_memory, their_globals = run_wasmtime(name, steps)
    for step, a, b in zip(steps, ours, theirs):
        assert a == b, f"{name}: {step}: wasmem {a!r}, wasmtime {b!r}"
    assert len(memory) == len(their_memory)
    if memory != their_memory:
        first = next(k for k, (x, y) in enumerate(zip(memory, their_memory)) if x != y)
        pytest.fail(f"{name}: memories differ first at 0x{first:x}: "
                    f"{memory[first:first + 16].hex()} vs {their_memory[first:first + 16].hex()}")
    assert global_values == their_globals


def test_scenarios_cover_every_export() -> None:
    for name in NAMES:
        module = wasmem.Module.from_file(EXAMPLES / f"{name}.wat")
        functions = {n for n, kind in module.exports if str(kind) == "func"}
        called = {step[1] for step in SCENARIOS[name] if step[0] == "call"}
        assert functions <= called, f"{name}: not called: {functions - called}"
