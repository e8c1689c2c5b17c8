"""Call depth counted by wasmem per thread (issue 10, defects 2 and 3): deep recursion,
also through host functions and whatever the embedder's recursion limit, ends in
``Exhaustion``, never in a crash; threads do not interfere."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

import wasmem
from wasmem.exec import callstack

TIERS = ["compile", "interpret", "tiered"]

REENTRY = '''(module (import "env" "h" (func $h (param i32) (result i32)))
  (func (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (call $h (i32.sub (local.get 0) (i32.const 1)))))))'''

RECURSION = '''(module
  (func $f (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $f (i32.sub (local.get 0) (i32.const 1))))))))'''


def _reentrant(tier: str) -> wasmem.Instance:
    box: dict[str, wasmem.Instance] = {}
    imports = {"env": {"h": lambda n: box["i"].exports["f"](n)}}
    box["i"] = wasmem.Instance(wasmem.Module(REENTRY), imports, tier=tier)
    return box["i"]


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True,
                          text=True, timeout=300, check=False)


@pytest.mark.parametrize("limit", [100_000, 10**6])
@pytest.mark.parametrize("tier", TIERS)
def test_the_reproducer_ends_in_exhaustion_not_a_segfault(tier: str, limit: int) -> None:
    done = _run(f"""
        import sys, wasmem; sys.setrecursionlimit({limit})
        src = {REENTRY!r}
        box = {{}}
        reenter = {{"env": {{"h": lambda n: box["i"].exports["f"](n)}}}}
        inst = wasmem.Instance(wasmem.Module(src), reenter, tier={tier!r})
        box["i"] = inst
        try:
            inst.exports["f"](50_000)
        except wasmem.Exhaustion as exc:
            print("Exhaustion:", exc.message)
        print(inst.exports["f"](100))
    """)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "Exhaustion: call stack exhausted\n0\n"


@pytest.mark.parametrize("tier", TIERS)
def test_deep_recursion_in_a_thread_with_a_small_stack(tier: str) -> None:
    done = _run(f"""
        import sys, threading, wasmem; sys.setrecursionlimit(10**6)
        box = {{}}
        reenter = {{"env": {{"h": lambda n: box["i"].exports["f"](n)}}}}
        inst = wasmem.Instance(wasmem.Module({REENTRY!r}), reenter, tier={tier!r})
        box["i"] = inst
        plain = wasmem.Instance(wasmem.Module({RECURSION!r}), tier={tier!r})
        def run():
            for instance, n in ((inst, 50_000), (plain, 50_000)):
                try:
                    instance.exports["f"](n)
                except wasmem.Exhaustion as exc:
                    print("Exhaustion:", exc.message)
        threading.stack_size(512 * 1024)
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    """)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "Exhaustion: call stack exhausted\n" * 2


@pytest.mark.parametrize("tier", TIERS)
def test_the_limit_holds_whatever_the_embedders_recursion_limit(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(RECURSION), tier=tier)
    old = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(400)
        assert instance.exports["f"](callstack.MAX_CALL_DEPTH - 100) == \
            callstack.MAX_CALL_DEPTH - 100
        assert sys.getrecursionlimit() == 400  # put back after the call
        sys.setrecursionlimit(10**6)
        with pytest.raises(wasmem.Exhaustion, match="call stack exhausted"):
            instance.exports["f"](10 * callstack.MAX_CALL_DEPTH)
        assert sys.getrecursionlimit() == 10**6  # never lowered
    finally:
        sys.setrecursionlimit(old)
    assert instance.exports["f"](10) == 10  # usable after exhaustion
    assert (callstack.counters().depth, callstack.counters().entries) == (0, 0)


@pytest.mark.parametrize("tier", TIERS)
def test_a_tiny_recursion_limit_does_not_shorten_the_stack(tier: str) -> None:
    done = _run(f"""
        import sys, wasmem
        plain = wasmem.Instance(wasmem.Module({RECURSION!r}), tier={tier!r})
        box = {{}}
        box["i"] = wasmem.Instance(wasmem.Module({REENTRY!r}),
                                   {{"env": {{"h": lambda n: box["i"].exports["f"](n)}}}},
                                   tier={tier!r})
        plain.exports["f"](1), box["i"].exports["f"](1)
        sys.setrecursionlimit(40)
        print(plain.exports["f"](9000), box["i"].exports["f"](350), sys.getrecursionlimit())
    """)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "9000 0 40\n"


@pytest.mark.parametrize("tier", TIERS)
def test_reentry_through_host_functions_is_counted(tier: str) -> None:
    instance = _reentrant(tier)
    assert instance.exports["f"](300) == 0
    with pytest.raises(wasmem.Exhaustion, match="call stack exhausted"):
        instance.exports["f"](callstack.MAX_HOST_ENTRIES + 1)
    assert instance.exports["f"](5) == 0
    assert (callstack.counters().depth, callstack.counters().entries) == (0, 0)


@pytest.mark.parametrize("tier", TIERS)
def test_large_frames_count_for_several_calls(tier: str) -> None:
    locals_ = "(local " + "i64 " * 3000 + ")"
    source = RECURSION.replace('(result i32)\n', f'(result i32) {locals_}\n', 1)
    source = source.replace("(i32.const 0))", "(local.set 5 (i64.const 1)) (i32.const 0))", 1)
    instance = wasmem.Instance(wasmem.Module(source), tier=tier)
    assert instance.exports["f"](100) == 100
    with pytest.raises(wasmem.Exhaustion):
        instance.exports["f"](callstack.MAX_CALL_DEPTH // 2)


@pytest.mark.parametrize("tier", TIERS)
def test_threads_do_not_interfere(tier: str) -> None:
    """The issue's case: one thread deep, one shallow, each with its own instance."""
    module = wasmem.Module(RECURSION)
    failures: list[Exception] = []

    def loop(n: int, times: int, shared: wasmem.Instance | None = None) -> None:
        instance = shared or wasmem.Instance(module, tier=tier)
        for _ in range(times):
            try:
                assert instance.exports["f"](n) == n
            except Exception as exc:  # collected for the assertion
                failures.append(exc)

    shared = wasmem.Instance(module, tier=tier)
    threads = [threading.Thread(target=loop, args=(3000, 20)),
               threading.Thread(target=loop, args=(5, 3000)),
               threading.Thread(target=loop, args=(4000, 10, shared)),
               threading.Thread(target=loop, args=(4000, 10, shared))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_the_recursion_limit_is_not_lowered_under_a_running_thread() -> None:
    entered, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def host() -> None:
        entered.set()
        release.wait(10)
        seen.append(sys.getrecursionlimit())

    module = wasmem.Module("""(module (import "env" "h" (func $h))
      (func $f (export "f") (param i32)
        (if (i32.eqz (local.get 0)) (then (call $h))
          (else (call $f (i32.sub (local.get 0) (i32.const 1)))))))""")
    instance = wasmem.Instance(module, {"env": {"h": host}})
    other = wasmem.Instance(wasmem.Module(RECURSION))
    thread = threading.Thread(target=instance.exports["f"], args=(callstack.DEEP * 8,))
    thread.start()
    entered.wait(10)
    # another thread goes deep (raising the limit too) and leaves
    assert other.exports["f"](callstack.DEEP * 8) == callstack.DEEP * 8
    release.set()
    thread.join()
    assert seen and seen[0] >= callstack.PYTHON_FRAMES_NEEDED
    assert sys.getrecursionlimit() < callstack.PYTHON_FRAMES_NEEDED  # put back at the end


def test_shallow_calls_leave_the_recursion_limit_alone() -> None:
    seen: list[int] = []
    module = wasmem.Module('(module (import "env" "h" (func $h)) (func (export "f") call $h))')
    instance = wasmem.Instance(module, {"env": {"h": lambda: seen.append(sys.getrecursionlimit())}})
    instance.exports["f"]()
    assert seen == [sys.getrecursionlimit()]


# A compiled function that calls out of compiled code (here: an import) publishes its
# depth in the thread's counters and leaves it there; an interpreted caller must not read
# that stale value as its own depth on its next call (once, this leaked a frame per loop
# iteration until "call stack exhausted" in a flat loop).
PUBLISHER = """
(module
  (import "host" "tick" (func $tick))
  (func (export "hop") (call $tick)))
"""

LOOPER = """
(module
  (import "p" "hop" (func $hop))
  (func (export "loop") (param $n i32) (result i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (call $hop)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (i32.const 7)))
"""


@pytest.mark.parametrize("caller_tier", ["interpret", "tiered"])
def test_interpreted_loop_over_a_publishing_compiled_callee_keeps_its_depth(
        caller_tier: str) -> None:
    from wasmem.exec import callstack
    publisher = wasmem.Instance(wasmem.Module(PUBLISHER), {"host": {"tick": lambda: None}},
                                tier="compile")
    looper = wasmem.Instance(wasmem.Module(LOOPER), {"p": {"hop": publisher.exports["hop"]}},
                             tier=caller_tier)
    # more iterations than the depth limit: each leaked frame would add up
    assert looper.exports["loop"](callstack.MAX_CALL_DEPTH + 500) == 7
    assert callstack.counters().depth == 0


@pytest.mark.parametrize("tier", TIERS)
def test_the_limit_is_the_same_with_fuel(tier: str) -> None:
    """With fuel the interpreter takes four Python frames a call (two without): the
    recursion limit it holds counted two, and a recursion ended at a depth of 7,500
    with fuel where it ran without (fuzz7). The same depth runs in every tier, with
    and without fuel, and the same fuel is used."""
    depth = callstack.MAX_CALL_DEPTH - 100
    used = set()
    for fuel in (None, 10**7):
        instance = wasmem.Instance(wasmem.Module(RECURSION), tier=tier, fuel=fuel)
        assert instance.exports["f"](depth) == depth
        with pytest.raises(wasmem.Exhaustion, match="call stack exhausted"):
            instance.exports["f"](2 * callstack.MAX_CALL_DEPTH)
        assert instance.exports["f"](10) == 10
        used.add(instance.fuel_consumed)
    assert len(used) == 2 and None in used
    reentrant = wasmem.Module(REENTRY)
    box: dict[str, wasmem.Instance] = {}
    imports = {"env": {"h": lambda n: box["i"].exports["f"](n)}}
    box["i"] = wasmem.Instance(reentrant, imports, tier=tier, fuel=10**7)
    assert box["i"].exports["f"](callstack.MAX_HOST_ENTRIES - 10) == 0
