"""A known ``memcpy`` body gets an exact fast path (``exec/compiler/known_copies.py``):
the body is recognised by its code only, and memory, result and trap after a call are
those of running its own code (the interpreter; wasmtime for a few), for any sizes,
alignments, overlaps, out-of-bounds ranges and grown memories."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.known_copies import KNOWN, entry_lines, fingerprint, known_copy
from wasmem.exec.compiler.tier import CompiledModule

MASK = 0xFFFFFFFF
PAGE = 65536
SOURCE = (Path(__file__).parent / "data" / "wasi_libc_memcpy.wat").read_text()
FAST = "M0[l0:_e] = M0[l1:_f]"


def _source(module: wasmem.Module) -> str:
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None
    return source


def _run(tier: str, d: int, s: int, n: int, source: str = SOURCE,
         grow: int = 0) -> tuple[object, bytes]:
    instance = wasmem.Instance(wasmem.Module(source), tier=tier)
    memory = instance.exports["memory"]
    memory.grow(grow)
    memory.write(0, bytes((k * 7 + 3) & 0xFF for k in range(PAGE * (1 + grow))))
    try:
        result: object = instance.exports["memcpy"](d, s, n)
    except wasmem.Trap as trap:
        result = ("trap", trap.code)
    return result, memory.read(0, PAGE * (1 + grow))


def _agree(d: int, s: int, n: int, grow: int = 0) -> None:
    compiled = _run("compile", d, s, n, grow=grow)
    interpreted = _run("interpret", d, s, n, grow=grow)
    assert compiled[0] == interpreted[0]
    assert compiled[1] == interpreted[1]


def test_the_body_is_recognised_by_its_code() -> None:
    module = wasmem.Module(SOURCE)
    function = module.ast.functions[0]
    assert KNOWN[fingerprint(function)] == "memcpy"
    assert FAST in _source(module)
    assert FAST in "\n".join(entry_lines("memcpy"))


def test_a_changed_body_is_translated_as_it_is() -> None:
    # one constant of the 16-byte tail changed: the fast path must not apply
    changed = SOURCE.replace("i32.const 16\n", "i32.const 17\n", 1)
    assert changed != SOURCE
    module = wasmem.Module(changed)
    assert known_copy(module.ast.functions[0], module.ast.types[0], 1) is None
    assert FAST not in _source(module)
    # the same body under another name, without a memory, or with another type
    renamed = wasmem.Module(SOURCE.replace("$memcpy", "$copy_words"))
    assert FAST in _source(renamed)
    function = module.ast.functions[0]
    assert known_copy(function, module.ast.types[0], 0) is None


def test_fuel_keeps_counting_every_instruction() -> None:
    totals = []
    for tier in ("compile", "interpret"):
        instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier, fuel=10**6)
        instance.exports["memcpy"](100, 3000, 56)
        totals.append(instance.fuel_consumed)
    assert totals[0] == totals[1]


@settings(max_examples=80, deadline=None)
@given(d=st.one_of(st.integers(0, PAGE + 40), st.integers(MASK - 64, MASK)),
       s=st.one_of(st.integers(0, PAGE + 40), st.integers(MASK - 64, MASK)),
       n=st.one_of(st.integers(0, 80), st.integers(0, 2000), st.integers(MASK - 40, MASK)))
def test_copies_agree_with_the_interpreter(d: int, s: int, n: int) -> None:
    _agree(d, s, n)


@pytest.mark.parametrize("d, s, n", [
    (100, 104, 56), (104, 100, 56), (101, 100, 200), (100, 101, 200), (100, 100, 64),
    (203, 200, 3), (200, 231, 64)])
def test_overlapping_copies_keep_the_c_codes_order(d: int, s: int, n: int) -> None:
    _agree(d, s, n)


@pytest.mark.parametrize("d, s, n", [
    (PAGE - 40, 1000, 56), (PAGE - 41, 1001, 57), (1000, PAGE - 40, 56),
    (1002, PAGE - 33, 200), (PAGE - 3, 0, 100), (PAGE - 56, 8, 56), (8, PAGE - 56, 56),
    (PAGE, 0, 0), (PAGE + 1, 0, 0), (0, PAGE + 5, 0), (MASK - 3, 16, 8)])
def test_traps_mid_copy_leave_the_same_partial_writes(d: int, s: int, n: int) -> None:
    _agree(d, s, n)


def test_copies_into_grown_memory() -> None:
    _agree(PAGE + 100, 40, 56, grow=1)
    _agree(40, 2 * PAGE - 56, 56, grow=1)
    _agree(2 * PAGE - 20, 40, 56, grow=1)


def test_wasmtime_agrees() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    for d, s, n in [(100, 3000, 56), (101, 3002, 61), (PAGE - 40, 10, 56), (104, 100, 56)]:
        store = wasmtime.Store()
        instance = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), [])
        memory = instance.exports(store)["memory"]
        memory.write(store, bytes((k * 7 + 3) & 0xFF for k in range(PAGE)), 0)
        try:
            result: object = instance.exports(store)["memcpy"](store, d, s, n)
        except wasmtime.Trap:
            result = ("trap", wasmem.TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
        ours = _run("compile", d, s, n)
        assert ours[0] == result
        assert ours[1] == bytes(memory.read(store, 0, PAGE))


MEMSET = (Path(__file__).parent / "data" / "wasi_libc_memset.wat").read_text()


def _set(tier: str, d: int, c: int, n: int) -> tuple[object, bytes]:
    instance = wasmem.Instance(wasmem.Module(MEMSET), tier=tier)
    memory = instance.exports["memory"]
    memory.write(0, bytes((k * 7 + 3) & 0xFF for k in range(PAGE)))
    try:
        result: object = instance.exports["memset"](d, c, n)
    except wasmem.Trap as trap:
        result = ("trap", trap.code)
    return result, memory.read(0, PAGE)


def test_memset_is_recognised() -> None:
    module = wasmem.Module(MEMSET)
    assert KNOWN[fingerprint(module.ast.functions[0])] == "memset"
    assert "M0[l0:_e] = bytes((l1 & 255,)) * l2" in _source(module)


@settings(max_examples=60, deadline=None)
@given(d=st.one_of(st.integers(0, PAGE + 40), st.integers(MASK - 64, MASK)),
       c=st.one_of(st.integers(0, 300), st.integers(0, MASK)),
       n=st.one_of(st.integers(0, 80), st.integers(0, 2000), st.integers(MASK - 40, MASK)))
def test_memset_agrees_with_the_interpreter(d: int, c: int, n: int) -> None:
    assert _set("compile", d, c, n) == _set("interpret", d, c, n)


@pytest.mark.parametrize("d, n", [(PAGE - 40, 56), (PAGE - 7, 9), (PAGE - 1, 2), (PAGE, 0),
                                  (PAGE + 3, 0), (PAGE - 64, 64), (MASK - 3, 8)])
def test_memset_traps_leave_the_same_partial_writes(d: int, n: int) -> None:
    assert _set("compile", d, 0x1AB, n) == _set("interpret", d, 0x1AB, n)
