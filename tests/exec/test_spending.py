"""What an instance spends translating against the time it has run (wasmem/exec/spending.py):
the ledger's rule, and a tiered instance whose budgets run out while translations would
take too much of its run (the function keeps running interpreted, with the same results).
"""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec import spending, tiering

TEXT = """(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $count (export "count") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $s)))"""


class Clock:
    """A process-time clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_base_is_spent_before_the_share_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(spending.time, "process_time", clock)
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 0.05)
    monkeypatch.setattr(spending, "TRANSLATION_SHARE", 0.25)
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])  # (left as it was after the test)
    monkeypatch.setattr(spending, "_calibration", [0.0, 0.0])  # (estimates as they are)
    ledger = spending.Ledger()
    assert ledger.affordable(0.05) and not ledger.affordable(0.06)
    ledger.charge(0.04)
    assert ledger.affordable(0.01) and not ledger.affordable(0.02)
    assert ledger.affordable(None)  # an unknown cost counts as none
    clock.now += 1.0  # a second of run: a quarter of it more may be spent
    assert ledger.affordable(0.26) and not ledger.affordable(0.27)
    ledger.charge(0.3)
    assert not ledger.affordable(None)


def test_a_paid_translation_skips_the_shares_while_cheap_against_the_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(spending.time, "process_time", clock)
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 0.05)
    monkeypatch.setattr(spending, "TRANSLATION_SHARE", 0.2)
    monkeypatch.setattr(spending, "PAID_SHARE", 0.1)
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])
    monkeypatch.setattr(spending, "_measured", [0.0, 0.0])
    monkeypatch.setattr(spending, "_charged", [True])
    ledger = spending.Ledger()
    ledger.charge(0.2)  # (one big translation used up the base and the share)
    clock.now += 0.5
    assert not ledger.affordable(0.01) and not ledger.affordable(0.06, paid=False)
    assert ledger.affordable(0.05, paid=True)  # paid for, a tenth of the run at most
    assert not ledger.affordable(0.06, paid=True)  # too big for it: the shares decide
    assert not ledger.affordable(None, paid=True)  # (its cost unknown: as unpaid)
    ledger.charge(0.01, estimate=0.01)  # translations measured at twice their estimates
    assert spending.rent_speed() == 1.0  # (fewer than CALIBRATION_MIN estimated)
    monkeypatch.setattr(spending, "CALIBRATION_MIN", 0.001)
    ledger.charge(0.01, estimate=0.0)  # (not measured: no estimate)
    assert ledger.affordable(0.05, paid=True)
    monkeypatch.setattr(spending, "_measured", [0.01, 0.02])
    assert spending.rent_speed() == 2.0  # the cost is taken at the measured speed
    assert ledger.affordable(0.025, paid=True) and not ledger.affordable(0.03, paid=True)
    monkeypatch.setattr(spending, "translator_imported", lambda: False)  # (the first
    monkeypatch.setattr(spending, "_process_began", [clock.now - 0.001])  # window holds)
    assert not ledger.affordable(0.001, paid=True)


def test_a_paid_translation_is_left_out_of_the_share_when_uncharged(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(spending.time, "process_time", clock)
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 0.05)
    monkeypatch.setattr(spending, "TRANSLATION_SHARE", 0.2)
    monkeypatch.setattr(spending, "PAID_SHARE", 0.5)
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])
    monkeypatch.setattr(spending, "_measured", [0.0, 0.0])
    monkeypatch.setattr(spending, "_charged", [True])
    for uncharged in (False, True):
        monkeypatch.setattr(spending, "PAID_UNCHARGED", uncharged)
        ledger = spending.Ledger()
        clock.now += 0.5  # (the shares allow 0.15 s)
        assert ledger.affordable(0.12, paid=True)  # paid for: made whatever the shares
        ledger.charge(0.12, estimate=0.12)
        assert ledger.spent == (0.0 if uncharged else 0.12)
        assert ledger.affordable(0.1) is uncharged  # a count-driven one after it
        ledger.charge(0.01)  # (an unpaid one is charged either way)
        assert ledger.spent == pytest.approx(0.01 if uncharged else 0.13)
        assert not ledger.affordable(0.15, paid=False)


def test_a_big_translation_of_branches_waits_for_its_share(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(spending.time, "process_time", clock)
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])  # (left as it was after the test)
    monkeypatch.setattr(spending, "_calibration", [0.0, 0.0])  # (estimates as they are)
    ledger = spending.Ledger()
    big = spending.BIG_TRANSLATION * 2
    assert ledger.affordable(big)  # within the base: a budget that ran out translates
    assert not ledger.affordable(big, branches=True)  # a function of branches waits
    assert ledger.affordable(spending.BIG_TRANSLATION / 2, branches=True)  # (small)
    clock.now += 1.01 * big / spending.BIG_SHARE  # the run has lasted long enough
    assert ledger.affordable(big, branches=True)
    ledger.charge(spending.TRANSLATION_BASE + spending.TRANSLATION_SHARE * clock.now)
    assert not ledger.affordable(big, branches=True)  # (and the base still holds)


def test_no_budget_translates_before_the_translator_import_fits_the_process_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(spending.time, "process_time", clock)
    monkeypatch.setattr(spending, "translator_imported", lambda: False)
    monkeypatch.setattr(spending, "_process_began", [])  # (a fresh process)
    ledger = spending.Ledger()
    window = spending.TRANSLATOR_COST / spending.FIRST_SHARE
    assert not ledger.affordable(0.0001) and not ledger.affordable(None)
    clock.now += 0.99 * window
    assert not ledger.affordable(0.0001)
    clock.now += 0.02 * window  # the same window for every translation, small or big
    assert ledger.affordable(0.0001) and ledger.affordable(0.05)
    # the window is the process's: an instance made later is not held by it
    assert spending.Ledger().affordable(0.0001)
    # once the translator is imported, the window is over whatever the time
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])  # (a process starting now)
    assert spending.Ledger().affordable(0.0001)


def test_estimates_are_scaled_by_the_speed_measured_on_big_translations(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(spending.time, "process_time", clock)
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])
    monkeypatch.setattr(spending, "_calibration", [0.0, 0.0])
    monkeypatch.setattr(spending, "_charged", [True])  # (not the process's first)
    ledger = spending.Ledger()
    big = spending.BIG_TRANSLATION * 2
    clock.now += 1.01 * big / spending.BIG_SHARE
    assert spending.speed() == 1.0 and ledger.affordable(big, branches=True)
    ledger.charge(0.01, spending.CALIBRATION_FROM / 2)  # small ones are not measured
    ledger.charge(0.5)  # nor those without an estimate (continuations)
    assert spending.speed() == 1.0
    ledger.charge(2 * spending.CALIBRATION_MIN, spending.CALIBRATION_MIN)  # took 2x
    assert spending.speed() == pytest.approx(2.0)
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 10.0)  # (only the big hold now)
    assert not ledger.affordable(big, branches=True)  # it is taken to cost 2x as much
    clock.now += 1.01 * big / spending.BIG_SHARE  # twice as long a run: it fits
    assert ledger.affordable(big, branches=True)
    # the share rule takes estimates as they are (only the big hold is scaled)
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 0.01)
    fresh = spending.Ledger()  # (nothing spent, no time run: the base alone)
    assert fresh.affordable(0.0099) and not fresh.affordable(0.0101)
    ledger.charge(1.0, spending.CALIBRATION_MIN)  # far slower: held to SPEED_MAX
    assert spending.speed() == spending.SPEED_MAX
    ledger.charge(0.0, 10.0)  # faster than the estimates: taken as they are, never less
    assert spending.speed() == 1.0


@pytest.mark.parametrize("first", [False, True])
def test_the_process_first_translation_is_not_measured(
        monkeypatch: pytest.MonkeyPatch, first: bool) -> None:
    monkeypatch.setattr(spending, "MEASURE_FIRST", first)
    monkeypatch.setattr(spending, "_measured", [0.0, 0.0])
    monkeypatch.setattr(spending, "_calibration", [0.0, 0.0])
    monkeypatch.setattr(spending, "_charged", [])  # (a fresh process)
    monkeypatch.setattr(spending, "CALIBRATION_MIN", 0.001)
    ledger = spending.Ledger()
    ledger.charge(0.030, 0.002)  # the first: 15x its estimate (what the process does once)
    assert spending.rent_speed() == (spending.SPEED_MAX if first else 1.0)
    ledger.charge(0.004, 0.002)  # the next ones are measured
    assert spending.rent_speed() == (spending.SPEED_MAX if first else pytest.approx(2.0))
    assert spending._calibration == ([0.002 * 2, 0.034] if first else [0.002, 0.004])
    assert spending.Ledger().spent == 0.0 and ledger.spent == pytest.approx(0.034)


def test_promotions_measure_the_speed_of_translations_made_now(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spending, "_calibration", [0.0, 0.0])
    monkeypatch.setattr(spending, "_charged", [True])  # (not the process's first)
    monkeypatch.setattr(spending, "CALIBRATION_FROM", 0.0)  # (the test's are small)
    monkeypatch.setattr(tiering, "CALL_BUDGET", 2)
    monkeypatch.setattr(tiering, "CALIBRATED", True)  # (off by default)
    data = wasmem.Module(TEXT, cache_dir="").to_bytes()
    module = wasmem.Module(data, cache_dir="")
    instance = wasmem.Instance(module)
    assert instance.exports["fib"](10) == 55
    assert instance._instance.tier.promoted == {0}
    estimated = spending._calibration[0]
    assert estimated == tiering.translation_estimate(instance._instance, 0)
    again = wasmem.Instance(module)  # the translation at hand is not measured again
    assert again.exports["fib"](10) == 55 and again._instance.tier.promoted == {0}
    assert spending._calibration[0] == estimated
    monkeypatch.setattr(tiering, "CALIBRATED", False)
    assert wasmem.Instance(wasmem.Module(data, cache_dir="")).exports["fib"](10) == 55
    assert spending._calibration[0] == estimated


def test_the_translator_counts_as_imported_once_its_code_generator_is() -> None:
    import wasmem.exec.compiler.codegen  # noqa: F401  (as a first translation does)
    assert spending.translator_imported()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default rules (the suite sets ``WASMEM_TIER_BUDGETS``, which turns the ledger
    off) with small budgets, in a process that has translated before."""
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])  # (left as it was after the test)
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.setattr(tiering, "_allowance", [0.0])  # (no first-call translations,
    monkeypatch.setattr(tiering, "INTERPRETER_COST", 0.0)  # not even for a small module)
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10)


def _instance() -> wasmem.Instance:
    data = wasmem.Module(TEXT, cache_dir="").to_bytes()  # (from a binary: sizes known)
    return wasmem.Instance(wasmem.Module(data, cache_dir=""))


def test_a_translation_that_does_not_fit_waits(held: None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 0.0)
    monkeypatch.setattr(spending, "TRANSLATION_SHARE", 0.0)
    instance = _instance()
    tier = instance._instance.tier
    assert instance.exports["fib"](15) == 610  # its call budget ran out long ago
    assert instance.exports["count"](500) == sum(i * i for i in range(500)) % 2**32
    assert not tier.promoted and not tier.continuations and tier.ledger.spent == 0.0
    # the run has lasted: the next budget that runs out translates
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 10.0)
    assert instance.exports["fib"](10) == 55
    assert tier.promoted == {0} and tier.ledger.spent > 0.0
    assert instance.exports["count"](500) == sum(i * i for i in range(500)) % 2**32
    assert tier.continuations_of(1) == 1


def test_translations_are_charged_and_fit_in_the_base(held: None) -> None:
    instance = _instance()
    tier = instance._instance.tier
    assert instance.exports["fib"](12) == 144
    assert instance.exports["count"](100) == sum(i * i for i in range(100))
    assert tier.promoted == {0} and tier.continuations_of(1) == 1
    assert 0.0 < tier.ledger.spent <= spending.TRANSLATION_BASE


def test_with_the_budgets_set_nothing_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(spending, "TRANSLATION_BASE", -1.0)  # nothing would fit
    instance = _instance()  # (the suite sets WASMEM_TIER_BUDGETS)
    assert instance.exports["fib"](10) == 55
    assert instance._instance.tier.promoted == {0}


def test_a_fresh_process_runs_its_first_milliseconds_interpreted(
        held: None, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()  # (stands still: the process's window never ends)
    monkeypatch.setattr(spending.time, "process_time", clock)
    monkeypatch.setattr(spending, "translator_imported", lambda: False)
    monkeypatch.setattr(spending, "_process_began", [])
    instance = _instance()
    tier = instance._instance.tier
    assert instance.exports["fib"](15) == 610  # its call budget ran out long ago
    assert instance.exports["count"](500) == sum(i * i for i in range(500)) % 2**32
    assert not tier.promoted and not tier.continuations and tier.ledger.spent == 0.0
    clock.now += 1.01 * spending.TRANSLATOR_COST / spending.FIRST_SHARE
    assert instance.exports["fib"](10) == 55  # the window is over: budgets decide
    assert tier.promoted == {0}


def test_the_rent_speed_is_the_prior_until_translations_were_measured(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spending, "SPEED_PRIOR", 2.5)
    monkeypatch.setattr(spending, "_measured", [0.0, 0.0])
    monkeypatch.setattr(spending, "_calibration", [0.0, 0.0])
    assert spending.rent_speed() == 2.5  # nothing measured: the prior
    assert spending.speed() == 1.0  # (the calibrated hold's speed keeps its own)
    monkeypatch.setattr(spending, "_measured", [spending.CALIBRATION_MIN / 2, 1.0])
    assert spending.rent_speed() == 2.5  # (fewer than CALIBRATION_MIN estimated)
    monkeypatch.setattr(spending, "_measured", [0.01, 0.015])
    assert spending.rent_speed() == pytest.approx(1.5)  # measured: the prior is gone
