"""load_binary, load_text and load_tree: the loading entry points without the cache."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.binary import decode_module
from wasmem.load import load_binary, load_text, load_tree
from wasmem.text import parse_module
from wasmem.valid import validate_module

TEXT = '(module (memory 1) (func (export "f") (param i32) (result i32) (i32.load (local.get 0))))'
INVALID = '(module (memory 1) (func (param i32) (result i64) (i32.load (local.get 0))))'


def test_the_three_entry_points_agree() -> None:
    data = wasmem.Module(TEXT, cache_dir=False).to_bytes()
    assert load_binary(data) == load_text(TEXT) == load_tree(parse_module(TEXT))


def test_errors_are_those_of_decoding_and_validating() -> None:
    data = wasmem.Module(INVALID.replace("i64", "i32"), cache_dir=False).to_bytes()
    bad = data.replace(bytes([0x7F, 0x01, 0x7F]), bytes([0x7F, 0x01, 0x7E]))  # result i64
    assert bad != data
    with pytest.raises(wasmem.ValidationError) as ordinary:
        validate_module(decode_module(bad))
    with pytest.raises(wasmem.ValidationError) as loaded:
        load_binary(bad)
    assert str(loaded.value) == str(ordinary.value)
    with pytest.raises(wasmem.ValidationError, match="type mismatch"):
        load_text(INVALID)
    with pytest.raises(wasmem.ParseError):
        load_text("(module (func")
    with pytest.raises(wasmem.DecodeError):
        load_binary(data[:-1])


def test_the_validator_is_imported_on_first_use() -> None:
    import wasmem.load as load
    assert load.load_binary is load_binary
    with pytest.raises(AttributeError):
        _ = load.no_such_function  # type: ignore[attr-defined]
