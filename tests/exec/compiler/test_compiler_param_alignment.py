"""Pointer parameters tested at entry (``exec/compiler/entry_alignment.py``,
``_parameter_facts``): an ``i32`` parameter that is the base of loads and stores its
producer declares naturally aligned (a pointer to a structure) is taken to be a multiple
of the largest such access, with a test at entry that runs a translation without the
assumption when it is not. Results, memory and traps must not depend on the pointers'
values: checked against wasmtime (the oracle) with aligned and misaligned pointers, near
the end of memory too (traps at the right access, nothing half-written)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

wasmtime = pytest.importorskip("wasmtime")

# $fields: i32 fields of a structure, read, summed, written back (a 4-byte test);
# $wide: i64 and f64 fields (an 8-byte test) and an i32 one; $two: two pointers (one
# tested for 4, one for 8); $bytes: accesses declared unaligned (no test);
# $moved: the pointer reassigned from a load (its entry value's read tested, the
#   reassigned value's not: see exec/compiler/entry_values.py);
# $walk: a loop over a linked list (the parameter reassigned to the next node);
# $stack: the stack pointer's test and a parameter's in one line;
# $negative: a field below the pointer (dlmalloc's chunk headers); $outer: $get inlined
# with the tested pointer (its load aligned too: .alignment.inlined_alignments)
SOURCE = """(module
 (memory (export "memory") 1)
 (global $sp (mut i32) (i32.const 4096))
 (func (export "set") (param i32) (global.set $sp (local.get 0)))
 (func $fields (export "fields") (param i32 i32) (result i32) (local i32)
   (local.set 2 (i32.add (i32.load offset=4 (local.get 0)) (i32.load offset=8 (local.get 0))))
   (i32.store offset=12 (local.get 0) (i32.add (local.get 2) (local.get 1)))
   (i32.store16 offset=16 (local.get 0) (local.get 1))
   (i32.add (local.get 2) (i32.load16_s offset=16 (local.get 0))))
 (func $wide (export "wide") (param i32 i64) (result i64)
   (i64.store offset=8 (local.get 0) (i64.add (i64.load (local.get 0)) (local.get 1)))
   (f64.store offset=16 (local.get 0)
     (f64.add (f64.load offset=16 (local.get 0)) (f64.convert_i64_s (local.get 1))))
   (i32.store offset=24 (local.get 0) (i32.wrap_i64 (local.get 1)))
   (i64.add (i64.load offset=8 (local.get 0)) (i64.load offset=16 (local.get 0))))
 (func $two (export "two") (param i32 i32) (result i32)
   (i32.store offset=4 (local.get 0) (i32.load offset=4 (local.get 1)))
   (i64.store offset=8 (local.get 1) (i64.load (local.get 1)))
   (i32.load offset=4 (local.get 0)))
 (func $bytes (export "bytes") (param i32) (result i32)
   (i32.store offset=1 align=1 (local.get 0) (i32.load align=1 (local.get 0)))
   (i32.load offset=2 align=2 (local.get 0)))
 (func $moved (export "moved") (param i32) (result i32)
   (local.set 0 (i32.load offset=4 (local.get 0)))
   (i32.load offset=4 (local.get 0)))
 (func $walk (export "walk") (param i32 i32) (result i32) (local i32)
   (block $done
     (loop $next
       (br_if $done (i32.eqz (local.get 1)))
       (local.set 2 (i32.add (local.get 2) (i32.load offset=4 (local.get 0))))
       (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
       (local.set 0 (i32.add (local.get 0) (i32.const 8)))
       (br $next)))
   (local.get 2))
 (func $stack (export "stack") (param i32) (result i32) (local i32)
   (local.set 1 (i32.sub (global.get $sp) (i32.const 16)))
   (i32.store offset=8 (local.get 1) (i32.load offset=4 (local.get 0)))
   (i32.store offset=4 (local.get 0) (i32.const 77))
   (i32.load offset=8 (local.get 1)))
 (func $negative (export "negative") (param i32) (result i32)
   (i32.store offset=4 (local.get 0) (i32.const 5))
   (i32.add (i32.load (i32.sub (local.get 0) (i32.const 4)))
            (i32.load offset=4 (local.get 0))))
 (func $get (param i32) (result i32) (i32.load offset=4 (local.get 0)))
 (func $outer (export "outer") (param i32) (result i32)
   (i32.store offset=8 (local.get 0) (i32.const 9))
   (i32.add (call $get (local.get 0))
            (call $get (i32.add (local.get 0) (i32.const 4))))))"""

CALLS = {"fields": 2, "wide": 2, "two": 2, "bytes": 1, "moved": 1, "walk": 2, "stack": 1,
         "negative": 1, "outer": 1}


def _signed(value: int, bits: int = 32) -> int:
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


def _setup(write: object) -> None:
    """Fill the start of memory and its last page's end with a pattern."""
    pattern = bytes((k * 37 + 11) & 0xFF for k in range(256))
    write(0, pattern)
    write(65536 - 256, pattern)


def _wasmem(tier: str, name: str, args: tuple[int, ...], sp: int = 4096
            ) -> tuple[object, bytes]:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    _setup(memory.write)
    instance.exports["set"](sp)
    try:
        value = instance.exports[name](*args)
        result: object = value & 0xFFFFFFFFFFFFFFFF
    except wasmem.Trap:
        result = "trap"
    return result, memory.read(0, 65536)


def _wasmtime(name: str, args: tuple[int, ...], sp: int = 4096) -> tuple[object, bytes]:
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), [])
    exports = instance.exports(store)
    memory = exports["memory"]
    _setup(lambda at, data: memory.write(store, data, at))
    exports["set"](store, _signed(sp))
    bits = (32, 64) if name == "wide" else (32, 32)
    try:
        value = exports[name](store, *[_signed(a, b) for a, b in zip(args, bits)])
        result: object = value & 0xFFFFFFFFFFFFFFFF
    except wasmtime.Trap:
        result = "trap"
    return result, bytes(memory.read(store, 0, 65536))


def test_pointer_parameters_are_tested_at_entry() -> None:
    module = wasmem.Module(SOURCE)
    compiled = CompiledModule.of(module.ast)
    sources = {name: compiled.source(k + 1) for k, name in enumerate(
        ["fields", "wide", "two", "bytes", "moved", "walk", "stack", "negative"])}
    assert "if l0 & -1073741821: return n_unaligned(1)(l0, l1, _d)" in sources["fields"]
    assert "V32U_0" not in sources["fields"], sources["fields"]
    assert "if l0 & -1073741817: return n_unaligned(2)" in sources["wide"], sources["wide"]
    assert "if l0 & -1073741821 or l1 & -1073741817: return n_unaligned(3)" \
        in sources["two"], sources["two"]
    # the entry value's read is tested; the value loaded into the parameter is not known
    assert "if l0 & -1073741821: return n_unaligned(5)" in sources["moved"], sources["moved"]
    assert "V32U_0[l0 & 3][(l0 >> 2) + 1]" in sources["moved"], sources["moved"]
    for name in ("bytes",):  # nothing declared aligned
        assert "n_unaligned" not in str(sources[name]), sources[name]
    assert "if l0 & -1073741821: return n_unaligned(6)" in sources["walk"], sources["walk"]
    assert "if (G0 - 4096) & -1073741817 or l0 & -1073741821: return n_unaligned(7)" \
        in sources["stack"], sources["stack"]
    assert "if l0 & -1073741821: return n_unaligned(8)" in sources["negative"], sources["negative"]
    outer = compiled.source(10)
    assert outer is not None and "if l0 & -1073741821: return n_unaligned(10)" in outer, outer
    assert "F9(" not in outer and "V32U_0" not in outer, outer  # inlined, aligned


POINTERS = [0, 4, 8, 1, 2, 3, 5, 6, 7, 100, 65528, 65532, 65524, 65529, 65535, 65536,
            0xFFFFFFFC, 0xFFFFFFF8]


@pytest.mark.parametrize("pointer", POINTERS)
@pytest.mark.parametrize("name", sorted(CALLS))
def test_agrees_with_wasmtime(name: str, pointer: int) -> None:
    args = (pointer, 3)[:CALLS[name]]
    if name == "two":
        args = (pointer, 8 if pointer & 7 else pointer ^ 8)
    expected = _wasmtime(name, args)
    assert _wasmem("compile", name, args) == expected
    assert _wasmem("interpret", name, args) == expected


@settings(max_examples=30, deadline=None)
@given(first=st.one_of(st.integers(0, 300), st.integers(65400, 65600),
                       st.integers(0, 0xFFFFFFFF)),
       second=st.one_of(st.integers(0, 300), st.integers(0, 0xFFFFFFFF)),
       sp=st.sampled_from([4096, 4099, 65552]), name=st.sampled_from(sorted(CALLS)))
def test_any_pointer_agrees_with_wasmtime(first: int, second: int, sp: int,
                                          name: str) -> None:
    if name == "walk":
        second %= 50
    args = (first, second)[:CALLS[name]]
    assert _wasmem("compile", name, args, sp) == _wasmtime(name, args, sp)


def test_a_failed_test_runs_the_plain_translation() -> None:
    compiled = wasmem.Instance(wasmem.Module(SOURCE), tier="compile")
    interpreted = wasmem.Instance(wasmem.Module(SOURCE), tier="interpret")
    untested = compiled._instance.tier.untested
    for pointer, tested in ((64, True), (66, False), (72, True)):
        for instance in (compiled, interpreted):
            instance.exports["memory"].write(pointer, bytes(range(1, 21)))
        assert compiled.exports["fields"](pointer, 1) == \
            interpreted.exports["fields"](pointer, 1)
        assert (1 in untested) is not tested or pointer == 72
    assert 1 in untested


@pytest.mark.parametrize("pointer", [65534, 65535])
def test_backtraces_match_the_interpreter(pointer: int) -> None:
    messages = []
    for tier in ("interpret", "compile"):
        instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
        with pytest.raises(wasmem.Trap) as trap:
            instance.exports["fields"](pointer, 1)
        messages.append(str(trap.value))
    assert messages[0] == messages[1]


# a function too large for the walks (.entry_alignment.parameter_bases): $big's first pointer
# is only read (tested at entry), its second is reassigned (not tested)
_BODY = "".join(
    f"(i32.store offset={4 * (k % 5)} (local.get 0)"
    f" (i32.add (i32.load offset={4 * (k % 7)} (local.get 0)) (local.get 1)))"
    f"(local.set 1 (i32.add (local.get 1) (i32.load8_u (local.get 1))))"
    for k in range(200))
BIG = f"""(module
 (memory (export "memory") 1)
 (func $big (export "big") (param i32 i32) (result i32)
   {_BODY}
   (i32.add (i32.load offset=12 (local.get 0)) (local.get 1))))"""


def _big(tier: str, args: tuple[int, int]) -> tuple[object, bytes]:
    instance = wasmem.Instance(wasmem.Module(BIG), tier=tier)
    memory = instance.exports["memory"]
    _setup(memory.write)
    try:
        result: object = instance.exports["big"](*args) & 0xFFFFFFFF
    except wasmem.Trap:
        result = "trap"
    return result, memory.read(0, 65536)


def test_a_large_function_tests_its_unassigned_pointers() -> None:
    source = CompiledModule.of(wasmem.Module(BIG).ast).source(0)
    assert source is not None
    assert "if l0 & -1073741821: return n_unaligned(0)(l0, l1, _d)" in source, source[:300]
    assert "V32U_0[l0 & 3]" not in source


@pytest.mark.parametrize("pointer", [0, 4, 2, 3, 65504, 65502, 65532, 0xFFFFFFFC])
def test_a_large_function_agrees_with_wasmtime(pointer: int) -> None:
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, BIG), [])
    exports = instance.exports(store)
    memory = exports["memory"]
    _setup(lambda at, data: memory.write(store, data, at))
    try:
        result: object = exports["big"](store, _signed(pointer), 3) & 0xFFFFFFFF
    except wasmtime.Trap:
        result = "trap"
    expected = (result, bytes(memory.read(store, 0, 65536)))
    assert _big("compile", (pointer, 3)) == expected
    assert _big("interpret", (pointer, 3)) == expected


# a large function with a stack pointer prologue: its frame pointer ($l2) is aligned
# when the stack pointer passes its test at entry (.entry_alignment._frame_local)
_FRAME_BODY = "".join(
    f"(i64.store offset={8 * (k % 6)} (local.get 2)"
    f" (i64.add (i64.load offset={8 * (k % 4)} (local.get 2)) (i64.extend_i32_u (local.get 1))))"
    f"(local.set 1 (i32.add (local.get 1) (i32.load8_u offset=3 (local.get 2))))"
    for k in range(150))
FRAMED = f"""(module
 (memory (export "memory") 1)
 (global $sp (mut i32) (i32.const 4096))
 (func (export "set") (param i32) (global.set $sp (local.get 0)))
 (func $framed (export "framed") (param i32 i32) (result i32) (local i32)
   global.get $sp
   i32.const 64
   i32.sub
   local.tee 2
   global.set $sp
   {_FRAME_BODY}
   (global.set $sp (i32.add (local.get 2) (i32.const 64)))
   (i32.add (i32.load offset=12 (local.get 2)) (local.get 1))))"""


def test_a_large_function_tests_its_stack_pointer() -> None:
    source = CompiledModule.of(wasmem.Module(FRAMED).ast).source(1)
    assert source is not None
    assert "if (G0 - 4096) & -1073741817: return n_unaligned(1)(l0, l1, _d)" \
        in source, source[:300]
    assert "V64U_0[l2 & 7]" not in source and "V64_0[" in source


@pytest.mark.parametrize("sp", [4096, 4100, 4099, 64, 60, 65536, 65540, 3])
def test_a_large_framed_function_agrees_with_wasmtime(sp: int) -> None:
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, FRAMED), [])
    exports = instance.exports(store)
    memory = exports["memory"]
    _setup(lambda at, data: memory.write(store, data, at))
    exports["set"](store, sp)
    try:
        result: object = exports["framed"](store, 0, 3) & 0xFFFFFFFF
    except wasmtime.Trap:
        result = "trap"
    expected = (result, bytes(memory.read(store, 0, 65536)))
    for tier in ("compile", "interpret"):
        ours = wasmem.Instance(wasmem.Module(FRAMED), tier=tier)
        _setup(ours.exports["memory"].write)
        ours.exports["set"](sp)
        try:
            got: object = ours.exports["framed"](0, 3) & 0xFFFFFFFF
        except wasmem.Trap:
            got = "trap"
        assert (got, ours.exports["memory"].read(0, 65536)) == expected, tier
