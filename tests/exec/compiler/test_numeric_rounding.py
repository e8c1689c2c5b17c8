"""Inline forms of ``floor``/``ceil``/``trunc``/``nearest``, ``min``/``max``, ``copysign`` and the
saturating truncations (``exec/compiler/numeric_inline.py``): the compiled code returns
what the numeric library returns, bit for bit (NaN payloads, signalling NaNs, the sign of
zero), on both float types, and agrees with the interpreter and with wasmtime."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasmem.exec import numeric
from wasmem.exec.compiler.tier import CompiledModule

UNARY = [f"{t}.{op}" for t in ("f32", "f64") for op in ("floor", "ceil", "trunc", "nearest")]
BINARY = [f"{t}.{op}" for t in ("f32", "f64") for op in ("min", "max", "copysign")]
SATURATING = [f"i{w}.trunc_sat_{t}_{s}" for w in (32, 64) for t in ("f32", "f64")
              for s in ("s", "u")]

F64_EDGES = [struct.unpack("<Q", struct.pack("<d", x))[0] for x in (
    0.0, -0.0, 0.5, -0.5, 3.5, -3.5, 4.5, -4.5, 0.49999999999999994, -0.49999999999999994,
    1.0, -1.0, 1.5, -1.5,
    2.5, -2.5, 4503599627370495.5, -4503599627370495.5, 4503599627370496.0,
    9007199254740993.0, -9007199254740993.0, 1e300, -1e300, 5e-324, -5e-324,
    2147483647.9, 2147483648.0, -2147483648.9, -2147483649.0, 4294967295.9, 4294967296.0,
    9223372036854775807.0, -9223372036854775808.0, -9223372036854777856.0,
    18446744073709551616.0, float("inf"), float("-inf"))]
F64_EDGES += [0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001,
              0xFFF4_0000_DEAD_BEEF, 0x7FF8_0000_0000_0001, 0xFFFF_FFFF_FFFF_FFFF]
F32_EDGES = [0, 0x8000_0000, 0x3F00_0000, 0xBF00_0000, 0x3FC0_0000, 0xBFC0_0000, 0x4B00_0000,
             0x4AFF_FFFF, 0xCAFF_FFFF, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x0000_0001, 0x8000_0001,
             0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFFA0_BEEF,
             0x4F00_0000, 0xCF00_0001, 0x4F80_0000, 0x5F00_0000, 0xDF00_0001, 0x5F80_0000]


X = "(f64.reinterpret_i64 (local.get 0))"
CONSTANT_SIGNS = {"sign.one": f"(f64.copysign (f64.const 1.5) {X})",
                  "sign.minus": f"(f64.copysign {X} (f64.const -2))",
                  "sign.nan": f"(f64.copysign {X} (f64.const -nan:0x1234))",
                  "sign.of.nan": f"(f64.copysign (f64.const nan:0x5) {X})"}


def _module() -> str:
    funcs = []
    for name in UNARY:
        i = "i64" if name.startswith("f64") else "i32"
        f = name[:3]
        funcs.append(f'(func (export "{name}") (param {i}) (result {i}) ({i}.reinterpret_{f}'
                     f' ({name} ({f}.reinterpret_{i} (local.get 0)))))')
    for name in BINARY:
        i = "i64" if name.startswith("f64") else "i32"
        f = name[:3]
        funcs.append(f'(func (export "{name}") (param {i} {i}) (result {i})'
                     f' ({i}.reinterpret_{f} ({name} ({f}.reinterpret_{i} (local.get 0))'
                     f' ({f}.reinterpret_{i} (local.get 1)))))')
    for name in SATURATING:
        f = name.split("_")[2]
        i = "i64" if f == "f64" else "i32"
        funcs.append(f'(func (export "{name}") (param {i}) (result {name[:3]})'
                     f' ({name} ({f}.reinterpret_{i} (local.get 0))))')
    # operands read from memory (impure: named once) and a loop of floors (a local's
    # value tested and divided in one expression)
    funcs.append('(memory 1) (func (export "minmem") (param i32 f64) (result f64)'
                 ' (f64.store (i32.const 8) (local.get 1))'
                 ' (f64.min (f64.load (local.get 0)) (f64.floor (f64.load (i32.const 8)))))')
    funcs.append('(func (export "sumfloor") (param f64 i32) (result f64) (local f64)'
                 ' (block (loop (br_if 1 (i32.eqz (local.get 1)))'
                 ' (local.set 2 (f64.add (local.get 2) (f64.ceil (f64.mul (local.get 0)'
                 ' (f64.convert_i32_u (local.get 1))))))'
                 ' (local.set 1 (i32.sub (local.get 1) (i32.const 1))) (br 0)))'
                 ' (local.get 2))')
    # copysign with a constant operand (only the other one is tested for a NaN)
    for label, body in CONSTANT_SIGNS.items():
        funcs.append(f'(func (export "{label}") (param i64) (result i64) (i64.reinterpret_f64'
                     f' {body}))')
    return "(module " + "\n".join(funcs) + ")"


MODULE = _module()


def _library(name: str, *bits: int) -> int:
    """What the numeric library computes on these f64 bit patterns (as the export
    returns it)."""
    values = [struct.unpack("<d", struct.pack("<Q", b))[0] for b in bits]
    result = numeric.NUMERIC_OPS[name](*values)
    if name.startswith("i"):
        return int(result)
    return struct.unpack("<Q", struct.pack("<d", result))[0]


def _unsigned(value: int, bits: int) -> int:
    return value & ((1 << bits) - 1)


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


def _check(engines: tuple[Any, Any, Any], name: str, *bits: int) -> None:
    """The compiled export against the interpreter's and (for f64 operands, whose bits a
    Python float keeps) against the library function itself."""
    compiled, interpreted, _ = engines
    width = 64 if "f64" in name else 32
    args = [_signed(b, width) for b in bits]
    out = 64 if name.startswith(("f64", "i64")) else 32
    got = _unsigned(compiled[name](*args), out)
    assert got == _unsigned(interpreted[name](*args), out), (name, bits)
    if width == 64:
        assert got == _library(name, *bits), (name, bits)


def test_no_library_calls_on_the_common_path(engines: tuple[Any, Any, Any]) -> None:
    """Each export's source has the inline form, with the call only as its fallback."""
    compiled = CompiledModule.of(engines[2].ast)
    for index, export in enumerate(engines[2].ast.exports):
        source = compiled.source(index) or ""
        if export.name in UNARY:
            fast = "4503599627370496.0" if "nearest" in export.name else "// 1.0"
            assert fast in source and " - " in source, source
        elif export.name in BINARY and not export.name.endswith("copysign"):
            assert " < " in source or " > " in source, source
        elif export.name.endswith("copysign"):
            assert "n_copysign(" in source, source
        elif export.name in SATURATING:
            assert "int(" in source, source


def test_edges(engines: tuple[Any, Any, Any]) -> None:
    for name in UNARY + SATURATING:
        for bits in (F64_EDGES if "f64" in name else F32_EDGES):
            _check(engines, name, bits)
    for label in CONSTANT_SIGNS:
        for bits in F64_EDGES:
            signed = _signed(bits, 64)
            assert engines[0][label](signed) == engines[1][label](signed), (label, bits)
    for name in BINARY:
        edges = F64_EDGES if name.startswith("f64") else F32_EDGES
        for a in edges:
            for b in edges:
                _check(engines, name, a, b)


@settings(max_examples=300, deadline=None)
@given(wide=st.one_of(st.sampled_from(F64_EDGES), st.integers(0, (1 << 64) - 1)),
       other=st.one_of(st.sampled_from(F64_EDGES), st.integers(0, (1 << 64) - 1)),
       small=st.one_of(st.sampled_from(F32_EDGES), st.integers(0, (1 << 32) - 1)),
       small_other=st.one_of(st.sampled_from(F32_EDGES), st.integers(0, (1 << 32) - 1)),
       value=st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_against_the_library_and_the_interpreter(
        engines: tuple[Any, Any, Any], wide: int, other: int, small: int, small_other: int,
        value: float) -> None:
    compiled, interpreted, _ = engines
    plain = struct.unpack("<Q", struct.pack("<d", value))[0]
    for bits in (wide, plain):
        for name in UNARY + BINARY + SATURATING:
            if "f64" not in name:
                continue
            _check(engines, name, *((bits, other) if name in BINARY else (bits,)))
    for name in UNARY + BINARY + SATURATING:
        if "f64" in name:
            continue
        _check(engines, name, *((small, small_other) if name in BINARY else (small,)))
    for address in (0, 8, 16):
        got, want = compiled["minmem"](address, value), interpreted["minmem"](address, value)
        assert struct.pack("<d", got) == struct.pack("<d", want)
    count = small & 63
    assert compiled["sumfloor"](value / 64, count) == interpreted["sumfloor"](value / 64, count)


def test_agrees_with_wasmtime(engines: tuple[Any, Any, Any]) -> None:
    """NaN results are compared as NaNs (the spec leaves their payloads open); every
    other result bit for bit."""
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    theirs = wasmtime.Instance(store, wasmtime.Module(store.engine, MODULE), []).exports(store)
    mine = engines[0]

    def is_nan(bits: int, width: int) -> bool:
        exponent, fraction = ((0x7FF0_0000_0000_0000, (1 << 52) - 1) if width == 64
                              else (0x7F80_0000, (1 << 23) - 1))
        return bits & exponent == exponent and bits & fraction != 0

    for name in UNARY + BINARY + SATURATING:
        width = 64 if "f64" in name else 32
        out = 64 if name.startswith(("f64", "i64")) else 32
        edges = F64_EDGES if width == 64 else F32_EDGES
        pairs = [(a, b) for a in edges for b in edges[::3]] if name in BINARY else [
            (a,) for a in edges]
        for bits in pairs:
            args = [_signed(b, width) for b in bits]
            got = _unsigned(mine[name](*args), out)
            want = _unsigned(theirs[name](store, *args), out)
            assert got == want or (name.startswith("f") and is_nan(got, out)
                                   and is_nan(want, out)), (name, bits)
