"""Counters stepped by a constant and tested ``!=`` a constant end at a loop's back edge
(``exec/compiler/loop_facts.stepped_range``): clang's ``for (i = 0; i < N; i += s)``.

Where the loop assigns the counter once, at its top level, and branches back only there,
a start at or below ``N - s`` (congruent to ``N``) keeps the counter in range, so the
step is a plain addition; a start past the end, a step that can jump over it, another
assignment, an assignment inside a nested construct or another back edge keeps the
wrap-around. Every loop is also left after 3,000 rounds, and its result uses the counter,
so a counter that grew past ``2**32`` in Python instead of wrapping gives another
result. Every case agrees with the interpreter and with wasmtime."""

from __future__ import annotations



from wrap_checks import WrapChecks


def _loop(name: str, start: str, step: int, end: int, form: str = "tee",
          body: str = "", guard: str = "") -> str:
    """A counter (local 1) from ``start`` stepped by ``step`` until it is ``end``,
    summed into local 2, rounds counted in local 3 (left after 3,000); ``form`` is how
    the back edge tests it (``tee``: the step teed into the test, ``set``: a top-level
    ``local.set`` then a ``local.get`` in the test, ``none``: ``body`` ends the loop)."""
    stepped = f"(i32.add (local.get 1) (i32.const {step}))"
    if form == "none":
        back = ""
    elif form == "tee":
        back = f"(br_if 0 (i32.ne (local.tee 1 {stepped}) (i32.const {end})))"
    else:
        back = (f"(local.set 1 {stepped}) (local.set 2 (i32.xor (local.get 2) (i32.const 1)))"
                f" (br_if 0 (i32.ne (local.get 1) (i32.const {end})))")
    return f"""
  (func (export "{name}") (param i32) (result i32) (local i32 i32 i32)
    (local.set 1 {start})
    (block
      {guard}
      (loop
        (local.set 2 (i32.add (local.get 2) (i32.xor (local.get 1) (i32.const 3))))
        (local.set 3 (i32.add (local.get 3) (i32.const 1)))
        (br_if 1 (i32.gt_u (local.get 3) (i32.const 3000)))
        {body}
        {back}))
    (i32.xor (i32.xor (local.get 2) (local.get 3)) (i32.mul (local.get 1) (i32.const 7919))))"""


PLAIN = {
    "up": _loop("up", "(i32.const 0)", 1, 16),
    "up_set": _loop("up_set", "(i32.const 0)", 1, 16, form="set"),
    "by12": _loop("by12", "(i32.const 0)", 12, 120),
    "from_range": _loop("from_range", "(i32.and (local.get 0) (i32.const 15))", 1, 16),
    "down": _loop("down", "(i32.const 120)", -12, 0),
    "down_to": _loop("down_to", "(i32.const 4000)", -1, 3000, form="set"),
    "guarded": _loop("guarded", "(local.get 0)", 1, 1000,
                     guard="(br_if 0 (i32.ge_u (local.get 1) (i32.const 1000)))"),
    "top_end": _loop("top_end", "(i32.const 4294967000)", 1, 4294967295),
}
"""Loops whose step needs no wrap-around."""

WRAPPING = {
    # a start past the end: 2**32 - 16 + 1 ... wraps to 0, then counts to 16
    "past": _loop("past", "(i32.or (local.get 0) (i32.const -16))", 1, 16),
    # a start below the end that the step can jump over (1 + 2k never is 16)
    "jumps": _loop("jumps", "(i32.and (local.get 0) (i32.const 1))", 2, 16),
    "not_congruent": _loop("not_congruent", "(i32.const 0)", 12, 100),
    # counted down from below the end: 0 - 1 wraps to 2**32 - 1
    "down_below": _loop("down_below", "(i32.and (local.get 0) (i32.const 3))", -1, 8),
    # no range before the loop
    "unbounded": _loop("unbounded", "(local.get 0)", 1, 1000),
    # another assignment of the counter in the loop
    # (at the loop's top level: the next round's ``l1 + 9`` wraps)
    "reset": _loop("reset", "(i32.const 0)", 1, 16,
                   body="(local.set 2 (i32.add (local.get 2) "
                        "(i32.add (local.get 1) (i32.const 9)))) "
                        "(local.set 1 (select (i32.const 4294967290) (local.get 1) "
                        "(i32.eq (local.get 3) (i32.const 5))))"),
    # the step inside a nested construct (a round can skip it)
    "nested": _loop("nested", "(i32.const 0)", 1, 16, form="none",
                    body="(if (i32.and (local.get 3) (i32.const 1)) (then "
                         "(local.set 1 (i32.add (local.get 1) (i32.const 1)))))"
                         "(br_if 0 (i32.ne (local.get 1) (i32.const 16)))"),
    # another back edge, before the step
    "continue": _loop("continue", "(i32.const 0)", 1, 16,
                      body="(br_if 0 (i32.eq (local.get 3) (i32.const 7)))"),
}
"""Loops that must keep the wrap-around of their step."""


EDGES = [0, 1, 2, 7, 15, 16, 17, 999, 1000, 1001, 2**31 - 1, 2**31, 2**32 - 17, 2**32 - 1]


class TestSteppedLoops(WrapChecks):
    """Every case on both tiers and wasmtime; only ``PLAIN``'s lose the wrap."""

    PLAIN = PLAIN
    WRAPPING = WRAPPING
    EDGES = EDGES
