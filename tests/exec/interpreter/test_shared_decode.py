"""The interpreter's decode is shared by the instances of a module, its linking is not.

A function is decoded once per module (and fuel setting) and linked per instance: a
second instance of the same module does not decode again, and nothing mutable (memory,
globals, tables) leaks from one instance to another through the shared decode. The
tiered mode also remembers, per module, which functions the disk cache lacks, so later
instances do not read the disk again for them.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import wasmem
from wasmem.exec import interpreter, tiering
from wasmem.exec.compiler.cache import CodeCache

COUNTER = """(module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 100))
  (table 2 funcref)
  (elem (i32.const 0) $bump $peek)
  (func $bump (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 10)))
    (global.get $g))
  (func $peek (result i32) (i32.load (i32.const 0)))
  (func (export "step") (param $k i32) (result i32)
    (i32.add (call_indirect (result i32) (local.get $k))
             (i32.mul (call $peek) (i32.const 1000)))))"""


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Every ``(function index, fuel)`` the interpreter decodes, in order; functions
    stay interpreted (no promotion)."""
    monkeypatch.setattr(tiering, "CALL_BUDGET", 1000)
    monkeypatch.setattr(tiering, "CACHED_CALL_BUDGET", None)
    seen: list[tuple[int, bool]] = []
    original = interpreter.decode_function

    def counting(info: Any, index: int, *, fuel: bool) -> Any:
        seen.append((index, fuel))
        return original(info, index, fuel=fuel)
    monkeypatch.setattr(interpreter, "decode_function", counting)
    return seen


@pytest.mark.parametrize("tier", ["tiered", "interpret"])
def test_a_second_instance_does_not_decode_again(
        decodes: list[tuple[int, bool]], tier: str) -> None:
    module = wasmem.Module(COUNTER, cache_dir=False)
    first = wasmem.Instance(module, tier=tier)
    assert first.exports["step"](0) == 101 + 10_000
    assert sorted(decodes) == [(0, False), (1, False), (2, False)]
    second = wasmem.Instance(module, tier=tier)
    assert second.exports["step"](0) == 101 + 10_000  # its own global and memory
    assert len(decodes) == 3
    assert first.exports["step"](0) == 102 + 20_000
    assert first.exports["step"](1) == 20 + 20_000
    assert second.exports["step"](1) == 10 + 10_000
    assert first.exports["memory"].i32[0] == 20 and second.exports["memory"].i32[0] == 10
    assert len(decodes) == 3


def test_fuel_has_its_own_decode(decodes: list[tuple[int, bool]]) -> None:
    module = wasmem.Module(COUNTER, cache_dir=False)
    plain = wasmem.Instance(module)
    metered = wasmem.Instance(module, fuel=10_000)
    assert plain.exports["step"](0) == metered.exports["step"](0) == 101 + 10_000
    assert metered.fuel_consumed
    assert sorted(decodes) == sorted([(i, f) for i in range(3) for f in (False, True)])
    wasmem.Instance(module, fuel=10_000).exports["step"](1)
    assert len(decodes) == 6


def test_disk_cache_misses_are_read_once_per_module(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        decodes: list[tuple[int, bool]]) -> None:
    loads: list[int] = []
    original = CodeCache.load

    def counting(self: CodeCache, index: int, *args: Any, **kwargs: Any) -> Any:
        loads.append(index)
        return original(self, index, *args, **kwargs)
    monkeypatch.setattr(CodeCache, "load", counting)
    module = wasmem.Module(COUNTER, cache_dir=tmp_path)
    assert wasmem.Instance(module).exports["step"](0) == 101 + 10_000
    assert sorted(loads) == [0, 1, 2]  # nothing translated yet: three misses
    assert wasmem.Instance(module).exports["step"](1) == 0  # its own, empty memory
    assert sorted(loads) == [0, 1, 2]


def test_instances_made_in_racing_threads_run_apart(decodes: list[tuple[int, bool]]) -> None:
    """Threads instantiating one module at once: each instance runs on its own state; a
    race may decode a function twice, never shares a half-built decode."""
    module = wasmem.Module(COUNTER, cache_dir=False)
    start = threading.Barrier(4)
    results: list[tuple[int, int, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            instance = wasmem.Instance(module)
            step = instance.exports["step"]
            results.append((step(0), step(0), instance.exports["memory"].i32[0]))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert results == [(101 + 10_000, 102 + 20_000, 20)] * 4
    assert 3 <= len(decodes) <= 12
    assert sorted(set(decodes)) == [(0, False), (1, False), (2, False)]


def test_closures_free_of_instance_state_are_shared(decodes: list[tuple[int, bool]]) -> None:
    """Closures that read no instance state (arithmetic, branches) are made once per
    module; those that do (globals, memory, calls) are made per instance."""
    module = wasmem.Module(COUNTER, cache_dir=False)
    first = wasmem.Instance(module, tier="interpret")
    second = wasmem.Instance(module, tier="interpret")
    first.exports["step"](0)
    second.exports["step"](0)
    a = interpreter.InstanceCode.of(first._instance).codes[0]
    b = interpreter.InstanceCode.of(second._instance).codes[0]
    assert a is not None and b is not None
    decoded = interpreter.InterpretedModule.of(module.ast).function(0, False)
    makes = [op.make.__name__ for op in decoded.ir]
    assert "op_global_set" in makes
    shared = [x is y for x, y in zip(a.ops[1:], b.ops[1:])]
    for name, same in zip(makes, shared):
        assert same == interpreter._context_free(decoded.ir[makes.index(name)].make), name
    assert any(shared) and not all(shared)
