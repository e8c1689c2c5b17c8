"""``br_table`` switches inside loops (``exec/compiler/emit_branches.py``): cases that
restart the loop, cases that leave for the common tail and cases that fall through into
the next one; both tiers must agree on every path."""

from __future__ import annotations

import pytest

import wasmem

SWITCH = """
(module
  (func (export "run") (param $n i32) (result i32) (local $acc i32) (local $i i32)
    (loop $next
      (block $done
        (block $c3
          (block $c2
            (block $c1
              (block $c0
                (br_table $c0 $c1 $c2 $c3 $done (i32.rem_u (local.get $i) (i32.const 5))))
              ;; case 0: add, then restart the loop directly
              (local.set $acc (i32.add (local.get $acc) (i32.const 3)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $next (i32.lt_u (local.get $i) (local.get $n)))
              (return (local.get $acc)))
            ;; case 1: multiply, then the common tail
            (local.set $acc (i32.mul (local.get $acc) (i32.const 7)))
            (br $done))
          ;; case 2: falls through into case 3
          (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55))))
        ;; case 3
        (local.set $acc (i32.sub (local.get $acc) (i32.const 1))))
      ;; the common tail
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
"""


def _reference(n: int) -> int:
    acc, i = 0, 0
    while True:
        case = i % 5
        if case == 0:
            acc = (acc + 3) & 0xFFFFFFFF
            i += 1
            if i < n:
                continue
            return acc
        if case == 1:
            acc = (acc * 7) & 0xFFFFFFFF
        elif case in (2, 3):
            if case == 2:
                acc ^= 0x55
            acc = (acc - 1) & 0xFFFFFFFF
        i += 1
        if i >= n:
            return acc


@pytest.mark.parametrize("tier", ["compile", "interpret"])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 6, 11, 100])
def test_switch_in_loop_agrees(tier: str, n: int) -> None:
    instance = wasmem.Instance(wasmem.Module(SWITCH), tier=tier)
    assert instance.exports["run"](n) & 0xFFFFFFFF == _reference(n)

