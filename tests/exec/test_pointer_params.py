"""Pointer parameters tested at entry (aligned and general bodies) agree with wasmtime.

Modules of :mod:`pointer_gen`: loads and stores at pointer parameters plus offsets, with
aligned, unaligned and out-of-bounds pointers, parameters fixed or moved mid-body, a
``memory.grow`` among the calls; every tier must match wasmtime call by call and in the
final memory. More seeds: ``differential_offline.py --sets pointers``.
"""

from __future__ import annotations

import pytest

from pointer_gen import calls, module_text, outcomes, wasmtime_outcomes

pytest.importorskip("wasmtime")

SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
def test_pointer_parameter_accesses_agree_with_wasmtime(seed: int) -> None:
    text = module_text(seed)
    made = calls(seed, text)
    expected = wasmtime_outcomes(text, made)
    for tier in ("compile", "tiered", "interpret"):
        got = outcomes(text, made, tier)
        assert got[:-1] == expected[:-1], (tier, made)
        assert got[-1] == expected[-1], f"{tier}: memory differs"


def test_some_functions_take_the_entry_test() -> None:
    # the generator must keep making functions whose pointers never change
    texts = [module_text(seed) for seed in SEEDS]
    assert any("local.set 0" not in t and "local.set 1" not in t for t in texts)
