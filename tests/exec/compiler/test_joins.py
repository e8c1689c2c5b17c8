"""Range facts at the end of a ``block``, ``if`` or ``loop`` joined over the paths that
reach it (``exec/compiler/joins``): a guard clause before a count-down loop.

Each function guards its parameter (local 0) with one shape of construct, copies it to a
counter (local 1) and counts the counter down to zero (``local.tee 1 (n - 1); br_if``),
summing into local 2 and leaving after 3,000 rounds (local 3); the result uses the
counter. Where every path to the construct's end has the parameter nonzero, the first
step cannot wrap and is a plain subtraction; where some path lets 0 through (a
fall-through, a ``br`` or ``br_table`` edge that bounds nothing), the step keeps the
wrap-around, and with 0 the counter goes from 0 to ``2**32 - 1``, so a dropped wrap would
give another result. Every case agrees with the interpreter and with wasmtime at edge
and hypothesis values."""

from __future__ import annotations


import wasmem
from wasmem.exec.compiler.joins import incoming_branches, join_facts

from test_loop_facts import stepped_without_wrap, tier_table
from wrap_checks import WrapChecks


def _guarded(name: str, guard: str) -> str:
    """The count-down of local 1 from local 0 after ``guard`` (which may leave with
    ``br $done``, local 2 then holding what it set)."""
    return f"""
  (func (export "{name}") (param i32) (result i32) (local i32 i32 i32)
    (block $done
      {guard}
      (local.set 1 (local.get 0))
      (loop $count
        (local.set 2 (i32.add (local.get 2) (i32.xor (local.get 1) (i32.const 3))))
        (local.set 3 (i32.add (local.get 3) (i32.const 1)))
        (br_if $done (i32.gt_u (local.get 3) (i32.const 3000)))
        (br_if $count (local.tee 1 (i32.sub (local.get 1) (i32.const 1))))))
    (i32.xor (i32.xor (local.get 2) (local.get 3)) (i32.mul (local.get 1) (i32.const 7919))))"""


PLAIN = {
    # the block's end reached only by the taken br_if: local 0 nonzero there
    "br_if_only": _guarded("br_if_only", """
      (block $ok (br_if $ok (local.get 0)) (local.set 2 (i32.const 77)) (br $done))"""),
    # an if whose then-arm leaves: the end reached where the condition was false
    "if_leaves": _guarded("if_leaves", "(if (i32.eqz (local.get 0)) (then (br $done)))"),
    # both arms fall through: [5, 5] joined with [1, 2**32 - 1]
    "if_arms": _guarded("if_arms", """
      (if (i32.eqz (local.get 0)) (then (local.set 0 (i32.const 5))) (else (nop)))"""),
    # two edges: above 100, and nonzero
    "two_edges": _guarded("two_edges", """
      (block $ok
        (br_if $ok (i32.gt_u (local.get 0) (i32.const 100)))
        (br_if $ok (local.get 0))
        (br $done))"""),
    # a loop's end is reached by falling through its body only: eqz was false there
    "loop_end": _guarded("loop_end", """
      (loop $again
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br_if $again (i32.eqz (local.get 0))))"""),
    # an edge from inside a nested block, the fall-through of the outer one nonzero
    "nested": _guarded("nested", """
      (block $ok
        (block $inner
          (br_if $ok (i32.ge_u (local.get 0) (i32.const 9)))
          (br_if $inner (i32.eqz (local.get 0))))
        (br_if $ok (local.get 0))
        (br $done))"""),
}
"""Guards after which the count-down's first step needs no wrap-around."""

WRAPPING = {
    # the then-arm falls through with local 0 zero
    "if_falls": _guarded("if_falls", """
      (if (i32.eqz (local.get 0)) (then (local.set 2 (i32.const 1))))"""),
    # a second edge that bounds nothing: local 0 may be 0 on it
    "unbounded_edge": _guarded("unbounded_edge", """
      (block $ok
        (br_if $ok (local.get 0))
        (br_if $ok (i32.eqz (local.get 2)))
        (br $done))"""),
    # a br_table edge (it learns nothing): 0 reaches the end through it
    "br_table_edge": _guarded("br_table_edge", """
      (block $ok
        (br_if $ok (local.get 0))
        (br_table $ok $done (local.get 2)))"""),
    # a loop that falls through with local 0 in [0, 5]
    "loop_end_low": _guarded("loop_end_low", """
      (loop $again
        (local.set 0 (i32.shr_u (local.get 0) (i32.const 1)))
        (br_if $again (i32.gt_u (local.get 0) (i32.const 5))))"""),
    # the block assigns local 0 after the edge that bounded it
    "assigned_after": _guarded("assigned_after", """
      (block $ok
        (br_if $ok (i32.eqz (local.get 0)))
        (local.set 0 (i32.const 0)))"""),
    # a loop's end, nested in a block another edge reaches with 0
    "loop_then_edge": _guarded("loop_then_edge", """
      (block $ok
        (br_if $ok (i32.eqz (local.get 0)))
        (loop $again
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br_if $again (i32.eqz (local.get 0)))))"""),
}
"""Guards after which the first step must keep the wrap-around."""

EDGES = [0, 1, 2, 3, 5, 6, 9, 100, 101, 2999, 3000, 3001, 2**31 - 1, 2**31, 2**32 - 2,
         2**32 - 1]


class TestGuards(WrapChecks):
    """Every case on both tiers and wasmtime; only ``PLAIN``'s lose the wrap."""

    PLAIN = PLAIN
    WRAPPING = WRAPPING
    EDGES = EDGES


CAUGHT = "(module (tag $t)" + _guarded("caught", """
      (block $ok
        (br_if $ok (local.get 0))
        (try_table (catch $t $ok) (throw $t))
        (br $done))""") + "\n)"
"""A catch clause that reaches the block's end with local 0 zero: no branch instruction
records that path, so the join must not be used (interpreter only: wasmtime's binding
may leave exceptions off)."""


def test_a_path_through_a_catch_clause_keeps_the_wrap() -> None:
    assert tier_table(CAUGHT, ["caught"], "compile", EDGES) == tier_table(
        CAUGHT, ["caught"], "interpret", EDGES)
    assert not stepped_without_wrap(CAUGHT, ["caught"], "caught")


# ---------------------------------------------------------------- the pieces

def _body(source: str) -> tuple:
    return wasmem.Module(source).ast.functions[0].body


def test_incoming_branches_counts_every_branch_to_a_block() -> None:
    body = _body("""(module (func (param i32)
      (block $a
        (block $b
          (br_if $a (local.get 0))
          (br_table $b $a $b (local.get 0)))
        (if (local.get 0) (then (br $a)) (else (br 1))))))""")
    outer = body[0]
    inner = outer.body[0]
    cache: dict[int, frozenset[int]] = {}
    br_if, br_table = inner.body[1], inner.body[3]
    conditional = outer.body[2]
    assert incoming_branches(outer, cache) == {
        id(br_if), id(br_table), id(conditional.body[0]), id(conditional.else_body[0])}
    assert incoming_branches(inner, cache) == {id(br_table)}
    assert incoming_branches(conditional, cache) == frozenset()


def test_a_catch_clause_leaves_a_path_no_branch_records() -> None:
    body = _body("""(module (tag $t) (func
      (block $a
        (try_table (catch $t $a) (nop)))))""")
    assert -1 in incoming_branches(body[0], {})


def test_the_join_is_the_hull_of_locals_known_on_both_paths() -> None:
    assert join_facts({1: (0, 5), 2: (3, 3), 3: (1, 1)}, {1: (7, 9), 2: (1, 4)}) == {
        1: (0, 9), 2: (1, 4)}
