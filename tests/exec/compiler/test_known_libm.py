"""musl's ``sin``, ``cos`` and ``fmod`` get one-call fast paths
(``exec/compiler/known_libm.py``): recognised by their code and their callees' code only;
results (bit for bit), memory and traps after a call are those of running their own code
(wasmtime; the interpreter), for any double, near the multiples of pi/2 where the
reduction takes its third step, and with the stack pointer where the fast path must not
run."""

from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.context import ModuleContext
from wasmem.exec.compiler.known_libm import entry_lines, known_libm, musl_trig
from wasmem.exec.compiler.tier import CompiledModule

SOURCE = (Path(__file__).parent / "data" / "wasi_libc_trig.wat").read_text()
EXPORTED_SP = SOURCE.replace('(export "memory" (memory 0))',
                             '(export "memory" (memory 0))\n  (export "sp" (global 0))')
SIN, COS = 8, 6  # the function indices of sin and cos in SOURCE
FMOD_SOURCE = (Path(__file__).parent / "data" / "wasi_libc_fmod.wat").read_text()
FMOD = 1


def _bits(value: float) -> int:
    return int.from_bytes(struct.pack("<d", value), "little")


def _same(a: float, b: float) -> bool:
    return _bits(a) == _bits(b) or (a != a and b != b)


def _near_quarter_turns() -> list[float]:
    """Multiples of pi/2 and pi/4 and their neighbours: the reduction's cancellations."""
    xs = []
    for k in range(1, 200):
        for step in (math.pi / 2, math.pi / 4):
            v = k * step
            xs += [v, -v, math.nextafter(v, 0.0), math.nextafter(v, math.inf)]
    # where the medium reduction's exponent tests (ex - ey > 16, > 49) are on their edge
    edges = ["0x1.92214ca9fe0d1p+4", "0x1.922066c6d7a55p+4", "0x1.921fb54442d0ap+4",
             "0x1.921fb54442d1ep+4"]
    return xs + [sign * float.fromhex(h) for h in edges for sign in (1, -1)]


def _call(instance: wasmem.Instance, name: str, x: float) -> object:
    try:
        return _bits(instance.exports[name](x))
    except wasmem.Trap as trap:
        return ("trap", trap.code)


def test_sin_and_cos_are_recognised_by_their_code() -> None:
    module = wasmem.Module(SOURCE)
    ctx = ModuleContext.of(module.ast)
    found = {k: known_libm(ctx, k) for k in range(ctx.imported_functions,
                                                   ctx.imported_functions
                                                   + len(module.ast.functions))}
    assert {k: v for k, v in found.items() if v} == {SIN: "sin", COS: "cos"}
    compiled = CompiledModule.of(module.ast)
    assert "n_musl_trig(l0, VF64_0, (G0 - 16) >> 3, 0)" in (compiled.source(SIN) or "")
    assert "n_musl_trig(l0, VF64_0, (G0 - 16) >> 3, 1)" in (compiled.source(COS) or "")
    with pytest.raises(ValueError):
        entry_lines("tan", "G0")


@pytest.mark.parametrize("old, new", [
    # a constant of __sin's polynomial (sin and cos both call __sin)
    ("f64.const 0x1.5d93a5acfd57cp-33", "f64.const 0x1.5d93a5acfd57dp-33"),
    # the reduction's threshold in __rem_pio2
    ("i32.const 1094263290", "i32.const 1094263289"),
])
def test_a_changed_body_or_callee_is_translated_as_it_is(old: str, new: str) -> None:
    assert SOURCE.count(old) == 1
    module = wasmem.Module(SOURCE.replace(old, new))
    ctx = ModuleContext.of(module.ast)
    assert known_libm(ctx, SIN) is None and known_libm(ctx, COS) is None
    assert "n_musl_trig" not in (CompiledModule.of(module.ast).source(SIN) or "")


@pytest.fixture(scope="module")
def engines() -> tuple[Any, Any, Any]:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    reference = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), [])
    compiled = wasmem.Instance(wasmem.Module(SOURCE), tier="compile")
    return store, reference, compiled


def _agree(engines: tuple[Any, Any, Any], x: float) -> None:
    store, reference, compiled = engines
    for name in ("sin_", "cos_"):
        expected = reference.exports(store)[name](store, x)
        got = compiled.exports[name](x)
        assert _same(expected, got), (name, x, expected, got)
    memory = reference.exports(store)["memory"]
    assert bytes(memory.read(store, 0, 2 * 65536)) == compiled.exports["memory"].read(
        0, 2 * 65536)


@settings(max_examples=400, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True)
       | st.floats(min_value=-1e7, max_value=1e7)
       | st.integers(0, 2**64 - 1).map(lambda b: struct.unpack("<d", b.to_bytes(8, "little"))[0]))
def test_agrees_with_wasmtime(engines: tuple[Any, Any, Any], x: float) -> None:
    _agree(engines, x)


def test_agrees_with_wasmtime_near_quarter_turns(engines: tuple[Any, Any, Any]) -> None:
    for x in _near_quarter_turns():
        _agree(engines, x)


def test_the_fast_path_is_taken_below_2_pow_20_quarter_turns() -> None:
    view = memoryview(bytearray(16)).cast("d")
    assert musl_trig(1.0, view, 0, 0) is not None and view[0] != 0.0
    assert musl_trig(1e7, view, 0, 1) is None  # (__rem_pio2_large: the body)
    view[0] = view[1] = 7.0
    assert isinstance(musl_trig(0.5, view, 0, 1), float)  # (no reduction: nothing written)
    assert view[0] == view[1] == 7.0


@pytest.mark.parametrize("sp", [8, 0, 69404, 69408, 2 * 65536, 2 * 65536 + 8, 0xFFFFFFF8])
def test_the_stack_pointer_where_the_body_must_run(sp: int) -> None:
    # low, unaligned, at or past the memory's end: the fast path is not taken where the
    # body's stores would trap or land elsewhere; results, traps and memory as interpreted
    results = []
    for tier in ("compile", "interpret"):
        instance = wasmem.Instance(wasmem.Module(EXPORTED_SP), tier=tier)
        instance.exports["sp"].value = sp
        outcome = [_call(instance, name, x) for name in ("sin_", "cos_")
                   for x in (0.5, 1.0, -2.5, 100.0, 1e7, math.inf)]
        results.append((outcome, instance.exports["sp"].value,
                        instance.exports["memory"].read(0, 2 * 65536)))
    assert results[0] == results[1]


def test_exported_stack_pointer_is_read_through_its_instance() -> None:
    module = wasmem.Module(EXPORTED_SP)
    assert "n_musl_trig(l0, VF64_0, (GI0.value - 16) >> 3, 0)" in (
        CompiledModule.of(module.ast).source(SIN) or "")


def test_fmod_is_recognised_by_its_code() -> None:
    module = wasmem.Module(FMOD_SOURCE)
    ctx = ModuleContext.of(module.ast)
    assert [known_libm(ctx, k) for k in range(len(module.ast.functions))] == [
        None, "fmod", None, None, None]
    assert "return n_fmod(l0, l1)" in (CompiledModule.of(module.ast).source(FMOD) or "")
    changed = wasmem.Module(FMOD_SOURCE.replace("i64.const 12\n", "i64.const 11\n", 1))
    assert known_libm(ModuleContext.of(changed.ast), FMOD) is None


@pytest.fixture(scope="module")
def fmod_engines() -> tuple[Any, Any, Any, Any]:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    reference = wasmtime.Instance(store, wasmtime.Module(store.engine, FMOD_SOURCE), [])
    compiled = wasmem.Instance(wasmem.Module(FMOD_SOURCE), tier="compile")
    interpreted = wasmem.Instance(wasmem.Module(FMOD_SOURCE), tier="interpret")
    return store, reference, compiled, interpreted


_DOUBLES = (st.floats(allow_nan=True, allow_infinity=True)
            | st.integers(0, 2**64 - 1).map(
                lambda b: struct.unpack("<d", b.to_bytes(8, "little"))[0])
            | st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 2 * math.pi, 360.0, 1296000.0,
                               86400.0, 1.0, -1.0, 1e300, math.inf, -math.inf]))


@settings(max_examples=500, deadline=None)
@given(_DOUBLES, _DOUBLES)
def test_fmod_agrees_with_wasmtime_and_the_interpreter(
        fmod_engines: tuple[Any, Any, Any, Any], x: float, y: float) -> None:
    store, reference, compiled, interpreted = fmod_engines
    expected = reference.exports(store)["fmod_"](store, x, y)
    assert _same(expected, compiled.exports["fmod_"](x, y)), (x, y)
    assert _same(interpreted.exports["fmod_"](x, y), compiled.exports["fmod_"](x, y))


def test_fmod_of_multiples_and_signed_zeros(fmod_engines: tuple[Any, Any, Any, Any]) -> None:
    store, reference, compiled, _ = fmod_engines
    for x, y in [(6.0, 3.0), (-6.0, 3.0), (-0.0, 2.0), (0.0, -2.0), (7.5, -2.0),
                 (-7.5, 2.0), (1e308, 3.0), (5e-324, 1e-320), (-1e-310, 5e-324),
                 (2.0, 6.0), (-2.0, 6.0), (1e22, 2 * math.pi)]:
        expected = reference.exports(store)["fmod_"](store, x, y)
        assert _bits(expected) == _bits(compiled.exports["fmod_"](x, y)), (x, y)
