"""The worker process: runs one measurement task for one engine and prints JSON.

Run as ``python bench/benchlib/worker.py '<task json>'``; the last line of standard output
is the JSON answer (``{"error": "..."}`` when the task failed). Every engine runs in its
own process, so no engine's memory state, caches or garbage skew another's numbers.

Task ``workload``: ``engine``, ``wasm`` (path), ``export``, ``arg``, ``calls``, ``result``
(``i32``/``f64``), ``reps``, ``warmup``, ``cap`` (seconds) and, for the ``python`` engine,
``reference`` (a function of ``reference.py``). Each run instantiates the module afresh
(so decoding, validation and compilation are inside the timing; cold wasmem forgets
the modules its process validated before each load, see ``engines.py``) and calls the export
``calls`` times; the first ``warmup`` runs are not counted (their time is reported as
``first``), and timed runs stop early once they have used ``cap`` seconds. The other
tasks (``rss``, ``grow``, ``bulk``, ``compile``) are the targets, see ``targets.py``;
``wasi`` runs a WASI program, see ``wasi.py``; ``first`` times a fresh process's first
result, see ``first.py``.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchlib`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import first, targets, wasi
from benchlib.engines import adapter, normalise
from benchlib.reference import FUNCTIONS
from benchlib.timing import repeat

CLOCK_VARIABLE = "BENCH_CLOCK"
"""Set to ``cpu``, workloads are timed in CPU time of the worker (``time.process_time``:
less noisy on a shared machine) instead of wall time."""

__all__ = ["main", "run_task", "time_workload"]


def time_workload(task: dict[str, Any]) -> dict[str, Any]:
    """Time one workload on one engine; return ``times``, ``first`` and ``result``."""
    calls, arg, export = task["calls"], task["arg"], task["export"]
    if task["engine"] == "python":
        function = FUNCTIONS[task["reference"]]

        def run() -> tuple[Any, Any]:
            value = None
            for _ in range(calls):
                value = function(arg)
            return value, None
    else:
        engine = adapter(task["engine"])
        data = Path(task["wasm"]).read_bytes()

        def run() -> tuple[Any, Any]:
            call = engine.fresh(data)
            value = None
            for _ in range(calls):
                value = call(export, arg)
            return value, call  # (the instance is dropped after the timer)

    clock = time.process_time if os.environ.get(CLOCK_VARIABLE) == "cpu" else time.perf_counter

    def once() -> tuple[float, Any]:
        gc.collect()  # (the previous run's garbage, untimed for every engine)
        start = clock()
        value, kept = run()
        elapsed = clock() - start
        del kept  # freeing the instance (wasmem: at once; pwasm: at the next collection)
        return elapsed, value

    answer = repeat(once, task["warmup"], task["reps"], task["cap"])
    answer["result"] = normalise(answer["result"], task["result"])
    return answer


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """Run a task (see the module docstring) and return its JSON-able answer.

    Raises:
        KeyError: unknown task kind; any engine error propagates to :func:`main`.
    """
    kind = task["task"]
    if kind == "workload":
        return time_workload(task)
    if kind == "rss":
        return targets.measure_rss(task)
    if kind == "grow":
        return targets.measure_growth(task)
    if kind == "bulk":
        return targets.measure_bulk(task)
    if kind == "compile":
        return targets.measure_compile(task)
    if kind == "wasi":
        return wasi.time_command(task)
    if kind == "first":
        return first.measure_first(task)
    raise KeyError(f"unknown task {kind!r}")


def main(argv: list[str]) -> int:
    """Run the task given as JSON in ``argv[1]``; print the answer; return the exit code."""
    task = json.loads(argv[1])
    try:
        answer = run_task(task)
    except Exception as exc:  # report any engine failure to the parent as data
        answer = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    sys.stdout.write("\n" + json.dumps(answer) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
