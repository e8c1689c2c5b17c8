"""The tiered tier's compiling half, made at its first translation (wasmem/exec/deferred_tier.py):
what runs before it (interpreted code) and what runs after it (translated code) see the
same globals, functions and importers as when the namespace was bound at instantiation."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec import tiering
from wasmem.exec.compiler.tier import CompilingTier
from wasmem.exec.tier_names import NamespaceTier

COUNTER = """(module
  (global $g (mut i32) (i32.const 1))
  (global $c i32 (i32.const 40))
  (func $get (export "get") (result i32) (global.get $g))
  (func $set (export "set") (param i32) (global.set $g (local.get 0)))
  (func $bump (export "bump") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (i32.add (global.get $g) (global.get $c))))"""


@pytest.fixture
def budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10)
    monkeypatch.setattr(tiering, "_allowance", [0.0])  # (no translation at a first call)


def _calls(instance: wasmem.Instance) -> list[int | None]:
    get, set_, bump = (instance.exports[name] for name in ("get", "set", "bump"))
    results: list[int | None] = [get()]  # linked on the interpreter before any translation
    results += [bump(k) for k in range(1, 12)]  # translated at its sixth call
    results.append(get())  # interpreted, linked before: sees what translated code wrote
    set_(1000)  # interpreted: translated code sees it
    results += [bump(1), get()]
    results += [get() for _ in range(8)]  # translated now too
    return results


def test_globals_are_shared_by_code_linked_before_and_after_the_first_translation(
        budgets: None) -> None:
    module = wasmem.Module(COUNTER)
    tiered = wasmem.Instance(module)
    tier = tiered._instance.tier
    assert tier.compiling is None and "__builtins__" not in tier.namespace
    results = _calls(tiered)
    assert isinstance(tier.compiling, CompilingTier)
    assert 2 in tier.promoted
    assert results == _calls(wasmem.Instance(module, tier="interpret"))
    assert results[-1] == 1001


def test_an_importer_is_rebound_when_an_exporter_translates(budgets: None) -> None:
    exporter = wasmem.Instance(wasmem.Module(COUNTER))
    importer = wasmem.Instance(wasmem.Module("""(module
      (import "m" "bump" (func $bump (param i32) (result i32)))
      (func (export "run") (param i32) (result i32) (call $bump (local.get 0))))"""),
        {"m": {"bump": exporter.exports["bump"]}}, tier="compile")
    tier = exporter._instance.tier
    assert isinstance(tier, NamespaceTier) and tier.compiling is None
    assert [key for _, key in tier.importers[2]] == ["F0"]  # (registered before)
    results = [importer.exports["run"](1) for _ in range(8)]
    assert results == list(range(42, 50))
    assert tier.compiling is not None and 2 in tier.promoted
    namespace, key = tier.importers[2][0]
    assert namespace[key] is tier.namespace["F2"]  # the importer calls the translation


def _trap_frames(instance: wasmem.Instance) -> list[tuple[int, str | None, int | None]]:
    with pytest.raises(wasmem.Trap) as caught:
        instance.exports["run"](0)
    return [(f.function_index, f.function_name, f.line) for f in caught.value.frames]


def test_a_trap_after_a_late_translation_has_its_backtrace(budgets: None) -> None:
    module = wasmem.Module("""(module
      (func $inner (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
      (func (export "run") (param i32) (result i32) (call $inner (local.get 0))))""")
    instance = wasmem.Instance(module)
    run = instance.exports["run"]
    assert [run(1) for _ in range(10)] == [7] * 10
    assert 1 in instance._instance.tier.promoted
    frames = _trap_frames(instance)
    assert frames == [(0, "inner", 2), (1, "run", 3)]
    assert frames == _trap_frames(wasmem.Instance(module, tier="interpret"))
