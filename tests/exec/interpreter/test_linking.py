"""Linking an interpreted function's closures as control first reaches them
(:mod:`wasmem.exec.interpreter.linking`): code never run is never linked, code run
later is linked then and behaves as if linked at once, in every run loop (the entries,
the general loop with fuel and try_table), under traps, backtraces and the debugger's
eager linking."""

from __future__ import annotations

from typing import Any

import pytest

import wasmem
from wasmem.errors import Trap
from wasmem.exec import interpreter
from wasmem.exec.interpreter.linking import unlinked

BRANCHY = """(module
  (memory 1)
  (func $cold (param $x i32) (result i32)
    (local $acc i32)
    (if (i32.lt_s (local.get $x) (i32.const 0))
      (then (return (i32.sub (i32.const 0) (local.get $x)))))
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $x)))
        (local.set $acc (i32.add (local.get $acc) (local.get $x)))
        (local.set $x (i32.sub (local.get $x) (i32.const 1)))
        (br $again)))
    (if (i32.gt_u (local.get $acc) (i32.const 1000))
      (then (i32.store (i32.const 0) (local.get $acc))
            (local.set $acc (i32.load (i32.const 0)))
            (if (i32.gt_u (local.get $acc) (i32.const 100000)) (then unreachable))))
    (local.get $acc))
  (func (export "f") (param i32) (result i32) (call $cold (local.get 0)))
  (func (export "many") (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (if (result i32) (local.get 8)
      (then (i32.add (local.get 0) (local.get 8)))
      (else (call $cold (local.get 1))))))"""


@pytest.fixture(autouse=True)
def _link_small_functions_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interpreter, "LAZY_LINKING", 1)


def test_small_functions_are_linked_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interpreter, "LAZY_LINKING", 10_000)
    instance = wasmem.Instance(wasmem.Module(BRANCHY), tier="interpret")
    assert instance.exports["f"](3) == 6
    assert _code(instance, 0).pending is None
    assert _unlinked(_code(instance, 0)) == 0


def _code(instance: wasmem.Instance, index: int) -> Any:
    return interpreter.InstanceCode.of(instance._instance).codes[index]


def _unlinked(code: Any) -> int:
    return sum(1 for op in code.ops[1:] if op is unlinked)


def _expected(x: int) -> int:
    if x < 0:
        return -x
    return x * (x + 1) // 2


def test_closures_never_reached_stay_unlinked_until_reached() -> None:
    instance = wasmem.Instance(wasmem.Module(BRANCHY), tier="interpret")
    f = instance.exports["f"]
    assert f(3) == 6
    code = _code(instance, 0)
    assert code.pending is not None
    before = _unlinked(code)
    assert before > 0  # the negative and the big-sum paths were never run
    assert f(-5) == 5
    assert f(100) == 5050
    assert _unlinked(code) < before
    with pytest.raises(Trap):
        f(1000)  # 500500 > 100000: the trap in the last linked run
    for x in (0, 1, 7, 44, 45, -1):
        assert f(x) == _expected(x)


def test_a_second_instance_links_its_own_closures() -> None:
    module = wasmem.Module(BRANCHY)
    first = wasmem.Instance(module, tier="interpret")
    second = wasmem.Instance(module, tier="interpret")
    assert first.exports["f"](100) == 5050
    assert second.exports["f"](2) == 3
    assert _unlinked(_code(second, 0)) > _unlinked(_code(first, 0))
    assert second.exports["f"](100) == 5050
    assert first.exports["f"](-3) == 3


def test_the_general_entry_and_fuel_link_lazily_too() -> None:
    instance = wasmem.Instance(wasmem.Module(BRANCHY), tier="interpret")
    many = instance.exports["many"]  # nine parameters: the general entry
    assert many(1, 2, 3, 4, 5, 6, 7, 8, 9) == 10
    assert many(1, 100, 0, 0, 0, 0, 0, 0, 0) == 5050
    fueled = wasmem.Instance(wasmem.Module(BRANCHY), tier="interpret", fuel=10**6)
    assert fueled.exports["f"](100) == 5050
    assert fueled.exports["f"](-4) == 4
    plain = wasmem.Instance(wasmem.Module(BRANCHY), tier="interpret", fuel=10**6)
    plain.exports["f"](-4)
    plain.exports["f"](100)
    assert plain.fuel_consumed == fueled.fuel_consumed  # the same instructions count


def test_a_backtrace_names_a_lazily_linked_instruction() -> None:
    instance = wasmem.Instance(wasmem.Module(BRANCHY), tier="interpret")
    assert instance.exports["f"](2) == 3
    with pytest.raises(Trap) as caught:
        instance.exports["f"](1000)
    assert "unreachable" in str(caught.value)


def test_the_placeholder_outside_a_run_loop_is_an_internal_error() -> None:
    with pytest.raises(RuntimeError, match="outside its run loop"):
        unlinked([])


def test_a_watchpoint_sees_a_store_on_a_path_run_late() -> None:
    instance = wasmem.Instance(wasmem.Module(BRANCHY), tier="interpret")
    assert instance.exports["f"](3) == 6  # linked lazily: the store is not linked yet
    events: list[Any] = []
    handle = instance.watch(0, 4, kind="write", callback=events.append)
    try:
        assert instance.exports["f"](3) == 6
        assert not events
        assert instance.exports["f"](100) == 5050  # (instrumented copies: eager)
    finally:
        handle.remove()
    assert len(events) == 1
    assert instance.exports["f"](100) == 5050
    assert len(events) == 1


def test_threads_linking_one_function_at_once_agree() -> None:
    """Threads reaching the same unlinked closures of one instance at once: each links
    or finds them linked, and every result is right."""
    import threading
    instance = wasmem.Instance(wasmem.Module(BRANCHY), tier="interpret")
    f = instance.exports["f"]
    assert f(1) == 1
    start = threading.Barrier(4)
    wrong: list[tuple[int, int]] = []

    def run(offset: int) -> None:
        start.wait()
        for x in range(-20 + offset, 200, 7):
            if x > 446:
                continue
            got = f(x)
            if got != _expected(x):
                wrong.append((x, got))
    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
    assert _unlinked(_code(instance, 0)) == 1  # only the trap's run (no x > 446 ran)
