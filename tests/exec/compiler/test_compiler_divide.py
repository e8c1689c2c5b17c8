"""Signed division and remainder by a positive constant (``exec/compiler/emit_numeric.py``,
``_signed_divide``): inline, no library call, exact for every dividend (checked against
the interpreter and wasmtime); other divisors keep the trapping library call."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

DIVISORS = (1, 2, 3, 7, 10, 1000, 0x7FFFFFFF)


def module(divisor: int, bits: int) -> str:
    t = f"i{bits}"
    return f"""(module
 (func (export "div") (param {t}) (result {t}) ({t}.div_s (local.get 0) ({t}.const {divisor})))
 (func (export "rem") (param {t}) (result {t}) ({t}.rem_s (local.get 0) ({t}.const {divisor})))
 (func (export "var") (param {t} {t}) (result {t}) ({t}.div_s (local.get 0) (local.get 1)))
 (func (export "neg") (param {t}) (result {t}) ({t}.div_s (local.get 0) ({t}.const -10))))"""


def reference(a: int, b: int, bits: int) -> tuple[int, int]:
    """Truncating quotient and remainder of signed ``a`` by ``b`` (as the host sees them)."""
    q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
    q = (q + (1 << (bits - 1))) % (1 << bits) - (1 << (bits - 1))
    return q, a - b * q if abs(a - b * q) < abs(b) else 0


@pytest.mark.parametrize("bits", [32, 64])
def test_no_library_call_for_positive_constant_divisors(bits: int) -> None:
    m = wasmem.Module(module(10, bits))
    compiled = CompiledModule.of(m.ast)
    assert "n_i" not in (compiled.source(0) or "") + (compiled.source(1) or "")
    assert f"n_i{bits}_div_s" in (compiled.source(2) or "")  # may trap: the call
    assert f"n_i{bits}_div_s" in (compiled.source(3) or "")  # negative divisor


@settings(max_examples=60, deadline=None)
@given(bits=st.sampled_from([32, 64]), divisor=st.sampled_from(DIVISORS),
       values=st.lists(st.integers(), min_size=1, max_size=8))
def test_agrees_with_the_interpreter(bits: int, divisor: int, values: list[int]) -> None:
    m = wasmem.Module(module(divisor, bits))
    compiled = wasmem.Instance(m, tier="compile").exports
    interpreted = wasmem.Instance(m, tier="interpret").exports
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    for value in [low, high, -1, 0, 1, -divisor, divisor - 1, *values]:
        v = min(high, max(low, value))
        assert compiled["div"](v) == interpreted["div"](v) == reference(v, divisor, bits)[0]
        assert compiled["rem"](v) == interpreted["rem"](v) == reference(v, divisor, bits)[1]


def test_agrees_with_wasmtime() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    for bits in (32, 64):
        source = module(7, bits)
        store = wasmtime.Store()
        theirs = wasmtime.Instance(store, wasmtime.Module(store.engine, source), [])
        mine = wasmem.Instance(wasmem.Module(source), tier="compile").exports
        for v in (-(1 << (bits - 1)), -15, -14, -13, -1, 0, 6, 7, 8, (1 << (bits - 1)) - 1):
            for name in ("div", "rem"):
                assert mine[name](v) == theirs.exports(store)[name](store, v), (bits, name, v)


def test_the_trapping_cases_still_trap() -> None:
    exports = wasmem.Instance(wasmem.Module(module(10, 32)), tier="compile").exports
    with pytest.raises(wasmem.Trap, match="divide by zero"):
        exports["var"](5, 0)
    with pytest.raises(wasmem.Trap, match="overflow"):
        exports["var"](-(1 << 31), -1)
