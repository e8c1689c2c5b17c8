"""Binding translations at hand (``wasmem/exec/cached_binding.py``): the tiered mode's
warm path, where a function's first call finds its code made earlier in the process or
stored in the disk cache."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import wasmem
from wasmem.exec import tiering
from wasmem.exec.cached_binding import at_hand
from wasmem.exec.compiler import cache_trust, codegen
from wasmem.exec.compiler.cache_memory import MEMORY, MEMORY_VARIABLE

TEXT = """(module
  (func $twice (export "twice") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $twice (local.get 0)) (i32.const 1)))
  (func (export "unused") (result i32) (i32.const 7)))"""


@pytest.fixture(autouse=True)
def cached_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules of a run with a disk cache and no budgets set (translated at the first
    call), an empty memory layer, no warning remembered."""
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.delenv(MEMORY_VARIABLE, raising=False)
    monkeypatch.setattr(cache_trust, "_warned", set())
    MEMORY.clear()


@pytest.fixture
def data() -> bytes:
    return wasmem.Module(TEXT).to_bytes()


def _opened(monkeypatch: pytest.MonkeyPatch, below: Path) -> list[str]:
    """The entries (``.bin`` files) below ``below`` that ``os.open`` opens from now on."""
    opened: list[str] = []
    real = os.open

    def counting(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(below)) and str(path).endswith(".bin"):
            opened.append(os.path.basename(str(path)))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", counting)
    return opened


def test_a_warm_instance_binds_stored_code_without_translating(
        data: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exports = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path)).exports
    assert (exports["run"](20), exports["twice"](4)) == (41, 8)
    MEMORY.clear()  # as in a new process

    def refuse(self: object) -> str:
        raise AssertionError("translated although the code was in the cache")
    monkeypatch.setattr(codegen.FunctionCompiler, "compile", refuse)
    instance = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    assert (instance.exports["run"](5), instance.exports["twice"](3)) == (11, 6)
    tier = instance._instance.tier
    assert isinstance(tier, tiering.TieredTier)
    assert tier.promoted == {0, 1} and tier.interpreted == {}
    assert tier.ledger.spent == 0.0  # nothing translated: nothing charged
    # bound everywhere: the export and the namespace generated code calls through
    assert instance._instance.functions[1].call is tier.current[1] is tier.namespace["F1"]
    assert tier.namespace["F0"] is tier.current[0]


def test_a_function_without_an_entry_is_looked_up_on_disk_once(
        data: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = _opened(monkeypatch, tmp_path)
    exports = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path)).exports
    assert (exports["run"](1), exports["twice"](2)) == (3, 4)
    # the first call of each: one look (a miss), then translated and stored
    assert sorted(opened) == ["f0.bin", "f1.bin"]
    tier = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))._instance.tier
    assert isinstance(tier, tiering.TieredTier)
    compiled = tier.compiled
    assert at_hand(compiled, 2, False) is False and (2, False) in compiled.disk_misses
    del opened[:]
    assert at_hand(compiled, 2, False) is False  # the miss is remembered
    assert opened == []


def test_an_observer_keeps_its_place_when_stored_code_is_bound(
        data: bytes, tmp_path: Path) -> None:
    wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path)).exports["run"](1)
    MEMORY.clear()
    instance = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    tier = instance._instance.tier
    assert isinstance(tier, tiering.TieredTier)
    calls: list[tuple[Any, ...]] = []
    stub = instance._instance.functions[1].call

    def observing(*args: Any) -> Any:
        calls.append(args)
        return stub(*args)
    instance._instance.functions[1].call = observing
    assert tier.bind_at_hand(1) is True
    assert instance._instance.functions[1].call is observing  # (not replaced)
    assert tier.current[1] is tier.namespace["F1"] and 1 in tier.promoted
