"""Which translation units of a cold run pay back: translation time against use, per unit.

One fresh process per program, run the way a user's first run goes (no disk cache:
``WASMEM_CACHE_DIR=""``; ``run(n)`` once on a new instance), with the tiered mode's
translation steps wrapped: per unit (a whole function, or a continuation entered at a
loop, :mod:`wasmem.exec.osr`), the CPU time of generating its source and of ``compile()``
(``resource.getrusage``, user + system), the WebAssembly instructions it covers, the lines
of Python it became, and when in the run it was made. With ``--coverage`` a second
process of the same run traces the generated code (``sys.settrace``, only frames whose
file is ``<wasm ...>``): per unit, the distinct lines that ever ran and the line events
(a proxy for the work done in it); the tracing slows every Python call of the process,
so the tier's time-based rules (:mod:`wasmem.exec.spending`, :mod:`wasmem.exec.rent`) may
choose a few units differently from the untraced run: the report gives both unit counts.

Usage::

    python -m compileall -q src && PYTHONPATH=src python bench/units.py \\
        bench/c/realworld/cmark.wasm:20 bench/c/realworld/zstd.wasm:4 \\
        [--coverage] [--top 8] [--source TREE/src]

The table: run CPU ms, units, translation ms (and share of the run), the instructions
translated; with coverage, the share of translated lines that never ran, and the
translation ms spent on units of which under 10% of lines ran or that ran under 1,000
line events ("little-used").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import builtins, json, resource, sys
def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
start = usage()
path, arg, coverage = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
import wasmem
from wasmem.exec.compiler import codegen, tier
from wasmem.exec.compiler.frames import count_instructions
from wasmem.exec import continuations
units = []
generate = codegen.FunctionCompiler.compile
def compile_wrapped(self):
    before = usage()
    source = generate(self)
    ctx = self.ctx
    body = ctx.module.functions[self.index - ctx.imported_functions].body
    units.append({"index": self.index, "name": self.name, "generate": usage() - before,
                  "instructions": count_instructions(body), "lines": source.count("\n"),
                  "at": before - start})
    return source
codegen.FunctionCompiler.compile = compile_wrapped
def compile_of(original):
    def wrapped(source, filename, *rest, **kwargs):
        before = usage()
        code = original(source, filename, *rest, **kwargs)
        if filename.startswith("<wasm") and units and "file" not in units[-1]:
            units[-1]["compile"] = usage() - before
            units[-1]["file"] = filename
        return code
    return wrapped
tier.compile = compile_of(builtins.compile)
continuations.compile = compile_of(builtins.compile)
lines = {}
if coverage:
    def local(frame, event, _arg):
        if event == "line":
            key = (frame.f_code.co_filename, frame.f_lineno)
            lines[key] = lines.get(key, 0) + 1
        return local
    def tracer(frame, event, _arg):
        if frame.f_code.co_filename.startswith("<wasm"):
            return local
        return None
    sys.settrace(tracer)
data = open(path, "rb").read()
instance = wasmem.Instance(wasmem.Module(data))
result = instance.exports["run"](arg)
sys.settrace(None)
end = usage()
per_file = {}
for (filename, _line), hits in lines.items():
    seen = per_file.setdefault(filename, [0, 0])
    seen[0] += 1
    seen[1] += hits
for unit in units:
    unit["ran_lines"], unit["events"] = per_file.get(unit.get("file", ""), [0, 0])
print(json.dumps({"result": result, "total": end - start, "units": units}))
"""


def run_child(wasm: Path, arg: int, source: Path, coverage: bool) -> dict[str, Any]:
    """One fresh process running ``run(arg)`` of ``wasm`` cold; its JSON report.

    Raises:
        RuntimeError: if the process failed.
    """
    env = dict(os.environ, WASMEM_CACHE_DIR="", PYTHONPATH=str(source))
    done = subprocess.run([sys.executable, "-c", _CHILD, str(wasm), str(arg),
                           "1" if coverage else "0"],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{wasm.name}({arg}): {done.stderr.strip()[-400:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def cost(unit: dict[str, Any]) -> float:
    """A unit's translation CPU seconds (generating and ``compile()``)."""
    return float(unit["generate"] + unit.get("compile", 0.0))


def little_used(unit: dict[str, Any]) -> bool:
    """Whether under 10% of a unit's lines ran, or under 1,000 line events."""
    return bool(unit["ran_lines"] < 0.1 * max(unit["lines"], 1) or unit["events"] < 1000)


def main() -> None:
    """Print the table (and the costliest units) for each ``PATH.wasm:N``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="+", help="PATH.wasm:N (run(N))")
    parser.add_argument("--source", type=Path, default=ROOT / "src")
    parser.add_argument("--coverage", action="store_true")
    parser.add_argument("--top", type=int, default=0)
    options = parser.parse_args()
    print("| program | run ms | units | translation ms (share) | instructions translated | "
          "traced: units, lines never run, little-used ms |")
    print("| --- | --: | --: | --: | --: | --- |")
    for spec in options.programs:
        path, _, arg = spec.rpartition(":")
        wasm = Path(path)
        plain = run_child(wasm, int(arg), options.source, False)
        units = plain["units"]
        spent = sum(cost(u) for u in units)
        traced = "-"
        covered: list[dict[str, Any]] = []
        if options.coverage:
            covered = run_child(wasm, int(arg), options.source, True)["units"]
            total_lines = sum(u["lines"] for u in covered) or 1
            never = 1 - sum(min(u["ran_lines"], u["lines"]) for u in covered) / total_lines
            wasted = sum(cost(u) for u in covered if little_used(u))
            traced = f"{len(covered)}, {never:.0%}, {wasted * 1e3:.0f}"
        print(f"| {wasm.stem}({arg}) | {plain['total'] * 1e3:.0f} | {len(units)} | "
              f"{spent * 1e3:.0f} ({spent / plain['total']:.0%}) | "
              f"{sum(u['instructions'] for u in units)} | {traced} |", flush=True)
        if options.top:
            shown = covered or units
            for u in sorted(shown, key=lambda u: -cost(u))[:options.top]:
                use = (f", ran {u['ran_lines']}/{u['lines']} lines, {u['events']} events"
                       if covered else f", {u['lines']} lines")
                kind = "loop" if u.get("file", "").endswith("loop>") else "whole"
                print(f"  F{u['index']} {u['name']} ({kind}) {cost(u) * 1e3:.1f} ms, "
                      f"{u['instructions']} instructions at {u['at'] * 1e3:.0f} ms{use}")


if __name__ == "__main__":
    main()
