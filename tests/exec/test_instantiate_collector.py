"""Instantiation pauses the cyclic collector while it builds (``exec/instantiate.py``),
never over the start function, and always turns it back on."""

from __future__ import annotations

import gc

import pytest

import wasmem

START = """(module
  (import "env" "probe" (func $probe))
  (func $start (call $probe))
  (start $start))"""

TRAPS = """(module (memory 1) (data (i32.const 70000) "x"))"""


def test_the_start_function_runs_with_the_collector_on() -> None:
    seen: list[bool] = []
    assert gc.isenabled()
    wasmem.Instance(wasmem.Module(START, cache_dir=False),
                    {"env": {"probe": lambda: seen.append(gc.isenabled())}})
    assert seen == [True]
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_failed_instantiation() -> None:
    with pytest.raises(wasmem.Trap):
        wasmem.Instance(wasmem.Module(TRAPS, cache_dir=False))
    assert gc.isenabled()
    with pytest.raises(wasmem.LinkError):
        wasmem.Instance(wasmem.Module(START, cache_dir=False), {})
    assert gc.isenabled()


def test_a_program_that_turned_the_collector_off_keeps_it_off() -> None:
    gc.disable()
    try:
        wasmem.Instance(wasmem.Module(TRAPS.replace("70000", "0"), cache_dir=False))
        assert not gc.isenabled()
    finally:
        gc.enable()
