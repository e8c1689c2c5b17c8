"""Signed reads of loads (``exec/compiler/signed_loads.py``, ``emit_memory.LoadEntry``):
sign-extending loads through the signed views (``V16SU_0[a & 1][a >> 1] & 0xFFFFFFFF``),
``f64.convert_i32_s``/``_i64_s`` of a load as ``float(V32S_0[...])``, signed comparisons
with a load operand and ``i64.extend_i32_s`` of a load: at every alignment, through
aligned, shifted and computed addresses, up to the last bytes of memory (traps exactly
there), against the interpreter (hypothesis) and wasmtime."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

PAGE = 65536

_A = "(local.get 0)"
_AL4 = "(i32.and (local.get 0) (i32.const -4))"  # a multiple of 4: the typed views
_AL8 = "(i32.and (local.get 0) (i32.const -8))"
_EXPR = "(i32.add (local.get 0) (i32.const 3))"  # a computed address (named once)
FUNCS: dict[str, tuple[str, str]] = {
    "cvt32": ("f64", f"(f64.convert_i32_s (i32.load align=1 {_A}))"),
    "cvt32a": ("f64", f"(f64.convert_i32_s (i32.load offset=4 {_AL4}))"),
    "cvt32e": ("f64", f"(f64.convert_i32_s (i32.load offset=1 align=1 {_EXPR}))"),
    "cvt64": ("f64", f"(f64.convert_i64_s (i64.load align=1 {_A}))"),
    "cvt64a": ("f64", f"(f64.convert_i64_s (i64.load offset=8 {_AL8}))"),
    "cvt16": ("f64", f"(f64.convert_i32_s (i32.load16_s align=1 {_A}))"),
    "cvt32x": ("f64", f"(f64.convert_i64_s (i64.load32_s align=1 {_A}))"),
    "s16": ("i32", f"(i32.load16_s align=1 {_A})"),
    "s16a": ("i32", f"(i32.load16_s offset=2 {_AL4})"),
    "s16e": ("i32", f"(i32.load16_s offset=5 align=1 {_EXPR})"),
    "s16x": ("i64", f"(i64.load16_s offset=2 align=1 {_A})"),
    "s32x": ("i64", f"(i64.load32_s align=1 {_A})"),
    "s32xa": ("i64", f"(i64.load32_s offset=4 {_AL4})"),
    "lt": ("i32", f"(i32.lt_s (i32.load align=1 {_A}) (i32.const -5))"),
    "gec": ("i32", f"(i32.ge_s (i32.load {_AL4}) (i32.const 0x12345678))"),
    "gt": ("i32", f"(i32.gt_s (i32.load align=1 {_A}) (i32.load offset=4 align=1 {_A}))"),
    "le": ("i32", f"(i32.le_s (i32.wrap_i64 (local.get 1)) (i32.load align=1 {_EXPR}))"),
    "gtc": ("i32", f"(i32.gt_s (i32.const 100) (i32.load16_s align=1 {_A}))"),
    "small": ("i32", f"(i32.lt_s (i32.load align=1 {_A}) "
                     "(i32.and (local.get 0) (i32.const 255)))"),
    "le64": ("i32", f"(i64.le_s (i64.load align=1 {_A}) (local.get 1))"),
    "lt64c": ("i32", f"(i64.lt_s (i64.load {_AL8}) (i64.const -0x7fffffffffffff00))"),
    "ge64x": ("i32", f"(i64.ge_s (i64.load32_s align=1 {_A}) (i64.const -1))"),
    "ext": ("i64", f"(i64.extend_i32_s (i32.load align=1 {_A}))"),
    "exta": ("i64", f"(i64.extend_i32_s (i32.load offset=12 {_AL4}))"),
    "extlt": ("i32", f"(i64.lt_s (i64.extend_i32_s (i32.load align=1 {_A})) (local.get 1))"),
    "extcvt": ("f64", f"(f64.convert_i64_s (i64.extend_i32_s (i32.load align=1 {_EXPR})))"),
    "extadd": ("i64", f"(i64.add (i64.extend_i32_s (i32.load align=1 {_A})) (local.get 1))"),
}


def _module() -> str:
    funcs = [f'(func (export "{name}") (param i32 i64) (result {result}) {body})'
             for name, (result, body) in FUNCS.items()]
    head = "".join(f"\\{(i * 73 + 5) & 0xFF:02x}" for i in range(4096))
    tail = "".join(f"\\{(i * 151 + 128) & 0xFF:02x}" for i in range(32))
    return (f'(module (memory 1) (data (i32.const 0) "{head}") '
            f'(data (i32.const {PAGE - 32}) "{tail}") ' + " ".join(funcs) + ")")


MODULE = _module()

_ADDRESSES = st.one_of(st.integers(0, 4200), st.integers(PAGE - 40, PAGE + 8),
                       st.sampled_from([0xFFFFFFFF, 0xFFFFFFFC, 0x80000000, 0x7FFFFFFF]))
_OTHER = st.one_of(st.integers(-(1 << 63), (1 << 63) - 1),
                   st.sampled_from([0, -1, 1, -(1 << 31), (1 << 31) - 1, -(1 << 63)]))


def _outcome(function: Any, *args: int) -> tuple[str, Any]:
    try:
        value = function(*args)
    except wasmem.Trap as trap:
        return ("trap", str(trap).splitlines()[0])
    return ("value", value.hex() if isinstance(value, float) else value)


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


def test_the_signed_views_are_used(engines: tuple[Any, Any, Any]) -> None:
    compiled = CompiledModule.of(engines[2].ast)
    sources = {name: compiled.source(index) or "" for index, name in enumerate(FUNCS)}
    assert "float(V32SU_0[l0 & 3][l0 >> 2])" in sources["cvt32"], sources["cvt32"]
    assert "float(V32S_0[" in sources["cvt32a"], sources["cvt32a"]
    assert "(V16SU_0[l0 & 1][l0 >> 1] & 4294967295)" in sources["s16"], sources["s16"]
    assert "V64S_0[" in sources["lt64c"], sources["lt64c"]
    for name in FUNCS:
        if name not in ("extadd", "le", "le64", "extlt"):  # (a parameter: no signed text)
            assert "0x80000000" not in sources[name], sources[name]
        assert "S16(" not in sources[name] and "S32(" not in sources[name], sources[name]


@settings(max_examples=150, deadline=None)
@given(address=_ADDRESSES, other=_OTHER)
def test_agrees_with_the_interpreter(engines: tuple[Any, Any, Any], address: int,
                                     other: int) -> None:
    compiled, interpreted, _ = engines
    a = _signed(address, 32)
    for name in FUNCS:
        assert _outcome(compiled[name], a, other) == _outcome(interpreted[name], a, other), \
            (name, address, other)


def test_agrees_with_wasmtime(engines: tuple[Any, Any, Any]) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    theirs = wasmtime.Instance(store, wasmtime.Module(store.engine, MODULE), []).exports(store)
    compiled = engines[0]
    for address in (0, 1, 2, 3, 5, 8, 13, 101, 1023, 2046, 4093, PAGE - 33, PAGE - 31,
                    PAGE - 9, PAGE - 8, PAGE - 7, PAGE - 5, PAGE - 4, PAGE - 3, PAGE - 2,
                    PAGE - 1, PAGE, 0xFFFFFFFF):
        for other in (0, -1, 5, -(1 << 31), (1 << 40) + 7, -(1 << 62)):
            a = _signed(address, 32)
            for name, (result, _body) in FUNCS.items():
                try:
                    value = theirs[name](store, a, other)
                    expected: tuple[str, Any] = (
                        "value", value.hex() if isinstance(value, float) else value)
                except wasmtime.Trap:
                    expected = ("trap", None)
                got = _outcome(compiled[name], a, other)
                if got[0] == "trap":
                    got = ("trap", None)
                elif isinstance(got[1], int):
                    bits = 64 if result == "i64" else 32
                    got = ("value", _signed(got[1] & ((1 << bits) - 1), bits))
                assert got == expected, (name, address, other)
