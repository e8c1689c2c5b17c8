"""Fill and copy loops run as slice assignments (``exec/compiler/bulk.py``): the loops are
recognised, the trip count is exact or declined, and memory after a run (or a trap) is
the interpreter's, for any sizes, overlaps and out-of-bounds pointers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.bulk import bulk_trips, match_bulk_loop
from wasmem.exec.compiler.tier import CompiledModule

MASK = 0xFFFFFFFF

# fill: musl-style memset core (i64 stores of an invariant, pointer up, count down by 32);
# copy: words from l1 to l0 until l0 reaches the invariant end l2 (`ne`);
# bytes: store8 of a constant while an index counts up (`lt_u` against a local + 1);
# down: byte stores of a local while a count goes on >= a bound (`ge_u`, down by 3);
# mixed: the stored value changes (not a fill)
SOURCE = """(module (memory (export "memory") 1)
 (func (export "fill") (param i32 i32 i64) (result i32 i32)
   (loop
     (i64.store (local.get 0) (local.get 2))
     (i64.store (i32.add (local.get 0) (i32.const 24)) (local.get 2))
     (i64.store offset=16 (local.get 0) (local.get 2))
     (i64.store (i32.add (local.get 0) (i32.const 8)) (local.get 2))
     (local.set 0 (i32.add (local.get 0) (i32.const 32)))
     (br_if 0 (i32.gt_u (local.tee 1 (i32.add (local.get 1) (i32.const -32)))
                        (i32.const 31))))
   (local.get 0) (local.get 1))
 (func (export "copy") (param i32 i32 i32) (result i32 i32)
   (loop
     (i32.store offset=4 (local.get 0) (i32.load offset=4 (local.get 1)))
     (i32.store (local.get 0) (i32.load (local.get 1)))
     (local.set 1 (i32.add (local.get 1) (i32.const 8)))
     (br_if 0 (i32.ne (local.get 2)
                      (local.tee 0 (i32.add (local.get 0) (i32.const 8))))))
   (local.get 0) (local.get 1))
 (func (export "bytes") (param i32 i32 i32) (result i32)
   (loop
     (i32.store8 offset=3 (i32.sub (local.get 0) (i32.const 3)) (i32.const 0x1a7))
     (local.set 0 (i32.add (local.get 0) (i32.const 1)))
     (br_if 0 (i32.lt_u (local.tee 2 (i32.add (local.get 2) (i32.const 1)))
                        (i32.add (local.get 1) (i32.const 1)))))
   (local.get 2))
 (func (export "down") (param i32 i32 i32) (result i32)
   (loop
     (i32.store8 offset=1 (local.get 0) (local.get 2))
     (i32.store8 (local.get 0) (local.get 2))
     (i32.store8 offset=2 (local.get 0) (local.get 2))
     (local.set 0 (i32.add (local.get 0) (i32.const 3)))
     (local.set 1 (i32.sub (local.get 1) (i32.const 3)))
     (br_if 0 (i32.ge_u (local.get 1) (i32.const 5))))
   (local.get 1))
 (func (export "mixed") (param i32 i32) (result i32)
   (loop
     (i32.store (local.get 0) (local.get 1))
     (local.set 0 (i32.add (local.get 0) (i32.const 4)))
     (local.set 1 (i32.add (local.get 1) (i32.const 1)))
     (br_if 0 (i32.lt_u (local.get 1) (i32.const 100))))
   (local.get 1)))"""


def _run(tier: str, name: str, *args: int) -> tuple[object, bytes]:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    memory.write(0, bytes((k * 7 + 3) & 0xFF for k in range(65536)))
    try:
        result: object = instance.exports[name](*args)
    except wasmem.Trap as trap:
        result = ("trap", str(trap).split("\n")[0])
    return result, memory.read(0, 65536)


def _agree(name: str, *args: int) -> None:
    compiled = _run("compile", name, *args)
    interpreted = _run("interpret", name, *args)
    assert compiled[0] == interpreted[0]
    assert compiled[1] == interpreted[1]


def test_the_loops_are_recognised() -> None:
    module = wasmem.Module(SOURCE)
    source = CompiledModule.of(module.ast).source
    assert "n_bulk_fill(M0, l0, 0, 0, _k * 32, l2, 8)" in source(0)
    assert "n_bulk_copy(M0, l0, 0, 0, l1, 0, 0, _k * 8)" in source(1)
    assert "n_bulk_fill(M0, l0, -3, 0, _k * 1, 423, 1)" in source(2)
    assert "n_bulk_fill" in source(3)
    assert "n_bulk" not in source(4)  # the stored value changes


@settings(max_examples=60, deadline=None)
@given(p=st.one_of(st.integers(0, 65600), st.integers(MASK - 64, MASK)),
       n=st.one_of(st.integers(0, 3000), st.integers(MASK - 100, MASK)),
       v=st.integers(0, (1 << 64) - 1))
def test_fill_agrees_with_the_interpreter(p: int, n: int, v: int) -> None:
    _agree("fill", p, n, v)


@settings(max_examples=60, deadline=None)
@given(d=st.integers(0, 65600), s=st.integers(0, 65600), n=st.integers(-16, 400))
def test_copy_agrees_with_the_interpreter(d: int, s: int, n: int) -> None:
    # the end pointer d + n may not be reachable (n not a multiple of 8): the loop
    # then runs until it traps, and so must the compiled code
    _agree("copy", d, s, (d + n) & MASK)


@settings(max_examples=40, deadline=None)
@given(p=st.one_of(st.integers(0, 65540), st.integers(MASK - 8, MASK)),
       bound=st.integers(0, 2000), start=st.integers(0, 2000))
def test_byte_fill_agrees_with_the_interpreter(p: int, bound: int, start: int) -> None:
    _agree("bytes", p, bound, start)


@settings(max_examples=40, deadline=None)
@given(p=st.integers(0, 65540), n=st.integers(0, 3000), v=st.integers(0, MASK))
def test_narrow_fill_agrees_with_the_interpreter(p: int, n: int, v: int) -> None:
    _agree("down", p, n, v)


def test_overlapping_copy_keeps_the_loops_order() -> None:
    _agree("copy", 104, 100, 504)  # forward copy onto itself: a repeating pattern
    _agree("copy", 100, 104, 500)


def _simulate(first: int, step: int, compare: str, bound: int, limit: int) -> int:
    """Trips of the do-while loop run step by step modulo 2**32; 0 if a tested value
    wrapped around or the loop ran past ``limit``."""
    tests = {"gt": lambda x: x > bound, "ge": lambda x: x >= bound,
             "lt": lambda x: x < bound, "le": lambda x: x <= bound,
             "ne": lambda x: x != bound}
    value = first
    for trips in range(1, limit + 1):
        if not tests[compare](value):
            return trips
        value += step
        if not 0 <= value <= MASK:
            return 0
    return 0


@settings(max_examples=300, deadline=None)
@given(first=st.one_of(st.integers(0, 300), st.integers(MASK - 300, MASK)),
       step=st.integers(-40, 40),
       compare=st.sampled_from(["gt", "ge", "lt", "le", "ne"]),
       bound=st.one_of(st.integers(0, 300), st.integers(MASK - 300, MASK)))
def test_trip_count_is_exact_or_declined(first: int, step: int, compare: str,
                                         bound: int) -> None:
    expected = _simulate(first, step, compare, bound, 1000)
    trips = bulk_trips(first, step, compare, bound)
    if expected:
        assert trips == expected
    elif trips:  # a long loop: the tested values are monotonic, so check the ends
        holds = {"gt": int.__gt__, "ge": int.__ge__, "lt": int.__lt__, "le": int.__le__,
                 "ne": int.__ne__}[compare]
        last, before = first + (trips - 1) * step, first + (trips - 2) * step
        assert trips > 1000 and 0 <= last <= MASK
        assert not holds(last, bound)
        assert holds(first, bound) and holds(before, bound)
        if compare == "ne":
            assert (bound - first) % step == 0


def test_other_loops_are_not_matched() -> None:
    module = wasmem.Module("""(module (memory 1)
      (func (param i32 i32)
        (loop (i32.store (local.get 0) (i32.load (local.get 1)))
          (local.set 0 (i32.add (local.get 0) (i32.const 8)))
          (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 4)))))
        (loop (i32.store (local.get 0) (local.get 1))
          (i32.store (local.get 0) (local.get 1))
          (local.set 0 (i32.add (local.get 0) (i32.const 8)))
          (br_if 0 (local.get 0)))
        (loop (i32.store (local.get 0) (local.get 1))
          (local.set 0 (i32.add (local.get 0) (i32.const 4)))
          (br_if 0 (i32.load (local.get 0))))))""")
    for loop in module.ast.functions[0].body:
        assert match_bulk_loop(loop) is None
