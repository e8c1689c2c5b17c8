"""Trapping truncations after clang's own range test (``exec/compiler/tested_truncs.py``):
``(int)x`` as clang-14 writes it (``block; x; f64.abs; f64.const 0x1p+31; f64.lt;
i32.eqz; br_if 0; x; i32.trunc_f64_s ...``) is translated as ``int(x)`` alone; the test
stays where the local changes in between, where the bound is too large for the
truncation, or where the test is another one. Every case agrees with the interpreter
on values in and out of range, at the bounds, infinities and NaNs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule


def _guarded(name: str, result: str, ftype: str, bound: str, between: str = "",
             read: str = "(local.get 0)") -> str:
    """A function returning ``trunc(x) + 1`` when clang's test passes, else -7."""
    return f"""
  (func (export "{name}") (param {ftype}) (result {result}) (local {result})
    (local.set 1 ({result}.const -7))
    (block
      {read}
      {ftype}.abs
      {ftype}.const {bound}
      {ftype}.lt
      i32.eqz
      br_if 0
      {between}
      local.get 0
      {result}.trunc_{ftype}_s
      {result}.const 1
      {result}.add
      local.set 1)
    (local.get 1))"""


SOURCE = "(module" + "".join((
    _guarded("i32_f64", "i32", "f64", "0x1p+31"),
    _guarded("i32_f32", "i32", "f32", "0x1p+31"),
    _guarded("i64_f64", "i64", "f64", "0x1p+63"),
    _guarded("i64_f32", "i64", "f32", "0x1p+63"),
    _guarded("small_bound", "i32", "f64", "100.5"),
    # (the test on a value the function computes and keeps: local.tee)
    _guarded("teed", "i32", "f64", "0x1p+31",
             read="(local.tee 0 (f64.mul (local.get 0) (f64.const 0.5)))"),
    # the test no longer holds or never did: the translation keeps its own
    _guarded("reassigned", "i32", "f64", "0x1p+31",
             between="(local.set 0 (f64.mul (local.get 0) (f64.const 4.0)))"),
    _guarded("bound_too_large", "i32", "f64", "0x1p+32"),
    _guarded("i64_bound_too_large", "i64", "f64", "0x1p+64"),
    _guarded("nan_bound", "i32", "f64", "nan"),
)) + "\n)"

NAMES = ("i32_f64", "i32_f32", "i64_f64", "i64_f32", "small_bound", "teed", "reassigned",
         "bound_too_large", "i64_bound_too_large", "nan_bound")
TESTED = ("i32_f64", "i32_f32", "i64_f64", "i64_f32", "small_bound", "teed")

EDGES = [0.0, -0.0, 0.5, -0.99, 1.5, 99.9, 100.5, -100.5, 2147483647.9, 2147483648.0,
         -2147483648.0, -2147483648.9, -2147483649.0, 2147483648.5, 4294967295.5,
         4294967296.0, 5e9, -5e9, 9.2e18, 9223372036854775807.0, -9223372036854775808.0,
         1.9e19, 1e300, math.inf, -math.inf, math.nan, 1e-300]


def _call(instance: wasmem.Instance, name: str, value: float) -> object:
    try:
        return instance.exports[name](value)
    except wasmem.Trap as trap:
        return f"trap {str(trap).splitlines()[0]}"


def _results(tier: str, name: str, values: list[float]) -> list[object]:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    return [_call(instance, name, value) for value in values]


@pytest.mark.parametrize("name", NAMES)
def test_edges_agree_with_the_interpreter(name: str) -> None:
    assert _results("compile", name, EDGES) == _results("interpret", name, EDGES)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(NAMES), st.floats(allow_nan=True, allow_infinity=True, width=64))
def test_random_values_agree_with_the_interpreter(name: str, value: float) -> None:
    assert _results("compile", name, [value]) == _results("interpret", name, [value])


def _source(name: str) -> str:
    return CompiledModule.of(wasmem.Module(SOURCE).ast).source(NAMES.index(name)) or ""


@pytest.mark.parametrize("name", NAMES)
def test_only_a_holding_test_drops_the_translations_own(name: str) -> None:
    text = _source(name)
    assert "int(l0)" in text, text
    assert ("_trunc_" in text) is (name not in TESTED), text


def test_edges_agree_with_wasmtime() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    theirs = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), [])
    mine = wasmem.Instance(wasmem.Module(SOURCE), tier="compile")
    for name in NAMES:
        for value in EDGES:
            try:
                expected: object = theirs.exports(store)[name](store, value)
            except wasmtime.Trap:
                expected = "trap"
            ours = _call(mine, name, value)
            assert (ours if isinstance(ours, int) else "trap") == expected, (name, value, ours)
