"""The walks of tail duplication (``exec/compiler/tails.py``) remember, per state they
pass, where they ended and in how many steps (``_Walk._landing``): a later walk through
the same state ends the same way when it has the steps left, and fails as the walk
itself would when it has not (``MAX_STEPS`` bounds each walk). These tests compare the
pass with a walk that remembers nothing, on bodies the translator generates and on
random switch bodies with small step budgets (where the budget decides)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_compiler_tails import ENDINGS, TAILS, _body, switch_loop

import wasmem
from wasmem.exec.compiler import codegen, tails
from wasmem.exec.compiler.tier import CompiledModule


class _Forgetful(dict[Any, Any]):
    """A memo that stores nothing: every walk runs from its start."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


class _PlainWalk(tails._Walk):
    def __init__(self, lines: list[str], levels: list[int] | None = None) -> None:
        super().__init__(lines, levels)
        self.known = _Forgetful()


def _both(lines: list[str], escapes_only: bool,
          monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The pass's result with the memo and without it."""
    remembered = tails.duplicate_tails(list(lines), escapes_only)
    with monkeypatch.context() as patch:
        patch.setattr(tails, "_Walk", _PlainWalk)
        plain = tails.duplicate_tails(list(lines), escapes_only)
    return remembered, plain


def _escapes(depth: int, exits: int) -> str:
    """Nested blocks, each followed by its own code, left at every level by ``br_if``
    to outer levels, and a short return at the end (clang's ``goto out``: the escapes
    of the ninth round). Deeper branches come later and take more steps to the states
    the walks of shallower ones passed."""
    text = ['(module (func (export "run") (param $x i32) (result i32)']
    for k in range(depth):
        text.append(f' (block $b{k}')
        for j in range(exits):
            value = k * exits + j
            text.append(f'  (br_if {(k * 7 + j * 3) % (k + 1)} (i32.eq (local.get $x)'
                        f' (i32.const {value})))')
    for k in reversed(range(depth)):
        text.append(f' ) (local.set $x (i32.mul (local.get $x) (i32.const {k + 3})))')
    text.append(' (i32.add (local.get $x) (i32.const 1))))')
    return "\n".join(text)


@pytest.mark.parametrize("text", [switch_loop(12, 40), switch_loop(80, 3), _escapes(9, 4),
                                  _escapes(30, 3)],
                         ids=["switch12", "switch80", "escapes9", "escapes30"])
def test_translated_bodies_are_rewritten_as_without_the_memo(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines the translator gives the pass (switches and escapes) come out the same
    with and without the memo, in both of the pass's modes; and the pass changed them."""
    seen: list[list[str]] = []
    real = tails.duplicate_tails

    def record(lines: list[str], escapes_only: bool = False,
               levels: list[int] | None = None) -> Any:
        seen.append(list(lines))
        return real(lines, escapes_only, levels)

    monkeypatch.setattr(codegen, "duplicate_tails", record)
    source = CompiledModule.of(wasmem.Module(text).ast).source(0)
    assert source is not None and seen
    monkeypatch.undo()
    for steps in (tails.MAX_STEPS, *range(2, 40, 3)):  # (small: the budget decides)
        monkeypatch.setattr(tails, "MAX_STEPS", steps)
        for lines in seen:
            for escapes_only in (False, True):
                remembered, plain = _both(lines, escapes_only, monkeypatch)
                assert remembered == plain, steps
    monkeypatch.undo()
    assert any(tails.duplicate_tails(lines, escapes_only)[1]
               for lines in seen for escapes_only in (False, True))


@settings(max_examples=60, deadline=None)
@given(cases=st.lists(st.tuples(st.sampled_from(ENDINGS), st.booleans(), st.booleans()),
                      min_size=1, max_size=14),
       tail=st.integers(0, len(TAILS) - 1), seed=st.integers(0, 1000), bare=st.booleans(),
       steps=st.integers(1, 40))
def test_small_step_budgets_decide_as_without_the_memo(
        cases: list[tuple[str, bool, bool]], tail: int, seed: int, bare: bool,
        steps: int) -> None:
    """With a budget of a few steps some walks run out of it: a walk reaching a state
    remembered from a shorter walk must still fail when it has fewer steps left."""
    lines = _body(random.Random(seed), cases, TAILS[tail], bare)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tails, "MAX_STEPS", steps)
        for escapes_only in (False, True):
            remembered, plain = _both(lines, escapes_only, patch)
            assert remembered == plain
