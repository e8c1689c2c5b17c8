"""Recursion and inlining (``emit_calls.unrolls_itself``, ``enters_recursion``): a small
recursive function is inlined into itself only when its body accesses no memory, and
not into the functions that call it from outside its recursion; other small callees
are inlined as before. Either way the translation must compute what the
interpreter and wasmtime (the oracle) compute, traps and call depths included."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec.compiler.context import ModuleContext
from wasmem.exec.compiler.emit_calls import enters_recursion, unrolls_itself
from wasmem.exec.compiler.tier import CompiledModule

wasmtime = pytest.importorskip("wasmtime")

# $fib and $ack: call-bound recursion (no memory); $height and $sum: recursive walks
# of a tree stored in memory (node k at 12 * k: left child, right child, value; 0 is
# none); $max: a small helper that is not recursive; $deep: unrolled recursion with a
# trap at the bottom (unreachable when the count reaches 0 before the limit)
SOURCE = """(module
 (memory 1)
 (func $fib (export "fib") (param i32) (result i32)
   (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
     (then (local.get 0))
     (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                    (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
 (func $ack (export "ack") (param i32 i32) (result i32)
   (if (result i32) (i32.eqz (local.get 0))
     (then (i32.add (local.get 1) (i32.const 1)))
     (else (if (result i32) (i32.eqz (local.get 1))
       (then (call $ack (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))
       (else (call $ack (i32.sub (local.get 0) (i32.const 1))
                        (call $ack (local.get 0) (i32.sub (local.get 1) (i32.const 1)))))))))
 (func $max (param i32 i32) (result i32)
   (select (local.get 0) (local.get 1) (i32.gt_s (local.get 0) (local.get 1))))
 (func $height (export "height") (param i32) (result i32)
   (if (result i32) (i32.eqz (local.get 0))
     (then (i32.const 0))
     (else (i32.add (i32.const 1)
       (call $max (call $height (i32.load (local.get 0)))
                  (call $height (i32.load offset=4 (local.get 0))))))))
 (func $sum (export "sum") (param i32) (result i32)
   (if (result i32) (i32.eqz (local.get 0))
     (then (i32.const 0))
     (else (i32.add (i32.load offset=8 (local.get 0))
       (i32.add (call $sum (i32.load (local.get 0)))
                (call $sum (i32.load offset=4 (local.get 0))))))))
 (func $build (export "build") (param i32) (result i32) (local i32 i32)
   ;; nodes 1..n: node k's children are 2k and 2k+1 when <= n, its value k * 7
   (local.set 1 (i32.const 1))
   (block $done (loop $next
     (br_if $done (i32.gt_u (local.get 1) (local.get 0)))
     (local.set 2 (i32.mul (local.get 1) (i32.const 12)))
     (i32.store (local.get 2) (select (i32.mul (i32.shl (local.get 1) (i32.const 1))
                                               (i32.const 12)) (i32.const 0)
       (i32.le_u (i32.shl (local.get 1) (i32.const 1)) (local.get 0))))
     (i32.store offset=4 (local.get 2)
       (select (i32.mul (i32.add (i32.shl (local.get 1) (i32.const 1)) (i32.const 1))
                        (i32.const 12)) (i32.const 0)
         (i32.le_u (i32.add (i32.shl (local.get 1) (i32.const 1)) (i32.const 1))
                   (local.get 0))))
     (i32.store offset=8 (local.get 2) (i32.mul (local.get 1) (i32.const 7)))
     (local.set 1 (i32.add (local.get 1) (i32.const 1)))
     (br $next)))
   (i32.const 12))
 (func $even (export "even") (param i32) (result i32)
   (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
     (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
 (func $odd (param i32) (result i32)
   (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
     (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
 (func $twice (export "twice") (param i32) (result i32)
   (i32.add (call $fib (local.get 0)) (call $even (local.get 0))))
 (func $deep (export "deep") (param i32) (result i32)
   (if (result i32) (i32.eqz (local.get 0))
     (then (unreachable))
     (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1))))))))
"""
FIB, ACK, MAX, HEIGHT, SUM, BUILD, EVEN, ODD, TWICE, DEEP = range(10)


def test_only_recursion_without_memory_accesses_unrolls() -> None:
    module = wasmem.Module(SOURCE)
    context = ModuleContext.of(module.ast)
    assert [unrolls_itself(context, k) for k in (FIB, ACK, HEIGHT, SUM, DEEP)] == [
        True, True, False, False, True]
    compiled = CompiledModule.of(module.ast)
    fib, height = compiled.source(FIB), compiled.source(HEIGHT)
    assert fib is not None and height is not None
    # unrolled: inlined copies of itself, more calls at their bottom (def line aside)
    assert fib.count(f"F{FIB}(") - 1 > 2 and "i1_" in fib, fib
    # the walk calls itself (twice a level) and inlines only the helper $max
    assert height.count(f"F{HEIGHT}(") - 1 == 2 and "i1_" in height, height


def test_recursion_entered_from_outside_is_called() -> None:
    module = wasmem.Module(SOURCE)
    context = ModuleContext.of(module.ast)
    assert enters_recursion(context, TWICE, FIB) and enters_recursion(context, BUILD, ACK)
    assert not enters_recursion(context, TWICE, EVEN)  # $even does not call itself
    assert not enters_recursion(context, ODD, EVEN)  # (mutual recursion: inlined)
    assert not enters_recursion(context, HEIGHT, MAX)
    compiled = CompiledModule.of(module.ast)
    twice, even = compiled.source(TWICE), compiled.source(EVEN)
    assert twice is not None and even is not None
    # $fib called with the argument itself; $even's body inlined (deeper calls remain)
    assert f"F{FIB}(l0," in twice and f"F{EVEN}(l0," not in twice, twice
    assert "i1_0 = " in even, even  # $odd inlined into $even (mutual recursion)


def _wasmtime(name: str, args: tuple[int, ...]) -> tuple[str, int | None]:
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, SOURCE), [])
    exports = instance.exports(store)
    try:
        if name in ("height", "sum"):
            root = exports["build"](store, args[0])
            return "ok", exports[name](store, root if args[0] else 0) & 0xFFFFFFFF
        return "ok", exports[name](store, *args) & 0xFFFFFFFF
    except wasmtime.Trap:
        return "trap", None


def _wasmem(tier: str, name: str, args: tuple[int, ...]) -> tuple[str, int | None]:
    exports = wasmem.Instance(wasmem.Module(SOURCE), tier=tier).exports
    try:
        if name in ("height", "sum"):
            root = exports["build"](args[0])
            return "ok", exports[name](root if args[0] else 0)
        return "ok", exports[name](*args)
    except wasmem.Trap:
        return "trap", None


CASES = [("fib", (n,)) for n in (0, 1, 2, 7, 15)] + \
    [("ack", (m, n)) for m, n in ((0, 0), (1, 3), (2, 3), (3, 3))] + \
    [(walk, (n,)) for walk in ("height", "sum") for n in (0, 1, 2, 3, 10, 100, 1000)] + \
    [("deep", (n,)) for n in (1, 2, 3, 50)] + \
    [(name, (n,)) for name in ("even", "twice") for n in (0, 1, 2, 5, 16)]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_agrees_with_wasmtime_and_interpreter(name: str, args: tuple[int, ...]) -> None:
    expected = _wasmtime(name, args)
    assert _wasmem("compile", name, args) == expected
    assert _wasmem("interpret", name, args) == expected
