"""The tiers under small fuel: same outcomes, same fuel consumed, same frames.

Fuel counts instructions the same way in every tier (docs/engine.md), so a module run
with little fuel must stop at the same place in the interpreter, the compiler and the
tiered mode: the same results, trap codes and trap frames (function index and module
offset; an out-of-fuel trap's frames too), and the same ``fuel_consumed`` after every
call. :func:`compare` checks one ``wasm-tools smith`` module; run off-line with

    nice -n 10 python3 tests/exec/fuel_tiers.py --sets base,simd --start 0 --seconds 600

(``WASMEM_TIER_BUDGETS=0,0`` makes the tiered mode translate at once).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wasm_differential as w

import wasmem
from wasmem.runtime.functions import FunctionInstance

TIERS = ("interpret", "compile", "tiered")
FUELS = (300, 3000, 30000)


def _value(result: Any) -> str:
    """A comparable text of a raw result (compiled code may give bools for i32s)."""
    return repr(result).replace("True", "1").replace("False", "0")


def _rows(module: wasmem.Module, seed: int, tier: str, fuel: int) -> list[Any]:
    """Each exported call's outcome and the fuel consumed after it, in one tier."""
    try:
        instance = wasmem.Instance(module, tier=tier, fuel=fuel,
                                   max_memory_pages=w.MEMORY_PAGES_CAP)
    except wasmem.Trap as exc:
        return [("instantiate", exc.code.name,
                 [(f.function_index, f.offset) for f in exc.frames])]
    rng = random.Random(seed)
    rows: list[Any] = []
    for export in module.ast.exports:
        function = instance._instance.exports[export.name]
        if not isinstance(function, FunctionInstance) \
                or not w.callable_type(function.type.params, function.type.results):
            continue
        args = [w.argument(rng, t) for t in function.type.params]
        if not all(usable for _a, _b, usable in args):
            continue
        try:
            rows.append(("ok", _value(w.invoke_raw(function, [a for a, _b, _u in args]))))
        except wasmem.Trap as exc:
            if exc.code is wasmem.TrapCode.CALL_STACK_EXHAUSTED:
                rows.append(("exhausted",))  # (frames differ by design: docs/observe.md)
            else:
                rows.append(("trap", exc.code.name,
                             [(f.function_index, f.offset) for f in exc.frames]))
        rows.append(instance.fuel_consumed)
    return rows


def compare(binary: bytes, seed: int) -> tuple[list[str], int, int]:
    """The differences between the tiers for one module, the calls made and how many
    ran out of fuel. Raises what loading an invalid ``binary`` raises."""
    module = wasmem.Module(binary)
    differences: list[str] = []
    calls = out_of_fuel = 0
    for fuel in FUELS:
        found = {tier: _rows(module, seed, tier, fuel) for tier in TIERS}
        first = found[TIERS[0]]
        calls += sum(isinstance(row, tuple) for row in first)
        out_of_fuel += sum(isinstance(row, tuple) and row[1:2] == ("FUEL_EXHAUSTED",)
                           for row in first)
        for tier in TIERS[1:]:
            if found[tier] != first:
                where = next((k for k, (a, b) in enumerate(zip(first, found[tier]))
                              if a != b), min(len(first), len(found[tier])))
                differences.append(f"fuel {fuel} [{tier}] row {where}: "
                                   f"{found[tier][where:where + 1]!r:.200} vs interpreter "
                                   f"{first[where:where + 1]!r:.200}")
                return differences, calls, out_of_fuel
    return differences, calls, out_of_fuel


def main(argv: list[str] | None = None) -> int:
    """Compare modules until ``--seconds`` pass; print counts; 1 if any difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="base,simd,exceptions,memory64,tail-calls")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    deadline = time.time() + args.seconds
    modules = calls = out_of_fuel = found = 0
    seed = args.start
    while time.time() < deadline:
        for name in args.sets.split(","):
            binary = w.generate(name, seed)
            if binary is None:
                continue
            differences, made, ran_out = compare(binary, seed)
            modules, calls, out_of_fuel = modules + 1, calls + made, out_of_fuel + ran_out
            for line in differences:
                found += 1
                print(f"{name} {seed}: {line}", flush=True)
        seed += 1
    print(f"modules {modules}, calls {calls} ({out_of_fuel} out of fuel), "
          f"differences {found}, last seed {seed - 1}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
