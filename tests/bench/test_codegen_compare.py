"""Smoke test of ``bench/codegen_compare.py``: it runs both engines in fresh processes,
checks that they agree on the result and prints a ratio per cell and the geometric means.
No timing is asserted (the numbers live in ``bench/codegen.md``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "codegen_compare.py"


def test_compare_runs_cold_and_warm() -> None:
    pytest.importorskip("pwasm")
    program = f"{ROOT / 'bench' / 'c' / 'cbench.wasm'}:run:1:2"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, str(SCRIPT), program, "--samples", "1",
                          "--sizes", "short"], capture_output=True, text=True, env=env,
                         timeout=300, check=True).stdout
    assert re.search(r"cbench +cold +short .* [0-9.]+x", out), out
    assert re.search(r"cbench +warm +short .* [0-9.]+x", out), out
    assert "geomean cold short:" in out and "geomean warm short:" in out


def test_a_module_of_ones_own_at_both_sizes(tmp_path: Path) -> None:
    """Any module with an ``i32 -> i32`` export runs, at the short and the long size."""
    pytest.importorskip("pwasm")
    wat = tmp_path / "echo.wat"
    wat.write_text('(module (func (export "run") (param i32) (result i32) local.get 0))')
    wasm = tmp_path / "echo.wasm"
    wasmtime = pytest.importorskip("wasmtime")
    wasm.write_bytes(wasmtime.wat2wasm(wat.read_text()))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, str(SCRIPT), f"{wasm}:run:3:4", "--samples", "1",
                          "--modes", "cold"], capture_output=True, text=True, env=env,
                         timeout=300, check=True).stdout
    assert re.search(r"echo +cold +short .*\n.*echo +cold +long", out), out


def test_cpu_time() -> None:
    """``--cpu`` times the runs in CPU time; the table has the same shape."""
    pytest.importorskip("pwasm")
    program = f"{ROOT / 'bench' / 'c' / 'cbench.wasm'}:run:1:2"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, str(SCRIPT), program, "--samples", "1", "--cpu",
                          "--sizes", "short", "--modes", "cold"], capture_output=True,
                         text=True, env=env, timeout=300, check=True).stdout
    assert re.search(r"cbench +cold +short .* [0-9.]+x", out), out
