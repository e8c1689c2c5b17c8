"""Worker-side measurements of the targets that are not workload times.

Each function takes a task dict (see ``worker.py``) for one engine and returns a
JSON-able dict. The engine ``python`` measures the plain-Python equivalent (a
``bytearray``), which is the yardstick for the memory targets.

- :func:`measure_rss`: resident memory of a 64 MiB linear memory, untouched and touched.
- :func:`measure_growth`: time of each 16 MiB step when growing page by page to 256 MiB.
- :func:`measure_bulk`: time of one 4 MiB ``memory.fill`` / ``memory.copy``.
- :func:`measure_compile`: load, instantiate and first call of the 1 MB module.
"""

from __future__ import annotations

import gc
import itertools
import statistics
import time
from pathlib import Path
from typing import Any

from benchlib.engines import adapter, normalise

__all__ = ["BULK_BLOCK", "GROW_STEP", "GROW_STEPS", "measure_bulk", "measure_compile",
           "measure_growth", "measure_rss", "read_status"]

MIB = 1 << 20
PAGE = 1 << 16
GROW_STEP = 256
"""Pages per growth step (16 MiB)."""
GROW_STEPS = 16
"""Steps to 256 MiB."""
BULK_BLOCK = 4 * MIB
"""Bytes per bulk operation."""


def read_status() -> dict[str, int]:
    """Return ``VmRSS`` and ``VmHWM`` (peak RSS) of this process in bytes.

    Falls back to ``resource.getrusage`` (peak only, reported as both) where
    ``/proc/self/status`` does not exist.
    """
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return {"VmRSS": peak, "VmHWM": peak}
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values


def measure_rss(task: dict[str, Any]) -> dict[str, Any]:
    """Instantiate the 64 MiB memory module, touch every 4 KiB; return RSS deltas in MiB.

    ``instantiated``: RSS growth after instantiation; ``touched``: after writing a byte
    in every 4 KiB; ``peak``: growth of the peak RSS over the whole measurement.
    """
    gc.collect()
    if task["engine"] == "python":
        before = read_status()
        memory = bytearray(64 * MIB)
        after_instance = read_status()
        for address in range(0, len(memory), 4096):
            memory[address] = 1
        count = len(memory) // 4096
    else:
        engine = adapter(task["engine"])
        module = engine.load(Path(task["wasm"]).read_bytes())
        gc.collect()
        before = read_status()
        call = engine.instantiate(module)
        after_instance = read_status()
        count = call("touch")
    after_touch = read_status()
    return {
        "instantiated": (after_instance["VmRSS"] - before["VmRSS"]) / MIB,
        "touched": (after_touch["VmRSS"] - before["VmRSS"]) / MIB,
        "peak": (after_touch["VmHWM"] - before["VmRSS"]) / MIB,
        "result": normalise(count, "i32"),
    }


def measure_growth(task: dict[str, Any]) -> dict[str, Any]:
    """Grow a memory page by page to 256 MiB; return the seconds of each 16 MiB step."""
    steps: list[float] = []
    if task["engine"] == "python":
        memory = bytearray()
        zero_page = bytes(PAGE)
        for _ in range(GROW_STEPS):
            start = time.perf_counter()
            for _ in range(GROW_STEP):
                old = len(memory)
                memory += zero_page
                memory[old] = 1
            steps.append(time.perf_counter() - start)
        pages = len(memory) // PAGE
    else:
        engine = adapter(task["engine"])
        call = engine.fresh(Path(task["wasm"]).read_bytes())
        pages = 0
        for _ in range(GROW_STEPS):
            start = time.perf_counter()
            pages = call("grow", GROW_STEP)
            steps.append(time.perf_counter() - start)
            if pages == -1:
                break
    return {"steps": steps, "result": normalise(pages, "i32")}


def _median_time(operation: Any, repeats: int) -> float:
    """Median seconds of ``operation()`` over ``repeats`` calls after two untimed ones."""
    operation()
    operation()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_bulk(task: dict[str, Any]) -> dict[str, Any]:
    """Median seconds of a 4 MiB fill, copy and overlapping copy in a 16 MiB memory.

    The wasm engines run ``bulk.wasm``'s ``fill(d, v, n)`` and ``copy(d, s, n)``
    exports on one instance; ``python`` does the same with bytearray slice assignment
    (``m[d:d+n] = bytes((v,)) * n`` and ``m[d:d+n] = m[s:s+n]``).
    """
    n = BULK_BLOCK
    repeats = task.get("repeats", 15)
    if task["engine"] == "python":
        memory = bytearray(16 * MIB)

        def fill() -> None:
            memory[0:n] = bytes((7,)) * n

        def copy() -> None:
            memory[8 * MIB:8 * MIB + n] = memory[0:n]

        def overlap() -> None:
            memory[1:1 + n] = memory[0:n]
    else:
        call = adapter(task["engine"]).fresh(Path(task["wasm"]).read_bytes())

        def fill() -> None:
            call("fill", 0, 7, n)

        def copy() -> None:
            call("copy", 8 * MIB, 0, n)

        def overlap() -> None:
            call("copy", 1, 0, n)
    return {"fill": _median_time(fill, repeats), "copy": _median_time(copy, repeats),
            "overlap": _median_time(overlap, repeats)}


def measure_compile(task: dict[str, Any]) -> dict[str, Any]:
    """Load and instantiate the 1 MB module, call ``one``, then ``main`` twice; return the
    seconds of each step.

    ``one`` calls a single small function (a lazy compiler translates just that);
    ``main`` calls every function once, so its first call includes translating all the
    rest; its second call shows the run time alone. ``to_one`` and ``to_all`` are the
    times from the bytes to the end of the first call of ``one`` and of ``main``.
    """
    engine = adapter(task["engine"])
    data = Path(task["wasm"]).read_bytes()
    gc.collect()
    marks = [time.perf_counter()]
    module = engine.load(data)
    marks.append(time.perf_counter())
    call = engine.instantiate(module)
    marks.append(time.perf_counter())
    call("one")
    marks.append(time.perf_counter())
    result = call("main")
    marks.append(time.perf_counter())
    call("main")
    marks.append(time.perf_counter())
    load, instantiate, one, first, second = (b - a for a, b in itertools.pairwise(marks))
    answer = {"load": load, "instantiate": instantiate, "one": one, "first_main": first,
              "second_main": second, "to_one": marks[3] - marks[0],
              "to_all": marks[4] - marks[0], "result": normalise(result, "i32"),
              "bytes": len(data)}
    if task["engine"] == "wasmem":
        answer.update(_wasmem_load_phases(data))
    return answer


def _wasmem_load_phases(data: bytes) -> dict[str, float]:
    """Seconds of wasmem's decoding (sections, bodies kept encoded) and validation (bodies
    checked from their bytes) alone: what ``wasmem.Module`` does (internal API: empty if
    moved)."""
    try:
        from wasmem.binary import decode_module
        from wasmem.valid import validate_module
    except ImportError:
        return {}
    gc.collect()
    start = time.perf_counter()
    try:
        tree = decode_module(data, lazy_bodies=True)
    except TypeError:  # a wasmem from before lazy bodies
        tree = decode_module(data)
    decoded = time.perf_counter()
    validate_module(tree)
    return {"decode": decoded - start, "validate": time.perf_counter() - decoded}
