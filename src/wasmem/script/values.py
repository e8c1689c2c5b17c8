"""Script values and expected results, in and out of wasmem's internal representation."""

from __future__ import annotations

from typing import Any

from ..exec.numeric import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits
from ..runtime.exceptions import WasmThrow
from ..runtime.functions import FunctionInstance
from ..syntax.types import F32, F64, I32, NumType, ValType, VecType
from .commands import (
    EitherResult,
    NanPattern,
    NumResult,
    NumValue,
    RefExternValue,
    RefHostValue,
    RefNullValue,
    RefResult,
    Result,
    Value,
    VecResult,
    VecValue,
)

__all__ = ["ExternRef", "argument", "matches", "f32_value", "f64_value"]


class ExternRef:
    """A host reference named by number in a script: ``(ref.extern 1)``."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExternRef) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("extern", self.value))

    def __repr__(self) -> str:
        return f"(ref.extern {self.value})"


def f32_value(bits: int) -> float:
    """Internal f32 value of a bit pattern."""
    return f32_from_bits(bits)


def f64_value(bits: int) -> float:
    """Internal f64 value of a bit pattern."""
    return f64_from_bits(bits)


def argument(value: Value) -> Any:
    """Convert a script constant into an internal value."""
    if isinstance(value, NumValue):
        if value.type is F32:
            return f32_from_bits(value.bits)
        if value.type is F64:
            return f64_from_bits(value.bits)
        return value.bits
    if isinstance(value, VecValue):
        return value.bits
    if isinstance(value, RefNullValue):
        return None
    if isinstance(value, (RefExternValue, RefHostValue)):
        return ExternRef(value.value)
    raise TypeError(f"unknown script value {value!r}")


def _bits(t: ValType | NumType, value: Any) -> int:
    if t is F32:
        return f32_to_bits(value)
    if t is F64:
        return f64_to_bits(value)
    if t is I32:
        return int(value) & 0xFFFFFFFF
    return int(value) & 0xFFFFFFFFFFFFFFFF


def _nan_matches(t: NumType, bits: int, pattern: NanPattern) -> bool:
    if t is F32:
        exponent, quiet, payload_mask = 0x7F800000, 0x00400000, 0x007FFFFF
    else:
        exponent, quiet, payload_mask = 0x7FF0000000000000, 0x0008000000000000, 0x000FFFFFFFFFFFFF
    if bits & exponent != exponent or not bits & payload_mask:
        return False
    if pattern.kind == "canonical":
        return bits & payload_mask == quiet
    return bool(bits & quiet)


_LANES = {"i8x16": (16, 8), "i16x8": (8, 16), "i32x4": (4, 32), "i64x2": (2, 64),
          "f32x4": (4, 32), "f64x2": (2, 64)}


def matches(expected: Result, t: ValType, value: Any) -> bool:
    """True if the internal ``value`` of type ``t`` satisfies ``expected``."""
    if isinstance(expected, EitherResult):
        return any(matches(option, t, value) for option in expected.options)
    if isinstance(expected, NumResult):
        if not isinstance(t, NumType) or t is not expected.type:
            return False
        if isinstance(value, bool):
            value = int(value)
        if not isinstance(value, (int, float)):
            return False
        bits = _bits(t, value)
        if expected.nan is not None:
            return _nan_matches(t, bits, expected.nan)
        return bits == expected.bits
    if isinstance(expected, VecResult):
        if not isinstance(t, VecType) or not isinstance(value, int):
            return False
        count, width = _LANES[expected.shape]
        mask = (1 << width) - 1
        for k, lane in enumerate(expected.lanes):
            got = (value >> (k * width)) & mask
            if isinstance(lane, NanPattern):
                if not _nan_matches(F32 if width == 32 else F64, got, lane):
                    return False
            elif got != lane & mask:
                return False
        return count == len(expected.lanes)
    if isinstance(expected, RefResult):
        return _ref_matches(expected, t, value)
    return False


def _ref_matches(expected: RefResult, t: ValType, value: Any) -> bool:
    kind = expected.kind
    if kind == "null":
        return value is None
    if value is None:
        return False
    if kind in ("extern", "host"):
        if isinstance(value, (FunctionInstance, WasmThrow)):
            return False
        if expected.value is None:
            return True
        return isinstance(value, ExternRef) and value.value == expected.value
    if kind == "func":
        return isinstance(value, FunctionInstance)
    if kind == "exn":
        return isinstance(value, WasmThrow)
    return False  # GC kinds: no GC values exist in wasmem yet
