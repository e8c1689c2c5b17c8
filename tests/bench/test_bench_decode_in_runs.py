"""Smoke test of ``bench/decode_in_runs.py``: a cold run of a compiled C program, with the
interpreter's decoding timed inside it. No timing is asserted (the numbers live in
``bench/tiering.md``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "decode_in_runs.py"


def test_it_reports_the_run_and_its_decoding() -> None:
    program = ROOT / "bench" / "c" / "programs" / "vm.wasm"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, str(SCRIPT), str(program), "3", "1"],
                         capture_output=True, text=True, env=env, timeout=300,
                         check=True).stdout
    match = re.search(r"vm\.wasm run\(3\), cold: run ([\d.]+) ms, decoding ([\d.]+) ms", out)
    assert match, out
    assert 0 < float(match[2]) <= float(match[1])
