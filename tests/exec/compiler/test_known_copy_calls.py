"""Calls of a known ``memcpy``/``memset``/``memmove`` (``exec/compiler/known_copies.py``)
get the fast path at the call site (``emit_calls.emit_known_copy``): result, memory,
traps and the call-depth limit are those of the interpreter (and wasmtime), whatever
the arguments (sizes, overlaps, ranges past the end, arguments read from memory or a
global that changes after the call)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

MASK = 0xFFFFFFFF
PAGE = 65536
DATA = Path(__file__).parent / "data"
CALLERS = """
  (global $g (mut i32) (i32.const 100))
  (func (export "copy") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 call $F)
  (func (export "copy_loaded") (param i32 i32 i32) (result i32)
    local.get 0 i32.load local.get 1 i32.load local.get 2 call $F i32.const 1 i32.add)
  (func (export "copy_const") (param i32 i32) (result i32)
    local.get 0 i32.const 0x1ab local.get 1 call $F)
  (func (export "copy_twice") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 call $F drop
    local.get 1 local.get 0 local.get 2 call $F)
  (func (export "copy_global") (param i32 i32) (result i32)
    global.get $g local.get 0 local.get 1 call $F
    i32.const 5 global.set $g
    i32.const 100 global.set $g)
  (func (export "copy_global_set") (param i32 i32) (result i32)
    global.get $g local.get 0 local.get 1 call $F
    i32.const 5 global.set $g)
  (func $deep (export "deep") (param i32 i32 i32) (result i32)
    local.get 0
    if (result i32)
      local.get 0 i32.const 1 i32.sub local.get 1 local.get 2 call $deep
    else
      i32.const 64 local.get 1 local.get 2 call $F
    end)
)
"""


def _module_text(kind: str) -> str:
    """The committed known body of ``kind`` with the callers above (calling ``$F``)."""
    text = (DATA / f"wasi_libc_{kind}.wat").read_text().rstrip()
    assert text.endswith(")")
    callee = "$memmove" if kind == "memmove" else f"${kind}"
    return text[:-1] + CALLERS.replace("$F", callee)


TEXTS = {kind: _module_text(kind) for kind in ("memcpy", "memset", "memmove")}
MODULES = {kind: wasmem.Module(text) for kind, text in TEXTS.items()}


def _run(kind: str, tier: str, export: str, *args: int) -> tuple[object, bytes]:
    instance = wasmem.Instance(MODULES[kind], tier=tier)
    memory = instance.exports["memory"]
    memory.write(0, bytes((k * 7 + 3) & 0xFF for k in range(PAGE)))
    memory.write(0, (4000).to_bytes(4, "little") + (9000).to_bytes(4, "little"))
    try:
        result: object = instance.exports[export](*args)
    except wasmem.Trap as trap:
        result = ("trap", trap.code)
    return result, memory.read(0, PAGE)


def _agree(kind: str, export: str, *args: int) -> None:
    assert _run(kind, "compile", export, *args) == _run(kind, "interpret", export, *args)


def test_the_call_site_has_the_fast_path() -> None:
    module = MODULES["memcpy"]
    compiled = CompiledModule.of(module.ast)
    callers = [compiled.source(index) or "" for index in range(1, 8)]
    assert all("len(M0)" in text for text in callers)
    # ("copy": the else branch still calls the function itself)
    assert "F0(l0, l1, l2, _d + 1)" in callers[0]


@pytest.mark.parametrize("kind", sorted(TEXTS))
@settings(max_examples=40, deadline=None)
@given(d=st.one_of(st.integers(0, PAGE + 40), st.integers(MASK - 64, MASK)),
       s=st.one_of(st.integers(0, PAGE + 40), st.integers(MASK - 64, MASK)),
       n=st.one_of(st.integers(0, 80), st.integers(0, 2000), st.integers(MASK - 40, MASK)))
def test_calls_agree_with_the_interpreter(kind: str, d: int, s: int, n: int) -> None:
    _agree(kind, "copy", d, s, n)
    _agree(kind, "copy_twice", d, s, n)
    _agree(kind, "copy_const", d, n)


@pytest.mark.parametrize("kind", sorted(TEXTS))
@pytest.mark.parametrize("d, s, n", [
    (0, 4, 8), (4, 0, 8), (0, 4, 3000), (4, 0, 1), (0, 0, 0), (PAGE - 4, 0, 8),
    (0, PAGE - 4, 8), (MASK - 3, 0, 8)])
def test_arguments_read_from_memory(kind: str, d: int, s: int, n: int) -> None:
    _agree(kind, "copy_loaded", d, s, n)


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_the_result_is_the_destination_read_before_the_call(kind: str) -> None:
    for export in ("copy_global", "copy_global_set"):
        for args in [(3000, 16), (3000, PAGE), (PAGE - 8, 16)]:
            compiled = _run(kind, "compile", export, *args)
            assert compiled == _run(kind, "interpret", export, *args)
    assert _run(kind, "compile", "copy_global", 3000, 16)[0] == 100


def _exhausted_from(kind: str, tier: str, s: int, n: int, text: str | None = None) -> int:
    """The fewest levels of ``deep`` before the copy that exhaust the call stack (in
    the module of ``text`` if given)."""
    module = MODULES[kind] if text is None else wasmem.Module(text)

    def exhausted(levels: int) -> bool:
        instance = wasmem.Instance(module, tier=tier)
        try:
            assert instance.exports["deep"](levels, s, n) == 64
        except wasmem.Trap as trap:
            assert trap.code == wasmem.TrapCode.CALL_STACK_EXHAUSTED
            return True
        return False

    low, high = 1, 20_000
    assert not exhausted(low) and exhausted(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if exhausted(middle) else (middle, high)
    return high


@pytest.mark.parametrize("kind", ["memcpy", "memset"])
def test_the_depth_limit_is_an_ordinary_calls(kind: str) -> None:
    # a recursion that ends in the copy: the stack is exhausted at the same level
    # whether the copy runs the fast path (source 128), calls the translated body (an
    # overlap, source 70) or is a body not recognised (one constant changed: an
    # ordinary call of a leaf, whose translation checks no depth, exec/callstack.py)
    compiled = _exhausted_from(kind, "compile", 128, 16)
    changed = TEXTS[kind].replace("i32.const 16\n", "i32.const 17\n", 1)
    assert changed != TEXTS[kind]
    assert "len(M0)" not in (CompiledModule.of(wasmem.Module(changed).ast).source(7) or "")
    assert _exhausted_from(kind, "compile", 128, 16, changed) == compiled
    if kind == "memcpy":
        assert _exhausted_from(kind, "compile", 70, 16) == compiled
    else:  # (a literal byte is filled from a literal)
        assert "b'\\xab' * l1" in (CompiledModule.of(MODULES[kind].ast).source(3) or "")


def test_wasmtime_agrees() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    for kind, text in TEXTS.items():
        for export, args in [("copy", (100, 3000, 56)), ("copy", (PAGE - 40, 10, 56)),
                             ("copy_loaded", (0, 4, 300)), ("copy_const", (5000, 300)),
                             ("copy_twice", (104, 100, 56)),
                             ("copy_global", (3000, 16))]:
            store = wasmtime.Store()
            instance = wasmtime.Instance(store, wasmtime.Module(store.engine, text), [])
            exports = instance.exports(store)
            memory = exports["memory"]
            memory.write(store, bytes((k * 7 + 3) & 0xFF for k in range(PAGE)), 0)
            memory.write(store, (4000).to_bytes(4, "little") + (9000).to_bytes(4, "little"), 0)
            try:
                result: object = exports[export](store, *args)
            except wasmtime.Trap:
                result = ("trap", wasmem.TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
            ours = _run(kind, "compile", export, *args)
            assert ours[0] == result
            assert ours[1] == bytes(memory.read(store, 0, PAGE))
