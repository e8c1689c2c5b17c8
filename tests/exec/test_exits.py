"""Loop-only continuations (wasmem/exec/exits.py): a continuation that holds its loop
alone and exits to the interpreter, which resumes the activation at the loop's end or
at a label around it with the continuation's locals. Agreement with the interpreter on
generated functions (results, the global, traps and their backtraces)."""

from __future__ import annotations

from typing import Any

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from _docs import run_example
from wasmem.exec import exits, osr
from wasmem.exec.compiler.context import ModuleContext
from wasmem.syntax.opcodes import Op

from test_osr import _loops, _opcodes, programs, tiered_and_interpreted

AFTER = """(module
  (global $g (mut i32) (i32.const 0))
  (func (export "f") (param $x i32) (result i32 i64) (local $i i32) (local $j i64)
    (global.set $g (i32.const 5))
    (block $out
      (if (local.get $x)
        (then
          (loop $l
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $j (i64.add (local.get $j) (i64.const 3)))
            (if (i32.and (i32.eq (local.get $x) (i32.const 9))
                         (i32.eq (local.get $i) (i32.const 20)))
              (then (return (i32.const 1000) (local.get $j))))
            (if (i32.eq (local.get $x) (i32.const 41))  ;; traps at i = 10, compiled
              (then (drop (i32.div_u (i32.const 1) (i32.sub (local.get $i) (i32.const 10))))))
            (br_if $out (i32.gt_u (local.get $i) (i32.const 40)))
            (br_if $l (i32.or (i32.lt_u (local.get $i) (i32.const 30))
                              (i32.eq (local.get $x) (i32.const 2)))))
          (global.set $g (i32.add (global.get $g) (local.get $i))))
        (else (global.set $g (i32.const 99))))
      (global.set $g (i32.mul (global.get $g) (i32.const 3))))
    (if (i32.eq (local.get $x) (i32.const 5)) (then (unreachable)))
    (i32.add (global.get $g) (local.get $i)) (local.get $j)))"""


@pytest.fixture
def loop_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exits, "LOOP_ONLY", True)


def _made_loop_only(instance: wasmem.Instance) -> int:
    return sum(1 for (_, ordinal), code in instance._instance.tier.continuations.items()
               if code is not None and ordinal < 0)


def test_the_continuation_holds_the_loop_alone() -> None:
    module = wasmem.Module(AFTER).ast
    ctx = ModuleContext.of(module)
    (loop,) = _loops(module.functions[0].body)
    assert osr.loop_only(ctx, 0, loop)
    context, index = osr.continuation_context(ctx, 0, loop, exits=True)
    function = context.module.functions[index]
    opcodes = _opcodes(function.body)
    assert Op.GLOBAL_SET not in opcodes and Op.UNREACHABLE not in opcodes
    assert opcodes.count(Op.LOOP) == 1 and Op.IF in opcodes  # (the loop's own if)
    ftype = context.function_types[index]
    # the function's results, the exit's number, the parameter and the locals
    assert [str(t) for t in ftype.results] == ["i32", "i64", "i32", "i32", "i32", "i64"]


def test_no_loop_only_form_around_a_block_with_results() -> None:
    text = """(module (func (export "f") (param i32) (result i32)
      (block (result i32) (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0)
        (i32.const 1))))) (i32.const 7))))"""
    module = wasmem.Module(text).ast
    (loop,) = _loops(module.functions[0].body)
    assert not osr.loop_only(ModuleContext.of(module), 0, loop)


def _run(module: wasmem.Module, tier: str, arg: int) -> tuple[Any, int, int]:
    instance = wasmem.Instance(module, tier=tier)
    try:
        out: Any = instance.exports["f"](arg)
    except wasmem.Trap as trap:
        out = ("trap", str(trap), list(trap.frames))
    made = _made_loop_only(instance) if tier == "tiered" else 0
    return out, instance.exports["g"].value if "g" in instance.exports else 0, made


@pytest.mark.usefixtures("loop_only")
@pytest.mark.parametrize("arg", [0, 1, 2, 5, 9, 41])
def test_exits_resume_where_the_interpreter_goes(arg: int) -> None:
    """Falling out of the loop, branching out of the if around it, returning from it,
    a trap after the exit (its backtrace: the interpreter's) and one in the loop."""
    module = wasmem.Module(AFTER.replace("(module", "(module (export \"g\" (global 0))", 1))
    got, want = _run(module, "tiered", arg), _run(module, "interpret", arg)
    assert got[:2] == want[:2]
    assert arg not in (5, 41) or got[0][0] == "trap"
    if arg:
        assert got[2] == 1  # the loop ran its third iteration compiled, loop-only


@settings(max_examples=80, deadline=None)
@given(programs(), st.integers(0, 2**31 - 1))
def test_loop_only_continuations_agree_with_the_interpreter(text: str, x: int) -> None:
    """As test_osr's agreement test, loop-only: each exit (after the loop, to each
    label around it) resumes the interpreter there with the continuation's locals (the
    result reads the parameter the loops change, the global records the order)."""
    with mock.patch.object(exits, "LOOP_ONLY", True):
        got, want, made = tiered_and_interpreted(text, x, _made_loop_only)
    assert got == want
    assert made


def test_the_example_of_docs_engine_runs(capsys: pytest.CaptureFixture[str]) -> None:
    _, output = run_example("engine.md", "`WASMEM_LOOP_EXITS=1` asks for")
    assert capsys.readouterr().out == output
