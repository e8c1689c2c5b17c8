"""Edge cases of the interpreter's fused accesses and branches (``exec/interpreter/``)
against wasmtime, found worth keeping while fuzzing the fusions: the fused ``i32.add``
or tested value reaching the access across a label (block and loop parameters, a
``br_if`` leaving a value at a block's end), constant addresses and values at the edges
of 32- and 64-bit memories, a second memory, ``memory.grow`` between accesses, and what a
trap inside a fused access reports (its backtrace) and leaves in memory.
"""

from __future__ import annotations

from typing import Any

import pytest

import wasmem

wasmtime = pytest.importorskip("wasmtime")

SOURCE = """(module
  (memory (export "mem") 1 3)
  (global $g (mut i32) (i32.const 0))
  (data (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10")
  (func (export "across_block_end") (param i32 i32) (result i32)
    (i32.load (block (result i32)
      (drop (br_if 0 (i32.const 100) (local.get 0)))
      (i32.add (local.get 1) (i32.const 4)))))
  (func (export "and_across_block_end") (param i32 i32 i32) (result i32)
    (block (br_if 0 (i32.eqz (block (result i32)
        (drop (br_if 0 (i32.const 1) (local.get 2)))
        (i32.and (local.get 0) (local.get 1)))))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "loop_parameter") (param i32) (result i32) (local i32)
    (i32.add (local.get 0) (i32.const 1))
    (loop $l (param i32) (result i32)
      (i32.load8_u) (global.get $g) (i32.add) (global.set $g)
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.add (local.get 1) (local.get 0)) (i32.lt_u (local.get 1) (i32.const 4))))
    (drop) (global.get $g))
  (func (export "eqz_loop_parameter") (param i32 i32) (result i32) (local i32)
    (i32.eqz (i32.lt_u (local.get 0) (local.get 1)))
    (loop $l (param i32) (result i32)
      (i32.eqz)
      (if (then (local.set 2 (i32.add (local.get 2) (i32.const 10)))))
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 0) (local.get 1)) (i32.lt_u (local.get 0) (i32.const 5)))
      (drop) (local.get 2)))
  (func (export "tee_address") (param i32) (result i32)
    (i32.load (local.tee 0 (i32.add (local.get 0) (i32.const 8)))) (local.get 0) (i32.add))
  (func (export "constant_edges") (param i32)
    (if (i32.eq (local.get 0) (i32.const 0)) (then (drop (i32.load (i32.const -1)))))
    (if (i32.eq (local.get 0) (i32.const 1)) (then (i32.store8 (i32.const -1) (i32.const 7))))
    (if (i32.eq (local.get 0) (i32.const 2))
      (then (i32.store offset=4 (i32.const -4) (i32.const 7))))
    (if (i32.eq (local.get 0) (i32.const 3))
      (then (i64.store (i32.const 65529) (i64.const -1)))))
  (func (export "constant_values")
    (i32.store (i32.const 16) (i32.const -1))
    (i64.store (i32.const 20) (i64.const -2))
    (f32.store (i32.const 28) (f32.const -nan:0x200001))
    (f64.store (i32.const 32) (f64.const nan:0x8000000000001))
    (i32.store16 (i32.const 40) (i32.const -3))
    (i64.store32 (i32.const 42) (i64.const -4))
    (i64.store8 (i32.const 46) (i64.const -5)))
  (func (export "wrapping_store") (param i32)
    (i64.store offset=2 (i32.add (local.get 0) (i32.const 0xfffffff0))
      (i64.const 0x0102030405060708)))
  (func (export "grow_between") (param i32) (result i32)
    (i32.store (i32.const 65532) (i32.const 5))
    (drop (memory.grow (local.get 0)))
    (i32.store (i32.add (local.get 0) (i32.const 65535)) (i32.const 9))
    (i32.load (i32.add (i32.const 65536) (local.get 0))))
)"""

VALUES = [0, 1, 4, 8, 65520, 65532, 65535, 65536, -1, -4, -16, 2**31, 16, 17, 24]


def _outcome(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except (wasmem.Trap, wasmtime.Trap) as exc:
        return ("trap", "out of bounds" in str(exc))


def _pair(source: str, config: Any = None) -> tuple[Any, Any, Any]:
    ours = wasmem.Instance(wasmem.Module(source), tier="interpret").exports
    engine = wasmtime.Engine(config) if config is not None else wasmtime.Engine()
    store = wasmtime.Store(engine)
    oracle = wasmtime.Instance(store, wasmtime.Module(engine, source), []).exports(store)
    return ours, store, oracle


def _agree(ours: Any, store: Any, oracle: Any, name: str, arguments: list[tuple[Any, ...]],
           memory: str = "mem") -> None:
    for args in arguments:
        expected = _outcome(lambda *a: oracle[name](store, *a), *args)
        assert _outcome(ours[name], *args) == expected, (name, args)
        size = oracle[memory].data_len(store)
        assert ours[memory].size_bytes == size, (name, args)
        assert bytes(ours[memory].read(0, size)) == bytes(oracle[memory].read(store, 0, size)), \
            (name, args)


@pytest.mark.parametrize("name, arguments", [
    ("across_block_end", [(x, y) for x in (0, 1) for y in VALUES]),
    ("and_across_block_end", [(x, y, z) for x in (0, 1, 3, -1) for y in (0, 2, -1)
                              for z in (0, 1)]),
    ("loop_parameter", [(x,) for x in (0, 1, 2, 65534, -1)]),
    ("eqz_loop_parameter", [(x, y) for x in (0, 1, 3, 9) for y in (0, 2, 7)]),
    ("tee_address", [(x,) for x in VALUES]),
    ("constant_edges", [(x,) for x in range(4)]),
    ("constant_values", [()]),
    ("wrapping_store", [(x,) for x in VALUES]),
    ("grow_between", [(0,), (1,), (1,), (0,)]),
])
def test_fused_edges_agree_with_wasmtime(name: str, arguments: list[tuple[Any, ...]]) -> None:
    _agree(*_pair(SOURCE), name, arguments)


MEMORY64 = """(module
  (memory (export "mem") i64 1)
  (memory $second (export "second") 1 2)
  (func (export "load_minus_one") (result i32) (i32.load (i64.const -1)))
  (func (export "load_huge_offset") (param i64) (result i32)
    (i32.load16_s offset=0xfffffffffffffff0 (local.get 0)))
  (func (export "store_constant") (param i64)
    (i64.store offset=65530 (local.get 0) (i64.const -1)))
  (func (export "second_memory") (param i32) (result i32)
    (i32.store $second offset=4 (i32.add (local.get 0) (i32.const 0xfffffffc))
      (i32.const 0x11223344))
    (i32.load $second (i32.add (local.get 0) (i32.const 0))))
  (func (export "second_grow") (param i32) (result i32)
    (drop (memory.grow $second (local.get 0)))
    (i32.store $second (i32.const 70000) (i32.const 1))
    (i32.load $second (i32.const 70000)))
)"""


def test_memory64_and_a_second_memory_agree_with_wasmtime() -> None:
    config = wasmtime.Config()
    config.wasm_memory64 = True
    config.wasm_multi_memory = True
    pair = _pair(MEMORY64, config)
    wide = [(x,) for x in (0, 1, 65532, 65536, -1, -2**63, 2**63 - 1, 16)]
    _agree(*pair, "load_minus_one", [()])
    _agree(*pair, "load_huge_offset", wide)
    _agree(*pair, "store_constant", wide)
    _agree(*pair, "second_memory", [(x,) for x in (0, 4, 65532, 65531, 65533, -1, -4)],
           memory="second")
    _agree(*pair, "second_grow", [(0,), (1,), (1,)], memory="second")


TRAPS = """(module
  (memory 1)
  (func $added (param i32) (result i32)
    (i32.load offset=8 (i32.add (local.get 0) (i32.const 65530))))
  (func $constant (result i32) (i32.load (i32.const 65534)))
  (func $doubled (param i32) (i64.store (i32.add (local.get 0) (local.get 0)) (i64.const 1)))
  (func (export "added") (param i32) (result i32)
    (i32.add (i32.const 1) (call $added (local.get 0))))
  (func (export "constant") (result i32) (i32.add (i32.const 1) (call $constant)))
  (func (export "doubled") (param i32) (call $doubled (local.get 0)))
)"""


@pytest.mark.parametrize("name, args", [("added", (0,)), ("constant", ()),
                                        ("doubled", (40000,))])
def test_trap_in_a_fused_access_has_the_backtrace_of_wasmtime(name: str,
                                                              args: tuple[int, ...]) -> None:
    binary = wasmem.Module(TRAPS).to_bytes()
    instance = wasmem.Instance(wasmem.Module(binary), tier="interpret")
    with pytest.raises(wasmem.Trap, match="out of bounds") as ours:
        instance.exports[name](*args)
    store = wasmtime.Store()
    oracle = wasmtime.Instance(store, wasmtime.Module(store.engine, binary), []).exports(store)
    with pytest.raises(wasmtime.Trap) as theirs:
        oracle[name](store, *args)
    assert [(f.function_index, f.offset) for f in ours.value.frames] == \
        [(f.func_index, f.module_offset) for f in theirs.value.frames]
