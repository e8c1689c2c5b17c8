"""Smoke test of ``bench/cycles.py``: a compiled C program run twice in one process,
cold, with what each dropped instance leaves to the collector counted. No timing is
asserted (the numbers live in ``bench/tiering.md``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "cycles.py"


def test_it_reports_a_row_per_program_and_mode() -> None:
    out = subprocess.run([sys.executable, str(SCRIPT), "--programs", "mallocs", "--modes",
                          "cold", "--runs", "2", "--source", str(ROOT / "src")],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    rows = [line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| mallocs")]
    assert len(rows) == 1, out
    cells = [cell.strip() for cell in rows[0]]
    assert cells[:2] == ["mallocs", "cold"]
    assert float(cells[2]) > 0  # run ms
    assert int(cells[6]) > 0  # the module and the instance's stubs are left, little more
