"""The typed fast paths of the host boundary (exec/invoke.py): export calls and host
functions generated once per signature must behave exactly as the generic conversions
(``to_internal``/``to_host``) say, for every value type and arity, on the success path
and on every failure path (arity, types, bad host results, host exceptions, re-entry,
threads)."""

from __future__ import annotations

import math
import struct
import sys
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.errors import InvocationError
from wasmem.exec.invoke import export_call, invoke, invoke_raw, to_host, to_internal
from wasmem.runtime.tables import TableOutOfBounds
from wasmem.syntax.types import F32, F64, I32, I64, FuncType

TIERS = ["compile", "interpret"]
TYPES = {"i32": I32, "i64": I64, "f32": F32, "f64": F64}


class Index:
    """An integer-like object (as numpy integers are)."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


def _module() -> str:
    """``id_T`` (T -> T), ``call_T`` (calls the import ``host.T``: -> T), ``sum_T_N``
    (N arguments of T, returning their sum, or the last for floats), ``pair`` (two
    results), ``pass_T`` (calls the import ``host.pass_T``: T T T T -> T)."""
    parts = ["(module"]
    for name in TYPES:
        parts.append(f'  (import "host" "{name}" (func $h_{name} (result {name})))')
        parts.append(f'  (import "host" "pass_{name}" (func $p_{name} (param {name} {name} '
                     f'{name} {name}) (result {name})))')
    for name in TYPES:
        parts.append(f'  (func (export "id_{name}") (param {name}) (result {name}) '
                     f'(local.get 0))')
        parts.append(f'  (func (export "call_{name}") (result {name}) (call $h_{name}))')
        parts.append(f'  (func (export "pass_{name}") (param {name} {name} {name} {name}) '
                     f'(result {name}) (call $p_{name} (local.get 0) (local.get 1) '
                     f'(local.get 2) (local.get 3)))')
        for n in range(5):
            params = " ".join([name] * n)
            body = f"({name}.const 0)"
            for k in range(n):
                body = f"({name}.add {body} (local.get {k}))"
            parts.append(f'  (func (export "sum_{name}_{n}") (param {params}) (result {name}) '
                         f'{body})')
    parts.append('  (func (export "pair") (param i32 f64) (result f64 i32) '
                 '(local.get 1) (local.get 0))')
    parts.append(")")
    return "\n".join(parts)


MODULE = wasmem.Module(_module(), cache_dir=False)


def _instance(tier: str, returns: dict[str, Any] | None = None,
              passes: dict[str, Any] | None = None) -> wasmem.Instance:
    returns = returns or {}
    passes = passes or {}
    host: dict[str, Any] = {}
    for name, t in TYPES.items():
        value = returns.get(name, 1)
        host[name] = wasmem.Function(lambda v=value: v, [], [t])
        host[f"pass_{name}"] = wasmem.Function(passes.get(name, lambda a, b, c, d: d),
                                               [t] * 4, [t])
    return wasmem.Instance(MODULE, {"host": host}, tier=tier)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    return type(a) is type(b) and a == b


def _expected(t: Any, value: Any) -> Any:
    """What the generic conversions make of ``value`` going in and out, or the error."""
    try:
        return to_host(t, to_internal(t, value))
    except InvocationError as exc:
        return exc


VALUES = st.one_of(
    st.integers(min_value=-(1 << 65), max_value=1 << 65),
    st.sampled_from([0, -1, 1 << 31, -(1 << 31), (1 << 32) - 1, 1 << 32, (1 << 63) - 1,
                     -(1 << 63), (1 << 64) - 1, 1 << 64, True, False,
                     1 << 1100, -(1 << 1100)]),  # (beyond the floats)
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.builds(Index, st.integers(min_value=-(1 << 33), max_value=1 << 33)),
    st.sampled_from(["1", None, b"x", 1j, [1]]),
)


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("name", list(TYPES))
@settings(max_examples=60, deadline=None)
@given(value=VALUES)
def test_export_arguments_and_results_match_the_generic_conversions(
        tier: str, name: str, value: Any) -> None:
    exports = INSTANCES[tier].exports
    expected = _expected(TYPES[name], value)
    if isinstance(expected, InvocationError):
        with pytest.raises(InvocationError) as info:
            exports[f"id_{name}"](value)
        assert str(info.value) == str(expected)
    else:
        assert _same(exports[f"id_{name}"](value), expected)


@pytest.mark.parametrize("tier", TIERS)
def test_an_int_beyond_the_floats_is_an_infinity(tier: str) -> None:
    # (it raised a raw OverflowError: the fuzzer's boundary check)
    exports = INSTANCES[tier].exports
    for name in ("f32", "f64"):
        assert exports[f"id_{name}"](1 << 1100) == math.inf
        assert exports[f"id_{name}"](-(1 << 1100)) == -math.inf
        assert exports[f"sum_{name}_2"](1 << 1100, 1.0) == math.inf
    assert exports["pair"](1, -(1 << 1100)) == (-math.inf, 1)


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("name", list(TYPES))
@settings(max_examples=40, deadline=None)
@given(value=VALUES)
def test_host_results_match_the_generic_conversions(tier: str, name: str, value: Any) -> None:
    # a host may return its one result alone or in a one-element tuple or list
    single = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    expected = _expected(TYPES[name], single)
    call = _instance(tier, returns={name: value}).exports[f"call_{name}"]
    if isinstance(expected, InvocationError):
        with pytest.raises(wasmem.Trap, match="returned a bad result") as info:
            call()
        assert info.value.code is wasmem.TrapCode.HOST_ERROR
    else:
        assert _same(call(), expected)


INSTANCES = {tier: _instance(tier) for tier in TIERS}


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("name", list(TYPES))
@pytest.mark.parametrize("count", range(5))
def test_every_arity_of_every_type(tier: str, name: str, count: int) -> None:
    function = INSTANCES[tier].exports[f"sum_{name}_{count}"]
    args = [3] * count if name.startswith("i") else [0.5] * count
    assert function(*args) == sum(args)
    with pytest.raises(InvocationError) as info:
        function(*args, 1)
    noun = "argument" if count == 1 else "arguments"
    types = f" ({', '.join([name] * count)})" if count else ""
    assert str(info.value) == f"sum_{name}_{count} expects {count} {noun}{types}, " \
                              f"got {count + 1}"


def test_the_message_names_the_export() -> None:
    fadd = wasmem.Instance(wasmem.Module(
        '(module (func (export "fadd") (param i32 i32) (result i32) '
        '(i32.add (local.get 0) (local.get 1))))')).exports["fadd"]
    with pytest.raises(InvocationError, match=r"^fadd expects 2 arguments \(i32, i32\), got 1$"):
        fadd(1)
    with pytest.raises(InvocationError, match="expected an integer for i32, got str"):
        fadd(1, "2")
    assert fadd(-1, 2**32 - 1) == -2


@pytest.mark.parametrize("tier", TIERS)
def test_arguments_reach_the_host_signed_and_in_order(tier: str) -> None:
    seen: list[tuple[Any, ...]] = []

    def record(*args: Any) -> Any:
        seen.append(args)
        return args[3]

    instance = _instance(tier, passes={name: record for name in TYPES})
    assert instance.exports["pass_i32"](-1, 2**31, 3, -4) == -4
    assert instance.exports["pass_i64"](-1, 2**63, 3, 2**64 - 1) == -1
    assert instance.exports["pass_f64"](1, 2.5, -0.0, math.inf) == math.inf
    assert instance.exports["pass_f32"](0.1, 1, 2, 3) == 3.0
    assert seen[0] == (-1, -(2**31), 3, -4)
    assert seen[1] == (-1, -(2**63), 3, -1)
    assert seen[2] == (1.0, 2.5, -0.0, math.inf) and all(type(v) is float for v in seen[2])
    assert seen[3][0] == struct.unpack("<f", struct.pack("<f", 0.1))[0]


@pytest.mark.parametrize("tier", TIERS)
def test_multiple_results(tier: str) -> None:
    pair = INSTANCES[tier].exports["pair"]
    assert pair(-5, 2) == (2.0, -5)
    assert invoke(pair._function_instance, [2**32 - 1, 1.5], name="pair") == (1.5, -1)
    assert invoke_raw(pair._function_instance, [7, 1.5]) == (1.5, 7)
    with pytest.raises(InvocationError, match=r"^pair expects 2 arguments"):
        invoke(pair._function_instance, [1], name="pair")


@pytest.mark.parametrize("tier", TIERS)
def test_a_host_exception_keeps_its_traceback_and_gains_wasm_frames(tier: str) -> None:
    def fail(a: int, b: int, c: int, d: int) -> int:
        raise KeyError("missing")

    instance = _instance(tier, passes={"i32": fail})
    with pytest.raises(wasmem.Trap, match=r"host function fail raised KeyError") as info:
        instance.exports["pass_i32"](1, 2, 3, 4)
    cause = info.value.__cause__
    assert isinstance(cause, KeyError)
    assert cause.__traceback__ is not None
    assert cause.__traceback__.tb_next is not None  # down to the line in fail
    assert cause.__traceback__.tb_next.tb_frame.f_code is fail.__code__
    assert [f.function_name for f in info.value.frames] == ["pass_i32"]
    assert cause.wasm_frames == info.value.frames  # type: ignore[attr-defined]


@pytest.mark.parametrize("tier", TIERS)
def test_wasmem_errors_from_a_host_pass_through(tier: str) -> None:
    def exit_now(a: int, b: int, c: int, d: int) -> int:
        raise wasmem.Exit(3)

    instance = _instance(tier, passes={"i64": exit_now})
    with pytest.raises(wasmem.Exit):
        instance.exports["pass_i64"](1, 2, 3, 4)


@pytest.mark.parametrize("tier", TIERS)
def test_reentry_from_a_host_function_is_bounded(tier: str) -> None:
    box: dict[str, Any] = {}

    def again(a: int, b: int, c: int, d: int) -> int:
        return box["f"](a, b, c, d + 1)  # type: ignore[no-any-return]

    instance = _instance(tier, passes={"i32": again})
    box["f"] = instance.exports["pass_i32"]
    limit = sys.getrecursionlimit()
    with pytest.raises(wasmem.Exhaustion, match="call stack exhausted"):
        box["f"](0, 0, 0, 0)
    assert sys.getrecursionlimit() == limit
    assert instance.exports["sum_i32_2"](1, 2) == 3  # the thread's counters are back


def test_fuel_runs_out_through_the_fast_path() -> None:
    instance = wasmem.Instance(MODULE, {"host": {f"{p}{n}": (lambda *a: 1)
                                                 for n in TYPES for p in ("", "pass_")}},
                               fuel=20)
    function = instance.exports["sum_i32_4"]
    with pytest.raises(wasmem.FuelExhausted):
        for _ in range(100):
            function(1, 2, 3, 4)
    instance.add_fuel(100)
    assert function(1, 2, 3, 4) == 10


@pytest.mark.parametrize("tier", TIERS)
def test_threads_call_the_same_export(tier: str) -> None:
    function = INSTANCES[tier].exports["sum_i64_2"]
    errors: list[BaseException] = []

    def work(base: int) -> None:
        try:
            for k in range(300):
                assert function(base, k) == base + k
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(1000 * t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_wrappers_are_made_once() -> None:
    instance = wasmem.Instance(wasmem.Module(
        '(module (func $f (export "f") (result i32) (i32.const 1)) (table (export "t") 1 '
        'funcref) (elem (i32.const 0) $f))'))
    exports = instance.exports
    assert exports.f is exports["f"] and exports.f is exports.f
    table = exports["t"]
    assert table[0] is table[0] and table[0]() == 1
    assert isinstance(exports.f, wasmem.Function) and type(exports.f).__name__ == "Function"
    with pytest.raises(TableOutOfBounds):
        table[1]
    with pytest.raises(TableOutOfBounds):
        table[-1]


def test_export_call_is_made_once_per_signature() -> None:
    key = FuncType((I32, F64), (I64,))
    assert export_call(key) is export_call(FuncType((I32, F64), (I64,)))
