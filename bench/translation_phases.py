"""Where translation time goes inside a cold run of wasmem, phase by phase.

One fresh process per program and tree, no disk cache (``WASMEM_CACHE_DIR=""``),
``run(n)`` once, with the translator's steps wrapped by CPU timers
(``time.process_time``; nested calls of a step are counted once, in the outermost):

* ``generate``: ``FunctionCompiler.compile`` (everything below but ``compile()``);
* ``decode``: bodies decoded from their bytes (``EncodedFunction.body``) anywhere in
  the process (translations of the function or its callees, mostly);
* ``scan`` / ``align`` / ``assign`` / ``consts``: the pre-passes (``scan_targets``,
  ``function_alignments`` + ``parameter_bases``, ``locals_read_before_written``,
  ``constant_locals``);
* ``emit``: the instruction loop (``emit_sequence``), of which ``inline`` is the
  callees' bodies translated at their call sites (``try_inline``);
* ``tails``: ``duplicate_tails`` + ``plan_landings``; ``copies``: ``known_copy``;
* ``compile()``: Python's compiler on the generated source (functions and loop
  continuations).

Usage::

    python -m compileall -q src && python bench/translation_phases.py \\
        bench/c/realworld/sqlite.wasm:1 bench/c/realworld/cmark.wasm:2 \\
        --rounds 3 [--base OTHER_TREE/src]

With ``--base`` the two trees alternate in every round; the table gives medians (ms).
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

PHASES = ("generate", "decode", "scan", "align", "assign", "consts", "emit", "inline",
          "tails", "copies", "compile()")

_CHILD = r"""
import builtins, json, sys, time
pt = time.process_time
acc = {}
active = set()
def wrap(owner, attr, key):
    step = getattr(owner, attr, None)
    if step is None:
        return
    def timed(*args, **kwargs):
        if key in active:
            return step(*args, **kwargs)
        active.add(key)
        start = pt()
        try:
            return step(*args, **kwargs)
        finally:
            acc[key] = acc.get(key, 0.0) + pt() - start
            active.discard(key)
    setattr(owner, attr, timed)
start = pt()
import wasmem
from wasmem.binary import encoded
from wasmem.exec import tiering
from wasmem.exec.compiler import codegen, emit_calls, known_copies, tier
for attr, key in (("scan_targets", "scan"), ("function_alignments", "align"),
                  ("parameter_bases", "align"), ("locals_read_before_written", "assign"),
                  ("constant_locals", "consts"), ("duplicate_tails", "tails"),
                  ("plan_landings", "tails"), ("known_copy", "copies")):
    wrap(codegen, attr, key)
wrap(known_copies, "known_copy", "copies")
wrap(codegen.FunctionCompiler, "compile", "generate")
wrap(codegen.FunctionCompiler, "emit_sequence", "emit")
wrap(emit_calls, "try_inline", "inline")
body = encoded.EncodedFunction.body
def decoding(self):
    if self.is_decoded:
        return body.fget(self)
    begin = pt()
    try:
        return body.fget(self)
    finally:
        acc["decode"] = acc.get("decode", 0.0) + pt() - begin
encoded.EncodedFunction.body = property(decoding)
units = [0, 0]
def compiling(source, filename, *rest, **kwargs):
    if not (isinstance(filename, str) and filename.startswith("<wasm")):
        return builtins.compile(source, filename, *rest, **kwargs)
    begin = pt()
    try:
        return builtins.compile(source, filename, *rest, **kwargs)
    finally:
        acc["compile()"] = acc.get("compile()", 0.0) + pt() - begin
        units[0] += 1
        units[1] += len(source)
tier.compile = tiering.compile = compiling
instance = wasmem.Instance(wasmem.Module(open(sys.argv[1], "rb").read()))
result = instance.exports["run"](int(sys.argv[2]))
print(json.dumps({"result": result, "process": pt() - start, "units": units[0],
                  "chars": units[1], **acc}))
"""


def run_child(source: Path, wasm: Path, arg: int) -> dict[str, Any]:
    """One fresh cold process of wasmem from ``source`` running ``run(arg)``."""
    env = dict(os.environ, WASMEM_CACHE_DIR="", PYTHONPATH=str(source))
    done = subprocess.run([sys.executable, "-c", _CHILD, str(wasm), str(arg)], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{wasm.name}({arg}): {done.stderr.strip()[-400:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="+", help="PATH.wasm:N (run(N))")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--source", type=Path, default=ROOT / "src")
    parser.add_argument("--base", type=Path, default=None)
    options = parser.parse_args()
    trees = {"this": options.source}
    if options.base is not None:
        trees["base"] = options.base
    print("| program | tree | process | units | " + " | ".join(PHASES) + " |")
    print("| --- | --- | --: | --: |" + " --: |" * len(PHASES))
    for spec in options.programs:
        path, _, arg = spec.rpartition(":")
        reports: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for number in range(options.rounds):
            for name in (list(trees) if number % 2 == 0 else list(reversed(trees))):
                reports[name].append(run_child(trees[name], Path(path), int(arg)))
        for name, runs in reports.items():
            def median(key: str, runs: list[dict[str, Any]] = runs) -> float:
                return statistics.median(r.get(key, 0.0) for r in runs) * 1e3
            cells = " | ".join(f"{median(key):.1f}" for key in PHASES)
            units = statistics.median(r["units"] for r in runs)
            print(f"| {Path(path).stem}({arg}) | {name} | {median('process'):.0f} | "
                  f"{units:.0f} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
