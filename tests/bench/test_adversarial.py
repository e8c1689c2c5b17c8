"""Smoke tests of ``bench/adversarial.py``: every generated module is what it claims.

No timing is asserted (the numbers live in ``bench/README.md``): each case, scaled down,
must load in wasmem and validate in wasmtime, and the runner must print its table.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import wasmem

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import adversarial  # noqa: E402


@pytest.mark.parametrize("case", sorted(adversarial.CASES))
def test_case_is_a_valid_module(case: str) -> None:
    data, export = adversarial.CASES[case](0.01)
    text = case.startswith("text_")
    module = wasmem.Module(data.decode() if text else data)
    if export is not None:
        for tier in ("interpret", "compile"):
            wasmem.Instance(module, tier=tier).exports[export]()
    wasmtime = pytest.importorskip("wasmtime")
    if not text:
        assert wasmtime.Module.validate(wasmtime.Engine(), data) is None


def test_runner_prints_a_table() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "adversarial.py"), "--engines", "wasmem", "--cases",
         "tall_stack,text_nesting", "--scale", "0.01", "--reps", "1"],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "| case | wasmem |"
    assert lines[2].startswith("| tall_stack | ") and "interpret" in lines[2]
    assert "error" not in done.stdout
