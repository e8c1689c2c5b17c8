"""Pointer parameters bounded at entry (``exec/compiler/entry_alignment.py``,
``PARAM_BOUND``): the entry test of a pointer parameter (its alignment) also tests that
it is below 2**30, with the same mask, so that ``p + k`` (clang's ``local.get p;
i32.const 24; i32.add; i32.load``) is a plain addition in the translation. A pointer at
2**30 or above runs the translation without the entry facts, where ``p + k`` wraps
modulo 2**32 as it must: checked against wasmtime (the oracle) and the interpreter at the
edges (below and at the bound, aligned and not, addresses that wrap to low memory) and
at hypothesis values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.alignment import STACK_FLOOR
from wasmem.exec.compiler.entry_alignment import PARAM_BOUND, parameter_test, stack_test
from wasmem.exec.compiler.tier import CompiledModule

wasmtime = pytest.importorskip("wasmtime")

# $fields: fields read at p + 24 and p + 8 through explicit adds (and one offset);
# $wrapped: p + 16 written, p + 24 and p read (an address that wraps writes or reads low
#   memory, then p traps); $chain: p + 8, then that + 8 again (the first sum's range carries over);
# $callee/$caller: the callee inlined with its argument's range
SOURCE = """(module
 (memory (export "memory") 1)
 (func $fields (export "fields") (param i32) (result i32)
   (i32.add (i32.load (i32.add (local.get 0) (i32.const 24)))
            (i32.add (i32.load (i32.add (local.get 0) (i32.const 8)))
                     (i32.load offset=4 (local.get 0)))))
 (func $wrapped (export "wrapped") (param i32 i32) (result i32)
   (i32.store (i32.add (local.get 0) (i32.const 16)) (local.get 1))
   (i32.add (i32.load (i32.add (local.get 0) (i32.const 24))) (i32.load (local.get 0))))
 (func $chain (export "chain") (param i32) (result i32) (local i32)
   (local.set 1 (i32.add (local.get 0) (i32.const 8)))
   (i32.store (local.get 0) (i32.load (i32.add (local.get 1) (i32.const 8))))
   (i32.add (i32.load (local.get 1)) (i32.load offset=4 (local.get 0))))
 (func $callee (param i32) (result i32)
   (i32.load (i32.add (local.get 0) (i32.const 12))))
 (func $caller (export "caller") (param i32) (result i32)
   (i32.store offset=4 (local.get 0) (i32.const 3))
   (i32.add (call $callee (local.get 0)) (i32.load offset=4 (local.get 0)))))"""

CALLS = {"fields": 1, "wrapped": 2, "chain": 1, "caller": 1}

POINTERS = [0, 4, 8, 1, 2, 3, 65500, 65504, 65508, 65512, 65516, 65520, 65532, 65536,
            PARAM_BOUND - 4, PARAM_BOUND - 1, PARAM_BOUND, PARAM_BOUND + 4,
            0x7FFFFFFC, 0x80000000, 0xFFFFFFE8, 0xFFFFFFEC, 0xFFFFFFF0, 0xFFFFFFF4,
            0xFFFFFFF8, 0xFFFFFFFC, 0xFFFFFFFF, 0xFFFFFFE9, 0xFFFFFFF2]


def _signed(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value


def _setup(write: object) -> None:
    """Fill the start of memory and its last page's end with a pattern."""
    pattern = bytes((k * 37 + 11) & 0xFF for k in range(256))
    write(0, pattern)  # type: ignore[operator]
    write(65536 - 256, pattern)  # type: ignore[operator]


def _wasmem(tier: str, name: str, args: tuple[int, ...]) -> tuple[object, bytes]:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    _setup(memory.write)
    try:
        result: object = instance.exports[name](*args) & 0xFFFFFFFF
    except wasmem.Trap:
        result = "trap"
    return result, memory.read(0, 65536)


def _wasmtime(name: str, args: tuple[int, ...]) -> tuple[object, bytes]:
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), [])
    exports = instance.exports(store)
    memory = exports["memory"]
    _setup(lambda at, data: memory.write(store, data, at))
    try:
        result: object = exports[name](store, *[_signed(a) for a in args]) & 0xFFFFFFFF
    except wasmtime.Trap:
        result = "trap"
    return result, bytes(memory.read(store, 0, 65536))


def _args(name: str, pointer: int) -> tuple[int, ...]:
    return (pointer, 0x12345678)[:CALLS[name]]


def test_the_entry_test_bounds_the_pointer_and_the_sums_are_plain() -> None:
    compiled = CompiledModule.of(wasmem.Module(SOURCE).ast)
    sources = {name: compiled.source(k) or "" for k, name in
               ((0, "fields"), (1, "wrapped"), (2, "chain"), (4, "caller"))}
    for source in sources.values():
        assert f"if {parameter_test(0, 4)}: return n_unaligned(" in source, source
        body = source.split("\n", 2)[2]
        assert " if l0 < " not in body and " if l1 < " not in body, source  # no wrap-around
    assert "V32_0[((l0 + 24)) >> 2]" in sources["fields"], sources["fields"]
    # the translation without the entry facts keeps the wrap-around
    unaligned = compiled.code(1, False, aligned_entry=False)
    assert unaligned is not None
    assert " if l0 < " in compiled.sources[(1, False, False)], compiled.sources


def test_the_mask_tests_alignment_and_bound() -> None:
    for align in (2, 4, 8):
        mask = align - 1 - PARAM_BOUND
        assert -(1 << 30) < mask < 0  # one CPython digit
        for value in (0, align, align - 1, PARAM_BOUND - align, PARAM_BOUND - 1,
                      PARAM_BOUND, PARAM_BOUND + align, 0x80000000, 0xFFFFFFFF,
                      0xFFFFFFFF - align + 1):
            assert bool(value & mask) == (value % align != 0 or value >= PARAM_BOUND)


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("pointer", POINTERS)
def test_agrees_with_wasmtime(name: str, pointer: int) -> None:
    args = _args(name, pointer)
    expected = _wasmtime(name, args)
    assert _wasmem("compile", name, args) == expected
    assert _wasmem("interpret", name, args) == expected


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(CALLS)),
       pointer=st.one_of(st.integers(0, 0xFFFFFFFF), st.integers(0, 65535),
                         st.integers(PARAM_BOUND - 64, PARAM_BOUND + 64),
                         st.integers(0xFFFFFFC0, 0xFFFFFFFF)))
def test_both_tiers_agree(name: str, pointer: int) -> None:
    args = _args(name, pointer)
    assert _wasmem("compile", name, args) == _wasmem("interpret", name, args)


# the stack pointer's entry test bounds it too (.alignment.STACK_FLOOR): a frame taken
# off it and given back; $frame stores through the frame and returns what it read back
STACK = """(module
 (memory (export "memory") 1)
 (global $sp (mut i32) (i32.const 4096))
 (func (export "set") (param i32) (global.set $sp (local.get 0)))
 (func (export "get") (result i32) (global.get $sp))
 (func $frame (export "frame") (param i32) (result i32) (local i32)
   (local.set 1 (i32.sub (global.get $sp) (i32.const 16)))
   (global.set $sp (local.get 1))
   (i32.store offset=8 (local.get 1) (local.get 0))
   (i32.store offset=12 (local.get 1) (i32.add (local.get 0) (i32.const 1)))
   (local.set 0 (i32.add (i32.load offset=8 (local.get 1)) (i32.load offset=12 (local.get 1))))
   (global.set $sp (i32.add (local.get 1) (i32.const 16)))
   (local.get 0)))"""

STACK_POINTERS = [0, 8, 16, 24, 40, 4080, 4088, 4092, 4096, 4104, 4112, 65536, 65540,
                  STACK_FLOOR + PARAM_BOUND - 8, STACK_FLOOR + PARAM_BOUND,
                  STACK_FLOOR + PARAM_BOUND + 8, 0x80000000, 0xFFFFFFF0, 0xFFFFFFF8]


def _stack_wasmem(tier: str, sp: int) -> tuple[object, ...]:
    instance = wasmem.Instance(wasmem.Module(STACK), tier=tier)
    instance.exports["set"](sp)
    try:
        result: object = instance.exports["frame"](7) & 0xFFFFFFFF
    except wasmem.Trap:
        result = "trap"
    return (result, instance.exports["memory"].read(0, 65536),
            instance.exports["get"]() & 0xFFFFFFFF)


def _stack_wasmtime(sp: int) -> tuple[object, ...]:
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, STACK), [])
    exports = instance.exports(store)
    exports["set"](store, _signed(sp))
    try:
        result: object = exports["frame"](store, 7) & 0xFFFFFFFF
    except wasmtime.Trap:
        result = "trap"
    return (result, bytes(exports["memory"].read(store, 0, 65536)),
            exports["get"](store) & 0xFFFFFFFF)


def test_the_stack_pointer_is_bounded_at_entry() -> None:
    source = CompiledModule.of(wasmem.Module(STACK).ast).source(2) or ""
    assert f"if {stack_test(0)}: return n_unaligned(2)" in source, source
    assert "l1 = (G0 - 16)" in source and "G0 = (l1 + 16)" in source, source
    for sp in STACK_POINTERS:
        assert bool(eval(stack_test(0), {"G0": sp})) == (  # (our own text)
            sp % 8 != 0 or not STACK_FLOOR <= sp < STACK_FLOOR + PARAM_BOUND)


@pytest.mark.parametrize("sp", STACK_POINTERS)
def test_frames_agree_with_wasmtime(sp: int) -> None:
    expected = _stack_wasmtime(sp)
    assert _stack_wasmem("compile", sp) == expected
    assert _stack_wasmem("interpret", sp) == expected
