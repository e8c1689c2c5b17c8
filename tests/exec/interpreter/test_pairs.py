"""The interpreter's pairs of closures run as one (``exec/interpreter/pairs.py``).

Each pair's closure must leave the register file as the two closures it replaces do, run
one after the other, and return the same next closure: checked for every pair of
:data:`~wasmem.exec.interpreter.pairs.PAIRS` on register files hypothesis draws (registers
shared between the two parts, so the second reads what the first wrote, and edge values).
Whole programs run alike fused, unfused and on wasmtime (the oracle), traps included with
their frames; instrumented and metered code runs every closure as decoded.
"""

from __future__ import annotations

import math
import struct
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import wasmem
from _docs import run_example
from wasmem.exec.interpreter import pairs
from wasmem.syntax.opcodes import BY_NAME
from wasmem.syntax.types import F32, F64, I32, I64

wasmtime = pytest.importorskip("wasmtime")

REGISTERS = 6
EDGES = {I32: [0, 1, 31, 32, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF],
         I64: [0, 1, 63, 64, 0x7FFFFFFF, 0xFFFFFFFF, 2**63 - 1, 2**63, 2**64 - 1]}


def _value(data: st.DataObject, kind: Any) -> Any:
    """A value of type ``kind`` as the interpreter keeps it (unsigned ints, floats)."""
    if kind in EDGES:
        bits = 32 if kind is I32 else 64
        return data.draw(st.sampled_from(EDGES[kind]) | st.integers(0, 2**bits - 1))
    value = data.draw(st.floats(width=32 if kind is F32 else 64))
    return value


class _Label:
    """What a fused branch's factory reads: the target's closure index."""

    def target(self) -> int:
        return 99


def _part(form: pairs.Form, data: st.DataObject, R: list[Any], typed: dict[int, Any],
          written: dict[int, Any]) -> tuple[int, tuple[Any, ...]]:
    """(dest, arguments) of one part of a pair, its registers' values put in ``R``."""
    name, kind, shape = form

    def read(kind_of: Any) -> int:
        register = data.draw(st.integers(0, REGISTERS - 1))
        have = written.get(register, typed.get(register))
        if have is None:
            typed[register] = kind_of
            R[register] = _value(data, kind_of)
        else:
            assume(have is kind_of)
        return register

    if kind == "move":
        if name == "copy":
            source = data.draw(st.integers(0, REGISTERS - 1))
            kind_of = written.get(source, typed.get(source))
            if kind_of is None:
                typed[source] = I64
                R[source] = _value(data, I64)
                kind_of = I64
            dest = data.draw(st.integers(0, REGISTERS - 1))
            written[dest] = kind_of
            return dest, (source,)
        dest = data.draw(st.integers(0, REGISTERS - 1))
        written[dest] = I32
        return dest, (_value(data, I32),)
    info = BY_NAME[name]
    params = info.params or ()
    arguments: list[Any] = []
    for position, kind_of in enumerate(params):
        constant = (shape == "rc" and position == 1) or (shape == "cr" and position == 0)
        arguments.append(_value(data, kind_of) if constant else read(kind_of))
    if kind != "value":
        return 0, (_Label(), *arguments)
    dest = data.draw(st.integers(0, REGISTERS - 1))
    written[dest] = (info.results or (I32,))[0]
    return dest, tuple(arguments)


def _same(a: list[Any], b: list[Any]) -> bool:
    """Register files equal, NaNs compared by their bits."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x):
            if struct.pack("<d", x) != struct.pack("<d", y):
                return False
        elif x != y or type(x) is not type(y):
            return False
    return True


@pytest.mark.parametrize("number", [number for number, (first, _) in enumerate(pairs.PAIRS)
                                    if first[1] not in ("load", "store")])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_a_pair_runs_as_its_two_closures(number: int, data: st.DataObject) -> None:
    first, second = pairs.PAIRS[number]
    R = [0] * REGISTERS
    typed: dict[int, Any] = {}
    dest1, args1 = _part(first, data, R, typed, {})
    # the second part reads what the first wrote, or registers as they were
    dest2, args2 = _part(second, data, R, typed, _written_by(first, dest1, args1, typed))
    make1, make2 = pairs._factory_of(first), pairs._factory_of(second)
    apart = list(R)
    assert make1(None, 2, dest1, *args1)(apart) == 2
    after = make2(None, 3, dest2, *args2)(apart)
    together = list(R)
    pair = pairs.pair_factories()[(make1, make2)]
    assert pair(None, 3, dest1, *args1, dest2, *args2)(together) == after
    assert _same(together, apart)


class _Memory:
    """What a load's factory reads of a memory: its bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = bytearray(data)


class _Context:
    """What a load's factory reads of the link context: the memories."""

    def __init__(self, data: bytes) -> None:
        self.memories = [_Memory(data)]


ACCESSING = [number for number, (first, _) in enumerate(pairs.PAIRS)
             if first[1] in ("load", "store")]


@pytest.mark.parametrize("number", ACCESSING)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_a_pair_beginning_with_an_access_runs_as_its_two_closures(
        number: int, data: st.DataObject) -> None:
    """A load's result is what the second part reads (or not), a store writes the same
    bytes; an access out of bounds (up to 16 bytes past the memory's end, or an address
    that wraps) traps as the access alone does, before anything is written."""
    first, second = pairs.PAIRS[number]
    name, kind, shape = first
    value_kind, _, form = shape.partition("_") if kind == "store" else ("", "", shape)
    memory = data.draw(st.binary(min_size=32, max_size=32))
    R = [0] * REGISTERS
    typed: dict[int, Any] = {}
    address = data.draw(st.integers(0, REGISTERS - 1))
    typed[address] = I32
    R[address] = data.draw(st.integers(0, 48) | st.sampled_from([0xFFFFFFFF, 0xFFFFFFF0]))
    offset = data.draw(st.integers(0, 8))
    value: tuple[Any, ...] = ()
    if kind == "store":
        stored = {"i32": I32, "i64": I64, "f32": F32, "f64": F64}[name[:3]]
        if value_kind == "c":
            value = (_value(data, stored),)
        else:
            register = data.draw(st.integers(0, REGISTERS - 1))
            assume(typed.get(register, stored) is stored)
            typed[register] = stored
            R[register] = _value(data, stored)
            value = (register,)
    extra: tuple[Any, ...] = ()
    if form == "ac":
        extra = (data.draw(st.integers(0, 40) | st.just(0xFFFFFFFC)),)
    elif form == "ar":
        addend = data.draw(st.integers(0, REGISTERS - 1))
        assume(typed.get(addend, I32) is I32)
        if addend not in typed:
            typed[addend] = I32
            R[addend] = data.draw(st.integers(0, 40) | st.just(0xFFFFFFFC))
        extra = (addend,)
    dest1 = data.draw(st.integers(0, REGISTERS - 1)) if kind == "load" else 0
    args1 = (0, address, offset, *value, *extra)
    written = _written_by(first, dest1, args1, typed) if kind == "load" else {}
    dest2, args2 = _part(second, data, R, typed, written)
    make1, make2 = pairs._factory_of(first), pairs._factory_of(second)
    assert make1.__name__ == pairs._name_of(first)
    apart, together = list(R), list(R)
    ctx_apart, ctx_together = _Context(memory), _Context(memory)
    pair = pairs.pair_factories()[(make1, make2)]
    try:
        assert make1(ctx_apart, 2, dest1, *args1)(apart) == 2
    except wasmem.Trap as trap:
        with pytest.raises(type(trap)) as raised:
            pair(ctx_together, 3, dest1, *args1, dest2, *args2)(together)
        assert str(raised.value) == str(trap)
        assert _same(together, R)
        assert ctx_together.memories[0].data == ctx_apart.memories[0].data == memory
        return
    after = make2(ctx_apart, 3, dest2, *args2)(apart)
    assert pair(ctx_together, 3, dest1, *args1, dest2, *args2)(together) == after
    assert _same(together, apart)
    assert ctx_together.memories[0].data == ctx_apart.memories[0].data


def _written_by(form: pairs.Form, dest: int, args: tuple[Any, ...],
                typed: dict[int, Any]) -> dict[int, Any]:
    """The type of the register the first part writes, as the second part sees it."""
    name, kind, _shape = form
    if kind == "move":
        return {dest: typed.get(args[0], I64) if name == "copy" else I32}
    return {dest: (BY_NAME[name].results or (I32,))[0]}


def test_every_pair_has_a_factory_of_the_decoder() -> None:
    table = pairs.pair_factories()
    assert len(table) == len(pairs.PAIRS) > 50
    for first, second in pairs.PAIRS:
        assert first[1] in ("value", "move", "load", "store")
        assert second[1] not in ("load", "store")
        assert (pairs._factory_of(first), pairs._factory_of(second)) in table


PROGRAM = """(module
  (memory (export "mem") 1)
  (func $mix (export "mix") (param $n i32) (result i64)
    (local $i i32) (local $h i64) (local $x i32) (local $p i32)
    (local.set $h (i64.const 0x9E3779B97F4A7C15))
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i32.add (local.get $i) (i32.const 7)))
        (local.set $x (i32.add (local.get $x) (i32.const -3)))
        (local.set $p (i32.shl (i32.add (local.get $x) (local.get $i)) (i32.const 2)))
        (local.set $x (i32.mul (i32.xor (local.get $x) (local.get $p)) (i32.const 0x01000193)))
        (local.set $h (i64.add (i64.mul (local.get $h) (i64.extend_i32_u (local.get $x)))
                               (i64.shr_u (local.get $h) (i64.const 29))))
        (i32.store (i32.and (local.get $p) (i32.const 0xFFFC)) (local.get $x))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $h))
  (func (export "scan") (param $p i32) (param $n i32) (result i32)
    (local $s i32) (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.tee $c (i32.load8_u offset=3 (local.get $p)))))
        (local.set $s (i32.xor (i32.load8_u (local.get $p)) (local.get $s)))
        (local.set $s (i32.add (local.get $s) (i32.load offset=1 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (br $next)))
    (i32.add (local.get $s) (local.get $c)))
  (func (export "fill") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $next
      (i32.store (local.get $p) (local.get $s))
      (local.set $s (i32.add (local.get $s) (i32.const 3)))
      (i32.store8 offset=2 (local.get $p) (local.get $n))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $next (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $s))
  (func (export "walk") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $next
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4096)))
      (local.set $n (i32.add (local.get $n) (i32.const -1)))
      (br_if $next (i32.ne (local.get $n) (i32.const 0))))
    (local.get $s))
)"""


def _interpreted(fused: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(pairs, "FUSING", fused)
    return wasmem.Instance(wasmem.Module(PROGRAM), tier="interpret").exports


def _outcome(call: Any, *args: int) -> Any:
    try:
        return call(*args)
    except wasmem.Trap as trap:
        return ("trap", str(trap).split("\n")[0],
                [(f.function_index, f.offset) for f in trap.frames])


@pytest.mark.parametrize("n", [0, 1, 5, 300])
def test_programs_run_alike_fused_unfused_and_on_wasmtime(
        n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    store = wasmtime.Store()
    oracle = wasmtime.Instance(store, wasmtime.Module(store.engine, PROGRAM), [])
    want = oracle.exports(store)["mix"](store, n) & (2**64 - 1)
    fused, unfused = _interpreted(True, monkeypatch), _interpreted(False, monkeypatch)
    assert fused["mix"](n) & (2**64 - 1) == unfused["mix"](n) & (2**64 - 1) == want


@pytest.mark.parametrize("p,n", [(0, 3), (60000, 1), (60000, 2), (4096, 20)])
def test_traps_after_a_pair_report_the_same_frames(
        p: int, n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    fused, unfused = _interpreted(True, monkeypatch), _interpreted(False, monkeypatch)
    assert _outcome(fused["walk"], p, n) == _outcome(unfused["walk"], p, n)
    if p + 4096 * (n - 1) > 65532:
        assert _outcome(fused["walk"], p, n)[0] == "trap"


@pytest.mark.parametrize("p,n", [(0, 1), (65000, 100), (65532, 1), (65533, 1), (0, 65535)])
def test_loads_in_pairs_trap_and_read_alike(p: int, n: int, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    """A loop whose loads begin pairs (a load then a compare-and-branch, then an
    operator): results, and traps with their frames, as unfused and as wasmtime."""
    store = wasmtime.Store()
    oracle = wasmtime.Instance(store, wasmtime.Module(store.engine, PROGRAM), [])
    memory = oracle.exports(store)["mem"]
    fused, unfused = _interpreted(True, monkeypatch), _interpreted(False, monkeypatch)
    filler = bytearray((i * 7 + 1) % 256 or 1 for i in range(65536))
    filler[1000] = 0  # (p = 0, n = 1 ends there; the others read past the end)
    for exports in (fused, unfused):
        exports["mem"].write(0, filler)
    memory.write(store, filler, 0)
    try:
        want: Any = oracle.exports(store)["scan"](store, p, n) & 0xFFFFFFFF
    except wasmtime.Trap:
        want = "trap"
    got = _outcome(fused["scan"], p, n)
    assert got == _outcome(unfused["scan"], p, n)
    assert (got[0] if isinstance(got, tuple) else got & 0xFFFFFFFF) == want
    assert (want == "trap") == ((p, n) != (0, 1))


@pytest.mark.parametrize("p,n", [(0, 10), (65520, 4), (65520, 5), (65534, 1)])
def test_stores_in_pairs_trap_and_write_alike(p: int, n: int,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A loop whose stores begin pairs: results, traps with their frames, and the bytes
    written before a trap, as unfused and as wasmtime."""
    store = wasmtime.Store()
    oracle = wasmtime.Instance(store, wasmtime.Module(store.engine, PROGRAM), [])
    try:
        want: Any = oracle.exports(store)["fill"](store, p, n) & 0xFFFFFFFF
    except wasmtime.Trap:
        want = "trap"
    tail = bytes(oracle.exports(store)["mem"].read(store, 65472, 65536))
    outcomes = []
    for exports in (_interpreted(True, monkeypatch), _interpreted(False, monkeypatch)):
        outcomes.append((_outcome(exports["fill"], p, n), exports["mem"].read(65472, 64)))
    assert outcomes[0] == outcomes[1]
    got, written = outcomes[0]
    assert (got[0] if isinstance(got, tuple) else got & 0xFFFFFFFF) == want
    assert bytes(written) == tail


def test_linking_fuses_only_plain_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairs, "FUSING", True)
    module = wasmem.Module(PROGRAM)
    made = []
    real = pairs.fuse

    def counting(*args: Any) -> None:
        made.append(args[1].name)
        real(*args)
    monkeypatch.setattr(pairs, "fuse", counting)
    plain = wasmem.Instance(module, tier="interpret").exports["mix"](3)
    assert made
    made.clear()
    metered = wasmem.Instance(module, tier="interpret", fuel=10**6).exports["mix"](3)
    assert metered == plain
    assert not made


def test_the_example_of_docs_engine_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The pairs paragraph of docs/engine.md: the same result with pairs on and off."""
    code, output = run_example("engine.md", "The interpreter runs a function as a list of closures")
    assert capsys.readouterr().out == output
    assert "WASMEM_INTERPRETER_PAIRS" in code


def test_pairs_made_one_at_a_time_are_those_of_the_whole_table() -> None:
    """fuse() makes a pair's factory when it first meets the pair (by the factories'
    names, confirmed by the factories): the same factory the whole table has, None for
    factories that are not a pair, and None for a stranger with a pair's names."""
    from wasmem.exec.interpreter import pairs
    table = pairs.pair_factories()
    assert len(table) == len(pairs.PAIRS)
    for (first, second), pair in table.items():
        pairs._fused.pop((first, second), None)
        assert pairs._pair_of(first, second) is pair
        assert pairs._fused[first, second] is pair
    first, second = next(iter(table))
    assert pairs._pair_of(second, first) is table.get((second, first))

    def stranger(*args: Any) -> Any:
        return None
    stranger.__name__ = first.__name__
    assert pairs._pair_of(stranger, second) is None
