"""Calls of functions that write no memory keep the frame-slot records
(``exec/compiler/quiet.py``): a load after such a call reads what the store before it
wrote; any callee that may write memory (a store, bulk memory, an indirect call, an
import, a call of such a function) ends them. Results and memory against wasmtime."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.quiet import quiet_call
from wasmem.exec.compiler.tier import CompiledModule
from wasmem.syntax.opcodes import Op

wasmtime = pytest.importorskip("wasmtime")

# $peek: quiet, early return with a load (inlined: records made inside must not
# survive); $poke: stores; $via: calls $poke; $grow: memory.grow only; $d1: four
# levels of quiet calls (quiet once its callees are known quiet); $host: an import
# that writes memory; each export stores a slot, calls, and reloads the slot
SOURCE = """(module
 (import "env" "host" (func $host (param i32)))
 (memory (export "memory") 1)
 (table 1 funcref)
 (func $peek (param i32) (result i32)
   (if (i32.eqz (local.get 0)) (then (return (i32.const 0))))
   (i32.load offset=8 (local.get 0)))
 (func $keep (param i32) (result i32) (local i32)
   (if (i32.gt_u (local.get 0) (i32.const 32)) (then (return (i32.const 3))))
   (local.set 1 (i32.load offset=12 (local.get 0)))
   (local.get 1))
 (func (export "keep") (param i32 i32) (result i32)
   (i32.store offset=12 (local.get 0) (local.get 1))
   (i32.add (call $keep (local.get 0)) (i32.load offset=12 (local.get 0))))
 (func $poke (param i32) (result i32)
   (i32.store offset=8 (local.get 0) (i32.const 77)) (i32.const 1))
 (func $via (param i32) (result i32) (call $poke (local.get 0)))
 (func $grow (param i32) (result i32) (drop (memory.grow (i32.const 0))) (local.get 0))
 (func $d1 (param i32) (result i32) (call $d2 (local.get 0)))
 (func $d2 (param i32) (result i32) (call $d3 (local.get 0)))
 (func $d3 (param i32) (result i32) (call $d4 (local.get 0)))
 (func $d4 (param i32) (result i32) (i32.load (local.get 0)))
 (func $indirect (param i32) (result i32)
   (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0)))
 (elem (i32.const 0) $poke)
 (func (export "peek") (param i32 i32) (result i32) (local i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (local.set 2 (call $peek (local.get 0)))
   (i32.add (local.get 2) (i32.load offset=8 (local.get 0))))
 (func (export "poke") (param i32 i32) (result i32) (local i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (local.set 2 (call $via (local.get 0)))
   (i32.add (local.get 2) (i32.load offset=8 (local.get 0))))
 (func (export "grow") (param i32 i32) (result i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (drop (call $grow (local.get 0)))
   (i32.load offset=8 (local.get 0)))
 (func (export "deep") (param i32 i32) (result i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (i32.add (call $d1 (local.get 0)) (i32.load offset=8 (local.get 0))))
 (func (export "indirect") (param i32 i32) (result i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (i32.add (call $indirect (local.get 0)) (i32.load offset=8 (local.get 0))))
 (func (export "host") (param i32 i32) (result i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (call $host (local.get 0))
   (i32.load offset=8 (local.get 0))))"""

EXPORTS = ("keep", "peek", "poke", "grow", "deep", "indirect", "host")


def test_quiet_callees_are_found() -> None:
    module = wasmem.Module(SOURCE)
    ctx = CompiledModule.of(module.ast).context
    calls = {}
    for function in module.ast.functions:
        for ins in function.body:
            if ins.opcode == Op.CALL:
                calls[ins.immediates[0]] = quiet_call(ctx, ins)
    assert calls[1] is True and calls[6] is True  # $peek, $grow
    assert calls[0] is False and calls[4] is False and calls[5] is False  # $host, $poke, $via
    assert calls[11] is False  # $indirect
    source = CompiledModule.of(module.ast).source(12)  # "peek"
    assert source is not None  # the callee's own load (aligned when l0 passes its test)
    assert source.count("= V32U_0[") + source.count("= V32_0[") == 1, source
    assert "l2 + l1" in source.splitlines()[-1], source  # the reload after the call


def _wasmem(tier: str, name: str, p: int, v: int) -> tuple[object, bytes]:
    module = wasmem.Module(SOURCE)
    holder: list[wasmem.Instance] = []

    def host(address: int) -> None:
        holder[0].exports["memory"].write(address + 8, b"\x05\x00\x00\x00")

    instance = wasmem.Instance(module, {"env": {"host": host}}, tier=tier)
    holder.append(instance)
    try:
        result: object = instance.exports[name](p, v) & 0xFFFFFFFF
    except wasmem.Trap:
        result = "trap"
    return result, instance.exports["memory"].read(0, 65536)


def _wasmtime(name: str, p: int, v: int) -> tuple[object, bytes]:
    store = wasmtime.Store()
    module = wasmtime.Module(store.engine, SOURCE)
    holder: list[wasmtime.Memory] = []

    def host(address: int) -> None:
        holder[0].write(store, b"\x05\x00\x00\x00", (address & 0xFFFFFFFF) + 8)

    function = wasmtime.Func(store, wasmtime.FuncType([wasmtime.ValType.i32()], []), host)
    instance = wasmtime.Instance(store, module, [function])
    memory = instance.exports(store)["memory"]
    holder.append(memory)
    signed = [x - (1 << 32) if x >= 1 << 31 else x for x in (p, v)]
    try:
        result: object = instance.exports(store)[name](store, *signed) & 0xFFFFFFFF
    except wasmtime.Trap:
        result = "trap"
    return result, bytes(memory.read(store, 0, 65536))


@settings(max_examples=15, deadline=None)
@given(p=st.one_of(st.just(0), st.integers(0, 64), st.integers(65520, 65540)),
       v=st.integers(0, 0xFFFFFFFF))
def test_agrees_with_wasmtime(p: int, v: int) -> None:
    for name in EXPORTS:
        expected = _wasmtime(name, p, v)
        assert _wasmem("compile", name, p, v) == expected, name
        assert _wasmem("interpret", name, p, v) == expected, name


def test_big_callees_are_judged_from_their_size() -> None:
    """A callee over QUIET_MAX instructions counts as not quiet (the records end at its
    call) and, in the binary format, its body is not decoded for that; a small quiet one
    still keeps them. Both translations agree with wasmtime."""
    from wasmem.binary.encode import encode_module
    from wasmem.binary.encoded import EncodedFunction
    from wasmem.exec.compiler.quiet import QUIET_MAX

    loads = " ".join(["(drop (i32.load (i32.const 0)))"] * (QUIET_MAX + 50))
    text = f"""(module (memory (export "memory") 1)
 (func $big (param i32) {loads})
 (func $small (param i32) (drop (i32.load (local.get 0))))
 (func (export "big") (param i32 i32) (result i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (call $big (local.get 0))
   (i32.load offset=8 (local.get 0)))
 (func (export "small") (param i32 i32) (result i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (call $small (local.get 0))
   (i32.load offset=8 (local.get 0))))"""
    binary = encode_module(wasmem.Module(text).ast)
    module = wasmem.Module(binary, cache_dir=False)
    ctx = CompiledModule.of(module.ast).context
    calls = {ins.immediates[0]: ins for function in module.ast.functions[2:]
             for ins in function.body if ins.opcode == Op.CALL}
    assert quiet_call(ctx, calls[0]) is False
    big_function = module.ast.functions[0]
    assert isinstance(big_function, EncodedFunction)
    assert not big_function.is_decoded  # judged from its byte length
    assert quiet_call(ctx, calls[1]) is True
    compiled = CompiledModule.of(module.ast)
    big, small = compiled.source(2), compiled.source(3)
    assert big is not None and "return l1" not in big, big  # the reload reads memory
    assert small is not None and "return l1" in small, small  # ... or the stored local
    store = wasmtime.Store()
    expected = wasmtime.Instance(store, wasmtime.Module(store.engine, binary), [])
    instance = wasmem.Instance(module, tier="compile")
    for name in ("big", "small"):
        assert instance.exports[name](16, 77) == expected.exports(store)[name](store, 16, 77)


def test_a_size_bound_is_not_taken_for_a_count() -> None:
    """A body ruled out by its byte length for a small limit is answered again for a
    larger one: still ``limit + 1`` when its length rules it out there too (not decoded),
    its true count when it may fit (the bound of the first question is no count)."""
    from wasmem.binary.encode import encode_module
    from wasmem.binary.encoded import EncodedFunction

    def body(n: int) -> str:
        return " ".join(["(drop (i32.load (i32.const 0)))"] * n)
    text = f"""(module (memory 1)
 (func $huge {body(400)})
 (func $mid {body(15)}))"""  # 3 instructions a load: 1,200 and 45
    module = wasmem.Module(encode_module(wasmem.Module(text).ast), cache_dir=False)
    ctx = CompiledModule.of(module.ast).context
    huge, mid = module.ast.functions
    assert isinstance(huge, EncodedFunction) and isinstance(mid, EncodedFunction)
    assert ctx.function_size(0, 10) == 11 and ctx.function_size(0, 100) == 101
    assert not huge.is_decoded
    assert ctx.function_size(1, 5) == 6  # ruled out by its ~ 135 bytes
    assert ctx.function_size(1, 100) == 45  # then counted
    assert ctx.function_size(1, 5) == 45  # a count, remembered
