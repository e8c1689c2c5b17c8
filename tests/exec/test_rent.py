"""The rent rule of the tiered mode (wasmem/exec/rent.py, exec/tiering.py): a function
of branches whose call budget grew with its size has a few calls timed, and is translated
once its interpreted calls have cost its estimated translation, whatever their count;
timing them changes no result and no backtrace. The clock is the test's (no timing).
"""

from __future__ import annotations

import pytest

import wasmem
from wasmem.load.cached import forget_validated
from wasmem.exec import rent, spending, tiering

ARM = "(local.set $s (i32.xor (i32.mul (local.get $s) (i32.const 31)) (local.get $x)))" * 60
TEXT = f"""(module
  (func $pick (export "pick") (param $x i32) (result i32) (local $s i32)
    (if (i32.eq (local.get $x) (i32.const 13)) (then unreachable))
    (if (i32.and (local.get $x) (i32.const 1))
      (then {ARM})
      (else {ARM}))
    (local.get $s))
  (func (export "calls") (param $n i32) (result i32) (local $s i32)
    (block $done (loop $again
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (call $pick (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $again)))
    (local.get $s)))"""


def pick(x: int) -> int:
    """What ``$pick`` returns (one of its two arms runs)."""
    s = 0
    for _ in range(60):
        s = ((s * 31) ^ x) & 0xFFFFFFFF
    return s - (1 << 32) if s >= 1 << 31 else s


class Ticking:
    """A process-time clock that moves by ``step`` at each reading: a timed call (two
    readings) takes ``step``."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 100.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default rules (the suite sets ``WASMEM_TIER_BUDGETS``), no first-call
    translations, translations always affordable, estimates taken as they are."""
    monkeypatch.setattr(spending, "translator_imported", lambda: True)
    monkeypatch.setattr(spending, "_process_began", [])
    monkeypatch.setattr(spending, "TRANSLATION_BASE", 1e9)
    monkeypatch.setattr(spending, "_measured", [0.0, 0.0])
    monkeypatch.setattr(spending, "CALIBRATION_MIN", 1e9)  # (rent_speed() stays 1)
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.setattr(tiering, "_allowance", [0.0])
    monkeypatch.setattr(tiering, "INTERPRETER_COST", 0.0)
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10 ** 6)


def _instance() -> wasmem.Instance:
    data = wasmem.Module(TEXT, cache_dir="").to_bytes()  # (from a binary: sizes known)
    forget_validated()  # a new module each time (not the last one of these bytes)
    return wasmem.Instance(wasmem.Module(data, cache_dir=""))


def _estimate(instance: wasmem.Instance) -> float:
    cost = tiering.translation_estimate(instance._instance, 0)
    assert cost is not None
    return cost


def _calls_until_promoted(instance: wasmem.Instance, limit: int) -> int | None:
    tier = instance._instance.tier
    for call in range(1, limit + 1):
        assert instance.exports["pick"](2 * call) == pick(2 * call)
        if 0 in tier.promoted:
            return call
    return None


def test_costly_calls_are_translated_at_the_break_even_in_time(
        rules: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rent, "RENT_BUYS_EARLY", True)
    instance = _instance()
    # each call costs a fortieth of the translation: ~40 calls pay for it, far fewer
    # than the size-grown call budget
    monkeypatch.setattr(rent.time, "process_time", Ticking(_estimate(instance) / 40))
    made = _calls_until_promoted(instance, 200)
    assert made is not None and 30 <= made <= 60
    assert instance._instance.tier.interpreted[0] is not None  # (it started interpreted)


def test_cheap_calls_wait_past_their_size_grown_budget(
        rules: None, monkeypatch: pytest.MonkeyPatch) -> None:
    instance = _instance()
    monkeypatch.setattr(rent.time, "process_time", Ticking(_estimate(instance) / 5000))
    assert _calls_until_promoted(instance, 1000) is None  # (the count alone: ~200)
    assert 4000 <= (_calls_until_promoted(instance, 5000) or 0) + 1000 <= 6000


def test_timing_calls_changes_no_result_nor_backtrace(
        rules: None, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = {}
    for samples in (16, 0):
        monkeypatch.setattr(rent, "RENT_SAMPLES", samples)
        instance = _instance()
        function = instance._instance.functions[0]
        assert instance.exports["calls"](8) == sum(pick(n) for n in range(1, 9)) % 2**32
        timing = function.call is not instance._instance.tier.interpreted[0]
        assert timing == bool(samples)  # its calls are timed (after the probe)
        with pytest.raises(wasmem.Trap) as info:
            instance.exports["calls"](20)  # the call with 13 traps, timed
        frames[samples] = [(f.function_name, f.line, f.column) for f in info.value.frames]
        for n in range(30):  # through the samples: the entry is put back
            assert instance.exports["pick"](2 * n) == pick(2 * n)
        assert function.call.__name__ != "timed"  # (interpreted or translated now)
    assert frames[16] == frames[0] and len(frames[0]) == 2


def test_activations_inside_a_timed_call_are_counted_not_timed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rent.time, "process_time", Ticking(1.0))  # a timed call: 1 s

    class Function:
        call: object = None

    function = Function()

    def entry(depth: int) -> int:  # calls itself through its binding, as interpreted
        return function.call(depth - 1) + 1 if depth else 0  # type: ignore[operator]

    def direct(depth: int, call_depth: int) -> int:  # (a compiled caller's binding)
        return entry(depth)

    function.call = entry
    current: dict[int, object] = {0: entry}
    namespace: dict[str, object] = {"F0": direct}
    means: list[float] = []
    rent.time_calls(function, current, namespace, 0, 8, means.append)
    assert function.call(3) == 3  # 4 activations, one timed
    assert namespace["F0"](3, 0) == 3  # (through the other binding) 8: done
    assert means == [2.0 / 8]
    assert function.call is entry and current[0] is entry and namespace["F0"] is direct
    rent.time_calls(function, {0: direct}, namespace, 0, 8, means.append)  # observed:
    assert function.call is entry and namespace["F0"] is direct  # nothing is timed


def test_a_rent_that_only_holds_waits_for_the_size_grown_budget(
        rules: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rent, "RENT_EARLY_SHARE", 0.0)  # (the count alone holds)
    made = {}
    for early in (True, False):
        monkeypatch.setattr(rent, "RENT_BUYS_EARLY", early)
        instance = _instance()  # each call costs a tenth of the translation
        monkeypatch.setattr(rent.time, "process_time", Ticking(_estimate(instance) / 10))
        made[early] = _calls_until_promoted(instance, 1000)
    # paid for once its calls are timed; else at its size-grown count (5 x size / 30)
    assert made[True] is not None and made[True] <= tiering.CALL_BUDGET + 20
    assert made[False] is not None and made[False] > made[True] + 10


def test_calls_to_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spending, "_measured", [0.0, 0.0])  # (rent_speed() is 1)
    monkeypatch.setattr(rent, "RENT_BUYS_EARLY", False)
    monkeypatch.setattr(rent, "RENT_EARLY_SHARE", 2.0)
    # 100 calls of 1 s against a translation of 1,000 s: break-even in 901 more calls,
    # twice it in 1,901
    assert rent.calls_to_wait(100, 1.0, 1000.0, 5000) == 1901  # (the count cut)
    assert rent.calls_to_wait(100, 1.0, 1000.0, 1500) == 1500  # (the count first)
    assert rent.calls_to_wait(100, 1.0, 1000.0, 500) == 901  # (the break-even, at least)
    assert rent.calls_to_wait(3000, 1.0, 1000.0, 5000) == 0  # paid twice over: now
    monkeypatch.setattr(rent, "RENT_EARLY_SHARE", 0.0)  # off: the count decides
    assert rent.calls_to_wait(100, 1.0, 1000.0, 5000) == 5000
    assert rent.calls_to_wait(3000, 1.0, 1000.0, 5000) == 5000
    monkeypatch.setattr(rent, "RENT_BUYS_EARLY", True)  # the break-even alone
    assert rent.calls_to_wait(100, 1.0, 1000.0, 5000) == 901
    assert rent.calls_to_wait(100, 1.0, 1000.0, 500) == 901


@pytest.mark.parametrize("share", [0.0, 2.0])
def test_costly_calls_are_bought_at_twice_their_break_even_before_their_count(
        rules: None, monkeypatch: pytest.MonkeyPatch, share: float) -> None:
    monkeypatch.setattr(rent, "RENT_EARLY_SHARE", share)
    instance = _instance()  # each call costs a fifteenth of the translation: its
    # break-even at call ~15 (its calls timed from call 6 to 21), twice it at ~30, its
    # size-grown count ~40
    monkeypatch.setattr(rent.time, "process_time", Ticking(_estimate(instance) / 15))
    made = _calls_until_promoted(instance, 1000)
    assert made is not None
    if share:
        assert 28 <= made <= 34
    else:
        assert made >= 40  # (the count)


LOOPING = f"""(module
  (func $work (export "work") (param $n i32) (result i32) (local $s i32) (local $t i32)
    (if (i32.and (local.get $n) (i32.const 1))
      (then {ARM.replace("$s", "$t").replace("$x", "$n")})
      (else {ARM.replace("$s", "$t").replace("$x", "$n")}))
    (block $done (loop $again
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $again)))
    (local.get $s)))"""


def _looping() -> wasmem.Instance:
    data = wasmem.Module(LOOPING, cache_dir="").to_bytes()
    return wasmem.Instance(wasmem.Module(data, cache_dir=""))


def test_iterations_to_break_even(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spending, "_measured", [0.0, 0.0])  # (rent_speed() is 1)
    # 10 calls of 1 s paid 10 of 100: 400 iterations at 4 a call, 40 run
    assert rent.iterations_to_break_even(10, 1.0, 4.0, 100.0, 40) == 361
    assert rent.iterations_to_break_even(10, 1.0, 4.0, 100.0, 400) == 1  # (not past)
    assert rent.iterations_to_break_even(10, 1.0, 4.0, 100.0, 401) == 0
    assert rent.iterations_to_break_even(101, 1.0, 4.0, 100.0, 0) == 0  # calls paid
    assert rent.iterations_to_break_even(10, 1.0, 0.0, 100.0, 0) == 1  # (no loops ran)
    assert rent.iterations_to_break_even(1, 1e-9, 4.0, 1e9, 0) == rent.RENT_CALLS_MAX


@pytest.mark.parametrize("holds", [True, False])
def test_loops_wait_for_the_break_even_of_timed_calls(
        rules: None, monkeypatch: pytest.MonkeyPatch, holds: bool) -> None:
    monkeypatch.setattr(rent, "RENT_HOLDS_LOOPS", holds)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 400)  # (grown with its size: ~1,000+)
    instance = _looping()
    tier = instance._instance.tier
    cost = tiering.translation_estimate(instance._instance, 0)
    assert cost is not None
    # each call (20 iterations) costs a 500th of the translation: 500 calls pay for it
    monkeypatch.setattr(rent.time, "process_time", Ticking(cost / 500))
    for _ in range(200):
        assert instance.exports["work"](20) == 210
    # its loop budget ran out after some 50-100 calls: that translated it (a
    # continuation, or the whole function), unless it waits for its calls' break-even
    assert (tier.translations(0) > 0) is not holds
    # one activation looping far longer than the timed calls did: its iterations reach
    # those of the break-even's calls (500 x 20), and the function is translated
    total = 30000 * 30001 // 2 % 2**32
    assert instance.exports["work"](30000) == total - (total >= 2**31) * 2**32
    assert tier.translations(0) > 0


class Stepped:
    """A process-time clock moved by the code it times (``advance``), not by readings."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Function:
    """A function's binding, as a function instance holds it."""

    call: object = None


def _bound(index: int, body: object, current: dict[int, object],
           namespace: dict[str, object]) -> Function:
    function = Function()
    function.call = current[index] = body
    namespace[f"F{index}"] = lambda *args: body(*args)  # type: ignore[operator]
    return function


@pytest.mark.parametrize("exclusive", [False, True])
def test_exclusive_timing_leaves_out_the_callees_time(
        monkeypatch: pytest.MonkeyPatch, exclusive: bool) -> None:
    monkeypatch.setattr(rent, "RENT_EXCLUSIVE", exclusive)
    clock = Stepped()
    monkeypatch.setattr(rent.time, "process_time", clock)
    current: dict[int, object] = {}
    namespace: dict[str, object] = {}

    def leaf() -> int:  # 5 s a call
        clock.advance(5.0)
        return 1

    def outer(back: bool) -> int:  # 1 s of its own, then the callee, then 1 s more
        clock.advance(1.0)
        result = g.call(back)  # type: ignore[operator]
        clock.advance(1.0)
        return result  # type: ignore[no-any-return]

    def middle(back: bool) -> int:  # 3 s of its own, and calls the timed one back once
        clock.advance(3.0)
        return f.call(False) + 1 if back else leaf()  # type: ignore[operator]

    f = _bound(0, outer, current, namespace)
    g = _bound(1, middle, current, namespace)
    means: list[float] = []
    rent.time_calls(f, current, namespace, 0, 4, means.append, callees=[(1, g)])
    assert f.call(False) == 1 and f.call(True) == 2  # 3 activations (one nested)
    assert namespace["F0"](False) == 1  # 4: done
    if exclusive:  # own time only: 2 s an activation, the nested one's included
        assert means == [2.0]
    else:  # inclusive: 10 s, 13 s (with the nested 10), 10 s over 4 activations
        assert means == [(10.0 + 15.0 + 10.0) / 4]
    assert f.call is outer and current[0] is outer and g.call is middle
    assert current[1] is middle and namespace["F1"] is not None
    assert namespace["F1"].__name__ == "<lambda>"  # type: ignore[attr-defined]


def test_exclusive_timing_ends_when_the_callees_are_mostly_called_elsewhere(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rent, "RENT_EXCLUSIVE", True)
    monkeypatch.setattr(rent, "STRAY_CALLS", 10)
    clock = Stepped()
    monkeypatch.setattr(rent.time, "process_time", clock)
    current: dict[int, object] = {}
    namespace: dict[str, object] = {}

    def leaf() -> int:
        clock.advance(1.0)
        return 1

    def outer() -> int:
        clock.advance(2.0)
        return g.call()  # type: ignore[operator,no-any-return]

    f = _bound(0, outer, current, namespace)
    g = _bound(1, leaf, current, namespace)
    means: list[float] = []
    rent.time_calls(f, current, namespace, 0, 16, means.append, callees=[(1, g)])
    assert f.call() == 1  # one timed call: 2 s of its own
    for _ in range(11):
        assert g.call() == 1  # type: ignore[operator]
    assert means == [2.0]  # reported with what was timed, and unbound
    assert f.call is outer and g.call is leaf and current == {0: outer, 1: leaf}


CALLER = f"""(module
  (func $mix (param $x i32) (result i32)
    (if (i32.eq (local.get $x) (i32.const 13)) (then unreachable))
    (i32.mul (local.get $x) (i32.const 3)))
  (func $pick (export "pick") (param $x i32) (result i32) (local $s i32)
    (local.set $x (call $mix (local.get $x)))
    (if (i32.and (local.get $x) (i32.const 1))
      (then {ARM})
      (else {ARM}))
    (local.get $s)))"""


def test_direct_callees_are_those_called_by_index(rules: None) -> None:
    data = wasmem.Module(CALLER, cache_dir="").to_bytes()
    forget_validated()
    instance = wasmem.Instance(wasmem.Module(data, cache_dir=""))._instance
    assert rent.direct_callees(instance.functions[1], 1) == [(0, instance.functions[0])]
    assert rent.direct_callees(instance.functions[0], 0) == []
    assert rent.direct_callees(Function(), 0) == []  # (no instance's function)


def test_exclusive_timing_changes_no_result_nor_backtrace(
        rules: None, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = {}
    for exclusive in (True, False):
        monkeypatch.setattr(rent, "RENT_EXCLUSIVE", exclusive)
        data = wasmem.Module(CALLER, cache_dir="").to_bytes()
        forget_validated()
        instance = wasmem.Instance(wasmem.Module(data, cache_dir=""))
        functions = instance._instance.functions
        for n in range(1, 8):  # the probe (5 calls), then timed
            assert instance.exports["pick"](n) == pick(3 * n)
        assert functions[1].call.__name__ == "timed"
        with pytest.raises(wasmem.Trap) as info:
            instance.exports["pick"](13)  # traps in $mix, called by the timed one
        frames[exclusive] = [(f.function_name, f.line, f.column) for f in info.value.frames]
        for n in range(14, 44):  # through the samples: the bindings are put back
            assert instance.exports["pick"](n) == pick(3 * n)
        assert functions[1].call.__name__ != "timed"
        assert functions[0].call.__name__ != "callee"  # (put back)
    assert frames[True] == frames[False] and len(frames[True]) == 2
