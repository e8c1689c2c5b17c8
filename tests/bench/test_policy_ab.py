"""Smoke test of ``bench/policy_ab.py``: settings parsed, applied to lazily imported
modules (in front of the import bundle's finder) and to those ``import wasmem`` loads,
reported when never imported; each setting gets a row with the same result. No timing
is asserted (the numbers live in ``bench/tiering.md``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "policy_ab.py"
sys.path.insert(0, str(ROOT / "bench"))

from policy_ab import parse_settings  # noqa: E402


def test_settings_are_python_literals() -> None:
    assert parse_settings("base|s=wasmem.exec.tiering:CALL_BUDGET=5;"
                          "wasmem.exec.tiering:_allowance=[0.0]") == [
        ("base", {}),
        ("s", {"wasmem.exec.tiering": [("CALL_BUDGET", 5), ("_allowance", [0.0])]})]
    with pytest.raises(ValueError):
        parse_settings("s=wasmem.exec.tiering:CALL_BUDGET=__import__('os')")
    with pytest.raises(ValueError):
        parse_settings("s=wasmem.exec.tiering=5")


def _child(overrides: str) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), WASMEM_CACHE_DIR="")
    work = f"wasm:{ROOT / 'bench' / 'c' / 'programs' / 'vm.wasm'}:run:3"
    out = subprocess.run([sys.executable, str(SCRIPT), "--child", "wasmem", work, "2",
                          overrides], capture_output=True, text=True, env=env,
                         timeout=300, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_setting_of_a_lazily_imported_module_applies() -> None:
    base = _child("")
    # no call budget left and no loop budget: every function translated at its first call
    # (its result the same); a module the run never imports is reported
    changed = _child("wasmem.exec.tiering:CALL_BUDGET=0;wasmem.exec.tiering:LOOP_BUDGET=0;"
                     "wasmem.exec.nonexistent:X=1")
    assert changed["result"] == base["result"]
    assert changed["unapplied"] == ["wasmem.exec.nonexistent"]
    assert len(changed["times"]) == 2  # type: ignore[arg-type]


def test_rows_per_setting() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    work = f"wasm:{ROOT / 'bench' / 'c' / 'programs' / 'vm.wasm'}:run:3"
    out = subprocess.run([sys.executable, str(SCRIPT), "--source", str(ROOT / "src"),
                          "--settings", "base|c0=wasmem.exec.tiering:CALL_BUDGET=0",
                          "--reps", "2", "--procs", "1", work],
                         capture_output=True, text=True, env=env, timeout=300,
                         check=True).stdout
    rows = re.findall(r"^  (base|c0) +[0-9.]+ +[0-9.]+ +[0-9.]+ +result (\S+)", out, re.M)
    assert [name for name, _ in rows] == ["base", "c0"], out
    assert rows[0][1] == rows[1][1], out
