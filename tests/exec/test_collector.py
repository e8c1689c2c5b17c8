"""``wasmem.exec.collector.collector_paused``: the collector is off inside, back on after."""

from __future__ import annotations

import gc

import pytest

from wasmem.exec.collector import collector_paused


def test_the_collector_is_off_inside_and_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner one leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_exception_turns_it_back_on_and_passes_through() -> None:
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_program_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_one_pause_object_can_be_reused() -> None:
    pause = collector_paused()
    for _ in range(2):
        with pause:
            assert not gc.isenabled()
        assert gc.isenabled()
