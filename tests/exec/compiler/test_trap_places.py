"""A trap inside an operand's own expression is placed at the operand's instruction in
every tier, even where the translation writes the operand's text into a bigger line:
the dividend of ``div_u``/``rem_u`` (:data:`wasmem.exec.compiler.ops.TEMPLATES` writes
it once) and a load flushed together with a later load of the same address text
(:meth:`wasmem.exec.compiler.lines.SiteRecorder._replay` matches the later one on its
own line), also where the same text is the store's target (``M0[l0] = M0[l0]``)."""

from __future__ import annotations

import pytest

import wasmem

DIVIDE = """(module (memory 1)
  (func (export "a") (param i32 i32) (result i32)
    (i32.{op}
      (i32.load (local.get 0))
      (local.get 1))))"""

# the first load traps (memory of 0 pages); its value is still on the stack when the
# second load of the same address text is flushed with it at the block's end
FLUSHED = """(module (memory 0)
  (func (export "a") (param i32 f64) (result i32)
    memory.size
    i64.load8_s
    block (result i32)
    f64.const 1
    local.set 1
    memory.size
    i32.load8_u
    end
    unreachable))"""

TIERS = ["interpret", "compile", "tiered"]


def _place(text: str, tier: str, *args: int) -> list[tuple[int, int]]:
    instance = wasmem.Instance(wasmem.Module(text), tier=tier)
    with pytest.raises(wasmem.Trap) as caught:
        instance.exports["a"](*args)
    return [(frame.line, frame.column) for frame in caught.value.frames]


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("op", ["div_u", "rem_u"])
def test_dividend_trap_is_placed_at_its_load(tier: str, op: str) -> None:
    assert _place(DIVIDE.format(op=op), tier, 70000, 0) == [(4, 8)]


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("op", ["div_u", "rem_u"])
def test_divisor_zero_is_placed_at_the_division(tier: str, op: str) -> None:
    assert _place(DIVIDE.format(op=op), tier, 0, 0) == [(3, 6)]


@pytest.mark.parametrize("tier", TIERS)
def test_flushed_load_is_placed_at_itself(tier: str) -> None:
    assert _place(FLUSHED, tier, 0, 0) == [(4, 5)]


# a byte copied onto itself: the line is ``M0[l0] = M0[l0]``, the load's text twice
# (found off-line: trap_order_gen seed 1071)
COPIED = """(module (memory 1)
  (func (export "a") (param i32 i32) (result i32) (local i32 i32)
    local.get 3
    local.get 0
    local.get 0
    i32.load8_u
    i32.store8))"""


@pytest.mark.parametrize("tier", TIERS)
def test_load_stored_at_its_own_address_is_placed_at_the_load(tier: str) -> None:
    assert _place(COPIED, tier, -2**31, 0) == [(6, 5)]
