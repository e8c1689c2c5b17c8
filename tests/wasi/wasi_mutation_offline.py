"""Off-line mutation fuzzing of WASI programs against wasmtime (not collected by pytest).

Seeds are the WASI command programs of ``tests/wasi/programs`` and ``bench/c/independent``
(those with WASI imports) whose unmutated runs agree with wasmtime's (same exit status
and output; programs reading clocks or random bytes drop out). Each mutant (``wasm-tools
mutate`` or byte edits, as in ``tests/tools/mutation_offline.py``) runs ``_start`` in one
wasmem tier (rotating) and in wasmtime, both with the same arguments, environment, stdin
bytes and no preopened directories; exit status (or trap code) and stdout must agree
(or agree with wasmtime's NaN-canonicalising mode: NaN signs and payloads are free).

A finding is a disagreement on validity or outcome, an exception outside the wasmem family,
or a mutant wasmtime finishes within its fuel that wasmem does not finish within
``--seconds`` of CPU time. Findings go to ``--out`` (the mutant and a line in
``differences.txt``).

    nice -n 10 python3 tests/wasi/wasi_mutation_offline.py --count 500 --out wasi-mutants
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exec"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
os.environ.setdefault("WASMEM_TIER_BUDGETS", "2,20")
os.environ.setdefault("WASMEM_STRICT_COMPILE", "1")

import wasmtime
from mutation_offline import byte_mutate, tool_mutate
from wasm_differential import WASMTIME_CODES

import wasmem
from wasmem.wasi import WasiConfig

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["prog", "alpha", "b c"]
ENV = {"HOME": "/nowhere", "LANG": "C"}
STDIN = b"line one\nline two\n"
TIERS = ("interpret", "tiered", "compile")
FUEL = 2 * 10**9
Outcome = tuple[str, Any, bytes]


class Timeout(BaseException):
    """Raised by the CPU-time alarm."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise Timeout


def theirs(engine: Any, binary: bytes, scratch: Path) -> Outcome:
    """wasmtime's (kind, status or trap code, stdout); kind ``invalid``/``skip`` too."""
    try:
        module = wasmtime.Module(engine, binary)
    except wasmtime.WasmtimeError as exc:
        return "invalid", str(exc).splitlines()[0], b""
    out, stdin = scratch / "out", scratch / "in"
    stdin.write_bytes(STDIN)
    config = wasmtime.WasiConfig()
    config.argv = ARGS
    config.env = list(ENV.items())
    config.stdin_file = str(stdin)
    config.stdout_file = str(out)
    store = wasmtime.Store(engine)
    store.set_wasi(config)
    store.set_fuel(FUEL)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        instance = linker.instantiate(store, module)
        start = instance.exports(store).get("_start")
        if not isinstance(start, wasmtime.Func):
            return "skip", "no _start", b""
        start(store)
        return "exit", 0, out.read_bytes()
    except wasmtime.ExitTrap as exc:
        return "exit", exc.code, out.read_bytes()
    except wasmtime.Trap as exc:
        if exc.trap_code in (wasmtime.TrapCode.OUT_OF_FUEL, wasmtime.TrapCode.STACK_OVERFLOW):
            return "skip", str(exc.trap_code), b""
        return "trap", exc.trap_code, out.read_bytes()
    except wasmtime.WasmtimeError as exc:
        return "skip", str(exc).splitlines()[0], b""


def ours(binary: bytes, tier: str) -> Outcome:
    """wasmem's outcome, as :func:`theirs`; exceptions outside wasmem's propagate."""
    try:
        module = wasmem.Module(binary)
    except wasmem.UnsupportedFeature as exc:
        return "skip", str(exc), b""
    except wasmem.WasmError as exc:
        return "invalid", f"{type(exc).__name__}: {exc}", b""
    config = WasiConfig(args=ARGS, env=ENV, stdin=STDIN, stdout="capture", stderr=None)
    try:
        instance = wasmem.Instance(module, wasi=config, tier=tier, max_memory_pages=16384)
        try:
            start = instance.exports["_start"]
        except KeyError:
            return "skip", "no _start", b""
        start()
        return "exit", 0, config.captured_stdout
    except wasmem.Exit as exc:
        return "exit", exc.code, config.captured_stdout
    except wasmem.Exhaustion as exc:
        return "skip", str(exc.code), b""
    except wasmem.Trap as exc:
        return "trap", exc.code, config.captured_stdout
    except wasmem.WasmError as exc:  # a link error: an import wasmem's WASI lacks
        return "skip", f"{type(exc).__name__}: {exc}", b""


def verdict(mine: Outcome, other: Outcome) -> str | None:
    """None if the outcomes agree, else what differs."""
    if "skip" in (mine[0], other[0]):
        return None
    if mine[0] != other[0]:
        return f"ours {mine[:2]}, wasmtime {other[:2]}"
    if mine[0] == "trap" and mine[1] not in WASMTIME_CODES.get(other[1], ()):
        return f"trap codes: ours {mine[1]}, wasmtime {other[1]}"
    if mine[0] == "exit" and mine[1] != other[1]:
        return f"exit status: ours {mine[1]}, wasmtime {other[1]}"
    if mine[0] != "invalid" and mine[2] != other[2]:
        return f"stdout: ours {mine[2][:200]!r}, wasmtime {other[2][:200]!r}"
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the loop; return 1 if anything differed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="mutants")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("wasi-mutants"))
    parser.add_argument("--seconds", type=int, default=60, help="wasmem's CPU seconds per mutant")
    parser.add_argument("--deadline", type=float, default=0.0)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    config = wasmtime.Config()
    config.consume_fuel = True
    engine = wasmtime.Engine(config)
    config = wasmtime.Config()
    config.consume_fuel = True
    config.cranelift_nan_canonicalization = True
    canonical = wasmtime.Engine(config)
    scratch = Path(tempfile.mkdtemp())
    seeds: dict[str, bytes] = {}
    for path in sorted([*ROOT.glob("tests/wasi/programs/*.wasm"),
                        *ROOT.glob("bench/c/independent/*.wasm")]):
        binary = path.read_bytes()
        if b"wasi_snapshot_preview1" in binary and \
                verdict(ours(binary, "interpret"), theirs(engine, binary, scratch)) is None:
            seeds[path.stem] = binary
    names = sorted(seeds)
    counts: dict[str, int] = {"seeds": len(names)}
    signal.signal(signal.SIGVTALRM, _alarm)
    log = (args.out / "differences.txt").open("a")
    for seed in range(args.start, args.start + args.count):
        if args.deadline and time.time() > args.deadline:
            break
        rng = random.Random(f"wasi/{seed}")
        name = names[seed % len(names)]
        made = tool_mutate(seeds[name], seed) if rng.random() < 0.6 else None
        kind, mutant = ("tool", made) if made else ("bytes", byte_mutate(seeds[name], rng))
        tier = TIERS[(seed // len(names)) % len(TIERS)]
        other = theirs(engine, mutant, scratch)
        if other[0] == "skip" and "OUT_OF_FUEL" in str(other[1]):
            counts["wasmtime out of fuel"] = counts.get("wasmtime out of fuel", 0) + 1
            continue
        signal.setitimer(signal.ITIMER_VIRTUAL, args.seconds)
        try:
            mine = ours(mutant, tier)
            problem = verdict(mine, other)
            result = "differ" if problem else mine[0]
            if problem and verdict(mine, theirs(canonical, mutant, scratch)) is None:
                result, problem = "nan", None  # (NaN signs and payloads are free)
        except Timeout:
            result, problem = "differ", f"timeout after {args.seconds} s (wasmtime {other[:2]})"
        except Exception:  # a raw exception is what this looks for
            result, problem = "differ", "exception: " + traceback.format_exc()[-2000:]
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        counts[result] = counts.get(result, 0) + 1
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
