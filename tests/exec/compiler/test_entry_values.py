"""Reads of an assigned parameter's entry value (``exec/compiler/entry_values.py``): the
parameter is tested at entry and those reads index the typed views; reads that may see
another value (after an assignment, in a loop that assigns it) keep the shifted views;
results, memory and traps equal the interpreter's and wasmtime's for pointers of every
alignment (an unaligned one runs the translation without the test)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.context import ModuleContext
from wasmem.exec.compiler.entry_values import entry_valued_bases
from wasmem.exec.compiler.tier import CompiledModule

PAGE = 65536

FUNCS = {
    # read twice through p, then p reused for a loaded value and read through again
    "reuse": """(func (export "reuse") (param $p i32) (param $q i32) (result i32)
        (local $s i32)
        (local.set $s (i32.add (i32.load offset=4 (local.get $p)) (i32.load (local.get $p))))
        (i32.store offset=8 (local.get $p) (local.get $s))
        (local.set $p (i32.load offset=12 (local.get $p)))
        (i32.add (local.get $s) (i32.load align=2 (local.get $p))))""",
    # the loop assigns p: reads inside it may see the new value, reads before it not
    "loop": """(func (export "loop") (param $p i32) (param $n i32) (result i32)
        (local $s i32)
        (local.set $s (i32.load (local.get $p)))
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $s (i32.add (local.get $s) (i32.load offset=4 (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $s))""",
    # assigned in one arm: the other arm's later read is not trusted (program order)
    "arms": """(func (export "arms") (param $p i32) (param $c i32) (result i64)
        (if (local.get $c)
          (then (local.set $p (i32.add (local.get $p) (i32.const 1))))
          (else (i64.store (local.get $p) (i64.const 0x0102030405060708))))
        (i64.load align=1 (local.get $p)))""",
    # a loop that does not assign p reads its entry value
    "stable": """(func (export "stable") (param $p i32) (param $n i32) (result i64)
        (local $s i64)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $s (i64.add (local.get $s) (i64.load offset=8 (local.get $p))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.set $p (i32.const 3))
        (i64.add (local.get $s) (i64.load align=1 (local.get $p))))""",
}
MODULE = ('(module (memory (export "memory") 1) (data (i32.const 0) "'
          + "".join(f"\\{(k * 29 + 7) & 0xFF:02x}" for k in range(512)) + '")\n'
          + "\n".join(FUNCS.values()) + ")")
_POINTERS = st.one_of(st.integers(0, 300), st.integers(PAGE - 24, PAGE + 4),
                      st.sampled_from([0xFFFFFFF8, 0x7FFFFFFC]))


def _run(tier: str, name: str, p: int, other: int) -> tuple[object, bytes]:
    instance = wasmem.Instance(wasmem.Module(MODULE), tier=tier)
    try:
        result: object = instance.exports[name](p - (1 << 32) if p >> 31 else p, other)
    except wasmem.Trap as trap:
        result = ("trap", trap.code)
    return result, instance.exports["memory"].read(0, PAGE)


def test_only_reads_of_the_entry_value_count() -> None:
    module = wasmem.Module(MODULE)
    ctx = ModuleContext.of(module.ast)
    found = {name: entry_valued_bases(module.ast.functions[k], ctx.function_types[k], ())
             for k, name in enumerate(FUNCS)}
    assert found["reuse"][0] == {0: 4} and len(found["reuse"][1]) == 4
    assert found["loop"][0] == {0: 4} and len(found["loop"][1]) == 1
    assert found["arms"] == ({}, {})  # (the then arm comes first in program order)
    assert found["stable"][0] == {0: 8} and len(found["stable"][1]) == 1
    sources = {name: CompiledModule.of(module.ast).source(k) or ""
               for k, name in enumerate(FUNCS)}
    assert "if l0 & -1073741821: return n_unaligned(0)" in sources["reuse"], sources["reuse"]
    assert "V32_0[(l0 + 4) >> 2]" in sources["reuse"], sources["reuse"]
    assert "V32U_0[l0 & 3][l0 >> 2]" in sources["reuse"], sources["reuse"]  # after reuse
    assert "V32U_0" in sources["loop"], sources["loop"]  # the loop's reads


@pytest.mark.parametrize("name", list(FUNCS))
@settings(max_examples=40, deadline=None)
@given(p=_POINTERS, other=st.sampled_from([0, 1, 2, 5]))
def test_agrees_with_the_interpreter(name: str, p: int, other: int) -> None:
    assert _run("compile", name, p, other) == _run("interpret", name, p, other)


def test_agrees_with_wasmtime() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    for name in FUNCS:
        for p in (0, 1, 2, 3, 4, 8, 13, 64, PAGE - 16, PAGE - 13, PAGE - 4, PAGE):
            for other in (0, 1, 3):
                store = wasmtime.Store()
                instance = wasmtime.Instance(store, wasmtime.Module(store.engine, MODULE), [])
                exports: Any = instance.exports(store)
                try:
                    value = exports[name](store, p, other)
                    expected: object = value & ((1 << (64 if name in ("arms", "stable")
                                                        else 32)) - 1)
                except wasmtime.Trap:
                    expected = ("trap", wasmem.TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
                ours, memory = _run("compile", name, p, other)
                if isinstance(ours, int):
                    ours &= (1 << (64 if name in ("arms", "stable") else 32)) - 1
                assert ours == expected, (name, p, other)
                assert memory == bytes(exports["memory"].read(store, 0, PAGE)), (name, p)
