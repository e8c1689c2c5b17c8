"""What a finished run leaves to Python's cyclic garbage collector, and what collections
cost the runs, when one process makes several fresh Module+Instance of a program.

    python bench/cycles.py                                  # cmark lua sqlite mallocs recur
    python bench/cycles.py --programs cmark --runs 6 --source src
    python bench/cycles.py --reuse-module                   # one Module, fresh Instances

Each program runs ``--runs`` times in one process (one fresh Module and Instance per
run, dropped after it; ``--reuse-module``: one Module for all runs), in a fresh process
per program and mode (``cold``: no disk cache; ``warm``: a disk cache filled by an
uncounted first run). Per run it records the CPU time of the run, the collections
Python made during it (by generation, with their CPU time, from ``gc.callbacks``), the
CPU time of dropping the Instance and Module (what reference counting frees then), and
after it ``gc.collect()``'s count of unreachable objects and its CPU time: what the
dropped instance left as cyclic garbage (``--no-collect``: none, as in a program that
leaves collections to Python). Prints one Markdown row per program and mode
(medians over the runs after the first).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROGRAMS = {  # name: (wasm, argument)
    "cmark": ("c/realworld/cmark.wasm", 1),
    "lua": ("c/programs/lua.wasm", 1),
    "sqlite": ("c/realworld/sqlite.wasm", 0),
    "mallocs": ("c/programs/mallocs.wasm", 2),
    "recur": ("c/independent/recur.wasm", 4),
}

CHILD = r"""
import gc, json, sys, time
import wasmem
path, arg, runs, reuse = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
explicit = sys.argv[5] == "1"
data = open(path, "rb").read()
clock = time.process_time
state = {"start": 0.0, "gen": 0}
spent = [0.0, 0.0, 0.0]
count = [0, 0, 0]
def timing(phase, info):
    if phase == "start":
        state["start"], state["gen"] = clock(), info["generation"]
    else:
        spent[state["gen"]] += clock() - state["start"]
        count[state["gen"]] += 1
gc.callbacks.append(timing)
shared = wasmem.Module(data) if reuse else None
rows = []
for number in range(runs):
    spent[:] = [0.0, 0.0, 0.0]
    count[:] = [0, 0, 0]
    start = clock()
    module = shared or wasmem.Module(data)
    instance = wasmem.Instance(module)
    result = instance.exports.run(arg)
    elapsed = clock() - start
    in_run = (list(spent), list(count))
    start = clock()
    del instance, module
    drop = clock() - start
    start = clock()
    garbage = gc.collect() if explicit else 0
    collect = clock() - start
    rows.append({"run": elapsed, "drop": drop, "gc_ms": in_run[0], "gcs": in_run[1],
                 "garbage": garbage, "collect": collect, "result": result})
print(json.dumps(rows))
"""


def measure(source: Path, name: str, mode: str, runs: int, reuse: bool,
            explicit: bool = True) -> list[dict]:
    """Run one program ``runs`` times in a fresh process; return its rows."""
    wasm, arg = PROGRAMS[name]
    env = dict(os.environ, PYTHONPATH=str(source))
    with tempfile.TemporaryDirectory() as cache:
        env["WASMEM_CACHE_DIR"] = cache if mode == "warm" else ""
        command = [sys.executable, "-c", CHILD, str(BENCH / wasm), str(arg)]
        if mode == "warm":  # fill the cache
            subprocess.run([*command, "1", "0", "1"], env=env, check=True,
                           capture_output=True)
        out = subprocess.run([*command, str(runs), "1" if reuse else "0",
                              "1" if explicit else "0"], env=env,
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--programs", default=",".join(PROGRAMS))
    parser.add_argument("--modes", default="cold,warm")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse-module", action="store_true")
    parser.add_argument("--no-collect", action="store_true",
                        help="no gc.collect() between runs: the garbage of a run is "
                        "collected when Python decides, in a later run (its cost shows "
                        "in the run's time and its gen2 column)")
    parser.add_argument("--source", type=Path, default=BENCH.parent / "src")
    args = parser.parse_args(argv)
    print("| program | mode | run ms | in-run gen2 ms (n) | in-run gen0+1 ms | drop ms | "
          "garbage left | collect ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name in args.programs.split(","):
        for mode in args.modes.split(","):
            rows = measure(args.source, name, mode, args.runs, args.reuse_module,
                           not args.no_collect)[1:]

            def med(f, rows=rows):  # type: ignore[no-untyped-def]
                return statistics.median(f(r) for r in rows)
            print(f"| {name} | {mode} | {1000 * med(lambda r: r['run']):.1f} | "
                  f"{1000 * med(lambda r: r['gc_ms'][2]):.1f} "
                  f"({med(lambda r: r['gcs'][2]):.0f}) | "
                  f"{1000 * med(lambda r: r['gc_ms'][0] + r['gc_ms'][1]):.1f} | "
                  f"{1000 * med(lambda r: r['drop']):.1f} | "
                  f"{med(lambda r: r['garbage']):.0f} | "
                  f"{1000 * med(lambda r: r['collect']):.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
