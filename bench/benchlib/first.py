"""Time to the first result: a fresh process that imports an engine, loads a program,
instantiates it and calls it once with a small argument.

This is what a user who runs a short program once sees (issue 15's "first result"
target: a call that does little work returns no later than pwasm's). The worker side,
:func:`measure_first`, times from just before the engine's import to the call's result;
the parent side, :func:`run_first`, runs it in ``reps`` fresh processes per (program,
engine) after one uncounted process (which fills the warm engines' disk caches and the
operating system's file cache), and keeps the median.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .engines import adapter, normalise
from .suite import Settings, run_worker
from .workloads import Workload

__all__ = ["FIRST_ENGINES", "measure_first", "run_first"]

FIRST_ENGINES = ("wasmem", "wasmem-warm", "pwasm", "pwasm-warm")
"""The engines the target compares (cold with cold, warm with warm)."""


def measure_first(task: dict[str, Any]) -> dict[str, Any]:
    """Worker task ``first``: import the engine, load ``wasm``, instantiate, call
    ``export(arg)`` once; return ``first`` (seconds from before the import to the
    result), ``import`` (seconds of the import alone) and ``result``.

    Raises:
        KeyError, ImportError: unknown or missing engine; any engine error propagates.
    """
    start = time.perf_counter()
    engine = adapter(task["engine"])
    imported = time.perf_counter()
    call = engine.fresh(Path(task["wasm"]).read_bytes())
    value = call(task["export"], task["arg"])
    end = time.perf_counter()
    return {"first": end - start, "import": imported - start,
            "result": normalise(value, task["result"])}


def run_first(programs: list[Workload], engines: list[str], settings: Settings,
              size: str = "tiny", reps: int = 3,
              progress: Callable[[str], None] | None = None) -> dict[str, dict[str, Any]]:
    """Time the first result of every program at ``size`` on the engines of
    :data:`FIRST_ENGINES` that are in ``engines``.

    Returns ``{program: {engine: answer}}``; an answer has ``times``, ``median``,
    ``import`` (median seconds of the engine's import), ``result`` and ``ok`` (the result
    is the expected one), or ``error``.
    """
    found: dict[str, dict[str, Any]] = {}
    for program in programs:
        expected = program.sizes[size].expected
        row: dict[str, Any] = {}
        for engine in (e for e in FIRST_ENGINES if e in engines):
            if progress is not None:
                progress(f"first result, {program.name}: {engine}")
            task = {"task": "first", "engine": engine, "export": program.export,
                    "wasm": str(settings.build_dir / (program.path.stem + ".wasm")),
                    "arg": program.sizes[size].arg, "result": program.result}
            answers = [run_worker(task, settings) for _ in range(reps + 1)][1:]
            failed = next((a for a in answers if "error" in a), None)
            if failed is not None:
                row[engine] = {"error": failed["error"]}
                continue
            times = [a["first"] for a in answers]
            row[engine] = {"times": times, "median": statistics.median(times),
                           "import": statistics.median(a["import"] for a in answers),
                           "result": answers[-1]["result"],
                           "ok": all(a["result"] == expected for a in answers)}
        found[program.name] = row
    return found
