"""The tiered mode (wasmem/exec/tiering.py, exec/osr.py): functions start interpreted,
hot ones are translated, hot loops continue in compiled code; nothing observable changes.

The suite runs the tiered mode with tiny budgets everywhere (tests/conftest.py); the tests
here set the budgets they need themselves.
"""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec import tiering
from wasmem.exec.tiering import TieredTier

LOOPS = """(module $m
  (memory 1)
  (func $main (export "main") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (local.set $s (i32.const 7))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.and (local.get $i) (i32.const 1))
          (then (local.set $s (i32.add (local.get $s) (i32.const 3))))
          (else
            (block $inner_done
              (loop $inner
                (br_if $inner_done (i32.eqz (i32.and (local.get $s) (i32.const 7))))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (br $inner)))))
        (i32.store (i32.and (i32.mul (local.get $i) (i32.const 4)) (i32.const 0xfffc))
                   (local.get $s))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (i32.add (local.get $s) (i32.load (i32.const 8))))
  (func $div (export "div") (param $n i32) (param $d i32) (result i32) (local $i i32)
    (loop $again
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
    (i32.div_u (local.get $i) (local.get $d)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"""


@pytest.fixture
def budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10)


def test_the_default_tier_is_tiered() -> None:
    instance = wasmem.Instance(wasmem.Module(LOOPS))
    assert isinstance(instance._instance.tier, TieredTier)


def test_functions_start_interpreted_and_hot_ones_are_translated(budgets: None) -> None:
    instance = wasmem.Instance(wasmem.Module(LOOPS))
    tier = instance._instance.tier
    assert instance.exports["fib"](3) == 2  # five calls: within the budget
    assert tier.promoted == set() and 2 in tier.interpreted
    assert instance.exports["fib"](10) == 55
    assert 2 in tier.promoted
    assert instance._instance.functions[2].call.__code__.co_name == "F2"


def test_a_long_loop_continues_in_compiled_code(budgets: None) -> None:
    module = wasmem.Module(LOOPS)
    expected = [wasmem.Instance(module, tier="interpret").exports["main"](n)
                for n in (0, 1, 5, 300)]
    instance = wasmem.Instance(module)
    assert [instance.exports["main"](n) for n in (0, 1, 5, 300)] == expected
    tier = instance._instance.tier
    assert any(made is not None for made in tier.continuations.values())
    assert 0 not in tier.promoted  # four calls: the function itself stays interpreted


def test_a_trap_in_a_continuation_has_the_backtrace_of_the_other_tiers(budgets: None) -> None:
    module = wasmem.Module(LOOPS)
    frames = {}
    for tier in ("tiered", "compile", "interpret"):
        with pytest.raises(wasmem.Trap) as info:
            wasmem.Instance(module, tier=tier).exports["div"](100, 0)
        frames[tier] = [(f.function_name, f.line, f.column) for f in info.value.frames]
    assert frames["tiered"] == frames["compile"] == frames["interpret"]
    assert len(frames["tiered"]) == 1


def test_fuel_is_charged_alike(budgets: None) -> None:
    module = wasmem.Module(LOOPS)
    left = {}
    for tier in ("tiered", "compile", "interpret"):
        instance = wasmem.Instance(module, tier=tier, fuel=10_000)
        instance.exports["main"](40)
        instance.exports["fib"](8)
        left[tier] = instance._instance.fuel.remaining
        with pytest.raises(wasmem.FuelExhausted):
            instance.exports["main"](100_000)
    assert left["tiered"] == left["compile"] == left["interpret"]


def test_the_call_depth_limit_holds(budgets: None) -> None:
    """(The compiling tier inlines some calls, which take no frame: docs/observe.md.)"""
    module = wasmem.Module("""(module (func $r (export "r") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))""")
    for tier in ("tiered", "compile", "interpret"):
        instance = wasmem.Instance(module, tier=tier)
        assert instance.exports["r"](5000) == 5000
        with pytest.raises(wasmem.Exhaustion):
            instance.exports["r"](40_000)
        assert instance.exports["r"](3) == 3  # the thread is ready for the next call


def test_watching_a_tiered_instance_sees_every_write(budgets: None) -> None:
    instance = wasmem.Instance(wasmem.Module(LOOPS))
    instance.exports["main"](300)  # the loop went compiled
    seen: list[int] = []
    with instance.watch(0, 64, callback=lambda event: seen.append(event.address)):
        instance.exports["main"](20)
    assert sorted(set(seen)) == list(range(0, 80, 4))[:16]
    assert instance.exports["main"](300) == wasmem.Instance(
        wasmem.Module(LOOPS), tier="interpret").exports["main"](300)


def test_hot_functions_come_from_the_disk_cache_in_a_new_process(
        tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(tiering, "CACHED_CALL_BUDGET", 1)
    first = wasmem.Instance(wasmem.Module(LOOPS, cache_dir=tmp_path))
    first.exports["fib"](10)
    assert 2 in first._instance.tier.promoted
    second = wasmem.Instance(wasmem.Module(LOOPS, cache_dir=tmp_path))
    assert second.exports["fib"](1) == 1  # the first call already runs compiled code
    tier = second._instance.tier
    assert 2 in tier.promoted and 2 not in tier.interpreted
    assert second.exports["main"](3) == first.exports["main"](3)
    assert 0 in tier.interpreted  # never hot: not in the cache


def test_with_a_cached_call_budget_of_one_a_function_is_translated_at_its_second_call(
        tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """And stored: the next process runs compiled all that this one called twice, and
    only what it called once starts on the interpreter."""
    monkeypatch.setattr(tiering, "CALL_BUDGET", 1000)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10**9)
    monkeypatch.setattr(tiering, "CACHED_CALL_BUDGET", 1)  # (the rule before this one)
    text = LOOPS.replace("(memory 1)", "(memory 3)")  # no translation of it at hand yet
    first = wasmem.Instance(wasmem.Module(text, cache_dir=tmp_path))
    assert first.exports["main"](3) == 32 and first.exports["fib"](1) == 1
    tier = first._instance.tier
    assert not tier.promoted and {0, 2} <= set(tier.interpreted)
    assert first.exports["main"](3) == 32  # its second call
    assert tier.promoted == {0}
    again = wasmem.Instance(wasmem.Module(text, cache_dir=tmp_path))
    assert again.exports["main"](3) == 32 and again.exports["fib"](1) == 1
    tier = again._instance.tier
    assert 0 in tier.promoted and 0 not in tier.interpreted  # compiled from its first call
    assert 2 in tier.interpreted and 2 not in tier.promoted  # called once in each run


def test_with_a_disk_cache_every_function_is_translated_at_its_first_call(
        tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """And stored: the next process runs compiled all that this one reached."""
    monkeypatch.setattr(tiering, "CALL_BUDGET", 1000)
    monkeypatch.setattr(tiering, "_budgets_set", False)
    text = LOOPS.replace("(memory 1)", "(memory 8)")  # no translation of it at hand yet
    first = wasmem.Instance(wasmem.Module(text, cache_dir=tmp_path))
    assert first.exports["fib"](1) == 1 and first.exports["main"](3) == 32
    tier = first._instance.tier
    assert tier.promoted == {0, 2} and not tier.interpreted
    again = wasmem.Instance(wasmem.Module(text, cache_dir=tmp_path))
    assert again.exports["fib"](1) == 1 and again.exports["main"](3) == 32
    assert again._instance.tier.promoted == {0, 2} and not again._instance.tier.interpreted
    assert again._instance.tier.compiled.codes.keys() == {(0, False), (2, False)}
    uncached = wasmem.Instance(wasmem.Module(text, cache_dir=""))
    assert uncached.exports["fib"](1) == 1
    assert 2 in uncached._instance.tier.interpreted  # without a cache: the budgets


def test_with_the_budgets_set_a_cache_keeps_the_second_call_rule(
        tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """WASMEM_TIER_BUDGETS set (as the test suite and differential fuzzing do): the
    budgets decide, with a cache too, so both tiers run."""
    monkeypatch.setattr(tiering, "CALL_BUDGET", 1000)
    monkeypatch.setattr(tiering, "_budgets_set", True)
    text = LOOPS.replace("(memory 1)", "(memory 9)")  # no translation of it at hand yet
    instance = wasmem.Instance(wasmem.Module(text, cache_dir=tmp_path))
    assert instance.exports["fib"](1) == 1
    tier = instance._instance.tier
    assert 2 in tier.interpreted and not tier.promoted
    assert instance.exports["fib"](1) == 1  # its second call
    assert tier.promoted == {2}


def test_with_a_disk_cache_a_loop_continues_compiled_after_a_hundred_iterations(
        tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A program's main function is called once per run: its loops are what to store."""
    monkeypatch.setattr(tiering, "CACHED_CALL_BUDGET", 1)
    monkeypatch.setattr(tiering, "CALL_BUDGET", 1000)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10**6)
    text = LOOPS.replace("(memory 1)", "(memory 6)")  # no translation of it at hand yet
    cached = wasmem.Instance(wasmem.Module(text, cache_dir=tmp_path))
    uncached = wasmem.Instance(wasmem.Module(text, cache_dir=""))
    assert cached.exports["main"](300) == uncached.exports["main"](300)  # one call each
    assert [key for key, made in cached._instance.tier.continuations.items() if made] == [(0, 0)]
    assert not any(uncached._instance.tier.continuations.values())
    few = wasmem.Instance(wasmem.Module(text.replace("(memory 6)", "(memory 7)"),
                                        cache_dir=tmp_path))
    assert few.exports["main"](10) == uncached.exports["main"](10)
    assert not any(few._instance.tier.continuations.values())  # under 100 iterations
    again = wasmem.Instance(wasmem.Module(text, cache_dir=tmp_path))
    assert again.exports["main"](5) == uncached.exports["main"](5)
    assert any(again._instance.tier.continuations.values())  # entered from the cache


def test_without_a_disk_cache_the_budgets_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    text = LOOPS.replace("(memory 1)", "(memory 4)")  # no translation of it at hand yet
    instance = wasmem.Instance(wasmem.Module(text, cache_dir=""))
    tier = instance._instance.tier
    for _ in range(3):
        assert instance.exports["main"](3) == 32
    assert not tier.promoted
    for _ in range(200):
        assert instance.exports["main"](3) == 32
    assert tier.promoted == {0}


def test_the_second_call_rule_of_the_cache_can_be_turned_off(
        tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(tiering, "CACHED_CALL_BUDGET", None)
    text = LOOPS.replace("(memory 1)", "(memory 5)")  # no translation of it at hand yet
    instance = wasmem.Instance(wasmem.Module(text, cache_dir=tmp_path))
    assert instance.exports["fib"](3) == 2  # five calls: within fib's budget
    assert not instance._instance.tier.promoted
    assert instance.exports["fib"](10) == 55
    assert instance._instance.tier.promoted == {2}


def test_unknown_tiers_are_refused() -> None:
    with pytest.raises(wasmem.InvocationError, match="tiered"):
        wasmem.Instance(wasmem.Module(LOOPS), tier="jit")


def test_a_loop_that_was_hot_continues_compiled_at_once_in_a_new_process(
        tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10)
    first = wasmem.Instance(wasmem.Module(LOOPS, cache_dir=tmp_path))
    expected = first.exports["main"](300)
    assert first.exports["div"](100, 1) == 100
    assert any(first._instance.tier.continuations.values())
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10**9)  # only the cache can make it switch
    monkeypatch.setattr(tiering, "CACHED_CALL_BUDGET", 1)
    second = wasmem.Instance(wasmem.Module(LOOPS, cache_dir=tmp_path))
    assert second.exports["main"](300) == expected
    assert any(second._instance.tier.continuations.values())
    frames = []
    for tier in ("tiered", "compile"):  # backtraces of cached continuations
        with pytest.raises(wasmem.Trap) as info:
            wasmem.Instance(wasmem.Module(LOOPS, cache_dir=tmp_path),
                            tier=tier).exports["div"](100, 0)
        frames.append([(f.function_name, f.line, f.column) for f in info.value.frames])
    assert frames[0] == frames[1] and frames[0][0][0] == "div"


TWO_LOOPS = """(module
  (func (export "f") (param $which i32) (param $n i32) (result i32) (local $i i32)
    (if (local.get $which)
      (then (loop $a
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $a (i32.lt_u (local.get $i) (local.get $n)))))
      (else (loop $b
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br_if $b (i32.lt_u (local.get $i) (local.get $n))))))
    (local.get $i)))"""


def test_another_translation_of_a_function_must_earn_its_cost_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A function with a continuation at one loop gets one at another loop only after
    that loop runs a budget of its own (so a function is not translated once per loop
    at the cost of one budget)."""
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10)
    monkeypatch.setattr(tiering, "CALL_BUDGET", 1000)
    instance = wasmem.Instance(wasmem.Module(TWO_LOOPS))
    tier = instance._instance.tier
    assert instance.exports["f"](1, 30) == 30  # loop $a: hot, continued compiled
    assert [key for key, made in tier.continuations.items() if made] == [(0, 0)]
    assert instance.exports["f"](0, 16) == 16  # 8 iterations of $b: within a new budget
    assert [key for key, made in tier.continuations.items() if made] == [(0, 0)]
    assert instance.exports["f"](0, 60) == 60  # its own budget runs out
    assert sorted(key for key, made in tier.continuations.items() if made) == [(0, 0), (0, 1)]
    assert instance.exports["f"](1, 7) == 7 and instance.exports["f"](0, 7) == 8


CALLER = """(module
  (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $big (param i32) (result i32) (local $i i32)
    %s
    (local.get 0))
  (func (export "small") (param i32) (result i32) (call $leaf (local.get 0)))
  (func (export "large") (param i32) (result i32) (call $big (call $leaf (local.get 0)))))"""
BIG_BODY = "(local.set $i (i32.add (local.get $i) (i32.const 1)))" * 400


@pytest.fixture
def before_the_interpreter(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A process that has not imported the interpreter yet, with all of its allowance."""
    monkeypatch.setattr(tiering, "_INTERPRETER", "wasmem.exec.not_imported")
    allowance = [tiering.INTERPRETER_COST]
    monkeypatch.setattr(tiering, "_allowance", allowance)
    monkeypatch.setattr(tiering, "CALL_BUDGET", 100)
    return allowance


def test_before_the_interpreter_small_functions_translate_on_their_first_call(
        before_the_interpreter: list[float]) -> None:
    module = wasmem.Module(wasmem.Module(CALLER % BIG_BODY).to_bytes())
    instance = wasmem.Instance(module)
    tier = instance._instance.tier
    assert instance.exports["small"](5) == 15
    assert 2 in tier.promoted and not tier.interpreted  # ($leaf is inlined into it)
    spent = sum(tiering.translation_estimate(instance._instance, i) or 0
                for i in tier.promoted)
    assert before_the_interpreter[0] == pytest.approx(tiering.INTERPRETER_COST - spent)
    # "large" leads to a function whose translation does not fit: the interpreter starts
    assert instance.exports["large"](5) == 15
    assert 3 in tier.interpreted and 1 in tier.interpreted
    assert before_the_interpreter[0] == 0.0
    assert wasmem.Instance(module).exports["small"](2) == 6  # the budgets decide again
    assert not wasmem.Instance(module)._instance.tier.promoted


def test_a_small_module_translates_at_first_calls_after_the_allowance(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "_allowance", [0.0])  # spent, or the interpreter imported
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.setattr(tiering, "CALL_BUDGET", 100)
    small = wasmem.Module(wasmem.Module(CALLER % "").to_bytes())
    for _ in range(2):  # every instance of it, as the process's first one would be
        instance = wasmem.Instance(small)
        tier = instance._instance.tier
        assert instance.exports["small"](5) == 15 and instance.exports["large"](1) == 3
        assert {2, 3} <= tier.promoted and not tier.interpreted  # ($leaf, $big inlined)
    big = wasmem.Module(wasmem.Module(CALLER % BIG_BODY).to_bytes())  # $big: ~10 ms
    instance = wasmem.Instance(big)
    assert instance.exports["small"](5) == 15
    assert 2 in instance._instance.tier.interpreted and not instance._instance.tier.promoted
    from_text = wasmem.Instance(wasmem.Module(CALLER % ""))  # sizes unknown
    assert from_text.exports["small"](5) == 15
    assert 2 in from_text._instance.tier.interpreted
    monkeypatch.setattr(tiering, "_budgets_set", True)  # WASMEM_TIER_BUDGETS: budgets decide
    from wasmem.load.cached import forget_validated
    forget_validated()  # (else the module of these bytes above, translated, is shared)
    instance = wasmem.Instance(wasmem.Module(wasmem.Module(CALLER % "").to_bytes()))
    assert instance.exports["small"](5) == 15 and 2 in instance._instance.tier.interpreted


def test_a_small_module_translates_at_first_calls_when_the_allowance_does_not_fit(
        before_the_interpreter: list[float], monkeypatch: pytest.MonkeyPatch) -> None:
    # some allowance is left, but less than the function's reach: the allowance ends
    # there, and a small module's function is translated at its first call all the same
    monkeypatch.setattr(tiering, "_budgets_set", False)
    small = wasmem.Module(wasmem.Module(CALLER % "").to_bytes())
    before_the_interpreter[0] = 1e-6
    instance = wasmem.Instance(small)
    tier = instance._instance.tier
    assert instance.exports["small"](5) == 15 and instance.exports["large"](1) == 3
    assert {2, 3} <= tier.promoted and not tier.interpreted
    assert before_the_interpreter[0] == 0.0


def test_the_first_call_rule_needs_a_binary_and_the_default_budgets(
        before_the_interpreter: list[float], monkeypatch: pytest.MonkeyPatch) -> None:
    instance = wasmem.Instance(wasmem.Module(CALLER % ""))  # from text: sizes unknown
    assert instance.exports["small"](1) == 3
    assert 2 in instance._instance.tier.interpreted and before_the_interpreter[0] == 0.0
    monkeypatch.setattr(tiering, "_allowance", [tiering.INTERPRETER_COST])
    monkeypatch.setattr(tiering, "LOOP_BUDGET", tiering.LOOP_BUDGET)  # restored after
    monkeypatch.setenv(tiering.BUDGETS_VARIABLE, "7,9")
    tiering._configured()
    assert tiering._allowance[0] == 0.0 and tiering.CALL_BUDGET == 7


def test_a_loop_hot_over_many_calls_translates_the_whole_function(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 1000)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 20)
    module = wasmem.Module(LOOPS)
    instance = wasmem.Instance(module)
    tier = instance._instance.tier
    # two iterations a call: the loop budget runs out during the tenth call
    assert [instance.exports["div"](2, 1) for _ in range(12)] == [2] * 12
    assert 1 in tier.promoted and tier.continuations_of(1) == 0
    # one call running the loop long: that activation moves on to a continuation
    other = wasmem.Instance(wasmem.Module(LOOPS))  # (a module whose code is not made yet)
    assert other.exports["div"](500, 7) == 71
    assert 1 not in other._instance.tier.promoted and other._instance.tier.continuations_of(1)
