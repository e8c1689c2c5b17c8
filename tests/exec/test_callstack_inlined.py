"""Calls the compiling tier inlines count toward the call depth like any other call.

``$f`` calls ``$g`` calls ``$h`` calls ``$f``: ``$g`` and ``$h`` are small enough to be
inlined into ``$f``, so compiled code makes one Python call per three WebAssembly calls.
The depth reached before "call stack exhausted" must be the same in every tier, and a deep
recursion must end in :class:`wasmem.Exhaustion`, never in a Python ``RecursionError``,
whatever the embedder's recursion limit (the depth jumps by up to three at once from
inlined code, so the point where the recursion limit is raised must not be skipped).
"""

from __future__ import annotations

import sys
import threading

import pytest

import wasmem
from wasmem.exec import callstack

SOURCE = """(module
 (type $t (func (param i32) (result i32)))
 (table 4 funcref) (elem (i32.const 0) $f)
 (func $f (export "f") (param i32) (result i32)
   local.get 0 i32.eqz if (result i32) i32.const 0
   else local.get 0 i32.const 1 i32.sub call $g i32.const 1 i32.add end)
 (func $g (param i32) (result i32) local.get 0 call $h)
 (func $h (param i32) (result i32) local.get 0 call $f)
 (func $fi (export "fi") (param i32) (result i32)
   local.get 0 i32.eqz if (result i32) i32.const 0
   else local.get 0 i32.const 1 i32.sub call $gi i32.const 1 i32.add end)
 (func $gi (param i32) (result i32) local.get 0 call $hi)
 (func $hi (param i32) (result i32) local.get 0 i32.const 1 call_indirect (type $t))
 (elem (i32.const 1) $fi)
 (func $hop1 (export "f+1") (param i32) (result i32) NOPS local.get 0 call $f)
 (func $hop2 (export "f+2") (param i32) (result i32) NOPS local.get 0 call $hop1))
""".replace("NOPS", "nop " * 50)  # hops too large to inline: $f entered at depths 1, 2, 3

TIERS = [{"tier": "compile"}, {"tier": "interpret"}, {}]


def deepest(function: wasmem.Function) -> int:
    """The largest argument for which ``function`` returns (binary search)."""
    low, high = 1, callstack.MAX_CALL_DEPTH
    while low < high:
        middle = (low + high + 1) // 2
        try:
            function(middle)
            low = middle
        except wasmem.Exhaustion:
            high = middle - 1
    return low


@pytest.mark.parametrize("name", ["f", "fi"])
def test_inlined_calls_count_like_other_calls(name: str) -> None:
    module = wasmem.Module(SOURCE)
    depths = {deepest(wasmem.Instance(module, **kwargs).exports[name])
              for kwargs in ({"tier": "compile"}, {"tier": "interpret"})}
    # three WebAssembly calls per level: about a third of the limit in every tier
    assert max(depths) - min(depths) <= 3
    assert max(depths) <= callstack.MAX_CALL_DEPTH // 3 + 3


@pytest.mark.parametrize("kwargs", TIERS, ids=["compile", "interpret", "default"])
@pytest.mark.parametrize("room", [60, 1000])
def test_deep_inlined_recursion_is_exhaustion_not_recursion_error(
        kwargs: dict[str, str], room: int) -> None:
    module = wasmem.Module(SOURCE)
    instance = wasmem.Instance(module, **kwargs)
    before = sys.getrecursionlimit()
    frames, frame = 0, sys._getframe()
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    sys.setrecursionlimit(frames + room)  # room for the few frames before DEEP calls
    try:
        for name in ("f", "f+1", "f+2", "fi"):
            assert instance.exports[name](1000) == 1000  # not cut short
            with pytest.raises(wasmem.Exhaustion):
                instance.exports[name](10 * callstack.MAX_CALL_DEPTH)
    finally:
        sys.setrecursionlimit(before)


def test_deep_inlined_recursion_in_a_thread_with_a_small_stack() -> None:
    module = wasmem.Module(SOURCE)
    seen: list[object] = []

    def run() -> None:
        instance = wasmem.Instance(module)
        try:
            instance.exports["f"](10 * callstack.MAX_CALL_DEPTH)
        except BaseException as exc:  # record whatever escapes
            seen.append(exc)

    size = threading.stack_size(512 * 1024)
    try:
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(size)
    assert len(seen) == 1 and isinstance(seen[0], wasmem.Exhaustion)
