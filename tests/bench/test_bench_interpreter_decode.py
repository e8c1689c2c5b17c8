"""Smoke test of ``bench/interpreter_decode.py``: it decodes every function of a compiled
C program for the interpreter and reports times and live objects per step. No timing is
asserted (the numbers live in ``bench/tiering.md``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "interpreter_decode.py"


def test_it_reports_each_step() -> None:
    program = ROOT / "bench" / "c" / "programs" / "mallocs.wasm"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, str(SCRIPT), str(program), "1"],
                         capture_output=True, text=True, env=env, timeout=300,
                         check=True).stdout
    assert re.search(r"mallocs\.wasm: \d+ functions; from the bytes \d+ ms \([+-]\d+ objects, "
                     r"no tree\); tree: bodies \d+ ms \([+-]\d+ objects\), "
                     r"decoder \d+ ms \([+-]\d+\), shared closures \d+ ms \([+-]\d+\)", out), out
