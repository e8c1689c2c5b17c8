"""The code generator's pre-passes over function bodies (``exec/compiler/frames.py``).

``count_instructions`` and ``scan_targets`` count instructions, nested ones included,
exactly as :func:`wasmem.syntax.module.instruction_count` does; ``assigned_locals``
finds the locals a construct assigns, filling in its nested constructs on the way.
"""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec.compiler.frames import count_instructions, scan_targets
from wasmem.exec.compiler.ranges import assigned_locals
from wasmem.syntax.instructions import Block
from wasmem.syntax.module import instruction_count

NESTED = """
(module
  (func $f (param i32) (result i32) (local i32 i32)
    (block $out
      (loop $again
        (if (local.get 0)
          (then (local.set 1 (i32.const 1)) (br $again))
          (else (block (local.set 2 (i32.const 2))) (br $out)))))
    (local.get 1))
  (func $empty)
  (func $flat (result i32) (i32.add (i32.const 1) (i32.const 2))))
"""


@pytest.mark.parametrize("index", [0, 1, 2], ids=["nested", "empty", "flat"])
def test_counts_agree_with_instruction_count(index: int) -> None:
    body = wasmem.Module(NESTED).ast.functions[index].body
    assert count_instructions(body) == instruction_count(body)
    assert scan_targets(body).instruction_count == instruction_count(body)


def test_scan_finds_targets_and_nesting() -> None:
    body = wasmem.Module(NESTED).ast.functions[0].body
    scan = scan_targets(body)
    block = body[0]
    assert isinstance(block, Block)
    loop = block.body[0]
    assert scan.targeted == {id(block), id(loop)}
    assert (scan.max_depth, scan.max_loop_nesting, scan.tail_calls) == (4, 1, False)


def test_assigned_locals_fills_nested_constructs() -> None:
    body = wasmem.Module(NESTED).ast.functions[0].body
    block = body[0]
    assert isinstance(block, Block)
    loop = block.body[0]
    branch = loop.body[-1]
    inner = branch.else_body[0]
    cache: dict[int, frozenset[int]] = {}
    assert assigned_locals(block, cache) == {1, 2}
    assert cache[id(loop)] == {1, 2}
    assert cache[id(inner)] == {2}
    assert assigned_locals(inner, cache) == {2}
