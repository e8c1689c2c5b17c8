"""Off-line mutation fuzzing of binaries (not collected by pytest).

Each mutant is a ``wasm-tools smith`` module (or a file given with ``--seeds-from``) changed
by ``wasm-tools mutate`` or by byte edits (both from ``tests/tools/mutation_offline.py``,
which checks the loading path and the CLI; this one runs what loads against wasmtime).
wasmem must accept exactly the mutants wasmtime accepts, reject the others with a
:class:`wasmem.WasmError` (never another exception, never a hang: each mutant gets
``--seconds``), and run the accepted ones like wasmtime (:func:`wasm_differential.compare`).

    nice -n 10 python3 tests/exec/mutation_differential.py --count 2000 --out mutants
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# a translation bug raises (as in the test suite) instead of falling back to the interpreter
os.environ.setdefault("WASMEM_STRICT_COMPILE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import wasmtime
from mutation_offline import byte_mutate, structure_mutate, tool_mutate
from wasm_differential import FEATURE_SETS, compare, generate, wasmtime_engine

import wasmem

class Timeout(Exception):
    """Raised by the alarm when a mutant takes too long."""


def mutate(data: bytes, seed: int, rng: random.Random) -> bytes:
    """A mutant of ``data``: half of them from ``wasm-tools mutate`` (structure-aware, so
    mostly valid: they run), the others byte-level or section-level edits (reordered,
    repeated sections, overlong or huge sizes and counts: mostly invalid, they must be
    rejected as wasmtime rejects them)."""
    draw = rng.random()
    if draw < 0.5:
        made = tool_mutate(data, seed)
        if made is not None and made != data:
            return made
    if draw > 0.8:
        return structure_mutate(data, rng)
    return byte_mutate(data, rng)


def runs_forever(mutant: bytes, fuel: int = 10**9) -> bool:
    """Whether wasmtime runs out of ``fuel`` instantiating ``mutant`` or calling one of
    its exported functions with zero arguments. Never raises."""
    config = wasmtime.Config()
    config.consume_fuel = True
    for feature in ("wasm_multi_memory", "wasm_memory64", "wasm_tail_call", "wasm_simd",
                    "wasm_exceptions", "wasm_function_references"):
        try:
            setattr(config, feature, True)
        except AttributeError:
            pass
    store = wasmtime.Store(wasmtime.Engine(config))
    store.set_fuel(fuel)
    out_of_fuel = getattr(wasmtime.TrapCode, "OUT_OF_FUEL", None)
    zeros = {"i32": 0, "i64": 0, "f32": 0.0, "f64": 0.0}
    try:
        module = wasmtime.Module(store.engine, mutant)
        exports = wasmtime.Instance(store, module, []).exports(store)
        for export in module.exports:
            function = exports[export.name]
            if not isinstance(function, wasmtime.Func):
                continue
            try:
                function(store, *[zeros.get(str(t)) for t in function.type(store).params])
            except wasmtime.Trap as exc:
                if exc.trap_code == out_of_fuel:
                    return True
            except wasmtime.WasmtimeError:
                pass
    except wasmtime.Trap as exc:
        return bool(exc.trap_code == out_of_fuel)
    except Exception:
        return False
    return False


def _alarm(_signum: int, _frame: Any) -> None:
    raise Timeout


def check(mutant: bytes, seed: int, engine: Any) -> tuple[str, str]:
    """Return (verdict, detail): ``valid``/``invalid`` agreed, or ``differ``."""
    try:
        wasmtime.Module.validate(engine, mutant)
        theirs = True
    except wasmtime.WasmtimeError:
        theirs = False
    try:
        wasmem.Module(mutant)
        ours, why = True, ""
    except wasmem.UnsupportedFeature as exc:
        return "unsupported", str(exc)
    except wasmem.WasmError as exc:
        ours, why = False, f"{type(exc).__name__}: {exc}"
    if ours != theirs:
        return "differ", f"wasmem {'accepts' if ours else 'rejects'} ({why[:200]}), " \
                         f"wasmtime {'accepts' if theirs else 'rejects'}"
    if not ours:
        return "invalid", ""
    report = compare(mutant, seed, calls_per_export=2)
    if report.differences:
        return "differ", "; ".join(report.differences)[:2000]
    return "valid", ""


def main(argv: list[str] | None = None) -> int:
    """Run the mutation loop; return 1 if anything differed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="mutants")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("mutants"))
    parser.add_argument("--seconds", type=int, default=60, help="time limit of one mutant")
    parser.add_argument("--seeds-from", nargs="*", type=Path, default=[],
                        help=".wasm files to mutate (default: smith modules)")
    parser.add_argument("--deadline", type=float, default=0.0)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    engine = wasmtime_engine()
    files = [p.read_bytes() for p in args.seeds_from]
    sets = list(FEATURE_SETS)
    counts: dict[str, int] = {}
    signal.signal(signal.SIGALRM, _alarm)
    log = (args.out / "differences.txt").open("a")
    for seed in range(args.start, args.start + args.count):
        if args.deadline and time.time() > args.deadline:
            break
        rng = random.Random(seed)
        base = rng.choice(files) if files else generate(sets[seed % len(sets)], seed // 5)
        if base is None:
            continue
        mutant = mutate(base, seed, rng)
        signal.alarm(args.seconds)
        try:
            verdict, detail = check(mutant, seed, engine)
        except Timeout:
            if runs_forever(mutant):  # (a mutant that lost its fuel check)
                verdict, detail = "nonterminating", ""
            else:
                verdict, detail = "differ", f"timeout after {args.seconds} s"
        except Exception:  # a raw exception is what this looks for
            verdict, detail = "differ", "exception: " + traceback.format_exc()[-1500:]
        finally:
            signal.alarm(0)
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict == "differ":
            (args.out / f"mutant-{seed}.wasm").write_bytes(mutant)
            log.write(f"{seed}: {detail}\n")
            log.flush()
        if seed % 20 == 0:
            (args.out / "summary.json").write_text(json.dumps({"last": seed, **counts}))
    (args.out / "summary.json").write_text(json.dumps({"done": True, **counts}))
    print(json.dumps(counts))
    return 1 if counts.get("differ") else 0


if __name__ == "__main__":
    sys.exit(main())
