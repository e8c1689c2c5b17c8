"""Running the workloads: one worker process per (workload, engine), checked results.

:func:`measure_row` times one workload on every engine and checks each result against
the workload's expected value and wasmtime's. pywasm, 100-400 times slower than the
others, is measured at the ``tiny`` and ``small`` sizes and its time at the main size is
extrapolated with a straight line through those two points in the workload's ``work``
measure (the cell is then marked extrapolated).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .workloads import BENCH_DIR, Workload

__all__ = ["SOURCE_DIR", "Cell", "Settings", "engine_env", "measure_cell", "measure_row",
           "row_problems", "run_worker"]

WORKER = Path(__file__).with_name("worker.py")
SOURCE_DIR = BENCH_DIR.parent / "src"


@dataclass
class Settings:
    """How to run: main size, repetitions, time limits, where the binaries and caches are."""

    size: str = "full"
    reps: int = 7
    warmup: int = 1
    cap: float = 60.0
    """Seconds of timed runs after which a worker stops repeating."""
    timeout: float = 600.0
    """Seconds after which a worker process is killed."""
    build_dir: Path = field(default_factory=lambda: Path("."))
    pwasm_cache: Path = field(default_factory=lambda: Path("pwasm-cache"))
    wasmem_cache: Path = field(default_factory=lambda: Path("wasmem-cache"))
    source: Path = SOURCE_DIR
    """The wasmem source tree the workers import (first on ``PYTHONPATH``)."""


@dataclass
class Cell:
    """One engine's result on one workload (times in seconds)."""

    engine: str
    median: float | None = None
    times: list[float] = field(default_factory=list)
    first: float | None = None
    result: Any = None
    arg: int | None = None
    ok: bool = False
    extrapolated: bool = False
    error: str | None = None


def engine_env(engine: str, settings: Settings) -> dict[str, str]:
    """Return the environment of a worker for ``engine``.

    ``settings.source`` (the checkout's ``src`` unless ``--source`` says otherwise) comes
    first on ``PYTHONPATH``, so the suite measures that wasmem;
    pwasm's disk cache is off (``PWASM_CACHE_DIR`` empty) except for ``pwasm-warm``, and
    wasmem's (``WASMEM_CACHE_DIR``) except for ``wasmem-warm``.
    """
    env = dict(os.environ)
    paths = [str(settings.source)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PWASM_CACHE_DIR"] = str(settings.pwasm_cache) if engine == "pwasm-warm" else ""
    env["WASMEM_CACHE_DIR"] = str(settings.wasmem_cache) if engine == "wasmem-warm" else ""
    return env


def run_worker(task: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Run one task in a fresh worker process; return its JSON answer.

    Never raises for engine failures: a crash, a timeout or an unreadable answer comes
    back as ``{"error": "..."}``.
    """
    engine = task.get("engine", "")
    try:
        proc = subprocess.run(
            [sys.executable, str(WORKER), json.dumps(task)], capture_output=True, text=True,
            timeout=settings.timeout, env=engine_env(engine, settings), check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {settings.timeout:.0f} s"}
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    try:
        answer = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"error": f"worker exited with {proc.returncode}: {tail[0][:300]}"}
    return answer if isinstance(answer, dict) else {"error": f"bad answer {answer!r}"}


def _task(workload: Workload, engine: str, size: str, reps: int, warmup: int,
          settings: Settings) -> dict[str, Any]:
    return {"task": "workload", "engine": engine, "export": workload.export,
            "wasm": str(settings.build_dir / (workload.path.stem + ".wasm")),
            "arg": workload.sizes[size].arg, "calls": workload.calls,
            "result": workload.result, "reps": reps, "warmup": warmup, "cap": settings.cap,
            "reference": workload.reference}


def measure_cell(workload: Workload, engine: str, size: str, reps: int, warmup: int,
                 settings: Settings) -> Cell:
    """Time ``workload`` at ``size`` on ``engine`` in a fresh worker process; return the
    cell, ``ok`` when the result is the size's expected value."""
    answer = run_worker(_task(workload, engine, size, reps, warmup, settings), settings)
    cell = Cell(engine, arg=workload.sizes[size].arg)
    if "error" in answer:
        cell.error = answer["error"]
        return cell
    cell.times = answer["times"]
    cell.first = answer["first"]
    cell.result = answer["result"]
    cell.median = statistics.median(cell.times) if cell.times else None
    cell.ok = cell.result == workload.sizes[size].expected
    return cell


def _extrapolate(workload: Workload, low: Cell, high: Cell, target: int) -> float | None:
    """Time at argument ``target`` on the line through the two measured cells."""
    if low.median is None or high.median is None or low.arg is None or high.arg is None:
        return None
    w_low, w_high, w_target = (workload.work(a) for a in (low.arg, high.arg, target))
    slope = (high.median - low.median) / (w_high - w_low) if w_high != w_low else 0.0
    fixed = low.median - slope * w_low
    if slope <= 0 or fixed < 0:  # noise: fall back to proportional scaling
        return high.median * w_target / w_high
    return fixed + slope * w_target


def _measure_pywasm(workload: Workload, settings: Settings) -> Cell:
    if settings.size in ("tiny", "small"):
        return measure_cell(workload, "pywasm", settings.size, 1, 0, settings)
    low = measure_cell(workload, "pywasm", "tiny", 3, 0, settings)
    high = measure_cell(workload, "pywasm", "small", 1, 0, settings)
    cell = Cell("pywasm", arg=high.arg, result=high.result, extrapolated=True,
                times=low.times + high.times, error=low.error or high.error)
    cell.ok = low.ok and high.ok
    cell.median = _extrapolate(workload, low, high, workload.sizes[settings.size].arg)
    return cell


def measure_row(workload: Workload, engines: list[str], settings: Settings,
                progress: Any = None) -> dict[str, Cell]:
    """Time ``workload`` on each engine (``python``: its reference, if it has one).

    Returns the cells by engine. A cell is ``ok`` when its result equals the expected
    value and, at the same argument, wasmtime's result.
    """
    cells: dict[str, Cell] = {}
    for engine in engines:
        if engine == "python" and workload.reference is None:
            continue
        if progress is not None:
            progress(f"{workload.name}: {engine}")
        if engine == "pywasm":
            cells[engine] = _measure_pywasm(workload, settings)
        else:
            cells[engine] = measure_cell(workload, engine, settings.size, settings.reps,
                                     settings.warmup, settings)
    reference = cells.get("wasmtime")
    if reference is not None and reference.error is None:
        for cell in cells.values():
            if cell.arg == reference.arg and cell.result != reference.result:
                cell.ok = False
    return cells


def _expected(workload: Workload, arg: int) -> Any:
    return next((s.expected for s in workload.sizes.values() if s.arg == arg), None)


def _results_by_arg(cells: dict[str, Cell]) -> dict[int, dict[str, Any]]:
    """Results of the cells that ran, grouped by argument: ``{arg: {engine: result}}``."""
    by_arg: dict[int, dict[str, Any]] = {}
    for cell in cells.values():
        if cell.error is None and cell.arg is not None:
            by_arg.setdefault(cell.arg, {})[cell.engine] = cell.result
    return by_arg


def row_problems(workload: Workload, cells: dict[str, Cell]) -> list[str]:
    """Return why a row is WRONG, or an empty list when it is right.

    A row is right when every engine that ran returned the expected value and all
    engines given the same argument returned equal results (engine failures, ``err``,
    are reported separately and do not make a row wrong).
    """
    problems = []
    for arg, results in sorted(_results_by_arg(cells).items()):
        if len(set(map(repr, results.values()))) > 1:
            listed = ", ".join(f"{engine} {result!r}" for engine, result in results.items())
            problems.append(f"engines disagree at arg {arg}: {listed}")
    for cell in cells.values():
        if cell.error is None and not cell.ok:
            problems.append(f"{cell.engine} returned {cell.result!r} for arg {cell.arg}, "
                            f"expected {_expected(workload, cell.arg or 0)!r}")
    return problems
