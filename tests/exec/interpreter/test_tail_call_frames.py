"""A trap in a function reached by ``return_call`` from an interpreted function shows
the callee's frame (the caller was replaced), in every tier as in wasmtime."""

from __future__ import annotations

import pytest

import wasmem

TEXT = """(module
  (func $a (export "a") (param i32) (result i32) (return_call $b (local.get 0)))
  (func $b (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func $many (export "many") (param i32) (result i32)
    (return_call $nine (local.get 0) (i32.const 1) (i32.const 2) (i32.const 3)
      (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8)))
  (func $nine (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (return_call $b (local.get 0)))
  (func $loop (export "loop") (param i32) (result i32)
    (if (local.get 0) (then (return_call $loop (i32.sub (local.get 0) (i32.const 1)))))
    (return_call $b (local.get 0))))"""


@pytest.mark.parametrize("tier", ["interpret", "compile", "tiered"])
@pytest.mark.parametrize("export", ["a", "many", "loop"])
def test_trap_after_return_call_shows_the_callee(tier: str, export: str) -> None:
    instance = wasmem.Instance(wasmem.Module(TEXT), tier=tier)
    with pytest.raises(wasmem.Trap) as caught:
        instance.exports[export](0 if export != "loop" else 3)
    frames = [(frame.function_name, frame.line, frame.column)
              for frame in caught.value.frames]
    assert frames == [("b", 3, 38)]
