"""Counting reads and writes per byte from a memory trace (:mod:`wasmem.memory.heat`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.memory.heat import HeatCounter, HeatSegment
from wasmem.observe.events import TraceEvent

HOT = """(module
  (memory 1)
  (data $seg "abcd")
  (func (export "work") (param $n i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store (i32.const 0x400) (local.get $n))
        (drop (i32.load16_u offset=2 (i32.const 0x400)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (memory.fill (i32.const 0x800) (i32.const 7) (i32.const 32))
    (memory.copy (i32.const 0x900) (i32.const 0x810) (i32.const 16))
    (memory.init $seg (i32.const 0xa00) (i32.const 1) (i32.const 3))))"""


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_counts_per_byte(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(HOT), tier=tier)
    heat = HeatCounter()
    with instance.trace(calls=False, out=heat):
        instance.exports["work"](7)
    assert heat.segments(0) == [
        HeatSegment(0x400, 0x402, 0, 7),  # stored 7 times
        HeatSegment(0x402, 0x404, 7, 7),  # and read 7 times by the load16
        HeatSegment(0x800, 0x810, 0, 1),  # filled
        HeatSegment(0x810, 0x820, 1, 1),  # filled, then the copy's source
        HeatSegment(0x900, 0x910, 0, 1),  # the copy's destination
        HeatSegment(0xa00, 0xa03, 0, 1),  # memory.init writes (reads the segment)
    ]
    assert heat.most(0) == (7, 7)
    assert heat.totals(0, 0x400, 0x401) == (0, 7)
    assert heat.totals(0, 0x400, 0x1000) == (8, 10)  # each access once, however wide
    assert heat.totals(0, 0x404, 0x800) == (0, 0)
    assert heat.segments(1) == [] and heat.most(1) == (0, 0)


def test_a_write_loop_merges_into_runs() -> None:
    heat = HeatCounter()
    for address in range(0, 64, 4):  # 16 adjacent i32 stores: one run of 64 bytes
        heat(TraceEvent("store", 0, instruction="i32.store", address=address, size=4))
    heat(TraceEvent("grow", 0, instruction="memory.grow", size=1, value=1))
    heat(TraceEvent("fill", 0, instruction="memory.fill", address=100, size=0))
    assert heat.segments(0) == [HeatSegment(0, 64, 0, 1)]


def test_copy_between_memories_reads_the_source_memory() -> None:
    heat = HeatCounter()
    heat(TraceEvent("copy", 0, instruction="memory.copy", memory=1, address=8, size=4,
                    source=0, source_memory=0))
    assert heat.segments(0) == [HeatSegment(0, 4, 1, 0)]
    assert heat.segments(1) == [HeatSegment(8, 12, 0, 1)]


def test_a_large_fill_costs_one_entry() -> None:
    heat = HeatCounter()
    for _ in range(3):
        heat(TraceEvent("fill", 0, instruction="memory.fill", address=0, size=1 << 30))
    assert heat.segments(0) == [HeatSegment(0, 1 << 30, 0, 3)]
    assert len(heat.writes[0]) == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["load", "store", "fill", "copy"]),
                          st.integers(0, 200), st.sampled_from([0, 1, 2, 4, 8, 16, 17, 90]),
                          st.integers(0, 200)), max_size=40),
       st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), min_size=1, max_size=8))
def test_counts_match_byte_by_byte(events: list[tuple[str, int, int, int]],
                                   spans: list[tuple[int, int]]) -> None:
    heat = HeatCounter()
    reads, writes = [0] * 512, [0] * 512
    accesses: list[tuple[str, int, int]] = []
    for kind, address, size, source in events:
        heat(TraceEvent(kind, 0, instruction=kind, address=address, size=size, source=source))
        if kind == "copy":
            accesses += [("r", source, size), ("w", address, size)]
        else:
            accesses.append(("r" if kind == "load" else "w", address, size))
    for rw, address, size in accesses:
        for byte in range(address, address + size):
            (reads if rw == "r" else writes)[byte] += 1
    expected = [(reads[b], writes[b]) for b in range(512)]
    got = [(0, 0)] * 512
    for segment in heat.segments(0):
        for byte in range(segment.start, segment.end):
            got[byte] = (segment.reads, segment.writes)
    assert got == expected
    assert heat.region_totals(0, spans) == [
        tuple(sum(1 for rw2, a, s in accesses if rw2 == rw and s and a < end and start < a + s
                  and start < end)
              for rw in "rw") for start, end in spans]
