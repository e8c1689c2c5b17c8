"""The fused validator's fast paths (one per frequent instruction) agree with the tree
validator on bodies made to sit at their edges: each snippet is checked valid or invalid
both ways, with the same error."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.binary import decode_module, encode_module
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
