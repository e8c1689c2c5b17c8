"""Store-to-load forwarding in straight-line code (``exec/compiler/slots.py``): a load
of what a store (or a load) just read or wrote at ``<local> + offset`` reads the local
instead, and never across anything that may have changed the bytes: aliasing stores,
narrower stores, calls, loops, merges, assignments to the locals involved."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tier import CompiledModule

# $frame: -O0 style slots; $alias: a store through another pointer (maybe the same
# bytes); $narrow: a byte store into the slot; $call: a callee writes the slot;
# $reassign: the stored local changes; $branches: an if/else, its merge, a loop
SOURCE = """(module (memory (export "memory") 1)
 (func $frame (export "frame") (param i32 i32) (result i32) (local i32 i32)
   (i32.store offset=12 (local.get 0) (local.get 1))
   (local.set 2 (i32.load offset=12 (local.get 0)))
   (i32.store offset=16 (local.get 0) (i32.const 7))
   (local.set 3 (i32.load offset=16 (local.get 0)))
   (i32.add (i32.add (local.get 2) (local.get 3)) (i32.load offset=12 (local.get 0))))
 (func $alias (export "alias") (param i32 i32 i32) (result i32)
   (i32.store (local.get 0) (i32.const 5))
   (i32.store (local.get 1) (local.get 2))
   (i32.load (local.get 0)))
 (func $narrow (export "narrow") (param i32 i32) (result i32)
   (i32.store offset=4 (local.get 0) (local.get 1))
   (i32.store8 offset=5 (local.get 0) (i32.const 0xAB))
   (i32.load offset=4 (local.get 0)))
 (func $write (param i32) (i32.store offset=8 (local.get 0) (i32.const 99)))
 (func $call (export "call") (param i32 i32) (result i32)
   (i32.store offset=8 (local.get 0) (local.get 1))
   (call $write (local.get 0))
   (i32.load offset=8 (local.get 0)))
 (func $reassign (export "reassign") (param i32 i32) (result i32)
   (i32.store (local.get 0) (local.get 1))
   (local.set 1 (i32.const 3))
   (i32.add (local.get 1) (i32.load (local.get 0))))
 (func $branches (export "branches") (param i32 i32 i32) (result i32) (local i32)
   (i32.store (local.get 0) (local.get 1))
   (if (i32.and (local.get 2) (i32.const 1))
     (then (local.set 3 (i32.load (local.get 0))) (i32.store (local.get 0) (i32.const 1)))
     (else (local.set 3 (i32.load (local.get 0)))))
   (local.set 3 (i32.add (local.get 3) (i32.load (local.get 0))))
   (loop
     (local.set 3 (i32.add (local.get 3) (i32.load (local.get 0))))
     (i32.store (local.get 0) (i32.add (local.get 1) (i32.const 1)))
     (br_if 0 (local.tee 2 (i32.sub (local.get 2) (i32.const 1)))))
   (local.get 3))
 (func $wide (export "wide") (param i32 i64) (result i64)
   (i64.store offset=8 (local.get 0) (local.get 1))
   (i64.add (i64.load offset=8 (local.get 0)) (i64.load32_u offset=8 (local.get 0)))))"""


def test_frame_slots_are_forwarded() -> None:
    source = CompiledModule.of(wasmem.Module(SOURCE).ast).source(0)
    assert source is not None
    assert "l2 = l1" in source, source
    # no load left (lines starting with a view are the stores)
    assert not [line for line in source.splitlines()
                if "V32" in line and not line.strip().startswith("V32")], source


def test_branches_forward_into_both_arms_only() -> None:
    source = CompiledModule.of(wasmem.Module(SOURCE).ast).source(6)
    assert source is not None
    assert source.count("l3 = l1") == 2, source  # then and else arms
    # after the merge, in the loop (l0 tested at entry: see .entry_alignment._parameter_facts)
    assert source.count("+ V32_0[l0 >> 2])") == 2, source


def _both(name: str, *args: int) -> None:
    module = wasmem.Module(SOURCE)
    results = []
    for tier in ("compile", "interpret"):
        instance = wasmem.Instance(module, tier=tier)
        try:
            result: object = instance.exports[name](*args)
        except wasmem.Trap as trap:
            result = str(trap).split("\n")[0]
        results.append((result, instance.exports["memory"].read(0, 64)))
    assert results[0] == results[1]


@settings(max_examples=30, deadline=None)
@given(p=st.one_of(st.integers(0, 40), st.integers(65500, 65540)),
       q=st.integers(0, 40), v=st.integers(0, 0xFFFFFFFF), c=st.integers(1, 4))
def test_forwarding_agrees_with_the_interpreter(p: int, q: int, v: int, c: int) -> None:
    _both("frame", p, v)
    _both("alias", p, q, v)
    _both("narrow", p, v)
    _both("call", p, v)
    _both("reassign", p, v)
    _both("branches", p, v, c)
    _both("wide", p, v * 0x1_0000_0001)
