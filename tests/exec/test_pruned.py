"""Whole-function units without the blocks never entered (wasmem/exec/pruned.py): a unit
made at a function's promotion exits to the interpreter at each edge into a part the
interpreter had not entered, which resumes the activation there with the unit's locals;
exits taken often make a new unit. Agreement with the interpreter on generated
functions (results, the global recording the order of effects, traps and backtraces)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec import exits, pruned
from wasmem.exec import interpreter
from wasmem.exec.interpreter import decode


@pytest.fixture
def cold_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The switch on, for any function size (tests' functions are small)."""
    monkeypatch.setattr(exits, "COLD_EXITS", True)
    monkeypatch.setattr(decode, "COLD_EXITS", True)
    monkeypatch.setattr(interpreter, "LAZY_LINKING", 0)
    monkeypatch.setattr(pruned, "MIN_CLOSURES", 0)
    monkeypatch.setattr(pruned, "MIN_LEFT_OUT", 0.0)
    monkeypatch.setattr(pruned, "EXITS_TO_RETRANSLATE", 2)
    monkeypatch.setattr(pruned, "MAX_UNITS", 2)


def _effect(counter: list[int]) -> str:
    counter[0] += 1
    return (f"(global.set $g (i32.add (i32.mul (global.get $g) (i32.const 31)) "
            f"(i32.const {counter[0]})))")


@st.composite
def _statement(draw: st.DrawFn, depth: int, counter: list[int]) -> str:
    kinds = ["assign", "assign", "trap", "return"] + (["if", "switch", "loop"] if depth < 3 else [])
    kind = draw(st.sampled_from(kinds))
    bit = 1 << draw(st.integers(0, 11))
    if kind == "assign":
        k = draw(st.integers(-50, 50))
        target = draw(st.sampled_from(["$a", "$b", "$x"]))
        return (f"(local.set {target} (i32.add (local.get {target}) (i32.const {k}))) "
                + _effect(counter))
    if kind == "trap":  # a trap with its own position, taken for some arguments only
        return (f"(if (i32.eq (i32.and (local.get $x) (i32.const {bit | 1})) "
                f"(i32.const {bit | 1})) (then (drop (i32.div_u (local.get $a) "
                f"(i32.and (local.get $x) (i32.const 0x1000))))))")
    if kind == "return":
        return (f"(if (i32.and (local.get $x) (i32.const {bit})) (then (return "
                f"(i32.add (local.get $a) (local.get $b)))))")
    if kind == "loop":
        label = f"$l{counter[0]}"
        return (f"(local.set $i (i32.const 0)) (loop {label} "
                f"{draw(_sequence(depth + 1, counter))} "
                f"(local.set $i (i32.add (local.get $i) (i32.const 1))) "
                f"(br_if {label} (i32.lt_u (local.get $i) (i32.const 2))))")
    if kind == "if":
        return (f"(if (i32.and (local.get $x) (i32.const {bit})) "
                f"(then {draw(_sequence(depth + 1, counter))}) "
                f"(else {draw(_sequence(depth + 1, counter))}))")
    shift = draw(st.integers(0, 10))  # a switch: the cases after the ends of blocks
    cases = [draw(_sequence(depth + 1, counter)) for _ in range(3)]
    return (f"(block $e (block $c2 (block $c1 (block $c0 (br_table $c0 $c1 $c2 "
            f"(i32.rem_u (i32.shr_u (local.get $x) (i32.const {shift})) (i32.const 3)))) "
            f"{cases[0]} (br $e)) {cases[1]} (br $e)) {cases[2]})")


@st.composite
def _sequence(draw: st.DrawFn, depth: int, counter: list[int]) -> str:
    return " ".join(draw(st.lists(_statement(depth, counter), min_size=1, max_size=3)))


@st.composite
def programs(draw: st.DrawFn) -> str:
    """A function ``f(x)`` of ifs, switches and loops on the bits of ``x``, changing
    its locals and parameter, recording its path in global ``g``."""
    counter = [0]
    body = draw(_sequence(0, counter))
    return f"""(module (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "f") (param $x i32) (result i32) (local $a i32) (local $b i32) (local $i i32)
    {_effect(counter)}
    {body}
    (i32.add (i32.mul (local.get $a) (i32.const 7)) (i32.add (local.get $b) (local.get $x)))))"""


def _units(instance: wasmem.Instance) -> int:
    return sum(1 for (_, key), code in instance._instance.tier.continuations.items()
               if code is not None and key <= pruned._KEY_BASE)


def _calls(text: str, args: list[int], tier: str) -> tuple[list[Any], int]:
    """Each of ``args`` in turn on one instance: results (or trap messages and frames),
    the global after each; and the units the instance made (a module of the same text
    in an earlier example is not reused: its heat would promote the function whole)."""
    from wasmem.load import cached
    cached._LOADED_HERE.clear()
    instance = wasmem.Instance(wasmem.Module(text), tier=tier)
    out: list[Any] = []
    for arg in args:
        try:
            out.append(instance.exports["f"](arg))
        except wasmem.Trap as trap:
            out.append(("trap", str(trap), list(trap.frames)))
        out.append(instance.exports["g"].value)
    return out, _units(instance) if tier == "tiered" else 0


@pytest.mark.usefixtures("cold_exits")
@settings(max_examples=25, deadline=None)
@given(programs(), st.lists(st.integers(0, 2**13 - 1), min_size=2, max_size=8))
def test_units_agree_with_the_interpreter(text: str, args: list[int]) -> None:
    """The first calls run interpreted (the tests' budgets, scaled by the function's
    size), the one after makes the unit of what they reached; the later calls exit
    where they go elsewhere (two exits make a new unit, two units the whole function)."""
    args = (args * 8)[:max(12, len(args))]  # (a bigger function waits more calls)
    got, made = _calls(text, args, "tiered")
    want, _ = _calls(text, args, "interpret")
    assert got == want
    # (a unit unless there is nothing to leave out, or a loop's continuation renewed
    # the function's call budget: .tiering)
    assert made or "(loop" in text or not any(c in text for c in ("(if", "(block"))


SWITCH = """(module (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "f") (param $x i32) (result i32) (local $a i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (block $e (block $c2 (block $c1 (block $c0 (br_table $c0 $c1 $c2 (local.get $x)))
          (local.set $a (i32.const 10)) (br $e))
        (local.set $a (i32.div_u (i32.const 20) (i32.sub (local.get $x) (i32.const 1))))
        (br $e))
      (local.set $a (i32.const 30)))
    (global.set $g (i32.mul (global.get $g) (i32.const 3)))
    (i32.add (local.get $a) (local.get $x))))"""


@pytest.mark.usefixtures("cold_exits")
def test_a_unit_leaves_out_the_cases_not_run() -> None:
    """Case 0 ran interpreted; the unit (second call) holds it and exits at cases 2 and
    1 (the trap in case 1, reached by an exit, has the interpreter's backtrace); those
    two exits make a second unit, which the last call runs."""
    got, made = _calls(SWITCH, [0, 0, 2, 1, 0], "tiered")
    want, _ = _calls(SWITCH, [0, 0, 2, 1, 0], "interpret")
    assert got == want
    assert got[6][0] == "trap"
    assert made == 2
