"""Where a cold cell's time goes: translating, continuations, the rest, per run and function.

One process, the way ``bench/run.py`` times a cold cell (``benchlib/engines.py``): per run
the in-process memory of loaded modules is forgotten, a fresh ``Module`` and ``Instance``
are made and ``EXPORT(ARG)`` is called once; CPU time. Printed per run: the whole run,
``Module`` + ``Instance``, the whole-function translations (``TieredTier.promote``: count
and CPU time), the continuations (on-stack replacement: count and time) and the rest
(interpreting, running translated code, binding); with ``--timeline`` every translation
with the run time it began at. Run it with ``WASMEM_TIER_BUDGETS`` for one tier alone
(``1000000000,1000000000``: interpreted only; ``0,0``: translated at once)::

    WASMEM_CACHE_DIR= PYTHONPATH=src python bench/cell_split.py recur.wasm 4 --runs 3
    WASMEM_CACHE_DIR= WASMEM_TIER_BUDGETS=0,0 PYTHONPATH=src python bench/cell_split.py M.wasm 1
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import wasmem
from wasmem.exec import continuations, tiering
from wasmem.load.cached import forget_validated

Event = tuple[str, int, float, float]  # kind ("P" whole, "C" continuation), index, began, took


def record(log: list[Event]) -> Callable[[], None]:
    """Wrap the tier's translation entry points so that each appends to ``log``; return
    what puts them back. Raises nothing."""
    undo: list[tuple[Any, str, Any]] = []

    def timed(kind: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Any, index: int, *args: Any) -> Any:
            began = time.process_time()
            result = original(self, index, *args)
            log.append((kind, index, began, time.process_time() - began))
            return result
        return wrapper
    owners = [(tiering.TieredTier, "promote", "P")] + [
        (owner, "continuation", "C") for owner in vars(continuations).values()
        if isinstance(owner, type) and "continuation" in vars(owner)]
    for owner, name, kind in owners:
        undo.append((owner, name, vars(owner)[name]))
        setattr(owner, name, timed(kind, vars(owner)[name]))

    def restore() -> None:
        for owner, name, original in undo:
            setattr(owner, name, original)
    return restore


def split(data: bytes, export: str, arg: int, runs: int,
          timeline: bool = False) -> list[dict[str, Any]]:
    """Run ``export(arg)`` of the module ``data`` ``runs`` times (module docstring); return
    one dict per run (milliseconds) and print it. Raises what the run raises."""
    log: list[Event] = []
    restore = record(log)
    try:
        return _runs(data, export, arg, runs, timeline, log)
    finally:
        restore()


def _runs(data: bytes, export: str, arg: int, runs: int, timeline: bool,
          log: list[Event]) -> list[dict[str, Any]]:
    rows = []
    for run in range(runs):
        del log[:]
        gc.collect()
        forget_validated()
        start = time.process_time()
        instance = wasmem.Instance(wasmem.Module(data))
        loaded = time.process_time()
        instance.exports[export](arg)
        total = time.process_time() - start
        del instance
        row: dict[str, Any] = {"run": run, "total": total * 1e3,
                               "load": (loaded - start) * 1e3}
        for kind, name in (("P", "whole"), ("C", "continuations")):
            made = [event for event in log if event[0] == kind]
            row[name] = (len(made), sum(event[3] for event in made) * 1e3)
        row["rest"] = row["total"] - row["whole"][1] - row["continuations"][1]
        rows.append(row)
        print(f"run {run}: {row['total']:.1f} ms (Module+Instance {row['load']:.1f}); "
              f"whole {row['whole'][0]} {row['whole'][1]:.1f} ms; continuations "
              f"{row['continuations'][0]} {row['continuations'][1]:.1f} ms; "
              f"rest {row['rest']:.1f} ms")
        if timeline:
            for kind, index, began, took in log:
                print(f"    {kind} F{index} at {(began - start) * 1e3:.1f} ms, "
                      f"{took * 1e3:.1f} ms")
    return rows


def main() -> None:
    """Parse the command line and print the split of each run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wasm", type=Path)
    parser.add_argument("arg", type=int)
    parser.add_argument("--export", default="run")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeline", action="store_true")
    args = parser.parse_args()
    split(args.wasm.read_bytes(), args.export, args.arg, args.runs, args.timeline)


if __name__ == "__main__":
    main()
