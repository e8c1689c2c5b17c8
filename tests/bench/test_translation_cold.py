"""Smoke test of ``bench/translation_cold.py``: fresh processes of wasmem (this tree, and
the same tree again as ``--base``) and pwasm run a program cold with their translation
steps timed, and the table has a row per engine with its translation units. No timing is
asserted (the numbers live in ``bench/codegen.md``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "translation_cold.py"


def test_cold_translations_of_three_engines() -> None:
    pytest.importorskip("pwasm")
    program = ROOT / "bench" / "c" / "independent" / "recur.wasm"
    out = subprocess.run(
        [sys.executable, str(SCRIPT), f"{program}:4", "--rounds", "1", "--units", "2",
         "--source", str(ROOT / "src"), "--base", str(ROOT / "src")],
        capture_output=True, text=True, timeout=300, check=True).stdout
    rows = {}
    for engine in ("wasmem", "pwasm", "base"):
        match = re.search(rf"\| recur\(4\) \| {engine} \| ([0-9.]+) \| ([0-9]+) \| "
                          rf"([0-9.]+) \| ([0-9.]+) \| [0-9]+% \| [0-9]+ \|", out)
        assert match, out
        rows[engine] = [float(group) for group in match.groups()]
        assert rows[engine][1] >= 1, out  # recur(4) translates its hot functions
    assert rows["wasmem"][1] == rows["base"][1], out  # the same tree: the same units
    assert re.search(r"wasmem costliest units: F[0-9]+ [0-9.]+\+[0-9.]+ ms", out), out
