"""Smoke test of ``bench/interpreter_calls.py``: the interpreter's costs per call and per
loop iteration, and interpreted runs of the independent programs. No timing is asserted
(the numbers live in ``bench/interpreter.md``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "interpreter_calls.py"


def test_it_reports_every_measurement() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, str(SCRIPT), "1", "1000"], capture_output=True,
                         text=True, env=env, timeout=300, check=True).stdout
    assert re.search(r"interpreted call \(loop's iteration subtracted\): -?[\d.]+ us", out), out
    assert re.search(r"loop iteration: [\d.]+ us; with a rotation: [\d.]+ us", out), out
    assert re.search(r"fib call: [\d.]+ us", out), out
    for name in ("recur", "fnptr", "calc", "json", "lists"):
        assert re.search(rf"{name}\(\d+\) interpreted: [\d.]+ ms", out), out
