"""``wasmem.syntax.record.replace``: what ``dataclasses.replace`` does on a node, without
importing ``dataclasses`` (on-stack replacement rewrites nodes with it)."""

from __future__ import annotations

import dataclasses

import pytest

import wasmem
from wasmem.syntax.instructions import Block, Instruction
from wasmem.syntax.opcodes import Op
from wasmem.syntax.record import replace
from wasmem.syntax.types import I32

_MODULE = wasmem.Module("""(module
  (memory 1)
  (func (export "f") (param i32) (result i32)
    (block (result i32) (local.get 0) (br_if 0 (local.get 0)) (drop) (i32.const 7))))""")


def test_replace_agrees_with_dataclasses_replace() -> None:
    block = Block(Op.BLOCK, (I32,), body=(Instruction(Op.NOP, ()),),
                  else_body=(Instruction(Op.DROP, ()),))
    changed = replace(block, body=())
    assert changed == dataclasses.replace(block, body=())
    assert changed.else_body == block.else_body and changed.immediates == block.immediates
    assert type(changed) is Block
    branch = Instruction(Op.BR, (2,))
    assert replace(branch, immediates=(3,)) == dataclasses.replace(branch, immediates=(3,))
    module = _MODULE.ast
    renamed = replace(module, functions=module.functions[:0])
    assert renamed == dataclasses.replace(module, functions=module.functions[:0])
    assert renamed.memories == module.memories and renamed.functions == ()
    function = module.functions[0]  # (decoded lazily or not: the same fields)
    assert replace(function, locals=(I32,)) == dataclasses.replace(function, locals=(I32,))


def test_replace_refuses_unknown_fields() -> None:
    with pytest.raises(TypeError):
        replace(Instruction(Op.NOP, ()), colour="red")
