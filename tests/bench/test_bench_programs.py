"""Smoke tests of the compiled programs (``bench/c/programs``) and their reporting.

No timing is asserted: the programs' expected checksums are checked against wasmtime and
the hand-written Python versions, the committed binaries against their sources (when
clang is installed), and the table, targets and figure against made-up cells.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from benchlib.engines import adapter, normalise  # noqa: E402
from benchlib.figure import ratio_figure  # noqa: E402
from benchlib.independent import INDEPENDENT  # noqa: E402
from benchlib.program_report import format_first, format_programs, format_speed_targets  # noqa: E402
from benchlib.programs import PROGRAMS, program_sizes  # noqa: E402
from benchlib.reference import FUNCTIONS  # noqa: E402
from benchlib.suite import Cell  # noqa: E402
from benchlib.workloads import Workload  # noqa: E402

WITH_REFERENCE = [p for p in (*PROGRAMS, *INDEPENDENT) if p.reference]
NAMES = [p.name for p in PROGRAMS]


@pytest.mark.parametrize("program", PROGRAMS, ids=NAMES)
def test_wasmtime_returns_the_expected_value_at_every_size(program: Workload) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    data = program.path.read_bytes()
    assert wasmtime.Module(wasmtime.Engine(), data).imports == []  # runs without a host
    for size, expected in program.sizes.items():
        value = adapter("wasmtime").fresh(data)(program.export, expected.arg)
        assert normalise(value, program.result) == expected.expected, size


@pytest.mark.parametrize("program", WITH_REFERENCE, ids=[p.name for p in WITH_REFERENCE])
def test_python_version_returns_the_expected_values(program: Workload) -> None:
    function = FUNCTIONS[program.reference or ""]
    for size in ("tiny", "short"):
        value = normalise(function(program.sizes[size].arg), program.result)
        assert value == program.sizes[size].expected, size


def test_wasmem_runs_a_program_and_agrees() -> None:
    program = next(p for p in PROGRAMS if p.name == "coremark")
    value = adapter("wasmem").fresh(program.path.read_bytes())("run", 1)
    assert normalise(value, "i32") == program.sizes["tiny"].expected


@pytest.mark.skipif(shutil.which("clang") is None or shutil.which("wasm-ld") is None,
                    reason="clang/lld for wasm32-wasi not installed")
def test_build_script_reproduces_the_committed_binaries(tmp_path: Path) -> None:
    """Every program but Lua (30 s to compile; its checksums are checked above)."""
    copy = tmp_path / "c"
    shutil.copytree(BENCH / "c", copy)
    small = [p for p in PROGRAMS if p.name != "lua"]
    proc = subprocess.run(["sh", str(copy / "build.sh"), *(p.name for p in small)],
                          capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode != 0 and "wasm32-wasi" in proc.stderr:
        pytest.skip(f"no wasi-libc: {proc.stderr[-200:]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    for program in small:
        built = (copy / "programs" / f"{program.name}.wasm").read_bytes()
        assert built == program.path.read_bytes(), program.name


def test_program_sizes_per_suite_size() -> None:
    assert program_sizes("full") == ("short", "long")
    assert program_sizes("small") == ("tiny", "short")
    assert program_sizes("tiny") == ("tiny",)


def _cells(program: Workload, size: str, times: dict[str, float]) -> dict[str, Cell]:
    expected = program.sizes[size]
    return {engine: Cell(engine, median=t, result=expected.expected, arg=expected.arg,
                         ok=True) for engine, t in times.items()}


def _rows(short: dict[str, float], long: dict[str, float]) -> dict:  # type: ignore[type-arg]
    return {p.name: {"short": _cells(p, "short", short), "long": _cells(p, "long", long)}
            for p in PROGRAMS[:2]}


def test_table_has_both_sizes_and_the_ratio_columns() -> None:
    rows = _rows({"wasmem": 1.0, "wasmem-warm": 0.5, "pwasm": 3.0, "pwasm-warm": 2.0},
                 {"wasmem": 2.0, "wasmem-warm": 2.0, "pwasm": 3.0, "pwasm-warm": 3.0})
    engines = ["wasmem", "wasmem-warm", "pwasm", "pwasm-warm"]
    table = format_programs(list(PROGRAMS[:2]), rows, engines, ("short", "long"))
    header = [c.strip() for c in table.splitlines()[0].split("|")[1:-1]]
    assert header == ["program", "short", *engines, "×pwasm", "warm×pwasm-warm",
                      "long", *engines, "×pwasm", "warm×pwasm-warm"]
    line = [c.strip() for c in table.splitlines()[2].split("|")[1:-1]]
    assert line[6:8] == ["3.00", "4.00"] and line[-2:] == ["1.50", "1.50"]


def test_targets_report_slower_programs_and_the_2x_geomean() -> None:
    rows = _rows({"wasmem": 1.0, "wasmem-warm": 1.0, "pwasm": 3.0, "pwasm-warm": 3.0},
                 {"wasmem": 1.0, "wasmem-warm": 1.0, "pwasm": 2.5, "pwasm-warm": 2.5})
    text = format_speed_targets({}, rows, ("short", "long"), {})
    assert "Never slower than pwasm" in text and "**met** (8 comparisons)" in text
    assert "2x pwasm" in text and "**met** (short cold 3.00" in text
    rows[PROGRAMS[0].name]["long"]["wasmem-warm"].median = 5.0
    text = format_speed_targets({}, rows, ("short", "long"), {})
    assert f"slower: {PROGRAMS[0].name} (0.50) long warm" in text
    assert text.count("**not met**") == 2


def test_first_result_target_and_table() -> None:
    first = {"gemm": {"wasmem": {"median": 0.2, "import": 0.1, "ok": True, "times": [0.2]},
                      "pwasm": {"median": 0.1, "import": 0.01, "ok": True, "times": [0.1]}}}
    text = format_speed_targets({}, {}, ("short",), first)
    assert "no later than pwasm's: **not met** (1 comparisons; later: gemm (0.50) cold)" in text
    table = format_first(first, {"gemm": 4})
    assert "| gemm    | n=4 |" in table and "0.50" in table
    assert "importing the engine" in table


def test_figure_is_well_formed_svg_with_a_bar_per_ratio() -> None:
    rows = _rows({"wasmem": 1.0, "wasmem-warm": 1.0, "pwasm": 3.0, "pwasm-warm": 0.5},
                 {"wasmem": 1.0, "wasmem-warm": 1.0, "pwasm": 2.0, "pwasm-warm": 2.0})
    svg = ratio_figure(rows, [p.name for p in PROGRAMS[:2]], ("short", "long"), "t & t")
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "t &amp; t" in svg and "geomean" in texts and "0.50" in texts
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")
            if r.get("height") == "9"]
    assert len(bars) == 3 * 4  # two programs and the geomean, four ratios each


def test_first_results_alternate_the_engines_after_one_uncounted_process_each(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from benchlib import first
    from benchlib.suite import Settings

    calls: list[str] = []
    program = PROGRAMS[0]
    expected = program.sizes["tiny"].expected

    def fake_child(engine: str, wasm: str, export: str, arg: object, result: str,
                   settings: Settings) -> dict[str, object]:
        calls.append(engine)
        if engine == "pwasm-warm":
            return {"error": "no"}
        return {"first": float(len(calls)), "import": 0.5, "result": expected}

    monkeypatch.setattr(first, "run_child", fake_child)
    settings = Settings(build_dir=tmp_path)
    found = first.run_first([program], ["wasmem", "pwasm", "pwasm-warm"], settings, reps=2)
    assert calls == ["wasmem", "pwasm", "pwasm-warm"] + ["wasmem", "pwasm", "pwasm-warm"] * 2
    row = found[program.name]
    assert row["wasmem"]["times"] == [4.0, 7.0] and row["wasmem"]["median"] == 5.5
    assert row["pwasm"]["times"] == [5.0, 8.0] and row["pwasm"]["ok"]
    assert row["pwasm-warm"] == {"error": "no"}
