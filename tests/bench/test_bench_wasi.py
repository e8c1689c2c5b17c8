"""Smoke tests of the WASI benchmarks (``bench/run_wasi.py``, ``bench/benchlib/wasi.py``):
the expected results are wasmtime's, and the runner works end to end on tiny inputs.
No timing is asserted (performance claims live in ``bench/README.md``)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from benchlib.wasi import WASI_WORKLOADS, WasiWorkload, run_command  # noqa: E402


@pytest.mark.parametrize("workload", WASI_WORKLOADS, ids=[w.name for w in WASI_WORKLOADS])
@pytest.mark.parametrize("size", ["tiny", "small"])
def test_wasmtime_gives_the_expected_result(workload: WasiWorkload, size: str,
                                            tmp_path: Path) -> None:
    _, result = run_command("wasmtime", workload.path.read_bytes(),
                            [workload.path.name, *workload.args[size]], tmp_path)
    assert result == workload.expected[size]


@pytest.mark.parametrize("workload", WASI_WORKLOADS, ids=[w.name for w in WASI_WORKLOADS])
def test_wasmem_gives_the_expected_tiny_result(workload: WasiWorkload, tmp_path: Path) -> None:
    _, result = run_command("wasmem", workload.path.read_bytes(),
                            [workload.path.name, *workload.args["tiny"]], tmp_path)
    assert result == workload.expected["tiny"]


def test_wasmem_runs_chatty_past_a_thousand_lines() -> None:
    """In a fresh process with the default tier budgets (the suite's are tiny) and no
    disk cache, so that every function starts on the interpreter."""
    chatty = next(w for w in WASI_WORKLOADS if w.name == "chatty")
    env = {k: v for k, v in os.environ.items() if k != "WASMEM_TIER_BUDGETS"}
    env["WASMEM_CACHE_DIR"] = ""
    proc = subprocess.run([sys.executable, "-m", "wasmem", "run", str(chatty.path), "2000"],
                          capture_output=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert len(proc.stdout) == 42000


def test_run_wasi_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    # pwasm is a bench extra, not a test one: compared with where it is installed
    has_pwasm = importlib.util.find_spec("pwasm") is not None
    engines = ["wasmem", "pwasm", "wasmtime"] if has_pwasm else ["wasmem", "wasmtime"]
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run_wasi.py"), "--size", "tiny", "--reps", "1",
         "--engines", ",".join(engines), "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "| printf10mb " in proc.stdout and "| smallfiles " in proc.stdout
    rows = json.loads(out.read_text())["rows"]
    assert set(rows["printf10mb"]) == set(engines)
    assert set(rows["smallfiles"]) == {"wasmem", "wasmtime"}  # pwasm has no filesystem
    for cells in rows.values():
        assert all(c["ok"] and len(c["times"]) == 1 for c in cells.values()), cells
