"""The stack pointer tested at entry (``exec/compiler/entry_alignment.py``, ``entry_reads``):
a function whose prologue reads a mutable ``i32`` global (clang's ``__stack_pointer``)
before any call is translated as if that value were a multiple of 8, with a test at
entry that runs a translation without the assumption when it is not. Frame slots then
use the typed views; results, memory and traps must not depend on the global's value.
Checked against wasmtime (the oracle) with aligned and misaligned stack pointers, near
the end of memory too (traps at the right access, nothing half-written)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.entry_alignment import entry_reads
from wasmem.exec.compiler.tier import CompiledModule

wasmtime = pytest.importorskip("wasmtime")

# $frame: -O0 style frame (slots written and read back, an i64 and a byte slot);
# $looped: a frame array filled in a loop; $late: the global read again after a call
# (that read is not an entry read); $shift: moves the stack pointer by a misaligned
# amount, then calls $frame (whose test then fails); $nested: recursion through frames
SOURCE = """(module
 (memory (export "memory") 1)
 (global $sp (mut i32) (i32.const 4096))
 (func (export "set") (param i32) (global.set $sp (local.get 0)))
 (func (export "get") (result i32) (global.get $sp))
 (func $frame (export "frame") (param i32 i32) (result i32) (local i32 i32)
   global.get $sp
   i32.const 32
   i32.sub
   local.tee 2
   global.set $sp
   (i32.store offset=4 (local.get 2) (local.get 0))
   (i32.store offset=8 (local.get 2) (local.get 1))
   (i64.store offset=16 (local.get 2) (i64.extend_i32_u (local.get 1)))
   (i32.store8 offset=24 (local.get 2) (local.get 0))
   (i32.store16 offset=26 (local.get 2) (local.get 1))
   (local.set 3 (i32.add (i32.load offset=4 (local.get 2)) (i32.load offset=8 (local.get 2))))
   (local.set 3 (i32.add (local.get 3) (i32.wrap_i64 (i64.load offset=16 (local.get 2)))))
   (local.set 3 (i32.add (local.get 3) (i32.load8_u offset=24 (local.get 2))))
   (local.set 3 (i32.add (local.get 3) (i32.load16_s offset=26 (local.get 2))))
   (global.set $sp (i32.add (local.get 2) (i32.const 32)))
   (local.get 3))
 (func $looped (export "looped") (param i32) (result i32) (local i32 i32 i32)
   (local.set 1 (i32.sub (global.get $sp) (i32.const 64)))
   (global.set $sp (local.get 1))
   (loop $fill
     (i32.store (i32.add (local.get 1) (i32.shl (local.get 2) (i32.const 2)))
                (i32.mul (local.get 2) (local.get 0)))
     (br_if $fill (i32.lt_u (local.tee 2 (i32.add (local.get 2) (i32.const 1)))
                            (i32.const 16))))
   (local.set 2 (i32.const 0))
   (loop $sum
     (local.set 3 (i32.add (local.get 3)
       (i32.load (i32.add (local.get 1) (i32.shl (local.get 2) (i32.const 2))))))
     (br_if $sum (i32.lt_u (local.tee 2 (i32.add (local.get 2) (i32.const 1)))
                           (i32.const 16))))
   (global.set $sp (i32.add (local.get 1) (i32.const 64)))
   (local.get 3))
 (func $late (export "late") (param i32) (result i32) (local i32)
   (local.set 1 (i32.sub (global.get $sp) (i32.const 16)))
   (drop (call $frame (local.get 0) (i32.const 1)))
   (i32.store offset=4 (global.get $sp) (local.get 0))
   (i32.store offset=8 (local.get 1) (local.get 0))
   (i32.add (i32.load offset=4 (global.get $sp)) (i32.load offset=8 (local.get 1))))
 (func $shift (export "shift") (param i32 i32) (result i32) (local i32)
   (local.set 2 (global.get $sp))
   (global.set $sp (i32.sub (local.get 2) (local.get 1)))
   (call $frame (local.get 0) (local.get 1))
   (global.set $sp (local.get 2)))
 (func $nested (export "nested") (param i32) (result i32) (local i32)
   (local.set 1 (i32.sub (global.get $sp) (i32.const 16)))
   (global.set $sp (local.get 1))
   (i32.store offset=12 (local.get 1) (local.get 0))
   (if (local.get 0)
     (then (drop (call $nested (i32.sub (local.get 0) (i32.const 1))))))
   (i32.load offset=12 (local.get 1))
   (global.set $sp (i32.add (local.get 1) (i32.const 16)))))"""

CALLS = {"frame": 2, "looped": 1, "late": 1, "shift": 2, "nested": 1}


def _wasmem(tier: str, sp: int, name: str, args: tuple[int, ...]) -> tuple[object, bytes, int]:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    instance.exports["set"](sp)
    try:
        result: object = instance.exports[name](*args) & 0xFFFFFFFF
    except wasmem.Trap:
        result = "trap"
    return (result, instance.exports["memory"].read(0, 65536),
            instance.exports["get"]() & 0xFFFFFFFF)


def _wasmtime(sp: int, name: str, args: tuple[int, ...]) -> tuple[object, bytes, int]:
    store = wasmtime.Store()
    module = wasmtime.Module(store.engine, SOURCE)
    instance = wasmtime.Instance(store, module, [])
    exports = instance.exports(store)
    exports["set"](store, sp - (1 << 32) if sp >= 1 << 31 else sp)
    try:
        value = exports[name](store, *[a - (1 << 32) if a >= 1 << 31 else a for a in args])
        result: object = value & 0xFFFFFFFF
    except wasmtime.Trap:
        result = "trap"
    memory = exports["memory"]
    return (result, bytes(memory.read(store, 0, 65536)),
            exports["get"](store) & 0xFFFFFFFF)


def test_prologue_reads_are_found_and_tested() -> None:
    module = wasmem.Module(SOURCE)
    found = entry_reads(CompiledModule.of(module.ast).context, module.ast.functions[2])
    assert found is not None and found[0] == 0 and len(found[1]) == 1
    source = CompiledModule.of(module.ast).source(2)
    assert source is not None
    assert "if (G0 - 4096) & -1073741817: return n_unaligned(2)" in source, source
    assert "V32_0[" in source and "U32(" not in source and "V32U_0" not in source, source
    late = CompiledModule.of(module.ast).source(4)
    # read after a call: any alignment (the shifted views)
    assert late is not None and "V32U_0[G0 & 3][(G0 >> 2) + 1]" in late, late


@pytest.mark.parametrize("sp", [4096, 4099, 4098, 4100, 65536, 65540, 40, 3])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_agrees_with_wasmtime(name: str, sp: int) -> None:
    args = (0x1234_5678, 3)[:CALLS[name]]
    expected = _wasmtime(sp, name, args)
    assert _wasmem("compile", sp, name, args) == expected
    assert _wasmem("interpret", sp, name, args) == expected


@settings(max_examples=25, deadline=None)
@given(sp=st.one_of(st.integers(0, 200), st.integers(65400, 65600),
                    st.integers(0, 0xFFFFFFFF)),
       a=st.integers(0, 0xFFFFFFFF), b=st.integers(0, 9),
       name=st.sampled_from(sorted(CALLS)))
def test_any_stack_pointer_agrees_with_wasmtime(sp: int, a: int, b: int, name: str) -> None:
    args = (a, b)[:CALLS[name]]
    assert _wasmem("compile", sp, name, args) == _wasmtime(sp, name, args)


def test_a_failed_test_runs_the_plain_translation() -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier="compile")
    untested = instance._instance.tier.untested
    instance.exports["set"](4096)
    assert instance.exports["frame"](5, 3) == 19 and 2 not in untested
    instance.exports["set"](4099)
    assert instance.exports["frame"](5, 3) == 19 and 2 in untested
    assert instance.exports["get"]() == 4099


@pytest.mark.parametrize("sp", [65552, 65555])
def test_backtraces_list_each_call_once(sp: int) -> None:
    messages = []
    for tier in ("interpret", "compile"):
        instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
        instance.exports["set"](sp)
        with pytest.raises(wasmem.Trap) as trap:
            instance.exports["shift"](5, 0)
        messages.append(str(trap.value))
    assert messages[0] == messages[1]


def test_untested_translations_leave_the_namespace_alone() -> None:
    # function 32 runs its untested translation; the namespace keeps its `U32` (struct)
    fillers = "".join(f"(func (result i32) (i32.const {k}))" for k in range(30))
    source = SOURCE.replace('(func (export "set")', fillers + '(func (export "set")', 1)
    instance = wasmem.Instance(wasmem.Module(source), tier="compile")
    instance.exports["set"](4099)
    assert instance.exports["frame"](5, 3) == 19
    assert 32 in instance._instance.tier.untested
    assert instance.exports["looped"](3) == 360
    assert instance.exports["late"](7) == 14


# a function whose translation names a float constant (a NaN with a payload has no
# literal): loaded from the disk cache, its constants come from the cache entry, and the
# untested translation made after a failed test names the NaN anew
NAN_FRAME = """(module
 (memory 1)
 (global $sp (mut i32) (i32.const 1024))
 (func (export "f") (param i32) (result f64 i32) (local i32)
   global.get $sp i32.const 16 i32.sub local.tee 1 global.set $sp
   local.get 1 local.get 0 i32.store offset=4
   f64.const -nan:0xffffe00000000
   local.get 1 i32.load offset=4
   local.get 1 i32.const 13 i32.add global.set $sp))"""


@pytest.mark.parametrize("tier", ["compile", "tiered"])
def test_the_untested_translation_of_a_cached_function_has_its_constants(
        tier: str, tmp_path: Path) -> None:
    binary = wasmtime.wat2wasm(NAN_FRAME)
    filled = wasmem.Instance(wasmem.Module(binary, cache_dir=tmp_path), tier="compile")
    assert filled.exports["f"](7)[1] == 7  # translated and stored
    instance = wasmem.Instance(wasmem.Module(binary, cache_dir=tmp_path), tier=tier)
    for _ in range(3):  # the first call leaves the stack pointer misaligned (1021)
        nan, value = instance.exports["f"](7)
        assert nan != nan and value == 7
