"""First results: how long a call that does little work takes, from a fresh process.

For each module kind and size, wasmem and pwasm run side by side in fresh processes
(interleaved, median of ``--runs``), cold (``WASMEM_CACHE_DIR="" PWASM_CACHE_DIR=""``: no
disk cache) and warm (each engine's disk cache filled by one earlier run). Each child
times its phases from just before ``import``, in CPU time of the process (on a shared
machine, wall time mostly measures the other processes):

* ``import``: importing the engine package;
* ``load``: bytes -> module (decode + validate for wasmem; decode for pwasm);
* ``inst``: instantiate;
* ``call``: the first call (translating what it runs);
* ``first``: the sum, from ``import`` to the first result; the ratios printed are of it;
* ``wall``: the same span in wall-clock time;
* ``proc``: the whole child process in wall-clock time, as the parent sees it
  (interpreter start-up included).

Both engines import from compiled bytecode, as installed packages do: the children run
with ``PYTHONPYCACHEPREFIX`` set to a private directory (filled by the first run: the
``.pyc`` files, and wasmem's import bundle, :mod:`wasmem.import_bundle`) and without
``PYTHONDONTWRITEBYTECODE``.

Modules: hand-written ``.wat`` (fib, alloc), clang -O2 programs (``c/cbench.wasm``,
``c/startup_libc.wasm``), generated modules of 100 KB and 1 MB, and the compiled programs
of ``benchlib.programs`` at their ``tiny`` size (the first-result table of the suite).

Run: ``nice -n 10 python bench/startup.py [--runs 7] [--only fib,c] [--source TREE/src]``.
Prints a table.
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
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ENGINES = ("wasmem", "pwasm")
PHASES = ("import", "load", "inst", "call", "first", "wall", "proc")

_CHILD = r"""
import sys, time, json
engine, path, export, stubs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
args = [int(a) for a in sys.argv[5:]]
# WASI functions a reactor links in but the call never reaches (see c/startup_libc.c)
imports = {"wasi_snapshot_preview1": {name: (lambda *a: 8) for name in stubs.split(",")}} \
    if stubs else {}
with open(path, "rb") as f:
    data = f.read()
def now():
    return time.process_time(), time.perf_counter()
t0 = now()
if engine == "wasmem":
    import wasmem
    load = wasmem.Module
    instantiate = lambda module: wasmem.Instance(module, imports).exports
else:
    import pwasm
    load = pwasm.decode_module
    instantiate = lambda module: pwasm.instantiate(module, imports).exports
t1 = now()
module = load(data)
t2 = now()
exports = instantiate(module)
t3 = now()
result = exports[export](*args)
t4 = now()
print(json.dumps({"import": t1[0] - t0[0], "load": t2[0] - t1[0], "inst": t3[0] - t2[0],
                  "call": t4[0] - t3[0], "first": t4[0] - t0[0], "wall": t4[1] - t0[1],
                  "result": repr(result)}))
"""


_STUBS = "fd_close,fd_seek,fd_write"

Case = tuple[str, Path, str, str, list[int]]


def _cases(work: Path) -> list[Case]:
    """Return ``(label, wasm file, export, WASI stubs, args)`` for each module."""
    from benchlib.bigmodule import build_big_module
    from benchlib.build import wat_to_wasm
    from benchlib.programs import PROGRAMS

    def wat(name: str) -> Path:
        out = work / (name + ".wasm")
        out.write_bytes(wat_to_wasm((HERE / "workloads" / (name + ".wat")).read_text()))
        return out

    def copy(name: str) -> Path:
        out = work / Path(name).name
        out.write_bytes((HERE / name).read_bytes())
        return out

    def big(target: int) -> Path:
        out = work / f"big{target}.wasm"
        out.write_bytes(build_big_module(lambda text: wat_to_wasm(text, "big.wat"), target))
        return out

    return [
        ("fib.wat (hand-written)", wat("fib"), "fib", "", [5]),
        ("alloc.wat (hand-written)", wat("alloc"), "alloc", "", [1]),
        ("cbench.wasm (clang -O2)", copy("c/cbench.wasm"), "run", "", [1]),
        ("startup_libc (clang -O2)", copy("c/startup_libc.wasm"), "run", _STUBS, [1]),
        ("generated 100 KB", big(100_000), "one", "", []),
        ("generated 1 MB", big(1_000_000), "one", "", []),
        *((f"{p.name} (C, tiny)", copy(p.path), p.export, "", [int(p.sizes["tiny"].arg)])
          for p in PROGRAMS),
    ]


def _run_child(engine: str, path: Path, export: str, stubs: str, args: list[int],
               cache: str, source: Path | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    if source is not None:  # (--source: that tree's wasmem first on the path)
        env["PYTHONPATH"] = os.pathsep.join([str(source), *filter(None, [env.get("PYTHONPATH")])])
    # both engines import from compiled bytecode, as installed packages do (pip writes
    # pwasm's; wasmem's go to a private prefix, written by the first run)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(path).parent / "pycache")
    env["WASMEM_CACHE_DIR"] = cache if engine == "wasmem" else ""
    env["PWASM_CACHE_DIR"] = cache if engine == "pwasm" else ""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, engine, str(path), export, stubs,
                           *map(str, args)], env=env, capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{engine} on {path.name} failed:\n{done.stderr[-2000:]}")
    times = json.loads(done.stdout.strip().splitlines()[-1])
    times["proc"] = wall
    return times


def _fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1e3:.0f} ms"
    return f"{seconds * 1e3:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated label prefixes")
    parser.add_argument("--source", type=Path, default=None,
                        help="the src folder of the wasmem to measure (compiled and bundled "
                        "first: python -m compileall; python -m wasmem.bundle)")
    options = parser.parse_args(argv)
    source = options.source.resolve() if options.source is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cases = _cases(work)
        if options.only:
            wanted = tuple(options.only.split(","))
            cases = [case for case in cases if case[0].startswith(wanted)]
        print(f"median of {options.runs} fresh processes; CPU times from just before import "
              "(wall: the same in wall-clock time; proc: the whole process)")
        print(f"{'module':26} {'engine':14} " + " ".join(f"{p:>8}" for p in PHASES),
              flush=True)
        for label, path, export, stubs, args in cases:
            caches = {engine: str(work / f"cache-{engine}-{path.stem}") for engine in ENGINES}
            for engine in ENGINES:  # fill the warm caches
                _run_child(engine, path, export, stubs, args, caches[engine], source)
            samples: dict[str, list[dict[str, Any]]] = {}
            for _ in range(options.runs):
                for engine in ENGINES:
                    for mode in ("cold", "warm"):
                        cache = caches[engine] if mode == "warm" else ""
                        samples.setdefault(f"{engine}-{mode}", []).append(
                            _run_child(engine, path, export, stubs, args, cache, source))
            for key in sorted(samples, key=lambda k: (k.split("-")[1], k)):
                medians = [statistics.median(s[p] for s in samples[key]) for p in PHASES]
                print(f"{label[:26]:26} {key:14} " + " ".join(f"{_fmt(m):>8}" for m in medians),
                      flush=True)
            results = {str(s["result"]) for runs in samples.values() for s in runs}
            if len(results) != 1:
                raise RuntimeError(f"{label}: the engines disagree: {sorted(results)}")
            for mode in ("cold", "warm"):
                ours = statistics.median(s["first"] for s in samples[f"wasmem-{mode}"])
                theirs = statistics.median(s["first"] for s in samples[f"pwasm-{mode}"])
                print(f"{'':26} first result {mode}: wasmem/pwasm = {ours / theirs:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
