"""The facts a translation keeps about its locals (:mod:`wasmem.exec.compiler.local_facts`)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from wasmem.exec.compiler.local_facts import LocalFacts
from wasmem.exec.compiler.stack import Entry, const_entry
from wasmem.syntax.instructions import Block
from wasmem.text import parse_module


def _facts(prefix: str = "l") -> LocalFacts:
    facts = LocalFacts()
    facts.local_prefix = prefix
    facts.local_ranges = {}
    facts.local_align = {}
    facts.assigned_cache = {}
    return facts


def test_names_follow_the_scope_prefix() -> None:
    assert _facts().local_name(3) == "l3"
    assert _facts("i2_").local_name(0) == "i2_0"
    entry = _facts("i2_").local_entry(5)
    assert entry.expr == "i2_5" and entry.refs == frozenset({"i2_5"})


def test_entry_carries_known_range_and_alignment() -> None:
    facts = _facts()
    facts.local_ranges[1] = (4, 40)
    facts.local_align[1] = 8
    entry = facts.local_entry(1)
    assert (entry.lo, entry.hi, entry.align) == (4, 40, 8)
    unknown = facts.local_entry(2)
    assert (unknown.lo, unknown.hi, unknown.align) == (None, None, 1)


@given(st.integers(0, 2**32 - 1))
def test_set_local_range_keeps_constants_and_forgets_unknowns(value: int) -> None:
    facts = _facts()
    facts.set_local_range(0, const_entry(value))
    assert facts.local_ranges[0] == (value, value)
    facts.set_local_range(0, Entry("s0", frozenset({"s0"})))
    assert 0 not in facts.local_ranges


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_learning_a_local_is_true_narrows_to_nonzero(lo: int, span: int) -> None:
    facts = _facts()
    facts.local_ranges[0] = (lo, lo + span)
    cond = facts.local_entry(0)
    facts.learn(cond, True)
    got = facts.local_ranges[0]
    assert got == (max(lo, 1), lo + span) if lo + span >= 1 else got == (lo, lo + span)


def test_learning_ignores_other_scopes() -> None:
    facts = _facts("i1_")
    facts.learn(Entry("l0", frozenset({"l0"})), True)
    assert facts.local_ranges == {}


def test_facts_after_drop_what_the_construct_assigns() -> None:
    module = parse_module("(module (func (param i32 i32 i32) (block "
                          "(local.set 1 (i32.const 7)) (drop (local.get 2)))))")
    block = module.functions[0].body[0]
    assert isinstance(block, Block)
    facts = _facts()
    before = {0: (0, 9), 1: (0, 9), 2: (1, 1)}
    assert facts.facts_after(before, block) == {0: (0, 9), 2: (1, 1)}
    assert facts.facts_after({}, block) == {}
    assert facts.facts_after({0: (2, 3)}, block) == {0: (2, 3)}
