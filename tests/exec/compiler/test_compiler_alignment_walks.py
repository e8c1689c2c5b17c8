"""The alignment facts with and without the stack pointer tested at entry, found in one
walk (``exec/compiler/alignment.py``, ``_both_alignments``): the values read at entry
are a pseudo-local resolved to 8 for one answer and to 1 for the other. Both answers
must equal those of the two separate walks (``local_alignments`` with and without the
entry reads), and an ``and`` whose rule tells the two apart makes it give up."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec.compiler.alignment import _both_alignments, local_alignments
from wasmem.exec.compiler.entry_alignment import entry_reads, function_alignments
from wasmem.exec.compiler.context import ModuleContext

# each function reads the global $sp in its prologue, then derives locals from it in
# the ways the rules distinguish: sums, shifts, products, select, masks, loops
SOURCE = """(module
 (memory 1)
 (global $sp (mut i32) (i32.const 4096))
 (func $sum (param i32) (local i32 i32 i32)
   (local.set 1 (i32.sub (global.get $sp) (i32.const 32)))
   (local.set 2 (i32.add (local.get 1) (i32.const 4)))
   (local.set 3 (i32.add (local.get 1) (local.get 0)))
   (loop $l (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 16)))
                                (i32.const 100)))))
 (func $shifted (local i32 i32 i64)
   (local.set 0 (i32.shl (global.get $sp) (i32.const 2)))
   (local.set 1 (i32.mul (global.get $sp) (i32.const 3)))
   (local.set 2 (i64.extend_i32_u (i32.mul (i32.const 4) (global.get $sp))))
   (loop $l (br_if $l (i32.eqz (local.get 0)))))
 (func $selected (param i32) (local i32 i32)
   (local.set 1 (select (global.get $sp) (i32.const 64) (local.get 0)))
   (local.set 2 (i32.xor (local.get 1) (global.get $sp)))
   (loop $l (br_if $l (i32.eqz (local.get 2)))))
 (func $masked (local i32 i32)
   (local.set 0 (i32.and (global.get $sp) (i32.const -16)))
   (local.set 1 (i32.and (local.get 0) (i32.const 7)))
   (loop $l (br_if $l (i32.eqz (local.get 1)))))
 (func $ambiguous (param i32) (local i32)
   (local.set 1 (i32.and (global.get $sp) (local.get 0)))
   (loop $l (br_if $l (i32.eqz (local.get 1)))))
)"""


def _functions() -> tuple[ModuleContext, list[int]]:
    module = wasmem.Module(SOURCE).ast
    return ModuleContext.of(module), list(range(len(module.functions)))


@pytest.mark.parametrize("position", range(4))
def test_one_walk_gives_what_the_two_walks_give(position: int) -> None:
    ctx, _ = _functions()
    function = ctx.module.functions[position]
    ftype = ctx.function_types[ctx.imported_functions + position]
    found = entry_reads(ctx, function)
    assert found is not None
    both = _both_alignments(ctx, function, ftype, found[1])
    assert both == (local_alignments(ctx, function, ftype, found[1]),
                    local_alignments(ctx, function, ftype))


def test_the_pseudo_local_is_resolved_per_answer() -> None:
    ctx, _ = _functions()
    function = ctx.module.functions[0]  # $sum: l1 = sp - 32, then += 16 in a loop
    found = entry_reads(ctx, function)
    assert found is not None
    tested, plain = _both_alignments(ctx, function, ctx.function_types[0], found[1]) or ({}, {})
    assert tested.get(1) == 8 and tested.get(2) == 4 and 3 not in tested
    assert plain == {}


def test_an_and_that_tells_the_walks_apart_gives_up() -> None:
    ctx, _ = _functions()
    function = ctx.module.functions[4]  # $ambiguous: sp & (a parameter)
    ftype = ctx.function_types[4]
    found = entry_reads(ctx, function)
    assert found is not None
    assert _both_alignments(ctx, function, ftype, found[1]) is None
    # and function_alignments then makes the two walks
    facts = function_alignments(ctx, function, ftype, True, True)
    assert facts.locals == local_alignments(ctx, function, ftype, found[1])
    assert facts.guard == 0
