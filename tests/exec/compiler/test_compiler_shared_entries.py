"""Shared stack entries (``exec/compiler/stack.py``): the entry of an integer literal
(``INT_CONSTANTS``) and the entry of a local read with nothing known of it
(``FunctionCompiler.plain_entries``; ``known_entries`` with a known range or
alignment) are one object per value or variable, pushed again
at every use. That is sound only while no emitter changes an entry once made: these
tests translate functions that exercise the emitters which set attributes on the
entries they make (ranges, alignment, ``raw``, ``scaled``, ``shifted``, comparisons,
folded constants, inlining) and check that every shared entry still reads as made, and
that the translations run as the interpreter does."""

from __future__ import annotations

from pathlib import Path

import pytest

import wasmem
from wasmem.exec.compiler.codegen import FunctionCompiler
from wasmem.exec.compiler.context import ModuleContext
from wasmem.exec.compiler.stack import INT_CONSTANTS, Entry, int_constant

# literals and plain locals used in many roles: as operands of sums, shifts, masks,
# products, comparisons and branches, as addresses, and as arguments of inlined callees
SOURCE = """(module
 (memory 1)
 (func $small (param i32 i32) (result i32)
   (i32.add (i32.shl (local.get 0) (i32.const 2)) (local.get 1)))
 (func (export "mix") (param i32 i32) (result i32) (local i32 i64)
   (local.set 2 (i32.and (local.get 0) (i32.const 1020)))
   (i32.store (local.get 2) (i32.mul (local.get 1) (i32.const 3)))
   (local.set 3 (i64.extend_i32_u (i32.load (local.get 2))))
   (block $out
     (loop $l
       (br_if $out (i32.ge_u (local.get 1) (i32.const 8)))
       (local.set 1 (i32.add (local.get 1) (i32.const 1)))
       (local.set 2 (i32.xor (i32.shr_u (local.get 2) (i32.const 1)) (i32.const 1)))
       (br $l)))
   (i32.add
     (call $small (local.get 0) (i32.const 4))
     (i32.add (i32.wrap_i64 (i64.shl (local.get 3) (i64.const 4)))
              (i32.add (local.get 2) (i32.sub (i32.const 4) (local.get 1))))))
 (func (export "fold") (param i32) (result i32)
   (i32.add (i32.mul (i32.const 4) (i32.const 3))
            (select (i32.const 4) (local.get 0) (i32.eqz (local.get 0))))))
"""

BENCH = Path(__file__).resolve().parents[3] / "bench" / "c"


def _pristine_constant(value: int, entry: Entry) -> bool:
    made = Entry(repr(value), frozenset(), False, value)
    return all(getattr(entry, name) == getattr(made, name) for name in Entry.__slots__)


def _pristine_plain(key: tuple[str, frozenset[str]], entry: Entry) -> bool:
    made = Entry(*key)
    return all(getattr(entry, name) == getattr(made, name) for name in Entry.__slots__)


def _pristine_known(key: tuple[tuple[str, frozenset[str]], tuple[int, int] | None,
                               int | None], entry: Entry) -> bool:
    named, known, align = key
    made = Entry(*named) if known is None else Entry(*named, False, None, False, 0, *known)
    if align is not None:
        made.align = align
    return all(getattr(entry, name) == getattr(made, name) for name in Entry.__slots__)


def _translate_all(module: wasmem.Module) -> list[FunctionCompiler]:
    ctx = ModuleContext.of(module.ast)
    compilers = []
    for k in range(len(module.ast.functions)):
        compiler = FunctionCompiler(ctx, ctx.imported_functions + k)
        compiler.compile()
        compilers.append(compiler)
    return compilers


def test_shared_entries_stay_as_made() -> None:
    compilers = _translate_all(wasmem.Module(SOURCE))
    assert int_constant(4) is int_constant(4)
    assert 4 in INT_CONSTANTS and 1020 in INT_CONSTANTS
    for value, entry in INT_CONSTANTS.items():
        assert _pristine_constant(value, entry), (value, entry)
    shared = [item for c in compilers for item in c.plain_entries.items()]
    assert shared  # (locals read with nothing known of them)
    for key, entry in shared:
        assert _pristine_plain(key, entry), key
    known = [item for c in compilers for item in c.known_entries.items()]
    assert known  # (locals read with a known range or alignment)
    for known_key, entry in known:
        assert _pristine_known(known_key, entry), known_key


@pytest.mark.parametrize("name", ["recursion/trees-O2.wasm", "recursion/rdesc-O2.wasm",
                                  "independent/json.wasm"])
def test_shared_entries_stay_as_made_in_compiled_c(name: str) -> None:
    path = BENCH / name
    compilers = _translate_all(wasmem.Module(path.read_bytes(), cache_dir=False))
    for value, entry in INT_CONSTANTS.items():
        assert _pristine_constant(value, entry), (value, entry)
    for c in compilers:
        for key, entry in c.plain_entries.items():
            assert _pristine_plain(key, entry), (name, c.index, key)
        for known_key, entry in c.known_entries.items():
            assert _pristine_known(known_key, entry), (name, c.index, known_key)


@pytest.mark.parametrize("args", [(0, 0), (5, 2), (1023, 7), (4, 9), (0xFFFFFFFF, 3)])
def test_translations_with_shared_entries_agree_with_the_interpreter(args: tuple[int, int]
                                                                     ) -> None:
    module = wasmem.Module(SOURCE)
    compiled = wasmem.Instance(module, tier="compile").exports
    interpreted = wasmem.Instance(module, tier="interpret").exports
    assert compiled.mix(*args) == interpreted.mix(*args)
    assert compiled.fold(args[0]) == interpreted.fold(args[0])
