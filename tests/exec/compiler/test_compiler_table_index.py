"""Table lookups through typed views (``exec/compiler/emit_numeric.py``'s ``shifted`` and
``scaled`` entries): ``T[(x >> j) & (n << k)]`` and ``T[((x & n) << k) + c]`` index the
view with ``(x >> (j + k)) & n`` and ``(x & n) + (c >> k)``; shifts of shifts fold into
one. The compiled code must read what the interpreter and wasmtime read, trap where they
trap (an index past the memory), and the folded index must be what the source holds."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

LOOKUPS = {
    # name: (load, address expression over the i32 parameter x)
    "aes": ("i32.load", "(i32.add (i32.and (i32.shr_u (local.get 0) (i32.const 14)) "
                        "(i32.const 1020)) (i32.const 2080))"),
    "top": ("i32.load", "(i32.add (i32.and (i32.shr_u (local.get 0) (i32.const 22)) "
                        "(i32.const 1020)) (i32.const 1056))"),
    "low": ("i32.load", "(i32.add (i32.shl (i32.and (local.get 0) (i32.const 255)) "
                        "(i32.const 2)) (i32.const 4128))"),
    "half": ("i32.load16_u", "(i32.add (i32.and (i32.shr_u (local.get 0) (i32.const 3)) "
                             "(i32.const 0x3FE)) (i32.const 512))"),
    "wide": ("i64.load", "(i32.add (i32.and (i32.shr_u (local.get 0) (i32.const 9)) "
                         "(i32.const 0x7F8)) (i32.const 8))"),
    "f64": ("f64.load", "(i32.and (i32.shr_u (local.get 0) (i32.const 20)) (i32.const 0xFF8))"),
    "twice": ("i32.load", "(i32.and (i32.shr_u (i32.shr_u (local.get 0) (i32.const 5)) "
                          "(i32.const 7)) (i32.const 0xFFC))"),
    "sparse": ("i32.load", "(i32.and (i32.shr_u (local.get 0) (i32.const 1)) "
                           "(i32.const 0x5554))"),
    "odd": ("i32.load8_u", "(i32.add (i32.and (i32.shr_u (local.get 0) (i32.const 4)) "
                           "(i32.const 0xFF)) (i32.const 7))"),
    "beyond": ("i32.load", "(i32.add (i32.and (i32.shr_u (local.get 0) (i32.const 8)) "
                           "(i32.const 0xFFFFFC)) (i32.const 64))"),
    "shifts": ("i32.load", "(i32.shl (i32.shr_u (i32.shr_u (local.get 0) (i32.const 30)) "
                           "(i32.const 1)) (i32.const 2))"),
    "wrapped": ("i32.load", "(i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 256))"),
    "based": ("i32.load", "(i32.add (local.get 1) (i32.shl (local.get 0) (i32.const 2)))"),
    "based8": ("i64.load", "(i32.add (i32.shl (local.get 0) (i32.const 3)) (local.get 1))"),
}
"""Lookups of the shapes clang emits for tables indexed by bytes of a word (``beyond``
reaches past the one page of memory for most ``x``: it must trap there)."""


def _module() -> str:
    funcs = []
    for name, (load, address) in LOOKUPS.items():
        result = {"i64": "i64", "f64": "f64"}.get(load[:3], "i32")
        value = f"({load} {address})"
        if result == "f64":
            value = f"(i64.reinterpret_f64 {value})"
            result = "i64"
        funcs.append(f'(func (export "{name}") (param i32) (result {result}) (local i32)'
                     ' (local.set 1 (i32.and (local.get 0) (i32.const 0x3F0)))'
                     f' (loop $l (br_if $l (i32.eqz (i32.const 1)))) {value})'
                     if name.startswith("based") else
                     f'(func (export "{name}") (param i32) (result {result}) {value})')
    pattern = "".join(f"\\{(i * 37 + 11) & 0xFF:02x}" for i in range(8192))
    return (f'(module (memory 1) (data (i32.const 0) "{pattern}") '
            + " ".join(funcs) + ")")


MODULE = _module()


def _outcome(function: Any, x: int) -> tuple[str, Any]:
    try:
        return ("value", function(x))
    except wasmem.Trap:
        return ("trap", None)


def test_the_index_is_folded(engines: tuple[Any, Any, Any]) -> None:
    compiled = CompiledModule.of(engines[2].ast)
    names = list(LOOKUPS)
    sources = {name: compiled.source(index) or "" for index, name in enumerate(names)}
    assert "[(((l0 >> 16) & 255) + 520)]" in sources["aes"], sources["aes"]
    assert "[((l0 >> 24) + 264)]" in sources["top"], sources["top"]
    assert "[((l0 & 255) + 1032)]" in sources["low"], sources["low"]
    assert "[((l0 >> 14) & 1023)]" in sources["twice"], sources["twice"]
    assert "[((l0 + 64) & 1073741823)]" in sources["wrapped"], sources["wrapped"]
    assert "[(((l1 >> 2) + l0) & 1073741823)]" in sources["based"], sources["based"]
    assert "[(((l1 >> 3) + l0) & 536870911)]" in sources["based8"], sources["based8"]
    for name in ("aes", "top", "low", "half", "wide", "f64", "twice", "wrapped", "based"):
        assert ">> 2]" not in sources[name] and "U" not in sources[name], sources[name]


@settings(max_examples=120, deadline=None)
@given(x=st.one_of(st.integers(0, 0xFFFFFFFF), st.sampled_from(
    [0, 1, 0xFF, 0x3FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x3FFFFFC0,
     0x40000010, 0xC0000123, 0x2000_0001, 0xE000_0100])))
def test_agrees_with_the_interpreter(engines: tuple[Any, Any, Any], x: int) -> None:
    compiled, interpreted, _ = engines
    signed = x - (1 << 32) if x >= 1 << 31 else x
    for name in LOOKUPS:
        assert _outcome(compiled[name], signed) == _outcome(interpreted[name], signed), name


def test_agrees_with_wasmtime(engines: tuple[Any, Any, Any]) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    theirs = wasmtime.Instance(store, wasmtime.Module(store.engine, MODULE), []).exports(store)
    compiled = engines[0]
    for x in (0, 1, 0x1234_5678, 0x8765_4321, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x0000_3FC0,
              0xDEAD_BEEF, 0x0001_0000, 0x00FF_FF00, 0x3FFF_FFC0, 0x4000_0010, 0xC000_0123,
              0x2000_0001, 0xE000_0100, 0x0000_0010):
        signed = x - (1 << 32) if x >= 1 << 31 else x
        for name in LOOKUPS:
            try:
                expected: tuple[str, Any] = ("value", theirs[name](store, signed))
            except wasmtime.Trap:
                expected = ("trap", None)
            got = _outcome(compiled[name], signed)
            if got[0] == "value" and isinstance(got[1], int) and expected[0] == "value":
                bits = 64 if name in ("wide", "f64", "based8") else 32
                got = ("value", got[1] - (1 << bits) if got[1] >= 1 << (bits - 1) else got[1])
            assert got == expected, (name, hex(x))
