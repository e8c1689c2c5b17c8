"""Side-by-side timing of wasmem and pwasm on compiled programs, cold and warm.

Each sample is a fresh Python process that imports the engine, then times decoding the
module from its bytes, instantiating it and calling one export (so every sample pays
translation, as a user's first run does). Cold: both engines' disk caches off
(``WASMEM_CACHE_DIR=""``, ``PWASM_CACHE_DIR=""``); warm: both use a cache directory that
one unmeasured run filled. Samples of the engines are interleaved (A B A B ...) so that
load on the shared machine hits both alike; the report gives medians and the ratio
of the last engine (pwasm) to each other (above 1: that one is faster) per program, plus
the geometric means.

Usage::

    nice -n 10 python bench/codegen_compare.py bench/c/cbench.wasm:run:2:200 \
        --samples 5 --modes cold,warm [--cpu]

A program is ``file.wasm:export:short-argument:long-argument`` (one integer argument;
both sizes are run). ``--engines`` names the engines, the reference last (default
``wasmem,pwasm``); ``wasmem@PATH`` runs wasmem from the source tree ``PATH`` (to compare
two versions: ``--engines wasmem@old/src,wasmem,pwasm``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_WORKER = r"""
import sys, time, json
engine, path, export, arg = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
clock = time.process_time if sys.argv[5:] == ["cpu"] else time.perf_counter
data = open(path, "rb").read()
if engine.startswith("wasmem"):
    import wasmem
    t0 = clock()
    result = wasmem.Instance(wasmem.Module(data)).exports[export](arg)
else:
    import pwasm
    t0 = clock()
    result = pwasm.instantiate(pwasm.decode_module(data)).exports[export](arg)
elapsed = clock() - t0
print(json.dumps({"seconds": elapsed, "result": result}))
"""


def _sample(engine: str, program: str, export: str, arg: int, cache: str,
            cpu: bool = False) -> tuple[float, object]:
    """One fresh process's seconds and result (``cpu``: in CPU time, else wall time)."""
    env = dict(os.environ, WASMEM_CACHE_DIR=cache, PWASM_CACHE_DIR=cache)
    if "@" in engine:
        env["PYTHONPATH"] = str(Path(engine.split("@", 1)[1]).resolve())
    out = subprocess.run([sys.executable, "-c", _WORKER, engine, program, export, str(arg),
                          "cpu" if cpu else "wall"],
                         env=env, capture_output=True, text=True, timeout=600)
    if out.returncode:
        raise SystemExit(f"{engine} failed on {program}:\n{out.stderr[-2000:]}")
    record = json.loads(out.stdout.strip().splitlines()[-1])
    return record["seconds"], record["result"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="+", help="file.wasm:export:short:long")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--modes", default="cold,warm")
    parser.add_argument("--engines", default="wasmem,pwasm")
    parser.add_argument("--sizes", default="short,long")
    parser.add_argument("--cpu", action="store_true",
                        help="time in CPU time (process_time) instead of wall time")
    options = parser.parse_args()
    engines = options.engines.split(",")
    ratios: dict[tuple[str, str, str], list[float]] = {}
    labels = [e if "@" not in e else f"{e.split('@')[0]}@{Path(e.split('@')[1]).parent.name}"
              for e in engines]
    print(f"{'program':<22} {'mode':<5} {'size':<5} "
          + " ".join(f"{label[:14]:>14}" for label in labels) + "   ratios")
    for spec in options.programs:
        path, export, short, long = spec.split(":")
        for mode in options.modes.split(","):
            for size in options.sizes.split(","):
                arg = int(short if size == "short" else long)
                with tempfile.TemporaryDirectory() as cache_dir:
                    cache = cache_dir if mode == "warm" else ""
                    results = set()
                    if mode == "warm":
                        for engine in engines:  # fill the caches
                            _sample(engine, path, export, arg, cache, options.cpu)
                    times: dict[str, list[float]] = {e: [] for e in engines}
                    for _ in range(options.samples):
                        for engine in engines:
                            seconds, result = _sample(engine, path, export, arg, cache, options.cpu)
                            times[engine].append(seconds)
                            results.add(json.dumps(result))
                if len(results) != 1:
                    raise SystemExit(f"engines disagree on {spec} {arg}: {results}")
                medians = [statistics.median(times[e]) for e in engines]
                row = []
                for label, median in zip(labels[:-1], medians[:-1]):
                    ratio = medians[-1] / median
                    ratios.setdefault((label, mode, size), []).append(ratio)
                    row.append(f"{ratio:5.2f}x")
                print(f"{Path(path).stem[:22]:<22} {mode:<5} {size:<5} "
                      + " ".join(f"{m * 1000:12.1f}ms" for m in medians)
                      + "   " + " ".join(row), flush=True)
    for (label, mode, size), values in sorted(ratios.items()):
        geomean = math.exp(sum(math.log(v) for v in values) / len(values))
        print(f"geomean {mode} {size}: {geomean:.2f}x ({labels[-1]} / {label})")


if __name__ == "__main__":
    main()
