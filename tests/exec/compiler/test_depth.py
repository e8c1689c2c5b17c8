"""The call depth in generated code (exec/compiler/depth.py): what compiled code publishes
for a host function, directly, from an inlined callee or through a table, is the true
depth at every depth (below DEEP, and from DEEP on where the value carries HELD), the
same as the interpreter's."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec import callstack
from wasmem.exec.compiler import depth

SOURCE = """(module
  (import "env" "h" (func $h (param i32)))
  (type $v (func (param i32)))
  (table 1 funcref) (elem (i32.const 0) $h)
  (func $inlined (param i32) (call $h (local.get 0)))
  (func $r (export "r") (param $n i32) (param $how i32)
    (if (i32.eqz (local.get $n))
      (then
        (if (i32.eqz (local.get $how)) (then (call $h (i32.const 0))))
        (if (i32.eq (local.get $how) (i32.const 1)) (then (call $inlined (i32.const 1))))
        (if (i32.eq (local.get $how) (i32.const 2))
          (then (call_indirect (type $v) (i32.const 2) (i32.const 0)))))
      (else (call $r (i32.sub (local.get $n) (i32.const 1)) (local.get $how))))))
"""

NS = (0, 3, callstack.DEEP - 3, callstack.DEEP - 1, callstack.DEEP, callstack.DEEP + 5, 300)


def _depths(tier: str, export: str) -> list[int]:
    seen: list[int] = []
    instance = wasmem.Instance(wasmem.Module(SOURCE),
                               {"env": {"h": lambda how: seen.append(
                                   callstack.counters().depth)}}, tier=tier)
    for n in NS:
        for how in (0, 1, 2):
            instance.exports[export](n, how)
    return seen


def test_published_depths_are_the_interpreters() -> None:
    compiled = _depths("compile", "r")
    assert compiled == _depths("interpret", "r")
    assert max(compiled) > callstack.DEEP + callstack.HELD  # (held values were published)


def test_prologues_and_call_sites_are_python() -> None:
    for weight in (1, 2, 40):
        lines = ["def F0(l0, _d=0):", *depth.prologue(weight),
                 f"    {depth.published(0)}", f"    {depth.published(2)}",
                 f"    return {depth.argument(2)}"]
        compile("\n".join(lines), "<prologue>", "exec")
    with pytest.raises(ValueError):
        depth.argument(depth.MAX_STEP)


def _statement_prologue(weight: int) -> list[str]:
    """The prologue as ``if``/``else`` statements (what :func:`depth.prologue` gave
    before its choices became conditional expressions): the definition it is checked
    against."""
    deep, held, limit = callstack.DEEP, callstack.HELD, callstack.MAX_CALL_DEPTH
    if weight == 1:
        return [f"    if _d >= {deep} and (_d < {deep + held} or _d > {limit + held}):",
                f"        if _d < {deep + held} and n_limit.raised:",
                f"            _d += {held}",
                "        else:",
                "            _d = n_held(_d)"]
    step = weight - 1
    return [f"    if {deep + held} <= _d <= {limit + held - step} or _d < {deep - step}:",
            f"        _d += {step}",
            "    else:",
            f"        _d = n_held(_d, {weight})"]


def _run_prologue(lines: list[str], d: int, raised: bool) -> tuple[int, list[Any]]:
    """The depth value a function with the prologue ``lines`` goes on with when passed
    ``d``, and the calls its prologue made (``n_held`` stands in, recording them)."""
    calls: list[Any] = []

    def held(value: int, weight: int = 1) -> int:
        calls.append((value, weight))
        return value * 3 + weight
    namespace = {"n_held": held, "n_limit": SimpleNamespace(raised=raised)}
    exec(compile("\n".join(["def F0(_d):", *lines, "    return _d"]), "<prologue>",
                 "exec"), namespace)
    return namespace["F0"](d), calls


@settings(max_examples=400, deadline=None)
@given(weight=st.sampled_from((1, 2, 3, 7, 40, 200)), raised=st.booleans(),
       d=st.one_of(st.integers(0, callstack.MAX_CALL_DEPTH + 2 * callstack.HELD + 10),
                   st.sampled_from((callstack.ENTRY_DEPTH, callstack.DEEP - 1,
                                    callstack.DEEP, callstack.DEEP + callstack.HELD - 1,
                                    callstack.DEEP + callstack.HELD,
                                    callstack.MAX_CALL_DEPTH + callstack.HELD,
                                    callstack.MAX_CALL_DEPTH + callstack.HELD + 1))))
def test_prologue_is_the_statement_form(weight: int, raised: bool, d: int) -> None:
    """The prologue's conditional expressions go on with the same depth value, and call
    ``n_held`` with the same arguments, as the statements they replaced, at any value
    passed and either state of the raised limit."""
    assert _run_prologue(depth.prologue(weight), d, raised) == \
        _run_prologue(_statement_prologue(weight), d, raised)


def test_prologue_lines() -> None:
    """Two lines for a frame of weight 1, one for a heavier one (the statement form had
    five and four)."""
    assert len(depth.prologue(1)) == 2
    assert len(depth.prologue(5)) == 1
