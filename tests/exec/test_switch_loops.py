"""Dispatch loops (a ``br_table`` switch in a counted loop) agree with wasmtime.

Modules of :mod:`switch_gen`: cases that break, continue, leave the loop, return or fall
through, with nested blocks, loads and stores at a pointer (some out of bounds),
overlapping ``memory.copy``, division traps and calls; every tier must match wasmtime
call by call and in the final memory. More seeds: ``differential_offline.py --sets
switch``.
"""

from __future__ import annotations

import pytest

from pointer_gen import outcomes, wasmtime_outcomes
from switch_gen import calls, module_text

pytest.importorskip("wasmtime")

SEEDS = range(10)


@pytest.mark.parametrize("seed", SEEDS)
def test_dispatch_loops_agree_with_wasmtime(seed: int) -> None:
    text = module_text(seed)
    made = calls(seed, text)
    expected = wasmtime_outcomes(text, made)
    for tier in ("compile", "tiered", "interpret"):
        got = outcomes(text, made, tier)
        assert got[:-1] == expected[:-1], (tier, made)
        assert got[-1] == expected[-1], f"{tier}: memory differs"


def test_the_switches_are_lowered_as_switches() -> None:
    # the translator's switch lowering (landings, tail copies ending in `continue`) must
    # apply to most generated functions, else the test would not exercise it
    import wasmem
    from wasmem.exec.compiler.tier import CompiledModule

    sources = []
    for seed in SEEDS:
        module = wasmem.Module(module_text(seed))
        compiled = CompiledModule.of(module.ast)
        sources += [compiled.source(k) or "" for k in range(len(module.ast.functions) - 2)]
    lowered = [s for s in sources if "_b ==" in s and "continue" in s]
    assert len(lowered) * 2 > len(sources)
