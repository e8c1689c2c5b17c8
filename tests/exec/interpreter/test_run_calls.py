"""Direct calls that run their interpreted callee in their own frame
(``inline._run_call_lines``): the same results, traps, backtraces, call depth and
fuel as calling the callee's entry, and any other callable bound to the callee later
(a host function, a translated one) called as before."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec import callstack
from wasmem.exec.interpreter import ENTRY_ATTRIBUTE, InstanceCode, interpreter_callable

TEXT = """(module
  (func $leaf (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  (func $mid (param i32 i32) (result i32)
    (i32.add (call $leaf (local.get 0)) (local.get 1)))
  (func (export "top") (param i32) (result i32) (call $mid (local.get 0) (i32.const 7)))
  (func $pair (param i32) (result i32 i32) (local.get 0) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "pair") (param i32) (result i32)
    (call $pair (local.get 0)) (i32.sub))
  (global $g (mut i32) (i32.const 0))
  (func $bump (param i32) (global.set $g (i32.add (global.get $g) (local.get 0))))
  (func (export "bumps") (param i32) (result i32)
    (call $bump (local.get 0)) (call $bump (i32.const 1)) (global.get $g))
  (func $tail (param i32) (result i32) (return_call $leaf (local.get 0)))
  (func (export "tail") (param i32) (result i32) (call $tail (local.get 0)))
  (func $down (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (call $down (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
      (else (i32.const 0))))
  (func (export "down") (param i32) (result i32) (call $down (local.get 0)))
  (func $catching (param i32) (result i32)
    (block $h
      (try_table (catch_all $h) (return (call $leaf (local.get 0)))))
    (i32.const -1))
  (func (export "catching") (param i32) (result i32) (call $catching (local.get 0))))"""


def _instance(tier: str = "interpret", fuel: int | None = None) -> wasmem.Instance:
    module = wasmem.Module(TEXT)
    if fuel is None:
        return wasmem.Instance(module, tier=tier)
    return wasmem.Instance(module, tier=tier, fuel=fuel)


@pytest.mark.parametrize("tier", ["interpret", "tiered", "compile"])
def test_results_of_direct_calls(tier: str) -> None:
    exports = _instance(tier).exports
    assert exports["top"](4) == 25 + 7
    assert exports["pair"](5) in (-10, (5 - 15) & 0xFFFFFFFF)
    assert exports["bumps"](4) == 5
    assert exports["tail"](3) == 33
    assert exports["down"](300) == 300
    assert exports["catching"](10) == 10
    assert callstack.counters().depth == 0


@pytest.mark.parametrize("export", ["top", "tail"])
def test_trap_frames_match_the_compiling_tier(export: str) -> None:
    frames = {}
    for tier in ("interpret", "compile"):
        with pytest.raises(wasmem.Trap) as caught:
            _instance(tier).exports[export](0)
        frames[tier] = [(f.function_name, f.line, f.column) for f in caught.value.frames]
        assert callstack.counters().depth == 0
    assert frames["interpret"] == frames["compile"]
    assert frames["interpret"][0][0] == "leaf"


def test_runaway_recursion_is_exhaustion_and_the_depth_comes_back() -> None:
    exports = _instance().exports
    with pytest.raises(wasmem.Exhaustion):
        exports["down"](50_000)
    assert callstack.counters().depth == 0
    assert exports["down"](50) == 50


def test_fuel_is_charged_as_by_the_entries() -> None:
    counts = []
    for fuel in (10_000, 10_000):
        instance = _instance(fuel=fuel)
        assert instance.exports["top"](4) == 32
        counts.append(instance.fuel_consumed)
    assert counts[0] == counts[1] > 0
    with pytest.raises(wasmem.FuelExhausted):
        _instance(fuel=3).exports["top"](4)


def test_a_callee_bound_to_another_callable_later_is_called() -> None:
    instance = _instance()
    exports = instance.exports
    assert exports["top"](4) == 32  # every call closure linked, running $leaf itself
    inner = instance._instance
    leaf = inner.functions[0]
    entry = leaf.call
    state, index = getattr(entry, ENTRY_ATTRIBUTE)
    assert index == 0 and state.entries[0] is entry  # one entry per function and state
    if InstanceCode.of(inner) is state:
        assert interpreter_callable(inner, 0) is entry
    seen: list[tuple[int, int]] = []

    def host(value: int) -> int:
        seen.append((value, callstack.counters().depth))
        callstack.counters().depth += 5  # as a translated callee leaves its own depth
        return entry(value) + 1

    leaf.call = host
    assert exports["top"](4) == 33
    assert seen and seen[0][0] == 4
    assert callstack.counters().depth == 0
    leaf.call = entry
    assert exports["top"](4) == 32
    assert state.entries[0] is entry
