"""``instance.watch()``: read/write/access watchpoints over every access path, in both
tiers, with old bytes, places, callbacks that raise, and removal."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.binary.encode import encode_module
from wasmem.observe import WatchEvent

TIERS = ("compile", "interpret", "tiered")

SOURCE = """(module $w
  (memory 1)
  (data $d "xyz")
  (func $poke (export "poke") (param i32 i32)
    (i32.store8 (local.get 0) (local.get 1))
    (i64.store16 offset=1 (local.get 0) (i64.const -1)))
  (func (export "peek") (param i32) (result i32)
    (i32.load16_s (local.get 0)))
  (func (export "vector") (param i32)
    (v128.store (local.get 0) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))
    (drop (v128.load8_lane 3 (local.get 0) (v128.const i64x2 0 0)))
    (v128.store32_lane 1 (i32.const 200) (v128.load (local.get 0))))
  (func (export "bulk")
    (memory.fill (i32.const 10) (i32.const 0x55) (i32.const 4))
    (memory.copy (i32.const 20) (i32.const 10) (i32.const 4))
    (memory.init $d (i32.const 30) (i32.const 0) (i32.const 3)))
)"""


def watched(tier: str, start: int, stop: int, kind: str, calls: list[tuple[str, tuple[int, ...]]],
            source: str | bytes = SOURCE) -> list[WatchEvent]:
    instance = wasmem.Instance(wasmem.Module(source), tier=tier)
    seen: list[WatchEvent] = []
    handle = instance.watch(start, stop, kind=kind, callback=seen.append)
    for name, args in calls:
        instance.exports[name](*args)
    handle.remove()
    return seen


def brief(events: list[WatchEvent]) -> list[tuple[object, ...]]:
    return [(e.kind, e.instruction, e.address, e.size, e.value, e.old) for e in events]


@pytest.mark.parametrize("tier", TIERS)
def test_writes_with_old_bytes_and_place(tier: str) -> None:
    events = watched(tier, 5, 6, "write", [("poke", (5, 0x1AB)), ("poke", (4, 7)),
                                           ("peek", (5,))])
    assert brief(events) == [("write", "i32.store8", 5, 1, 0xAB, b"\x00"),
                             ("write", "i64.store16", 5, 2, 0xFFFF, b"\xab\xff")]
    assert [(e.function_name, e.line, e.column, e.offset) for e in events] == [
        ("poke", 5, 6, None), ("poke", 6, 6, None)]


@pytest.mark.parametrize("tier", TIERS)
def test_read_and_access_kinds(tier: str) -> None:
    calls = [("poke", (8, -1)), ("peek", (7,)), ("peek", (100,))]
    assert brief(watched(tier, 8, 9, "read", calls)) == [
        ("read", "i32.load16_s", 7, 2, -256, None)]
    assert [e.kind for e in watched(tier, 8, 9, "access", calls)] == ["write", "read"]


@pytest.mark.parametrize("tier", TIERS)
def test_simd_and_lanes(tier: str) -> None:
    events = watched(tier, 0, 1, "access", [("vector", (0,))])
    assert [(e.kind, e.instruction, e.address, e.size) for e in events] == [
        ("write", "v128.store", 0, 16), ("read", "v128.load8_lane", 0, 1),
        ("read", "v128.load", 0, 16)]
    assert events[1].value == 1  # the lane loaded (into lane 3), not the vector
    events = watched(tier, 3, 4, "read", [("vector", (0,))])
    assert [e.instruction for e in events] == ["v128.load"]
    events = watched(tier, 200, 204, "write", [("vector", (0,))])
    assert brief(events) == [("write", "v128.store32_lane", 200, 4, 0x08070605, b"\0" * 4)]


@pytest.mark.parametrize("tier", TIERS)
def test_bulk_instructions_are_one_event(tier: str) -> None:
    events = watched(tier, 0, 64, "access", [("bulk", ())])
    assert [(e.kind, e.instruction, e.address, e.size) for e in events] == [
        ("write", "memory.fill", 10, 4), ("read", "memory.copy", 10, 4),
        ("write", "memory.copy", 20, 4), ("write", "memory.init", 30, 3)]
    assert events[0].value == 0x55 and events[0].old == b"\0" * 4
    assert events[2].value == b"UUUU" and events[3].value == b"xyz"


def test_both_tiers_and_binaries_agree() -> None:
    binary = encode_module(wasmem.Module(SOURCE).ast)
    calls = [("poke", (3, 1)), ("vector", (0,)), ("bulk", ()), ("peek", (2,))]
    text, encoded = ([watched(tier, 0, 40, "access", calls, source) for tier in TIERS]
                     for source in (SOURCE, binary))
    assert all(events == text[0] for events in text) and len(text[0]) > 8
    assert all(events == encoded[0] for events in encoded)
    assert encoded[0][0].offset is not None and encoded[0][0].line is None


@pytest.mark.parametrize("tier", TIERS)
def test_a_raising_callback_stops_the_call_and_the_instance_stays_usable(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)

    def stop(event: WatchEvent) -> None:
        raise IndexError(f"caught a write at {event.address}")  # not a guest trap

    handle = instance.watch(0, 4, callback=stop)
    with pytest.raises(IndexError, match="caught a write at 2"):
        instance.exports["poke"](2, 1)
    instance.exports["poke"](10, 1)  # outside: runs
    handle.remove()
    handle.remove()
    instance.exports["poke"](2, 1)
    assert instance.exports["peek"](2) == -255


@pytest.mark.parametrize("tier", TIERS)
def test_removal_restores_the_code_and_bad_arguments(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    instance.exports["poke"](0, 0)
    before = [f.call for f in instance._instance.functions]
    first = instance.watch(0, 1, callback=print)
    with instance.watch(1, 2, kind="read", callback=print), instance.trace():
        assert [f.call for f in instance._instance.functions] != before
    first.remove()
    assert [f.call for f in instance._instance.functions] == before
    for bad in ({"kind": "execute"}, {"memory": 1}, {"callback": None}):
        options = {"kind": "write", "memory": 0, "callback": print} | bad
        with pytest.raises(wasmem.InvocationError):
            instance.watch(0, 4, **options)  # type: ignore[arg-type]
    with pytest.raises(wasmem.InvocationError):
        instance.watch(4, 4, callback=print)


def _memory_instructions() -> list[str]:
    from wasmem.syntax.opcodes import OPCODES, Imm
    return sorted(info.name for info in OPCODES.values()
                  if info.imm in (Imm.MEMARG, Imm.MEMARG_LANE)
                  and info.feature in ("core", "simd"))


def _use(name: str) -> str:
    from wasmem.syntax.opcodes import BY_NAME, Imm
    info = BY_NAME[name]
    constant = {"i32": "(i32.const -1)", "i64": "(i64.const -1)", "f32": "(f32.const 2)",
                "f64": "(f64.const 2)", "v128": "(v128.const i64x2 -1 -1)"}
    lane = " 0" if info.imm is Imm.MEMARG_LANE else ""
    operands = "(i32.const 8)"
    if info.imm is Imm.MEMARG_LANE or not info.results:
        operands += " " + constant[str(info.memory_type)]
    call = f"({name}{lane} {operands})"
    return f"(drop {call})" if info.results else call


@pytest.mark.parametrize("tier", TIERS)
def test_every_memory_instruction_of_the_opcode_table_is_watched(tier: str) -> None:
    names = _memory_instructions()
    assert len(names) > 30
    body = "\n".join(f'(func (export "{n}") {_use(n)})' for n in names)
    instance = wasmem.Instance(wasmem.Module(f"(module (memory 1)\n{body})"), tier=tier)
    seen: list[WatchEvent] = []
    with instance.watch(8, 9, kind="access", callback=seen.append):
        for name in names:
            seen.clear()
            instance.exports[name]()
            assert [(e.instruction, e.address) for e in seen] == [(name, 8)], name
            assert (seen[0].kind == "write") == (seen[0].old is not None), name
