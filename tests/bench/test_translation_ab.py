"""Smoke test of ``bench/translation_ab.py``: it imports a second wasmem tree beside the
one on the path (here the same tree), translates every function with both and with
pwasm, and prints totals per engine and the costliest functions. No timing is asserted
(the numbers live in ``bench/codegen.md``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "translation_ab.py"


def test_two_trees_and_pwasm_per_function() -> None:
    pytest.importorskip("pwasm")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--base", str(ROOT / "src"), "--repeat", "1",
         "--top", "2", str(ROOT / "bench" / "c" / "programs" / "vm.wasm"),
         str(ROOT / "bench" / "c" / "independent" / "bfvm.wat"),
         str(ROOT / "bench" / "c" / "independent" / "chatty.wasm")],
        capture_output=True, text=True, env=env, timeout=300, check=True).stdout
    for name in ("vm.wasm", "bfvm.wat"):
        block = out.split(f"{name}:", 1)[1]
        for engine in ("base", "new", "pwasm"):
            assert re.search(rf"{engine} +generate +[0-9.]+ ms .* lines", block), out
        assert re.search(r"new / base: generate [0-9.]+, both [0-9.]+", block), out
    # the same tree twice: the same source, line for line
    lines = re.findall(r"(base|new) +generate .*\s([0-9]+) lines", out)
    assert [engine for engine, _ in lines] == ["base", "new"] * 2, out
    assert lines[0][1] == lines[1][1] and lines[2][1] == lines[3][1], out
    assert "chatty.wasm: skipped" in out  # WASI imports: pwasm cannot link them
