"""Inline forms of numeric operators (``exec/compiler/numeric_inline.py``): the compiled
code computes what the numeric library computes, bit for bit (NaN payloads and signs
included), traps where it traps, and agrees with wasmtime; constant operands are folded."""

from __future__ import annotations

import math
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.numeric_inline import SIGN_OPS_EXACT, TRUNC_RANGES
from wasmem.exec.compiler.tier import CompiledModule

F64_EDGES = [0, 1 << 63, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
             0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001,
             0xFFF4_0000_DEAD_BEEF, 0x7FF8_0000_0000_0001, 0xFFFF_FFFF_FFFF_FFFF,
             0x0000_0000_0000_0001, 0x8000_0000_0000_0001, 0x3FF0_0000_0000_0000]
F64_EDGES += [struct.unpack("<Q", struct.pack("<d", x))[0] for x in (
    2147483647.9, 2147483648.0, -2147483648.0, -2147483648.9, -2147483649.0, 4294967295.9,
    4294967296.0, -0.9, -1.0, 0.5, 9223372036854775807.0, -9223372036854775808.0,
    -9223372036854777856.0, 18446744073709551615.0, 18446744073709551616.0, 1e300, -1e-300)]
F32_EDGES = [0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7F80_0001, 0xFFA0_BEEF,
             0x7FFF_FFFF, 0x4F00_0000, 0xCF00_0000, 0xCF00_0001, 0x4F80_0000, 0xBF7F_FFFF,
             0x5F00_0000, 0xDF00_0000, 0x5F80_0000]

TRUNCS = sorted(TRUNC_RANGES)
DIVISORS = (1, 2, 3, 8, 10, 1000, 0x7FFFFFFF, 0xFFFFFFFF)


CONVERSIONS = {
    "f64.convert_i32_s": "(f64.convert_i32_s (i32.rem_u (local.get 0) (i32.const 1000)))",
    "f64.convert_i32_s.any": "(f64.convert_i32_s (local.get 0))",
    "f32.convert_i32_s": "(f32.convert_i32_s (i32.and (local.get 0) (i32.const 0xFFFFFF)))",
    "f32.convert_i32_u.wide": "(f32.convert_i32_u (i32.and (local.get 0) (i32.const 0x1FFFFFF)))",
    "f32.convert_i64_u": "(f32.convert_i64_u (i64.shr_u (local.get 0) (i64.const 40)))",
    "f64.convert_i64_u": "(f64.convert_i64_u (local.get 0))",
    "f64.convert_i64_s": "(f64.convert_i64_s (local.get 0))",
    "f64.convert_i64_s.small": "(f64.convert_i64_s (i64.shr_u (local.get 0) (i64.const 1)))",
    "extend": "(i64.extend_i32_s (i32.and (local.get 0) (i32.const 0x7FFFFFFF)))",
    "extend.any": "(i64.extend_i32_s (local.get 0))",
}
"""Integer to float conversions (and a sign extension) of values of known or unknown range."""


def _module() -> str:
    funcs = [
        '(func (export "abs64") (param i64) (result i64)'
        ' (i64.reinterpret_f64 (f64.abs (f64.reinterpret_i64 (local.get 0)))))',
        '(func (export "neg64") (param i64) (result i64)'
        ' (i64.reinterpret_f64 (f64.neg (f64.reinterpret_i64 (local.get 0)))))',
        '(func (export "abs32") (param i32) (result i32)'
        ' (i32.reinterpret_f32 (f32.abs (f32.reinterpret_i32 (local.get 0)))))',
        '(func (export "neg32") (param i32) (result i32)'
        ' (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0)))))',
        '(func (export "high") (param f64) (result i32)'
        ' (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get 0)) (i64.const 32))))',
        '(func (export "div64") (param i64 i64) (result i64) (i64.reinterpret_f64 (f64.div'
        ' (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))',
        '(func (export "divk") (param i64) (result i64) (i64.reinterpret_f64 (f64.div'
        ' (f64.reinterpret_i64 (local.get 0)) (f64.const -3))))',
        '(func (export "sqrt64") (param i64) (result i64)'
        ' (i64.reinterpret_f64 (f64.sqrt (f64.reinterpret_i64 (local.get 0)))))',
    ]
    for name, body in CONVERSIONS.items():
        t = "i64" if "i64" in name else "i32"
        result = name.split(".")[0] if name.startswith("f") else "i64"
        funcs.append(f'(func (export "{name}") (param {t}) (result {result}) {body})')
    for name in TRUNCS:
        result, source = name[:3], name.split("_")[1]
        bits = "i64" if source == "f64" else "i32"
        funcs.append(f'(func (export "{name}") (param {bits}) (result {result})'
                     f' ({name} ({source}.reinterpret_{bits} (local.get 0))))')
    for t in ("i32", "i64"):
        for k in DIVISORS:
            for op in ("div_u", "rem_u"):
                funcs.append(f'(func (export "{t}.{op}.{k}") (param {t}) (result {t})'
                             f' ({t}.{op} (local.get 0) ({t}.const {k})))')
    return "(module " + "\n".join(funcs) + ")"


MODULE = _module()


def _outcome(function: Any, *args: Any) -> tuple[str, Any]:
    try:
        return ("value", function(*args))
    except wasmem.Trap as trap:
        return ("trap", "overflow" if "overflow" in str(trap) else "invalid")


def _is_nan64(bits: int) -> bool:
    return bits & 0x7FF0_0000_0000_0000 == 0x7FF0_0000_0000_0000 and bits & ((1 << 52) - 1) != 0


def test_no_library_calls_left(engines: tuple[Any, Any, Any]) -> None:
    compiled = CompiledModule.of(engines[2].ast)
    names = [e.name for e in engines[2].ast.exports]
    for index, name in enumerate(names):
        source = compiled.source(index) or ""
        if name in ("abs64", "neg64") and SIGN_OPS_EXACT:
            assert "n_f64_" not in source and "n_i64_reinterpret" not in source, source
        if name in ("high", "divk"):
            assert "n_i64_reinterpret" not in source and "n_f64_div" not in source, source
        if name in ("f64.convert_i32_s", "f32.convert_i32_s", "f64.convert_i64_u",
                    "extend", "f32.convert_i64_u"):
            assert "n_f" not in source and "0x80000000" not in source, source
        if name.endswith((".div_u.10", ".rem_u.1000", ".div_u.8")):
            assert "n_i" not in source, source


@settings(max_examples=60, deadline=None)
@given(bits=st.one_of(st.sampled_from(F64_EDGES), st.integers(0, (1 << 64) - 1)),
       other=st.one_of(st.sampled_from(F64_EDGES), st.integers(0, (1 << 64) - 1)),
       small=st.one_of(st.sampled_from(F32_EDGES), st.integers(0, (1 << 32) - 1)))
def test_agrees_with_the_interpreter(engines: tuple[Any, Any, Any], bits: int, other: int,
                                     small: int) -> None:
    compiled, interpreted, _ = engines
    signed = bits - (1 << 64) if bits >> 63 else bits
    signed_other = other - (1 << 64) if other >> 63 else other
    signed_small = small - (1 << 32) if small >> 31 else small
    for name in ("abs64", "neg64", "sqrt64", "divk"):
        assert compiled[name](signed) == interpreted[name](signed), name
    for name in ("abs32", "neg32"):
        assert compiled[name](signed_small) == interpreted[name](signed_small), name
    mine = compiled["div64"](signed, signed_other)
    theirs = interpreted["div64"](signed, signed_other)
    assert mine == theirs or (_is_nan64(mine & (1 << 64) - 1)
                              and _is_nan64(theirs & (1 << 64) - 1))
    value = struct.unpack("<d", struct.pack("<Q", bits))[0]
    assert compiled["high"](value) == interpreted["high"](value)
    for name in TRUNCS:
        arg = signed if "f64" in name else signed_small
        assert _outcome(compiled[name], arg) == _outcome(interpreted[name], arg)
    for name in CONVERSIONS:
        arg = signed if "i64" in name and "extend" not in name else signed_small
        assert compiled[name](arg) == interpreted[name](arg), name
    for t in ("i32", "i64"):
        arg = signed_small if t == "i32" else signed
        for k in DIVISORS:
            for op in ("div_u", "rem_u"):
                f = f"{t}.{op}.{k}"
                assert compiled[f](arg) == interpreted[f](arg), f


def test_agrees_with_wasmtime(engines: tuple[Any, Any, Any]) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    theirs = wasmtime.Instance(store, wasmtime.Module(store.engine, MODULE), []).exports(store)
    mine = engines[0]

    def call(name: str, *args: Any) -> tuple[str, Any]:
        try:
            return ("value", theirs[name](store, *args))
        except wasmtime.Trap as trap:
            return ("trap", "overflow" if "overflow" in str(trap) else "invalid")

    for bits in F64_EDGES:
        signed = bits - (1 << 64) if bits >> 63 else bits
        for name in ("abs64", "neg64"):
            assert mine[name](signed) == call(name, signed)[1], (name, hex(bits))
        for name in ("sqrt64", "divk"):
            got, want = mine[name](signed), call(name, signed)[1]
            assert got == want or (_is_nan64(got % (1 << 64)) and _is_nan64(want % (1 << 64)))
        for name in TRUNCS:
            if "f64" in name:
                assert _outcome(mine[name], signed) == call(name, signed), name
        for other in F64_EDGES[:6]:
            o = other - (1 << 64) if other >> 63 else other
            got, want = mine["div64"](signed, o), call("div64", signed, o)[1]
            assert got == want or (_is_nan64(got % (1 << 64)) and _is_nan64(want % (1 << 64)))
        for k in DIVISORS:
            for op in ("div_u", "rem_u"):
                f = f"i64.{op}.{k}"
                assert mine[f](signed) == call(f, signed)[1], f
        for name in CONVERSIONS:
            arg = signed if "i64" in name and "extend" not in name else (
                (bits & 0xFFFFFFFF) - (1 << 32) if bits & 0x80000000 else bits & 0xFFFFFFFF)
            assert mine[name](arg) == call(name, arg)[1], (name, arg)
    for small in F32_EDGES:
        signed = small - (1 << 32) if small >> 31 else small
        for name in ("abs32", "neg32"):
            assert mine[name](signed) == call(name, signed)[1], (name, hex(small))
        for name in TRUNCS:
            if "f32" in name:
                assert _outcome(mine[name], signed) == call(name, signed), name
    value = math.pi
    assert mine["high"](value) == call("high", value)[1]


CONSTANT = """(module
 (func (export "conv") (result f64) (f64.convert_i32_s (i32.const -5)))
 (func (export "rem") (result i32) (i32.rem_u (i32.const 1003) (i32.const 1000)))
 (func (export "bits") (result i64) (i64.reinterpret_f64 (f64.const -0x1.8p1)))
 (func (export "nan") (result i64) (i64.reinterpret_f64 (f64.neg (f64.const nan:0x1234))))
 (func (export "trap") (result i32) (i32.trunc_f64_s (f64.const nan)))
 (func (export "zero") (result i32) (i32.div_u (i32.const 1) (i32.const 0))))"""


def test_constant_operands_are_folded() -> None:
    m = wasmem.Module(CONSTANT)
    compiled = CompiledModule.of(m.ast)
    assert "0x80000000" not in (compiled.source(0) or "")
    assert "1000" not in (compiled.source(1) or "")
    assert "n_" not in (compiled.source(2) or "") + (compiled.source(3) or "")
    exports = wasmem.Instance(m, tier="compile").exports
    assert exports["conv"]() == -5.0
    assert exports["rem"]() == 3
    assert exports["bits"]() == struct.unpack("<q", struct.pack("<d", -3.0))[0]
    assert exports["nan"]() == struct.unpack("<q", struct.pack("<Q", 0xFFF0_0000_0000_1234))[0]
    with pytest.raises(wasmem.Trap, match="invalid conversion"):
        exports["trap"]()
    with pytest.raises(wasmem.Trap, match="divide by zero"):
        exports["zero"]()


ROTATIONS = """(module
 (func (export "nested") (param i64 i64) (result i64)
  (i64.rotl (i64.xor (i64.rotr (i64.add (local.get 0) (local.get 1)) (i64.const 7))
                     (i64.rotl (i64.mul (local.get 0) (local.get 1)) (i64.const 61)))
            (i64.const 27)))
 (func (export "small") (param i32 i32) (result i32)
  (i32.rotr (i32.rotl (i32.xor (local.get 0) (local.get 1)) (i32.const 16)) (i32.const 45))))"""


@settings(max_examples=30, deadline=None)
@given(a=st.integers(-(1 << 63), (1 << 63) - 1), b=st.integers(-(1 << 63), (1 << 63) - 1))
def test_rotations_of_expressions(a: int, b: int) -> None:
    m = wasmem.Module(ROTATIONS)
    assert "_w :=" in (CompiledModule.of(m.ast).source(0) or "")
    compiled = wasmem.Instance(m, tier="compile").exports
    interpreted = wasmem.Instance(m, tier="interpret").exports
    assert compiled["nested"](a, b) == interpreted["nested"](a, b)
    small_a, small_b = a >> 32, b >> 32
    assert compiled["small"](small_a, small_b) == interpreted["small"](small_a, small_b)


EQZ = """(module
 (func (export "eqz32") (param i32) (result i32) (i32.eqz (local.get 0)))
 (func (export "eqz64") (param i64) (result i32) (i64.eqz (local.get 0)))
 (func (export "nan") (param f64) (result i32) (i32.eqz (f64.lt (local.get 0) (f64.const 1))))
 (func (export "branch") (param i32) (result i32)
  (if (result i32) (i32.eqz (i32.eqz (local.get 0))) (then (i32.const 7)) (else (i32.const 9))))
 (func (export "sum") (param i32) (result i32)
  (i32.add (i32.eqz (local.get 0)) (i32.eqz (i32.sub (local.get 0) (i32.const 1))))))"""


def test_eqz_is_not() -> None:
    m = wasmem.Module(EQZ)
    assert "(not l0)" in (CompiledModule.of(m.ast).source(0) or "")
    exports = wasmem.Instance(m, tier="compile").exports
    for v in (0, 1, 2, -1, 0x7FFFFFFF, -0x80000000):
        assert exports["eqz32"](v) == (v == 0)
        assert exports["eqz64"](v << 20) == (v == 0)
        assert exports["branch"](v) == (7 if v else 9)
        assert exports["sum"](v) == (v == 0) + (v == 1)
        assert type(exports["sum"](v)) is int and type(exports["eqz32"](v)) is int
    assert [exports["nan"](x) for x in (math.nan, 0.5, 1.0, -math.inf)] == [1, 0, 1, 0]


WRAPS = """(module
 (func (export "chain") (param i64 i64) (result i32)
  (i32.xor (i32.and (i32.wrap_i64 (i64.mul (local.get 0) (local.get 1))) (i32.const 0x3FFFFFF))
           (i32.add (i32.wrap_i64 (i64.add (local.get 0) (local.get 1)))
                    (i32.mul (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 3)))
                             (i32.wrap_i64 (i64.sub (local.get 1) (local.get 0)))))))
 (func (export "plain") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
 (func (export "shift") (param i64 i64) (result i32)
  (i32.shr_u (i32.wrap_i64 (i64.mul (local.get 0) (local.get 1))) (i32.const 7))))"""


@settings(max_examples=40, deadline=None)
@given(a=st.integers(-(1 << 63), (1 << 63) - 1), b=st.integers(-(1 << 63), (1 << 63) - 1))
def test_wraps_reduce_once(a: int, b: int) -> None:
    m = wasmem.Module(WRAPS)
    assert "0xFFFFFFFF) & 67108863" not in (CompiledModule.of(m.ast).source(0) or "")
    compiled = wasmem.Instance(m, tier="compile").exports
    interpreted = wasmem.Instance(m, tier="interpret").exports
    for name, args in (("chain", (a, b)), ("plain", (a,)), ("shift", (a, b))):
        assert compiled[name](*args) == interpreted[name](*args), name


EXTEND = """(module
 (func (export "extend") (param i32 i32) (result i64)
  (i64.add (i64.extend_i32_s (i32.and (i32.or (i32.mul (local.get 0) (local.get 1))
                                              (i32.mul (local.get 1) (local.get 1)))
                                      (i32.const 0x7FFFFFFF)))
           (i64.extend_i32_s (i32.add (i32.rem_u (local.get 0) (i32.const 1000))
                                      (i32.const 1))))))"""


@settings(max_examples=30, deadline=None)
@given(a=st.integers(-(1 << 31), (1 << 31) - 1), b=st.integers(-(1 << 31), (1 << 31) - 1))
def test_extensions_of_bounded_values(a: int, b: int) -> None:
    m = wasmem.Module(EXTEND)
    compiled = wasmem.Instance(m, tier="compile").exports
    interpreted = wasmem.Instance(m, tier="interpret").exports
    assert compiled["extend"](a, b) == interpreted["extend"](a, b)
