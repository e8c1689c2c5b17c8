"""Shifted views selected once per base local (``exec/compiler/view_records.py``): a
pointer loaded from memory and read or written through several times in straight-line
code selects its view once; the record ends at an assignment of the local, a call (even
of a function that only grows memory), ``memory.grow`` and control flow, and an ``else``
body never sees a record made in the ``then`` body. Every case is run at every alignment
and at the end of memory against the interpreter; a trap reports the real address."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

PAGE = 65536

# every function takes the address where the pointer is stored (the pointer's alignment
# is unknown to the translator: it is loaded from memory)
SOURCE = r"""
(module
  (memory (export "memory") 1 4)
  (func $grow (result i32) (memory.grow (i32.const 1)))
  (func $nothing)
  ;; three loads and a store through one pointer
  (func (export "fields") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.load (local.get 0)))
    (local.set 2 (i32.add (i32.load offset=4 (local.get 1)) (i32.load offset=8 (local.get 1))))
    (i32.store offset=12 (local.get 1) (local.get 2))
    (i32.add (local.get 2) (i32.load (local.get 1))))
  ;; the local changes between two accesses
  (func (export "reassigned") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.load (local.get 0)))
    (local.set 2 (i32.load offset=4 (local.get 1)))
    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
    (i32.add (local.get 2) (i32.load offset=4 (local.get 1))))
  ;; memory grows between two accesses (the second one is past the old end)
  (func (export "grown") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.load (local.get 0)))
    (local.set 2 (i32.load16_u (local.get 1)))
    (drop (memory.grow (i32.const 1)))
    (local.set 2 (i32.add (local.get 2) (i32.load16_u offset=65536 (local.get 1))))
    (i32.add (local.get 2) (i32.load16_u offset=2 (local.get 1))))
  ;; a call of a function that only grows memory between two accesses
  (func (export "called") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.load (local.get 0)))
    (local.set 2 (i32.load (local.get 1)))
    (drop (call $grow))
    (call $nothing)
    (local.set 2 (i32.add (local.get 2) (i32.load offset=65536 (local.get 1))))
    (i32.add (local.get 2) (i32.load offset=4 (local.get 1))))
  ;; records made in the then body, read in the else body and after the if
  (func (export "branches") (param i32) (result i64) (local i32 i64)
    (local.set 1 (i32.load (local.get 0)))
    (if (i32.and (local.get 1) (i32.const 4))
      (then
        (local.set 2 (i64.load (local.get 1)))
        (local.set 2 (i64.add (local.get 2) (i64.load offset=8 (local.get 1)))))
      (else
        (local.set 2 (i64.load offset=16 (local.get 1)))
        (local.set 2 (i64.add (local.get 2) (i64.load offset=24 (local.get 1))))))
    (i64.store offset=32 (local.get 1) (local.get 2))
    (i64.add (local.get 2) (i64.load offset=32 (local.get 1))))
  ;; a list walk: the pointer is loaded from the node it points to
  (func (export "walk") (param i32) (result i32) (local i32 i32 i32)
    (local.set 1 (i32.load (local.get 0)))
    (local.set 3 (i32.const 4))
    (loop $next
      (local.set 2 (i32.add (local.get 2) (i32.load offset=4 (local.get 1))))
      (i32.store offset=8 (local.get 1) (local.get 2))
      (local.set 1 (i32.load (local.get 1)))
      (br_if $next (local.tee 3 (i32.sub (local.get 3) (i32.const 1)))))
    (local.get 2))
  ;; read-modify-write through one pointer (p->n += 1): the store's address is on the
  ;; stack when the load is translated
  (func (export "bump") (param i32) (result i32) (local i32)
    (local.set 1 (i32.load (local.get 0)))
    (i32.store offset=4 (local.get 1) (i32.add (i32.load offset=4 (local.get 1)) (i32.const 1)))
    (i64.store offset=8 (local.get 1)
      (i64.mul (i64.load offset=8 (local.get 1)) (i64.const 3)))
    (local.get 1))
  ;; stores of values several instructions compute, one after another, the last value
  ;; reading a byte through the pointer
  (func (export "computed") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.load (local.get 0)))
    (local.set 2 (i32.load offset=20 (local.get 0)))
    (i32.store (local.get 1) (i32.and (local.get 2) (i32.const 0x3ffffff)))
    (i32.store offset=4 (local.get 1) (i32.shr_u (local.get 2) (i32.const 26)))
    (i32.store16 offset=8 (local.get 1)
      (i32.add (i32.shl (local.get 2) (i32.const 3)) (i32.load8_u offset=2 (local.get 1))))
    (local.get 2))
)
"""

NAMES = ("fields", "reassigned", "grown", "called", "branches", "walk", "bump", "computed")


def _run(tier: str, calls: list[tuple[str, int, int]]) -> tuple[list[object], bytes]:
    """Each call: store ``pointer`` at address 0 (and a fill of the first bytes), run
    ``name`` on a fresh instance; the results (or traps) and the last memory."""
    out: list[object] = []
    memory = b""
    for name, pointer, fill in calls:
        instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
        buffer = instance.exports["memory"].buffer
        buffer[0:4] = pointer.to_bytes(4, "little")
        for k in range(4, 96):
            buffer[k] = (k * fill + 7) & 0xFF
        for k in range(PAGE - 40, PAGE):
            buffer[k] = (k * fill) & 0xFF
        try:
            out.append(instance.exports[name](0))
        except wasmem.Trap as trap:
            out.append(f"trap {str(trap).splitlines()[0]}")
        memory = bytes(instance.exports["memory"].buffer[:PAGE])
        out.append(hash(memory))
    return out, memory


def _pointers() -> list[int]:
    return [*range(4, 13), *range(PAGE - 40, PAGE - 30), PAGE - 8, PAGE - 4, PAGE - 2,
            PAGE + 4, 0xFFFFFFFC]


@pytest.mark.parametrize("name", NAMES)
def test_every_alignment_agrees_with_the_interpreter(name: str) -> None:
    calls = [(name, pointer, 3) for pointer in _pointers()]
    assert _run("compile", calls) == _run("interpret", calls)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(NAMES), st.integers(0, PAGE + 64), st.integers(0, 255))
def test_random_pointers_agree_with_the_interpreter(name: str, pointer: int, fill: int) -> None:
    calls = [(name, pointer, fill)]
    assert _run("compile", calls) == _run("interpret", calls)


def _source(name: str) -> str:
    module = wasmem.Module(SOURCE)
    index = 2 + NAMES.index(name)  # (after $grow and $nothing)
    return CompiledModule.of(module.ast).source(index) or ""


def test_one_selection_serves_the_accesses_through_a_local() -> None:
    text = _source("fields")
    assert text.count("V32U_0[l1 & 3]") == 1, text
    assert text.count("V32U_0_l1_") >= 4, text


def test_a_store_whose_address_waits_on_the_stack_uses_the_record() -> None:
    # (p->n += 1: the load, translated first, makes the record the store then uses)
    text = _source("bump")
    assert text.count("V32U_0[l1 & 3]") == 1 and "V32U_0_l1_" in text, text
    assert text.count("V64U_0[l1 & 7]") == 1 and "V64U_0_l1_" in text, text


def test_stores_of_computed_values_count_as_uses() -> None:
    text = _source("computed")
    assert text.count("V32U_0[l1 & 3]") == 1 and text.count("V32U_0_l1_") >= 3, text


def test_records_end_at_an_assignment_a_call_and_growth() -> None:
    assert "V32U_0_l1_" not in _source("reassigned")  # (each selection used once)
    # after the call and the growth, a view is selected again before it is used
    after = _source("called").split("MEM0")[-1]
    assert "V32U_0_l1_" not in after or "= V32U_0[l1 & 3]" in after, after
    after = _source("grown").split("MEM0")[-1]
    assert "V16U_0_l1_" not in after or "= V16U_0[l1 & 1]" in after, after


def test_a_trap_through_a_record_reports_the_real_address() -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier="compile")
    instance.exports["memory"].buffer[0:4] = (PAGE - 9).to_bytes(4, "little")
    with pytest.raises(wasmem.Trap) as info:
        instance.exports["fields"](0)
    assert "V32U_0_l1_" in _source("fields")
    assert (info.value.address, info.value.length) == (PAGE - 1, 4), info.value  # type: ignore[attr-defined]
