"""The fused validator's fast paths (one per frequent instruction) agree with the tree
validator on bodies made to sit at their edges: each snippet is checked valid or invalid
both ways, with the same error."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.binary import decode_module, encode_module
from wasmem.load.encoded import check_encoded_body
from wasmem.load import load_binary
from wasmem.text import parse_module
from wasmem.valid import validate_module

MANY_LOCALS = " ".join(["i32"] * 200)

CASES = {
    # local.get / local.set / local.tee, also past 127 locals (two-byte indices)
    "locals": ("(param i32) (result i32) (local.set 0 (local.get 0)) (local.tee 0 "
               "(local.get 0))", True),
    "local set mismatch": ("(param i64) (local.set 0 (i32.const 1))", False),
    "local tee mismatch": ("(param i64) (result i64) (local.tee 0 (f32.const 1))", False),
    "local 150": (f"(result i32) (local {MANY_LOCALS}) (local.get 150)", True),
    "local 200 unknown": (f"(result i32) (local {MANY_LOCALS}) (local.get 200)", False),
    # constants of every LEB128 length
    "constants": ("(result i64) (drop (i32.const 1)) (drop (i32.const 300)) "
                  "(drop (i32.const 70000)) (drop (i32.const 0x7fffffff)) "
                  "(drop (i32.const -1)) (drop (f32.const 1)) (drop (f64.const 2)) "
                  "(i64.const 0x7fffffffffffffff)", True),
    # binary and unary operators
    "binary": ("(result i32) (i32.add (i32.const 1) (i32.const 2))", True),
    "binary mismatch": ("(result i32) (i32.add (i64.const 1) (i32.const 2))", False),
    "binary one operand": ("(result i32) (i32.const 2) (i32.add)", False),
    "unary": ("(result i64) (i64.extend_i32_u (i32.const 2))", True),
    "unary mismatch": ("(result i64) (i64.extend_i32_u (i64.const 2))", False),
    # loads and stores: alignment, offsets, operand types
    "load": ("(result i32) (i32.load offset=70000 align=4 (i32.const 0))", True),
    "load align": ("(result i32) (i32.load align=8 (i32.const 0))", False),
    "load8 align": ("(result i32) (i32.load8_u align=2 (i32.const 0))", False),
    "load address": ("(result i32) (i32.load (i64.const 0))", False),
    "store": ("(i64.store8 offset=3 (i32.const 0) (i64.const 1))", True),
    "store value": ("(i64.store (i32.const 0) (i32.const 1))", False),
    "store address": ("(i32.store (f32.const 0) (i32.const 1))", False),
    "store offset 2^32": ("(i32.store offset=0xffffffff (i32.const 0) (i32.const 1))", True),
    # blocks, ifs and their ends
    "blocks": ("(result i32) (block (result i32) (loop (result i32) (i32.const 1)))", True),
    "block result missing": ("(result i32) (block (result i32) (nop))", False),
    "block result extra": ("(block (i32.const 1))", False),
    "block result type": ("(result i32) (block (result i32) (i64.const 1))", False),
    "if else": ("(result f64) (if (result f64) (i32.const 1) (then (f64.const 1)) "
                "(else (f64.const 2)))", True),
    "if without else": ("(if (i32.const 1) (then (nop)))", True),
    "if result without else": ("(result i32) (if (result i32) (i32.const 1) "
                               "(then (i32.const 1)))", False),
    "if condition": ("(if (i64.const 1) (then (nop)))", False),
    "if no condition": ("(if (then (nop)))", False),
    # branches
    "br_if": ("(block (br_if 0 (i32.const 1)))", True),
    "br_if condition": ("(block (br_if 0 (i64.const 1)))", False),
    "br_if depth": ("(block (br_if 2 (i32.const 1)))", False),
    "br_if values": ("(result i32) (block (result i32) (br_if 0 (i32.const 1) "
                     "(i32.const 1)))", True),
    "br then anything": ("(result i32) (block (br 0) (i64.add) (drop)) (i32.const 0)", True),
    "br depth": ("(block (br 1))", True),
    "br unknown depth": ("(block (br 2))", False),
    "unreachable end": ("(result i32) (block (result i32) (br 0 (i32.const 1)) "
                        "(i32.add)) (unreachable) (i64.const 0) (drop)", True),
}


def _binary(func: str) -> bytes:
    return encode_module(parse_module(f"(module (memory 1) (func {func}))"))


def _validators_agree(data: bytes, valid: bool) -> None:
    """The tree validator and the fast one decide module ``data`` alike (``valid``), and
    a rejected one fails in ``load_binary`` with the tree's error and offset."""
    try:
        validate_module(decode_module(data))
        expected: Exception | None = None
    except wasmem.WasmError as error:
        expected = error
    assert (expected is None) == valid, expected
    assert (_fast_verdict(data) is None) == valid
    if expected is None:
        assert load_binary(data) == decode_module(data)
    else:
        with pytest.raises(type(expected)) as raised:
            load_binary(data)
        assert str(raised.value) == str(expected)
        assert getattr(raised.value, "offset", None) == getattr(expected, "offset", None)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_paths_agree_with_the_tree(name: str) -> None:
    func, valid = CASES[name]
    data = _binary(func)
    try:
        validate_module(decode_module(data))
        expected: Exception | None = None
    except wasmem.WasmError as error:
        expected = error
    assert (expected is None) == valid, expected
    if expected is None:
        assert load_binary(data) == decode_module(data)
    else:
        with pytest.raises(type(expected)) as raised:
            load_binary(data)
        assert str(raised.value) == str(expected)


def test_memory64_is_left_to_the_general_path() -> None:
    data = encode_module(parse_module(
        "(module (memory i64 1) (func (result i32) (i32.load (i64.const 0))))"))
    load_binary(data)
    bad = encode_module(parse_module(
        "(module (memory i64 1) (func (param i32) (result i32) (i32.load (local.get 0))))"))
    with pytest.raises(wasmem.ValidationError, match="type mismatch"):
        load_binary(bad)


# ---- bodies written byte by byte: LEB128 forms the text format never produces (linkers
# pad relocated indices and constants to five bytes)

def _u32(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _section(section_id: int, items: list[bytes]) -> bytes:
    payload = _u32(len(items)) + b"".join(items)
    return bytes([section_id]) + _u32(len(payload)) + payload


def _module(body: bytes, results: bytes = b"", locals_: bytes = b"\x00") -> bytes:
    """A module of types ``[] -> results`` (0) and ``[i32 i64] -> [f64]`` (1), function 0
    of type 0 with ``body`` (locals declared by ``locals_``, none by default; ``end``
    appended), function 1 of type 1, a memory of one page, and globals 0 (immutable
    i32), 1 (mutable i64), 2 (mutable funcref)."""
    types = [b"\x60\x00" + _u32(len(results)) + results, b"\x60\x02\x7f\x7e\x01\x7c"]
    globals_ = [b"\x7f\x00\x41\x00\x0b", b"\x7e\x01\x42\x00\x0b", b"\x70\x01\xd0\x70\x0b"]
    bodies = [locals_ + body + b"\x0b", b"\x00\x44" + bytes(8) + b"\x0b"]
    return (b"\0asm\1\0\0\0" + _section(1, types) + _section(3, [b"\x00", b"\x01"])
            + _section(5, [b"\x00\x01"]) + _section(6, globals_)
            + _section(10, [_u32(len(code)) + code for code in bodies]))


PADDED_CALL_1 = b"\x10\x81\x80\x80\x80\x00"  # call 1, five bytes
BYTE_CASES = {
    "padded call": (b"\x41\x00\x42\x00" + PADDED_CALL_1 + b"\x1a", True),
    "padded call operands swapped": (b"\x42\x00\x41\x00" + PADDED_CALL_1 + b"\x1a", False),
    "padded call one operand": (b"\x42\x00" + PADDED_CALL_1 + b"\x1a", False),
    "padded call too long": (b"\x41\x00\x42\x00\x10\x81\x80\x80\x80\x80\x00\x1a", False),
    "padded call high bits": (b"\x41\x00\x42\x00\x10\x81\x80\x80\x80\x10\x1a", False),
    "padded call unknown": (b"\x41\x00\x42\x00\x10\x82\x80\x80\x80\x00\x1a", False),
    "call result": (b"\x41\x00\x42\x00\x10\x01", False),
    "drop": (b"\x41\x00\x1a", True),
    "drop empty": (b"\x1a", False),
    "select": (b"\x42\x01\x42\x02\x41\x00\x1b\x1a", True),
    "select types differ": (b"\x41\x01\x42\x02\x41\x00\x1b\x1a", False),
    "select condition": (b"\x41\x01\x41\x02\x42\x00\x1b\x1a", False),
    "select refs": (b"\xd0\x70\xd0\x70\x41\x00\x1b\x1a", False),
    "global.get": (b"\x23\x00\x23\x01\x1a\x1a", True),
    "padded global.get": (b"\x23\x81\x80\x80\x80\x00\x1a", True),
    "global.get unknown": (b"\x23\x83\x80\x80\x80\x00\x1a", False),
    "global.set": (b"\x42\x05\x24\x01", True),
    "global.set immutable": (b"\x41\x05\x24\x00", False),
    "global.set type": (b"\x41\x05\x24\x01", False),
    "global.set funcref": (b"\xd0\x70\x24\x02", True),
    "return": (b"\x0f", True),
    "return value extra": (b"\x41\x00\x0f", True),  # the frame keeps extra operands below
    "i32.const five bytes": (b"\x41\xff\xff\xff\xff\x07\x1a\x41\x80\x80\x80\x80\x78\x1a",
                             True),
    "i32.const five bytes too big": (b"\x41\xff\xff\xff\xff\x0f\x1a", False),
    "i32.const six bytes": (b"\x41\x80\x80\x80\x80\x80\x00\x1a", False),
    "i64.const nine bytes": (b"\x42" + b"\xff" * 8 + b"\x7f\x1a", True),
    "i64.const ten bytes": (b"\x42" + b"\x80" * 9 + b"\x00\x1a", True),
    "i64.const ten bytes too big": (b"\x42" + b"\x80" * 9 + b"\x02\x1a", False),
    "i64.const eleven bytes": (b"\x42" + b"\x80" * 10 + b"\x00\x1a", False),
    "const then binary": (b"\x41\x01\x41\x02\x6a\x1a", True),
    "const then binary mismatch": (b"\x42\x01\x41\x02\x6a\x1a", False),
    "local-less const at the end": (b"\x41", False),
    "if else": (b"\x41\x01\x04\x7f\x41\x02\x05\x41\x03\x0b\x1a", True),
    "if else then missing": (b"\x41\x01\x04\x7f\x05\x41\x03\x0b\x1a", False),
    "if else then extra": (b"\x41\x01\x04\x40\x41\x02\x05\x0b", False),
    "if else then type": (b"\x41\x01\x04\x7f\x42\x02\x05\x41\x03\x0b\x1a", False),
    "else in a block": (b"\x02\x40\x05\x0b", False),
    "else twice": (b"\x41\x01\x04\x40\x05\x05\x0b", False),
}
PADDED_OFFSET = b"\xd4\x8c\x80\x80\x00"  # 1620, five bytes (as linkers relocate it)
BYTE_CASES.update({
    "padded load": (b"\x41\x00\x28\x02" + PADDED_OFFSET + b"\x1a", True),
    "padded store": (b"\x41\x00\x41\x01\x36\x02" + PADDED_OFFSET, True),
    "padded i64 store": (b"\x41\x00\x42\x01\x37\x03" + PADDED_OFFSET, True),
    "padded store value type": (b"\x41\x00\x42\x01\x36\x02" + PADDED_OFFSET, False),
    "padded load address type": (b"\x42\x00\x28\x02" + PADDED_OFFSET + b"\x1a", False),
    "padded load align": (b"\x41\x00\x28\x03" + PADDED_OFFSET + b"\x1a", False),
    "padded load high bits": (b"\x41\x00\x28\x02\xd4\x8c\x80\x80\x10\x1a", False),
    # (an offset is a u64 in the encoding: six bytes are well-formed)
    "padded load six bytes": (b"\x41\x00\x28\x02\xd4\x8c\x80\x80\x80\x00\x1a", True),
    "padded load cut short": (b"\x41\x00\x28\x02\xd4\x8c\x80\x80", False),
    # i64 constants of ten LEB128 bytes (the tenth holds bit 63 and its sign extension)
    "i64 ten bytes, min": (b"\x42" + b"\x80" * 9 + b"\x7f\x1a", True),
    "i64 ten bytes, max": (b"\x42" + b"\xff" * 9 + b"\x00\x1a", True),
    "i64 ten bytes, too large": (b"\x42" + b"\x80" * 9 + b"\x01\x1a", False),
    "i64 ten bytes, too large 7e": (b"\x42" + b"\xff" * 9 + b"\x7e\x1a", False),
    "i64 eleven bytes": (b"\x42" + b"\x80" * 10 + b"\x00\x1a", False),
    "i64 ten bytes cut short": (b"\x42" + b"\x80" * 9, False),
    "i64 ten bytes then binary": (b"\x42" + b"\x80" * 9 + b"\x7f\x42\x01\x7c\x1a", True),
})
TWO_HUNDRED_LOCALS = b"\x01\xc8\x01\x7f"  # (local i32 x 200): two-byte indices past 127
LOCAL_CASES = {
    "local.get 150": (b"\x20\x96\x01\x1a", True),
    "local.get 199 then binary": (b"\x20\xc7\x01\x20\x96\x01\x6a\x1a", True),
    "local.get 200": (b"\x20\xc8\x01\x1a", False),
    "local.get 0 in two bytes": (b"\x20\x80\x00\x1a", True),
    "local.get 150 in three bytes": (b"\x20\x96\x81\x00\x1a", True),
    "local.get cut short": (b"\x20\x96", False),
    "local.set 150": (b"\x41\x00\x21\x96\x01", True),
    "local.set 150 type": (b"\x42\x00\x21\x96\x01", False),
    "local.set 150 empty": (b"\x21\x96\x01", False),
    "local.set 200": (b"\x41\x00\x21\xc8\x01", False),
    "local.tee 150": (b"\x41\x00\x22\x96\x01\x1a", True),
    "local.tee 150 type": (b"\x43\x00\x00\x00\x00\x22\x96\x01\x1a", False),
}
RESULT_CASES = {
    "return i32": (b"\x41\x07\x0f", b"\x7f", True),
    "return wrong type": (b"\x42\x07\x0f", b"\x7f", False),
    "return nothing": (b"\x0f", b"\x7f", False),
    # the function's own end (settled by a fast path when its stack is exactly the results)
    "end i32": (b"\x41\x07", b"\x7f", True),
    "end wrong type": (b"\x42\x07", b"\x7f", False),
    "end one value too many": (b"\x41\x07\x41\x07", b"\x7f", False),
    "end value without results": (b"\x41\x07", b"", False),
    "end nothing": (b"", b"\x7f", False),
    "end two results": (b"\x41\x01\x42\x02", b"\x7f\x7e", True),
    "end two results swapped": (b"\x42\x02\x41\x01", b"\x7f\x7e", False),
    "end after unreachable": (b"\x00", b"\x7f\x7e", True),
    "end after unreachable, a value": (b"\x00\x42\x01", b"\x7f\x7e", True),
    "end after unreachable, a wrong value": (b"\x00\x41\x01", b"\x7f\x7e", False),
    "end, then more": (b"\x41\x07\x0b\x01", b"\x7f", False),
    "end, then end": (b"\x41\x07\x0b", b"\x7f", False),
}


def _fast_verdict(data: bytes) -> Exception | None:
    try:
        validate_module(decode_module(data, lazy_bodies=True), check_body=check_encoded_body)
    except wasmem.WasmError as error:
        return error
    return None


@pytest.mark.parametrize("name", sorted(BYTE_CASES) + sorted(RESULT_CASES)
                         + sorted(LOCAL_CASES))
def test_fast_paths_decide_like_the_tree_on_raw_bytes(name: str) -> None:
    """The fused validator alone (no fall-back) accepts exactly what the tree validator
    accepts; load_binary reports the tree validator's error."""
    if name in BYTE_CASES:
        body, valid = BYTE_CASES[name]
        data = _module(body)
    elif name in LOCAL_CASES:
        body, valid = LOCAL_CASES[name]
        data = _module(body, locals_=TWO_HUNDRED_LOCALS)
    else:
        body, results, valid = RESULT_CASES[name]
        data = _module(body, results)
    _validators_agree(data, valid)


def test_prefixed_opcodes_classified_at_first_use() -> None:
    """The fused validator classifies a prefixed opcode (``0xFC``, ``0xFD``...) when it
    first meets one: each entry is the one the eager classification gave, kept once made,
    and a sub-opcode without an entry has none (the loop then rejects the byte)."""
    from wasmem.binary.layout import PREFIXED
    from wasmem.load import encoded

    for byte, table in PREFIXED.items():
        for sub, entry in table.items():
            made = encoded._PREFIXED[byte].get(sub) or encoded._prefixed(byte, sub)
            assert made == encoded._classify(*entry)
            assert encoded._PREFIXED[byte][sub] is made
        beyond = max(table, default=-1) + 1
        assert encoded._prefixed(byte, beyond) is None
        assert beyond not in encoded._PREFIXED[byte]


# ---- call_indirect through table 0 and br_table (fast paths since round 15)
MANY_TARGETS = " ".join(["0"] * 130)


def _deep(branch: str, result: str = "") -> str:
    """A function whose ``branch`` sits in 130 nested blocks, the outermost of type
    ``result`` (none if empty): depth 129 is the outermost block."""
    inner = "(block " * 129 + branch + ")" * 129
    if result:
        return f"(func (result {result}) (block (result {result}) {inner} ({result}.const 0)))"
    return f"(func (block {inner}))"


TABLE_CASES = {
    "call_indirect": ("(table 1 funcref) (type $t (func (param i32 i64) (result f64))) "
                      "(func (result f64) (call_indirect (type $t) (i32.const 1) "
                      "(i64.const 2) (i32.const 0)))", True),
    "call_indirect no params": ("(table 1 funcref) (func (call_indirect (i32.const 0)))",
                                True),
    "call_indirect index type": ("(table 1 funcref) (func (call_indirect (i64.const 0)))",
                                 False),
    "call_indirect no index": ("(table 1 funcref) (func (call_indirect))", False),
    "call_indirect param type": ("(table 1 funcref) (type $t (func (param i32 i64))) "
                                 "(func (call_indirect (type $t) (i32.const 1) "
                                 "(i32.const 2) (i32.const 0)))", False),
    "call_indirect too few": ("(table 1 funcref) (type $t (func (param i32 i64))) "
                              "(func (call_indirect (type $t) (i64.const 2) "
                              "(i32.const 0)))", False),
    "call_indirect results": ("(table 1 funcref) (type $t (func (result i64 f32))) "
                              "(func (result i64 f32) (call_indirect (type $t) "
                              "(i32.const 0)))", True),
    "call_indirect result type": ("(table 1 funcref) (type $t (func (result i64))) "
                                  "(func (result i32) (call_indirect (type $t) "
                                  "(i32.const 0)))", False),
    "call_indirect no table": ("(func (call_indirect (i32.const 0)))", False),
    "call_indirect externref table": ("(table 1 externref) (func (call_indirect "
                                      "(i32.const 0)))", False),
    "call_indirect table 1": ("(table 1 externref) (table 1 funcref) (func "
                              "(call_indirect 1 (i32.const 0)))", True),
    "call_indirect ref param": ("(table 1 funcref) (type $t (func (param externref))) "
                                "(func (call_indirect (type $t) (ref.null extern) "
                                "(i32.const 0)))", True),
    "call_indirect ref param mismatch": ("(table 1 funcref) (type $t (func (param "
                                         "externref))) (func (call_indirect (type $t) "
                                         "(i32.const 1) (i32.const 0)))", False),
    "call_indirect unreachable": ("(table 1 funcref) (type $t (func (param i32 i64))) "
                                  "(func (unreachable) (call_indirect (type $t) "
                                  "(i32.const 0)))", True),
    "br_table": ("(func (block (block (br_table 0 1 0 (i32.const 1)))))", True),
    "br_table loop": ("(func (loop (br_table 0 0 (i32.const 1))))", True),
    "br_table values": ("(func (result i32) (block (result i32) (br_table 0 0 "
                        "(i32.const 5) (i32.const 1))))", True),
    "br_table mixed arity": ("(func (result i32) (block (result i32) (block (br_table 0 "
                             "1 (i32.const 5) (i32.const 1))) (i32.const 0)))", False),
    "br_table depth": ("(func (block (br_table 0 2 (i32.const 1))))", False),
    "br_table default depth": ("(func (block (br_table 0 0 5 (i32.const 1))))", False),
    "br_table index type": ("(func (block (br_table 0 (i64.const 1))))", False),
    "br_table no index": ("(func (block (br_table 0)))", False),
    "br_table then anything": ("(func (result i32) (block (br_table 0 (i32.const 1)) "
                               "(i64.add) (drop)) (i32.const 0))", True),
    "br value": ("(func (result i32) (block (result i32) (br 0 (i32.const 1))))", True),
    "br value type": ("(func (result i32) (block (result i32) (br 0 (i64.const 1))) "
                      "(drop) (i32.const 0))", False),
    "br value missing": ("(func (result i32) (block (result i32) (br 0)))", False),
    "br two values": ("(func (result i32 i64) (block (result i32 i64) (br 0 (i32.const 1) "
                      "(i64.const 2))))", True),
    "br to loop, a value left": ("(func (result i32) (loop (result i32) (br 0 "
                                 "(i32.const 1))))", True),
    "br value to loop with params": ("(type $t (func (param i64) (result i32))) (func "
                                     "(result i32) (i64.const 1) (loop (type $t) (drop) "
                                     "(br 0 (i32.const 1))))", False),
    "br value below frame": ("(func (result i32) (i32.const 1) (block (result i32) "
                             "(br 0)))", False),
    "br_if value": ("(func (result i32) (block (result i32) (br_if 0 (i32.const 1) "
                    "(i32.const 1))))", True),
    "br_if value type": ("(func (result i32) (block (result i32) (br_if 0 (f32.const 1) "
                         "(i32.const 1)) (drop) (i32.const 0)))", False),
    "br_if value missing": ("(func (result i32) (block (result i32) (br_if 0 "
                            "(i32.const 1)) (i32.const 0)))", False),
    "br_if value below frame": ("(func (result i32) (i32.const 1) (block (result i32) "
                                "(br_if 0 (i32.const 1)) (i32.const 0)) (drop))", False),
    "br_if value condition": ("(func (result i32) (block (result i32) (br_if 0 "
                              "(i32.const 1) (i64.const 1))))", False),
    # depths of two LEB128 bytes (past 127 nested blocks)
    "br deep": (_deep("(br 129)"), True),
    "br deep unknown": (_deep("(br 140)"), False),
    "br deep value": (_deep("(br 129 (i32.const 1))", "i32"), True),
    "br deep value type": (_deep("(br 129 (i64.const 1))", "i32"), False),
    "br_if deep": (_deep("(br_if 129 (i32.const 1))"), True),
    "br_if deep unknown": (_deep("(br_if 140 (i32.const 1))"), False),
    "br_if deep value": (_deep("(br_if 129 (i32.const 1) (i32.const 1)) (drop)", "i32"),
                         True),
    "br_if deep value type": (_deep("(br_if 129 (f64.const 1) (i32.const 1)) (drop)",
                                    "i32"), False),
    "br_table many targets": (f"(func (block (br_table {MANY_TARGETS} (i32.const 1))))",
                              True),
    "br_table many targets, one unknown": (f"(func (block (br_table {MANY_TARGETS} 3 "
                                           "(i32.const 1))))", False),
}


@pytest.mark.parametrize("name", sorted(TABLE_CASES))
def test_table_fast_paths_agree_with_the_tree(name: str) -> None:
    """``call_indirect`` (table 0 of ``funcref``, a type of number types) and ``br_table``
    (one-byte depths to labels without values) at their fast paths' edges: both
    validators decide alike, and a rejected module fails with the tree's error and
    offset."""
    fields, valid = TABLE_CASES[name]
    data = encode_module(parse_module(f"(module {fields})"))
    _validators_agree(data, valid)
