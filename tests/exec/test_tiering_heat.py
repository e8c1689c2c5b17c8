"""Budgets counted per module (wasmem/exec/tiering.py, ``Heat``): what earlier (or live)
instances of a module ran of a function on the interpreter counts against its budgets in
a new instance, while each instance keeps its own imports, globals and memories.

Budgets are set by each test; the spending rule (.spending) runs on a clock the tests
move by hand, so no decision depends on the machine's speed.
"""

from __future__ import annotations

import gc

import pytest

import wasmem
from _docs import run_example
from wasmem.exec import heat as heat_rules, rent, spending, tiering
from wasmem.exec.estimates import translation_estimate
from wasmem.exec.heat import Heat
from wasmem.exec.tiering import TieredTier
from wasmem.load.cached import forget_validated
from wasmem.syntax.types import I32

# functions: 0 = the import k, 1 = work, 2 = loop, 3 = branches
TEXT = """(module
  (import "env" "k" (func $k (result i32)))
  (import "env" "g" (global $g i32))
  (memory (export "mem") 1)
  (func $work (export "work") (param $x i32) (result i32)
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (local.get $x)))
    (i32.add (i32.add (call $k) (global.get $g)) (i32.load (i32.const 0))))
  (func $loop (export "loop") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (call $k)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $s))
  (func $branches (export "branches") (param $x i32) (result i32)
    BRANCHES
    (i32.const -1)))"""

BRANCH = """(if (i32.eq (local.get $x) (i32.const {n}))
      (then (return (i32.add (i32.mul (local.get $x) (i32.const {m})) (call $k)))))"""

WORK, LOOP, BRANCHES = 1, 2, 3


def source() -> str:
    return TEXT.replace("BRANCHES", "\n    ".join(
        BRANCH.format(n=n, m=n * 7 + 1) for n in range(12)))


def load() -> wasmem.Module:
    """The module from its binary encoding (the spending rule's estimates need its
    sizes), without a disk cache (with one, functions translate at their first call)."""
    return wasmem.Module(wasmem.Module(source()).to_bytes(), cache_dir=False)


def imports(k: int, g: int) -> dict[str, dict[str, object]]:
    return {"env": {"k": wasmem.Function(lambda: k, [], [I32]),
                    "g": wasmem.Global(I32, g)}}


def tier_of(instance: wasmem.Instance) -> TieredTier:
    tier = instance._instance.tier
    assert isinstance(tier, TieredTier)
    return tier


class Clock:
    """A process-time clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    forget_validated()  # (a module of the same bytes loaded before is not shared)
    monkeypatch.setattr(spending.time, "process_time", fake)
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 1000)
    monkeypatch.setattr(tiering, "_allowance", [0.0])  # (no first-call translations,
    monkeypatch.setattr(tiering, "module_fits", lambda instance, limit: False)  # small)
    return fake


@pytest.mark.parametrize("budgets_set", [True, False])
def test_calls_of_a_dropped_instance_count_in_the_next_one(
        clock: Clock, monkeypatch: pytest.MonkeyPatch, budgets_set: bool) -> None:
    monkeypatch.setattr(tiering, "_budgets_set", budgets_set)  # False: .spending holds
    monkeypatch.setattr(heat_rules, "RERUN_CALLS", 0)  # (no translation at a first call)
    module = load()
    first = wasmem.Instance(module, imports(1, 10))
    assert [first.exports["work"](x) for x in (1, 2, 3)] == [12, 14, 17]
    assert WORK not in tier_of(first).promoted  # 3 calls of a budget of 5
    del first
    gc.collect()
    second = wasmem.Instance(module, imports(100, 1000))
    tier = tier_of(second)
    # its own memory (from 0), import and global; translated at the module's 6th call
    assert [second.exports["work"](x) for x in (1, 2)] == [1101, 1103]
    assert WORK not in tier.promoted
    assert second.exports["work"](3) == 1106
    assert WORK in tier.promoted
    assert [second.exports["work"](x) for x in (4, 5)] == [1110, 1115]


def test_a_second_instance_starts_with_the_modules_translations(clock: Clock) -> None:
    module = load()
    first = wasmem.Instance(module, imports(1, 10))
    for x in range(10):
        first.exports["work"](x)
    assert WORK in tier_of(first).promoted
    second = wasmem.Instance(module, imports(100, 1000))
    tier = tier_of(second)
    second.exports["mem"].write(0, (500).to_bytes(4, "little"))  # (its own memory)
    assert second.exports["work"](7) == 100 + 1000 + 507
    assert WORK in tier.promoted and WORK not in tier.interpreted  # at its first call
    assert tier.meters == {}  # (never linked for the interpreter)
    # the first instance keeps its own state, compiled as well
    assert first.exports["work"](0) == 1 + 10 + sum(range(10))
    assert second.exports["work"](1) == 100 + 1000 + 508


def test_live_instances_count_for_each_other(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "_budgets_set", True)
    module = load()
    first = wasmem.Instance(module, imports(1, 0))
    assert first.exports["loop"](600) == 600  # 600 iterations of a budget of 1,000
    assert [first.exports["work"](x) for x in (1, 1, 1)] == [2, 3, 4]
    assert tier_of(first).translations(LOOP) == 0 and WORK not in tier_of(first).promoted
    second = wasmem.Instance(module, imports(3, 0))
    tier = tier_of(second)
    assert second.exports["loop"](600) == 1800  # continued compiled at its 401st
    assert tier.translations(LOOP) == 1
    assert [second.exports["work"](x) for x in (1, 1, 1)] == [4, 5, 6]
    assert WORK in tier.promoted
    assert first.exports["loop"](5) == 5 and first.exports["work"](0) == 4  # (its own)


def test_a_timed_function_is_not_timed_again_in_a_new_instance(
        clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 0.0)  # nothing affordable
    monkeypatch.setattr(spending, "TRANSLATION_SHARE", 0.0)
    monkeypatch.setattr(rent, "RENT_SAMPLES", 2)
    monkeypatch.setattr(heat_rules, "RERUN_CALLS", 0)  # (no translation at a first call)
    timed: list[int] = []
    time_calls = rent.time_calls

    def counting(function: object, current: dict[int, object], namespace: dict[str, object],
                 index: int, samples: int, done: object) -> None:
        timed.append(index)
        time_calls(function, current, namespace, index, samples, done)  # type: ignore[arg-type]
    monkeypatch.setattr(rent, "time_calls", counting)
    module = load()
    expected = [-1 if x >= 12 else x * (x * 7 + 1) + 5 for x in range(40)]
    first = wasmem.Instance(module, imports(5, 0))
    # 8 calls: timed after 5 (not straight-line), under its size-grown budget of 10
    assert [first.exports["branches"](x) for x in range(8)] == expected[:8]
    assert timed == [BRANCHES]
    heat = module.ast.__dict__["_wasmem_heat"]
    del first
    gc.collect()
    assert BRANCHES in heat.paid and heat.calls[BRANCHES] >= 8
    second = wasmem.Instance(module, imports(5, 0))
    assert [second.exports["branches"](x % 40) for x in range(40)] == expected
    assert timed == [BRANCHES]  # its measured call time is the module's
    assert BRANCHES not in tier_of(second).promoted  # (the shares hold it: clock frozen)
    del second
    gc.collect()
    # its budget ran out in earlier instances: the next one translates it when its
    # budget runs out, whatever the shares (the process runs the module again and again)
    third = wasmem.Instance(module, imports(6, 0))
    assert [third.exports["branches"](x) for x in range(3)] == [6, 14, 36]
    assert BRANCHES in tier_of(third).promoted
    assert timed == [BRANCHES]


def test_the_heat_reads_at_most_a_few_live_instances() -> None:
    heat = Heat()
    assert heat.spent(0, None) == (0, 0, 0.0)  # type: ignore[arg-type]
    heat.calls[3], heat.iterations[3], heat.paid[3] = 7, 9, 0.5
    assert heat.spent(3, None) == (7, 9, 0.5)  # type: ignore[arg-type]


def test_the_example_of_docs_engine_runs(capsys: pytest.CaptureFixture[str]) -> None:
    _, output = run_example("engine.md", "Instances of one `Module` share these counts")
    assert capsys.readouterr().out == output


# an imported table: each instance's call_indirect reaches its own table's functions
TABLE_TEXT = """(module
  (type $r (func (result i32)))
  (import "env" "k" (func $k (result i32)))
  (import "env" "t" (table 2 funcref))
  (memory (export "mem") 1)
  (func $via (export "via") (param $i i32) (result i32)
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (i32.add (i32.mul (call_indirect (type $r) (local.get $i)) (i32.const 1000))
             (i32.add (call $k) (i32.load (i32.const 0)))))
  (func $seven (result i32) (i32.const 7))
  (elem (i32.const 0) $seven))"""
VIA = 1


def table_imports(k: int, other: int) -> dict[str, dict[str, object]]:
    table = wasmem.Table(2)
    table[1] = wasmem.Function(lambda: other, [], [I32])
    return {"env": {"k": wasmem.Function(lambda: k, [], [I32]), "t": table}}


@pytest.mark.parametrize("rerun", [1, 0])
def test_a_new_instance_translates_what_earlier_ones_ran_at_its_first_call(
        clock: Clock, monkeypatch: pytest.MonkeyPatch, rerun: int) -> None:
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.setattr(heat_rules, "RERUN_CALLS", rerun)
    module = wasmem.Module(wasmem.Module(TABLE_TEXT).to_bytes(), cache_dir=False)
    first = wasmem.Instance(module, table_imports(1, 2))
    assert [first.exports["via"](i) for i in (0, 1)] == [7002, 2003]
    assert VIA not in tier_of(first).promoted  # (2 calls of a budget of 5)
    clock.now += 1.0  # (the module ran a second: the translation fits in RERUN_SHARE)
    second = wasmem.Instance(module, table_imports(30, 4))
    second.exports["mem"].write(0, (100).to_bytes(4, "little"))
    # its own table, import and memory, translated at its first call (rerun on)
    assert [second.exports["via"](i) for i in (1, 0)] == [4131, 7132]
    assert (VIA in tier_of(second).promoted) == bool(rerun)
    assert VIA not in tier_of(first).promoted  # the first one stays interpreted
    assert [first.exports["via"](i) for i in (1, 0)] == [2004, 7005]
    del first, second
    gc.collect()
    third = wasmem.Instance(module, table_imports(5, 6))
    assert [third.exports["via"](i) for i in (0, 1)] == [7006, 6007]
    assert VIA in tier_of(third).promoted  # (at its first call, or at the module's 6th)


def test_translations_at_first_calls_keep_to_their_share_of_the_modules_time(
        clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 0.0)
    module = wasmem.Module(wasmem.Module(TABLE_TEXT).to_bytes(), cache_dir=False)
    first = wasmem.Instance(module, table_imports(1, 2))
    assert first.exports["via"](0) == 7002
    del first
    gc.collect()
    second = wasmem.Instance(module, table_imports(1, 2))
    assert second.exports["via"](0) == 7002
    assert VIA not in tier_of(second).promoted  # no time since the module's first instance
    clock.now += 1.0  # (the module's instances ran a second: its translation fits)
    third = wasmem.Instance(module, table_imports(1, 2))
    assert third.exports["via"](1) == 2002
    assert VIA in tier_of(third).promoted


def test_a_first_instance_translates_nothing_at_first_calls(clock: Clock) -> None:
    module = wasmem.Module(wasmem.Module(TABLE_TEXT).to_bytes(), cache_dir=False)
    one, two = (wasmem.Instance(module, table_imports(1, 2)) for _ in range(2))
    # two instances made before either ran: nothing ran earlier, nothing translated
    assert one.exports["via"](0) == 7002 and two.exports["via"](1) == 2002
    assert VIA not in tier_of(one).promoted and VIA not in tier_of(two).promoted


def test_a_module_of_the_same_bytes_shares_translations_and_counts(clock: Clock) -> None:
    data = wasmem.Module(TABLE_TEXT).to_bytes()
    first = wasmem.Module(data, cache_dir=False)
    instance = wasmem.Instance(first, table_imports(1, 2))
    for _ in range(6):
        instance.exports["via"](0)
    assert VIA in tier_of(instance).promoted
    again = wasmem.Module(data, cache_dir=False)
    assert again.ast is first.ast  # the same bytes, the same name: remembered
    fresh = wasmem.Instance(again, table_imports(3, 4))
    assert fresh.exports["via"](1) == 4004
    tier = tier_of(fresh)
    assert VIA in tier.promoted and tier.meters == {}  # bound at its first call
    assert wasmem.Module(data, name="other", cache_dir=False).ast is not first.ast
    forget_validated()  # (what the bench's cold loads do): nothing is shared
    cold = wasmem.Module(data, cache_dir=False)
    assert cold.ast is not first.ast
    assert "_wasmem_compiled" not in cold.ast.__dict__
    cold_instance = wasmem.Instance(cold, table_imports(1, 2))
    assert cold_instance.exports["via"](0) == 7002
    assert VIA not in tier_of(cold_instance).promoted


def first_instance_ran(module: wasmem.Module, clock: Clock, seconds: float) -> None:
    """Run ``work`` 4 times (4/5 of its budget) and ``branches`` once (1/10 of its
    size-grown budget) in a first instance, released, the module having run
    ``seconds``."""
    first = wasmem.Instance(module, imports(1, 10))
    for x in range(4):
        first.exports["work"](x)
    assert first.exports["branches"](3) == 3 * 22 + 1
    tier = tier_of(first)
    assert WORK not in tier.promoted and BRANCHES not in tier.promoted
    del first, tier
    gc.collect()
    clock.now += seconds


@pytest.fixture
def planning(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Clock:
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.setattr(spending, "_measured", [0.0, 0.0])  # (estimates at speed 1)
    return clock


def test_a_rerun_translates_the_best_payback_first_whatever_is_called_first(
        planning: Clock) -> None:
    module = load()
    ran = wasmem.Instance(module, imports(1, 10))  # (for the estimates)
    work, branches = (translation_estimate(ran._instance, i) for i in (WORK, BRANCHES))
    assert work is not None and branches is not None
    del ran
    gc.collect()
    first_instance_ran(module, planning, (work + branches / 2) / heat_rules.RERUN_SHARE)
    second = wasmem.Instance(module, imports(1, 10))
    # ``branches`` is called first, but ``work`` (4/5 of its budget a run, against 1/10)
    # is what the allowance buys: ``branches`` runs interpreted
    assert second.exports["branches"](2) == 2 * 15 + 1
    assert second.exports["work"](1) == 1 + 10 + 1
    tier = tier_of(second)
    assert WORK in tier.promoted and BRANCHES not in tier.promoted
    assert BRANCHES in tier.interpreted


@pytest.mark.parametrize("spread", [0.0, 0.1])
def test_functions_of_little_payback_are_spread_over_later_instances(
        planning: Clock, monkeypatch: pytest.MonkeyPatch, spread: float) -> None:
    monkeypatch.setattr(heat_rules, "RERUN_SPREAD", spread)
    module = load()
    first_instance_ran(module, planning, 10.0)  # (room for everything in RERUN_SHARE)
    second = wasmem.Instance(module, imports(1, 10))
    assert second.exports["branches"](2) == 2 * 15 + 1
    assert second.exports["work"](1) == 1 + 10 + 1
    tier = tier_of(second)
    assert WORK in tier.promoted  # (4/5 of its budget: above RERUN_PAYBACK)
    # 1/10 of its budget a run: below RERUN_PAYBACK, within RERUN_SPREAD when on
    assert (BRANCHES in tier.promoted) == bool(spread)


def test_the_plans_of_later_instances_spend_one_allowance(planning: Clock) -> None:
    module = load()
    first_instance_ran(module, planning, 10.0)
    heat = module.ast.__dict__["_wasmem_heat"]
    second = wasmem.Instance(module, imports(1, 10))
    assert second.exports["work"](1) == 1 + 10 + 1
    planned = heat.planned
    assert planned > 0 and WORK in tier_of(second).promoted
    third = wasmem.Instance(module, imports(1, 10))
    assert third.exports["work"](1) == 1 + 10 + 1  # (bound: translated before)
    assert heat.planned == planned  # nothing more to plan, nothing spent again
