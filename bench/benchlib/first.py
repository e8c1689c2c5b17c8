"""Time to the first result: a fresh process that imports an engine, loads a program,
instantiates it and calls it once with a small argument.

This is what a user who runs a short program once sees (issue 15's "first result" target:
a call that does little work returns no later than pwasm's). :func:`run_first` runs, per
(program, engine), one uncounted process (which fills the warm engines' disk caches and
the operating system's file cache), then ``reps`` rounds of one fresh process per engine,
alternated (so that a change of the machine's load falls on every engine alike), and keeps
each engine's median. Each process is a minimal Python program (:data:`CHILD`) that times
from just before the engine's import to the call's result: not the benchmark worker, which
has imported the suite's own modules (``dataclasses``, ``hashlib``, ``pathlib``,
``tempfile``...) before, so that an engine needing them would find them loaded for free,
as it would not in a user's process. :func:`measure_first` is the same measurement as a
worker task (inside a worker process).
"""

from __future__ import annotations

import functools
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .engines import WARM, adapter, normalise
from .suite import Settings, engine_env
from .workloads import Workload

__all__ = ["CHILD", "FIRST_ENGINES", "measure_first", "run_child", "run_first"]

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


CHILD = r"""
import sys, time, json
start = time.perf_counter()
engine, wasm, export, arg = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
if engine == "wasmem":
    import wasmem
    imported = time.perf_counter()
    with open(wasm, "rb") as f:
        exports = wasmem.Instance(wasmem.Module(f.read())).exports
else:
    import pwasm
    imported = time.perf_counter()
    with open(wasm, "rb") as f:
        exports = pwasm.instantiate(pwasm.decode_module(f.read())).exports
value = exports[export](arg)
end = time.perf_counter()
print(json.dumps({"first": end - start, "import": imported - start, "value": value}))
"""
"""The program each timed process runs: ``python -c CHILD engine wasm export arg``
(``engine``: ``wasmem`` or ``pwasm``; its disk cache is set by the environment)."""


def run_child(engine: str, wasm: str, export: str, arg: Any, result: str,
              settings: Settings) -> dict[str, Any]:
    """Time one first result in a fresh minimal process (:data:`CHILD`) of ``engine``
    (one of :data:`FIRST_ENGINES`); return ``first``, ``import`` and ``result`` (as
    ``result`` type), or ``error``. Never raises for engine failures."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, WARM.get(engine, engine), wasm, export,
             json.dumps(arg)], capture_output=True, text=True, timeout=settings.timeout,
            env=engine_env(engine, settings), check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {settings.timeout:.0f} s"}
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    try:
        answer = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"error": f"process exited with {proc.returncode}: {tail[0][:300]}"}
    return {"first": answer["first"], "import": answer["import"],
            "result": normalise(answer["value"], result)}


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
    chosen = [e for e in FIRST_ENGINES if e in engines]
    for program in programs:
        wasm = str(settings.build_dir / (program.path.stem + ".wasm"))
        sized = program.sizes[size]
        child = functools.partial(_child, wasm, program, sized.arg, settings)
        answers: dict[str, list[dict[str, Any]]] = {}
        for engine in chosen:  # one uncounted process each: caches filled
            if progress is not None:
                progress(f"first result, {program.name}: {engine}")
            answers[engine] = [child(engine)]
        for _ in range(reps):  # the engines' processes alternated, round by round
            for engine in chosen:
                answers[engine].append(child(engine))
        found[program.name] = {engine: _first_answer(answers[engine][1:], sized.expected)
                               for engine in chosen}
    return found


def _child(wasm: str, program: Workload, arg: Any, settings: Settings,
           engine: str) -> dict[str, Any]:
    """:func:`run_child` of ``program`` at ``arg`` on ``engine``."""
    return run_child(engine, wasm, program.export, arg, program.result, settings)


def _first_answer(answers: list[dict[str, Any]], expected: Any) -> dict[str, Any]:
    """One engine's cell of :func:`run_first` from its counted processes' answers."""
    failed = next((a for a in answers if "error" in a), None)
    if failed is not None:
        return {"error": failed["error"]}
    times = [a["first"] for a in answers]
    return {"times": times, "median": statistics.median(times),
            "import": statistics.median(a["import"] for a in answers),
            "result": answers[-1]["result"],
            "ok": all(a["result"] == expected for a in answers)}
