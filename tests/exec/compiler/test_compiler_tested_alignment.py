"""Accesses of unknown alignment whose base is a variable, or a variable plus a constant
(``exec/compiler/emit_memory.py``: ``V[(a >> 2) + k] if not a & 3 else <struct call>``):
aligned, unaligned, wrapping past 2**32 and out-of-bounds bases agree with wasmtime, loads
and stores of every integer width."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

SHAPES = [  # (wasm type, load, store, offset, added constant)
    ("i32", "i32.load", "i32.store", 0, 0), ("i32", "i32.load", "i32.store", 8, 0),
    ("i32", "i32.load", "i32.store", 0, 12), ("i32", "i32.load", "i32.store", 4, 8),
    ("i32", "i32.load", "i32.store", 2, 2), ("i32", "i32.load16_u", "i32.store16", 6, 0),
    ("i32", "i32.load16_s", "i32.store16", 0, 10), ("i64", "i64.load", "i64.store", 8, 0),
    ("i64", "i64.load", "i64.store", 0, 16), ("i64", "i64.load", "i64.store", 4, 4),
    ("i64", "i64.load32_u", "i64.store32", 4, 0), ("i64", "i64.load32_s", "i64.store32", 0, 8),
]

BASES = [0, 4, 8, 1, 2, 3, 6, 65536 - 8, 65536 - 4, 65536 - 2, 65536, 4294967295,
         4294967292, 4294967288, 4294967280, 4294967284 - 16]


def module_text() -> str:
    text = ["(module (memory 1)"]
    for k, (vtype, load, store, offset, added) in enumerate(SHAPES):
        address = (f"(i32.add (local.get 0) (i32.const {added}))" if added
                   else "(local.get 0)")
        text.append(f' (func (export "load{k}") (param i32) (result {vtype})'
                    f" ({load} offset={offset} {address}))")
        text.append(f' (func (export "store{k}") (param i32 {vtype}) (result {vtype})'
                    f" ({store} offset={offset} {address} (local.get 1))"
                    f" ({load} offset={offset} {address}))")
    text.append(' (func (export "fill") (local i32) (loop (i32.store8 (local.get 0)'
                ' (i32.mul (local.get 0) (i32.const 37))) (local.set 0 (i32.add'
                ' (local.get 0) (i32.const 1))) (br_if 0 (i32.lt_u (local.get 0)'
                ' (i32.const 65536))))))')
    return "\n".join(text)


def outcome(call: object, *args: int) -> object:
    try:
        return call(*args)  # type: ignore[operator]
    except wasmem.Trap as trap:
        return ("trap", str(trap))
    except Exception as error:  # wasmtime's traps
        return ("trap", "out of bounds memory access" if "out of bounds" in str(error)
                else str(error))


def test_tested_accesses_agree_with_wasmtime() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    text = module_text()
    module = wasmem.Module(text)
    compiled = CompiledModule.of(module.ast)
    sources = [compiled.source(k) for k in range(2 * len(SHAPES))]
    assert sum("if not l0 & " in (source or "") for source in sources) >= 10, sources
    mine = wasmem.Instance(module, tier="compile").exports
    store = wasmtime.Store()
    theirs_instance = wasmtime.Instance(store, wasmtime.Module(store.engine, text), [])
    exports = theirs_instance.exports(store)
    mine["fill"]()
    exports["fill"](store)
    for k, (vtype, *_rest) in enumerate(SHAPES):
        value = 0x8877665544332211 if vtype == "i64" else 0x44332211
        for base in BASES:
            signed = base - (1 << 32) if base >= 1 << 31 else base
            got = outcome(mine[f"load{k}"], base)
            want = outcome(lambda b: exports[f"load{k}"](store, b), signed)
            assert _same(got, want, vtype), (k, base, got, want)
            got = outcome(mine[f"store{k}"], base, value)
            want = outcome(lambda b, v: exports[f"store{k}"](store, b, v), signed,
                           value - (1 << 64) if vtype == "i64" and value >= 1 << 63 else value)
            assert _same(got, want, vtype), (k, base, got, want)


def _same(got: object, want: object, vtype: str) -> bool:
    if isinstance(got, tuple) or isinstance(want, tuple):
        return (isinstance(got, tuple) and isinstance(want, tuple)
                and "out of bounds" in got[1] and "out of bounds" in want[1])
    bits = 64 if vtype == "i64" else 32
    mask = (1 << bits) - 1
    return (int(got) & mask) == (int(want) & mask)  # type: ignore[call-overload]
