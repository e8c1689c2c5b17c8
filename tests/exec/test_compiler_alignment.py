"""Alignment of locals (``exec/compiler/alignment.py``) and the accesses it makes direct.

The facts must hold at every point (a local that is ever given an odd value keeps its
checked access), and the translated code must compute the same as the interpreter and
wasmtime whether or not an access takes the typed-view path.
"""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec.compiler.alignment import CAP, local_alignments
from wasmem.exec.compiler.tier import CompiledModule

LOOPS = """
(module
  (memory 1)
  (func $stride8 (param $n i32) (local $p i32) (local $odd i32) (local $scaled i32)
    (loop $next
      ;; p += 8 from 0: always a multiple of 8
      (i32.store (local.get $p) (local.get $p))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      ;; odd: 0, then 4, then 5 (once): only 1 divides every value
      (local.set $odd (i32.add (local.get $odd) (i32.const 4)))
      (if (i32.eq (local.get $p) (i32.const 64))
        (then (local.set $odd (i32.or (local.get $odd) (i32.const 1)))))
      (i32.store (local.get $odd) (i32.const 7))
      ;; scaled: n << 2 is a multiple of 4 whatever n is
      (local.set $scaled (i32.shl (local.get $n) (i32.const 2)))
      (br_if $next (i32.lt_u (local.get $p) (i32.const 256)))))
  (func $param (param $q i32) (local $r i32)
    ;; a parameter is unknown, and so is what is copied from it
    (local.set $r (local.get $q))
    (i32.store (local.get $r) (i32.const 1)))
  (func $dead (local $s i32)
    (local.set $s (i32.const 16))
    (return)
    (local.set $s (i32.const 3)))
  (func $never (local $z i32)
    (i32.store (local.get $z) (i32.const 1))))
"""


def _facts(index: int) -> dict[int, int]:
    module = wasmem.Module(LOOPS).ast
    ctx = CompiledModule.of(module).context
    return local_alignments(ctx, module.functions[index], ctx.function_types[index])


def test_counter_stepping_by_8_is_aligned_and_a_value_made_odd_is_not() -> None:
    facts = _facts(0)
    assert facts[1] == 8  # $p
    assert 2 not in facts  # $odd: once 5
    assert facts[3] == 4  # $scaled
    assert 0 not in facts  # the parameter


def test_parameters_and_their_copies_are_unknown() -> None:
    assert _facts(1) == {}


def test_code_after_return_does_not_count() -> None:
    assert _facts(2) == {0: 16}


def test_a_local_never_set_is_zero_so_any_alignment() -> None:
    assert _facts(3) == {0: CAP}


def test_aligned_local_uses_the_typed_view_and_the_odd_one_does_not() -> None:
    source = CompiledModule.of(wasmem.Module(LOOPS).ast).source(0)
    assert source is not None
    assert "V32_0[l1 >> 2] = l1" in source
    assert "V32U_0[l2 & 3][l2 >> 2] = 7" in source  # any alignment: the shifted views


READBACK = """
(module
  (memory (export "memory") 1)
  (func (export "fill") (param $n i32) (result i32) (local $p i32) (local $sum i32)
    (loop $next
      (i32.store (local.get $p) (i32.add (local.get $p) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $next (i32.lt_u (local.get $p) (local.get $n))))
    ;; read back at an odd offset: straddles two stored words
    (local.set $p (i32.const 1))
    (loop $sum
      (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $sum (i32.lt_u (local.get $p) (i32.sub (local.get $n) (i32.const 4)))))
    (local.get $sum))
  (func (export "oob") (local $p i32)
    (loop $next
      (local.set $p (i32.add (local.get $p) (i32.const 8192)))
      (i64.store (local.get $p) (i64.const -1))
      (br $next))))
"""


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_aligned_and_unaligned_paths_compute_the_same(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(READBACK), tier=tier)
    memory = bytearray(4096)
    for p in range(0, 4096, 4):
        memory[p:p + 4] = (p + 1).to_bytes(4, "little")
    total = sum(int.from_bytes(memory[p:p + 4], "little") for p in range(1, 4092, 4))
    expected = total & 0xFFFFFFFF
    assert instance.exports["fill"](4096) & 0xFFFFFFFF == expected


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_aligned_access_beyond_memory_traps(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(READBACK), tier=tier)
    with pytest.raises(wasmem.Trap, match="out of bounds memory access"):
        instance.exports["oob"]()

