"""Off-line differential fuzzing against wasmtime (not collected by pytest).

Runs ``--count`` generated modules per feature set (base, simd, exceptions, memory64,
tail-calls; round-robin, so an interrupted run stays balanced), compares the wasmem tiers
with wasmtime (see :mod:`wasm_differential`) and writes every module that shows a difference
to ``--out`` with a line in ``differences.txt``; ``summary.json`` holds the counts so far.
Differences that disappear when smith canonicalises NaNs are counted as ``nan_only`` and
listed in ``nan_only.txt`` (spec-allowed NaN bits, see :func:`wasm_differential.check_seed`).

    nice -n 10 python3 tests/exec/differential_offline.py --count 10000 --out fuzz-out

``--sets trap-order`` (or a list ending in it) adds the programs of :mod:`trap_order_gen`
(with ``--frames``, their traps' line:column in both tiers too),
``--sets indirect`` the ``call_indirect`` modules of :mod:`indirect_gen` (their text is
written to ``--out``), ``--sets pointers`` the pointer-parameter modules of
:mod:`pointer_gen` (every tier), ``--sets switch`` the dispatch loops of :mod:`switch_gen`,
``--sets numeric`` the dense numeric loops of :mod:`numeric_gen`.
A harness failure (e.g. ``wasm-tools`` timing out on a loaded machine) is recorded as a
difference with its traceback, so nothing is silently dropped; rerun the seed to triage.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the tiered mode with tiny budgets (as the test suite runs it): functions switch from the
# interpreter to compiled code, loops to their compiled continuations, on every module
os.environ.setdefault("WASMEM_TIER_BUDGETS", "1,2")
# a translation bug raises (as in the test suite) instead of falling back to the interpreter
os.environ.setdefault("WASMEM_STRICT_COMPILE", "1")

import indirect_gen
import numeric_gen
import pointer_gen
import switch_gen
import wasm_differential
from trap_order_gen import module_text, outcomes, places
from wasm_differential import (
    FEATURE_SETS,
    Report,
    check_seed,
    generate,
    wasmtime_engine,
)

TRAP_ORDER = "trap-order"
"""The extra set of :mod:`trap_order_gen` programs (give it in ``--sets``)."""
INDIRECT = "indirect"
"""The extra set of :mod:`indirect_gen` modules (give it in ``--sets``)."""
POINTERS = "pointers"
"""The extra set of :mod:`pointer_gen` modules (give it in ``--sets``)."""
SWITCH = "switch"
"""The extra set of :mod:`switch_gen` modules (give it in ``--sets``)."""
NUMERIC = "numeric"
"""The extra set of :mod:`numeric_gen` modules (give it in ``--sets``)."""
GENERATED = {POINTERS: pointer_gen, SWITCH: switch_gen, NUMERIC: numeric_gen}


def check_pointers(seed: int, generator: Any = pointer_gen) -> tuple[Report, str]:
    """Compare one :mod:`pointer_gen` (or ``generator``'s) module on every tier with
    wasmtime."""
    report = Report()
    text = generator.module_text(seed)
    made = generator.calls(seed, text)
    expected = pointer_gen.wasmtime_outcomes(text, made)
    report.calls = len(made)
    report.traps = sum(row[0] == "trap" for row in expected[:-1])
    for tier in ("compile", "tiered", "interpret"):
        got = pointer_gen.outcomes(text, made, tier)
        if got != expected:
            where = next(i for i, (a, b) in enumerate(zip(got, expected)) if a != b)
            call = made[where] if where < len(made) else "memory"
            report.differences.append(f"[{tier}] {call}: ours {got[where]!r:.200}, "
                                      f"wasmtime {expected[where]!r:.200}")
            return report, "differ"
    return report, "agree"


def check_indirect(seed: int) -> tuple[Report | None, str]:
    """Compare one :mod:`indirect_gen` module on every tier and wasmtime."""
    assert wasm_differential.SMITH is not None
    result = subprocess.run([wasm_differential.SMITH, "parse", "-o", "/dev/stdout"],
                            input=indirect_gen.module_text(seed).encode(),
                            capture_output=True, timeout=60)
    if result.returncode:
        return None, "no module"
    report = wasm_differential.compare(result.stdout, seed, calls_per_export=3)
    return report, "differ" if report.differences else "agree"


def check_trap_order(seed: int, engine: object) -> tuple[Report, str]:
    """Compare one trap-order program on both tiers and wasmtime."""
    report = Report()
    results = outcomes(module_text(seed), engine)
    report.calls = len(results["compile"])
    report.traps = sum(row[0] == "trap" for row in results["compile"])
    if not results["compile"] == results["interpret"] == results["wasmtime"]:
        report.differences.append(repr(results))
        return report, "differ"
    if wasm_differential.FRAMES:  # and each trap's frames (line:column) in both tiers
        found = places(module_text(seed))
        if found["interpret"] != found["compile"]:
            report.differences.append(f"trap places differ: {found!r}")
            return report, "differ"
    return report, "agree"


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzing loop; return 1 if any difference was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="modules per feature set")
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--sets", default=",".join(FEATURE_SETS),
                        help=f"comma-separated feature sets, also {TRAP_ORDER!r}, {INDIRECT!r}, "
                        f"{POINTERS!r}, {SWITCH!r}")
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--deadline", type=float, default=0.0,
                        help="stop at this Unix time (0: no deadline)")
    parser.add_argument("--fuel", type=int, default=None,
                        help="run every wasmem instance with this much fuel")
    parser.add_argument("--observe", action="store_true",
                        help="trace and watch every wasmem call (wasm_differential.OBSERVE)")
    parser.add_argument("--frames", action="store_true",
                        help="compare trap backtraces with wasmtime's (wasm_differential.FRAMES)")
    parser.add_argument("--smith", default="",
                        help="OPTION=VALUE,... replacing smith's defaults (bigger modules)")
    parser.add_argument("--input-bytes", type=int, default=wasm_differential.INPUT_BYTES,
                        help="most random bytes smith gets for one module")
    args = parser.parse_args(argv)
    wasm_differential.INPUT_BYTES = args.input_bytes
    wasm_differential.SMITH_OVERRIDES.update(
        item.split("=", 1) for item in args.smith.split(",") if item)  # type: ignore[misc]
    wasm_differential.FUEL = args.fuel
    wasm_differential.OBSERVE = args.observe
    wasm_differential.FRAMES = args.frames
    sets = args.sets.split(",")
    args.out.mkdir(parents=True, exist_ok=True)
    counts = {name: {"modules": 0, "no_module": 0, "skipped": 0, "calls": 0, "traps": 0,
                     "nan_only": 0, "differences": 0} for name in sets}
    found = 0
    engine = wasmtime_engine()
    started = time.time()
    log = (args.out / "differences.txt").open("a")
    for seed in range(args.start, args.start + args.count):
        if args.deadline and time.time() > args.deadline:
            break
        for name in sets:
            try:
                if name == TRAP_ORDER:
                    report, verdict = check_trap_order(seed, engine)
                elif name == INDIRECT:
                    report, verdict = check_indirect(seed)
                elif name in GENERATED:
                    report, verdict = check_pointers(seed, GENERATED[name])
                else:
                    report, verdict = check_seed(name, seed)
                problems = report.differences if report is not None else []
            except Exception:  # a crash of the harness or of wasmem: record it
                report, verdict = None, "differ"
                problems = ["exception: " + traceback.format_exc()]
            if verdict == "no module":
                counts[name]["no_module"] += 1
                continue
            counts[name]["modules"] += 1
            if report is not None:
                counts[name]["calls"] += report.calls
                counts[name]["traps"] += report.traps
                counts[name]["skipped"] += report.skipped is not None
            if verdict == "nan":
                counts[name]["nan_only"] += 1
                (args.out / "nan_only.txt").open("a").write(
                    f"{name} {seed}: {problems[0]}\n")
            elif verdict == "differ":
                found += 1
                counts[name]["differences"] += 1
                binary = generate(name, seed) \
                    if name not in (TRAP_ORDER, INDIRECT, *GENERATED) else None
                if name == INDIRECT:
                    (args.out / f"{name}-{seed}.wat").write_text(indirect_gen.module_text(seed))
                if name in GENERATED:
                    (args.out / f"{name}-{seed}.wat").write_text(
                        GENERATED[name].module_text(seed))
                if binary is not None:
                    (args.out / f"{name}-{seed}.wasm").write_bytes(binary)
                for problem in problems:
                    log.write(f"{name} {seed}: {problem}\n")
                log.flush()
        if seed % 20 == 0:
            summary = {"seconds": round(time.time() - started), "last_seed": seed,
                       "counts": counts}
            (args.out / "summary.json").write_text(json.dumps(summary, indent=1))
    summary = {"seconds": round(time.time() - started), "counts": counts, "done": True}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
