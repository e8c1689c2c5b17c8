"""The one opcode table (spec "Binary Format / Instructions", "Text Format / Instructions").

Every instruction wasmem knows is one row here: its key, text name, immediate kind,
fixed operand types (when it has a fixed signature) and, for memory instructions, the
access width, and its classes (:class:`OpClass`: structured, branch, terminator, call,
constant). The text parser, printer, binary decoder, encoder, validator, execution tiers
and the linter all derive what they need from this table; nothing else lists opcodes
(the sets :data:`STRUCTURED`, :data:`BRANCHES`, :data:`TERMINATORS`, :data:`CALLS`,
:data:`TAIL_CALLS` and :data:`CONSTANT_INSTRUCTIONS` are computed from the rows).

Keys: a single-byte opcode is its byte (``0x6A`` for ``i32.add``); a prefixed opcode
is ``prefix << 16 | sub`` (``0xFC0008`` for ``memory.init``, ``0xFD000C`` for
``v128.const``).
"""

from __future__ import annotations

from .opcode_row import (PREFIXES, Imm, NO_CLASS, OpClass, OpInfo, opcode_bytes,
                         prefixed)
from .types import F32, F64, I32, I64, V128, ValType

_NONE = NO_CLASS
_STRUCTURED, _BRANCH, _TERMINATOR, _CALL, _CONSTANT = (
    OpClass.STRUCTURED, OpClass.BRANCH, OpClass.TERMINATOR, OpClass.CALL, OpClass.CONSTANT)

__all__ = ["Imm", "OpInfo", "OPCODES", "BY_NAME", "Op", "prefixed", "PREFIXES", "opcode_bytes",
           "OpClass", "of_class", "STRUCTURED", "BRANCHES", "TERMINATORS", "CALLS",
           "TAIL_CALLS", "CONSTANT_INSTRUCTIONS"]


OPCODES: dict[int, OpInfo] = {}
BY_NAME: dict[str, OpInfo] = {}


_CLASSES_OF_GENERATED_ROWS = {name: _CONSTANT for name in (
    "i32.add", "i32.sub", "i32.mul", "i64.add", "i64.sub", "i64.mul")}
"""Classes of rows added in loops below (extended constant expressions)."""


_BR_ON_CAST = Imm.BR_ON_CAST  # (named once: an enum member costs 0.15 us a lookup)


def _add(key: int, name: str, imm: Imm = Imm.NONE, params: tuple[ValType, ...] | None = None,
         results: tuple[ValType, ...] | None = None, *, memory_size: int = 0,
         memory_type: ValType | None = None, signed: bool = False, feature: str = "core",
         classes: OpClass = _NONE) -> None:
    extra = _CLASSES_OF_GENERATED_ROWS.get(name)
    if extra is not None:  # (flag operations are slow: only where there is one to do)
        classes |= extra
    if imm is _BR_ON_CAST:
        classes |= _BRANCH
    info = OpInfo(key, name, imm, params, results, memory_size, memory_type, signed, feature,
                  classes)
    if key in OPCODES or name in BY_NAME:
        raise RuntimeError(f"duplicate opcode row {key:#x} {name}")
    OPCODES[key] = info
    BY_NAME[name] = info


# ---------------------------------------------------------------- control
_add(0x00, "unreachable", classes=_TERMINATOR)
_add(0x01, "nop", Imm.NONE, (), ())
_add(0x02, "block", Imm.BLOCK, classes=_STRUCTURED)
_add(0x03, "loop", Imm.BLOCK, classes=_STRUCTURED)
_add(0x04, "if", Imm.BLOCK, classes=_STRUCTURED)
_add(0x08, "throw", Imm.TAG, classes=_TERMINATOR)
_add(0x0A, "throw_ref", classes=_TERMINATOR)
_add(0x0C, "br", Imm.LABEL, classes=_BRANCH | _TERMINATOR)
_add(0x0D, "br_if", Imm.LABEL, classes=_BRANCH)
_add(0x0E, "br_table", Imm.BR_TABLE, classes=_BRANCH | _TERMINATOR)
_add(0x0F, "return", classes=_TERMINATOR)
_add(0x10, "call", Imm.FUNC, classes=_CALL)
_add(0x11, "call_indirect", Imm.CALL_INDIRECT, classes=_CALL)
_add(0x12, "return_call", Imm.FUNC, classes=_CALL | _TERMINATOR)
_add(0x13, "return_call_indirect", Imm.CALL_INDIRECT, classes=_CALL | _TERMINATOR)
_add(0x14, "call_ref", Imm.TYPE, classes=_CALL)
_add(0x15, "return_call_ref", Imm.TYPE, classes=_CALL | _TERMINATOR)
_add(0x1F, "try_table", Imm.TRY_TABLE, classes=_STRUCTURED)
# ---------------------------------------------------------------- parametric
_add(0x1A, "drop")
_add(0x1B, "select")
_add(0x1C, "select_t", Imm.SELECT_T)  # text name is "select" with a (result) clause
# ---------------------------------------------------------------- variables
_add(0x20, "local.get", Imm.LOCAL)
_add(0x21, "local.set", Imm.LOCAL)
_add(0x22, "local.tee", Imm.LOCAL)
_add(0x23, "global.get", Imm.GLOBAL, classes=_CONSTANT)
_add(0x24, "global.set", Imm.GLOBAL)
# ---------------------------------------------------------------- tables
_add(0x25, "table.get", Imm.TABLE)
_add(0x26, "table.set", Imm.TABLE)
_add(prefixed(0xFC, 12), "table.init", Imm.ELEM_TABLE)
_add(prefixed(0xFC, 13), "elem.drop", Imm.ELEM, (), ())
_add(prefixed(0xFC, 14), "table.copy", Imm.TABLE_TABLE)
_add(prefixed(0xFC, 15), "table.grow", Imm.TABLE)
_add(prefixed(0xFC, 16), "table.size", Imm.TABLE)
_add(prefixed(0xFC, 17), "table.fill", Imm.TABLE)

# ---------------------------------------------------------------- memory
for _code, _name, _vt, _size, _signed in (
    (0x28, "i32.load", I32, 4, False),
    (0x29, "i64.load", I64, 8, False),
    (0x2A, "f32.load", F32, 4, False),
    (0x2B, "f64.load", F64, 8, False),
    (0x2C, "i32.load8_s", I32, 1, True),
    (0x2D, "i32.load8_u", I32, 1, False),
    (0x2E, "i32.load16_s", I32, 2, True),
    (0x2F, "i32.load16_u", I32, 2, False),
    (0x30, "i64.load8_s", I64, 1, True),
    (0x31, "i64.load8_u", I64, 1, False),
    (0x32, "i64.load16_s", I64, 2, True),
    (0x33, "i64.load16_u", I64, 2, False),
    (0x34, "i64.load32_s", I64, 4, True),
    (0x35, "i64.load32_u", I64, 4, False),
):
    _add(_code, _name, Imm.MEMARG, None, (_vt,), memory_size=_size, memory_type=_vt,
         signed=_signed)
for _code, _name, _vt, _size in (
    (0x36, "i32.store", I32, 4),
    (0x37, "i64.store", I64, 8),
    (0x38, "f32.store", F32, 4),
    (0x39, "f64.store", F64, 8),
    (0x3A, "i32.store8", I32, 1),
    (0x3B, "i32.store16", I32, 2),
    (0x3C, "i64.store8", I64, 1),
    (0x3D, "i64.store16", I64, 2),
    (0x3E, "i64.store32", I64, 4),
):
    _add(_code, _name, Imm.MEMARG, None, (), memory_size=_size, memory_type=_vt)
_add(0x3F, "memory.size", Imm.MEMORY)
_add(0x40, "memory.grow", Imm.MEMORY)
_add(prefixed(0xFC, 8), "memory.init", Imm.DATA_MEMORY)
_add(prefixed(0xFC, 9), "data.drop", Imm.DATA, (), ())
_add(prefixed(0xFC, 10), "memory.copy", Imm.MEMORY_MEMORY)
_add(prefixed(0xFC, 11), "memory.fill", Imm.MEMORY)

# ---------------------------------------------------------------- numeric
_add(0x41, "i32.const", Imm.I32, (), (I32,), classes=_CONSTANT)
_add(0x42, "i64.const", Imm.I64, (), (I64,), classes=_CONSTANT)
_add(0x43, "f32.const", Imm.F32, (), (F32,), classes=_CONSTANT)
_add(0x44, "f64.const", Imm.F64, (), (F64,), classes=_CONSTANT)


def _numeric(start: int, prefix: str, names: str, params: tuple[ValType, ...],
             results: tuple[ValType, ...]) -> None:
    for offset, op in enumerate(names.split()):
        _add(start + offset, f"{prefix}.{op}", Imm.NONE, params, results)


_numeric(0x45, "i32", "eqz", (I32,), (I32,))
_numeric(0x46, "i32", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u", (I32, I32), (I32,))
_numeric(0x50, "i64", "eqz", (I64,), (I32,))
_numeric(0x51, "i64", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u", (I64, I64), (I32,))
_numeric(0x5B, "f32", "eq ne lt gt le ge", (F32, F32), (I32,))
_numeric(0x61, "f64", "eq ne lt gt le ge", (F64, F64), (I32,))
_numeric(0x67, "i32", "clz ctz popcnt", (I32,), (I32,))
_numeric(0x6A, "i32", "add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr",
         (I32, I32), (I32,))
_numeric(0x79, "i64", "clz ctz popcnt", (I64,), (I64,))
_numeric(0x7C, "i64", "add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr",
         (I64, I64), (I64,))
_numeric(0x8B, "f32", "abs neg ceil floor trunc nearest sqrt", (F32,), (F32,))
_numeric(0x92, "f32", "add sub mul div min max copysign", (F32, F32), (F32,))
_numeric(0x99, "f64", "abs neg ceil floor trunc nearest sqrt", (F64,), (F64,))
_numeric(0xA0, "f64", "add sub mul div min max copysign", (F64, F64), (F64,))
for _code, _name, _from, _to in (
    (0xA7, "i32.wrap_i64", I64, I32),
    (0xA8, "i32.trunc_f32_s", F32, I32),
    (0xA9, "i32.trunc_f32_u", F32, I32),
    (0xAA, "i32.trunc_f64_s", F64, I32),
    (0xAB, "i32.trunc_f64_u", F64, I32),
    (0xAC, "i64.extend_i32_s", I32, I64),
    (0xAD, "i64.extend_i32_u", I32, I64),
    (0xAE, "i64.trunc_f32_s", F32, I64),
    (0xAF, "i64.trunc_f32_u", F32, I64),
    (0xB0, "i64.trunc_f64_s", F64, I64),
    (0xB1, "i64.trunc_f64_u", F64, I64),
    (0xB2, "f32.convert_i32_s", I32, F32),
    (0xB3, "f32.convert_i32_u", I32, F32),
    (0xB4, "f32.convert_i64_s", I64, F32),
    (0xB5, "f32.convert_i64_u", I64, F32),
    (0xB6, "f32.demote_f64", F64, F32),
    (0xB7, "f64.convert_i32_s", I32, F64),
    (0xB8, "f64.convert_i32_u", I32, F64),
    (0xB9, "f64.convert_i64_s", I64, F64),
    (0xBA, "f64.convert_i64_u", I64, F64),
    (0xBB, "f64.promote_f32", F32, F64),
    (0xBC, "i32.reinterpret_f32", F32, I32),
    (0xBD, "i64.reinterpret_f64", F64, I64),
    (0xBE, "f32.reinterpret_i32", I32, F32),
    (0xBF, "f64.reinterpret_i64", I64, F64),
    (0xC0, "i32.extend8_s", I32, I32),
    (0xC1, "i32.extend16_s", I32, I32),
    (0xC2, "i64.extend8_s", I64, I64),
    (0xC3, "i64.extend16_s", I64, I64),
    (0xC4, "i64.extend32_s", I64, I64),
    (prefixed(0xFC, 0), "i32.trunc_sat_f32_s", F32, I32),
    (prefixed(0xFC, 1), "i32.trunc_sat_f32_u", F32, I32),
    (prefixed(0xFC, 2), "i32.trunc_sat_f64_s", F64, I32),
    (prefixed(0xFC, 3), "i32.trunc_sat_f64_u", F64, I32),
    (prefixed(0xFC, 4), "i64.trunc_sat_f32_s", F32, I64),
    (prefixed(0xFC, 5), "i64.trunc_sat_f32_u", F32, I64),
    (prefixed(0xFC, 6), "i64.trunc_sat_f64_s", F64, I64),
    (prefixed(0xFC, 7), "i64.trunc_sat_f64_u", F64, I64),
):
    _add(_code, _name, Imm.NONE, (_from,), (_to,))

# ---------------------------------------------------------------- references
_add(0xD0, "ref.null", Imm.HEAP_TYPE, classes=_CONSTANT)
_add(0xD1, "ref.is_null")
_add(0xD2, "ref.func", Imm.FUNC, classes=_CONSTANT)
_add(0xD3, "ref.eq", Imm.NONE, feature="gc")
_add(0xD4, "ref.as_non_null")
_add(0xD5, "br_on_null", Imm.LABEL, classes=_BRANCH)
_add(0xD6, "br_on_non_null", Imm.LABEL, classes=_BRANCH)

# ---------------------------------------------------------------- GC (0xFB)
for _sub, _name, _imm in (
    (0, "struct.new", Imm.TYPE),
    (1, "struct.new_default", Imm.TYPE),
    (2, "struct.get", Imm.TYPE_FIELD),
    (3, "struct.get_s", Imm.TYPE_FIELD),
    (4, "struct.get_u", Imm.TYPE_FIELD),
    (5, "struct.set", Imm.TYPE_FIELD),
    (6, "array.new", Imm.TYPE),
    (7, "array.new_default", Imm.TYPE),
    (8, "array.new_fixed", Imm.TYPE_SIZE),
    (9, "array.new_data", Imm.TYPE_DATA),
    (10, "array.new_elem", Imm.TYPE_ELEM),
    (11, "array.get", Imm.TYPE),
    (12, "array.get_s", Imm.TYPE),
    (13, "array.get_u", Imm.TYPE),
    (14, "array.set", Imm.TYPE),
    (15, "array.len", Imm.NONE),
    (16, "array.fill", Imm.TYPE),
    (17, "array.copy", Imm.TYPE_TYPE),
    (18, "array.init_data", Imm.TYPE_DATA),
    (19, "array.init_elem", Imm.TYPE_ELEM),
    (20, "ref.test", Imm.REF_TYPE),
    (21, "ref.test_null", Imm.REF_TYPE),  # text: ref.test (ref null ht)
    (22, "ref.cast", Imm.REF_TYPE),
    (23, "ref.cast_null", Imm.REF_TYPE),  # text: ref.cast (ref null ht)
    (24, "br_on_cast", Imm.BR_ON_CAST),
    (25, "br_on_cast_fail", Imm.BR_ON_CAST),
    (26, "any.convert_extern", Imm.NONE),
    (27, "extern.convert_any", Imm.NONE),
    (28, "ref.i31", Imm.NONE),
    (29, "i31.get_s", Imm.NONE),
    (30, "i31.get_u", Imm.NONE),
):
    _add(prefixed(0xFB, _sub), _name, _imm, feature="gc")

# ---------------------------------------------------------------- SIMD (0xFD)
_V = (V128,)
_VV = (V128, V128)


def _simd(sub: int, name: str, imm: Imm = Imm.NONE, params: tuple[ValType, ...] | None = None,
          results: tuple[ValType, ...] | None = None, **kw: object) -> None:
    _add(prefixed(0xFD, sub), name, imm, params, results, feature="simd", **kw)  # type: ignore[arg-type]


for _sub, _name, _size in (
    (0, "v128.load", 16), (1, "v128.load8x8_s", 8), (2, "v128.load8x8_u", 8),
    (3, "v128.load16x4_s", 8), (4, "v128.load16x4_u", 8), (5, "v128.load32x2_s", 8),
    (6, "v128.load32x2_u", 8), (7, "v128.load8_splat", 1), (8, "v128.load16_splat", 2),
    (9, "v128.load32_splat", 4), (10, "v128.load64_splat", 8),
    (92, "v128.load32_zero", 4), (93, "v128.load64_zero", 8),
):
    _simd(_sub, _name, Imm.MEMARG, None, _V, memory_size=_size, memory_type=V128)
_simd(11, "v128.store", Imm.MEMARG, None, (), memory_size=16, memory_type=V128)
for _sub, _name, _size in ((84, "v128.load8_lane", 1), (85, "v128.load16_lane", 2),
                           (86, "v128.load32_lane", 4), (87, "v128.load64_lane", 8)):
    _simd(_sub, _name, Imm.MEMARG_LANE, None, _V, memory_size=_size, memory_type=V128)
for _sub, _name, _size in ((88, "v128.store8_lane", 1), (89, "v128.store16_lane", 2),
                           (90, "v128.store32_lane", 4), (91, "v128.store64_lane", 8)):
    _simd(_sub, _name, Imm.MEMARG_LANE, None, (), memory_size=_size, memory_type=V128)
_simd(12, "v128.const", Imm.V128, (), _V, classes=_CONSTANT)
_simd(13, "i8x16.shuffle", Imm.SHUFFLE, _VV, _V)
_simd(14, "i8x16.swizzle", Imm.NONE, _VV, _V)
for _sub, _name, _t in ((15, "i8x16.splat", I32), (16, "i16x8.splat", I32),
                        (17, "i32x4.splat", I32), (18, "i64x2.splat", I64),
                        (19, "f32x4.splat", F32), (20, "f64x2.splat", F64)):
    _simd(_sub, _name, Imm.NONE, (_t,), _V)
for _sub, _name, _t, _kind in (
    (21, "i8x16.extract_lane_s", I32, "x"), (22, "i8x16.extract_lane_u", I32, "x"),
    (23, "i8x16.replace_lane", I32, "r"), (24, "i16x8.extract_lane_s", I32, "x"),
    (25, "i16x8.extract_lane_u", I32, "x"), (26, "i16x8.replace_lane", I32, "r"),
    (27, "i32x4.extract_lane", I32, "x"), (28, "i32x4.replace_lane", I32, "r"),
    (29, "i64x2.extract_lane", I64, "x"), (30, "i64x2.replace_lane", I64, "r"),
    (31, "f32x4.extract_lane", F32, "x"), (32, "f32x4.replace_lane", F32, "r"),
    (33, "f64x2.extract_lane", F64, "x"), (34, "f64x2.replace_lane", F64, "r"),
):
    if _kind == "x":
        _simd(_sub, _name, Imm.LANE, _V, (_t,))
    else:
        _simd(_sub, _name, Imm.LANE, (V128, _t), _V)


def _simd_group(start: int, names: str, params: tuple[ValType, ...],
                results: tuple[ValType, ...]) -> None:
    for offset, name in enumerate(names.split()):
        if name != "-":
            _simd(start + offset, name, Imm.NONE, params, results)


_CMP_INT = "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u"
_simd_group(35, " ".join(f"i8x16.{n}" for n in _CMP_INT.split()), _VV, _V)
_simd_group(45, " ".join(f"i16x8.{n}" for n in _CMP_INT.split()), _VV, _V)
_simd_group(55, " ".join(f"i32x4.{n}" for n in _CMP_INT.split()), _VV, _V)
_simd_group(65, " ".join(f"f32x4.{n}" for n in "eq ne lt gt le ge".split()), _VV, _V)
_simd_group(71, " ".join(f"f64x2.{n}" for n in "eq ne lt gt le ge".split()), _VV, _V)
_simd(77, "v128.not", Imm.NONE, _V, _V)
_simd_group(78, "v128.and v128.andnot v128.or v128.xor", _VV, _V)
_simd(82, "v128.bitselect", Imm.NONE, (V128, V128, V128), _V)
_simd(83, "v128.any_true", Imm.NONE, _V, (I32,))
_simd(94, "f32x4.demote_f64x2_zero", Imm.NONE, _V, _V)
_simd(95, "f64x2.promote_low_f32x4", Imm.NONE, _V, _V)
# lane-wise unary / binary ops, by sub-opcode
_SIMD_UNARY = {
    96: "i8x16.abs", 97: "i8x16.neg", 98: "i8x16.popcnt",
    103: "f32x4.ceil", 104: "f32x4.floor", 105: "f32x4.trunc", 106: "f32x4.nearest",
    116: "f64x2.ceil", 117: "f64x2.floor", 122: "f64x2.trunc", 148: "f64x2.nearest",
    124: "i16x8.extadd_pairwise_i8x16_s", 125: "i16x8.extadd_pairwise_i8x16_u",
    126: "i32x4.extadd_pairwise_i16x8_s", 127: "i32x4.extadd_pairwise_i16x8_u",
    128: "i16x8.abs", 129: "i16x8.neg",
    135: "i16x8.extend_low_i8x16_s", 136: "i16x8.extend_high_i8x16_s",
    137: "i16x8.extend_low_i8x16_u", 138: "i16x8.extend_high_i8x16_u",
    160: "i32x4.abs", 161: "i32x4.neg",
    167: "i32x4.extend_low_i16x8_s", 168: "i32x4.extend_high_i16x8_s",
    169: "i32x4.extend_low_i16x8_u", 170: "i32x4.extend_high_i16x8_u",
    192: "i64x2.abs", 193: "i64x2.neg",
    199: "i64x2.extend_low_i32x4_s", 200: "i64x2.extend_high_i32x4_s",
    201: "i64x2.extend_low_i32x4_u", 202: "i64x2.extend_high_i32x4_u",
    224: "f32x4.abs", 225: "f32x4.neg", 227: "f32x4.sqrt",
    236: "f64x2.abs", 237: "f64x2.neg", 239: "f64x2.sqrt",
    248: "i32x4.trunc_sat_f32x4_s", 249: "i32x4.trunc_sat_f32x4_u",
    250: "f32x4.convert_i32x4_s", 251: "f32x4.convert_i32x4_u",
    252: "i32x4.trunc_sat_f64x2_s_zero", 253: "i32x4.trunc_sat_f64x2_u_zero",
    254: "f64x2.convert_low_i32x4_s", 255: "f64x2.convert_low_i32x4_u",
    0x101: "i32x4.relaxed_trunc_f32x4_s", 0x102: "i32x4.relaxed_trunc_f32x4_u",
    0x103: "i32x4.relaxed_trunc_f64x2_s_zero", 0x104: "i32x4.relaxed_trunc_f64x2_u_zero",
}
_SIMD_BINARY = {
    101: "i8x16.narrow_i16x8_s", 102: "i8x16.narrow_i16x8_u",
    110: "i8x16.add", 111: "i8x16.add_sat_s", 112: "i8x16.add_sat_u", 113: "i8x16.sub",
    114: "i8x16.sub_sat_s", 115: "i8x16.sub_sat_u", 118: "i8x16.min_s", 119: "i8x16.min_u",
    120: "i8x16.max_s", 121: "i8x16.max_u", 123: "i8x16.avgr_u",
    130: "i16x8.q15mulr_sat_s", 133: "i16x8.narrow_i32x4_s", 134: "i16x8.narrow_i32x4_u",
    142: "i16x8.add", 143: "i16x8.add_sat_s", 144: "i16x8.add_sat_u", 145: "i16x8.sub",
    146: "i16x8.sub_sat_s", 147: "i16x8.sub_sat_u", 149: "i16x8.mul", 150: "i16x8.min_s",
    151: "i16x8.min_u", 152: "i16x8.max_s", 153: "i16x8.max_u", 155: "i16x8.avgr_u",
    156: "i16x8.extmul_low_i8x16_s", 157: "i16x8.extmul_high_i8x16_s",
    158: "i16x8.extmul_low_i8x16_u", 159: "i16x8.extmul_high_i8x16_u",
    174: "i32x4.add", 177: "i32x4.sub", 181: "i32x4.mul", 182: "i32x4.min_s",
    183: "i32x4.min_u", 184: "i32x4.max_s", 185: "i32x4.max_u", 186: "i32x4.dot_i16x8_s",
    188: "i32x4.extmul_low_i16x8_s", 189: "i32x4.extmul_high_i16x8_s",
    190: "i32x4.extmul_low_i16x8_u", 191: "i32x4.extmul_high_i16x8_u",
    206: "i64x2.add", 209: "i64x2.sub", 213: "i64x2.mul",
    214: "i64x2.eq", 215: "i64x2.ne", 216: "i64x2.lt_s", 217: "i64x2.gt_s", 218: "i64x2.le_s",
    219: "i64x2.ge_s",
    220: "i64x2.extmul_low_i32x4_s", 221: "i64x2.extmul_high_i32x4_s",
    222: "i64x2.extmul_low_i32x4_u", 223: "i64x2.extmul_high_i32x4_u",
    228: "f32x4.add", 229: "f32x4.sub", 230: "f32x4.mul", 231: "f32x4.div", 232: "f32x4.min",
    233: "f32x4.max", 234: "f32x4.pmin", 235: "f32x4.pmax",
    240: "f64x2.add", 241: "f64x2.sub", 242: "f64x2.mul", 243: "f64x2.div", 244: "f64x2.min",
    245: "f64x2.max", 246: "f64x2.pmin", 247: "f64x2.pmax",
    0x100: "i8x16.relaxed_swizzle", 0x10D: "f32x4.relaxed_min", 0x10E: "f32x4.relaxed_max",
    0x10F: "f64x2.relaxed_min", 0x110: "f64x2.relaxed_max", 0x111: "i16x8.relaxed_q15mulr_s",
    0x112: "i16x8.relaxed_dot_i8x16_i7x16_s",
}
_SIMD_TERNARY = {
    0x105: "f32x4.relaxed_madd", 0x106: "f32x4.relaxed_nmadd", 0x107: "f64x2.relaxed_madd",
    0x108: "f64x2.relaxed_nmadd", 0x109: "i8x16.relaxed_laneselect",
    0x10A: "i16x8.relaxed_laneselect", 0x10B: "i32x4.relaxed_laneselect",
    0x10C: "i64x2.relaxed_laneselect", 0x113: "i32x4.relaxed_dot_i8x16_i7x16_add_s",
}
for _sub, _name in _SIMD_UNARY.items():
    _simd(_sub, _name, Imm.NONE, _V, _V)
for _sub, _name in _SIMD_BINARY.items():
    _simd(_sub, _name, Imm.NONE, _VV, _V)
for _sub, _name in _SIMD_TERNARY.items():
    _simd(_sub, _name, Imm.NONE, (V128, V128, V128), _V)
for _sub, _name in ((99, "i8x16.all_true"), (100, "i8x16.bitmask"), (131, "i16x8.all_true"),
                    (132, "i16x8.bitmask"), (163, "i32x4.all_true"), (164, "i32x4.bitmask"),
                    (195, "i64x2.all_true"), (196, "i64x2.bitmask")):
    _simd(_sub, _name, Imm.NONE, _V, (I32,))
for _sub, _name in ((107, "i8x16.shl"), (108, "i8x16.shr_s"), (109, "i8x16.shr_u"),
                    (139, "i16x8.shl"), (140, "i16x8.shr_s"), (141, "i16x8.shr_u"),
                    (171, "i32x4.shl"), (172, "i32x4.shr_s"), (173, "i32x4.shr_u"),
                    (203, "i64x2.shl"), (204, "i64x2.shr_s"), (205, "i64x2.shr_u")):
    _simd(_sub, _name, Imm.NONE, (V128, I32), _V)


class Op:
    """Named keys for the opcodes that code refers to directly."""

    UNREACHABLE = 0x00
    NOP = 0x01
    BLOCK = 0x02
    LOOP = 0x03
    IF = 0x04
    THROW = 0x08
    THROW_REF = 0x0A
    BR = 0x0C
    BR_IF = 0x0D
    BR_TABLE = 0x0E
    RETURN = 0x0F
    CALL = 0x10
    CALL_INDIRECT = 0x11
    RETURN_CALL = 0x12
    RETURN_CALL_INDIRECT = 0x13
    CALL_REF = 0x14
    RETURN_CALL_REF = 0x15
    TRY_TABLE = 0x1F
    DROP = 0x1A
    SELECT = 0x1B
    SELECT_T = 0x1C
    LOCAL_GET = 0x20
    LOCAL_SET = 0x21
    LOCAL_TEE = 0x22
    GLOBAL_GET = 0x23
    GLOBAL_SET = 0x24
    TABLE_GET = 0x25
    TABLE_SET = 0x26
    MEMORY_SIZE = 0x3F
    MEMORY_GROW = 0x40
    I32_CONST = 0x41
    I64_CONST = 0x42
    F32_CONST = 0x43
    F64_CONST = 0x44
    I32_ADD = 0x6A
    I32_SUB = 0x6B
    I32_MUL = 0x6C
    I64_ADD = 0x7C
    I64_SUB = 0x7D
    I64_MUL = 0x7E
    REF_NULL = 0xD0
    REF_IS_NULL = 0xD1
    REF_FUNC = 0xD2
    REF_EQ = 0xD3
    REF_AS_NON_NULL = 0xD4
    BR_ON_NULL = 0xD5
    BR_ON_NON_NULL = 0xD6
    MEMORY_INIT = prefixed(0xFC, 8)
    DATA_DROP = prefixed(0xFC, 9)
    MEMORY_COPY = prefixed(0xFC, 10)
    MEMORY_FILL = prefixed(0xFC, 11)
    TABLE_INIT = prefixed(0xFC, 12)
    ELEM_DROP = prefixed(0xFC, 13)
    TABLE_COPY = prefixed(0xFC, 14)
    TABLE_GROW = prefixed(0xFC, 15)
    TABLE_SIZE = prefixed(0xFC, 16)
    TABLE_FILL = prefixed(0xFC, 17)
    V128_CONST = prefixed(0xFD, 12)

    # binary-only markers (not instructions of the abstract syntax)
    ELSE = 0x05
    END = 0x0B


def _check_named_keys() -> None:
    for attr, key in vars(Op).items():
        if attr.isupper() and key not in (Op.ELSE, Op.END) and key not in OPCODES:
            raise RuntimeError(f"Op.{attr} is not in the opcode table")


_check_named_keys()


def of_class(flag: OpClass) -> frozenset[int]:
    """The keys of the rows that have every class in ``flag``."""
    return _of_class(flag, _classes_by_value())


def _classes_by_value() -> dict[int, list[int]]:
    """The keys of the rows by their classes' value (most rows have none): the tables
    below are built from it rather than from five passes over all rows."""
    keys: dict[int, list[int]] = {}
    for key, info in OPCODES.items():
        value = info.classes._value_
        if value:
            keys.setdefault(value, []).append(key)
    return keys


def _of_class(flag: OpClass, by_value: dict[int, list[int]]) -> frozenset[int]:
    """:func:`of_class` from :func:`_classes_by_value`'s table."""
    bits = flag._value_  # integer tests: ``flag in classes`` costs microseconds a row
    return frozenset(key for value, keys in by_value.items() if value & bits == bits
                     for key in keys)


_BY_VALUE = _classes_by_value()


STRUCTURED = _of_class(OpClass.STRUCTURED, _BY_VALUE)
"""``block``, ``loop``, ``if``, ``try_table``."""
BRANCHES = _of_class(OpClass.BRANCH, _BY_VALUE)
"""Instructions that branch to a label immediate (conditionally or not)."""
TERMINATORS = _of_class(OpClass.TERMINATOR, _BY_VALUE)
"""Instructions after which control never falls through."""
CALLS = _of_class(OpClass.CALL, _BY_VALUE)
"""Instructions that invoke a function, tail calls included."""
TAIL_CALLS = CALLS & TERMINATORS
"""``return_call``, ``return_call_indirect``, ``return_call_ref``."""
CONSTANT_INSTRUCTIONS = _of_class(OpClass.CONSTANT, _BY_VALUE)
"""Instructions allowed in constant expressions."""
