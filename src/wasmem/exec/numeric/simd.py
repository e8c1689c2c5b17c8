"""SIMD lane operators (spec "Execution / Instructions / Vector Instructions") on v128 values.

A v128 value is a Python int in ``[0, 2**128)``, lane 0 in the low bits.
:data:`SIMD_OPS` maps the text name of every 0xFD instruction that computes on values
(everything but loads, stores and ``v128.const``) to its function; operators with an
immediate take it as the last argument (``i8x16.extract_lane_s(v, lane)``,
``i8x16.replace_lane(v, x, lane)``, ``i8x16.shuffle(a, b, lanes)``).  The code lives in
:mod:`.simd_integer` (integer, bitwise and lane operators) and
:mod:`.simd_floating` (floating-point operators and conversions).

Relaxed SIMD operators (Wasm 3.0) may return any of several results; wasmem always picks
the deterministic one, the result of the corresponding plain operator: ``relaxed_swizzle``
is ``swizzle``, ``relaxed_trunc`` is ``trunc_sat``, ``relaxed_min``/``max`` are
``min``/``max``, ``relaxed_laneselect`` is ``bitselect``, ``relaxed_q15mulr_s`` is
``q15mulr_sat_s``, ``relaxed_madd``/``nmadd`` round the product before adding (not fused),
and the relaxed dot products read both operands as signed bytes (16-bit sums saturate).
Nothing here raises on valid operands.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ...syntax.opcodes import OPCODES, Imm
from . import floating as fl
from .simd_floating import (
    FLOAT_OPS,
    f32x4_from_lanes,
    f32x4_lanes,
    f64x2_from_lanes,
    f64x2_lanes,
)
from .simd_integer import INT_OPS, M128, v128_from_lanes, v128_lanes

__all__ = [
    "M128",
    "SIMD_OPS",
    "f32x4_from_lanes",
    "f32x4_lanes",
    "f64x2_from_lanes",
    "f64x2_lanes",
    "simd_names",
    "v128_from_lanes",
    "v128_lanes",
]

_S8 = struct.Struct("<16b")
_U16 = struct.Struct("<8H")
_S32 = struct.Struct("<4i")
_U32 = struct.Struct("<4I")

V128Op = Callable[..., Any]


def simd_names() -> list[str]:
    """Return the text names of the computing SIMD instructions, in opcode-table order.

    Those are the 0xFD rows of :data:`wasmem.syntax.opcodes.OPCODES` that are not memory
    instructions (no memarg) and not ``v128.const``.
    """
    return [
        info.name for key, info in OPCODES.items()
        if key >> 16 == 0xFD and info.imm not in (Imm.MEMARG, Imm.MEMARG_LANE, Imm.V128)
    ]


# ---------------------------------------------------------------- relaxed SIMD

def _f32x4_relaxed_madd(a: int, b: int, c: int) -> int:
    mul, add = fl.f32_mul, fl.f32_add
    return f32x4_from_lanes([add(mul(x, y), z) for x, y, z in
                             zip(f32x4_lanes(a), f32x4_lanes(b), f32x4_lanes(c), strict=True)])


def _f32x4_relaxed_nmadd(a: int, b: int, c: int) -> int:
    mul, add, neg = fl.f32_mul, fl.f32_add, fl.f32_neg
    return f32x4_from_lanes([add(neg(mul(x, y)), z) for x, y, z in
                             zip(f32x4_lanes(a), f32x4_lanes(b), f32x4_lanes(c), strict=True)])


def _f64x2_relaxed_madd(a: int, b: int, c: int) -> int:
    return f64x2_from_lanes([x * y + z for x, y, z in
                             zip(f64x2_lanes(a), f64x2_lanes(b), f64x2_lanes(c), strict=True)])


def _f64x2_relaxed_nmadd(a: int, b: int, c: int) -> int:
    neg = fl.f64_neg
    return f64x2_from_lanes([neg(x * y) + z for x, y, z in
                             zip(f64x2_lanes(a), f64x2_lanes(b), f64x2_lanes(c), strict=True)])


def _dot_i8_pairs(a: int, b: int) -> list[int]:
    """Saturated signed 16-bit sums of adjacent signed byte products."""
    x = _S8.unpack(a.to_bytes(16, "little"))
    y = _S8.unpack(b.to_bytes(16, "little"))
    sums = []
    for i in range(0, 16, 2):
        total = x[i] * y[i] + x[i + 1] * y[i + 1]
        sums.append(min(total, 32767))  # the least is -32512: no low clamp
    return sums


def _i16x8_relaxed_dot_i8x16_i7x16_s(a: int, b: int) -> int:
    return int.from_bytes(_U16.pack(*[s & 0xFFFF for s in _dot_i8_pairs(a, b)]), "little")


def _i32x4_relaxed_dot_i8x16_i7x16_add_s(a: int, b: int, c: int) -> int:
    sums = _dot_i8_pairs(a, b)
    accumulators = _S32.unpack(c.to_bytes(16, "little"))
    return int.from_bytes(_U32.pack(*[
        (sums[2 * i] + sums[2 * i + 1] + accumulators[i]) & 0xFFFF_FFFF for i in range(4)
    ]), "little")


def _name(function: V128Op, name: str, doc: str) -> V128Op:
    function.__name__ = function.__qualname__ = name.replace(".", "_")
    function.__doc__ = doc
    return function


def _build_table() -> dict[str, V128Op]:
    table: dict[str, V128Op] = {**INT_OPS, **FLOAT_OPS}
    for shape in ("i8x16", "i16x8", "i32x4", "i64x2"):
        table[f"{shape}.relaxed_laneselect"] = table["v128.bitselect"]
    table["i8x16.relaxed_swizzle"] = table["i8x16.swizzle"]
    table["i16x8.relaxed_q15mulr_s"] = table["i16x8.q15mulr_sat_s"]
    for shape in ("f32x4", "f64x2"):
        table[f"{shape}.relaxed_min"] = table[f"{shape}.min"]
        table[f"{shape}.relaxed_max"] = table[f"{shape}.max"]
    for suffix in ("f32x4_s", "f32x4_u", "f64x2_s_zero", "f64x2_u_zero"):
        table[f"i32x4.relaxed_trunc_{suffix}"] = table[f"i32x4.trunc_sat_{suffix}"]
    for function, name, doc in (
        (_f32x4_relaxed_madd, "f32x4.relaxed_madd",
         "Return ``a * b + c`` lane-wise, the product rounded first (spec \"relaxed_madd\")."),
        (_f32x4_relaxed_nmadd, "f32x4.relaxed_nmadd",
         "Return ``-(a * b) + c`` lane-wise, the product rounded first (spec \"relaxed_nmadd\")."),
        (_f64x2_relaxed_madd, "f64x2.relaxed_madd",
         "Return ``a * b + c`` lane-wise, the product rounded first (spec \"relaxed_madd\")."),
        (_f64x2_relaxed_nmadd, "f64x2.relaxed_nmadd",
         "Return ``-(a * b) + c`` lane-wise, the product rounded first (spec \"relaxed_nmadd\")."),
        (_i16x8_relaxed_dot_i8x16_i7x16_s, "i16x8.relaxed_dot_i8x16_i7x16_s",
         ("Return the saturated sums of signed products of adjacent byte pairs "
          "(spec \"relaxed_dot\").")),
        (_i32x4_relaxed_dot_i8x16_i7x16_add_s, "i32x4.relaxed_dot_i8x16_i7x16_add_s",
         ("Return the sums of four adjacent signed byte products plus ``c``, as i32 lanes "
          "(spec \"relaxed_dot_add\").")),
    ):
        table[name] = _name(function, name, doc)
    names = simd_names()
    known = set(names)
    missing = [name for name in names if name not in table]
    extra = [name for name in table if name not in known]
    if missing or extra:
        raise RuntimeError(f"SIMD table mismatch: missing {missing}, unknown {extra}")
    return {name: table[name] for name in names}


SIMD_OPS: dict[str, V128Op] = _build_table()
"""Text name of each computing SIMD instruction -> the function computing it."""
