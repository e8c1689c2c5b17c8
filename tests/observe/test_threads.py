"""Traces and watchpoints set up and removed while other threads run calls on the same
instance: no crash, no torn state (every function gets its own code back at the end),
and an observer that stays set the whole time sees every access."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

import wasmem
from wasmem.observe.session import session_of

TIERS = ["compile", "interpret"]
SOURCE = """(module
  (memory (export "memory") 1)
  (func $put (param $slot i32) (param $value i32)
    (i32.store (i32.shl (local.get $slot) (i32.const 2)) (local.get $value)))
  (func (export "work") (param $slot i32) (param $value i32) (result i32)
    (call $put (local.get $slot) (local.get $value))
    (memory.fill (i32.const 1024) (local.get $value) (i32.const 8))
    (i32.load (i32.shl (local.get $slot) (i32.const 2)))))"""
WORKERS = 3
CALLS = 400


@contextmanager
def fast_switching() -> Iterator[None]:
    """Let threads take turns often, so that changes land in the middle of calls."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def run_workers(instance: wasmem.Instance, meanwhile: Callable[[threading.Event], None]
                ) -> list[BaseException]:
    """Run WORKERS threads of CALLS calls each (slot = worker), and ``meanwhile`` on this
    thread until they are done; return what went wrong in the workers."""
    work = instance.exports["work"]
    errors: list[BaseException] = []
    done = threading.Event()

    def worker(slot: int) -> None:
        try:
            for value in range(CALLS):
                result = work(slot, value)
                if result != value:
                    raise AssertionError(f"work({slot}, {value}) = {result}")
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(WORKERS)]
    with fast_switching():
        for thread in threads:
            thread.start()
        watcher = threading.Thread(target=lambda: [t.join() for t in threads] and None)
        watcher.start()
        while watcher.is_alive():
            meanwhile(done)
        watcher.join()
    return errors


def own_code(instance: wasmem.Instance) -> list[Any]:
    """What the functions are bound to, once nothing observes them (a compiled function
    for a stub that compiled it meanwhile)."""
    calls = [function.call for function in instance._instance.functions]
    assert not any(getattr(call, "observed", False) for call in calls)
    return [getattr(call, "__name__", "").removesuffix("_stub") for call in calls]


@pytest.mark.parametrize("tier", TIERS)
def test_observers_come_and_go_while_threads_call(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    before = own_code(instance)
    seen: list[Any] = []  # every event any of the short-lived observers got
    kept: list[wasmem.observe.WatchEvent] = []
    always = instance.watch(0, 4 * WORKERS, callback=kept.append)  # set the whole time

    def churn(done: threading.Event) -> None:
        with instance.watch(1024, 1032, callback=seen.append):
            pass
        probe = instance.watch(4, 8, kind="access", callback=seen.append)
        with instance.trace(calls=True, out=seen.append):
            probe.remove()
        probe.remove()  # twice: nothing

    errors = run_workers(instance, churn)
    always.remove()
    assert errors == []
    # the watchpoint that stayed saw each store of each worker, once, whole
    assert len(kept) == WORKERS * CALLS
    assert sorted((w.address, w.value) for w in kept) == sorted(
        (4 * slot, value) for slot in range(WORKERS) for value in range(CALLS))
    assert all(w.instruction == "i32.store" and w.function_name == "put" for w in kept)
    for event in seen:  # whatever the others saw is whole
        assert event.function_name in ("work", "put", None) or event.kind in ("call", "return")
    assert own_code(instance) == before  # everything has its own code back
    assert instance.exports["memory"]._memory.observers == ()
    assert not session_of(instance._instance).saved
    with instance.trace(calls=False) as trace:  # and observing still works
        instance.exports["work"](0, 5)
    assert [e.kind for e in trace.events] == ["store", "fill", "load"]


@pytest.mark.parametrize("tier", TIERS)
def test_threads_setting_up_observers_at_once(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    before = own_code(instance)
    errors: list[BaseException] = []
    counts = [0] * 4

    def observer(k: int) -> None:
        def count(event: object) -> None:
            counts[k] += 1
        try:
            for _ in range(60):
                with instance.watch(4 * k, 4 * k + 4, callback=count):
                    instance.exports["work"](k, 1)  # its own store: seen
                instance.exports["work"](k, 2)  # after removal: not seen
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=observer, args=(k,)) for k in range(4)]
    with fast_switching():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert counts == [60] * 4
    assert own_code(instance) == before
    assert instance.exports["memory"]._memory.observers == ()


def test_a_trace_is_entered_by_one_thread_only() -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE))
    entered: list[bool] = []
    barrier = threading.Barrier(4)

    def enter() -> None:
        barrier.wait()
        try:
            trace = instance.trace()
            trace.__enter__()
            entered.append(True)
        except wasmem.InvocationError:
            entered.append(False)

    threads = [threading.Thread(target=enter) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(entered) == [False, False, False, True]


def test_a_trace_limit_holds_across_threads() -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE))
    with instance.trace(calls=False, limit=100) as trace:
        errors = run_workers(instance, lambda done: done.wait(0.001))
    assert errors == []
    assert len(trace.events) == trace.count == 100
    assert trace.count + trace.dropped == 3 * WORKERS * CALLS  # store, fill, load per call
