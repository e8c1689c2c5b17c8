"""The compiling tier's translation of branch targets, against the interpreting tier.

A targeted ``block`` becomes a one-shot ``while True: <body>; break`` when every branch
to it can be a Python ``break`` (a branch from inside a nested loop escapes through the
pending-branch variable ``_b``); otherwise, and when Python's limit of 20 statically
nested blocks would be exceeded, it keeps the ``_b`` scheme with ``if not _b:`` guards.
Each case runs on both tiers (the conftest sets ``WASMEM_STRICT_COMPILE=1``, so a
translation failure raises instead of falling back); results, traps and fuel must agree
and match the expected values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import wasmem
from wasmem.errors import FuelExhausted, Trap
from wasmem.exec.compiler.tier import CompiledModule
from wasmem.exec.instantiate import instantiate
from wasmem.exec.invoke import invoke_raw

TIERS = ("compile", "interpret", "tiered")


def run(text: str, calls: Sequence[tuple[str, tuple[Any, ...], Any]],
        fuel: int | None = None) -> dict[str, list[Any]]:
    """Run ``calls`` on both tiers; outcomes must agree and equal the expected values."""
    module = wasmem.Module(text)
    seen: dict[str, list[Any]] = {}
    for tier in TIERS:
        instance = instantiate(module.ast, lambda imp: None, tier=tier, fuel=fuel)
        out: list[Any] = []
        for name, args, _ in calls:
            try:
                out.append(("ok", invoke_raw(instance.exports[name], list(args))))  # type: ignore[arg-type]
            except Trap as exc:
                out.append((type(exc).__name__, exc.message))
        if fuel is not None:
            assert instance.fuel is not None
            out.append(("fuel", instance.fuel.consumed))
        seen[tier] = out
    assert seen["compile"] == seen["interpret"]
    for (name, args, expected), got in zip(calls, seen["compile"]):
        if expected is not None:
            assert got == ("ok", expected), (name, args, got)
    return seen


def source(text: str, index: int = 0) -> str:
    module = wasmem.Module(text)
    code = CompiledModule.of(module.ast).source(index)
    assert code is not None
    return code


# ---------------------------------------------------------------------- block results

BRANCHES = """(module
  (func (export "br_if") (param i32) (result i32)
    (block $b (result i32)
      (drop (br_if $b (i32.const 10) (i32.eqz (local.get 0))))
      (drop (br_if $b (i32.const 20) (i32.eq (local.get 0) (i32.const 1))))
      (i32.add (local.get 0) (i32.const 100))))
  (func (export "nested") (param i32) (result i32)
    (i32.add (i32.const 1000)
      (block $outer (result i32)
        (i32.mul (i32.const 2)
          (block $inner (result i32)
            (drop (br_if $outer (i32.const 7) (i32.eqz (local.get 0))))
            (drop (br_if $inner (i32.const 8) (i32.eq (local.get 0) (i32.const 1))))
            (br $outer (i32.const 9)))))))
  (func (export "table") (param i32) (result i32)
    (local $r i32)
    (block $d (result i32)
      (block $c (result i32)
        (block $b (result i32)
          (block $a (result i32)
            (br_table $a $b $c $d $b (i32.const 5) (local.get 0)))
          (i32.add (i32.const 10)) (br $d))
        (i32.add (i32.const 20)) (br $d))
      (i32.add (i32.const 30))))
  (func (export "pair") (param i32) (result i32)
    (block $p (result i32 i32)
      (br_if $p (i32.const 3) (i32.const 1) (local.get 0))
      (drop) (drop)
      (i32.const 5) (i32.const 6))
    (i32.sub))
  (func (export "stack") (param i32) (result i32)
    ;; a value below the block stays put while the block branches
    (i32.add (i32.const 100)
      (block $b (result i32)
        (br_if $b (i32.const 1) (local.get 0))
        (drop)
        (i32.const 2)))))"""


@pytest.mark.parametrize("x", [0, 1, 2, 3, 4, 9, 0xFFFFFFFF])
def test_block_results(x: int) -> None:
    run(BRANCHES, [
        ("br_if", (x,), {0: 10, 1: 20}.get(x, (x + 100) & 0xFFFFFFFF)),
        ("nested", (x,), 1000 + {0: 7, 1: 16}.get(x, 9)),
        ("table", (x,), 5 + {0: 10, 1: 20, 2: 30, 3: 0}.get(x, 20)),
        ("pair", (x,), 0xFFFFFFFF if x == 0 else 2),
        ("stack", (x,), 102 if x == 0 else 101),
    ])


def test_simple_block_is_a_one_shot_loop() -> None:
    code = source(BRANCHES)
    assert "while True:" in code and "break" in code
    assert "_b" not in code


# ---------------------------------------------------------------------- loops inside

LOOPS = """(module
  (func (export "escape") (param i32) (result i32)
    (local $i i32)
    ;; a branch from inside a loop to an enclosing block, with a result
    (block $found (result i32)
      (loop $scan
        (drop (br_if $found (i32.mul (local.get $i) (i32.const 3))
                            (i32.eq (local.get $i) (local.get 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $scan (i32.lt_u (local.get $i) (i32.const 50))))
      (i32.const -1)))
  (func (export "continue") (param i32) (result i32)
    (local $i i32) (local $sum i32)
    ;; blocks inside a loop that restart it (continue) and leave it
    (block $done
      (loop $next
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $skip
          (br_if $next (i32.eqz (i32.rem_u (local.get $i) (i32.const 3))))
          (br_if $skip (i32.eqz (i32.rem_u (local.get $i) (i32.const 5))))
          (br_if $done (i32.gt_u (local.get $i) (local.get 0)))
          (local.set $sum (i32.add (local.get $sum) (local.get $i))))
        (br $next)))
    (local.get $sum))
  (func (export "deep_escape") (param i32) (result i32)
    (local $i i32) (local $j i32)
    ;; from a loop in a loop in a block in a block: out of both loops and blocks
    (i32.add (i32.const 1)
      (block $out (result i32)
        (block $mid
          (loop $a
            (local.set $j (i32.const 0))
            (loop $b
              (drop (br_if $out (i32.add (local.get $i) (local.get $j))
                                (i32.eq (i32.mul (local.get $i) (local.get $j))
                                        (local.get 0))))
              (br_if $mid (i32.eq (local.get $j) (i32.const 77)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $b (i32.lt_u (local.get $j) (i32.const 10))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $a (i32.lt_u (local.get $i) (i32.const 10)))))
        (i32.const 500))))
  (func (export "unreachable_end") (param i32) (result i32)
    ;; the loops never fall through: only the escape reaches the block's end
    (i32.add (i32.const 7)
      (block $x (result i32)
        (loop $l2
          (br_if $l2 (i32.eqz (i32.const 1)))
          (loop $l1
            (drop (br_if $x (i32.const 5) (local.get 0)))
            (local.set 0 (i32.const 1))
            (br $l1)))
        (i32.const 9)))))"""


@pytest.mark.parametrize("x", [0, 1, 6, 12, 25, 49, 50, 81, 200])
def test_loops_inside_blocks(x: int) -> None:
    sum_to = sum(i for i in range(1, x + 1) if i % 3 and i % 5)
    found = next(((i + j) for i in range(10) for j in range(10) if i * j == x), 500)
    run(LOOPS, [
        ("escape", (x,), x * 3 if x < 50 else 0xFFFFFFFF),
        ("continue", (x,), sum_to),
        ("deep_escape", (x,), found + 1),
        ("unreachable_end", (x,), 12),
    ])


# ---------------------------------------------------------------------- if, try, calls

MIXED = """(module
  (tag $t (param i32))
  (func $small (param i32) (result i32)
    (block $b (result i32)
      (br_if $b (i32.const 1) (i32.eqz (local.get 0)))
      (drop)
      (if (i32.gt_u (local.get 0) (i32.const 10)) (then (return (i32.const 2))))
      (i32.const 3)))
  (func (export "inlined") (param i32) (result i32)
    (block $b (result i32)
      (br_if $b (i32.const 100) (i32.eq (local.get 0) (i32.const 5)))
      (drop)
      (call $small (local.get 0))))
  (func (export "if_arms") (param i32) (result i32)
    (block $b (result i32)
      (if (result i32) (i32.and (local.get 0) (i32.const 1))
        (then (br $b (i32.const 11)))
        (else (br_if $b (i32.const 12) (i32.and (local.get 0) (i32.const 2)))))
      (i32.add (i32.const 1000))))
  (func (export "catch") (param i32) (result i32)
    (block $b (result i32)
      (block $h (result i32)
        (try_table (result i32) (catch $t $h)
          (br_if $b (i32.const 1) (i32.eqz (local.get 0)))
          (drop)
          (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $t (i32.const 40))))
          (i32.const 3))
        (br $b))
      (i32.add (i32.const 2))))
  (func (export "trap") (param i32) (result i32)
    (block $b (result i32)
      (br_if $b (i32.const 4) (local.get 0))
      (drop)
      (unreachable))))"""


@pytest.mark.parametrize("x", [0, 1, 2, 3, 5, 11, 12])
def test_if_try_and_inlined_calls(x: int) -> None:
    small = 1 if x == 0 else 2 if x > 10 else 3
    seen = run(MIXED, [
        ("inlined", (x,), 100 if x == 5 else small),
        ("if_arms", (x,), 11 if x & 1 else 12 if x & 2 else 1012),
        ("catch", (x,), {0: 1, 2: 42}.get(x, 3)),
        ("trap", (x,), None if x == 0 else 4),
    ])
    if x == 0:
        assert seen["compile"][3][0] == "Trap"


# ---------------------------------------------------------------------- deep nesting

def nested_module(depth: int, loops: bool) -> str:
    """``f(x)``: x+1 blocks deep a br_table picks a block; each block adds its depth.

    With ``loops``, every fourth level is a loop that runs once around (a branch to it
    is taken the first time), so real ``while`` statements are nested among the blocks.
    """
    opens, closes = [], []
    for level in range(depth):
        if loops and level % 4 == 3:
            opens.append(f"(loop $l{level} (local.set $once (i32.xor (local.get $once)"
                         f" (i32.const 1))) (br_if $l{level} (local.get $once))")
            closes.append(")")
        opens.append(f"(block $b{level}")
        closes.append(f") (local.set $acc (i32.add (local.get $acc) (i32.const {level})))")
    labels = " ".join(f"$b{level}" for level in reversed(range(depth)))
    inner = f"(br_table {labels} (local.get 0))"
    body = "".join(opens) + inner + "".join(reversed(closes))
    return (f'(module (func (export "f") (param i32) (result i32)'
            f' (local $acc i32) (local $once i32) {body} (local.get $acc)))')


@pytest.mark.parametrize("loops", [False, True], ids=["blocks", "with-loops"])
@pytest.mark.parametrize("depth", [5, 19, 30])
def test_deep_nesting_falls_back(depth: int, loops: bool) -> None:
    text = nested_module(depth, loops)
    calls = []
    for x in (0, 1, depth // 2, depth - 1, depth, 1000):
        target = depth - 1 - min(x, depth - 1)  # the block the br_table leaves
        calls.append(("f", (x,), sum(range(target + 1))))
    run(text, calls)
    code = source(text)
    whiles = max(line.count("    ") for line in code.splitlines())
    assert whiles <= 80
    if depth >= 30:
        assert "_b" in code  # the inner blocks kept the pending-branch scheme


# ---------------------------------------------------------------------- fuel

FUEL = """(module
  (func $spin (export "spin") (param $n i32) (result i32)
    (local $i i32)
    (block $done (result i32)
      (loop $again
        (br_if $done (local.get $i) (i32.ge_u (local.get $i) (local.get $n)))
        (block $odd
          (br_if $odd (i32.and (local.get $i) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $again))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again))
      (i32.const -1))))"""


@pytest.mark.parametrize("n", [0, 1, 10, 101])
def test_fuel_is_the_same_on_both_tiers(n: int) -> None:
    run(FUEL, [("spin", (n,), n)], fuel=1_000_000)


def test_fuel_exhaustion_inside_a_one_shot_block() -> None:
    module = wasmem.Module(FUEL)
    messages = {}
    for tier in TIERS:
        instance = instantiate(module.ast, lambda imp: None, tier=tier, fuel=300)
        with pytest.raises(FuelExhausted) as info:
            invoke_raw(instance.exports["spin"], [1_000_000])  # type: ignore[arg-type]
        messages[tier] = info.value.message
    assert messages["compile"] == messages["interpret"]
    assert "$again" in messages["compile"]


COUNTED = """(module
  (func (export "f") (param i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $exit
      (loop $next
        (br_if $exit (i32.ge_u (local.get $i) (local.get 0)))
        (local.set $sum (i32.add (local.get $sum) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum)))"""


def test_block_left_only_from_a_loop_stays_flat() -> None:
    """Every branch to the block leaves the loop: a plain ``break``, no one-shot ``while``."""
    run(COUNTED, [("f", (x,), sum(range(x))) for x in (0, 1, 10)])
    code = source(COUNTED)
    assert code.count("while True:") == 1
    assert "_b" not in code
