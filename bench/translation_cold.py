"""What translation costs inside a cold run: wasmem's and pwasm's, unit by unit.

``bench/translation.py`` and ``bench/translation_ab.py`` time the translator in a warm
loop (every function translated several times, the collector off, the body decoded
beforehand). A cold run pays more for the same translations: the body is decoded at its
first translation, the translator's own code runs for the first time, and the memory a
big function's source and ``compile()`` need is new to the process (page faults). This
script runs one program the way a user's first run does -- a fresh process, no disk
cache (``WASMEM_CACHE_DIR=""``, ``PWASM_CACHE_DIR=""``), ``run(n)`` once -- with the two
engines' translation steps wrapped by timers: per translation unit, the CPU time
(``resource.getrusage``, user + system) of generating the source (wasmem:
``FunctionCompiler.compile``, the body's decoding included when it happens there; pwasm:
``codegen.python_source``) and of ``compile()``, and the minor page faults of each.
The engines alternate over ``--rounds`` fresh processes each; the table gives medians.

Usage::

    python -m compileall -q src && python bench/translation_cold.py \\
        bench/c/independent/recur.wasm:4 bench/c/realworld/cmark.wasm:2 \\
        --rounds 3 [--source TREE/src] [--base OTHER_TREE/src] [--units 5]

``--base`` adds a third engine, wasmem from another tree (``base``), in the same rounds:
the way to compare two trees under the same load. ``--units N`` lists the N costliest
units of each engine's last process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import builtins, json, resource, sys
def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_minflt
start = usage()
engine, path, arg = sys.argv[1], sys.argv[2], int(sys.argv[3])
units = []
def timed(kind, step, name):
    def wrapper(*args, **kwargs):
        before = usage()
        result = step(*args, **kwargs)
        after = usage()
        if kind == "generate":
            units.append({"unit": name(args), "generate": after[0] - before[0],
                          "faults": after[1] - before[1], "chars": len(result)})
        elif units and "compile" not in units[-1]:
            units[-1]["compile"] = after[0] - before[0]
            units[-1]["faults"] += after[1] - before[1]
        return result
    return wrapper
def compile_of(predicate):
    def wrapped(source, filename, *rest, **kwargs):
        if predicate(filename):
            return timed("compile", builtins.compile, None)(source, filename, *rest, **kwargs)
        return builtins.compile(source, filename, *rest, **kwargs)
    return wrapped
data = open(path, "rb").read()
if engine != "pwasm":
    import wasmem
    from wasmem.exec.compiler import codegen, tier
    codegen.FunctionCompiler.compile = timed(
        "generate", codegen.FunctionCompiler.compile, lambda a: f"F{a[0].index}")
    tier.compile = compile_of(lambda f: f.startswith("<wasm"))
    instance = wasmem.Instance(wasmem.Module(data))
else:
    import pwasm
    from pwasm import codegen
    codegen.python_source = timed(
        "generate", codegen.python_source, lambda a: f"f{a[0].index}")
    codegen.compile = compile_of(lambda f: True)
    instance = pwasm.instantiate(pwasm.decode_module(data))
setup = usage()
result = instance.exports["run"](arg)
end = usage()
print(json.dumps({"result": result, "total": end[0] - start[0], "setup": setup[0] - start[0],
                  "units": units}))
"""


def run_child(engine: str, wasm: Path, arg: int, source: Path) -> dict[str, Any]:
    """One fresh process of ``engine`` running ``run(arg)`` cold (wasmem from the tree
    ``source``); its JSON report."""
    env = dict(os.environ, WASMEM_CACHE_DIR="", PWASM_CACHE_DIR="",
               PYTHONPATH=str(source))
    done = subprocess.run([sys.executable, "-c", _CHILD, engine, str(wasm), str(arg)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{engine} {wasm.name}({arg}): {done.stderr.strip()[-400:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def summary(reports: list[dict[str, Any]]) -> dict[str, float]:
    """Medians over processes: whole process, units, generate, compile(), faults (ms)."""
    def median(values: list[float]) -> float:
        return statistics.median(values) if values else 0.0
    return {
        "total": median([r["total"] for r in reports]) * 1e3,
        "units": median([len(r["units"]) for r in reports]),
        "generate": median([sum(u["generate"] for u in r["units"]) for r in reports]) * 1e3,
        "compile": median([sum(u.get("compile", 0.0) for u in r["units"])
                           for r in reports]) * 1e3,
        "faults": median([sum(u["faults"] for u in r["units"]) for r in reports]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="+", help="PATH.wasm:N (run(N))")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--source", type=Path, default=ROOT / "src")
    parser.add_argument("--base", type=Path, default=None)
    parser.add_argument("--units", type=int, default=0)
    options = parser.parse_args()
    print("| program | engine | process ms | units | generate ms | compile() ms | "
          "translation share | page faults |")
    print("| --- | --- | --: | --: | --: | --: | --: | --: |")
    for spec in options.programs:
        path, _, arg = spec.rpartition(":")
        wasm = Path(path)
        trees = {"wasmem": options.source, "pwasm": options.source}
        if options.base is not None:
            trees["base"] = options.base
        reports: dict[str, list[dict[str, Any]]] = {engine: [] for engine in trees}
        for number in range(options.rounds):
            order = list(trees) if number % 2 == 0 else list(reversed(trees))
            for engine in order:
                reports[engine].append(run_child(engine, wasm, int(arg), trees[engine]))
        for engine, runs in reports.items():
            s = summary(runs)
            share = (s["generate"] + s["compile"]) / s["total"] if s["total"] else 0.0
            print(f"| {wasm.stem}({arg}) | {engine} | {s['total']:.1f} | {s['units']:.0f} | "
                  f"{s['generate']:.1f} | {s['compile']:.1f} | {share:.0%} | "
                  f"{s['faults']:.0f} |", flush=True)
        if options.units:
            for engine, runs in reports.items():
                units = sorted(runs[-1]["units"],
                               key=lambda u: -(u["generate"] + u.get("compile", 0.0)))
                print(f"  {engine} costliest units: " + ", ".join(
                    f"{u['unit']} {u['generate'] * 1e3:.1f}+{u.get('compile', 0) * 1e3:.1f} ms "
                    f"({u['chars']} chars)" for u in units[:options.units]))


if __name__ == "__main__":
    main()
