"""Equality and hashing of deeply nested blocks stay iterative (no RecursionError)."""

from __future__ import annotations

import sys

import wasmem
from wasmem.syntax.instructions import Block, Instruction
from wasmem.syntax.opcodes import Op

DEPTH = 4 * sys.getrecursionlimit()


def nested(depth: int, innermost: tuple[Instruction, ...] = ()) -> Block:
    """``depth`` blocks, one inside the other, around ``innermost``."""
    block = Block(Op.BLOCK, (None,), body=innermost)
    for _ in range(depth - 1):
        block = Block(Op.BLOCK, (None,), body=(block,))
    return block


def test_deep_blocks_compare_and_hash_without_recursion() -> None:
    a, b = nested(DEPTH), nested(DEPTH)
    assert a == b
    assert hash(a) == hash(b)
    c = nested(DEPTH, (Instruction(Op.NOP),))
    assert a != c
    assert nested(DEPTH, (Instruction(Op.NOP),)) == c


def test_block_equality_still_looks_at_else_bodies_and_class() -> None:
    one = Block(Op.IF, (None,), body=(Instruction(Op.NOP),), else_body=())
    other = Block(Op.IF, (None,), body=(), else_body=(Instruction(Op.NOP),))
    assert one != other
    assert hash(one) != hash(other) or one != other
    assert Block(Op.BLOCK, (None,)) != Instruction(Op.BLOCK, (None,))
    assert Block(Op.BLOCK, (None,), label="$a") == Block(Op.BLOCK, (None,), label="$b")


def test_deeply_nested_modules_compare_equal() -> None:
    depth = 3000
    text = "(module (func " + "(block " * depth + ")" * depth + "))"
    assert wasmem.Module(text).ast == wasmem.Module(text).ast
    other = "(module (func " + "(block " * depth + "nop" + ")" * depth + "))"
    assert wasmem.Module(text).ast != wasmem.Module(other).ast
