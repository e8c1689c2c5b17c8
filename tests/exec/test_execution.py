"""Execution semantics on both tiers (compiled and interpreted): one semantics, two tiers.

Each case is a small module plus calls with expected results or traps. The compiled
tier's tricky spots are covered: branches that leave several constructs at once,
multi-value blocks, br_table, loops that exit from inside nested blocks, traps in the
middle of expressions, fuel and call-depth limits.
"""

from __future__ import annotations

import pytest

import wasmem

TIERS = ["compile", "interpret", "tiered"]


def instance(text: str, tier: str, **kwargs: object) -> wasmem.Instance:
    return wasmem.Instance(wasmem.Module(text), tier=tier, **kwargs)  # type: ignore[arg-type]


CASES: list[tuple[str, str, list[tuple[str, tuple[object, ...], object]]]] = [
    ("loop-exit-from-nested-block", """
      (module (func (export "f") (param $n i32) (result i32) (local $i i32) (local $s i32)
        (block $done
          (loop $l
            (block $skip
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (br_if $skip (i32.and (local.get $i) (i32.const 1)))
              (local.set $s (i32.add (local.get $s) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
        (local.get $s)))""",
     [("f", (10,), 20), ("f", (0,), 0), ("f", (1,), 0)]),
    ("multi-value-block", """
      (module (func (export "swap") (param i32 i32) (result i32 i32)
        (local.get 0) (local.get 1)
        (block (param i32 i32) (result i32 i32)
          (local.set 0) (local.set 1) (local.get 0) (local.get 1))))""",
     [("swap", (1, 2), (2, 1))]),
    ("br-with-values-out-of-loop", """
      (module (func (export "f") (param $n i32) (result i32 i64)
        (block $out (result i32 i64)
          (loop $l
            (br_if $out (local.get $n) (i64.const 7) (i32.eqz (local.get $n)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $l))
          (unreachable))))""",
     [("f", (3,), (0, 7))]),
    ("br-table-switch", """
      (module (func (export "sw") (param $i i32) (result i32)
        (block $d (block $c2 (block $c1 (block $c0
          (br_table $c0 $c1 $c2 $d (local.get $i)))
          (return (i32.const 100)))
          (return (i32.const 101)))
          (return (i32.const 102)))
        (i32.const -1)))""",
     [("sw", (0,), 100), ("sw", (1,), 101), ("sw", (2,), 102), ("sw", (3,), -1),
      ("sw", (0xFFFFFFFF,), -1)]),
    ("br-table-with-value-to-loop", """
      (module (func (export "f") (param $n i32) (result i32)
        (block $exit (result i32)
          (i32.const 0)
          (loop $top (param i32) (result i32)
            (i32.add (local.get $n))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_table $exit $top (i32.ne (local.get $n) (i32.const 0)))))))""",
     [("f", (4,), 10)]),
    ("if-else-results", """
      (module (func (export "abs") (param i32) (result i32)
        (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))
          (then (i32.sub (i32.const 0) (local.get 0))) (else (local.get 0)))))""",
     [("abs", (-5,), 5), ("abs", (7,), 7), ("abs", (-2147483648,), -2147483648)]),
    ("trap-order-in-expression", """
      (module (memory 1) (global $g (mut i32) (i32.const 0))
        (func (export "f") (result i32)
          (i32.add (i32.load (i32.const 70000)) (global.get $g)))
        (func (export "g") (result i32) (global.get $g))
        (func (export "h") (param i32)
          (global.set $g (i32.const 5))
          (drop (i32.div_s (i32.const 1) (local.get 0)))
          (global.set $g (i32.const 6))))""",
     [("f", (), wasmem.Trap), ("h", (0,), wasmem.Trap), ("g", (), 5), ("h", (1,), None),
      ("g", (), 6)]),
    ("store-out-of-bounds-writes-nothing", """
      (module (memory (export "m") 1)
        (func (export "st") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
        (func (export "ld") (param i32) (result i32) (i32.load8_u (local.get 0))))""",
     [("st", (65532, -1), wasmem.Trap), ("ld", (65532,), 0), ("ld", (65535,), 0),
      ("st", (65528, -1), None), ("ld", (65535,), 255)]),
    ("memory-grow-and-size", """
      (module (memory 1 3)
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
        (func (export "size") (result i32) (memory.size))
        (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 1))))""",
     [("grow", (1,), 1), ("size", (), 2), ("grow", (2,), -1), ("grow", (1,), 2),
      ("poke", (3 * 65536 - 1,), None), ("poke", (3 * 65536,), wasmem.Trap)]),
    ("call-indirect-traps", """
      (module (type $ii (func (param i32) (result i32)))
        (table 3 funcref) (elem (i32.const 0) $inc $nop)
        (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
        (func $nop)
        (func (export "call") (param i32 i32) (result i32)
          (call_indirect (type $ii) (local.get 1) (local.get 0))))""",
     [("call", (0, 41), 42), ("call", (1, 0), wasmem.Trap), ("call", (2, 0), wasmem.Trap),
      ("call", (3, 0), wasmem.Trap)]),
    ("exceptions", """
      (module (tag $e (param i32))
        (func $thrower (param i32) (if (local.get 0) (then (throw $e (i32.const 42)))))
        (func (export "catch") (param i32) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h) (call $thrower (local.get 0)))
            (i32.const -1)))
        (func (export "uncaught") (call $thrower (i32.const 1))))""",
     [("catch", (1,), 42), ("catch", (0,), -1), ("uncaught", (), wasmem.UncaughtException)]),
    ("i64-and-floats", """
      (module
        (func (export "mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
        (func (export "f32") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
        (func (export "div") (param f64 f64) (result f64)
          (f64.div (local.get 0) (local.get 1))))""",
     [("mul", (-1, 3), -3), ("mul", (2**62, 4), 0), ("f32", (0.1, 0.2), 0.30000001192092896),
      ("div", (1.0, 0.0), float("inf"))]),
]


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("name,text,calls", CASES, ids=[c[0] for c in CASES])
def test_case(name: str, text: str, calls: list[tuple[str, tuple[object, ...], object]],
              tier: str) -> None:
    inst = instance(text, tier)
    for export, args, expected in calls:
        function = inst.exports[export]
        if isinstance(expected, type) and issubclass(expected, Exception):
            with pytest.raises(expected):
                function(*args)
        else:
            assert function(*args) == expected, (export, args)


@pytest.mark.parametrize("tier", TIERS)
def test_fuel_names_function_and_loop(tier: str) -> None:
    inst = instance("""
      (module (func $spin (export "spin") (local $i i32)
        (loop $forever
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $forever))))""", tier, fuel=10_000)
    with pytest.raises(wasmem.FuelExhausted) as info:
        inst.exports["spin"]()
    assert info.value.function == "$spin"
    assert info.value.loop == "$forever"
    assert inst.fuel_remaining == 0


@pytest.mark.parametrize("tier", TIERS)
def test_runaway_recursion_is_exhaustion(tier: str) -> None:
    inst = instance("(module (func $f (export \"f\") (call $f)))", tier)
    with pytest.raises(wasmem.Exhaustion, match="call stack exhausted"):
        inst.exports["f"]()
    # and the engine is still usable afterwards
    with pytest.raises(wasmem.Exhaustion):
        inst.exports["f"]()


@pytest.mark.parametrize("tier", TIERS)
def test_host_function_import_and_error(tier: str) -> None:
    seen: list[int] = []

    def log(x: int) -> None:
        seen.append(x)

    def broken(x: int) -> int:
        raise ValueError("boom")

    module = wasmem.Module("""
      (module (import "env" "log" (func $log (param i32)))
              (import "env" "broken" (func $broken (param i32) (result i32)))
        (func (export "run") (call $log (i32.const -7)))
        (func (export "bad") (result i32) (call $broken (i32.const 1))))""")
    inst = wasmem.Instance(module, {"env": {"log": log, "broken": broken}}, tier=tier)
    inst.exports["run"]()
    assert seen == [-7]
    with pytest.raises(wasmem.Trap, match=r"host function env\.broken raised ValueError"):
        inst.exports["bad"]()


def test_missing_import_is_link_error() -> None:
    module = wasmem.Module('(module (import "env" "f" (func)))')
    with pytest.raises(wasmem.LinkError, match="unknown import"):
        wasmem.Instance(module)
    with pytest.raises(wasmem.LinkError, match="incompatible import type"):
        wasmem.Instance(module, {"env": {"f": wasmem.Memory(1)}})


def test_shared_memory_between_instances_sees_growth() -> None:
    producer = wasmem.Instance(wasmem.Module("""
      (module (memory (export "mem") 1 4)
        (func (export "grow") (result i32) (memory.grow (i32.const 1)))
        (func (export "put") (param i32 i32) (i32.store (local.get 0) (local.get 1))))"""))
    consumer = wasmem.Instance(wasmem.Module("""
      (module (import "p" "mem" (memory 1))
        (func (export "get") (param i32) (result i32) (i32.load (local.get 0))))"""),
        {"p": producer})
    assert producer.exports["grow"]() == 1
    producer.exports["put"](70000, 1234)
    assert consumer.exports["get"](70000) == 1234
    memory = producer.exports["mem"]
    assert memory.size == 2
    assert memory.i32[70000] == 1234
    memory.i32[70004] = -1
    assert consumer.exports["get"](70004) == -1
