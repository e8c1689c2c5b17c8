"""Continuations (wasmem/exec/osr.py): what they leave out, and agreement with the
interpreter on generated functions whose loops sit at any depth of blocks, ifs and loops."""

from __future__ import annotations

from collections.abc import Callable

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec import osr
from wasmem.exec.compiler.context import ModuleContext
from wasmem.syntax.instructions import Block
from wasmem.syntax.opcodes import Op

NESTED = """(module
  (global $g (mut i32) (i32.const 0))
  (func (export "f") (param $x i32) (result i32) (local $i i32)
    (global.set $g (i32.const 5))
    (block $out
      (if (local.get $x)
        (then
          (global.set $g (i32.add (global.get $g) (i32.const 1)))
          (loop $l
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $out (i32.gt_u (local.get $i) (i32.const 50)))
            (br $l)))
        (else (global.set $g (i32.const 99)))))
    (i32.add (global.get $g) (local.get $i))))"""


def _loops(body: tuple[object, ...]) -> list[Block]:
    found: list[Block] = []
    work = [body]
    while work:
        for ins in work.pop():
            if isinstance(ins, Block):
                if ins.opcode == Op.LOOP:
                    found.append(ins)
                work += [ins.body, ins.else_body]
    return found


def _opcodes(body: tuple[object, ...]) -> list[int]:
    out: list[int] = []
    work = [body]
    while work:
        for ins in work.pop():
            out.append(ins.opcode)  # type: ignore[attr-defined]
            if isinstance(ins, Block):
                work += [ins.body, ins.else_body]
    return out


@pytest.mark.parametrize("dropped", [True, False])
def test_a_continuation_outside_loops_leaves_out_what_cannot_run(
        monkeypatch: pytest.MonkeyPatch, dropped: bool) -> None:
    monkeypatch.setattr(osr, "DEAD_PARTS_DROPPED", dropped)
    module = wasmem.Module(NESTED).ast
    ctx = ModuleContext.of(module)
    function = module.functions[0]
    (loop,) = _loops(function.body)
    context, index = osr.continuation_context(ctx, 0, loop)
    body = context.module.functions[index].body
    opcodes = _opcodes(body)
    if dropped:  # no prefix, no if (a block of its then arm), the else arm gone
        assert Op.IF not in opcodes and Op.GLOBAL_SET not in opcodes  # all precede it
        assert [ins.opcode for ins in body[:1]] == [Op.BLOCK]
    else:
        assert Op.IF in opcodes and opcodes.count(Op.GLOBAL_SET) == 3


def _statement(draw: st.DrawFn, depth: int, labels: list[str], counters: list[int],
               loops: bool = True) -> str:
    kinds = ["global", "local", "exit"] + (["block", "if"] if depth < 3 else []) \
        + (["loop"] if depth < 3 and loops else [])
    kind = draw(st.sampled_from(kinds))
    k = draw(st.integers(1, 9))
    if kind == "global":
        return f"(global.set $g (i32.add (i32.mul (global.get $g) (i32.const 3)) (i32.const {k})))"
    if kind == "local":
        return f"(local.set $x (i32.xor (local.get $x) (i32.shl (global.get $g) (i32.const {k}))))"
    if kind == "exit":
        if not labels:
            return "(nop)"
        label = draw(st.sampled_from(labels))
        return f"(br_if {label} (i32.eq (i32.and (global.get $g) (i32.const 15)) (i32.const {k})))"
    name = f"$L{len(counters)}_{depth}_{k}"
    counters.append(draw(st.integers(1, 5)))
    exits = labels if kind == "loop" else [*labels, name]  # (a loop's label: no exit)
    inner = " ".join(_sequence(draw, depth + 1, exits, counters, loops))
    if kind == "block":
        return f"(block {name} {inner})"
    if kind == "if":
        other = " ".join(_sequence(draw, depth + 1, exits, counters, loops))
        return (f"(if {name} (i32.and (local.get $x) (i32.const {k})) (then {inner}) "
                f"(else {other}))")
    c = f"$c{len(counters) - 1}"
    return (f"(local.set {c} (i32.const 0)) (loop {name} {inner} "
            f"(local.set {c} (i32.add (local.get {c}) (i32.const 1))) "
            f"(br_if {name} (i32.lt_u (local.get {c}) (i32.const {counters[-1] + 2}))))")


def _sequence(draw: st.DrawFn, depth: int, labels: list[str], counters: list[int],
              loops: bool = True) -> list[str]:
    return [_statement(draw, depth, labels, counters, loops)
            for _ in range(draw(st.integers(0, 3)))]


def _hot(draw: st.DrawFn, depth: int, labels: list[str], counters: list[int]) -> str:
    """A path of blocks, ifs (the arm holding the path always taken) and loops of two
    iterations down to a loop of eight, the first to get hot: no loop runs before it."""
    prefix = " ".join(_sequence(draw, depth, labels, counters, loops=False))
    suffix = " ".join(_sequence(draw, depth, labels, counters))
    n = len(counters)
    kind = "hot" if depth == 3 else draw(st.sampled_from(["hot", "block", "then", "else", "loop"]))
    name = f"$P{n}"
    counters.append(0)
    count = f"(local.set $c{n} (i32.add (local.get $c{n}) (i32.const 1)))"
    if kind == "hot":
        body = " ".join(_sequence(draw, depth + 1, labels, counters, loops=False))
        return (f"{prefix} (local.set $c{n} (i32.const 0)) (loop {name} {body} {count} "
                f"(br_if {name} (i32.lt_u (local.get $c{n}) (i32.const 8)))) {suffix}")
    if kind == "loop":  # (its header reached twice: within the loop budget of two)
        inner = _hot(draw, depth + 1, labels, counters)
        return (f"{prefix} (local.set $c{n} (i32.const 0)) (loop {name} {inner} {count} "
                f"(br_if {name} (i32.lt_u (local.get $c{n}) (i32.const 2)))) {suffix}")
    inner = _hot(draw, depth + 1, [*labels, name], counters)
    if kind == "block":
        return f"{prefix} (block {name} {inner}) {suffix}"
    other = " ".join(_sequence(draw, depth + 1, [*labels, name], counters, loops=False))
    if kind == "then":
        return (f"{prefix} (if {name} (i32.or (local.get $x) (i32.const 1)) (then {inner}) "
                f"(else {other})) {suffix}")
    return (f"{prefix} (if {name} (i32.and (local.get $x) (i32.const 0)) (then {other}) "
            f"(else {inner})) {suffix}")


@st.composite
def programs(draw: st.DrawFn) -> str:
    """A function of nested blocks, ifs and counted loops with side effects before,
    between and after them (the global, the parameter), and exits out of them."""
    counters: list[int] = []
    body = _hot(draw, 0, [], counters)
    last = len(counters)  # a loop at the top after it all: every call makes a continuation
    body += f" (local.set $c{last} (i32.const 0)) (loop $last (global.set $g (i32.add " \
            f"(global.get $g) (i32.const 1))) (local.set $c{last} (i32.add (local.get " \
            f"$c{last}) (i32.const 1))) (br_if $last (i32.lt_u (local.get $c{last}) " \
            "(i32.const 6))))"
    counters.append(4)
    locals_ = " ".join(f"(local $c{i} i32)" for i in range(len(counters)))
    return f"""(module (global $g (mut i32) (i32.const 1))
      (func (export "f") (param $x i32) (result i32) {locals_}
        {body}
        (i32.add (global.get $g) (local.get $x))))"""


def _continuations_made(instance: wasmem.Instance) -> int:
    """How many continuations a tiered instance made."""
    return sum(1 for code in instance._instance.tier.continuations.values()
               if code is not None)


def tiered_and_interpreted(text: str, x: int, made: Callable[[wasmem.Instance], int]
                           ) -> tuple[list[int], list[int], int]:
    """Export ``f`` of module ``text`` called with ``x``, ``x ^ 0x55`` and 0, each on a
    new instance: (the tiered results, the interpreted results, the sum of ``made`` over
    the tiered instances). Raises what the module or the calls raise."""
    module = wasmem.Module(text)
    got: list[int] = []
    want: list[int] = []
    count = 0
    for tier, out in (("tiered", got), ("interpret", want)):
        for arg in (x, x ^ 0x55, 0):
            instance = wasmem.Instance(module, tier=tier)
            out.append(instance.exports["f"](arg))
            if tier == "tiered":
                count += made(instance)
    return got, want, count


@settings(max_examples=60, deadline=None)
@given(programs(), st.integers(0, 2**31 - 1), st.booleans())
def test_continuations_agree_with_the_interpreter(text: str, x: int, dropped: bool) -> None:
    """Each call on a new instance (the tests' budgets: a loop continues compiled at its
    third iteration), with or without the dropped parts; the result and the global agree
    with the interpreter's."""
    with mock.patch.object(osr, "DEAD_PARTS_DROPPED", dropped):
        got, want, made = tiered_and_interpreted(text, x, _continuations_made)
    assert got == want
    assert made  # (the last loop's, at least)
