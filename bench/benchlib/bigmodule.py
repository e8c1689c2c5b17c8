"""A deterministic ~1 MB module for the compile-time target.

:func:`generate_text` writes ``count`` functions of straight-line and looping code (i32,
i64 and f64 arithmetic, loads and stores, if/else, short loops, calls to earlier
functions) drawn from a fixed-seed random generator, plus ``main``, which calls every
function once and folds the results, and ``one``, which calls only the first function.
Function ``i`` depends only on ``i`` (its own seed), so the module grows by appending
functions; :func:`build_big_module` picks the count that makes the binary at least
``target`` bytes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

__all__ = ["TARGET_BYTES", "build_big_module", "generate_text"]

TARGET_BYTES = 1_000_000
"""The size the binary must reach (1 MB)."""

STATEMENTS = 56
"""Statements per generated function."""

_MASK = "(i32.const 0x7ffc)"


def _offset(rng: random.Random) -> int:
    return rng.randrange(0, 0x8000, 4)


def _statement(rng: random.Random, index: int) -> str:
    """One random statement of function ``index`` (valid by construction, never traps)."""
    k = rng.randrange(1, 1 << 20)
    choice = rng.randrange(10)
    if choice == 0:
        return (f"(local.set $x (i32.add (local.get $x) (i32.mul (local.get $a) "
                f"(i32.const {k}))))")
    if choice == 1:
        return (f"(local.set $y (i32.xor (local.get $y) (i32.load offset={_offset(rng)} "
                f"(i32.and (local.get $x) {_MASK}))))")
    if choice == 2:
        return (f"(i32.store offset={_offset(rng)} (i32.and (local.get $y) {_MASK}) "
                f"(i32.rotl (local.get $x) (local.get $b)))")
    if choice == 3:
        return (f"(if (i32.lt_u (local.get $x) (i32.const {k})) "
                f"(then (local.set $x (i32.sub (local.get $x) (local.get $y)))) "
                f"(else (local.set $y (i32.shr_u (local.get $y) (i32.const {k % 31})))))")
    if choice == 4:
        return ("(local.set $z (f64.add (f64.mul (local.get $z) (f64.const 0.5)) "
                "(f64.convert_i32_s (local.get $x))))")
    if choice == 5:
        return ("(local.set $x (i32.add (local.get $x) "
                "(i32.trunc_sat_f64_s (f64.sqrt (f64.abs (local.get $z))))))")
    if choice == 6:
        return (f"(local.set $w (i64.add (i64.mul (local.get $w) (i64.const {k})) "
                "(i64.extend_i32_u (local.get $y))))")
    if choice == 7:
        return (f"(local.set $c (i32.const {k % 4 + 1})) (loop $l{rng.randrange(1 << 30)} "
                "(local.set $y (i32.add (i32.mul (local.get $y) (i32.const 31)) "
                "(local.get $c))) "
                "(br_if 0 (local.tee $c (i32.sub (local.get $c) (i32.const 1)))))")
    if choice == 8 and index > 0:
        return (f"(local.set $x (i32.xor (local.get $x) (call $f{rng.randrange(index)} "
                "(local.get $y) (local.get $b))))")
    return (f"(i32.store8 offset={_offset(rng)} (i32.and (local.get $x) {_MASK}) "
            f"(i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const {k % 64}))))")


def _function(index: int) -> str:
    rng = random.Random(index * 7919 + 1)
    body = " ".join(_statement(rng, index) for _ in range(STATEMENTS))
    # main passes b = 1; calls pass the decremented b (0) on, and a function called with
    # b = 0 returns at once, so one call of main runs every body once
    guard = "(if (i32.eqz (local.get $b)) (then (return (local.get $a))))"
    return (f"(func $f{index} (param $a i32) (param $b i32) (result i32)\n"
            "  (local $x i32) (local $y i32) (local $c i32) (local $w i64) (local $z f64)\n"
            f"  {guard}\n"
            "  (local.set $x (local.get $a)) (local.set $y (local.get $b))\n"
            f"  (local.set $b (i32.sub (local.get $b) (i32.const 1)))\n  {body}\n"
            "  (i32.xor (i32.add (local.get $x) (local.get $y))"
            " (i32.wrap_i64 (local.get $w))))\n")


def generate_text(count: int) -> str:
    """Return the WebAssembly text of the module with ``count`` generated functions."""
    calls = " ".join(
        f"(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) "
        f"(call $f{i} (local.get $acc) (i32.const 1))))" for i in range(count))
    return ("(module\n  (memory (export \"memory\") 1)\n"
            + "".join(_function(i) for i in range(count))
            + "(func (export \"one\") (result i32) (call $f0 (i32.const 5) (i32.const 1)))\n"
            + f"(func (export \"main\") (result i32) (local $acc i32) {calls} "
            "(local.get $acc)))\n")


def build_big_module(encode: Callable[[str], bytes], target: int = TARGET_BYTES) -> bytes:
    """Return the generated module with the fewest functions (within about 1%) whose
    binary has at least ``target`` bytes.

    ``encode`` turns text into a binary (see ``build.wat_to_wasm``).
    """
    probe = 20
    per_function = len(encode(generate_text(probe))) / probe
    count = max(1, math.ceil(target / per_function))
    data = encode(generate_text(count))
    while len(data) < target:
        count = max(count + 1, math.ceil(count * target / len(data) * 1.01))
        data = encode(generate_text(count))
    return data
