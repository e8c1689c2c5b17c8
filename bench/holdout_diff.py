"""Differential check of a compiled module: wasmem in every tier setting against wasmtime.

For each argument, every setting runs the export in a fresh instance (one child process
per setting, so that environment switches such as ``WASMEM_TIER_BUDGETS`` take effect at
import) and reports the result (or the trap's kind) and a SHA-256 of the memory the
export leaves behind. Settings:

- ``wasmtime``: the oracle (Python ``wasmtime`` package);
- ``tiered``: wasmem's default; ``interpret`` and ``compile``: ``Instance(tier=...)``;
- ``budgets``: ``WASMEM_TIER_BUDGETS=2,3`` (tiers switch in the middle of loops);
- ``fuel``: ``Instance(fuel=10**12)`` (counted, never exhausted);
- ``watch``: a write watchpoint over ``--watch START:STOP`` counting events (and their
  hash), in the interpreter and the compiler; the counts must agree between tiers;
- ``trace``: ``instance.trace()`` at the first argument only (every call and access
  recorded); calls and accesses counted, compared between tiers;
- ``starve``: ``Instance(fuel=--starve)`` in both tiers: both must stop with
  ``FuelExhausted`` in the same function, or both finish;
- ``cached``: a disk cache, two processes (the second loads the translations).

Usage: ``python bench/holdout_diff.py MODULE.wasm [MODULE.wasm ...] --args 0,3,17
[--export run] [--watch 1024:1088] [--starve 20000] [--settings tiered,compile,watch]``
(``--settings``: a subset, by setting name or by kind -- ``watch``, ``trace``, ``starve``
select both tiers' settings of that kind; default all). Exits 1 if any setting differs.
Raises nothing itself: a child that fails is reported as a difference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

CHILD = r"""
import hashlib, json, sys, zlib
setting, path, export = sys.argv[1:4]
args, extra = json.loads(sys.argv[4]), json.loads(sys.argv[5])
data = open(path, "rb").read()
out = []
SAME = {"INTEGER_DIVISION_BY_ZERO": "INTEGER_DIVIDE_BY_ZERO",
        "MEMORY_OUT_OF_BOUNDS": "OUT_OF_BOUNDS_MEMORY_ACCESS",
        "STACK_OVERFLOW": "CALL_STACK_EXHAUSTED",
        "TABLE_OUT_OF_BOUNDS": "OUT_OF_BOUNDS_TABLE_ACCESS",
        "INDIRECT_CALL_TO_NULL": "UNINITIALIZED_ELEMENT",
        "BAD_SIGNATURE": "INDIRECT_CALL_TYPE_MISMATCH"}
def memhash(read):
    return hashlib.sha256(read).hexdigest()[:16]
if setting == "wasmtime":
    import wasmtime
    engine = wasmtime.Engine(); module = wasmtime.Module(engine, data)
    for a in args:
        store = wasmtime.Store(engine); inst = wasmtime.Instance(store, module, [])
        ex = inst.exports(store)
        mem = ex["memory"] if "memory" in [e.name for e in module.exports] else None
        try:
            r = ex[export](store, a)
        except wasmtime.Trap as t:
            r = "trap " + SAME.get(t.trap_code.name, t.trap_code.name)
        out.append([r, memhash(mem.read(store, 0, mem.data_len(store))) if mem else None])
    print(json.dumps(out)); sys.exit(0)
import wasmem
module = wasmem.Module(data)
def run(inst, a):
    try:
        r = inst.exports[export](a)
    except wasmem.FuelExhausted:
        raise
    except wasmem.WasmError as t:
        r = "trap " + getattr(getattr(t, "code", None), "name", type(t).__name__)
    try:
        mem = inst.exports["memory"]
    except KeyError:
        return [r, None]
    return [r, memhash(bytes(mem.read(0, mem.size * 65536)))]
for i, a in enumerate(args):
    try:
        if setting in ("tiered", "budgets", "cached"):
            out.append(run(wasmem.Instance(module), a))
        elif setting in ("interpret", "compile"):
            out.append(run(wasmem.Instance(module, tier=setting), a))
        elif setting == "fuel":
            out.append(run(wasmem.Instance(module, fuel=10**12), a))
        elif setting.startswith("watch-"):
            inst = wasmem.Instance(module, tier=setting[6:])
            events = []
            lo, hi = extra["watch"]
            def note(e, events=events):
                events.append((e.address, e.size, e.instruction))
            with inst.watch(lo, hi, kind="write", callback=note):
                res = run(inst, a)
            out.append(res + [len(events), hashlib.sha256(repr(events).encode()).hexdigest()[:12]])
        elif setting.startswith("trace-"):
            if i:
                continue
            inst = wasmem.Instance(module, tier=setting[6:])
            seen = [0, 0]
            def count(e, seen=seen):
                seen[0] += 1
                key = f"{e.kind} {e.function_index} {getattr(e, 'address', None)}"
                seen[1] = zlib.crc32(key.encode(), seen[1])
            with inst.trace(out=count):
                res = run(inst, a)
            out.append(res + seen)
        elif setting.startswith("starve-"):
            inst = wasmem.Instance(module, tier=setting[7:], fuel=extra["starve"])
            try:
                out.append(run(inst, a))
            except wasmem.FuelExhausted as stop:
                out.append(["fuel", stop.frames[0].function_index if stop.frames else None])
    except wasmem.WasmError as t:
        out.append(["error", type(t).__name__, str(t)[:200]])
print(json.dumps(out))
"""

SETTINGS = ["tiered", "interpret", "compile", "budgets", "fuel", "cached", "cached",
            "watch-interpret", "watch-compile", "trace-interpret", "trace-compile",
            "starve-interpret", "starve-compile"]


def child(setting: str, path: str, export: str, args: list[int], extra: dict[str, Any],
          env: dict[str, str]) -> Any:
    """Run one setting in a fresh process; its JSON answer, or the error text."""
    p = subprocess.run([sys.executable, "-c", CHILD, setting, path, export, json.dumps(args),
                        json.dumps(extra)], capture_output=True, text=True, env=env, timeout=3600)
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "error: " + p.stderr.strip()[-600:]


def chosen(names: str) -> list[str]:
    """The settings a ``--settings`` list selects, in ``SETTINGS`` order (all if empty).

    Raises ValueError if a name is neither a setting nor a kind of settings."""
    if not names:
        return list(SETTINGS)
    wanted = names.split(",")
    for name in wanted:
        if not any(s == name or s.split("-")[0] == name for s in SETTINGS):
            raise ValueError(f"unknown setting {name!r}")
    return [s for s in SETTINGS if s in wanted or s.split("-")[0] in wanted]


def check(path: str, export: str, args: list[int], extra: dict[str, Any],
          settings: list[str] | None = None) -> int:
    """Compare every setting (or the given ones) for one module; print one line each; the
    number of differences."""
    base = dict(os.environ, WASMEM_CACHE_DIR="")
    base.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[1] / "src"))
    want = child("wasmtime", path, export, args, extra, base)
    cache = tempfile.mkdtemp(prefix="wasmem-diff-")
    bad = 0
    seen: dict[str, Any] = {}
    for setting in SETTINGS if settings is None else settings:
        env = dict(base)
        if setting == "budgets":
            env["WASMEM_TIER_BUDGETS"] = "2,3"
        if setting == "cached":
            env["WASMEM_CACHE_DIR"] = cache
        got = child(setting, path, export, args, extra, env)
        name = os.path.basename(path)
        if setting.startswith(("watch-", "trace-", "starve-")):
            kind = setting.split("-")[0]
            other = seen.setdefault(kind, got)
            ok = got == other and (kind == "starve" or (isinstance(got, list) and all(
                g[:2] == w for g, w in zip(got, want))))
        else:
            ok = got == want
        bad += not ok
        verdict = "ok" if ok else f"DIFF {str(got)[:400]} want {str(want)[:200]}"
        print(f"{name:16} {setting:16} {verdict}", flush=True)
    return bad


def main() -> int:
    """Parse the command line and check each module; 1 if any setting differed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+")
    parser.add_argument("--export", default="run")
    parser.add_argument("--args", default="0,1")
    parser.add_argument("--watch", default="1024:1088")
    parser.add_argument("--starve", type=int, default=20000)
    parser.add_argument("--settings", default="", help="comma-separated subset (default all)")
    ns = parser.parse_args()
    try:
        settings = chosen(ns.settings)
    except ValueError as e:
        parser.error(str(e))
    lo, hi = (int(x, 0) for x in ns.watch.split(":"))
    extra = {"watch": [lo, hi], "starve": ns.starve}
    args = [int(a) for a in ns.args.split(",")]
    bad = sum(check(path, ns.export, args, extra, settings) for path in ns.modules)
    print("differences:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
