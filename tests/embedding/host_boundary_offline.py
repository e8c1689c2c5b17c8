"""Off-line fuzzing of the host boundary's generated fast paths (not collected by pytest).

Each case draws a signature (up to 5 parameters and 3 results of i32, i64, f32, f64,
funcref, externref), a module importing a host function of that type, exporting ``call``
(passes its parameters to the host function and returns its results) and ``again`` (calls
``call``'s body in a loop, so that the tiered mode promotes it and enters loops through
on-stack replacement), and a host function that either returns values of the right types,
returns junk (wrong types, wrong count, out of range integers, NaNs, objects) or raises.
Each case runs in every execution mode; the findings are:

* an exception that is not a wasmem error (the host's own exception must come back as the
  ``__cause__`` of a :class:`wasmem.Trap`);
* a value that does not make the round trip (the host sees the arguments as the export got
  them, signed integers, exact float bits; the export returns what the host returned);
* execution modes that disagree (result, or error class and message).

    nice -n 10 python3 tests/embedding/host_boundary_offline.py --count 3000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import struct
import sys
import time
import traceback
from typing import Any

os.environ.setdefault("WASMEM_TIER_BUDGETS", "1,2")  # the tiered mode promotes at once

import wasmem
from wasmem.syntax.types import EXTERNREF, F32, F64, FUNCREF, I32, I64

TYPES = ["i32", "i64", "f32", "f64", "funcref", "externref"]
VALUE_TYPES = {"i32": I32, "i64": I64, "f32": F32, "f64": F64, "funcref": FUNCREF,
               "externref": EXTERNREF}
MODES: list[dict[str, Any]] = [{"tier": "compile"}, {"tier": "interpret"}, {}]


def valid_value(rng: random.Random, t: str, funcs: list[Any]) -> Any:
    """A value of type ``t`` as an export returns it (signed integers, f32-exact floats)."""
    if t == "i32":
        return rng.choice([0, 1, -1, 2**31 - 1, -2**31, rng.randrange(-2**31, 2**31)])
    if t == "i64":
        return rng.choice([0, -1, 2**63 - 1, -2**63, rng.randrange(-2**63, 2**63)])
    if t == "f32":
        bits = rng.choice([0, 0x80000000, 0x7F800000, 0x7FC00000, 0x3F800000,
                           rng.getrandbits(32)])
        value = struct.unpack("<f", struct.pack("<I", bits))[0]
        return value
    if t == "f64":
        bits = rng.choice([0, 1 << 63, 0x7FF0000000000000, 0x7FF8000000000001,
                           rng.getrandbits(64)])
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    if t == "funcref":
        return rng.choice([None, *funcs])
    return rng.choice([None, object(), "text", 5, [1]])


class Index:
    """An object with ``__index__`` (numpy integers and the like)."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


JUNK = [None, True, 1.5, "1", b"\x00", 2**32, -2**31 - 1, 2**64, -2**63 - 1, math.nan,
        math.inf, 1j, [1], (1,), (), object(), Index(7), Index(2**70), float("-0.0")]


class HostProblem(Exception):
    """The exception the host function raises on purpose."""


RAISED = [HostProblem("on purpose"), ZeroDivisionError(), RecursionError(), KeyError("k"),
          MemoryError(), wasmem.Trap("host trap"), ValueError("v")]


def module_text(params: list[str], results: list[str]) -> str:
    """The module of one case (see the module docstring)."""
    p = " ".join(params)
    r = " ".join(results)
    gets = " ".join(f"(local.get {i})" for i in range(len(params)))
    drops = "drop " * len(results)
    return f"""(module
  (import "env" "h" (func $h (param {p}) (result {r})))
  (func $call (export "call") (param {p}) (result {r}) (call $h {gets}))
  (func (export "again") (param {p}) (param $n i32)
    (loop $l
      (call $h {gets}) {drops}
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "me") (result funcref) (ref.func $call))
  (elem declare func $call))"""


def same(t: str, a: Any, b: Any) -> bool:
    """Whether two values of type ``t`` are the same (float bits, reference identity)."""
    if t == "f32":
        return struct.pack("<f", a) == struct.pack("<f", b) or (
            math.isnan(a) and math.isnan(b))
    if t == "f64":
        return struct.pack("<d", a) == struct.pack("<d", b)
    if t in ("funcref", "externref"):
        return a is b or a == b
    return bool(a == b)


def outcome(function: Any, *args: Any) -> tuple[str, Any]:
    """Call ``function``; return ("ok", value) or ("error", (class, message, cause class))."""
    try:
        return "ok", function(*args)
    except wasmem.WasmError as exc:
        cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else None
        return "error", (type(exc).__name__, exc.message, cause)


def run_case(seed: int) -> list[str]:
    """Run one case in every mode; return the problems found."""
    rng = random.Random(seed)
    params = [rng.choice(TYPES) for _ in range(rng.randint(0, 5))]
    results = [rng.choice(TYPES) for _ in range(rng.randint(0, 3))]
    module = wasmem.Module(module_text(params, results))
    behaviour = rng.randrange(4)  # 0, 1: valid results; 2: junk; 3: raises
    problems: list[str] = []
    seen: list[Any] = []
    per_mode: list[Any] = []
    arg_rng_state = rng.getstate()
    junk_index = rng.randrange(len(JUNK) + 2)
    raised = rng.choice(RAISED)
    for mode in MODES:
        rng.setstate(arg_rng_state)
        funcs: list[Any] = []
        answer: list[Any] = []

        def host(*args: Any) -> Any:
            seen.append(args)
            if behaviour == 3:
                raise raised
            if behaviour == 2:
                if junk_index >= len(JUNK):  # the wrong number of results
                    return tuple(0 for _ in range(len(results) + 1 + junk_index - len(JUNK)))
                value = JUNK[junk_index]
                return value if len(results) <= 1 else tuple([value] * len(results))
            current = answer  # noqa: B023 (this mode's list, filled before each call)
            return current[0] if len(results) == 1 else (tuple(current) if current else None)

        imported = wasmem.Function(host, [VALUE_TYPES[t] for t in params],
                                   [VALUE_TYPES[t] for t in results])
        instance = wasmem.Instance(module, {"env": {"h": imported}}, **mode)
        funcs.append(instance.exports["me"]())
        mode_log: list[Any] = []
        for _ in range(4):
            args = [valid_value(rng, t, funcs) for t in params]
            answer[:] = [valid_value(rng, t, funcs) for t in results]
            seen.clear()
            kind, value = outcome(instance.exports["call"], *args)
            if behaviour == 3 and kind == "error" and value[2] is None and \
                    not isinstance(raised, (wasmem.WasmError, RecursionError)):
                # (a RecursionError is the call stack running out, wherever it is raised)
                problems.append(f"{mode}: host exception lost its cause: {value}")
            if seen and not all(same(t, a, b) for t, a, b in zip(params, args, seen[0])):
                problems.append(f"{mode}: host saw {seen[0]!r} for {args!r} ({params})")
            if behaviour < 2:
                if kind != "ok":
                    problems.append(f"{mode}: valid host results gave {value}")
                else:
                    got = [value] if len(results) == 1 else list(value or ())
                    if len(got) != len(results) or not all(
                            same(t, a, b) for t, a, b in zip(results, got, answer)):
                        problems.append(f"{mode}: returned {value!r}, host gave {answer!r}")
            mode_log.append((kind, value if kind == "error" else None))
            kind2, value2 = outcome(instance.exports["again"], *args, 5)
            mode_log.append((kind2, value2 if kind2 == "error" else None))
        # junk arguments to the export itself
        for junk in rng.sample(JUNK, 3):
            bad = [junk for _ in params]
            if not bad:
                bad = [junk]  # one argument too many
            kind, value = outcome(instance.exports["call"], *bad)
            mode_log.append((kind, value if kind == "error" else None))
        per_mode.append(mode_log)
    for mode, log in zip(MODES[1:], per_mode[1:]):
        if log != per_mode[0]:
            problems.append(f"modes disagree: {MODES[0]} {per_mode[0]} / {mode} {log}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the campaign; return 1 if anything was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--deadline", type=float, default=0.0, help="stop at this Unix time")
    args = parser.parse_args(argv)
    counts = {"cases": 0, "findings": 0}
    started = time.time()
    for seed in range(args.start, args.start + args.count):
        if args.deadline and time.time() > args.deadline:
            break
        counts["cases"] += 1
        try:
            problems = run_case(seed)
        except Exception:
            problems = ["escaped: " + traceback.format_exc()[-1500:]]
        for problem in problems:
            counts["findings"] += 1
            print(f"seed {seed}: {problem}", flush=True)
    print(json.dumps({"seconds": round(time.time() - started), **counts}))
    return 1 if counts["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
