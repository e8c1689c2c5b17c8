"""The recursion and multi-value check programs (``bench/recur11_programs``,
``bench/STARTUP.md``): every build gives wasmtime's answers in every wasmem tier (the
tiers decide only where code runs, never what it computes). No timing is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import wasmem

PROGRAMS = Path(__file__).resolve().parents[2] / "bench" / "recur11_programs"
EXPECTED = {("rec", 1): 641160, ("rec", 5): 4188079654,
            ("mv", 1): 86362, ("mv", 5): 4102592163}
"""wasmtime's answers of ``run(n)`` (``rec``: the same at -O0 and -O2)."""

BUILDS = {"rec": ("rec-O0", "rec-O2"), "mv": ("mv",)}


@pytest.mark.parametrize("tier", ["tiered", "interpret", "compile"])
@pytest.mark.parametrize("build", ["rec-O0", "rec-O2", "mv"])
def test_each_build_gives_the_expected_answers(build: str, tier: str) -> None:
    name = build.split("-")[0]
    data = (PROGRAMS / f"{build}.wasm").read_bytes()
    run = wasmem.Instance(wasmem.Module(data, cache_dir=""), tier=tier).exports["run"]
    for n in (1, 5):
        assert run(n) % 2**32 == EXPECTED[name, n]


def test_the_expected_answers_are_wasmtime_s() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    for name, builds in BUILDS.items():
        for build in builds:
            store = wasmtime.Store()
            module = wasmtime.Module(store.engine, (PROGRAMS / f"{build}.wasm").read_bytes())
            run = wasmtime.Instance(store, module, []).exports(store)["run"]
            for n in (1, 5):
                assert run(store, n) % 2**32 == EXPECTED[name, n]
