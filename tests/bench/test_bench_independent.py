"""Smoke tests of the independent programs (``bench/c/independent``).

No timing is asserted: every program's expected values (wasmtime's answers) are checked
with wasmtime at every size, wasmem must give the same answer at the tiny size, the
committed binaries must be what the build script makes of the sources (when clang is
installed), and the report must judge issue 15's targets on these programs alone. The
hand-written Python versions are checked with the programs' (test_bench_programs.py).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from benchlib.build import build  # noqa: E402
from benchlib.engines import adapter, normalise  # noqa: E402
from benchlib.independent import INDEPENDENT  # noqa: E402
from benchlib.program_report import format_speed_targets  # noqa: E402
from benchlib.programs import PROGRAMS  # noqa: E402
from benchlib.suite import Cell  # noqa: E402
from benchlib.workloads import Workload  # noqa: E402

NAMES = [p.name for p in INDEPENDENT]


@pytest.fixture(scope="module")
def binaries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("independent")
    for program in INDEPENDENT:
        build(program.path, out, "wat2wasm" if shutil.which("wat2wasm") else "auto")
    return out


def _data(binaries: Path, program: Workload) -> bytes:
    return (binaries / f"{program.path.stem}.wasm").read_bytes()


def test_names_are_unique_and_apart_from_the_programs() -> None:
    assert len(set(NAMES)) == len(NAMES) >= 12
    assert not set(NAMES) & {p.name for p in PROGRAMS}


@pytest.mark.parametrize("program", INDEPENDENT, ids=NAMES)
def test_wasmtime_returns_the_expected_value_at_every_size(program: Workload,
                                                           binaries: Path) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    data = _data(binaries, program)
    assert wasmtime.Module(wasmtime.Engine(), data).imports == []  # runs without a host
    for size, expected in program.sizes.items():
        value = adapter("wasmtime").fresh(data)(program.export, expected.arg)
        assert normalise(value, program.result) == expected.expected, size


@pytest.mark.parametrize("program", INDEPENDENT, ids=NAMES)
def test_wasmem_gives_the_expected_value_at_the_tiny_size(program: Workload,
                                                          binaries: Path) -> None:
    tiny = program.sizes["tiny"]
    value = adapter("wasmem").fresh(_data(binaries, program))(program.export, tiny.arg)
    assert normalise(value, program.result) == tiny.expected


@pytest.mark.skipif(shutil.which("clang") is None or shutil.which("wasm-ld") is None,
                    reason="clang/lld for wasm32-wasi not installed")
def test_build_script_reproduces_the_committed_binaries(tmp_path: Path) -> None:
    copy = tmp_path / "independent"
    shutil.copytree(BENCH / "c" / "independent", copy)
    proc = subprocess.run(["sh", str(copy / "build.sh")], capture_output=True, text=True,
                          timeout=300, check=False)
    if proc.returncode != 0 and "wasm32-wasi" in proc.stderr:
        pytest.skip(f"no wasi-libc: {proc.stderr[-200:]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    compiled = [p for p in INDEPENDENT if p.path.suffix == ".wasm"]
    assert len(compiled) >= 12
    for program in compiled:
        built = (copy / f"{program.name}.wasm").read_bytes()
        assert built == program.path.read_bytes(), program.name


def test_targets_are_judged_on_the_independent_programs_alone() -> None:
    program = INDEPENDENT[0]
    size = program.sizes["tiny"]

    def cell(engine: str, median: float) -> Cell:
        return Cell(engine, median=median, result=size.expected, arg=size.arg, ok=True)

    rows = {program.name: {"tiny": {"wasmem": cell("wasmem", 2.0),
                                    "pwasm": cell("pwasm", 1.0),
                                    "wasmem-warm": cell("wasmem-warm", 1.0),
                                    "pwasm-warm": cell("pwasm-warm", 3.0)}}}
    text = format_speed_targets({}, rows, ("tiny",), {},
                                title="Issue 15 on the independent programs")
    assert text.startswith("### Issue 15 on the independent programs")
    assert f"slower: {program.name} (0.50) tiny cold" in text
    assert "tiny cold 0.50; tiny warm 3.00" in text


def test_side_by_side_prints_a_ratio_row() -> None:
    pytest.importorskip("pwasm")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "sidebyside.py"), "--programs", "multival", "--sizes",
         "tiny", "--modes", "cold", "--reps", "1", "--rounds", "1"],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    row = next(line for line in proc.stdout.splitlines() if line.startswith("| multival"))
    ratio = row.split("|")[2].strip().strip("*")
    assert float(ratio) > 0 and "✗" not in row
