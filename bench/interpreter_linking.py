"""How much of a module's interpreted code a run links, and what the collector costs.

    PYTHONPATH=src WASMEM_TIER_BUDGETS=1000000,1000000 \\
        python bench/interpreter_linking.py bench/c/realworld/sqlite.wasm 2

Runs export ``run(ARG)`` (``--export`` for another name) once in a fresh ``Module`` and
``Instance`` (no disk cache) and prints: the CPU time of the run, how many closures the
functions the interpreter linked have and how many were made (lazy linking,
:mod:`wasmem.exec.interpreter.linking`, makes those control reaches, and the rest of
their runs), and the collections of Python's cyclic garbage collector during the run
(count and CPU time per generation). With budgets that keep everything interpreted,
the closures made against the total is what lazy linking saves. Results:
``bench/interpreter.md``, section "Lazy linking".
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any

import wasmem
from wasmem.exec import interpreter

try:
    from wasmem.exec.interpreter.linking import unlinked
except ImportError:  # a tree before lazy linking: every closure is made at once
    unlinked = None


def main() -> None:
    """Parse the arguments, run, print one line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wasm")
    parser.add_argument("arg", type=int)
    parser.add_argument("--export", default="run")
    options = parser.parse_args()
    with open(options.wasm, "rb") as f:
        data = f.read()
    started: list[float] = []
    collections: dict[int, list[float]] = {}

    def observe(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(time.process_time())
        elif started:
            spent = collections.setdefault(info["generation"], [0, 0.0])
            spent[0] += 1
            spent[1] += time.process_time() - started.pop()

    gc.callbacks.append(observe)
    began = time.process_time()
    instance = wasmem.Instance(wasmem.Module(data, cache_dir=False))
    instance.exports[options.export](options.arg)
    spent = time.process_time() - began
    gc.callbacks.remove(observe)
    state = interpreter.InstanceCode.of(instance._instance)
    total = made = linked = lazy = 0
    for code in state.codes:
        if code is None:
            continue
        linked += 1
        lazy += getattr(code, "pending", None) is not None
        total += len(code.ops) - 1
        made += sum(1 for op in code.ops[1:] if op is not unlinked)
    collector = ", ".join(f"gen{generation} {count:.0f}x {seconds * 1000:.0f} ms"
                          for generation, (count, seconds) in sorted(collections.items()))
    print(f"{options.wasm} run({options.arg}): {spent:.3f} s CPU; {linked} functions "
          f"linked ({lazy} lazily), closures {made} made of {total}; collector: {collector}")


if __name__ == "__main__":
    main()
