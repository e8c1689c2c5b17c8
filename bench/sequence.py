"""What a user sees running a program again and again: wasmem against pwasm, one fresh
process per run, runs 1, 2, 3... sharing a disk cache directory that starts empty.

    python bench/sequence.py --realworld --programs sqlite,erfa --args 1 --runs 3

Run 1 is a cold start (empty cache: translation and everything else is paid), the later
runs find what the earlier ones stored. For each program and argument, each round makes a
fresh empty cache directory per engine and runs the sequence on both engines, alternating
the engines run by run (wasmem's run 1, pwasm's run 1, pwasm's run 2, wasmem's run 2, ...)
so both see the same load; ``--rounds`` rounds, medians per run number. Each process
reports the time from the module's bytes to the result (imports excluded) and the whole
process's wall time is measured outside (imports and interpreter start-up included).
Prints a Markdown table: per run number, both engines' median in-process and process times
and the ratio pwasm / wasmem (above 1: wasmem faster; bold below 0.97). Results are
checked against the expected value where the size has one.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.independent import INDEPENDENT
from benchlib.options import split_names
from benchlib.realworld import REALWORLD
from benchlib.suite import SOURCE_DIR

CHILD = r"""
import json, sys, time
engine, path, export, arg = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if engine == "wasmem":
    import wasmem
    data = open(path, "rb").read()
    start = time.perf_counter()
    value = getattr(wasmem.Instance(wasmem.Module(data)).exports, export)(arg)
else:
    import pwasm
    data = open(path, "rb").read()
    start = time.perf_counter()
    value = getattr(pwasm.instantiate(pwasm.decode_module(data)).exports, export)(arg)
print(json.dumps({"seconds": time.perf_counter() - start, "value": value & 0xFFFFFFFF}))
"""

CACHE_VARIABLE = {"wasmem": "WASMEM_CACHE_DIR", "pwasm": "PWASM_CACHE_DIR"}


def one_run(engine: str, wasm: Path, export: str, arg: int, cache: str, source: Path,
            timeout: float) -> tuple[float, float, int]:
    """Run one fresh process; return (in-process seconds, process seconds, result).

    Raises:
        RuntimeError: if the process fails.
    """
    env = dict(os.environ, PYTHONPATH=str(source), **{CACHE_VARIABLE[engine]: cache})
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, engine, str(wasm), export, str(arg)],
                          capture_output=True, text=True, env=env, timeout=timeout,
                          check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} {wasm.name}({arg}): {proc.stderr[-500:]}")
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    return answer["seconds"], wall, answer["value"]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 2 if a result was wrong, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", default="", help="comma-separated (default all)")
    parser.add_argument("--realworld", action="store_true",
                        help="the real-world programs instead of the independent ones")
    parser.add_argument("--sizes", default="short")
    parser.add_argument("--args", default="", help="explicit arguments instead of sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--source", type=Path, default=SOURCE_DIR)
    args = parser.parse_args(argv)
    known = {p.name: p for p in (REALWORLD if args.realworld else INDEPENDENT)}
    chosen = split_names(args.programs) or list(known)
    if unknown := [n for n in chosen if n not in known]:
        parser.error(f"unknown program(s) {', '.join(unknown)}; known: {', '.join(known)}")
    wrong = False
    print("| program | arg | run | wasmem | pwasm | ×pwasm | wasmem process | pwasm process "
          "| ×pwasm process |")
    print("| --- | --- | --: | --: | --: | --: | --: | --: | --: |")
    for name in chosen:
        program = known[name]
        cases: list[tuple[int, float | None]]
        if args.args:
            cases = [(int(a), None) for a in split_names(args.args)]
        else:
            cases = [(program.sizes[s].arg, program.sizes[s].expected)
                     for s in split_names(args.sizes) if s in program.sizes]
        for arg, expected in cases:
            times: dict[tuple[str, int], list[tuple[float, float]]] = {}
            for _ in range(args.rounds):
                with tempfile.TemporaryDirectory() as ours, \
                        tempfile.TemporaryDirectory() as theirs:
                    caches = {"wasmem": ours, "pwasm": theirs}
                    for run in range(1, args.runs + 1):
                        order = ("wasmem", "pwasm") if run % 2 else ("pwasm", "wasmem")
                        for engine in order:
                            inside, wall, value = one_run(engine, program.path,
                                                          program.export, arg,
                                                          caches[engine], args.source,
                                                          args.timeout)
                            wrong = wrong or (expected is not None and value != expected)
                            times.setdefault((engine, run), []).append((inside, wall))
            for run in range(1, args.runs + 1):
                ours_in = statistics.median(t[0] for t in times["wasmem", run])
                ours_wall = statistics.median(t[1] for t in times["wasmem", run])
                peer_in = statistics.median(t[0] for t in times["pwasm", run])
                peer_wall = statistics.median(t[1] for t in times["pwasm", run])
                ratio, process = peer_in / ours_in, peer_wall / ours_wall
                cells = [f"{ratio:.2f}" if ratio >= 0.97 else f"**{ratio:.2f}**",
                         f"{process:.2f}" if process >= 0.97 else f"**{process:.2f}**"]
                print(f"| {name} | n={arg} | {run} | {ours_in:.3g} s | {peer_in:.3g} s | "
                      f"{cells[0]} | {ours_wall:.3g} s | {peer_wall:.3g} s | {cells[1]} |",
                      flush=True)
    if wrong:
        print("WRONG: a result differs from the expected value")
    return 2 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
