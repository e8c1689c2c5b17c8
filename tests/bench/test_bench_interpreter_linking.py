"""Smoke test of ``bench/interpreter_linking.py``: it runs a real-world program all
interpreted and reports the closures linked against those of the functions run, and the
collector's work. No timing is asserted (the numbers live in ``bench/interpreter.md``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "interpreter_linking.py"


def test_it_reports_closures_made_of_those_linked() -> None:
    program = ROOT / "bench" / "c" / "realworld" / "cmark.wasm"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"),
               WASMEM_TIER_BUDGETS="1000000,1000000", WASMEM_CACHE_DIR="")
    out = subprocess.run([sys.executable, str(SCRIPT), str(program), "1"],
                         capture_output=True, text=True, env=env, timeout=300,
                         check=True).stdout
    found = re.search(r"cmark\.wasm run\(1\): [\d.]+ s CPU; (\d+) functions linked "
                      r"\((\d+) lazily\), closures (\d+) made of (\d+); collector: ", out)
    assert found, out
    functions, lazily, made, total = map(int, found.groups())
    assert 0 < lazily < functions
    assert 0 < made < total  # cmark's big functions run a part of their code
