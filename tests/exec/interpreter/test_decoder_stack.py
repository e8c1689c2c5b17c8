"""The interpreter decoder's symbolic stack bookkeeping (``exec/interpreter/handlers.py``,
``decode.py``) against wasmtime: the handlers pop and push the stack, keep its
materialised bound (``low``) and test whether the last closure may write a local
directly, each written out in the hot handlers. Every function here makes one of those
decisions matter: a result redirected into a local only when the last closure computed
it, a local spilled before it is reassigned while the stack still names it, a copy of a
local kept when a store/branch pops between, constants and locals as operands of unary
and binary operators, ``br_if`` carrying values (moves) and not, addresses folded from
an ``i32.add`` or not, all inside nested blocks whose entries materialise the stack.
"""

from __future__ import annotations

from typing import Any

import pytest

import wasmem

wasmtime = pytest.importorskip("wasmtime")

SOURCE = """(module
  (memory (export "mem") 1)
  (data (i32.const 0) "\\10\\20\\30\\40\\50\\60\\70\\80\\90\\a0\\b0\\c0\\d0\\e0\\f0\\ff")
  (func (export "redirect") (param i32 i32) (result i32) (local i32 i32)
    (local.set 2 (i32.mul (local.get 0) (local.get 1)))
    (local.set 3 (i32.load8_u (local.get 1)))
    (local.set 0 (i32.eqz (local.get 2)))
    (i32.add (i32.add (local.get 2) (local.get 3)) (local.get 0)))
  (func (export "spill") (param i32 i32) (result i32)
    ;; the stack names local 0 while it is reassigned: its old value must be used
    (local.get 0)
    (local.set 0 (i32.add (local.get 0) (local.get 1)))
    (local.get 0)
    (local.tee 1 (i32.sub (local.get 1) (i32.const 3)))
    (i32.mul)
    (i32.sub))
  (func (export "copy_not_redirect") (param i32 i32) (result i32) (local i32)
    ;; the value set is computed earlier than the last closure: no redirection
    (i32.add (local.get 0) (i32.const 5))
    (i32.store8 (i32.const 3) (local.get 1))
    (local.set 2)
    (i32.add (local.get 2) (i32.load8_u (i32.const 3))))
  (func (export "constants") (param i32) (result i32)
    (i32.add
      (i32.shl (i32.const 1) (i32.and (local.get 0) (i32.const 15)))
      (i32.add (i32.eqz (i32.const 0)) (i32.clz (local.get 0)))))
  (func (export "branch_values") (param i32 i32) (result i32)
    (block (result i32)
      (block (result i32)
        (drop (br_if 1 (i32.add (local.get 0) (i32.const 7))
                       (i32.lt_u (local.get 0) (local.get 1))))
        (br_if 0 (local.get 1) (i32.eqz (local.get 0)))
        (drop)
        (i32.const 99))
      (i32.const 1000)
      (i32.add)))
  (func (export "branch_constant") (param i32) (result i32) (local i32)
    (block (br_if 0 (i32.const 0)) (local.set 1 (i32.const 5)))
    (block (br_if 0 (i32.const 1)) (local.set 1 (i32.const 9)))
    (block (br_if 0 (local.get 0)) (local.set 1 (i32.add (local.get 1) (i32.const 2))))
    (local.get 1))
  (func (export "addresses") (param i32 i32) (result i32) (local i32)
    (local.set 2 (i32.load8_u (i32.add (local.get 0) (i32.const 2))))
    (i32.store8 (i32.add (local.get 0) (local.get 1)) (local.get 2))
    (i32.add (local.get 2) (i32.load8_u offset=1 (i32.add (local.get 1) (local.get 0)))))
  (func (export "nested_heights") (param i32) (result i32) (local i32)
    (local.get 0)
    (block (result i32)
      (local.get 0)
      (if (result i32) (local.get 0)
        (then (local.set 0 (i32.const 3)) (i32.add (local.get 0) (i32.const 1)))
        (else (i32.const 7)))
      (local.set 1)
      (local.get 1)
      (local.get 0)
      (i32.add)
      (i32.add))
    (i32.mul))
  (func (export "store_then_loop") (param i32 i32) (result i32) (local i32)
    ;; a store pops the stack below its materialised bound; the local pushed there next
    ;; must be copied at the loop's entry, not at its reassignment inside the loop
    (i32.add (local.get 0) (i32.const 1)) (local.get 1)
    (block)
    (i32.store8)
    (local.get 0)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 10)))
      (local.set 2 (i32.add (local.get 2) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 2) (i32.const 3))))
    (local.get 0)
    (i32.add))
  (func (export "br_if_then_loop") (param i32 i32) (result i32) (local i32 i32)
    (block $out
      (i32.add (local.get 1) (i32.const 2))
      (block)
      (br_if $out)
      (local.get 0)
      (loop $l
        (local.set 0 (i32.add (local.get 0) (i32.const 10)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get 2) (i32.const 3))))
      (local.set 3 (i32.add (local.get 0)))
      (return (local.get 3)))
    (i32.const -1))
  (func (export "set_then_loop") (param i32 i32) (result i32) (local i32)
    (i32.mul (local.get 1) (i32.const 3))
    (block)
    (local.set 1)
    (local.get 0)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (local.get 1)))
      (local.set 2 (i32.add (local.get 2) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 2) (i32.const 3))))
    (local.get 0)
    (i32.add)))
"""

CASES = {
    "redirect": [(3, 4), (0, 9), (5, 0), (-1, 15)],
    "spill": [(1, 2), (10, 3), (-7, 100), (0, 0)],
    "copy_not_redirect": [(1, 2), (250, 7), (-6, 255)],
    "constants": [(0,), (1,), (17,), (-1,), (0x80000000,)],
    "branch_values": [(1, 5), (5, 1), (0, 3), (0, 0), (7, 7)],
    "branch_constant": [(0,), (1,), (-3,)],
    "addresses": [(0, 1), (3, 4), (7, 7)],
    "nested_heights": [(0,), (1,), (5,), (-2,)],
    "store_then_loop": [(0, 5), (4, 200), (9, 1)],
    "br_if_then_loop": [(3, 0), (3, -2), (-5, -2), (3, 1)],
    "set_then_loop": [(1, 2), (7, -3), (0, 0)],
}


def _outcome(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except (wasmem.Trap, wasmtime.Trap) as exc:
        return ("trap", type(exc).__name__)


@pytest.mark.parametrize("name", sorted(CASES))
def test_decoder_stack_bookkeeping_agrees_with_wasmtime(name: str) -> None:
    ours = wasmem.Instance(wasmem.Module(SOURCE), tier="interpret").exports
    store = wasmtime.Store()
    oracle = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), []).exports(store)
    for arguments in CASES[name]:
        expected = oracle[name](store, *[a - (1 << 32) if a >= 1 << 31 else a
                                         for a in arguments])
        got = ours[name](*arguments)
        assert got == expected, (name, arguments)
        assert bytes(ours["mem"].read(0, 16)) == bytes(oracle["mem"].data_ptr(store)[0:16]), \
            (name, arguments)
