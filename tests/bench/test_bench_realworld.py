"""Smoke tests of the real-world programs (``bench/c/realworld``).

No timing is asserted: every program's expected values (wasmtime's answers) are checked
with wasmtime at every size, wasmem must give the same answer at the tiny size, the
committed binaries of the three quickest to compile must be what the build script makes of
the sources (when clang is installed; the others take from ten seconds to a minute each to
compile and are left to ``build.sh``), the sources must carry their licenses, and the
report must have a real-world section with issue 15's targets judged on these programs
alone.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
REALWORLD_DIR = BENCH / "c" / "realworld"
sys.path.insert(0, str(BENCH))

from benchlib.engines import adapter, normalise  # noqa: E402
from benchlib.independent import INDEPENDENT  # noqa: E402
from benchlib.programs import PROGRAMS  # noqa: E402
from benchlib.realworld import REALWORLD, REALWORLD_REPS, REALWORLD_SIZES  # noqa: E402
from benchlib.workloads import Workload  # noqa: E402

NAMES = [p.name for p in REALWORLD]
LIBRARIES = {"lz4": "lz4", "brotli": "brotli", "cmark": "cmark-gfm", "yaml": "libyaml",
             "quickjs": "quickjs", "sqlite": "sqlite", "zstd": "zstd",
             "crypto": "pycryptodome", "erfa": "erfa"}


def test_names_are_unique_and_apart_from_the_other_program_sets() -> None:
    assert len(set(NAMES)) == len(NAMES) >= 5
    others = {p.name for p in (*PROGRAMS, *INDEPENDENT)}
    assert not set(NAMES) & others
    assert set(REALWORLD_SIZES) == set(REALWORLD_REPS) <= {"tiny", "short", "long"}


@pytest.mark.parametrize("program", REALWORLD, ids=NAMES)
def test_sources_driver_and_license_are_committed(program: Workload) -> None:
    assert program.path.parent == REALWORLD_DIR
    assert program.path.stat().st_size < 1_000_000
    assert (REALWORLD_DIR / f"{program.name}_run.c").is_file()
    library = REALWORLD_DIR / LIBRARIES[program.name]
    assert any((library / name).is_file() for name in ("LICENSE", "COPYING"))
    assert LIBRARIES[program.name] in (REALWORLD_DIR / "SOURCES.md").read_text("utf-8")


@pytest.mark.parametrize("program", REALWORLD, ids=NAMES)
def test_wasmtime_returns_the_expected_value_at_every_size(program: Workload) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    data = program.path.read_bytes()
    engine = wasmtime.Engine()
    module = wasmtime.Module(engine, data)
    assert module.imports == []  # runs without a host
    for size, expected in program.sizes.items():
        store = wasmtime.Store(engine)
        run = wasmtime.Instance(store, module, []).exports(store)["run"]
        assert normalise(run(store, expected.arg), "i32") == expected.expected, size


@pytest.mark.parametrize("program", REALWORLD, ids=NAMES)
def test_wasmem_gives_the_expected_value_at_the_tiny_size(program: Workload) -> None:
    tiny = program.sizes["tiny"]
    value = adapter("wasmem").fresh(program.path.read_bytes())(program.export, tiny.arg)
    assert normalise(value, program.result) == tiny.expected


@pytest.mark.skipif(shutil.which("clang") is None or shutil.which("wasm-ld") is None,
                    reason="clang/lld for wasm32-wasi not installed")
def test_build_script_reproduces_the_committed_binaries(tmp_path: Path) -> None:
    copy = tmp_path / "realworld"
    shutil.copytree(REALWORLD_DIR, copy, ignore=shutil.ignore_patterns("*.wasm"))
    rebuilt = ["lz4", "yaml", "crypto"]
    proc = subprocess.run(["sh", str(copy / "build.sh"), *rebuilt], capture_output=True,
                          text=True, timeout=600, check=False)
    if proc.returncode != 0 and "wasm32-wasi" in proc.stderr:
        pytest.skip(f"no wasi-libc: {proc.stderr[-200:]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in rebuilt:
        assert (copy / f"{name}.wasm").read_bytes() == (REALWORLD_DIR / f"{name}.wasm"
                                                         ).read_bytes(), name


def test_the_report_has_a_real_world_section_with_its_own_targets(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_run_realworld", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    bench_run = importlib.util.module_from_spec(spec)  # bench/run.py, by path: other
    spec.loader.exec_module(bench_run)  # test files import other modules named "run"

    args = bench_run.parse_args(["--realworld", "lz4", "--no-independent"])
    assert [p.name for p in args.realworld_list] == ["lz4"]
    program = REALWORLD[0]
    from benchlib.suite import Cell

    def cell(engine: str, median: float, size: str) -> Cell:
        expected = program.sizes[size]
        return Cell(engine, median=median, result=expected.expected, arg=expected.arg,
                    ok=True)

    rows = {program.name: {size: {"wasmem": cell("wasmem", 1.0, size),
                                  "pwasm": cell("pwasm", 0.5, size),
                                  "wasmem-warm": cell("wasmem-warm", 1.0, size),
                                  "pwasm-warm": cell("pwasm-warm", 3.0, size)}
                           for size in REALWORLD_SIZES}}
    text = "\n".join(bench_run._realworld_report(args, rows, ["wasmem", "pwasm",
                                                              "wasmem-warm", "pwasm-warm"],
                                                 {}, "2026-12-06"))
    assert "## Real-world programs" in text
    assert "### Issue 15 on the real-world programs" in text
    assert f"slower: {program.name} (0.50) short cold" in text
    assert bench_run.parse_args(["--no-realworld"]).realworld_list == []
