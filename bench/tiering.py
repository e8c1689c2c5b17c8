"""Tiered execution against pwasm and against wasmem's compiling tier, short to long runs.

Every measurement decodes the module, instantiates it and calls its ``run(n)`` export
once: the time from decoding to the result (a fresh module and instance each time;
``--runs`` of them per fresh process, after both engines are imported; Python's start-up
and imports are not counted, wasmem's import taking far longer than pwasm's: about
0.25 s against 0.01 s on the machine of the recorded run). *Cold*: no disk cache
(``WASMEM_CACHE_DIR=""``, ``PWASM_CACHE_DIR=""``). *Warm*: each engine's own cache
directory, filled by one run of the same size first. Engines and sizes are interleaved
and every cell is the median of ``--repeat`` x ``--runs`` runs, so the machine's load hits
all alike; the clock is CPU time by default (``--clock wall`` for wall-clock time).

Programs (``bench/tiering_programs``, sources and ``build.sh`` there): recursive calls
(``fib.c``), an f64 matrix product (``matmul.c``), a string hash loop (``hash.c``),
``qsort`` from wasi-libc with a callback (``qsort.c``), a hand-written loop
(``loop.wat``), and ``bench/c/cbench.wasm`` (malloc, qsort, memcpy).

Usage::

    nice python bench/tiering.py                    # all programs, all sizes
    nice python bench/tiering.py --programs fib loop --sizes 1ms 10ms --repeat 5
    WASMEM_TIER_BUDGETS=40,400 python bench/tiering.py ...   # other thresholds
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS = {
    "fib": HERE / "tiering_programs" / "fib.wasm",
    "matmul": HERE / "tiering_programs" / "matmul.wasm",
    "hash": HERE / "tiering_programs" / "hash.wasm",
    "qsort": HERE / "tiering_programs" / "qsort.wasm",
    "loop": HERE / "tiering_programs" / "loop.wasm",
    "cbench": HERE / "c" / "cbench.wasm",
}
SIZES = {  # run(n) for roughly 1 ms, 10 ms, 100 ms, 1 s of pwasm's time (measured)
    "fib": {"1ms": 8, "10ms": 13, "100ms": 18, "1s": 23},
    "matmul": {"1ms": 1, "10ms": 2, "100ms": 20, "1s": 200},
    "hash": {"1ms": 10, "10ms": 100, "100ms": 1000, "1s": 10000},
    "qsort": {"1ms": 1, "10ms": 2, "100ms": 20, "1s": 200},
    "loop": {"1ms": 200, "10ms": 2000, "100ms": 20000, "1s": 200000},
    "cbench": {"1ms": 1, "10ms": 3, "100ms": 30, "1s": 300},
}
ENGINES = ("wasmem", "wasmem-compile", "pwasm")
"""``wasmem``: the default (tiered) mode; ``wasmem-compile``: every function translated
on its first call (the default before tiering)."""


def worker(engine: str, path: str, n: int, runs: int) -> None:
    """Run ``runs`` measurements in this process, each with a fresh module and instance;
    print their wall-clock and CPU seconds as JSON."""
    data = Path(path).read_bytes()
    import pwasm

    import wasmem
    tier = "compile" if engine == "wasmem-compile" else "tiered"
    times = []
    result = None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        if engine == "pwasm":
            result = pwasm.instantiate(pwasm.decode_module(data)).exports["run"](n)
        else:
            result = wasmem.Instance(wasmem.Module(data), tier=tier).exports["run"](n)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    print(json.dumps({"times": times, "result": str(result)}))


def run_one(engine: str, program: str, n: int, cache: Path | None,
            runs: int = 1) -> tuple[list[tuple[float, float]], str]:
    """One fresh process; ``cache``: the engine's cache directory (None: cold)."""
    directory = "" if cache is None else str(cache / engine)
    env = {**os.environ, "WASMEM_CACHE_DIR": directory, "PWASM_CACHE_DIR": directory}
    done = subprocess.run([sys.executable, __file__, "--worker", engine,
                           str(PROGRAMS[program]), str(n), str(runs)],
                          capture_output=True, text=True, env=env, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return [tuple(t) for t in out["times"]], out["result"]


def main(argv: list[str] | None = None) -> int:
    """Measure and print a table (milliseconds, and each engine's ratio to pwasm)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--programs", nargs="+", default=list(PROGRAMS), choices=PROGRAMS)
    parser.add_argument("--sizes", nargs="+", default=["1ms", "10ms", "100ms", "1s"])
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--repeat", type=int, default=3,
                        help="processes per cell and engine (interleaved)")
    parser.add_argument("--runs", type=int, default=3,
                        help="fresh module+instance runs per process")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                        help="CPU time of the process (steadier on a shared machine) or "
                        "wall-clock time")
    parser.add_argument("--modes", nargs="+", default=["cold", "warm"],
                        choices=["cold", "warm"])
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], args.worker[1], int(args.worker[2]), int(args.worker[3]))
        return 0
    print("| program | size | mode | " + " | ".join(f"{e} ms" for e in args.engines)
          + " | " + " | ".join(f"{e} ×pwasm" for e in args.engines if e != "pwasm") + " |")
    print("|" + "---|" * (3 + len(args.engines) * 2 - 1))
    with tempfile.TemporaryDirectory() as tmp:
        for program in args.programs:
            for size in args.sizes:
                n = SIZES[program][size]
                for mode in args.modes:
                    cache = None
                    if mode == "warm":
                        cache = Path(tmp, f"{program}-{size}")
                        for engine in args.engines:  # fill each engine's cache
                            run_one(engine, program, n, cache)
                    times: dict[str, list[float]] = {e: [] for e in args.engines}
                    results = set()
                    clock = 1 if args.clock == "cpu" else 0
                    for _ in range(args.repeat):
                        for engine in args.engines:
                            runs, result = run_one(engine, program, n, cache, args.runs)
                            times[engine] += [run[clock] for run in runs]
                            results.add(result)
                    if len(results) != 1:
                        print(f"results differ for {program} {size}: {results}")
                    median = {e: statistics.median(t) for e, t in times.items()}
                    cells = [f"{median[e] * 1000:.1f}" for e in args.engines]
                    ratios = [f"{median['pwasm'] / median[e]:.2f}" if "pwasm" in median
                              else "" for e in args.engines if e != "pwasm"]
                    print(f"| {program} | {size} (n={n}) | {mode} | " + " | ".join(cells)
                          + " | " + " | ".join(ratios) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
