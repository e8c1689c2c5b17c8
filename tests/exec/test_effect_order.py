"""A side effect after a value that traps does not happen (:mod:`effect_order_gen`):
after ``f(0)`` traps, ``probe()`` reads what wasmtime reads, in every tier.

``python3 tests/exec/effect_order_gen.py`` runs every case (CI: two continuations).
"""

from __future__ import annotations

import pytest

from effect_order_gen import CASES, module_text, outcomes, wasmtime_outcomes

pytest.importorskip("wasmtime")

CHECKED = [case for case in CASES if case[2] in ("drop", "if")]


@pytest.mark.parametrize("case", CHECKED, ids=["-".join(case) for case in CHECKED])
def test_no_effect_after_an_earlier_trap(case: tuple[str, str, str]) -> None:
    text = module_text(*case)
    expected = wasmtime_outcomes(text)
    for tier in ("compile", "tiered", "interpret"):
        assert outcomes(text, tier) == expected, tier
