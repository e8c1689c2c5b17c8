"""Work counted over runs in the disk cache (wasmem/exec/run_counts.py) and the tiered
mode's warm budgets that use it (wasmem/exec/tiering.py)."""

from __future__ import annotations

import marshal
import os
import warnings
from pathlib import Path

import pytest

import wasmem
from wasmem.exec import run_counts, tiering

TEXT = """(module
  (func $twice (export "twice") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (func $sum (export "sum") (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $s)))"""


@pytest.fixture
def warm(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default budgets, first-call translations never held back by the allowance;
    each run pays a quarter of a translation, each call of a small function a third."""
    monkeypatch.setattr(tiering, "RUN_SHARE", 0.25)
    monkeypatch.setattr(tiering, "CACHED_CALLS", 3)
    monkeypatch.setattr(tiering, "CALL_BUDGET", 100)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 1000)
    monkeypatch.setattr(tiering, "FIRST_CALL_SHARE", 1e9)
    monkeypatch.setattr(run_counts, "FIRST_CALL_SHARE", 1e9)


def run(cache: Path, text: str = TEXT, **calls: int) -> tiering.TieredTier:
    """One run: a fresh module and instance over ``cache``, each export called with its
    argument; returns the run's tier."""
    instance = wasmem.Instance(wasmem.Module(text, cache_dir=cache))
    for name, arg in calls.items():
        assert instance.exports[name](arg) == {"twice": 2 * arg,
                                               "sum": arg * (arg + 1) // 2}[name]
    return instance._instance.tier


def test_a_cheap_function_each_run_calls_once_is_translated_in_the_third_run(
        tmp_path: Path, warm: None) -> None:
    """Each run pays RUN_SHARE plus a third of a translation per call (CACHED_CALLS)."""
    first = run(tmp_path, twice=1)
    assert 0 in first.interpreted and 0 not in first.promoted
    second = run(tmp_path, twice=1)
    assert 0 in second.interpreted and 0 not in second.promoted
    counts = run_counts.counts_of(second.compiled.cache)
    third = run(tmp_path, twice=1)  # (its start adds the second run's counts)
    assert counts.earned[0] == pytest.approx(2 * (0.25 + 1 / 3))
    assert 0 in third.promoted and 0 not in third.interpreted
    fourth = run(tmp_path, twice=1)
    assert 0 not in counts.earned  # translated: the cache holds it now
    assert 0 in fourth.promoted and 0 not in fourth.interpreted  # from the cache


def test_loop_iterations_count_over_runs(tmp_path: Path, warm: None) -> None:
    """A function called once a run whose loop runs 60 iterations (under the 100 of a
    run) has paid for its translation after one run; one of 10 iterations after two."""
    first = run(tmp_path, sum=60)
    assert 1 in first.interpreted and not any(first.continuations.values())
    second = run(tmp_path, sum=60)
    assert 1 in second.promoted and 1 not in second.interpreted
    other = TEXT.replace("(i32.const 2)", "(i32.const 2) (drop (i32.const 0))")
    runs = [run(tmp_path, other, sum=10) for _ in range(3)]
    assert [1 in tier.promoted for tier in runs] == [False, False, True]


def test_a_function_called_twice_is_translated_in_the_run(tmp_path: Path, warm: None) -> None:
    instance = wasmem.Instance(wasmem.Module(TEXT, cache_dir=tmp_path))
    assert instance.exports["twice"](1) == 2
    first = instance._instance.tier
    assert not first.promoted
    assert instance.exports["twice"](2) == 4  # its second call
    assert first.promoted == {0}
    again = run(tmp_path, twice=3)
    assert 0 in again.promoted and 0 not in again.interpreted  # from the cache


def test_a_run_translates_on_first_calls_within_its_allowance(
        tmp_path: Path, warm: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Functions earlier runs paid for beyond FIRST_CALL_SHARE of the last run's length
    wait for a later run."""
    for _ in range(2):
        run(tmp_path, twice=1, sum=3)
    monkeypatch.setattr(tiering, "FIRST_CALL_SHARE", 0.0)
    monkeypatch.setattr(tiering, "INTERPRETER_COST", 0.0)  # (the least allowance)
    held = run(tmp_path, twice=1, sum=3)
    assert not held.promoted and {0, 1} <= held.deferred
    monkeypatch.setattr(tiering, "FIRST_CALL_SHARE", 1e9)
    free = run(tmp_path, twice=1, sum=3)
    assert free.promoted == {0, 1}


def test_the_counts_are_written_at_exit_and_read_by_the_next_process(
        tmp_path: Path, warm: None) -> None:
    tier = run(tmp_path, twice=1)
    cache = tier.compiled.cache
    counts = run_counts.counts_of(cache)
    counts.write()  # what the process does at exit
    entry = Path(cache.directory_name, "counts.dat")
    assert entry.is_file()
    fresh = run_counts.ModuleCounts(cache)  # a new process's view
    assert fresh.earned == {0: pytest.approx(0.25 + 1 / 3, abs=1e-4)}
    assert fresh.run_seconds > 0.0


def test_another_process_s_counts_are_merged_not_lost(tmp_path: Path, warm: None) -> None:
    tier = run(tmp_path, twice=1)
    cache = tier.compiled.cache
    other = run_counts.ModuleCounts(cache)  # a process that read the entry meanwhile
    run_counts.counts_of(cache).write()
    other.earned[0] = other.earned.get(0, 0.0) + 0.5
    other.write()
    assert run_counts.ModuleCounts(cache).earned == {0: pytest.approx(0.25 + 1 / 3 + 0.5,
                                                                         abs=1e-4)}


def test_a_forged_or_corrupt_counts_entry_is_ignored(tmp_path: Path, warm: None) -> None:
    tier = run(tmp_path, twice=1)
    cache = tier.compiled.cache
    run_counts.counts_of(cache).write()
    entry = Path(cache.directory_name, "counts.dat")
    data = bytearray(entry.read_bytes())
    data[-1] ^= 1
    entry.write_bytes(bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", wasmem.CacheWarning)  # (warned once a process)
        fresh = run_counts.ModuleCounts(cache)
    assert fresh.earned == {} and fresh.run_seconds == 0.0
    # authentic but not counts: ignored too
    assert cache.write_entry("counts", marshal.dumps({"not": "counts"}))
    assert run_counts.ModuleCounts(cache).earned == {}
    assert cache.write_entry("counts", marshal.dumps((1, 1.0, {0: "x", -1: 2.0, 3: 0.5})))
    assert run_counts.ModuleCounts(cache).earned == {3: 0.5}


def test_without_a_cache_nothing_is_counted(warm: None) -> None:
    instance = wasmem.Instance(wasmem.Module(TEXT, cache_dir=False))
    assert instance.exports["twice"](2) == 4
    tier = instance._instance.tier
    assert tier.counts is None and not tier.meters


def test_a_removed_cache_directory_is_not_recreated_by_the_counts(
        tmp_path: Path, warm: None) -> None:
    tier = run(tmp_path / "cache", twice=1)
    cache = tier.compiled.cache
    for root, folders, files in os.walk(tmp_path / "cache", topdown=False):
        for name in files:
            os.unlink(os.path.join(root, name))
        for name in folders:
            os.rmdir(os.path.join(root, name))
    run_counts.counts_of(cache).write()
    assert not os.path.exists(cache.directory_name)


def test_with_the_default_shares_a_function_called_once_a_run_waits_for_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RUN_SHARE and CACHED_CALLS as shipped: the runs before the one that translates it
    paid for it, and the runs before that did not."""
    monkeypatch.setattr(tiering, "CALL_BUDGET", 100)
    monkeypatch.setattr(tiering, "FIRST_CALL_SHARE", 1e9)
    per_run = tiering.RUN_SHARE + 1 / tiering.CACHED_CALLS  # (a text module: cheap)
    first = 1
    while (first - 1) * per_run + tiering.RUN_SHARE < 1:
        first += 1
    tiers = [run(tmp_path, twice=1) for _ in range(first + 1)]
    assert [0 in tier.promoted for tier in tiers] == [False] * (first - 1) + [True, True]
    assert 0 in tiers[-2].promoted and 0 not in tiers[-2].interpreted
