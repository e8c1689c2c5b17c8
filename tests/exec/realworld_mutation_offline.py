"""Off-line mutation fuzzing of compiled C programs against wasmtime (not collected by pytest).

Seeds are real binaries (default: ``bench/c/realworld/*.wasm`` and
``bench/c/independent/*.wasm``; each has no imports and exports ``run(n)``). Each mutant is
made by ``wasm-tools mutate`` (applied one to three times: mostly still valid, so it runs)
or by byte edits (mostly invalid: it must be rejected as wasmtime rejects it). A mutant
that loads is instantiated in one wasmem tier (rotating: interpreter, tiered, compiled; the
tiered budgets come from ``WASMEM_TIER_BUDGETS``) and in wasmtime, and ``run(N)`` is
called in both (``N`` is the program's smallest size); the result or trap code must agree.
Results that differ only where NaN bits are free (the programs checksum the bits of their
floats) agree with wasmtime's NaN-canonicalising mode and count as ``nan``.

A finding is: the engines disagree on validity, on instantiation or on the call's outcome;
an exception outside the wasmem family (a raw traceback); or a mutant that wasmtime runs
within its fuel but wasmem does not finish within ``--seconds`` (a hang). Findings go to
``--out`` (the mutant and a line in ``differences.txt``); ``summary.json`` holds the counts.

    nice -n 10 python3 tests/exec/realworld_mutation_offline.py --count 500 --out rw-mutants
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
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
os.environ.setdefault("WASMEM_TIER_BUDGETS", "2,20")
os.environ.setdefault("WASMEM_STRICT_COMPILE", "1")

import wasmtime
from mutation_offline import byte_mutate, tool_mutate
from wasm_differential import WASMTIME_CODES

import wasmem

ROOT = Path(__file__).resolve().parents[2]
SIZES = {"lz4": 1, "brotli": 1, "cmark": 1, "yaml": 1, "quickjs": 1, "sqlite": 0, "zstd": 1,
         "crypto": 1, "erfa": 1}
"""The smallest workload size of each real-world program (others get 1)."""
TIERS = ("interpret", "tiered", "compile")
COMPILE_LIMIT = 250_000
"""Bigger binaries are not run all-compiled (several seconds of translation per mutant)."""
WASMTIME_FUEL = 3 * 10**9
MEMORY_PAGES_CAP = 16384


class Timeout(Exception):
    """Raised by the CPU-time alarm when wasmem takes too long over a mutant."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise Timeout


def mutate(data: bytes, seed: int, rng: random.Random) -> tuple[str, bytes]:
    """(kind, mutant) of ``data``."""
    if rng.random() < 0.6:
        made = data
        for round_ in range(rng.randint(1, 3)):
            step = tool_mutate(made, seed * 7 + round_)
            if step is not None:
                made = step
        if made != data:
            return "tool", made
    return "bytes", byte_mutate(data, rng)


def theirs(engine: Any, mutant: bytes, n: int) -> tuple[str, Any]:
    """wasmtime's outcome: ("invalid", _), ("trap", code), ("ok", result) or ("skip", why)."""
    try:
        module = wasmtime.Module(engine, mutant)
    except wasmtime.WasmtimeError as exc:
        return "invalid", str(exc).splitlines()[0]
    store = wasmtime.Store(engine)
    store.set_fuel(WASMTIME_FUEL)
    store.set_limits(memory_size=MEMORY_PAGES_CAP * 65536)
    try:
        instance = wasmtime.Instance(store, module, [])
        run = instance.exports(store).get("run")
        if not isinstance(run, wasmtime.Func):
            return "ok", None
        return "ok", run(store, n)
    except wasmtime.Trap as exc:
        if exc.trap_code in (wasmtime.TrapCode.OUT_OF_FUEL, wasmtime.TrapCode.STACK_OVERFLOW):
            return "skip", str(exc.trap_code)
        return "trap", exc.trap_code
    except wasmtime.WasmtimeError as exc:
        return "skip", str(exc).splitlines()[0]
    except TypeError as exc:  # run's type is no longer (i32) -> ...
        return "skip", str(exc)


def ours(mutant: bytes, n: int, tier: str) -> tuple[str, Any]:
    """wasmem's outcome, as :func:`theirs`; other exceptions propagate."""
    try:
        module = wasmem.Module(mutant)
    except wasmem.UnsupportedFeature as exc:
        return "skip", str(exc)
    except wasmem.WasmError as exc:
        return "invalid", f"{type(exc).__name__}: {exc}"
    try:
        instance = wasmem.Instance(module, tier=tier, max_memory_pages=MEMORY_PAGES_CAP)
        try:
            run = instance.exports["run"]
        except KeyError:
            return "ok", None
        if not isinstance(run, wasmem.Function):
            return "ok", None
        return "ok", run(n)
    except wasmem.Exhaustion as exc:
        return "skip", str(exc.code)
    except wasmem.Trap as exc:
        return "trap", exc.code
    except wasmem.InvocationError as exc:  # run's type changed
        return "skip", str(exc)
    except wasmem.WasmError as exc:  # a link error (imports), a resource limit
        return "skip", f"{type(exc).__name__}: {exc}"


def verdict(mine: tuple[str, Any], other: tuple[str, Any]) -> str | None:
    """None if the outcomes agree, else what differs."""
    if "skip" in (mine[0], other[0]):
        return None
    if (mine[0] == "invalid") != (other[0] == "invalid"):
        return f"validity: ours {mine}, wasmtime {other}"
    if mine[0] != other[0]:
        return f"ours {mine}, wasmtime {other}"
    if mine[0] == "trap" and mine[1] not in WASMTIME_CODES.get(other[1], ()):
        return f"trap codes: ours {mine[1]}, wasmtime {other[1]}"
    if mine[0] == "ok":
        mine_v = mine[1] & 0xFFFFFFFF if isinstance(mine[1], int) else mine[1]
        other_v = other[1] & 0xFFFFFFFF if isinstance(other[1], int) else other[1]
        if mine_v != other_v:
            return f"results: ours {mine[1]!r}, wasmtime {other[1]!r}"
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the loop; return 1 if anything differed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="mutants")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("rw-mutants"))
    parser.add_argument("--seconds", type=int, default=120,
                        help="wasmem's CPU-time limit per mutant")
    parser.add_argument("--seeds-from", nargs="*", type=Path, default=[])
    parser.add_argument("--deadline", type=float, default=0.0)
    args = parser.parse_args(argv)
    paths = args.seeds_from or sorted([*ROOT.glob("bench/c/realworld/*.wasm"),
                                       *ROOT.glob("bench/c/independent/*.wasm")])
    files = {p.stem: p.read_bytes() for p in paths}
    names = sorted(files)
    args.out.mkdir(parents=True, exist_ok=True)
    config = wasmtime.Config()
    config.consume_fuel = True
    for feature in ("wasm_multi_memory", "wasm_memory64", "wasm_tail_call", "wasm_simd",
                    "wasm_exceptions", "wasm_function_references"):
        setattr(config, feature, True)
    engine = wasmtime.Engine(config)
    config = wasmtime.Config()
    config.consume_fuel = True
    config.cranelift_nan_canonicalization = True
    canonical = wasmtime.Engine(config)
    counts: dict[str, int] = {}
    signal.signal(signal.SIGVTALRM, _alarm)  # CPU time: a loaded machine is no hang
    log = (args.out / "differences.txt").open("a")
    for seed in range(args.start, args.start + args.count):
        if args.deadline and time.time() > args.deadline:
            break
        rng = random.Random(f"rw/{seed}")
        name = names[seed % len(names)]
        kind, mutant = mutate(files[name], seed, rng)
        n = SIZES.get(name, 1)
        tiers = [t for t in TIERS if t != "compile" or len(mutant) < COMPILE_LIMIT]
        tier = tiers[(seed // len(names)) % len(tiers)]
        other = theirs(engine, mutant, n)
        if other[0] == "skip" and "OUT_OF_FUEL" in str(other[1]):
            counts["wasmtime out of fuel"] = counts.get("wasmtime out of fuel", 0) + 1
            continue  # (the mutant lost its loop's exit: wasmem would run it forever too)
        signal.setitimer(signal.ITIMER_VIRTUAL, args.seconds)
        try:
            mine = ours(mutant, n, tier)
            problem = verdict(mine, other)
            result = "differ" if problem else (other[0] if mine[0] != "skip" else "skip")
            if problem and mine[0] == other[0] == "ok" and \
                    verdict(mine, theirs(canonical, mutant, n)) is None:
                result, problem = "nan", None  # (NaN signs and payloads are free)
        except Timeout:
            result, problem = "differ", f"timeout after {args.seconds} s of CPU (wasmtime {other})"
        except Exception:  # a raw exception is what this looks for
            result, problem = "differ", "exception: " + traceback.format_exc()[-2000:]
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        counts[result] = counts.get(result, 0) + 1
        counts[f"{kind}"] = counts.get(kind, 0) + 1
        if problem:
            (args.out / f"{name}-{seed}.wasm").write_bytes(mutant)
            log.write(f"{name} {seed} {kind} {tier}: {problem}\n")
            log.flush()
        if seed % 5 == 0:
            (args.out / "summary.json").write_text(json.dumps({"last": seed, **counts}))
    (args.out / "summary.json").write_text(json.dumps({"done": True, **counts}))
    print(json.dumps(counts))
    return 1 if counts.get("differ") else 0


if __name__ == "__main__":
    sys.exit(main())
