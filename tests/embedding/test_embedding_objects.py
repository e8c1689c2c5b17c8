"""The embedding's host objects (wasmem.embedding): Table, Global, host Function,
Instance.add_fuel and read_module_file, used from Python and through a module's imports."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import wasmem
from wasmem.embedding import read_module_file
from wasmem.syntax.types import EXTERNREF, F64, FUNCREF, I32, I64, FuncType, GlobalType

TIERS = ["compile", "interpret", "tiered"]

USER = """(module
  (type $v (func (result i32)))
  (import "env" "table" (table 2 funcref))
  (import "env" "counter" (global $counter (mut i32)))
  (import "env" "limit" (global $limit i64))
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (func (export "ci") (param i32) (result i32) (call_indirect (type $v) (local.get 0)))
  (func (export "bump") (result i32)
    (global.set $counter (call $add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "limit") (result i64) (global.get $limit)))"""

SEVEN = """(module (func (export "seven") (result i32) (i32.const 7))
  (func (export "pair") (result i32 f64) (i32.const 1) (f64.const 2.5)))"""

SPIN = """(module (func (export "count") (param i32) (result i32) (local i32)
  (loop $l (local.set 1 (i32.add (local.get 1) (i32.const 1)))
    (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
  (local.get 1)))"""


def _user(tier: str, table: wasmem.Table, counter: wasmem.Global,
          add: wasmem.Function) -> wasmem.Instance:
    imports = {"env": {"table": table, "counter": counter,
                       "limit": wasmem.Global(I64, -5), "add": add}}
    return wasmem.Instance(wasmem.Module(USER), imports, tier=tier)


@pytest.mark.parametrize("tier", TIERS)
def test_a_host_table_is_shared_with_the_module(tier: str) -> None:
    seven = wasmem.Instance(wasmem.Module(SEVEN), tier=tier).exports["seven"]
    table = wasmem.Table(2, 4)
    add = wasmem.Function(lambda a, b: a + b, [I32, I32], [I32])
    user = _user(tier, table, wasmem.Global(I32, 0, mutable=True), add)
    assert table.size == len(table) == 2 and table[0] is None
    with pytest.raises(wasmem.Trap, match="uninitialized element"):
        user.exports["ci"](0)
    table[1] = seven
    assert user.exports["ci"](1) == 7
    assert table[1].type == FuncType((), (I32,))
    assert table.grow(2) == 2 and table.size == 4
    assert table.grow(1) == -1  # beyond the maximum
    table[3] = add
    with pytest.raises(wasmem.Trap, match="indirect call type mismatch"):
        user.exports["ci"](3)
    with pytest.raises(wasmem.Trap, match="undefined element"):
        user.exports["ci"](4)


def test_table_checks_what_it_is_given() -> None:
    with pytest.raises(wasmem.InvocationError, match="bad table limits"):
        wasmem.Table(3, 2)
    table = wasmem.Table(1)
    with pytest.raises(wasmem.WasmError):
        table[0] = "not a function"
    with pytest.raises(wasmem.WasmError):
        table[1] = None
    with pytest.raises(wasmem.WasmError):
        table.grow(1, init=object())
    anything = wasmem.Table(1, element=EXTERNREF)
    token = object()
    anything[0] = token
    assert anything[0] is token


@pytest.mark.parametrize("tier", TIERS)
def test_a_host_global_is_shared_with_the_module(tier: str) -> None:
    counter = wasmem.Global(I32, 41, mutable=True)
    add = wasmem.Function(lambda a, b: a + b, [I32, I32], [I32])
    user = _user(tier, wasmem.Table(2), counter, add)
    assert user.exports["bump"]() == 42 and counter.value == 42
    counter.value = -2
    assert user.exports["bump"]() == -1
    assert user.exports["limit"]() == -5
    assert counter.type == GlobalType(I32, True)
    assert "i32" in repr(counter)


def test_an_immutable_global_cannot_be_set() -> None:
    constant = wasmem.Global(F64, 1.5)
    assert constant.value == 1.5 and not constant.type.mutable
    with pytest.raises(wasmem.InvocationError, match="immutable"):
        constant.value = 2.0
    assert constant.value == 1.5


def test_a_mutable_import_needs_a_mutable_global() -> None:
    add = wasmem.Function(lambda a, b: a + b, [I32, I32], [I32])
    with pytest.raises(wasmem.LinkError):
        _user("compile", wasmem.Table(2), wasmem.Global(I32, 0), add)


@pytest.mark.parametrize("tier", TIERS)
def test_a_host_function_is_called_by_the_module(tier: str) -> None:
    calls: list[tuple[int, int]] = []

    def add(a: int, b: int) -> int:
        calls.append((a, b))
        return a + b

    function = wasmem.Function(add, [I32, I32], [I32], name="host_add")
    user = _user(tier, wasmem.Table(2), wasmem.Global(I32, 10, mutable=True), function)
    assert user.exports["bump"]() == 11
    assert calls == [(10, 1)]
    assert function(2, 3) == 5  # callable from Python too
    assert function.type == FuncType((I32, I32), (I32,))
    assert function.name == "host_add" and "host_add" in repr(function)
    with pytest.raises(wasmem.InvocationError):
        function(1)


def test_a_host_function_whose_type_does_not_match_is_refused() -> None:
    wrong = wasmem.Function(lambda a: a, [I64], [I64])
    with pytest.raises(wasmem.LinkError):
        _user("compile", wasmem.Table(2), wasmem.Global(I32, 0, mutable=True), wrong)


def test_host_function_arguments_are_checked() -> None:
    with pytest.raises(wasmem.InvocationError, match="value types"):
        wasmem.Function(lambda: None, ["i32"])  # type: ignore[list-item]
    with pytest.raises(wasmem.InvocationError, match="callable"):
        wasmem.Function(42, [I32])
    nothing = wasmem.Function(lambda: None)
    assert nothing() is None and nothing.type == FuncType()
    pair = wasmem.Function(lambda: (1, 2.5), [], [I32, F64])
    assert pair() == (1, 2.5)
    reference = wasmem.Function(lambda f: f, [FUNCREF], [FUNCREF])
    assert reference(None) is None


@pytest.mark.parametrize("tier", TIERS)
def test_add_fuel_lets_calls_resume(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SPIN), fuel=1_000, tier=tier)
    with pytest.raises(wasmem.FuelExhausted):
        instance.exports["count"](10_000)
    assert instance.fuel_remaining == 0
    used = instance.fuel_consumed
    instance.add_fuel(1_000_000)
    assert instance.fuel_remaining == 1_000_000
    assert instance.exports["count"](10_000) == 10_000
    remaining = instance.fuel_remaining
    assert remaining is not None and 0 < remaining < 1_000_000
    assert instance.fuel_consumed == used + 1_000_000 - remaining


def test_add_fuel_needs_a_budget() -> None:
    instance = wasmem.Instance(wasmem.Module(SPIN))
    assert instance.fuel_remaining is None and instance.fuel_consumed is None
    with pytest.raises(wasmem.InvocationError, match="without fuel"):
        instance.add_fuel(10)


def test_read_module_file_text_and_binary(tmp_path: Path) -> None:
    text = tmp_path / "seven.wat"
    text.write_text(SEVEN, encoding="utf-8")
    assert read_module_file(text) == SEVEN
    binary = tmp_path / "seven.wasm"
    binary.write_bytes(wasmem.Module(SEVEN).to_bytes())
    data = read_module_file(str(binary))
    assert isinstance(data, bytes) and data[:4] == b"\0asm"
    assert wasmem.Instance(wasmem.Module(data)).exports["seven"]() == 7


def test_read_module_file_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.wat"
    with pytest.raises(wasmem.ModuleFileNotFound) as caught:
        read_module_file(missing)
    assert isinstance(caught.value, FileNotFoundError)
    assert caught.value.errno == errno.ENOENT and str(missing) in str(caught.value)
    with pytest.raises(wasmem.ModuleFileError) as folder:
        read_module_file(tmp_path)
    assert isinstance(folder.value, OSError)
    garbage = tmp_path / "garbage.wat"
    garbage.write_bytes(b"(module)\xff\xfe")
    with pytest.raises(wasmem.ParseError, match="not UTF-8"):
        read_module_file(garbage)
