"""The interpreter's fused closures (``exec/interpreter/handlers.py``, ``memory.py``).

A constant address or an address computed by the ``i32.add`` just before is folded into
the load or store; ``1 << n``-style operators keep their constant; ``br_if``/``if`` absorb
an ``and``/``or``/``xor`` and an ``eqz`` of one or of a comparison. Each case runs on the
interpreter and on wasmtime (the oracle) over edge values: wrapping adds, accesses at and
past the end of memory, traps and what a failed store leaves in memory.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import wasmem
from wasmem.exec.interpreter.decode import ModuleInfo, decode_function

wasmtime = pytest.importorskip("wasmtime")

SOURCE = """(module
  (memory (export "mem") 1)
  (func (export "load_at_end") (result i32) (i32.load (i32.const 65532)))
  (func (export "load_past_end") (result i32) (i32.load offset=2 (i32.const 65532)))
  (func (export "load_add") (param i32 i32) (result i32)
    (i32.load offset=4 (i32.add (local.get 0) (local.get 1))))
  (func (export "load_add_const") (param i32) (result i64)
    (i64.load8_s offset=3 (i32.add (local.get 0) (i32.const -4))))
  (func (export "store_add") (param i32 i32)
    (i32.store offset=1 (i32.add (local.get 0) (i32.const 8)) (local.get 1)))
  (func (export "store_const_value") (param i32)
    (i64.store16 (i32.add (local.get 0) (local.get 0)) (i64.const -2)))
  (func (export "store_at") (param i32) (i32.store (i32.const 65534) (local.get 0)))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "shl_first") (param i32) (result i32) (i32.shl (i32.const 1) (local.get 0)))
  (func (export "sub_first") (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
  (func (export "lt_first") (param i32) (result i32)
    (if (result i32) (i32.lt_s (i32.const 5) (local.get 0)) (then (i32.const 1))
      (else (i32.const 2))))
  (func (export "and_branch") (param i32 i32) (result i32)
    (block $b (br_if $b (i32.and (local.get 0) (local.get 1))) (return (i32.const 10)))
    (i32.const 20))
  (func (export "eqz_and_branch") (param i32 i32) (result i32)
    (block $b (br_if $b (i32.eqz (i32.xor (local.get 0) (local.get 1))))
      (return (i32.const 10)))
    (i32.const 20))
  (func (export "eqz_compare_if") (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (i32.le_u (local.get 0) (local.get 1))) (then (i32.const 1))
      (else (i32.const 2))))
  (func (export "eqz_value") (param i64 i64) (result i32)
    (i64.eqz (i64.or (local.get 0) (local.get 1))))
)"""

VALUES = [0, 1, 3, 4, 8, 31, 32, 65531, 65532, 65536, -1, -4, -9, 2**31 - 1, -2**31]


def _run(call: Any, *args: int) -> Any:
    try:
        return call(*args)
    except (wasmem.Trap, wasmtime.Trap) as exc:
        return ("trap", "out of bounds" in str(exc))


@pytest.fixture(scope="module")
def engines() -> tuple[Any, Any, Any]:
    module = wasmem.Module(SOURCE)
    ours = wasmem.Instance(module, tier="interpret").exports
    store = wasmtime.Store()
    oracle = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), []).exports(store)
    return ours, store, oracle


@pytest.mark.parametrize("name, arity", [
    ("load_at_end", 0), ("load_past_end", 0), ("load_add", 2), ("load_add_const", 1),
    ("store_add", 2), ("store_const_value", 1), ("store_at", 1), ("shl_first", 1),
    ("sub_first", 1), ("lt_first", 1), ("and_branch", 2), ("eqz_and_branch", 2),
    ("eqz_compare_if", 2), ("eqz_value", 2)])
def test_fused_closures_agree_with_wasmtime(engines: tuple[Any, Any, Any], name: str,
                                            arity: int) -> None:
    ours, store, oracle = engines
    values = VALUES + ([-2**63, 2**40] if name == "eqz_value" else [])
    for args in itertools.product(values, repeat=arity):
        expected = _run(lambda *a: oracle[name](store, *a), *args)
        got = _run(ours[name], *args)
        assert got == expected, (name, args)
        if name.startswith("store"):  # a trapping store writes nothing
            for address in (65532, 65533, 65534, 65535, 8, 9, 0):
                assert ours["peek"](address) == oracle["peek"](store, address), (name, args)


def test_the_fusions_happen() -> None:
    """Each case decodes to fewer closures than its instructions (it can fail if a fusion
    is lost, which the agreement test above would not notice)."""
    module = wasmem.Module(SOURCE)
    info = ModuleInfo.of(module.ast)
    exports = {e.name: e.index for e in module.ast.exports}

    def closures(name: str) -> list[str]:
        return [op.make.__name__ for op in decode_function(info, exports[name], fuel=False).ir]

    assert closures("load_at_end") == ["load0_k", "op_exit"]
    assert closures("load_add")[0] == "load0_ar"
    assert closures("store_add")[0] == "store0_r_ac"
    assert closures("shl_first")[0].endswith("_cr")
    assert len(closures("and_branch")) < 5
    assert len(closures("eqz_and_branch")) < 5
