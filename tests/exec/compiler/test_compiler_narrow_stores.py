"""Narrow stores of unreduced integer chains (``exec/compiler/emit_memory.py``): the chain
is exact modulo its type's width, so the store's own mask is the only reduction; the
bytes written must be the interpreter's for any operands (negative raw values too)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

SOURCE = """(module (memory (export "memory") 1)
 (func (export "s") (param i32 i32) (result i32)
   (i32.store8 (i32.const 0) (i32.add (i32.mul (local.get 0) (local.get 1)) (i32.const 97)))
   (i32.store16 (i32.const 2) (i32.sub (local.get 0) (i32.mul (local.get 1) (i32.const 3))))
   (i64.store32 (i32.const 8)
     (i64.add (i64.extend_i32_u (local.get 0)) (i64.const 0xFFFFFFFFFF)))
   (i64.store8 (i32.const 16)
     (i64.sub (i64.extend_i32_u (local.get 1)) (i64.extend_i32_u (local.get 0))))
   (i32.store16 offset=1 (i32.const 20) (i32.shl (local.get 0) (i32.const 5)))
   (i32.xor (i32.load (i32.const 0))
     (i32.xor (i32.load (i32.const 8))
       (i32.xor (i32.load (i32.const 16)) (i32.load (i32.const 20)))))))"""


def test_one_mask_per_narrow_store() -> None:
    source = CompiledModule.of(wasmem.Module(SOURCE).ast).source(0)
    assert source is not None
    assert "& 4294967295) & 0xFF" not in source, source
    assert "M0[0] = ((l0 * l1) + 97) & 0xFF" in source, source


@settings(max_examples=40, deadline=None)
@given(a=st.integers(-(1 << 31), (1 << 31) - 1), b=st.integers(-(1 << 31), (1 << 31) - 1))
def test_narrow_stores_agree_with_the_interpreter(a: int, b: int) -> None:
    module = wasmem.Module(SOURCE)
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    assert compiled.exports["s"](a, b) == interpreted.exports["s"](a, b)
    assert compiled.exports["memory"].read(0, 32) == interpreted.exports["memory"].read(0, 32)
