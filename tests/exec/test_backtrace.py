"""Trap backtraces (``Trap.frames``): both tiers give the same frames, innermost first,
with text positions or binary offsets; checked against wasmtime for binaries."""

from __future__ import annotations

import re

import pytest

import wasmem
from wasmem.binary.encode import encode_module
from wasmem.exec.compiler.tier import CompiledModule

TIERS = ("compile", "interpret", "tiered")

SOURCE = """(module $demo
  (import "host" "boom" (func $boom (param i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $small)
  (type $v (func (result i32)))
  (func $small (result i32)
    (i32.div_s (i32.const 1) (i32.const 0)))
  (func $inner (param i32) (result i32)
    i32.const 10
    local.get 0
    i32.div_s)
  (func $middle (export "middle") (param i32) (result i32)
    local.get 0
    call $inner
    i32.const 2
    i32.add)
  (func (export "outer") (param i32) (result i32)
    local.get 0
    call $middle)
  (func (export "load") (param i32) (result i32)
    (i32.add (i32.const 1) (i32.load offset=4 (local.get 0))))
  (func (export "via_table") (param i32) (result i32)
    (call_indirect (type $v) (local.get 0)))
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then unreachable)
      (else (call $down (i32.sub (local.get 0) (i32.const 1))))))
  (func $forever (export "forever") (param i32) (result i32)
    (call $forever (local.get 0)))
  (func (export "spin") (loop $again (br $again)))
  (func (export "call_host") (param i32)
    (call $boom (local.get 0)))
)"""


def boom(x: int) -> None:
    if x == 1:
        raise wasmem.Trap("boom asked to fail")
    raise ValueError(f"bad value {x}")


def instance(tier: str, source: str | bytes = SOURCE, fuel: int | None = None) -> wasmem.Instance:
    module = wasmem.Module(source)
    imports = {"host": {"boom": wasmem.Function(boom, [wasmem.syntax.types.I32], [])}} \
        if b"boom" in (source if isinstance(source, bytes) else source.encode()) else {}
    return wasmem.Instance(module, imports, tier=tier, fuel=fuel)


def trap_of(tier: str, name: str, *args: int, fuel: int | None = None,
            source: str | bytes = SOURCE) -> wasmem.Trap:
    exports = instance(tier, source, fuel).exports
    with pytest.raises(wasmem.Trap) as info:
        exports[name](*args)
    return info.value


def places(trap: wasmem.Trap) -> list[tuple[str | None, int | None, int | None]]:
    return [(f.function_name, f.line, f.column) for f in trap.frames]


@pytest.mark.parametrize("tier", TIERS)
def test_frames_innermost_first_with_positions(tier: str) -> None:
    trap = trap_of(tier, "outer", 0)
    assert trap.code is wasmem.TrapCode.INTEGER_DIVIDE_BY_ZERO
    assert places(trap) == [("inner", 12, 5), ("middle", 15, 5), ("outer", 20, 5)]
    assert [f.function_index for f in trap.frames] == [2, 3, 4]
    assert all(f.module == "demo" and f.offset is None for f in trap.frames)
    text = str(trap)
    assert text.startswith("integer divide by zero\nwasm backtrace:\n")
    assert text.endswith("  0: demo!inner at 12:5\n  1: demo!middle at 15:5\n"
                         "  2: demo!outer at 20:5")


@pytest.mark.parametrize("tier", TIERS)
def test_out_of_bounds_load_points_at_the_load(tier: str) -> None:
    trap = trap_of(tier, "load", 65533)
    assert trap.code is wasmem.TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS
    assert places(trap) == [("load", 22, 29)]


@pytest.mark.parametrize("tier", TIERS)
def test_call_indirect(tier: str) -> None:
    trap = trap_of(tier, "via_table", 0)  # $small divides by zero
    assert places(trap) == [("small", 8, 6), ("via_table", 24, 6)]
    trap = trap_of(tier, "via_table", 1)  # uninitialized element
    assert trap.code is wasmem.TrapCode.UNINITIALIZED_ELEMENT
    assert places(trap) == [("via_table", 24, 6)]


@pytest.mark.parametrize("tier", TIERS)
def test_recursion(tier: str) -> None:
    trap = trap_of(tier, "down", 5)
    assert trap.code is wasmem.TrapCode.UNREACHABLE
    assert places(trap) == [("down", 27, 13)] + [("down", 28, 14)] * 5


@pytest.mark.parametrize("tier", TIERS)
def test_stack_exhaustion_frames_are_all_the_same_function(tier: str) -> None:
    trap = trap_of(tier, "forever", 0)
    assert isinstance(trap, wasmem.Exhaustion)
    frames = trap.frames
    assert len(frames) > 100
    assert {f.function_name for f in frames} == {"forever"}
    assert frames[-1].line == 30  # the outermost is at its call
    assert "frames omitted" in str(trap) and len(str(trap).splitlines()) < 50


@pytest.mark.parametrize("tier", TIERS)
def test_fuel_exhausted_in_loop(tier: str) -> None:
    trap = trap_of(tier, "spin", fuel=1000)
    assert isinstance(trap, wasmem.FuelExhausted)
    assert places(trap) == [("spin", 31, 26)]  # the loop; the name is the export's


@pytest.mark.parametrize("tier", TIERS)
def test_host_exception_keeps_its_traceback_and_gains_frames(tier: str) -> None:
    trap = trap_of(tier, "call_host", 7)
    assert trap.code is wasmem.TrapCode.HOST_ERROR
    assert places(trap) == [("call_host", 33, 6)]
    cause = trap.__cause__
    assert isinstance(cause, ValueError)
    assert cause.__traceback__ is not None
    assert cause.wasm_frames == trap.frames  # type: ignore[attr-defined]
    assert "call_host at 33:6" in "\n".join(cause.__notes__)
    trap = trap_of(tier, "call_host", 1)  # a Trap raised by the host passes through
    assert trap.message == "boom asked to fail"
    assert places(trap) == [("call_host", 33, 6)]


@pytest.mark.parametrize("tier", TIERS)
def test_instance_stays_usable_and_no_frames_without_wasm(tier: str) -> None:
    exports = instance(tier).exports
    with pytest.raises(wasmem.Trap):
        exports["outer"](0)
    assert exports["outer"](5) == 4
    assert wasmem.Trap("made by hand").frames == []
    assert str(wasmem.Trap("made by hand")) == "made by hand"


BINARY_FUNCS = """(module
  (func $inner (param i32) (result i32)
    i32.const 10
    local.get 0
    i32.div_s)
  (func (export "outer") (param i32) (result i32)
    local.get 0
    call $inner
    i32.const 2
    i32.add))"""


@pytest.mark.parametrize("tier", TIERS)
def test_binary_offsets_agree_with_wasmtime(tier: str) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    data = encode_module(wasmem.Module(BINARY_FUNCS).ast, names=True)
    trap = trap_of(tier, "outer", 0, source=data)
    store = wasmtime.Store()
    oracle = wasmtime.Instance(store, wasmtime.Module(store.engine, data), [])
    with pytest.raises(wasmtime.Trap) as info:
        oracle.exports(store)["outer"](store, 0)
    expected = [(f.func_index, f.func_name, f.module_offset, f.func_offset)
                for f in info.value.frames]
    got = [(f.function_index, f.function_name, f.offset, f.function_offset)
           for f in trap.frames]
    assert [(g[0], g[2], g[3]) for g in got] == [(e[0], e[2], e[3]) for e in expected]
    assert [g[1] for g in got] == ["inner", "outer"]  # wasmtime: name section only
    assert all(f.line is None for f in trap.frames)
    assert "@0x" in str(trap)


def test_both_tiers_agree_on_a_mixed_module() -> None:
    for name, args in (("outer", (0,)), ("load", (70000,)), ("via_table", (0,)),
                       ("down", (3,))):
        compiled = trap_of("compile", name, *args)
        interpreted = trap_of("interpret", name, *args)
        assert compiled.frames == interpreted.frames, name


def test_frames_survive_the_disk_cache(tmp_path: pytest.TempPathFactory) -> None:
    """Code loaded from the disk cache has no line table: it is made again on demand."""
    data = encode_module(wasmem.Module(BINARY_FUNCS).ast, names=True)
    fresh = trap_of("compile", "outer", 0, source=data).frames
    wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path),
                    tier="compile").exports["outer"](1)  # fills
    cached = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    with pytest.raises(wasmem.Trap) as info:
        cached.exports["outer"](0)
    compiled = CompiledModule.of(cached.module.ast)
    assert compiled.sources == {}  # nothing translated: the code came from the disk
    assert info.value.frames == fresh and len(fresh) == 2


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_random_trapping_programs_have_the_same_frames_in_both_tiers(binary: bool) -> None:
    """Random programs full of deferred trapping operands (``trap_order_gen``): the
    compile tier's line table must name the instruction the interpreter names."""
    from trap_order_gen import PARAMS, module_text

    trapped = 0
    for seed in range(25):
        module = wasmem.Module(module_text(seed))
        if binary:
            module = wasmem.Module(encode_module(module.ast))
        for args in PARAMS:
            seen = []
            for tier in TIERS:
                try:
                    wasmem.Instance(module, tier=tier).exports["f"](*args)
                    seen.append(None)
                except wasmem.Trap as trap:
                    seen.append((trap.code, trap.frames))
                    assert trap.frames and trap.frames[-1].function_name == "f"
            trapped += seen[0] is not None
            assert seen[0] == seen[1], (seed, args)
    assert trapped > 20


def test_trap_order_program_161_has_the_same_places_in_both_tiers() -> None:
    """``trap_order_gen`` seed 161 (found off-line with ``--sets trap-order --frames``):
    a ``div_u`` whose dividend was itself a trapping division; the translation wrote the
    dividend twice, so its trap was placed at the outer division."""
    from trap_order_gen import module_text, places

    found = places(module_text(161))
    assert found["interpret"] == found["compile"]
    assert any(row is not None for row in found["interpret"])


def test_the_command_line_shows_the_innermost_frame_on_one_line(
        tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    from wasmem.cli import main
    path = tmp_path / "demo.wat"  # type: ignore[operator]
    path.write_text(BINARY_FUNCS, encoding="utf-8")
    assert main(["run", str(path), "--invoke", "outer", "0"]) == 1
    err = capsys.readouterr().err
    assert err == f"wasmem: Trap: {path}:5:5: integer divide by zero (in inner)\n"
    binary = path.with_suffix(".wasm")
    assert main(["compile", str(path), "-o", str(binary)]) == 0
    capsys.readouterr()
    assert main(["run", str(binary), "--invoke", "outer", "0"]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(rf"wasmem: Trap: {re.escape(str(binary))}:@0x[0-9a-f]+: integer "
                        r"divide by zero \(in (inner|func\[0\])\)\n", err), err



_FIRST_TRAP = """
import json, wasmem
module = wasmem.Module('''(module (memory 1)
  (func $s (i32.store (i32.const 65535) (i32.const 1)))
  (func (export "store") (param i32) (i32.store (local.get 0) (i32.const 1))))''')
found = {}
for tier in ("compile", "tiered"):
    try:
        wasmem.Instance(module, tier=tier).exports["store"](65534)
    except wasmem.Trap as trap:
        found[tier] = [(f.function_index, f.line, f.column) for f in trap.frames]
print(json.dumps(found))
"""


@pytest.mark.parametrize("budgets", ["0,0", "100,100"])
def test_the_first_trap_of_a_process_has_its_frames(budgets: str) -> None:
    # a compiled access out of bounds becomes a trap at the host boundary (from Python's
    # IndexError): the first such trap of a process, before anything imported the
    # backtrace module, had no frames at all
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = str(Path(wasmem.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root, "WASMEM_TIER_BUDGETS": budgets,
           "WASMEM_CACHE_DIR": ""}
    done = subprocess.run([sys.executable, "-c", _FIRST_TRAP], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"compile": [[1, 3, 39]], "tiered": [[1, 3, 39]]}


def test_out_of_fuel_at_a_function_entry_has_the_same_frames_in_every_tier() -> None:
    # the interpreter charged the entry and reported its first instruction; compiled
    # code reports the function's own position (docs/observe.md: "at the loop (or the
    # function entry) that charged the fuel")
    module = wasmem.Module("""(module
  (func $a (export "a") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (call $a (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
      (else (i32.const 0)))))""")
    found = []
    for tier in TIERS:
        instance = wasmem.Instance(module, tier=tier, fuel=100)
        with pytest.raises(wasmem.FuelExhausted) as caught:
            instance.exports["a"](50)
        found.append([(f.function_index, f.line, f.column) for f in caught.value.frames[:2]])
    assert found == [[(0, 2, 3), (0, 4, 23)]] * len(TIERS)


def test_an_exception_passing_a_try_table_lists_its_frame_once() -> None:
    # the interpreter's run loop catches the exception to test the handlers and raises
    # it again: its Python frame is twice in the traceback, once was a wasm frame
    module = wasmem.Module("""(module
  (tag $a) (tag $b)
  (func $thrower (throw $a))
  (func (export "f")
    (block $h
      (try_table (catch $b $h)
        (call $thrower)))))""")
    for tier in TIERS:
        with pytest.raises(wasmem.Trap) as caught:
            wasmem.Instance(module, tier=tier).exports["f"]()
        assert [(f.function_index, f.line, f.column) for f in caught.value.frames] \
            == [(0, 3, 19), (1, 7, 10)], tier
