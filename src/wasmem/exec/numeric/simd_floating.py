"""Vector floating-point operators and conversions (spec "Vector Instructions"), on v128.

Each lane is computed by the scalar function of :mod:`wasmem.exec.numeric` for the same
operator, so the lanes follow exactly the scalar rules (rounding, NaN propagation, signed
zeros).  f32 lanes are read through their bit patterns so that NaN payloads, signalling
ones included, survive; f64 lanes go through ``struct``'s ``'d'`` format, which is
bit-exact.  Operators with an immediate take it last (``f32x4_extract_lane(v, lane)``,
``f32x4_replace_lane(v, x, lane)``).  Nothing here raises on valid operands.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Any

from . import convert
from . import floating as fl
from .bits import f32_from_bits, f32_round, f32_to_bits, f64_from_bits, f64_to_bits

__all__ = ["FLOAT_OPS", "f32x4_from_lanes", "f32x4_lanes", "f64x2_from_lanes", "f64x2_lanes"]

_F32X4 = struct.Struct("<4f")
_F64X2 = struct.Struct("<2d")
_U32X4 = struct.Struct("<4I")
_S32X4 = struct.Struct("<4i")
_U64X2 = struct.Struct("<2Q")
_isnan = math.isnan
_M32 = 0xFFFF_FFFF

V128Op = Callable[..., Any]


def f32x4_lanes(v: int) -> tuple[float, ...]:
    """Return the four f32 lanes of v128 ``v`` as f32 runtime values, NaN bits kept."""
    lanes: tuple[float, ...] = _F32X4.unpack(v.to_bytes(16, "little"))
    if any(map(_isnan, lanes)):  # the C float->double step may have quieted a NaN
        return tuple(f32_from_bits(x) for x in _U32X4.unpack(v.to_bytes(16, "little")))
    return lanes


def f32x4_from_lanes(lanes: tuple[float, ...] | list[float]) -> int:
    """Return the v128 with the four f32 runtime values ``lanes``, NaN bits kept."""
    if any(map(_isnan, lanes)):
        return int.from_bytes(_U32X4.pack(*[f32_to_bits(x) for x in lanes]), "little")
    return int.from_bytes(_F32X4.pack(*lanes), "little")


def f64x2_lanes(v: int) -> tuple[float, ...]:
    """Return the two f64 lanes of v128 ``v``, bit-exact."""
    lanes: tuple[float, ...] = _F64X2.unpack(v.to_bytes(16, "little"))
    return lanes


def f64x2_from_lanes(lanes: tuple[float, ...] | list[float]) -> int:
    """Return the v128 with the two f64 lanes ``lanes``, bit-exact."""
    return int.from_bytes(_F64X2.pack(*lanes), "little")


def _name(function: V128Op, name: str, doc: str) -> V128Op:
    function.__name__ = function.__qualname__ = name.replace(".", "_")
    function.__doc__ = doc
    return function


FLOAT_OPS: dict[str, V128Op] = {}
"""Text name -> function for every floating-point SIMD operator defined in this module."""


def _pmin(a: float, b: float) -> float:
    return min(a, b)


def _pmax(a: float, b: float) -> float:
    return max(a, b)


def _define_shape(shape: str) -> None:
    scalar = "f32" if shape == "f32x4" else "f64"
    lanes_of = f32x4_lanes if shape == "f32x4" else f64x2_lanes
    from_lanes = f32x4_from_lanes if shape == "f32x4" else f64x2_from_lanes
    width = 32 if shape == "f32x4" else 64
    mask = (1 << width) - 1
    count = 128 // width
    lane_bits = _U32X4 if shape == "f32x4" else _U64X2

    def put(op: str, function: V128Op) -> None:
        FLOAT_OPS[f"{shape}.{op}"] = function

    def binary(op: str, lane: Callable[[float, float], float], doc: str) -> None:
        def function(a: int, b: int) -> int:
            return from_lanes([lane(x, y) for x, y in zip(lanes_of(a), lanes_of(b), strict=True)])
        put(op, _name(function, f"{shape}.{op}", doc))

    def unary(op: str, lane: Callable[[float], float], doc: str) -> None:
        def function(a: int) -> int:
            return from_lanes([lane(x) for x in lanes_of(a)])
        put(op, _name(function, f"{shape}.{op}", doc))

    for op in ("add", "sub", "mul", "div", "min", "max"):
        binary(op, getattr(fl, f"{scalar}_{op}"),
               f"Return the lane-wise ``{scalar}.{op}`` of two {shape} vectors (spec \"f{op}\").")
    binary("pmin", _pmin, "Return ``b < a ? b : a`` lane-wise, bit-exact (spec \"fpmin\").")
    binary("pmax", _pmax, "Return ``a < b ? b : a`` lane-wise, bit-exact (spec \"fpmax\").")
    for op in ("sqrt", "ceil", "floor", "trunc", "nearest", "abs", "neg"):
        unary(op, getattr(fl, f"{scalar}_{op}"),
              f"Return the lane-wise ``{scalar}.{op}`` of a {shape} vector (spec \"f{op}\").")

    for op in ("eq", "ne", "lt", "gt", "le", "ge"):
        test = getattr(fl, f"{scalar}_{op}")
        pack = lane_bits.pack

        def compare(a: int, b: int, test: Callable[[float, float], int] = test,
                    pack: Callable[..., bytes] = pack) -> int:
            return int.from_bytes(pack(*[
                mask if test(x, y) else 0 for x, y in zip(lanes_of(a), lanes_of(b), strict=True)
            ]), "little")

        put(op, _name(compare, f"{shape}.{op}", f"Return all-ones lanes where ``{scalar}.{op}`` "
                      f"holds, else zero lanes (spec \"f{op}\")."))

    to_bits = f32_to_bits if width == 32 else f64_to_bits
    from_bits = f32_from_bits if width == 32 else f64_from_bits
    repeat = sum(1 << (i * width) for i in range(count))

    def splat(x: float) -> int:
        return to_bits(x) * repeat

    def extract(v: int, lane: int) -> float:
        return from_bits((v >> (lane * width)) & mask)

    def replace(v: int, x: float, lane: int) -> int:
        shift = lane * width
        return (v & ~(mask << shift)) | (to_bits(x) << shift)

    put("splat", _name(splat, f"{shape}.splat", f"Return a {shape} vector with every lane "
                       "the scalar, bit-exact (spec \"splat\")."))
    put("extract_lane", _name(extract, f"{shape}.extract_lane", "Return lane ``lane`` as a "
                              "float, bit-exact (spec \"extract_lane\")."))
    put("replace_lane", _name(replace, f"{shape}.replace_lane", "Return ``v`` with lane ``lane`` "
                              "replaced by ``x``, bit-exact (spec \"replace_lane\")."))


_define_shape("f32x4")
_define_shape("f64x2")


# ---------------------------------------------------------------- conversions

def _f32x4_convert_i32x4_s(a: int) -> int:
    lanes = _S32X4.unpack(a.to_bytes(16, "little"))
    return int.from_bytes(_F32X4.pack(*[float(x) for x in lanes]), "little")  # C rounds to f32


def _f32x4_convert_i32x4_u(a: int) -> int:
    lanes = _U32X4.unpack(a.to_bytes(16, "little"))
    return int.from_bytes(_F32X4.pack(*[float(x) for x in lanes]), "little")


def _f64x2_convert_low_i32x4_s(a: int) -> int:
    lanes = _S32X4.unpack(a.to_bytes(16, "little"))
    return int.from_bytes(_F64X2.pack(float(lanes[0]), float(lanes[1])), "little")


def _f64x2_convert_low_i32x4_u(a: int) -> int:
    return int.from_bytes(_F64X2.pack(float(a & _M32), float((a >> 32) & _M32)), "little")


def _i32x4_trunc_sat_f32x4_s(a: int) -> int:
    trunc = convert.i32_trunc_sat_f32_s
    return int.from_bytes(_U32X4.pack(*[trunc(x) for x in f32x4_lanes(a)]), "little")


def _i32x4_trunc_sat_f32x4_u(a: int) -> int:
    trunc = convert.i32_trunc_sat_f32_u
    return int.from_bytes(_U32X4.pack(*[trunc(x) for x in f32x4_lanes(a)]), "little")


def _i32x4_trunc_sat_f64x2_s_zero(a: int) -> int:
    low, high = f64x2_lanes(a)
    trunc = convert.i32_trunc_sat_f64_s
    return trunc(low) | trunc(high) << 32


def _i32x4_trunc_sat_f64x2_u_zero(a: int) -> int:
    low, high = f64x2_lanes(a)
    trunc = convert.i32_trunc_sat_f64_u
    return trunc(low) | trunc(high) << 32


def _f32x4_demote_f64x2_zero(a: int) -> int:
    low, high = f64x2_lanes(a)
    return f32x4_from_lanes([f32_round(low), f32_round(high), 0.0, 0.0])


def _f64x2_promote_low_f32x4(a: int) -> int:
    lanes = f32x4_lanes(a)
    promote = convert.f64_promote_f32
    return f64x2_from_lanes([promote(lanes[0]), promote(lanes[1])])


for _function, _op, _doc in (
    (_f32x4_convert_i32x4_s, "f32x4.convert_i32x4_s",
     "Return the signed i32 lanes converted to the nearest f32 (spec \"convert_s\")."),
    (_f32x4_convert_i32x4_u, "f32x4.convert_i32x4_u",
     "Return the unsigned i32 lanes converted to the nearest f32 (spec \"convert_u\")."),
    (_f64x2_convert_low_i32x4_s, "f64x2.convert_low_i32x4_s",
     "Return the two low signed i32 lanes converted to f64 (spec \"convert_s\")."),
    (_f64x2_convert_low_i32x4_u, "f64x2.convert_low_i32x4_u",
     "Return the two low unsigned i32 lanes converted to f64 (spec \"convert_u\")."),
    (_i32x4_trunc_sat_f32x4_s, "i32x4.trunc_sat_f32x4_s",
     "Return the f32 lanes truncated to saturated signed i32 lanes (spec \"trunc_sat_s\")."),
    (_i32x4_trunc_sat_f32x4_u, "i32x4.trunc_sat_f32x4_u",
     "Return the f32 lanes truncated to saturated unsigned i32 lanes (spec \"trunc_sat_u\")."),
    (_i32x4_trunc_sat_f64x2_s_zero, "i32x4.trunc_sat_f64x2_s_zero",
     ("Return the two f64 lanes truncated to saturated signed i32 lanes, upper lanes zero "
      "(spec \"trunc_sat_s\").")),
    (_i32x4_trunc_sat_f64x2_u_zero, "i32x4.trunc_sat_f64x2_u_zero",
     ("Return the two f64 lanes truncated to saturated unsigned i32 lanes, upper lanes zero "
      "(spec \"trunc_sat_u\").")),
    (_f32x4_demote_f64x2_zero, "f32x4.demote_f64x2_zero",
     "Return the two f64 lanes rounded to f32, upper lanes zero (spec \"demote\")."),
    (_f64x2_promote_low_f32x4, "f64x2.promote_low_f32x4",
     "Return the two low f32 lanes as f64 (spec \"promote\")."),
):
    FLOAT_OPS[_op] = _name(_function, _op, _doc)
