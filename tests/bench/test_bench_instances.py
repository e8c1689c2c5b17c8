"""Smoke test of ``bench/instances.py`` (runs 1..N of one program in one process, a new
instance per run): it prints one record per run, with the same result each run, and a
later ``Module`` of the same bytes decodes nothing again for the interpreter. No timing is
asserted (the numbers live in ``bench/tiering.md``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MALLOCS = ROOT / "bench" / "c" / "programs" / "mallocs.wasm"  # C, dlmalloc (bench/c)
MALLOCS_RUN_2 = 1928852311  # its run(2), as bench/benchlib/programs.py records


def test_instances_prints_each_run_and_later_modules_decode_nothing_again() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), WASMEM_CACHE_DIR="")
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "instances.py"), "wasmem", str(MALLOCS), "2",
         "--runs", "3"], capture_output=True, text=True, env=env, timeout=300,
        check=True).stdout
    runs = json.loads(out)
    assert [run[1] for run in runs] == [MALLOCS_RUN_2] * 3
    assert runs[0][2].get("decoded_n", 0) > 0  # the first run interprets some functions
    assert all(run[2].get("decoded_n", 0) == 0 for run in runs[1:])
