"""``i32`` rotations and arithmetic right shifts by constants (``exec/compiler/
emit_numeric.py``'s ``_shift``): a rotation is one multiplication by ``2**32 + 1`` and one
shift, unreduced inside xor/add chains (SHA-256's ``Σ`` functions) and narrow stores; a
``shr_s`` of a value known non-negative is the logical shift, otherwise unreduced too.
The compiled code must agree with the interpreter and with wasmtime for every count, also
0 and counts of 32 and more (taken modulo 32)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasmem.exec.compiler.tier import CompiledModule

COUNTS = (0, 1, 2, 6, 13, 16, 22, 25, 31, 32, 33, 63, -1)

BODIES = {
    **{f"rotl{k}": f"(i32.rotl (local.get 0) (i32.const {k}))" for k in COUNTS},
    **{f"rotr{k}": f"(i32.rotr (local.get 0) (i32.const {k}))" for k in COUNTS},
    "sigma": "(i32.xor (i32.xor (i32.rotr (local.get 0) (i32.const 2)) (i32.rotr (local.get 0)"
             " (i32.const 13))) (i32.rotr (local.get 0) (i32.const 22)))",
    "round": "(i32.add (i32.add (local.get 0) (i32.rotl (i32.mul (local.get 0) (i32.const"
             " 0x9E3779B1)) (i32.const 13))) (i32.rotr (i32.xor (local.get 0) (i32.const -1))"
             " (i32.const 7)))",
    "nested": "(i32.rotl (i32.rotr (i32.add (local.get 0) (i32.const 0x7FFFFFFF))"
              " (i32.const 9)) (i32.const 17))",
    "shifted": "(i32.shr_u (i32.rotl (local.get 0) (i32.const 5)) (i32.const 3))",
    "arith": "(i32.shr_s (i32.and (local.get 0) (i32.const 0x7FFFFFF0)) (i32.const 3))",
    "arith_any": "(i32.add (i32.shr_s (local.get 0) (i32.const 7)) (i32.shr_s (local.get 0)"
                 " (i32.const 31)))",
    "arith_store": "(i32.store8 (i32.const 4) (i32.shr_s (local.get 0) (i32.const 4)))"
                   " (i32.load (i32.const 4))",
    "stored": "(i32.store8 (i32.const 8) (i32.rotl (local.get 0) (i32.const 12)))"
              " (i32.store16 (i32.const 10) (i32.rotr (local.get 0) (i32.const 3)))"
              " (i32.load (i32.const 8))",
}


def _module() -> str:
    funcs = [f'(func (export "{name}") (param i32) (result i32) {body})'
             for name, body in BODIES.items()]
    return "(module (memory 1) " + " ".join(funcs) + ")"


MODULE = _module()


def test_rotations_multiply(engines: tuple[Any, Any, Any]) -> None:
    compiled = CompiledModule.of(engines[2].ast)
    sources = {name: compiled.source(index) or "" for index, name in enumerate(BODIES)}
    assert sources["sigma"].count("4294967297") == 3, sources["sigma"]
    assert sources["sigma"].count(" & ") == 1, sources["sigma"]  # one reduction
    assert "_w" not in sources["nested"], sources["nested"]
    assert "0x80000000" not in sources["arith"], sources["arith"]
    assert sources["arith_any"].count(" & ") == 1, sources["arith_any"]


@settings(max_examples=150, deadline=None)
@given(x=st.one_of(st.integers(0, 0xFFFFFFFF), st.sampled_from(
    [0, 1, 0x80000000, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000001, 0xDEADBEEF])))
def test_agrees_with_the_interpreter(engines: tuple[Any, Any, Any], x: int) -> None:
    compiled, interpreted, _ = engines
    signed = x - (1 << 32) if x >= 1 << 31 else x
    for name in BODIES:
        assert compiled[name](signed) == interpreted[name](signed), name


def test_agrees_with_wasmtime(engines: tuple[Any, Any, Any]) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    theirs = wasmtime.Instance(store, wasmtime.Module(store.engine, MODULE), []).exports(store)
    compiled = engines[0]
    for x in (0, 1, 2, 0x8000_0000, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x1234_5678, 0xDEAD_BEEF,
              0x0000_FFFF, 0xFFFF_0000, 0x5555_5555, 0xAAAA_AAAA):
        signed = x - (1 << 32) if x >= 1 << 31 else x
        for name in BODIES:
            mine = compiled[name](signed)
            mine = mine - (1 << 32) if mine >= 1 << 31 else mine
            assert mine == theirs[name](store, signed), (name, hex(x))
