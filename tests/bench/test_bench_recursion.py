"""Smoke tests of the recursion programs (``bench/c/recursion``).

No timing is asserted (the numbers live in ``bench/recursion.md``): the expected values
(wasmtime's answers) are checked with wasmtime at every size, wasmem must give the same
answer at the tiny size, and the committed binaries must be what the build script makes
of the sources (when clang is installed).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from benchlib.engines import adapter, normalise  # noqa: E402
from benchlib.recursion import RECURSION  # noqa: E402
from benchlib.workloads import Workload  # noqa: E402

NAMES = [p.name for p in RECURSION]


def test_names_are_unique() -> None:
    assert len(set(NAMES)) == len(NAMES) == 6


@pytest.mark.parametrize("program", RECURSION, ids=NAMES)
def test_wasmtime_returns_the_expected_value_at_every_size(program: Workload) -> None:
    pytest.importorskip("wasmtime")
    data = program.path.read_bytes()
    for size, expected in program.sizes.items():
        value = adapter("wasmtime").fresh(data)(program.export, expected.arg)
        assert normalise(value, program.result) == expected.expected, size


@pytest.mark.parametrize("program", RECURSION, ids=NAMES)
def test_wasmem_returns_the_expected_value_at_the_tiny_size(program: Workload) -> None:
    expected = program.sizes["tiny"]
    value = adapter("wasmem").fresh(program.path.read_bytes())(program.export, expected.arg)
    assert normalise(value, program.result) == expected.expected


@pytest.mark.skipif(shutil.which("clang") is None or shutil.which("wasm-ld") is None,
                    reason="clang/lld for wasm32-wasi not installed")
def test_build_script_reproduces_the_committed_binaries(tmp_path: Path) -> None:
    copy = tmp_path / "recursion"
    shutil.copytree(BENCH / "c" / "recursion", copy)
    proc = subprocess.run(["sh", str(copy / "build.sh")], capture_output=True, text=True,
                          timeout=300, check=False)
    if proc.returncode != 0 and "wasm32-wasi" in proc.stderr:
        pytest.skip(f"no wasi-libc: {proc.stderr[-200:]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    for program in RECURSION:
        assert (copy / program.path.name).read_bytes() == program.path.read_bytes()
