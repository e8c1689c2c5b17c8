"""The translation-order check program (``bench/order9_programs``, ``bench/tiering.md``,
helper "order9"): each build gives wasmtime's answers, in wasmem too (the tiering policy
decides only when code is translated, never what it computes). No timing is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import wasmem

PROGRAMS = Path(__file__).resolve().parents[2] / "bench" / "order9_programs"
EXPECTED = {1: 727126613, 5: 3903424494, 40: 2906749262}
"""wasmtime's answers of ``run(n)``, the same at every optimisation level."""


@pytest.mark.parametrize("level", ["O2", "Os", "O0"])
def test_each_build_gives_the_expected_answer(level: str) -> None:
    data = (PROGRAMS / f"tok-{level}.wasm").read_bytes()
    run = wasmem.Instance(wasmem.Module(data, cache_dir="")).exports["run"]
    assert run(1) % 2**32 == EXPECTED[1]


def test_the_expected_answers_are_wasmtime_s() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    for level in ("O2", "O0"):
        store = wasmtime.Store()
        module = wasmtime.Module(store.engine, (PROGRAMS / f"tok-{level}.wasm").read_bytes())
        run = wasmtime.Instance(store, module, []).exports(store)["run"]
        for n, expected in EXPECTED.items():
            assert run(store, n) % 2**32 == expected
