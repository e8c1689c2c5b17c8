"""Script values and expected results written back in script syntax, for messages.

``wasmem wast -v`` says ``expected (i32.const 6), got (i32.const 5)``: the way the
script writes constants (``i32.const``, ``f32.const nan:canonical``, ``v128.const i32x4``,
``ref.null extern``, ``either``), not Python's ``repr``.
"""

from __future__ import annotations

import struct
from typing import Any

from ..exec.numeric import f32_to_bits, f64_to_bits
from ..runtime.exceptions import WasmThrow
from ..runtime.functions import FunctionInstance
from ..syntax.types import F32, F64, I32, NumType, RefType, ValType, VecType
from ..text.printer import format_f32, format_f64
from .commands import EitherResult, NanPattern, NumResult, RefResult, Result, VecResult
from .values import ExternRef

__all__ = ["expected_shape", "show_result", "show_value"]

_LANES = {"i8x16": (16, 8), "i16x8": (8, 16), "i32x4": (4, 32), "i64x2": (2, 64),
          "f32x4": (4, 32), "f64x2": (2, 64)}


def _signed(bits: int, width: int) -> int:
    return bits - (1 << width) if bits >> (width - 1) else bits


def _float(bits: int, width: int) -> str:
    """The shortest decimal that reads back as the same bits; hex for NaN payloads."""
    exact = format_f32(bits) if width == 32 else format_f64(bits)
    if "nan" in exact or "inf" in exact:
        return exact
    if width == 64:
        return repr(struct.unpack("<d", struct.pack("<Q", bits))[0])
    value = struct.unpack("<f", struct.pack("<I", bits))[0]
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.unpack("<I", struct.pack("<f", float(text)))[0] == bits:
            return text
    return exact


def _lane(bits: int | NanPattern, shape: str) -> str:
    if isinstance(bits, NanPattern):
        return f"nan:{bits.kind}"
    width = _LANES[shape][1]
    bits &= (1 << width) - 1
    if shape.startswith("f"):
        return _float(bits, width)
    return str(_signed(bits, width))


def _number(t: NumType, bits: int) -> str:
    if t is F32 or t is F64:
        return f"({t}.const {_float(bits, 32 if t is F32 else 64)})"
    return f"({t}.const {_signed(bits, 32 if t is I32 else 64)})"


def show_result(expected: Result) -> str:
    """Return an expected result as a script writes it, e.g. ``(f32.const nan:canonical)``."""
    if isinstance(expected, EitherResult):
        return "(either " + " ".join(show_result(o) for o in expected.options) + ")"
    if isinstance(expected, NumResult):
        if expected.nan is not None:
            return f"({expected.type}.const nan:{expected.nan.kind})"
        return _number(expected.type, expected.bits or 0)
    if isinstance(expected, VecResult):
        lanes = " ".join(_lane(lane, expected.shape) for lane in expected.lanes)
        return f"(v128.const {expected.shape} {lanes})"
    if isinstance(expected, RefResult):
        if expected.kind == "null":
            return f"(ref.null{'' if expected.heap_type is None else f' {expected.heap_type}'})"
        return f"(ref.{expected.kind}{'' if expected.value is None else f' {expected.value}'})"
    return str(expected)


def show_value(t: ValType, value: Any, shape: str = "i32x4") -> str:
    """Return a result value (wasmem's internal representation) of type ``t`` as a
    script constant, e.g. ``(i32.const -1)``; a v128 is shown in ``shape``."""
    if isinstance(t, NumType) and isinstance(value, (int, float)):
        if t is F32:
            return _number(t, f32_to_bits(value))
        if t is F64:
            return _number(t, f64_to_bits(value))
        return _number(t, int(value) & ((1 << (32 if t is I32 else 64)) - 1))
    if isinstance(t, VecType) and isinstance(value, int):
        count, width = _LANES.get(shape, _LANES["i32x4"])
        shape = shape if shape in _LANES else "i32x4"
        lanes = [(value >> (k * width)) & ((1 << width) - 1) for k in range(count)]
        return f"(v128.const {shape} {' '.join(_lane(lane, shape) for lane in lanes)})"
    if isinstance(t, RefType) or value is None or isinstance(value, ExternRef):
        if value is None:
            return f"(ref.null {t.heap_type})" if isinstance(t, RefType) else "(ref.null)"
        if isinstance(value, ExternRef):
            return f"(ref.extern {value.value})"
        if isinstance(value, FunctionInstance):
            return "(ref.func)"
        if isinstance(value, WasmThrow):
            return "(ref.exn)"
    return f"({t} {value})"


def expected_shape(expected: Result) -> str:
    """The v128 lane shape an expected result uses (``i32x4`` when it has none)."""
    if isinstance(expected, VecResult):
        return expected.shape
    if isinstance(expected, EitherResult):
        for option in expected.options:
            if isinstance(option, VecResult):
                return option.shape
    return "i32x4"

