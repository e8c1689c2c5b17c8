"""``instance.trace()`` and ``wasmem trace``: the same events in both tiers, every memory
access path, filters, and the instance's own code back when the trace ends."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import wasmem
from wasmem.cli import main
from wasmem.exec.compiler.tier import CompiledModule
from wasmem.observe import TraceEvent
from wasmem.syntax.types import I32, I64

TIERS = ("compile", "interpret", "tiered")

SOURCE = """(module $m
  (memory 1 4)
  (data $d "hello")
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "widths") (param i32)
    (i32.store8 (local.get 0) (i32.const -1))
    (i32.store16 offset=2 (local.get 0) (i32.const 0x12345))
    (i64.store32 offset=4 (local.get 0) (i64.const -2))
    (f32.store offset=8 (local.get 0) (f32.const 1.5))
    (f64.store offset=16 (local.get 0) (f64.const -0.25))
    (drop (i32.load8_s (local.get 0)))
    (drop (i32.load16_u offset=2 (local.get 0)))
    (drop (i64.load32_s offset=4 (local.get 0)))
    (drop (f32.load offset=8 (local.get 0)))
    (drop (f64.load offset=16 (local.get 0))))
  (func (export "simd") (param i32)
    (v128.store (local.get 0) (v128.const i32x4 1 2 3 4))
    (v128.store8_lane 1 (i32.const 40) (v128.load (local.get 0)))
    (drop (v128.load16_lane 0 (i32.const 40) (v128.const i64x2 0 0)))
    (drop (v128.load32_splat (local.get 0))))
  (func (export "bulk")
    (memory.fill (i32.const 100) (i32.const 0x1AB) (i32.const 8))
    (memory.copy (i32.const 200) (i32.const 100) (i32.const 4))
    (memory.init $d (i32.const 300) (i32.const 1) (i32.const 3))
    (drop (memory.grow (i32.const 1)))
    (drop (memory.grow (i32.const 100))))
  (func $twice (export "twice") (param i32) (result i32)
    (i32.store (i32.const 0) (call $sq (local.get 0)))
    (i32.add (call $sq (local.get 0)) (i32.load (i32.const 0))))
  (func (export "oob") (result i32) (i32.load (i32.const -1)))
)"""


def run(tier: str, name: str, *args: int, **options: object) -> list[TraceEvent]:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    with instance.trace(**options) as trace:  # type: ignore[arg-type]
        instance.exports[name](*args)
    return trace.events


def short(events: list[TraceEvent]) -> list[tuple[object, ...]]:
    return [(e.kind, e.instruction, e.address, e.size, e.value) for e in events]


@pytest.mark.parametrize("tier", TIERS)
def test_every_load_and_store_width(tier: str) -> None:
    events = run(tier, "widths", 32, calls=False)
    assert short(events) == [
        ("store", "i32.store8", 32, 1, 255), ("store", "i32.store16", 34, 2, 0x2345),
        ("store", "i64.store32", 36, 4, 0xFFFFFFFE), ("store", "f32.store", 40, 4, 1.5),
        ("store", "f64.store", 48, 8, -0.25), ("load", "i32.load8_s", 32, 1, -1),
        ("load", "i32.load16_u", 34, 2, 0x2345), ("load", "i64.load32_s", 36, 4, -2),
        ("load", "f32.load", 40, 4, 1.5), ("load", "f64.load", 48, 8, -0.25)]
    assert [(e.line, e.column, e.function_name) for e in events][:2] == [
        (6, 6, "widths"), (7, 6, "widths")]


@pytest.mark.parametrize("tier", TIERS)
def test_simd_loads_stores_and_lanes(tier: str) -> None:
    events = run(tier, "simd", 0, calls=False)
    vector = 1 | 2 << 32 | 3 << 64 | 4 << 96
    assert short(events) == [
        ("store", "v128.store", 0, 16, vector), ("load", "v128.load", 0, 16, vector),
        ("store", "v128.store8_lane", 40, 1, 0), ("load", "v128.load16_lane", 40, 2, 0),
        ("load", "v128.load32_splat", 0, 4, 1 | 1 << 32 | 1 << 64 | 1 << 96)]


@pytest.mark.parametrize("tier", TIERS)
def test_bulk_memory_is_one_event_per_range(tier: str) -> None:
    events = run(tier, "bulk", calls=False)
    assert [(e.kind, e.address, e.size, e.value, e.source) for e in events] == [
        ("fill", 100, 8, 0xAB, None), ("copy", 200, 4, None, 100),
        ("init", 300, 3, None, 1), ("grow", 0, 1, 1, None), ("grow", 0, 100, -1, None)]


@pytest.mark.parametrize("tier", TIERS)
def test_calls_with_arguments_results_and_inlined_callees(tier: str) -> None:
    events = run(tier, "twice", 7)
    assert [(e.kind, e.function_name, e.depth, e.args, e.results) for e in events
            if e.kind in ("call", "return")] == [
        ("call", "twice", 1, (7,), ()), ("call", "sq", 2, (7,), ()),
        ("return", "sq", 2, (), (49,)), ("call", "sq", 2, (7,), ()),
        ("return", "sq", 2, (), (49,)), ("return", "twice", 1, (), (98,))]
    assert str(events[1]) == "  call sq(7)  [sq@4:3]"


def test_both_tiers_give_the_same_events() -> None:
    for name, args in (("widths", (8,)), ("simd", (64,)), ("bulk", ()), ("twice", (3,))):
        assert run("compile", name, *args) == run("interpret", name, *args), name


@pytest.mark.parametrize("tier", TIERS)
def test_traps_are_events_and_the_code_goes_back(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    instance.exports["twice"](2)
    before = [f.call for f in instance._instance.functions]
    codes = dict(CompiledModule.of(instance.module.ast).codes)
    with instance.trace() as trace, pytest.raises(wasmem.Trap):
        instance.exports["oob"]()
    assert [e.kind for e in trace.events] == ["call", "trap"]
    assert trace.events[1].message == "out of bounds memory access"
    assert [f.call for f in instance._instance.functions] == before
    assert CompiledModule.of(instance.module.ast).codes == codes  # no new translations
    assert instance.exports["twice"](2) == 8


@pytest.mark.parametrize("tier", TIERS)
def test_range_limit_and_outputs(tier: str) -> None:
    assert short(run(tier, "bulk", calls=False, range=(199, 201))) == [
        ("copy", "memory.copy", 200, 4, None), ("grow", "memory.grow", 0, 1, 1),
        ("grow", "memory.grow", 0, 100, -1)]
    seen: list[TraceEvent] = []
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    with instance.trace(out=seen.append, limit=2) as trace:
        instance.exports["twice"](1)
    assert len(seen) == 2 and trace.dropped == 6 and trace.events == []
    text = io.StringIO()
    with instance.trace(out=text, memory=False):
        instance.exports["twice"](1)
    assert text.getvalue().splitlines()[0] == "call twice(1)  [twice@27:3]"


@pytest.mark.parametrize("tier", TIERS)
def test_a_callback_exception_stops_the_call_and_the_instance_stays_usable(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)

    def stop(event: TraceEvent) -> None:
        if event.kind == "store":
            raise KeyError("stop here")

    with pytest.raises(KeyError), instance.trace(out=stop):
        instance.exports["twice"](3)
    assert instance.exports["twice"](3) == 18
    with instance.trace(), pytest.raises(wasmem.InvocationError):
        with instance.trace():
            pass
    with pytest.raises(wasmem.InvocationError):
        instance.trace(out=42)  # type: ignore[arg-type]


def test_cli_trace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.wat"
    path.write_text(SOURCE, encoding="utf-8")
    assert main(["trace", str(path), "--invoke", "twice", "4", "--calls"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "call twice(4)  [twice@27:3]" and lines[-1] == "32"
    assert len(lines) == 7
    assert main(["trace", str(path), "--invoke", "bulk", "--memory", "--range",
                 "0xC8:0xC9"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("copy  memory.copy") and "[bulk@23:6]" in out[0]
    assert main(["trace", str(path), "--invoke", "twice", "4", "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("... 7 more event(s)") and out[-1] == "32"
    assert main(["trace", str(path), "--invoke", "missing"]) == 2
    assert "no exported function" in capsys.readouterr().err


def test_the_command_line_example_of_the_docs(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parents[2]
    page = (root / "docs" / "observe.md").read_text(encoding="utf-8")
    block = page.split("$ wasmem trace ", 1)[1].split("```", 1)[0]
    command, *expected = block.splitlines()
    monkeypatch.chdir(root)
    assert main(["trace", *command.split()]) == 0
    assert capsys.readouterr().out.splitlines() == expected


@pytest.mark.parametrize("tier", TIERS)
def test_calls_of_imported_functions(tier: str) -> None:
    source = """(module
      (import "env" "twice" (func (param i32 i64 i32 i32 i32 i32 i32) (result i32)))
      (import "env" "fail" (func $fail))
      (func (export "f") (param i32) (result i32)
        (call 0 (local.get 0) (i64.const -1) (i32.const 0) (i32.const 0) (i32.const 0)
                (i32.const 0) (i32.const 0)))
      (func (export "g") (call $fail)))"""

    def fail() -> None:
        raise RuntimeError("no")

    imports = {"env": {
        "twice": wasmem.Function(lambda x, *rest: 2 * x, [I32, I64] + [I32] * 5, [I32]),
        "fail": wasmem.Function(fail)}}
    instance = wasmem.Instance(wasmem.Module(source), imports, tier=tier)
    with instance.trace(memory=False) as trace:
        assert instance.exports["f"](-4) == -8
        with pytest.raises(wasmem.Trap):
            instance.exports["g"]()
    assert [(e.kind, e.function_name, e.depth, e.args, e.results, e.line) for e in trace
            ][:4] == [("call", "f", 1, (-4,), (), 4), ("call", "env.twice", 2,
                                                      (-4, -1, 0, 0, 0, 0, 0), (), 5),
                      ("return", "env.twice", 2, (), (-8,), 5),
                      ("return", "f", 1, (), (-8,), 4)]
    assert [(e.kind, e.function_name) for e in trace][4:] == [
        ("call", "g"), ("call", "fail"), ("trap", "fail"), ("trap", "g")]


@pytest.mark.parametrize("limit", ["x", 1.5, [], True])
def test_a_limit_that_is_not_an_integer_is_an_invocation_error(limit: object) -> None:
    """Not a raw TypeError from the comparison with 0 (fuzz7)."""
    instance = wasmem.Instance(wasmem.Module('(module (func (export "f")))'))
    with pytest.raises(wasmem.InvocationError, match="limit= must be an integer"):
        instance.trace(limit=limit)  # type: ignore[arg-type]
