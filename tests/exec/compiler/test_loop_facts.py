"""Counters nonzero at a loop's header (``exec/compiler/loop_facts.py``) and additions
of a negative constant that cannot wrap (``emit_numeric._wrapping``).

A count tested nonzero before its loop, decremented in it and branched back on only
while nonzero (``do { ... } while (--n)`` as clang writes it) is decremented with a plain
``n - 1``; where the count may be zero at entry, where another branch goes back to the
loop, or where the back edges test different locals, the translation keeps its
wrap-around. Every case agrees with the interpreter (and wasmtime) at the edges."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

_BOUND = """(br_if 1 (i32.gt_u (local.get 1) (i32.const 5000)))
        (br_if 1 (i32.gt_u (local.get 0) (i32.const 100000000)))"""
"""Exits (not back edges) that bound every loop below whatever the count does; the
second also tells a count that wrapped to ``2**32 - 1`` from one that went negative."""


def _counted(name: str, test: str, back: str, body: str = "") -> str:
    """``acc`` summed over a count ``n`` (local 0) that a loop decrements; ``test`` is
    what runs before the loop, ``back`` the loop's last instructions."""
    return f"""
  (func (export "{name}") (param i32) (result i32) (local i32 i32)
    (block
      {test}
      (loop
        (local.set 1 (i32.add (local.get 1) (i32.add (local.get 0) (i32.const 3))))
        {_BOUND}
        {body}
        {back}))
    (i32.xor (local.get 1) (i32.mul (local.get 0) (i32.const 7919))))"""


def _upto(name: str, test: str, start: str = "(i32.const 0)", step: str = "") -> str:
    """An index (local 1) counted up from ``start`` while ``test`` holds at the back
    edge (after ``step``), summed into local 2."""
    return f"""
  (func (export "{name}") (param i32) (result i32) (local i32 i32)
    (local.set 1 {start})
    (block
      (loop
        (local.set 2 (i32.add (local.get 2) (i32.and (local.get 1) (i32.const 7))))
        (br_if 1 (i32.gt_u (local.get 2) (i32.const 20000)))
        {step}
        (br_if 0 {test})))
    (i32.xor (local.get 2) (i32.mul (local.get 1) (i32.const 7919))))"""


_TESTED = "(br_if 0 (i32.eqz (local.get 0)))"
_TEE = "(br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const -1))))"
_GET = "(local.set 0 (i32.add (local.get 0) (i32.const -1))) (br_if 0 (local.get 0))"
_SUB = "(br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))"

SOURCE = "(module" + "".join((
    _counted("tee", _TESTED, _TEE),
    _counted("get", _TESTED, _GET),
    _counted("sub", _TESTED, _SUB),
    # a back edge from inside a nested construct, on the same local
    _counted("nested", _TESTED, _TEE,
             body="(if (i32.and (local.get 1) (i32.const 1)) (then "
                  "(br_if 1 (local.get 0))))"),
    # not nonzero at entry: the count wraps from 0 to 2**32 - 1
    _counted("untested", "", _TEE),
    # another back edge, unconditional: the count may be anything there
    _counted("unconditional", _TESTED, _TEE,
             body="(if (i32.eq (local.get 0) (i32.const 4)) (then "
                  "(local.set 0 (i32.const 0)) (br 1)))"),
    # back edges on two different locals
    _counted("two_locals", _TESTED, _TEE,
             body="(local.set 2 (i32.and (local.get 1) (i32.const 1))) "
                  "(local.set 0 (i32.add (local.get 0) (i32.const -1))) "
                  "(br_if 0 (local.get 2))"),
    # a br_table back to the loop
    _counted("table", _TESTED, _TEE,
             body="(block (br_table 0 1 (i32.and (local.get 1) (i32.const 1))))"),
    _upto("upto", "(i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) "
                  "(local.get 0))"),
    _upto("upto_const", "(i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 4))) "
                        "(i32.const 100))"),
    _upto("upto_gt", "(i32.gt_u (local.get 0) (local.get 1))",
          step="(local.set 1 (i32.add (local.get 1) (i32.const 1)))"),
    # signed: -1 passes the test and its successor wraps
    _upto("upto_signed", "(i32.lt_s (local.tee 1 (i32.add (local.get 1) (i32.const 1))) "
                         "(local.get 0))"),
    # the start is not bounded: 2**32 - 1 + 1 wraps to 0, below the bound
    _upto("from_start", "(i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) "
                        "(i32.const 4000))", start="(local.get 0)"),
    # counted down by 16 while above 15, and entered at 16 or more
    _counted("by16", "(br_if 0 (i32.lt_u (local.get 0) (i32.const 16)))",
             "(br_if 0 (i32.gt_u (local.tee 0 (i32.add (local.get 0) (i32.const -16))) "
             "(i32.const 15)))"),
    # ... and entered at 8 or more: 8 - 16 wraps
    _counted("by16_from8", "(br_if 0 (i32.lt_u (local.get 0) (i32.const 8)))",
             "(br_if 0 (i32.gt_u (local.tee 0 (i32.add (local.get 0) (i32.const -16))) "
             "(i32.const 15)))"),
    """
  (func (export "above") (param i32) (result i32)
    (if (i32.ge_u (local.get 0) (i32.const 56))
      (then (return (i32.add (local.get 0) (i32.const -56)))))
    (i32.add (local.get 0) (i32.const -56)))
  (func (export "below") (param i32) (result i32)
    (if (i32.lt_u (local.get 0) (i32.const 100))
      (then (return (i32.sub (local.get 0) (i32.const -5)))))
    (i32.sub (local.get 0) (i32.const -5)))""",
)) + "\n)"

LOOPS = ("tee", "get", "sub", "nested", "untested", "unconditional", "two_locals", "table")
PLAIN = ("tee", "get", "sub", "nested")
"""The loops whose decrement of ``l0`` needs no wrap-around."""

EDGES = [0, 1, 2, 3, 4, 5, 6, 17, 55, 56, 57, 99, 100, 101, 2**31 - 1, 2**31, 2**32 - 1]


UPTO = ("upto", "upto_const", "upto_gt", "upto_signed", "from_start")
BY16 = ("by16", "by16_from8")
NAMES = (*LOOPS, *UPTO, *BY16, "above", "below")


def _table(tier: str, values: list[int]) -> dict[str, list[int]]:
    """Every export's unsigned result for each of ``values`` in one instance of ``tier``
    (the loops are bounded and nothing traps)."""
    exports = wasmem.Instance(wasmem.Module(SOURCE), tier=tier).exports
    return {name: [exports[name](v) & 0xFFFFFFFF for v in values] for name in NAMES}


def test_edges_agree_with_the_interpreter() -> None:
    compiled, interpreted = _table("compile", EDGES), _table("interpret", EDGES)
    for name in NAMES:
        assert compiled[name] == interpreted[name], name


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=6))
def test_random_counts_agree_with_the_interpreter(values: list[int]) -> None:
    assert _table("compile", values) == _table("interpret", values)


SOURCES = CompiledModule.of(wasmem.Module(SOURCE).ast)


@pytest.mark.parametrize("name", LOOPS)
def test_only_a_count_nonzero_on_every_edge_drops_the_wrap(name: str) -> None:
    text = SOURCES.source(NAMES.index(name)) or ""
    assert ("l0 >= 1 else" not in text) is (name in PLAIN), text
    assert ("(l0 - 1)" in text) is (name in PLAIN), text


@pytest.mark.parametrize("name", UPTO)
def test_an_index_below_a_bound_on_every_edge_is_incremented_without_wrap(name: str) -> None:
    text = SOURCES.source(NAMES.index(name)) or ""
    plain = name in ("upto", "upto_const", "upto_gt")
    assert ("l1 < 42949672" not in text) is plain, text


@pytest.mark.parametrize("name", BY16)
def test_a_count_above_a_bound_on_every_edge_is_decremented_without_wrap(name: str) -> None:
    text = SOURCES.source(NAMES.index(name)) or ""
    assert ("(l0 - 16)" in text) is (name == "by16"), text


def test_a_negative_constant_within_range_is_a_plain_operation() -> None:
    above, below = (SOURCES.source(NAMES.index(n)) or "" for n in ("above", "below"))
    assert "(l0 - 56)" in above and "(l0 + 5)" in below
    # (outside the tested range the wrap-around stays)
    assert "4294967240" in above and "4294967291" in below


def tier_table(source: str, names: list[str] | tuple[str, ...], tier: str, values: list[int]
               ) -> dict[str, list[int]]:
    """Each export of ``names`` of module ``source`` (i32 -> i32) in one instance of
    ``tier``, called with each of ``values``, its results unsigned."""
    exports = wasmem.Instance(wasmem.Module(source), tier=tier).exports
    return {name: [exports[name](v) & 0xFFFFFFFF for v in values] for name in names}


def stepped_without_wrap(source: str, names: list[str] | tuple[str, ...], name: str) -> bool:
    """Whether the translation of export ``name`` (by its index in ``names``) of module
    ``source`` steps its counter without the wrap-around's ``else``."""
    text = CompiledModule.of(wasmem.Module(source).ast).source(names.index(name)) or ""
    return "else l1 " not in text


def wasmtime_table(source: str, names: list[str] | tuple[str, ...], values: list[int]
                   ) -> dict[str, list[int]]:
    """Each export of ``names`` of module ``source`` (i32 -> i32) called by wasmtime with
    each of ``values`` (unsigned), its results unsigned; the test skips without wasmtime."""
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    exports = wasmtime.Instance(store, wasmtime.Module(store.engine, source), []).exports(store)
    signed = [v - 2**32 if v >= 2**31 else v for v in values]
    return {name: [exports[name](store, v) & 0xFFFFFFFF for v in signed] for name in names}


def test_edges_agree_with_wasmtime() -> None:
    assert _table("compile", EDGES) == wasmtime_table(SOURCE, NAMES, EDGES)
