"""Compiled code reaching the depth where Python's recursion limit must be raised
(``callstack.DEEP``) asks its thread once per outermost call, not at every crossing: a
recursion going back and forth around that depth (Hofstadter's sequences) runs without a
thread-local lookup per call, a thread running deep on a limit another thread raised
gets it handed over, and the limit is put back when the last thread leaves."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest

import wasmem
from wasmem.exec import callstack

HOFSTADTER = """(module
  (func $F (export "F") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (i32.sub (local.get 0)
        (call $M (call $F (i32.sub (local.get 0) (i32.const 1))))))))
  (func $M (export "M") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.sub (local.get 0)
        (call $F (call $M (i32.sub (local.get 0) (i32.const 1)))))))))"""


def _hofstadter(n: int) -> tuple[int, int]:
    f, m = [1], [0]
    for k in range(1, n + 1):
        m.append(k - f[m[k - 1]])
        f.append(k - m[f[k - 1]])
    return f[n], m[n]


@pytest.mark.parametrize("tier", ["compile", "tiered"])
def test_a_recursion_around_deep_asks_the_thread_once(tier: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    held_depth = callstack.held_depth

    def counting(value: int, weight: int = 1) -> int:
        asked.append(value)
        return held_depth(value, weight)

    monkeypatch.setattr(callstack, "held_depth", counting)
    instance = wasmem.Instance(wasmem.Module(HOFSTADTER), tier=tier)
    before = sys.getrecursionlimit()
    for n in (10, 25, 30):  # (the depth goes back and forth around DEEP thousands of times)
        assert (instance.exports["F"](n), instance.exports["M"](n)) == _hofstadter(n)
        assert sys.getrecursionlimit() == before
        assert (callstack.counters().depth, callstack.counters().holding) == (0, False)
    crossings = [value for value in asked if value < callstack.ENTRY_DEPTH]
    assert len(crossings) <= 6  # once per outermost call that goes deep


def test_a_thread_deep_on_another_threads_limit_keeps_it() -> None:
    """Thread Y reaches DEEP while thread X holds the raised limit, so Y does not take it
    itself; X leaves while Y is still inside: Y must get the limit handed over."""
    events = {name: threading.Event() for name in ("x_deep", "x_go", "y_inside", "y_go")}

    def x_host() -> None:
        events["x_deep"].set()
        events["x_go"].wait(30)

    def y_host() -> None:
        events["y_inside"].set()
        events["y_go"].wait(30)

    deep = wasmem.Instance(wasmem.Module("""(module (import "env" "h" (func $h))
      (func $f (export "f") (param i32)
        (if (i32.eqz (local.get 0)) (then (call $h))
          (else (call $f (i32.sub (local.get 0) (i32.const 1)))))))"""),
        {"env": {"h": x_host}}, tier="compile")
    # $r reaches depth 40 (past DEEP), waits in the host, then goes on to depth 4040
    late = wasmem.Instance(wasmem.Module("""(module (import "env" "h" (func $h))
      (func $r (export "r") (param i32) (result i32)
        (if (i32.eq (local.get 0) (i32.const 4000)) (then (call $h)))
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))"""),
        {"env": {"h": y_host}}, tier="compile")
    late.exports["r"](3)  # (translated before the threads start)
    outcome: dict[str, Any] = {}

    def run_y() -> None:
        try:
            outcome["y"] = late.exports["r"](4040)
        except BaseException as exc:  # recorded for the assertion
            outcome["y"] = exc

    before = sys.getrecursionlimit()
    x = threading.Thread(target=deep.exports["f"], args=(callstack.DEEP * 4,))
    x.start()
    assert events["x_deep"].wait(30)
    y = threading.Thread(target=run_y)
    y.start()
    assert events["y_inside"].wait(30)
    events["x_go"].set()
    x.join(30)
    assert sys.getrecursionlimit() >= callstack.PYTHON_FRAMES_NEEDED  # Y still runs deep
    events["y_go"].set()
    y.join(30)
    assert outcome["y"] == 4040
    assert sys.getrecursionlimit() == before  # put back when the last thread left
    assert not callstack.LIMIT.raised
