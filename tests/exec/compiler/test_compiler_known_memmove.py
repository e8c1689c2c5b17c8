"""A known ``memmove`` body gets the fast path of ``exec/compiler/known_copies.py``
only when the function it calls is the known ``memcpy`` of the same module; memory,
result and trap after a call are those of running its own code (the interpreter,
wasmtime for a few), for any sizes, overlaps in both directions, out-of-bounds ranges
and grown memories."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.context import ModuleContext
from wasmem.exec.compiler.known_copies import KNOWN, entry_lines, fingerprint, known_copy
from wasmem.exec.compiler.tier import CompiledModule

MASK = 0xFFFFFFFF
PAGE = 65536
SOURCE = (Path(__file__).parent / "data" / "wasi_libc_memmove.wat").read_text()
FAST = "M0[l0:_e] = M0[l1:_f]"
MEMMOVE = 1
"""memmove's function index in SOURCE (memcpy is 0)."""


def _memmove_source(source: str) -> str:
    text = CompiledModule.of(wasmem.Module(source).ast).source(MEMMOVE)
    assert text is not None
    return text


def _run(tier: str, d: int, s: int, n: int, grow: int = 0) -> tuple[object, bytes]:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    memory.grow(grow)
    memory.write(0, bytes((k * 7 + 3) & 0xFF for k in range(PAGE * (1 + grow))))
    try:
        result: object = instance.exports["memmove"](d, s, n)
    except wasmem.Trap as trap:
        result = ("trap", trap.code)
    return result, memory.read(0, PAGE * (1 + grow))


def _agree(d: int, s: int, n: int, grow: int = 0) -> None:
    compiled = _run("compile", d, s, n, grow=grow)
    interpreted = _run("interpret", d, s, n, grow=grow)
    assert compiled[0] == interpreted[0]
    assert compiled[1] == interpreted[1]


def test_memmove_is_recognised_with_its_memcpy() -> None:
    module = wasmem.Module(SOURCE)
    ctx = ModuleContext.of(module.ast)
    function = module.ast.functions[MEMMOVE]
    assert KNOWN[fingerprint(function)] == "memmove"
    assert known_copy(function, ctx.function_types[MEMMOVE], 1, ctx) == "memmove"
    assert FAST in _memmove_source(SOURCE)
    assert FAST in "\n".join(entry_lines("memmove"))


def test_not_without_the_known_memcpy() -> None:
    module = wasmem.Module(SOURCE)
    function = module.ast.functions[MEMMOVE]
    # without the module, what it calls is unknown
    assert known_copy(function, module.ast.types[0], 1) is None
    # memcpy (first in the text) changed by one constant: memmove keeps its body too
    changed = SOURCE.replace("i32.const 16\n", "i32.const 17\n", 1)
    assert changed != SOURCE
    assert FAST not in _memmove_source(changed)
    # memmove changed by one constant
    index = SOURCE.index("(func $memmove")
    changed = SOURCE[:index] + SOURCE[index:].replace("i32.const 3\n", "i32.const 7\n", 1)
    assert FAST not in _memmove_source(changed)


@settings(max_examples=80, deadline=None)
@given(d=st.one_of(st.integers(0, PAGE + 40), st.integers(MASK - 64, MASK)),
       s=st.one_of(st.integers(0, PAGE + 40), st.integers(MASK - 64, MASK)),
       n=st.one_of(st.integers(0, 80), st.integers(0, 2000), st.integers(MASK - 40, MASK),
                   st.integers(2**31 - 8, 2**31 + 8)))
def test_moves_agree_with_the_interpreter(d: int, s: int, n: int) -> None:
    _agree(d, s, n)


@settings(max_examples=60, deadline=None)
@given(d=st.integers(0, 3000), delta=st.integers(-70, 70), n=st.integers(0, 300))
def test_overlapping_moves_agree_with_the_interpreter(d: int, delta: int, n: int) -> None:
    _agree(d, max(0, d + delta), n)


@pytest.mark.parametrize("d, s, n", [
    (PAGE - 40, 1000, 56), (1000, PAGE - 40, 56), (1002, PAGE - 33, 200),
    (PAGE - 33, 1002, 200), (PAGE - 3, PAGE - 5, 100), (PAGE - 5, PAGE - 3, 100),
    (PAGE, 0, 0), (PAGE + 1, PAGE + 1, 5), (0, PAGE + 5, 0), (MASK - 3, 16, 8),
    (16, MASK - 3, 8), (5, 5, 2**31), (10, 4, 2**31 + 3)])
def test_traps_mid_move_leave_the_same_partial_writes(d: int, s: int, n: int) -> None:
    _agree(d, s, n)


def test_moves_in_grown_memory() -> None:
    _agree(PAGE + 100, 40, 56, grow=1)
    _agree(2 * PAGE - 60, 2 * PAGE - 80, 60, grow=1)
    _agree(2 * PAGE - 20, 40, 56, grow=1)


def test_wasmtime_agrees() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    for d, s, n in [(100, 3000, 56), (101, 103, 61), (103, 101, 61), (PAGE - 40, 10, 56),
                    (10, PAGE - 40, 56), (7, 7, 9)]:
        store = wasmtime.Store()
        instance = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), [])
        memory = instance.exports(store)["memory"]
        memory.write(store, bytes((k * 7 + 3) & 0xFF for k in range(PAGE)), 0)
        try:
            result: object = instance.exports(store)["memmove"](store, d, s, n)
        except wasmtime.Trap:
            result = ("trap", wasmem.TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
        ours = _run("compile", d, s, n)
        assert ours[0] == result
        assert ours[1] == bytes(memory.read(store, 0, PAGE))
