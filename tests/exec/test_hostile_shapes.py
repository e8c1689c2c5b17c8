"""Shapes that used to make translation quadratic: right results in both tiers.

Tall operand stacks under blocks and local writes, and many locals under deep nesting.

The interpreter's decoder no longer rescans the whole symbolic stack at each block entry
(``materialize_all``) or ``local.set`` (``spill_local``), and the compiler hands functions
with stacks taller than MAX_STACK_HEIGHT to the interpreter; these shapes check that the
values are still right, against wasmtime where it is installed.
"""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec.compiler.stack import MAX_STACK_HEIGHT

TIERS = ("interpret", "compile")


def both_tiers(source: str, *args: int) -> list[object]:
    module = wasmem.Module(source)
    return [wasmem.Instance(module, tier=tier).exports["f"](*args) for tier in TIERS]


def wasmtime_result(source: str, *args: int) -> object:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, source), [])
    return instance.exports(store)["f"](store, *args)


@pytest.mark.parametrize("height", [10, MAX_STACK_HEIGHT, MAX_STACK_HEIGHT + 1, 3000])
def test_values_under_many_blocks(height: int) -> None:
    # constants and local reads stay symbolic until a block entry forces them into slots
    pushes = "".join(f"(i32.const {k}) (local.get 0) " for k in range(height))
    blocks = "(block " * height + "(local.set 0 (i32.const 1000))" + ")" * height
    adds = "i32.add " * (2 * height - 1)
    source = (f'(module (func (export "f") (param i32) (result i32) {pushes} {blocks} '
              f"{adds}))")
    expected = (sum(range(height)) + height * 5) & 0xFFFFFFFF
    assert both_tiers(source, 5) == [expected, expected]


@pytest.mark.parametrize("height", [3, MAX_STACK_HEIGHT + 10, 2000])
def test_local_set_keeps_the_values_read_before(height: int) -> None:
    # every local.get 0 below must keep the value 0 had when it was read
    source = ('(module (func (export "f") (param i32) (result i32) (local i32) '
              + "(local.get 0) " * height
              + "(local.set 0 (i32.const 100)) (local.set 1 (local.get 0)) "
              + "(i32.add (local.get 1)) " + "i32.add " * (height - 1) + "))")
    expected = (height * 7 + 100) & 0xFFFFFFFF
    assert both_tiers(source, 7) == [expected, expected]
    assert wasmtime_result(source, 7) == expected


def test_interleaved_locals_spill_exactly() -> None:
    n = 500
    reads = "".join(f"(local.get {k % 3}) " for k in range(n))
    writes = "".join(f"(local.set {k % 3} (i32.const {k})) " for k in range(6))
    source = ('(module (func (export "f") (param i32 i32 i32) (result i32) '
              + reads + writes + "i32.add " * (n - 1) + "))")
    expected = sum((1, 2, 3)[k % 3] for k in range(n)) & 0xFFFFFFFF
    assert both_tiers(source, 1, 2, 3) == [expected, expected]
    assert wasmtime_result(source, 1, 2, 3) == expected


@pytest.mark.parametrize("height", [4, 300])
def test_block_and_loop_params_over_a_tall_stack(height: int) -> None:
    # constants become block and loop parameters: they must be in their registers when
    # a branch jumps back with new values
    source = ('(module (type $t (func (param i32 i32) (result i32))) '
              '(func (export "f") (param i32) (result i32) '
              + "(i32.const 1) " * height
              + "(i32.const 0) (i32.const 3) "
              + "(loop $l (type $t) "
              + "(local.set 0 (i32.add (local.get 0) (i32.const 1))) "
              + "(i32.add) (local.get 0) "
              + "(br_if $l (i32.lt_u (local.get 0) (i32.const 10))) (i32.add)) "
              + "(block (param i32) (result i32) (i32.const 2) (i32.mul)) "
              + "i32.add " * height + "))")
    expected = wasmtime_result(source, 0)
    assert both_tiers(source, 0) == [expected, expected]


def test_positions_popped_after_a_block_entry_are_materialised_again() -> None:
    # the block entry puts 40 and 2 in their registers; after the drops the same stack
    # positions hold new constants, which the loop entry must store again
    source = ('(module (type $t (func (param i32 i32) (result i32))) '
              '(func (export "f") (param i32) (result i32) '
              "(i32.const 40) (i32.const 2) (block) drop drop "
              "(i32.const 0) (i32.const 3) "
              "(loop $l (type $t) "
              "(local.set 0 (i32.add (local.get 0) (i32.const 1))) "
              "(i32.add) (local.get 0) "
              "(br_if $l (i32.lt_u (local.get 0) (i32.const 10))) (i32.add))))")
    expected = wasmtime_result(source, 0)
    assert both_tiers(source, 0) == [expected, expected]


@pytest.mark.parametrize(("depth", "count"), [(30, 40), (2100, 2000)])
def test_many_locals_under_deep_nesting(depth: int, count: int) -> None:
    # the compiler's range facts cost depth x locals: beyond FACTS_BUDGET the function
    # runs on the interpreter, with the same results
    sets = "".join(f"(local.set {k} (i32.add (local.get {k}) (i32.const {k})))"
                   for k in range(1, count))
    reads = "(local.get 0)" + "".join(f"(i32.add (local.get {k}))" for k in range(1, count))
    source = (f'(module (func (export "f") (param i32) (result i32) (local {"i32 " * count})'
              + "(block " * depth + sets + ")" * depth + reads + "))")
    expected = (5 + sum(range(1, count))) & 0xFFFFFFFF
    assert both_tiers(source, 5) == [expected, expected]
