"""Tiering-policy settings against each other (and pwasm), in fresh processes, alternated.

A change of when wasmem translates moves the first run of a process (imports of the
interpreter and of the translator, first translations), the later runs of a process (fresh
module and instance each, which ``bench/sidebyside.py`` times) or both, often in opposite
directions; on a shared machine only settings run side by side, in alternation, compare.
This script runs each setting in ``--procs`` fresh processes (settings in swapped order
every other round, after one uncounted round that fills Python's bytecode cache), each
timing ``--reps`` runs of a fresh ``Module`` + ``Instance`` + call in CPU time
(``time.process_time``), with both disk caches off; it prints per setting the median of
the first runs (and of the first runs plus ``import``) and of the later runs.

A setting is ``NAME=MODULE:ATTRIBUTE=VALUE;...`` (``VALUE`` a Python literal), applied to
the module when it is imported, before anything runs: for instance
``s09=wasmem.exec.straightline:STRAIGHT_SHARE=0.9``. A setting named ``pwasm`` (or starting
with it) runs pwasm instead. wasmem's import bundle (:mod:`wasmem.import_bundle`) puts its
finder first on ``sys.meta_path`` when ``wasmem`` is imported; the hook that applies the
settings goes in front of it after that (modules ``import wasmem`` loaded already get
them at once), or the settings of every lazily imported module (``exec.tiering``,
``exec.spending``...) would silently not apply. A setting of a module the run never
imports is reported beside its row.

Workloads: ``wasm:PATH:EXPORT:ARG`` (a module without imports) or ``lua:SCRIPT:N``
(``bench/sjlj.py``'s Lua with setjmp/longjmp; SCRIPT its index).

Usage::

    python -m compileall -q src && PYTHONPATH=src python -m wasmem.bundle
    python bench/policy_ab.py --source src \\
        --settings "base|s09=wasmem.exec.straightline:STRAIGHT_SHARE=0.9|pwasm" \\
        --reps 3 --procs 4 wasm:bench/c/independent/sorts.wasm:run:1 lua:0:30
"""

from __future__ import annotations

import argparse
import ast
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


def parse_settings(text: str) -> list[tuple[str, dict[str, list[tuple[str, Any]]]]]:
    """``NAME=MOD:ATTR=VALUE;...|NAME...`` -> [(name, {module: [(attribute, value)]})].

    Raises:
        ValueError: if a value is not a Python literal or an item is malformed.
    """
    settings = []
    for part in text.split("|"):
        name, _, rest = part.partition("=")
        overrides: dict[str, list[tuple[str, Any]]] = {}
        for item in filter(None, rest.split(";")):
            target, _, value = item.partition("=")
            module, _, attribute = target.partition(":")
            if not (module and attribute and value):
                raise ValueError(f"not MODULE:ATTRIBUTE=VALUE: {item!r}")
            overrides.setdefault(module, []).append((attribute, ast.literal_eval(value)))
        settings.append((name.strip(), overrides))
    return settings


class _Overrides:
    """A meta-path hook that sets attributes of the named modules once they are loaded."""

    def __init__(self, pending: dict[str, list[tuple[str, Any]]]) -> None:
        self.pending = pending

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self.pending:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = None if finder is self or find is None else find(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader, values = spec.loader, self.pending.pop(name)

        class Loader:
            def create_module(self, spec: Any) -> Any:
                return loader.create_module(spec)

            def exec_module(self, module: Any) -> None:
                loader.exec_module(module)
                _apply(module, values)
        spec.loader = Loader()
        return spec


def _apply(module: Any, values: list[tuple[str, Any]]) -> None:
    for attribute, value in values:
        if not hasattr(module, attribute):
            raise SystemExit(f"{module.__name__} has no attribute {attribute}")
        setattr(module, attribute, value)


def child(engine: str, work: str, reps: int, overrides: str) -> None:
    """Time ``reps`` runs of ``work`` in this process; print one JSON line."""
    began = time.process_time()
    pending = parse_settings("x=" + overrides)[0][1]
    hook = _Overrides(pending)
    sys.meta_path.insert(0, hook)
    if engine == "pwasm":
        import pwasm
    else:
        import wasmem
        sys.meta_path.remove(hook)  # (back in front of the import bundle's finder)
        sys.meta_path.insert(0, hook)
        for name in [name for name in pending if name in sys.modules]:
            _apply(sys.modules[name], pending.pop(name))
    imported = time.process_time() - began
    kind, *rest = work.split(":")
    if kind == "lua":
        sys.path.insert(0, str(HERE))
        import sjlj
        data = sjlj.WASM.read_bytes()
        run = sjlj.run_pwasm if engine == "pwasm" else sjlj.run_wasmem

        def once() -> Any:
            return run(data, int(rest[0]), int(rest[1]))[0]
    else:
        path, export, arg = rest[0], rest[1], int(rest[2])
        data = Path(path).read_bytes()

        def once() -> Any:
            if engine == "pwasm":
                return pwasm.instantiate(pwasm.decode_module(data)).exports[export](arg)
            return wasmem.Instance(wasmem.Module(data)).exports[export](arg)
    times, result = [], None
    for _ in range(reps):
        start = time.process_time()
        result = once()
        times.append(time.process_time() - start)
    print(json.dumps({"import": imported, "times": times, "result": repr(result),
                      "unapplied": sorted(pending)}))


def measure(work: str, settings: list[tuple[str, str]], source: str, reps: int,
            procs: int, pycache: str) -> dict[str, list[dict[str, Any]]]:
    """Run every setting ``procs`` times, alternated; return their JSON answers."""
    answers: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in settings}
    for number in range(-1, procs):  # (round -1 fills Python's bytecode cache: not counted)
        for name, overrides in settings if number % 2 == 0 else settings[::-1]:
            env = dict(os.environ, PYTHONPATH=source, WASMEM_CACHE_DIR="",
                       PWASM_CACHE_DIR="", PYTHONPYCACHEPREFIX=pycache)
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # (as installed packages run)
            engine = "pwasm" if name.startswith("pwasm") else "wasmem"
            out = subprocess.run([sys.executable, __file__, "--child", engine, work,
                                  str(reps), overrides], capture_output=True, text=True,
                                 env=env, timeout=1800)
            if out.returncode:
                raise SystemExit(f"{name} on {work} failed:\n{out.stderr[-2000:]}")
            if number >= 0:
                answers[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "WORK", "REPS", "SETTINGS"))
    parser.add_argument("--source", default=str(HERE.parent / "src"))
    parser.add_argument("--settings", default="base|pwasm")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--procs", type=int, default=3)
    parser.add_argument("work", nargs="*")
    args = parser.parse_args()
    if args.child:
        engine, work, reps, overrides = args.child
        child(engine, work, int(reps), overrides)
        return
    parse_settings(args.settings)  # (refused here, before any process runs)
    settings = [(name, rest) for name, _, rest in
                (part.partition("=") for part in args.settings.split("|"))]
    with tempfile.TemporaryDirectory() as pycache:
        for work in args.work:
            print(f"{work}: CPU ms, medians (first run of a process / with import / later runs)")
            answers = measure(work, settings, args.source, args.reps, args.procs, pycache)
            for name, runs in answers.items():
                first = statistics.median(r["times"][0] for r in runs) * 1000
                with_import = statistics.median(r["times"][0] + r["import"] for r in runs) * 1000
                later = [t for r in runs for t in r["times"][1:]]
                rest = f"{statistics.median(later) * 1000:9.1f}" if later else "        -"
                results = {r["result"] for r in runs}
                unused = sorted({m for r in runs for m in r["unapplied"]})
                note = f"   (never imported: {', '.join(unused)})" if unused else ""
                print(f"  {name:<14}{first:9.1f}{with_import:9.1f}{rest}   result "
                      f"{'/'.join(sorted(results))}{note}", flush=True)


if __name__ == "__main__":
    main()
