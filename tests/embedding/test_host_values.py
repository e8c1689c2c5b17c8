"""Host values are checked where they enter (issue 10, defect 9): arguments, table
elements, globals and host-function results of the wrong kind are wasmem errors at the
boundary, never a raw Python error later."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.runtime.functions import FunctionInstance
from wasmem.syntax.types import EXTERNREF, F64, FUNCREF, I32, I64

TIERS = ["compile", "interpret", "tiered"]

TABLE = """(module
  (type $v (func (result i32)))
  (table (export "t") 2 funcref)
  (global (export "g") (mut funcref) (ref.null func))
  (global (export "e") (mut externref) (ref.null extern))
  (func $seven (export "seven") (result i32) (i32.const 7))
  (func (export "ci") (param i32) (result i32) (call_indirect (type $v) (local.get 0)))
  (func (export "id") (param funcref) (result funcref) (local.get 0))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "i32") (param i32) (result i32) (local.get 0))
  (func (export "i64") (param i64) (result i64) (local.get 0))
  (func (export "f64") (param f64) (result f64) (local.get 0)))"""


class Index:
    """An integer-like object (as numpy integers are): has ``__index__``."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


@pytest.fixture(params=TIERS)
def instance(request: pytest.FixtureRequest) -> wasmem.Instance:
    return wasmem.Instance(wasmem.Module(TABLE), tier=request.param)


@pytest.mark.parametrize("value", [object(), 42, "f", lambda: 7], ids=["object", "int", "str",
                                                                        "callable"])
def test_a_table_accepts_only_functions(instance: wasmem.Instance, value: Any) -> None:
    table = instance.exports["t"]
    with pytest.raises(wasmem.InvocationError, match="funcref"):
        table[0] = value
    with pytest.raises(wasmem.InvocationError, match="funcref"):
        table.grow(1, value)
    assert table.size == 2 and table[0] is None
    with pytest.raises(wasmem.Trap, match="uninitialized element"):
        instance.exports["ci"](0)


def test_a_function_set_in_a_table_is_called(instance: wasmem.Instance) -> None:
    table = instance.exports["t"]
    table[1] = instance.exports["seven"]
    assert instance.exports["ci"](1) == 7
    table[1] = wasmem.Function(lambda: 8, [], [I32])
    assert instance.exports["ci"](1) == 8
    table[1] = None
    with pytest.raises(wasmem.Trap, match="uninitialized element"):
        instance.exports["ci"](1)


@pytest.mark.parametrize("value", [object(), 3, b"x"], ids=["object", "int", "bytes"])
def test_funcref_arguments_and_globals_are_checked(instance: wasmem.Instance,
                                                   value: Any) -> None:
    with pytest.raises(wasmem.InvocationError, match="funcref"):
        instance.exports["id"](value)
    with pytest.raises(wasmem.InvocationError, match="funcref"):
        instance.exports["g"].value = value
    with pytest.raises(wasmem.InvocationError, match="funcref"):
        wasmem.Global(FUNCREF, value, mutable=True)
    assert instance.exports["g"].value is None


def test_externref_takes_any_python_object(instance: wasmem.Instance) -> None:
    token = object()
    assert instance.exports["ext"](token) is token
    instance.exports["e"].value = token
    assert instance.exports["e"].value is token
    assert wasmem.Global(EXTERNREF, token).value is token


def test_a_typed_reference_takes_only_functions_of_its_type(instance: wasmem.Instance) -> None:
    module = wasmem.Module("""(module (type $t (func (result i32)))
      (func $k (export "k") (result i32) (i32.const 9))
      (func (export "w") (param i32))
      (func (export "call") (param (ref null $t)) (result i32)
        (call_ref $t (local.get 0))))""")
    typed = wasmem.Instance(module)
    assert typed.exports["call"](typed.exports["k"]) == 9
    with pytest.raises(wasmem.InvocationError, match="is not a"):
        typed.exports["call"](typed.exports["w"])


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize(("results", "returned", "match"), [
    ([FUNCREF], object(), "funcref"),
    ([FUNCREF], 5, "funcref"),
    ([I32], 1.5, "integer"),
    ([I32], "1", "integer"),
    ([I32], None, "integer"),
    ([I32], 2**32, "does not fit"),
    ([I32], -2**31 - 1, "does not fit"),
    ([I64], 2**64, "does not fit"),
    ([F64], "1.0", "number"),
    ([I32, I32], 1, "expected 2 results"),
    ([I32, I32], (1, 2, 3), "expected 2 results"),
    ([], 5, "expected no result"),
], ids=["funcref-object", "funcref-int", "i32-float", "i32-str", "i32-none", "i32-2**32",
        "i32-below", "i64-2**64", "f64-str", "count-short", "count-long", "no-result"])
def test_bad_host_results_are_traps(tier: str, results: list[Any], returned: Any,
                                    match: str) -> None:
    text = " ".join(str(t) for t in results)
    module = wasmem.Module(f"""(module (import "env" "h" (func $h (result {text})))
      (func (export "f") (call $h) {"drop " * len(results)}))""")
    instance = wasmem.Instance(module, {"env": {"h": lambda: returned}}, tier=tier)
    with pytest.raises(wasmem.Trap, match=f"env.h returned a bad result: .*{match}"):
        instance.exports["f"]()


@pytest.mark.parametrize("tier", TIERS)
def test_a_bad_funcref_from_the_host_never_reaches_call_indirect(tier: str) -> None:
    module = wasmem.Module("""(module (import "env" "h" (func $h (result funcref)))
      (type $v (func (result i32))) (table 1 funcref)
      (func (export "f") (result i32)
        (table.set (i32.const 0) (call $h))
        (call_indirect (type $v) (i32.const 0))))""")
    instance = wasmem.Instance(module, {"env": {"h": lambda: object()}}, tier=tier)
    with pytest.raises(wasmem.Trap, match="bad result"):
        instance.exports["f"]()


@pytest.mark.parametrize(("export", "value", "expected"), [
    ("i32", True, 1), ("i32", False, 0), ("i32", 2**31, -2**31), ("i32", 2**32 - 1, -1),
    ("i32", -2**31, -2**31), ("i32", Index(5), 5), ("i64", 2**64 - 1, -1),
    ("f64", 2, 2.0), ("f64", True, 1.0), ("f64", Index(3), 3.0),
], ids=["true", "false", "2**31", "2**32-1", "min", "index", "i64-max", "f64-int",
        "f64-bool", "f64-index"])
def test_accepted_numbers(instance: wasmem.Instance, export: str, value: Any,
                          expected: Any) -> None:
    assert instance.exports[export](value) == expected


@pytest.mark.parametrize(("export", "value"), [
    ("i32", 1.0), ("i32", 2**32), ("i32", -2**31 - 1), ("i32", "3"), ("i32", None),
    ("i64", 2**64), ("i64", 1.5), ("f64", "1.0"), ("f64", None), ("f64", 1j),
], ids=["i32-float", "i32-2**32", "i32-below", "i32-str", "i32-none", "i64-2**64",
        "i64-float", "f64-str", "f64-none", "f64-complex"])
def test_rejected_numbers(instance: wasmem.Instance, export: str, value: Any) -> None:
    with pytest.raises(wasmem.InvocationError):
        instance.exports[export](value)


ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=4),
    st.binary(max_size=4), st.complex_numbers(), st.lists(st.integers(), max_size=2),
    st.tuples(st.integers()), st.builds(object), st.builds(Index, st.integers()))


@settings(max_examples=150, deadline=None)
@given(export=st.sampled_from(["i32", "i64", "f64", "id", "ext"]), value=ANY_VALUE)
def test_any_python_value_converts_or_is_an_invocation_error(export: str, value: Any) -> None:
    instance = _SHARED[0]
    try:
        result = instance.exports[export](value)
    except wasmem.InvocationError:
        return
    if export == "ext":
        assert result is value
    elif export == "id":
        assert result is None or isinstance(result, FunctionInstance)


@settings(max_examples=100, deadline=None)
@given(results=st.lists(st.sampled_from(["i32", "i64", "f32", "f64", "funcref", "externref"]),
                        max_size=3), value=ANY_VALUE)
def test_any_host_result_converts_or_is_a_trap(results: list[str], value: Any) -> None:
    text = " ".join(results)
    module = wasmem.Module(f"""(module (import "env" "h" (func $h (result {text})))
      (func (export "f") (call $h) {"drop " * len(results)}))""")
    instance = wasmem.Instance(module, {"env": {"h": lambda: value}})
    try:
        instance.exports["f"]()
    except wasmem.Trap as exc:
        assert "returned a bad result" in str(exc)


_SHARED = [wasmem.Instance(wasmem.Module(TABLE))]


@pytest.mark.parametrize(("fn", "params", "results"), [
    (lambda: 1, ["i32"], []), (lambda: 1, [I32], ["x"]), (lambda: 1, 5, []),
    (42, [], []),
], ids=["param-str", "result-str", "not-a-list", "not-callable"])
def test_host_functions_are_checked_when_made(fn: Any, params: Any, results: Any) -> None:
    with pytest.raises(wasmem.InvocationError):
        wasmem.Function(fn, params, results)
