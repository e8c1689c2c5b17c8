"""``call_indirect`` in compiled code (``exec/compiler/emit_calls.py``): a compiled callee
gets the call depth as an argument (its ``__defaults__`` is ``ENTRY_DEFAULTS``), any other
callee (host functions, the interpreter, another instance) reads it from the thread's
counters; a table whose maximum is its minimum is bounds-checked against a constant.
Depth limits, trap messages and backtraces must not change."""

from __future__ import annotations

import bisect

import pytest

import wasmem
from wasmem.exec import callstack
from wasmem.exec.compiler.tier import CompiledModule
from wasmem.syntax.types import I32

NOPS = "nop " * 50  # too large to inline

SOURCE = f"""(module
 (import "host" "twice" (func $twice (param i32) (result i32)))
 (type $t (func (param i32) (result i32)))
 (type $u (func (param i32 i32) (result i32)))
 (table $fixed 6 6 funcref)
 (elem (table $fixed) (i32.const 0) func $rec $leaf $twice $pair $nonleaf)
 (table $grow 1 funcref)
 (func $rec (export "rec") (param i32) (result i32) {NOPS}
   local.get 0 i32.eqz if (result i32) i32.const 0
   else local.get 0 i32.const 1 i32.sub i32.const 0 call_indirect $fixed (type $t)
        i32.const 1 i32.add end)
 (func $leaf (param i32) (result i32) local.get 0 i32.const 7 i32.mul)
 (func $pair (param i32 i32) (result i32) local.get 0 local.get 1 i32.sub)
 (func $nonleaf (param i32) (result i32) {NOPS}
   local.get 0 i32.const 1 call_indirect $fixed (type $t) i32.const 1 i32.add)
 (func (export "via") (param i32 i32) (result i32)
   local.get 1 local.get 0 call_indirect $fixed (type $t))
 (func (export "via2") (param i32 i32 i32) (result i32)
   local.get 1 local.get 2 local.get 0 call_indirect $fixed (type $u))
 (func (export "grown") (param i32) (result i32)
   ref.func $leaf i32.const 3 table.grow $grow drop
   local.get 0 i32.const 2 call_indirect $grow (type $t))
 (func $div (export "div") (param i32) (result i32)
   i32.const 100 local.get 0 i32.div_u)
 (elem (table $fixed) (i32.const 5) func $div)
 (func (export "trap_in_callee") (param i32) (result i32)
   local.get 0 i32.const 5 call_indirect $fixed (type $t)))
"""


def instance(tier: str, twice=lambda x: 2 * x) -> wasmem.Instance:
    imports = {"host": {"twice": wasmem.Function(twice, [I32], [I32])}}
    return wasmem.Instance(wasmem.Module(SOURCE), imports=imports, tier=tier)


def outcome(call, *args: int) -> object:
    try:
        return call(*args)
    except wasmem.Trap as trap:
        return (type(trap).__name__, str(trap),
                [(f.function_index, f.line, f.column) for f in trap.frames])


def test_the_generated_call_passes_the_depth_to_compiled_callees() -> None:
    source = CompiledModule.of(wasmem.Module(SOURCE).ast).source(1)
    assert source is not None
    assert "if T0_" not in source and " < 6 else n_indirect(TI0" in source, source
    assert ".__defaults__ is n_dd" in source and "_d + 1)" in source, source
    assert "n_local.counters.depth = _d" in source, source
    grown = CompiledModule.of(wasmem.Module(SOURCE).ast).source(7)
    assert grown is not None and "< len(T1)" in grown, grown


@pytest.mark.parametrize("tier", ["compile", "tiered", "interpret"])
def test_callees_of_every_kind(tier: str) -> None:
    exports = instance(tier).exports
    assert exports["via"](1, 6) == 42  # compiled leaf
    assert exports["via"](2, 6) == 12  # host function
    assert exports["via"](4, 6) == 43  # non-leaf, calling through the table again
    assert exports["via2"](3, 10, 4) == 6
    assert exports["grown"](5) == 35  # a growable table: its length is read


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_traps_keep_their_messages(tier: str) -> None:
    exports = instance(tier).exports
    for args, message in (((6, 1), "undefined element"), ((7, 1), "undefined element"),
                          ((3, 1), "indirect call type mismatch"),
                          ((2 ** 32 - 1, 1), "undefined element")):
        with pytest.raises(wasmem.Trap, match=message):
            exports["via"](*args)


def test_a_trap_in_the_callee_has_the_same_backtrace_in_both_tiers() -> None:
    compiled = outcome(instance("compile").exports["trap_in_callee"], 0)
    interpreted = outcome(instance("interpret").exports["trap_in_callee"], 0)
    assert compiled == interpreted
    assert isinstance(compiled, tuple) and "divide by zero" in compiled[1]
    assert len(compiled[2]) == 2


def exhausts(function, n: int) -> bool:
    try:
        function(n)
    except wasmem.Exhaustion:
        return True
    return False


def deepest(function) -> int:
    """The largest argument for which ``function`` returns (the calls exhaust the stack
    from some argument on)."""
    arguments = range(callstack.MAX_CALL_DEPTH + 10)
    return bisect.bisect_left(arguments, True, key=lambda n: exhausts(function, n)) - 1


def test_recursion_through_the_table_ends_at_the_same_depth_in_every_tier() -> None:
    depths = {tier: deepest(instance(tier).exports["rec"])
              for tier in ("compile", "interpret", "tiered")}
    assert len(set(depths.values())) == 1, depths
    assert callstack.MAX_CALL_DEPTH - 5 <= depths["compile"] <= callstack.MAX_CALL_DEPTH


def test_a_host_function_in_the_table_sees_the_published_depth() -> None:
    """A host function that re-enters WebAssembly: the depth it was called at counts."""
    seen: list[int] = []

    def twice(x: int) -> int:
        seen.append(callstack.counters().depth)
        return 2 * x

    exports = instance("compile", twice).exports
    assert exports["via"](2, 5) == 10
    assert seen and seen[-1] >= 1
