"""What watching costs: one workload run unwatched, after a watchpoint was set and
removed (the code must be back to full speed), with a watchpoint on bytes it never
touches, and under a memory trace whose events go to a no-op callable.

    python bench/observe.py [--workload memsum] [--arg 32768] [--reps 3]

Prints one line per case: tier, case, best time, and the ratio to the unwatched run
(all on one instance, in this order).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import wasmem

WORKLOADS = Path(__file__).resolve().parent / "workloads"


def best(run: Any, arg: int, reps: int) -> float:
    """The shortest of ``reps`` runs of ``run(arg)``, in seconds."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        run(arg)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", default="memsum")
    parser.add_argument("--arg", type=int, default=32768)
    parser.add_argument("--reps", type=int, default=3)
    options = parser.parse_args()
    module = wasmem.Module((WORKLOADS / f"{options.workload}.wat").read_text())
    for tier in ("compile", "interpret"):
        instance = wasmem.Instance(module, tier=tier)
        export = instance.exports[options.workload]
        export(options.arg)  # translate first
        base = best(export, options.arg, options.reps)
        instance.watch(0, 1, callback=print).remove()
        after = best(export, options.arg, options.reps)
        far = instance.watch(60_000_000, 60_000_001, callback=print)
        watched = best(export, options.arg, options.reps)
        far.remove()
        with instance.trace(calls=False, out=lambda event: None):
            traced = best(export, options.arg, options.reps)
        for case, seconds in (("unwatched", base), ("after remove", after),
                              ("watchpoint elsewhere", watched), ("memory trace", traced)):
            print(f"{tier:<9} {case:<21} {seconds:8.4f} s  x{seconds / base:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
