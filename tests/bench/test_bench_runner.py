"""Smoke tests of the benchmark suite in ``bench/``: the runner works on tiny inputs.

No timing is asserted here (performance claims live in ``bench/README.md``); these tests
check that the workloads' expected values are right (against wasmtime and the Python
references), that the helpers compute what they say, and that ``bench/run.py`` runs end
to end and writes its JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from benchlib import report  # noqa: E402
from benchlib.bigmodule import build_big_module  # noqa: E402
from benchlib.build import BuildError, build, wat_to_wasm  # noqa: E402
from benchlib.engines import adapter, normalise  # noqa: E402
from benchlib.extras import summarise_growth  # noqa: E402
from benchlib.reference import FUNCTIONS  # noqa: E402
from benchlib.suite import Cell, Settings, _extrapolate, row_problems, run_worker  # noqa: E402
from benchlib.workloads import WORKLOADS, Workload  # noqa: E402

WITH_REFERENCE = [w for w in WORKLOADS if w.reference]


@pytest.fixture(scope="module")
def binaries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench-build")
    for workload in WORKLOADS:
        build(workload.path, out, "wat2wasm")
    return out


@pytest.mark.parametrize("workload", WORKLOADS, ids=[w.name for w in WORKLOADS])
def test_wasmtime_returns_the_expected_tiny_and_small_values(workload: Workload,
                                                              binaries: Path) -> None:
    data = (binaries / (workload.path.stem + ".wasm")).read_bytes()
    engine = adapter("wasmtime")
    for size in ("tiny", "small"):
        call = engine.fresh(data)
        value = None
        for _ in range(workload.calls):
            value = call(workload.export, workload.sizes[size].arg)
        assert normalise(value, workload.result) == workload.sizes[size].expected, size


@pytest.mark.parametrize("workload", WITH_REFERENCE, ids=[w.name for w in WITH_REFERENCE])
def test_python_reference_returns_the_expected_values(workload: Workload) -> None:
    function = FUNCTIONS[workload.reference or ""]
    for size in ("tiny", "small"):
        value = normalise(function(workload.sizes[size].arg), workload.result)
        assert value == workload.sizes[size].expected, size


def test_extrapolation_follows_the_line_through_two_points() -> None:
    workload = WORKLOADS[1]  # work = argument
    low = Cell("pywasm", median=1.0 + 2.0 * 10, arg=10)
    high = Cell("pywasm", median=1.0 + 2.0 * 100, arg=100)
    assert _extrapolate(workload, low, high, 1000) == pytest.approx(2001.0)


def test_extrapolation_falls_back_to_proportional_on_noise() -> None:
    workload = WORKLOADS[1]
    low = Cell("pywasm", median=5.0, arg=10)
    high = Cell("pywasm", median=4.0, arg=100)  # slower at the smaller size: noise
    assert _extrapolate(workload, low, high, 1000) == pytest.approx(40.0)


@pytest.mark.parametrize(("value", "text"), [
    (None, "n/a"), (123.4, "123 s"), (1.234, "1.23 s"), (0.0456, "45.6 ms"),
    (0.000789, "789 µs")], ids=["none", "hundreds", "seconds", "millis", "micros"])
def test_seconds_formatting(value: float | None, text: str) -> None:
    assert report.seconds(value) == text


def test_geomean_and_speedups() -> None:
    assert report.geomean([2.0, 8.0]) == pytest.approx(4.0)
    assert report.geomean([]) is None
    rows = {"a": {"wasmem": Cell("wasmem", median=1.0, ok=True),
                  "pwasm": Cell("pwasm", median=3.0, ok=True)},
            "b": {"wasmem": Cell("wasmem", median=1.0, ok=False),
                  "pwasm": Cell("pwasm", median=3.0, ok=True)}}
    assert report.speedups(rows, "pwasm") == {"a": pytest.approx(3.0)}


def test_markdown_table_pads_and_aligns() -> None:
    text = report.markdown_table(["name", "n"], [["ab", "1"], ["c", "234"]],
                                 right=frozenset({1}))
    assert text.splitlines() == ["| name |   n |", "| ---- | --: |", "| ab   |   1 |",
                                 "| c    | 234 |"]


def test_growth_summary_linearity() -> None:
    steps = [1.0] * 4 + [5.0] * 8 + [2.0] * 4
    summary = summarise_growth(steps, 4096)
    assert summary["complete"] and summary["linearity"] == pytest.approx(2.0)
    assert summary["total"] == pytest.approx(52.0) and summary["max"] == 5.0
    assert "linearity" not in summarise_growth(steps[:5], 1024)


def test_builder_encodes_text_and_rejects_unknown_builders() -> None:
    assert wat_to_wasm("(module)", builder="wat2wasm")[:4] == b"\0asm"
    with pytest.raises(BuildError):
        wat_to_wasm("(module)", builder="nonsense")
    with pytest.raises(BuildError):
        wat_to_wasm("(module (func (i32.bogus)))", builder="wat2wasm")


def test_big_module_is_deterministic_and_runs() -> None:
    encode = lambda text: wat_to_wasm(text, builder="wat2wasm")  # noqa: E731
    data = build_big_module(encode, 20_000)
    assert len(data) >= 20_000
    assert data == build_big_module(encode, 20_000)
    call = adapter("wasmtime").fresh(data)
    assert isinstance(call("main"), int) and isinstance(call("one"), int)


def test_worker_reports_engine_failures_as_data(tmp_path: Path) -> None:
    settings = Settings(timeout=120, build_dir=tmp_path, pwasm_cache=tmp_path)
    answer = run_worker({"task": "workload", "engine": "no-such-engine", "wasm": "x",
                         "export": "f", "arg": 1, "calls": 1, "result": "i32", "reps": 1,
                         "warmup": 0, "cap": 1.0}, settings)
    assert "no-such-engine" in answer["error"]


def test_run_py_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--size", "tiny", "--reps", "1",
         "--engines", "wasmem,wasmtime,python", "--workloads", "fib,bulk",
         "--programs", "gemm", "--independent", "sorts", "--realworld", "lz4",
         "--big-bytes", "20000",
         "--builder", "wat2wasm",
         "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "| fib " in proc.stdout and "### Bulk memory" in proc.stdout
    results = json.loads(out.read_text())
    for name in ("fib", "bulk"):
        cells = results["workloads"][name]
        assert set(cells) == {"wasmem", "wasmtime", "python"}
        assert all(cell["ok"] and len(cell["times"]) == 1 for cell in cells.values()), cells
    assert "## Compiled programs" in proc.stdout and "Never slower than pwasm" in proc.stdout
    gemm = results["programs"]["gemm"]["tiny"]
    assert set(gemm) == {"wasmem", "wasmtime", "python"} and all(
        cell["ok"] for cell in gemm.values()), gemm
    targets = results["targets"]
    assert set(targets) == {"bulk", "compile", "memory", "growth", "first",
                            "first_independent", "first_realworld"}
    assert targets["first"]["gemm"]["wasmem"]["ok"]
    assert "## Independent programs" in proc.stdout
    sorts = results["independent"]["sorts"]["tiny"]
    assert set(sorts) == {"wasmem", "wasmtime", "python"} and all(
        cell["ok"] for cell in sorts.values()), sorts
    assert targets["first_independent"]["sorts"]["wasmem"]["ok"]
    assert "## Real-world programs" in proc.stdout
    lz4 = results["realworld"]["lz4"]["tiny"]
    assert set(lz4) == {"wasmem", "wasmtime"} and all(cell["ok"] for cell in lz4.values())
    assert targets["first_realworld"]["lz4"]["wasmem"]["ok"]
    assert targets["memory"]["wasmem"]["result"] == 16384
    assert targets["growth"]["python"]["complete"]
    assert targets["compile"]["wasmem"]["result"] == targets["compile"]["wasmtime"]["result"]


def _row(**results: object) -> dict[str, Cell]:
    """Cells at the `tiny` argument of the first workload, ok when the result is expected."""
    workload = WORKLOADS[0]
    size = workload.sizes["tiny"]
    return {engine: Cell(engine, median=1.0, result=value, arg=size.arg,
                         ok=value == size.expected)
            for engine, value in results.items()}


def test_a_row_is_right_when_every_result_is_expected_and_equal() -> None:
    expected = WORKLOADS[0].sizes["tiny"].expected
    assert row_problems(WORKLOADS[0], _row(wasmem=expected, wasmtime=expected)) == []


@pytest.mark.parametrize("results", [
    {"wasmem": 1, "wasmtime": 610},
    {"wasmem": 1, "pwasm": 2},
], ids=["wrong-value", "engines-disagree"])
def test_a_row_with_a_wrong_or_disagreeing_result_is_marked_wrong(
        results: dict[str, int]) -> None:
    workload = WORKLOADS[0]
    rows = {workload.name: _row(**results)}
    assert row_problems(workload, rows[workload.name])
    table = report.format_workloads([workload], rows, list(results), "tiny")
    assert f"{workload.name} **WRONG**" in table and "disagree" in table


def test_warm_engines_are_compared_with_each_other() -> None:
    workload = WORKLOADS[0]
    expected = workload.sizes["tiny"].expected
    cells = _row(**{"wasmem": expected, "wasmem-warm": expected, "pwasm": expected,
                    "pwasm-warm": expected})
    for engine, median in (("wasmem", 2.0), ("wasmem-warm", 1.0), ("pwasm", 4.0),
                           ("pwasm-warm", 3.0)):
        cells[engine].median = median
    rows = {workload.name: cells}
    engines = ["wasmem", "wasmem-warm", "pwasm", "pwasm-warm"]
    table = report.format_workloads([workload], rows, engines, "tiny")
    header = table.splitlines()[0]
    assert "×wasmem-warm" not in header
    assert [c.strip() for c in header.split("|")[-4:-1]] == [
        "×pwasm", "×pwasm-warm", "warm×pwasm-warm"]
    line = next(row for row in table.splitlines() if row.startswith(f"| {workload.name} "))
    assert [c.strip() for c in line.split("|")[-4:-1]] == ["2.00", "1.50", "3.00"]
    targets = report.format_targets(rows, {})
    assert "wasmem-warm: Faster than pwasm-warm on every workload" in targets


def test_cold_wasmem_validates_every_load_and_warm_remembers(
        monkeypatch: pytest.MonkeyPatch, validations: list[bytes]) -> None:
    import wasmem
    from benchlib.engines import adapter
    data = wasmem.Module('(module (func (export "f") (result i32) (i32.const 5)))'
                         ' ', cache_dir=False).to_bytes() + b"\x00\x02\x01c"
    calls = validations
    monkeypatch.setenv("WASMEM_CACHE_DIR", "")
    cold, warm = adapter("wasmem"), adapter("wasmem-warm")
    assert [cold.fresh(data)("f") for _ in range(3)] == [5, 5, 5]
    assert calls == [data] * 3
    assert [warm.fresh(data)("f") for _ in range(3)] == [5, 5, 5]
    assert calls == [data] * 3  # (remembered from the last cold load)


def test_cold_wasmem_shares_no_module_between_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    import wasmem
    from benchlib.engines import adapter
    data = wasmem.Module('(module (func (export "f") (result i32) (i32.const 6)))'
                         ' ', cache_dir=False).to_bytes() + b"\x00\x02\x01d"
    monkeypatch.setenv("WASMEM_CACHE_DIR", "")
    cold = adapter("wasmem")
    loaded = [cold.load(data) for _ in range(3)]
    # each cold load decodes its own module: no translation, count or decoded function
    # of an earlier load (wasmem.load.cached remembers modules of the same bytes)
    assert len({id(module.ast) for module in loaded}) == 3
    assert [cold.instantiate(module)("f") for module in loaded] == [6, 6, 6]
    assert wasmem.Module(data).ast is loaded[-1].ast  # (not forgotten: shared)
