"""The interpreter's fused closures of ``exec/interpreter/fuse.py``: runs of moves merged,
and pairs of inline operators (:data:`PAIRS`) computed in one closure.

Every pair, in every shape the decoder fuses (producer's operands: two registers or a
register and a constant; the consumer's other operand a register or a constant, first or
second), and as a value, a ``br_if`` and an ``if``, runs on the interpreter and on
wasmtime (the oracle) over edge values (wrapping adds, shifts by 32 and more, signs).
Each case also checks that the fusion happens (the agreement alone would not notice one
lost).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import wasmem
from wasmem.exec.interpreter.decode import ModuleInfo, decode_function
from wasmem.exec.interpreter.fuse import (PAIRS, TESTED, fused, op_global_add,
                                          op_global_set_add, op_moves)
from wasmem.exec.interpreter.inline import COMMUTATIVE

wasmtime = pytest.importorskip("wasmtime")

I32_VALUES = [0, 1, 9, 31, 32, 47, 48, 57, 255, -1, -48, 2**31 - 1, -2**31]
I64_VALUES = [0, 1, 31, 32, 63, 64, -1, 2**32 - 1, 2**32, -2**63, 2**63 - 1]
CONSTANTS = {"i32": ("-48", "31", "10"), "i64": ("-48", "33", "10")}


def _operand_type(name: str) -> str:
    return "i64" if name.startswith("i64") or name == "i32.wrap_i64" else "i32"


def _result_type(name: str) -> str:
    return "i64" if name.startswith("i64.") and name not in ("i64.eq", "i64.ne") else "i32"


def _cases() -> list[tuple[str, str, str, str, str]]:
    """``(export name, pair, producer shape, consumer slot, kind)`` per generated function
    (the consumer slot as written in the source: ``rx`` of a commutative consumer is
    fused swapped)."""
    cases = []
    for number, (producer, consumer) in enumerate(PAIRS):
        unary_p = producer == "i32.wrap_i64"
        unary_c = consumer == "i32.wrap_i64"
        kinds = ["value"] + (["branch", "skip"] if fused(f"{producer}>{consumer}").branch
                             else [])
        for p_shape in (["r"] if unary_p else ["rr", "rc"]):
            for slot in (["x"] if unary_c else ["xr", "xc", "rx"]):
                for kind in kinds:
                    name = f"f{number}_{p_shape}_{slot}_{kind}"
                    cases.append((name, f"{producer}>{consumer}", p_shape, slot, kind))
    return cases


CASES = _cases()


def _function(name: str, pair: str, p_shape: str, slot: str, kind: str, k: int) -> str:
    producer, consumer = pair.split(">")
    pt, ct = _operand_type(producer), _operand_type(consumer)
    constant = CONSTANTS[pt][k]
    operands = {"r": "(local.get 0)", "rr": "(local.get 0) (local.get 1)",
                "rc": f"(local.get 0) ({pt}.const {constant})"}[p_shape]
    produced = f"({producer} {operands})"
    other = f"({ct}.const {CONSTANTS[ct][2 - k]})" if slot == "xc" else "(local.get 2)"
    expression = {"x": f"({consumer} {produced})", "xr": f"({consumer} {produced} {other})",
                  "xc": f"({consumer} {produced} {other})",
                  "rx": f"({consumer} {other} {produced})"}[slot]
    params = f"(param {pt} {pt} {ct})"
    if kind == "value":
        return (f'(func (export "{name}_{k}") {params} (result {_result_type(consumer)}) '
                f"{expression})")
    if kind == "branch":
        return (f'(func (export "{name}_{k}") {params} (result i32) '
                f"(block $b (br_if $b {expression}) (return (i32.const 10))) (i32.const 20))")
    return (f'(func (export "{name}_{k}") {params} (result i32) '
            f"(if (result i32) {expression} (then (i32.const 1)) (else (i32.const 2))))")


TESTED_CASES = [(name, shape, kind) for name in TESTED for shape in ("rr", "rc")
                for kind in ("branch", "skip")]


def _tested_function(name: str, shape: str, kind: str) -> str:
    """``local.tee`` of ``name`` tested by ``br_if`` (``branch``) or ``if`` (``skip``); the
    result also shows the local's value."""
    t = name[:3]
    operands = ("(local.get 0) (local.get 1)" if shape == "rr"
                else f"(local.get 0) ({t}.const -7)")
    tee = f"(local.tee 2 ({name} {operands}))"
    if kind == "branch":
        body = f"(block $b (br_if $b {tee}) (local.set 2 ({t}.const 99)))"
    else:
        body = f"(if {tee} (then (local.set 2 ({t}.const 77))))"
    return (f'(func (export "tested_{name}_{shape}_{kind}") (param {t} {t}) (result {t}) '
            f"(local {t}) {body} (local.get 2))")


SOURCE = "(module\n" + "\n".join([
    *(_tested_function(*case) for case in TESTED_CASES),
    *(_function(*case, k) for case in CASES for k in (0, 1))]) + """
  (global $sp (mut i32) (i32.const 1024))
  (func (export "frame") (param i32) (result i32) (local i32)
    (local.set 1 (i32.sub (global.get $sp) (local.get 0)))
    (global.set $sp (local.get 1))
    (local.set 1 (i32.sub (global.get $sp) (i32.const 16)))
    (global.set $sp (local.get 1))
    (global.set $sp (i32.add (local.get 1) (i32.const 16)))
    (global.set $sp (i32.sub (global.get $sp) (i32.const -2147483648)))
    (global.set $sp (i32.add (global.get $sp) (i32.const 2147483647)))
    (i32.add (local.get 1) (global.get $sp)))
  (func (export "moves") (param i32 i32) (result i32) (local i32 i32 i64)
    (local.set 2 (local.get 1)) (local.set 3 (i32.const 7)) (local.set 4 (i64.const -1))
    (local.set 1 (local.get 0)) (local.set 0 (local.get 2))
    (i32.add (i32.add (local.get 0) (local.get 1))
             (i32.add (local.get 3) (i32.wrap_i64 (local.get 4)))))
  (func (export "moves_loop") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.const 0)) (local.set 2 (i32.const 100))
    (loop $l
      (local.set 2 (local.get 1)) (local.set 1 (local.get 0))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get 0) (i32.const 0))))
    (i32.add (local.get 1) (i32.mul (local.get 2) (i32.const 1000))))
)"""


@pytest.fixture(scope="module")
def engines() -> tuple[Any, Any, Any, wasmem.Module]:
    module = wasmem.Module(SOURCE)
    ours = wasmem.Instance(module, tier="interpret").exports
    store = wasmtime.Store()
    oracle = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), []).exports(store)
    return ours, store, oracle, module


@pytest.mark.parametrize("name, pair, p_shape, slot, kind", CASES)
def test_pairs_agree_with_wasmtime(engines: tuple[Any, Any, Any, wasmem.Module], name: str,
                                   pair: str, p_shape: str, slot: str, kind: str) -> None:
    ours, store, oracle, _ = engines
    producer, consumer = pair.split(">")
    first = I64_VALUES if _operand_type(producer) == "i64" else I32_VALUES
    other = I64_VALUES if _operand_type(consumer) == "i64" else I32_VALUES
    for k in (0, 1):
        export = f"{name}_{k}"
        for a, b, c in itertools.product(first, first[::3], other[::2]):
            assert ours[export](a, b, c) == oracle[export](store, a, b, c), (export, a, b, c)


@pytest.mark.parametrize("name, pair, p_shape, slot, kind", CASES)
def test_pairs_are_fused(engines: tuple[Any, Any, Any, wasmem.Module], name: str, pair: str,
                         p_shape: str, slot: str, kind: str) -> None:
    module = engines[3]
    info = ModuleInfo.of(module.ast)
    exports = {e.name: e.index for e in module.ast.exports}
    makes = [op.make for op in decode_function(info, exports[f"{name}_0"], fuel=False).ir]
    factories = fused(pair)
    consumer = pair.split(">")[1]
    expected_slot = "xr" if slot == "rx" and consumer in COMMUTATIVE else slot
    forms = {"value": factories.value, "branch": factories.branch, "skip": factories.skip}[kind]
    assert makes[0] is forms[f"{p_shape}.{expected_slot}"], (name, makes)


def test_moves_merged_and_agree(engines: tuple[Any, Any, Any, wasmem.Module]) -> None:
    ours, store, oracle, module = engines
    for a, b in itertools.product([0, 1, -1, 5, 2**31 - 1], repeat=2):
        assert ours["moves"](a, b) == oracle["moves"](store, a, b)
    for n in (0, 1, 2, 3, 10):
        assert ours["moves_loop"](n) == oracle["moves_loop"](store, n)
    info = ModuleInfo.of(module.ast)
    exports = {e.name: e.index for e in module.ast.exports}
    program = decode_function(info, exports["moves"], fuel=False).ir
    assert program[0].make is op_moves and len(program[0].args[0]) == 5
    # a loop header is a label: the moves before it and in it stay apart
    looped = [op.make for op in decode_function(info, exports["moves_loop"], fuel=False).ir]
    assert looped.count(op_moves) == 2, looped


def test_stack_pointer_pairs(engines: tuple[Any, Any, Any, wasmem.Module]) -> None:
    ours, store, oracle, module = engines
    for n in (0, 1, 16, 1024, 1025, -1, 2**31 - 1, -2**31):
        assert ours["frame"](n) == oracle["frame"](store, n), n
    info = ModuleInfo.of(module.ast)
    exports = {e.name: e.index for e in module.ast.exports}
    makes = [op.make for op in decode_function(info, exports["frame"], fuel=False).ir]
    assert makes.count(op_global_add) == 3 and makes.count(op_global_set_add) == 1, makes


@pytest.mark.parametrize("name, shape, kind", TESTED_CASES)
def test_tested_values(engines: tuple[Any, Any, Any, wasmem.Module], name: str, shape: str,
                       kind: str) -> None:
    ours, store, oracle, module = engines
    export = f"tested_{name}_{shape}_{kind}"
    values = I64_VALUES if name.startswith("i64") else I32_VALUES
    for a, b in itertools.product(values, values[::2]):
        assert ours[export](a, b) == oracle[export](store, a, b), (export, a, b)
    info = ModuleInfo.of(module.ast)
    exports = {e.name: e.index for e in module.ast.exports}
    makes = [op.make for op in decode_function(info, exports[export], fuel=False).ir]
    pair = fused(f"{name}>br")
    assert makes[0] is (pair.branch if kind == "branch" else pair.skip)[shape], makes
