"""Vector integer, bitwise and lane operators (spec "Execution / Instructions / Vector
Instructions" and "Numerics"), on v128 values.

A v128 value is a Python int in ``[0, 2**128)``; lane 0 is in the low bits (the value's
little-endian bytes are the vector's bytes).  Lanes are unpacked with precompiled
``struct.Struct`` objects, and a few operators (add, sub, splat, bitwise) work on the
whole 128-bit int at once.

Operators with an immediate take it last: ``i8x16_extract_lane_s(v, lane)``,
``i8x16_replace_lane(v, x, lane)``, ``i8x16_shuffle(a, b, lanes)`` (``lanes`` a sequence of
16 ints below 32).  Scalar operands and results use the runtime representation of
:mod:`wasmem.exec.numeric` (i32/i64 unsigned ints).  Nothing here raises on valid operands.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence

__all__ = [
    "INT_OPS",
    "LANE_FORMATS",
    "M128",
    "i8x16_shuffle",
    "i8x16_swizzle",
    "v128_and",
    "v128_andnot",
    "v128_any_true",
    "v128_bitselect",
    "v128_from_lanes",
    "v128_lanes",
    "v128_not",
    "v128_or",
    "v128_xor",
]

M128 = (1 << 128) - 1
"""Mask of a v128 value."""

_U8 = struct.Struct("<16B")
_S8 = struct.Struct("<16b")
_U16 = struct.Struct("<8H")
_S16 = struct.Struct("<8h")
_U32 = struct.Struct("<4I")
_S32 = struct.Struct("<4i")
_U64 = struct.Struct("<2Q")
_S64 = struct.Struct("<2q")

LANE_FORMATS: dict[tuple[int, bool], struct.Struct] = {
    (8, False): _U8, (8, True): _S8, (16, False): _U16, (16, True): _S16,
    (32, False): _U32, (32, True): _S32, (64, False): _U64, (64, True): _S64,
}
"""(lane width, signed) -> the Struct that splits 16 bytes into lanes."""

_SHAPES = {"i8x16": 8, "i16x8": 16, "i32x4": 32, "i64x2": 64}
# each lane's low bits set / high bit set, for whole-vector (SWAR) arithmetic
_REPEAT = {w: sum(1 << (i * w) for i in range(128 // w)) for w in (8, 16, 32, 64)}
_HIGH = {w: _REPEAT[w] << (w - 1) for w in (8, 16, 32, 64)}

V128Op = Callable[..., int]


def v128_lanes(v: int, width: int, signed: bool = False) -> tuple[int, ...]:
    """Return the lanes of v128 ``v`` as ints (lane 0 first), ``width`` in 8/16/32/64 bits."""
    return LANE_FORMATS[width, signed].unpack(v.to_bytes(16, "little"))


def v128_from_lanes(lanes: Sequence[int], width: int) -> int:
    """Return the v128 whose ``width``-bit lanes are ``lanes`` (each reduced modulo 2**width)."""
    mask = (1 << width) - 1
    return int.from_bytes(LANE_FORMATS[width, False].pack(*[x & mask for x in lanes]), "little")


def _name(function: V128Op, name: str, doc: str) -> V128Op:
    function.__name__ = function.__qualname__ = name.replace(".", "_")
    function.__doc__ = doc
    return function


# ---------------------------------------------------------------- generic lane-wise builders

def _binary(name: str, width: int, signed: bool, lane: Callable[[int, int], int],
            doc: str) -> V128Op:
    """A lane-wise binary operator; ``lane`` may return any int (it is wrapped)."""
    unpack = LANE_FORMATS[width, signed].unpack
    pack = LANE_FORMATS[width, False].pack
    mask = (1 << width) - 1

    def op(a: int, b: int) -> int:
        lanes_a = unpack(a.to_bytes(16, "little"))
        lanes_b = unpack(b.to_bytes(16, "little"))
        return int.from_bytes(
            pack(*[lane(x, y) & mask for x, y in zip(lanes_a, lanes_b, strict=True)]), "little")

    return _name(op, name, doc)


def _unary(name: str, width: int, signed: bool, lane: Callable[[int], int], doc: str) -> V128Op:
    unpack = LANE_FORMATS[width, signed].unpack
    pack = LANE_FORMATS[width, False].pack
    mask = (1 << width) - 1

    def op(a: int) -> int:
        return int.from_bytes(pack(*[lane(x) & mask for x in unpack(a.to_bytes(16, "little"))]),
                              "little")

    return _name(op, name, doc)


def _saturate(low: int, high: int) -> Callable[[int], int]:
    def clamp(x: int) -> int:
        return low if x < low else min(x, high)
    return clamp


# ---------------------------------------------------------------- bitwise

def v128_not(a: int) -> int:
    """Return the bitwise complement of ``a`` (spec "inot_128")."""
    return a ^ M128


def v128_and(a: int, b: int) -> int:
    """Return ``a & b`` (spec "iand_128")."""
    return a & b


def v128_andnot(a: int, b: int) -> int:
    """Return ``a & ~b`` (spec "iandnot_128")."""
    return a & (b ^ M128)


def v128_or(a: int, b: int) -> int:
    """Return ``a | b`` (spec "ior_128")."""
    return a | b


def v128_xor(a: int, b: int) -> int:
    """Return ``a ^ b`` (spec "ixor_128")."""
    return a ^ b


def v128_bitselect(a: int, b: int, mask: int) -> int:
    """Return the bits of ``a`` where ``mask`` is 1 and of ``b`` elsewhere (spec "ibitselect")."""
    return (a & mask) | (b & (mask ^ M128))


def v128_any_true(a: int) -> int:
    """Return 1 if any bit of ``a`` is set, else 0 (spec "v128.any_true")."""
    return 1 if a else 0


# ---------------------------------------------------------------- shuffles

def i8x16_shuffle(a: int, b: int, lanes: Sequence[int]) -> int:
    """Return the bytes of ``a`` (indices 0..15) and ``b`` (16..31) picked by ``lanes``.

    Spec "i8x16.shuffle"; ``lanes`` is the 16-entry immediate (validated to be < 32).
    """
    both = a.to_bytes(16, "little") + b.to_bytes(16, "little")
    return int.from_bytes(bytes([both[i] for i in lanes]), "little")


def i8x16_swizzle(a: int, s: int) -> int:
    """Return the bytes of ``a`` selected by the bytes of ``s``; an index >= 16 gives 0.

    Spec "i8x16.swizzle".
    """
    table = a.to_bytes(16, "little")
    return int.from_bytes(bytes([table[i] if i < 16 else 0 for i in s.to_bytes(16, "little")]),
                          "little")


# ---------------------------------------------------------------- the per-shape operators

INT_OPS: dict[str, V128Op] = {}
"""Text name -> function for every integer-lane SIMD operator defined in this module."""


def _swar_add(width: int) -> Callable[[int, int], int]:
    low = M128 ^ _HIGH[width]
    high = _HIGH[width]

    def add(a: int, b: int) -> int:
        return ((a & low) + (b & low)) ^ ((a ^ b) & high)
    return add


def _swar_sub(width: int) -> Callable[[int, int], int]:
    low = M128 ^ _HIGH[width]
    high = _HIGH[width]

    def sub(a: int, b: int) -> int:
        return ((a | high) - (b & low)) ^ ((a ^ b ^ high) & high)
    return sub


def _define_shape(shape: str) -> None:
    width = _SHAPES[shape]
    mask = (1 << width) - 1
    unsigned = LANE_FORMATS[width, False]
    signed = LANE_FORMATS[width, True]
    smin, smax = -(1 << (width - 1)), (1 << (width - 1)) - 1
    ops = INT_OPS

    def put(op: str, function: V128Op) -> None:
        ops[f"{shape}.{op}"] = function

    add, sub = _swar_add(width), _swar_sub(width)
    put("add", _name(add, f"{shape}.add", f"Return the lane-wise sum of {shape} vectors, "
                     f"modulo 2**{width} (spec \"iadd\")."))
    put("sub", _name(sub, f"{shape}.sub", f"Return the lane-wise difference of {shape} vectors, "
                     f"modulo 2**{width} (spec \"isub\")."))
    put("neg", _name(lambda a: sub(0, a), f"{shape}.neg",
                     f"Return the lane-wise negation of a {shape} vector (spec \"ineg\")."))
    put("abs", _unary(f"{shape}.abs", width, True, abs,
                      f"Return the lane-wise absolute value of a {shape} vector; the most "
                      f"negative lane stays as it is (spec \"iabs\")."))
    repeat = _REPEAT[width]
    put("splat", _name(lambda x: (x & mask) * repeat, f"{shape}.splat",
                       f"Return a {shape} vector with every lane the low {width} bits of the "
                       f"scalar (spec \"{shape}.splat\")."))
    if width != 8:
        put("mul", _binary(f"{shape}.mul", width, False, lambda x, y: x * y,
                           f"Return the lane-wise product modulo 2**{width} (spec \"imul\")."))

    def shl(a: int, k: int) -> int:
        k &= width - 1
        return int.from_bytes(unsigned.pack(*[(x << k) & mask
                                              for x in unsigned.unpack(a.to_bytes(16, "little"))]),
                              "little")

    def shr_s(a: int, k: int) -> int:
        k &= width - 1
        return int.from_bytes(unsigned.pack(*[(x >> k) & mask
                                              for x in signed.unpack(a.to_bytes(16, "little"))]),
                              "little")

    def shr_u(a: int, k: int) -> int:
        k &= width - 1
        return int.from_bytes(unsigned.pack(*[x >> k
                                              for x in unsigned.unpack(a.to_bytes(16, "little"))]),
                              "little")

    put("shl", _name(shl, f"{shape}.shl", f"Return each lane shifted left by the i32 count "
                     f"modulo {width} (spec \"ishl\")."))
    put("shr_s", _name(shr_s, f"{shape}.shr_s", f"Return each lane arithmetically shifted right "
                       f"by the i32 count modulo {width} (spec \"ishr_s\")."))
    put("shr_u", _name(shr_u, f"{shape}.shr_u", f"Return each lane logically shifted right by "
                       f"the i32 count modulo {width} (spec \"ishr_u\")."))

    def all_true(a: int) -> int:
        return 0 if 0 in unsigned.unpack(a.to_bytes(16, "little")) else 1

    def bitmask(a: int) -> int:
        result = 0
        for i, x in enumerate(signed.unpack(a.to_bytes(16, "little"))):
            if x < 0:
                result |= 1 << i
        return result

    put("all_true", _name(all_true, f"{shape}.all_true", "Return 1 if every lane is non-zero, "
                          "else 0 (spec \"all_true\")."))
    put("bitmask", _name(bitmask, f"{shape}.bitmask", "Return an i32 whose bit i is the top bit "
                         "of lane i (spec \"bitmask\")."))

    def extract_s(v: int, lane: int) -> int:
        x = (v >> (lane * width)) & mask
        return ((x ^ (1 << (width - 1))) - (1 << (width - 1))) & 0xFFFF_FFFF

    def extract(v: int, lane: int) -> int:
        return (v >> (lane * width)) & mask

    def replace(v: int, x: int, lane: int) -> int:
        shift = lane * width
        return (v & ~(mask << shift)) | ((x & mask) << shift)

    if width < 32:
        put("extract_lane_s", _name(extract_s, f"{shape}.extract_lane_s", "Return lane ``lane`` "
                                    "sign-extended to an i32 (spec \"extract_lane_s\")."))
        put("extract_lane_u", _name(extract, f"{shape}.extract_lane_u", "Return lane ``lane`` "
                                    "zero-extended to an i32 (spec \"extract_lane_u\")."))
    else:
        put("extract_lane", _name(extract, f"{shape}.extract_lane", "Return lane ``lane`` "
                                  "(spec \"extract_lane\")."))
    put("replace_lane", _name(replace, f"{shape}.replace_lane", "Return ``v`` with lane ``lane`` "
                              "replaced by the low bits of ``x`` (spec \"replace_lane\")."))

    # comparisons: all-ones lanes for true
    for op, test, is_signed in (
        ("eq", lambda x, y: x == y, False), ("ne", lambda x, y: x != y, False),
        ("lt_s", lambda x, y: x < y, True), ("lt_u", lambda x, y: x < y, False),
        ("gt_s", lambda x, y: x > y, True), ("gt_u", lambda x, y: x > y, False),
        ("le_s", lambda x, y: x <= y, True), ("le_u", lambda x, y: x <= y, False),
        ("ge_s", lambda x, y: x >= y, True), ("ge_u", lambda x, y: x >= y, False),
    ):
        if width == 64 and op.endswith("_u"):
            continue
        put(op, _binary(f"{shape}.{op}", width, is_signed,
                        lambda x, y, test=test: -1 if test(x, y) else 0,  # type: ignore[misc]
                        f"Return all-ones lanes where the {op} comparison holds, else zero "
                        f"lanes (spec \"{op}\")."))
    if width == 64:
        return
    for op, choose, is_signed in (
        ("min_s", min, True), ("min_u", min, False), ("max_s", max, True), ("max_u", max, False),
    ):
        put(op, _binary(f"{shape}.{op}", width, is_signed, choose,
                        f"Return the lane-wise {op[:3]}imum, {op[-1]}igned (spec \"i{op}\")."))
    if width == 32:
        return
    clamp_s, clamp_u = _saturate(smin, smax), _saturate(0, mask)
    put("add_sat_s", _binary(f"{shape}.add_sat_s", width, True, lambda x, y: clamp_s(x + y),
                             "Return the lane-wise signed saturating sum (spec \"iadd_sat_s\")."))
    put("add_sat_u", _binary(f"{shape}.add_sat_u", width, False, lambda x, y: clamp_u(x + y),
                             "Return the lane-wise unsigned saturating sum (spec \"iadd_sat_u\")."))
    put("sub_sat_s", _binary(f"{shape}.sub_sat_s", width, True, lambda x, y: clamp_s(x - y),
                             "Return the lane-wise signed saturating difference "
                             "(spec \"isub_sat_s\")."))
    put("sub_sat_u", _binary(f"{shape}.sub_sat_u", width, False, lambda x, y: clamp_u(x - y),
                             "Return the lane-wise unsigned saturating difference "
                             "(spec \"isub_sat_u\")."))
    put("avgr_u", _binary(f"{shape}.avgr_u", width, False, lambda x, y: (x + y + 1) >> 1,
                          "Return the lane-wise unsigned average, rounding up "
                          "(spec \"iavgr_u\")."))


for _shape in _SHAPES:
    _define_shape(_shape)


# ---------------------------------------------------------------- widening and narrowing

def _narrow(name: str, width: int, to_signed: bool) -> V128Op:
    """Narrow two vectors of signed ``width``-bit lanes to ``width // 2``-bit lanes."""
    source = LANE_FORMATS[width, True].unpack
    half = width // 2
    target = LANE_FORMATS[half, False].pack
    low, high = (-(1 << (half - 1)), (1 << (half - 1)) - 1) if to_signed else (0, (1 << half) - 1)
    mask = (1 << half) - 1

    def op(a: int, b: int) -> int:
        lanes = source(a.to_bytes(16, "little")) + source(b.to_bytes(16, "little"))
        return int.from_bytes(
            target(*[(low if x < low else min(x, high)) & mask for x in lanes]),
            "little")

    kind = "signed" if to_signed else "unsigned"
    return _name(op, name, f"Return the lanes of ``a`` then ``b`` (read as signed) saturated "
                 f"to {kind} {half}-bit lanes (spec \"narrow\").")


def _extend(name: str, width: int, high: bool, is_signed: bool) -> V128Op:
    """Widen the low or high half of the ``width // 2``-bit lanes to ``width`` bits."""
    source = LANE_FORMATS[width // 2, is_signed].unpack
    target = LANE_FORMATS[width, False].pack
    start = 128 // width if high else 0
    mask = (1 << width) - 1

    def op(a: int) -> int:
        lanes = source(a.to_bytes(16, "little"))[start:start + 128 // width]
        return int.from_bytes(target(*[x & mask for x in lanes]), "little")

    part = "high" if high else "low"
    return _name(op, name, f"Return the {part} half of the lanes, "
                 f"{'sign' if is_signed else 'zero'}-extended to {width} bits (spec \"extend\").")


def _extmul(name: str, width: int, high: bool, is_signed: bool) -> V128Op:
    source = LANE_FORMATS[width // 2, is_signed].unpack
    target = LANE_FORMATS[width, False].pack
    start = 128 // width if high else 0
    stop = start + 128 // width
    mask = (1 << width) - 1

    def op(a: int, b: int) -> int:
        lanes_a = source(a.to_bytes(16, "little"))[start:stop]
        lanes_b = source(b.to_bytes(16, "little"))[start:stop]
        return int.from_bytes(
            target(*[(x * y) & mask for x, y in zip(lanes_a, lanes_b, strict=True)]), "little")

    part = "high" if high else "low"
    return _name(op, name, f"Return the products of the {part} halves of the lanes, widened to "
                 f"{width} bits first (spec \"extmul\").")


def _extadd_pairwise(name: str, width: int, is_signed: bool) -> V128Op:
    source = LANE_FORMATS[width // 2, is_signed].unpack
    target = LANE_FORMATS[width, False].pack
    mask = (1 << width) - 1

    def op(a: int) -> int:
        lanes = source(a.to_bytes(16, "little"))
        return int.from_bytes(
            target(*[(lanes[i] + lanes[i + 1]) & mask for i in range(0, len(lanes), 2)]),
            "little")

    return _name(op, name, f"Return the sums of adjacent lane pairs, widened to {width} bits "
                 "(spec \"extadd_pairwise\").")


for _wide, _narrow_shape in ((16, "i8x16"), (32, "i16x8"), (64, "i32x4")):
    _wide_shape = {16: "i16x8", 32: "i32x4", 64: "i64x2"}[_wide]
    for _s in ("s", "u"):
        for _part in ("low", "high"):
            _full = f"{_wide_shape}.extend_{_part}_{_narrow_shape}_{_s}"
            INT_OPS[_full] = _extend(_full, _wide, _part == "high", _s == "s")
            _full = f"{_wide_shape}.extmul_{_part}_{_narrow_shape}_{_s}"
            INT_OPS[_full] = _extmul(_full, _wide, _part == "high", _s == "s")
        if _wide != 64:
            _full = f"{_wide_shape}.extadd_pairwise_{_narrow_shape}_{_s}"
            INT_OPS[_full] = _extadd_pairwise(_full, _wide, _s == "s")
            _full = f"{_narrow_shape}.narrow_{_wide_shape}_{_s}"
            INT_OPS[_full] = _narrow(_full, _wide, _s == "s")


# ---------------------------------------------------------------- the odd ones

def _q15mulr(x: int, y: int) -> int:
    product = (x * y + 0x4000) >> 15
    return min(product, 32767)


INT_OPS["i16x8.q15mulr_sat_s"] = _binary(
    "i16x8.q15mulr_sat_s", 16, True, _q15mulr,
    "Return the lane-wise Q15 product, rounded and saturated (spec \"iq15mulr_sat_s\").")


def _i8x16_popcnt(a: int) -> int:
    return int.from_bytes(bytes([x.bit_count() for x in a.to_bytes(16, "little")]), "little")


INT_OPS["i8x16.popcnt"] = _name(_i8x16_popcnt, "i8x16.popcnt",
                                "Return the number of one bits of each byte lane "
                                "(spec \"ipopcnt\").")


def _i32x4_dot_i16x8_s(a: int, b: int) -> int:
    x = _S16.unpack(a.to_bytes(16, "little"))
    y = _S16.unpack(b.to_bytes(16, "little"))
    return int.from_bytes(_U32.pack(*[
        (x[i] * y[i] + x[i + 1] * y[i + 1]) & 0xFFFF_FFFF for i in range(0, 8, 2)]), "little")


INT_OPS["i32x4.dot_i16x8_s"] = _name(_i32x4_dot_i16x8_s, "i32x4.dot_i16x8_s",
                                     "Return the sums of the signed products of adjacent i16 "
                                     "lane pairs, as i32 lanes (spec \"idot\").")
INT_OPS["i8x16.shuffle"] = i8x16_shuffle
INT_OPS["i8x16.swizzle"] = i8x16_swizzle
INT_OPS["v128.not"] = v128_not
INT_OPS["v128.and"] = v128_and
INT_OPS["v128.andnot"] = v128_andnot
INT_OPS["v128.or"] = v128_or
INT_OPS["v128.xor"] = v128_xor
INT_OPS["v128.bitselect"] = v128_bitselect
INT_OPS["v128.any_true"] = v128_any_true
