"""The short-run policy check programs (``bench/recur8_programs``, ``bench/tiering.md``):
each build gives wasmtime's answers, in wasmem too (both tiers' policy decides only when
code is translated, never what it computes). No timing is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import wasmem

PROGRAMS = Path(__file__).resolve().parents[2] / "bench" / "recur8_programs"
EXPECTED = {("walk", 1): 2160668143, ("walk", 5): 2221687542,
            ("jsonish", 1): 6585602, ("jsonish", 5): 95623480}
"""wasmtime's answers of ``run(n)``, the same at every optimisation level."""


@pytest.mark.parametrize("level", ["O2", "Os", "O0"])
@pytest.mark.parametrize("name", ["walk", "jsonish"])
def test_each_build_gives_the_expected_answer(name: str, level: str) -> None:
    data = (PROGRAMS / f"{name}-{level}.wasm").read_bytes()
    run = wasmem.Instance(wasmem.Module(data, cache_dir="")).exports["run"]
    assert run(1) % 2**32 == EXPECTED[name, 1]


def test_the_expected_answers_are_wasmtime_s() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    for (name, n), expected in EXPECTED.items():
        store = wasmtime.Store()
        module = wasmtime.Module(store.engine, (PROGRAMS / f"{name}-O2.wasm").read_bytes())
        run = wasmtime.Instance(store, module, []).exports(store)["run"]
        assert run(store, n) % 2**32 == expected
