"""wasmem.embedding.functions: the Function facade of exported and host functions."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.syntax.types import F32, F64, I32, I64, FuncType

ADD = """(module (func $add (export "add") (param i64 i64) (result i64)
  (i64.add (local.get 0) (local.get 1))))"""


def test_an_exported_function_knows_its_type_and_name() -> None:
    add = wasmem.Instance(wasmem.Module(ADD)).exports["add"]
    assert isinstance(add, wasmem.Function)
    assert add.type == FuncType((I64, I64), (I64,))
    assert add.name == "$add"
    assert "i64" in repr(add)
    assert add(2**63 - 1, 1) == -(2**63)  # wraps, returned signed


def test_a_host_function_called_from_python_converts_like_wasm_would() -> None:
    seen: list[object] = []

    def record(a: int, b: float) -> float:
        seen.append((a, b))
        return b * 2

    function = wasmem.Function(record, [I32, F32], [F64])
    assert function(2**32 - 1, 0.1) == pytest.approx(0.2, rel=1e-6)
    assert seen[0][0] == -1  # type: ignore[index]
    assert seen[0][1] != 0.1 and seen[0][1] == pytest.approx(0.1)  # type: ignore[index]
    with pytest.raises(wasmem.InvocationError, match=r"expects 2 arguments \(i32, f32\), got 0"):
        function()
    single = wasmem.Function(lambda: 5, [], I32)  # one type, not a list
    assert single() == 5


def test_a_host_failure_called_from_python_is_a_trap() -> None:
    def fail() -> int:
        raise RuntimeError("no")

    with pytest.raises(wasmem.Trap, match="host function fail raised RuntimeError") as info:
        wasmem.Function(fail, [], [I32])()
    assert isinstance(info.value.__cause__, RuntimeError)
    with pytest.raises(wasmem.Trap, match="returned a bad result"):
        wasmem.Function(lambda: "x", [], [I32])()


def test_one_host_function_serves_two_instances() -> None:
    calls: list[int] = []
    counter = wasmem.Function(lambda: calls.append(1) or len(calls), [], [I32])
    user = wasmem.Module("""(module (import "env" "c" (func $c (result i32)))
      (func (export "c") (result i32) (call $c)))""")
    first = wasmem.Instance(user, {"env": {"c": counter}})
    second = wasmem.Instance(user, {"env": {"c": counter}}, tier="interpret")
    assert first.exports.c() == 1 and second.exports.c() == 2


def test_an_embedders_subclass_keeps_its_class() -> None:
    class Counted(wasmem.Function):
        calls = 0

        def __call__(self, *args: object) -> object:
            type(self).calls += 1
            return super().__call__(*args)

    double = Counted(lambda x: 2 * x, [I32], [I32])
    assert type(double) is Counted and double(4) == 8 and Counted.calls == 1
    user = wasmem.Module("""(module (import "env" "d" (func $d (param i32) (result i32)))
      (func (export "d") (param i32) (result i32) (call $d (local.get 0))))""")
    assert wasmem.Instance(user, {"env": {"d": double}}).exports.d(5) == 10


def test_a_host_function_comes_back_as_itself_from_a_table() -> None:
    seven = wasmem.Function(lambda: 7, [], [I32])
    table = wasmem.Table(1)
    table[0] = seven
    assert table[0] is seven and table[0]() == 7
