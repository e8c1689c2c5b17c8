"""wasmem against pwasm side by side on the independent or real-world programs, at any
run length.

    python bench/sidebyside.py                          # every program, tiny/short/long
    python bench/sidebyside.py --realworld --sizes short,long   # the real-world programs
    python bench/sidebyside.py --programs recur,json --sizes short --modes cold
    python bench/sidebyside.py --programs lz --args 1,3,60,300   # any arguments (no check)
    python bench/sidebyside.py --recursion --sizes tiny,short --modes cold  # bench/c/recursion

Unlike ``run.py`` (one process per engine, the engines one after the other), each cell
alternates the two engines: ``--rounds`` rounds of one wasmem process and one pwasm
process, in swapped order every other round, each process timing ``--reps`` runs (fresh
module and instance per run) after one uncounted run; the cell is the median of all the
timed runs of each engine. ``cold``: both disk caches off; ``warm``: each engine with its
own cache directory, filled by the first process's uncounted run. On a shared machine this
keeps the two engines under the same load. Prints one Markdown row per program: the ratio
pwasm time / wasmem time per (size, mode), bold below 0.97 (wasmem slower); results are
checked against the expected values (``✗`` when one differs).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.build import build
from benchlib.independent import INDEPENDENT
from benchlib.options import split_names
from benchlib.realworld import REALWORLD
from benchlib.recursion import RECURSION
from benchlib.suite import SOURCE_DIR, Settings, run_worker
from benchlib.workloads import Workload

ENGINES = {"cold": ("wasmem", "pwasm"), "warm": ("wasmem-warm", "pwasm-warm")}


def measure(program: Workload, wasm: Path, arg: int, expected: float | None, mode: str,
            settings: Settings, reps: int, rounds: int) -> tuple[float, bool]:
    """Return (pwasm time / wasmem time, every result right) for one cell."""
    ours, peer = ENGINES[mode]
    times: dict[str, list[float]] = {ours: [], peer: []}
    right = True
    for number in range(rounds):
        for engine in (ours, peer) if number % 2 == 0 else (peer, ours):
            task = {"task": "workload", "engine": engine, "wasm": str(wasm),
                    "export": program.export, "arg": arg, "calls": 1,
                    "result": program.result, "reps": reps, "warmup": 1,
                    "cap": settings.timeout}
            answer = run_worker(task, settings)
            if "error" in answer:
                raise RuntimeError(f"{program.name} {engine}: {answer['error']}")
            times[engine] += answer["times"]
            right = right and (expected is None or answer["result"] == expected)
    return statistics.median(times[peer]) / statistics.median(times[ours]), right


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 2 if a result was wrong, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", default="", help="comma-separated (default all)")
    parser.add_argument("--realworld", action="store_true",
                        help="the real-world programs (bench/c/realworld) instead of the "
                        "independent ones")
    parser.add_argument("--recursion", action="store_true",
                        help="the recursion programs (bench/c/recursion) instead")
    parser.add_argument("--sizes", default="tiny,short,long")
    parser.add_argument("--args", default="", help="explicit arguments instead of sizes")
    parser.add_argument("--modes", default="cold,warm")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--source", type=Path, default=SOURCE_DIR)
    parser.add_argument("--cpu", action="store_true",
                        help="time runs in CPU time (process_time) instead of wall time")
    args = parser.parse_args(argv)
    if args.cpu:
        os.environ["BENCH_CLOCK"] = "cpu"  # (benchlib.worker.CLOCK_VARIABLE)
    programs = RECURSION if args.recursion else REALWORLD if args.realworld else INDEPENDENT
    known = {p.name: p for p in programs}
    chosen = split_names(args.programs) or list(known)
    if unknown := [n for n in chosen if n not in known]:
        parser.error(f"unknown program(s) {', '.join(unknown)}; known: {', '.join(known)}")
    modes = split_names(args.modes)
    columns = split_names(args.args) or split_names(args.sizes)
    wrong = False
    with tempfile.TemporaryDirectory(prefix="wasmem-sidebyside-") as tmp:
        settings = Settings(size="full", reps=args.reps, timeout=args.timeout,
                            build_dir=Path(tmp), pwasm_cache=Path(tmp, "pwasm-cache"),
                            wasmem_cache=Path(tmp, "wasmem-cache"),
                            source=args.source.resolve())
        print("| program | " + " | ".join(f"{c} {m}" for c in columns for m in modes) + " |")
        print("| --- |" + " --: |" * (len(columns) * len(modes)), flush=True)
        logs: list[list[float]] = [[] for _ in range(len(columns) * len(modes))]
        for name in chosen:
            program = known[name]
            build(program.path, Path(tmp), "auto")
            wasm = Path(tmp, program.path.stem + ".wasm")
            cells: list[str] = []
            for column in columns:
                if args.args:
                    arg, expected = int(column), None
                else:
                    arg, expected = program.sizes[column].arg, program.sizes[column].expected
                for mode in modes:
                    for cache in (settings.pwasm_cache, settings.wasmem_cache):
                        for old in cache.glob("**/*") if cache.exists() else ():
                            if old.is_file():
                                old.unlink()  # each warm cell fills its own caches
                    ratio, right = measure(program, wasm, arg, expected, mode, settings,
                                           args.reps, args.rounds)
                    wrong = wrong or not right
                    logs[len(cells)].append(math.log(ratio))
                    text = f"{ratio:.2f}" + ("" if right else " ✗")
                    cells.append(f"**{text}**" if ratio < 0.97 else text)
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
        print("| geomean | " + " | ".join(
            f"{math.exp(sum(v) / len(v)):.2f}" if v else "" for v in logs) + " |")
    return 2 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
