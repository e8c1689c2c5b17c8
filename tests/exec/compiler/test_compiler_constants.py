"""Locals that only ever hold one constant (``exec/compiler/constants.py``): their reads
become the literal and their assignments go, only when every read sees that constant.
Results checked against wasmtime (the oracle) and the interpreter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.constants import constant_locals
from wasmem.exec.compiler.tier import CompiledModule

wasmtime = pytest.importorskip("wasmtime")

# $o0: -O0 style (each constant its own local, one local.tee); $twice: a local given two
# constants; $early: a loop reads the local before its (constant) write; $arms: the same
# constant in both arms of an if; $callee/$caller: an inlined callee with constant locals
# whose indices the caller uses for other values; $wide: i64 constants
SOURCE = """(module
 (memory (export "memory") 1)
 (func $o0 (export "o0") (param i32) (result i32) (local i32 i32 i32 i32)
   i32.const 12
   local.set 1
   (local.set 2 (i32.add (local.get 0) (local.get 1)))
   (i32.store offset=4 (local.get 1) (local.get 2))
   (local.set 3 (i32.and (local.tee 4 (i32.const 255)) (local.get 2)))
   (i32.add (local.get 3) (i32.add (local.get 4) (i32.load offset=4 (local.get 1)))))
 (func $twice (export "twice") (param i32) (result i32) (local i32)
   (local.set 1 (i32.const 3))
   (if (local.get 0) (then (local.set 1 (i32.const 5))))
   (i32.mul (local.get 0) (local.get 1)))
 (func $early (export "early") (param i32) (result i32) (local i32 i32)
   (loop $again
     (local.set 2 (i32.add (local.get 2) (local.get 1)))
     (local.set 1 (i32.const 7))
     (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
   (local.get 2))
 (func $arms (export "arms") (param i32) (result i32) (local i32)
   (if (local.get 0) (then (local.set 1 (i32.const 9))) (else (local.set 1 (i32.const 9))))
   (i32.sub (local.get 1) (local.get 0)))
 (func $callee (param i32) (result i32) (local i32)
   (local.set 1 (i32.const 100))
   (i32.add (local.get 0) (local.get 1)))
 (func $caller (export "caller") (param i32) (result i32) (local i32)
   (local.set 1 (i32.const 1000))
   (i32.add (call $callee (local.get 0)) (local.get 1)))
 (func $wide (export "wide") (param i32) (result i64) (local i64 i64)
   (local.set 1 (i64.const 0x1_0000_0000))
   (local.set 2 (i64.const -1))
   (i64.add (i64.mul (i64.extend_i32_u (local.get 0)) (local.get 1)) (local.get 2))))"""

EXPORTS = ("o0", "twice", "early", "arms", "caller", "wide")


def test_constant_locals_are_found() -> None:
    module = wasmem.Module(SOURCE)
    bodies = [function.body for function in module.ast.functions]
    assert constant_locals(bodies[0], 1, set()) == {1: 12, 4: 255}
    assert constant_locals(bodies[1], 1, set()) == {}
    assert constant_locals(bodies[2], 1, {1, 2}) == {}
    assert constant_locals(bodies[3], 1, set()) == {1: 9}
    assert constant_locals(bodies[6], 1, set()) == {1: 0x1_0000_0000, 2: 0xFFFF_FFFF_FFFF_FFFF}
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None and "l1 =" not in source and "l4 =" not in source, source


def _wasmtime(name: str, arg: int) -> int | str:
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), [])
    try:
        result = instance.exports(store)[name](store, arg - (1 << 32) if arg >= 1 << 31 else arg)
    except wasmtime.Trap:
        return "trap"
    return int(result) & (0xFFFFFFFFFFFFFFFF if name == "wide" else 0xFFFFFFFF)


def _wasmem(tier: str, name: str, arg: int) -> int | str:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    try:
        result = instance.exports[name](arg)
    except wasmem.Trap:
        return "trap"
    return int(result) & (0xFFFFFFFFFFFFFFFF if name == "wide" else 0xFFFFFFFF)


@settings(max_examples=20, deadline=None)
@given(arg=st.one_of(st.integers(0, 20), st.integers(0, 0xFFFFFFFF)))
def test_agrees_with_wasmtime(arg: int) -> None:
    for name in EXPORTS:
        if name == "early":
            arg = arg % 50 + 1  # (a loop of that many rounds)
        expected = _wasmtime(name, arg)
        assert _wasmem("compile", name, arg) == expected, name
        assert _wasmem("interpret", name, arg) == expected, name
