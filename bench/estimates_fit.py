"""Translation cost against its estimate (``wasmem.exec.estimates``), function by function.

Each module runs in a fresh process (no disk cache) that instantiates it tiered and asks
the tier to translate every defined function in index order (``TieredTier.promote``,
what the ledger of ``wasmem.exec.spending`` charges: the body's decoding, the source,
``compile()``, binding), timing each in CPU time (``time.process_time``). The process's
first translation carries the translator's import and its code's first runs, and is
reported apart. The report fits ``measured = fixed + per_byte * bytes`` (and the same per
instruction, and with loops and calls counted) by least squares, both on absolute and on
relative error, and gives the measured / estimated ratio by size.

Usage::

    python -m compileall -q src && PYTHONPATH=src python -m wasmem.bundle
    PYTHONPATH=src python bench/estimates_fit.py bench/c/programs/*.wasm \\
        bench/c/independent/*.wasm bench/c/realworld/*.wasm [--rows rows.jsonl]

Modules with imports are skipped (reported on stderr). ``--rows`` keeps the per-function
rows (JSON lines), and ``--from-rows`` re-fits saved rows without measuring.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

_CHILD = r"""
import json, sys, time
import wasmem
from wasmem.exec import tiering
from wasmem.exec.estimates import encoded_size, translation_estimate
from wasmem.syntax.instructions import Block
from wasmem.syntax.opcodes import BY_NAME
made = []
init = tiering.TieredTier.__init__
def capture(self, *args, **kwargs):
    init(self, *args, **kwargs)
    made.append(self)
tiering.TieredTier.__init__ = capture
with open(sys.argv[1], "rb") as f:
    wasmem.Instance(wasmem.Module(f.read()))
tier = made[0]
instance = tier.instance
imported = len(instance.functions) - len(instance.module.functions)
LOOP = BY_NAME["loop"].key
CALLS = {BY_NAME["call"].key, BY_NAME["call_indirect"].key}
def shape(body):
    count = loops = calls = 0
    work = [body]
    while work:
        seq = work.pop()
        count += len(seq)
        for ins in seq:
            loops += ins.opcode == LOOP
            calls += ins.opcode in CALLS
            if isinstance(ins, Block):
                work.append(ins.body)
                if ins.else_body:
                    work.append(ins.else_body)
    return count, loops, calls
rows = []
for index in range(imported, len(instance.functions)):
    count, loops, calls = shape(instance.module.functions[index - imported].body)
    began = time.process_time()
    try:
        ok = tier.promote(index)
    except Exception:
        ok = False
    rows.append({"bytes": encoded_size(instance, index), "ins": count, "loops": loops,
                 "calls": calls, "est": translation_estimate(instance, index),
                 "ms": (time.process_time() - began) * 1e3, "first": not rows, "ok": ok})
print(json.dumps({"wasm": sys.argv[1], "rows": rows}))
"""


def measure(wasm: str) -> dict[str, Any] | None:
    """One module's rows, from a fresh process (None: it could not be instantiated)."""
    env = dict(os.environ, WASMEM_CACHE_DIR="")
    done = subprocess.run([sys.executable, "-c", _CHILD, wasm], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        print(f"{wasm}: skipped ({done.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def least_squares(features: list[list[float]], values: list[float],
                  weights: list[float]) -> list[float]:
    """Coefficients minimising the weighted squared error (normal equations)."""
    n = len(features[0])
    a = [[sum(w * x[i] * x[j] for x, w in zip(features, weights)) for j in range(n)]
         for i in range(n)]
    b = [sum(w * x[i] * y for x, y, w in zip(features, values, weights)) for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            factor = a[j][i] / a[i][i]
            a[j] = [u - factor * v for u, v in zip(a[j], a[i])]
            b[j] -= factor * b[i]
    coef = [0.0] * n
    for i in reversed(range(n)):
        coef[i] = (b[i] - sum(a[i][k] * coef[k] for k in range(i + 1, n))) / a[i][i]
    return coef


def report(modules: list[dict[str, Any]]) -> None:
    """Print the ratios by size, the fits and the first translations."""
    rows = [dict(r, module=Path(m["wasm"]).name) for m in modules for r in m["rows"]
            if r["ok"] and r["bytes"]]
    later = [r for r in rows if not r["first"]]
    first = [r for r in rows if r["first"]]
    print(f"{len(later)} functions (after each process's first translation), "
          f"{len(first)} modules")
    print("| bytes | functions | median measured ms | median estimate ms | "
          "median measured / estimated | sum measured / sum estimated |")
    print("| --- | --: | --: | --: | --: | --: |")
    for low, high in ((0, 100), (100, 300), (300, 1000), (1000, 3000), (3000, 10000),
                      (10000, 10 ** 9)):
        part = [r for r in later if low <= r["bytes"] < high]
        if part:
            print(f"| {low}-{high if high < 10 ** 9 else ''} | {len(part)} | "
                  f"{statistics.median(r['ms'] for r in part):.2f} | "
                  f"{statistics.median(r['est'] * 1e3 for r in part):.2f} | "
                  f"{statistics.median(r['ms'] / r['est'] / 1e3 for r in part):.2f} | "
                  f"{sum(r['ms'] for r in part) / sum(r['est'] * 1e3 for r in part):.2f} |")
    values = [r["ms"] for r in later]
    relative = [1 / max(v, 0.05) ** 2 for v in values]
    old = [abs(r["est"] * 1e3 / r["ms"] - 1) for r in later]
    print(f"\nthe estimate as it is: median |relative error| {statistics.median(old):.2f}")
    for name, shape in (("fixed + per byte", lambda r: [1, r["bytes"]]),
                        ("fixed + per instruction", lambda r: [1, r["ins"]]),
                        ("fixed + per byte + per loop + per call",
                         lambda r: [1, r["bytes"], r["loops"], r["calls"]])):
        features = [shape(r) for r in later]
        for fit, weights in (("absolute", [1.0] * len(values)), ("relative", relative)):
            coef = least_squares(features, values, weights)
            guess = [sum(c * x for c, x in zip(coef, f)) for f in features]
            errors = sorted(abs(g / v - 1) for g, v in zip(guess, values))
            print(f"{name}, {fit} error: ms coefficients "
                  f"{', '.join(f'{c:.4g}' for c in coef)}; median |relative error| "
                  f"{statistics.median(errors):.2f}, 90th percentile "
                  f"{errors[int(0.9 * len(errors))]:.2f}; sum fitted / sum measured "
                  f"{sum(guess) / sum(values):.2f}")
    median_first = statistics.median(r["ms"] for r in first)
    median_bytes = statistics.median(r["bytes"] for r in first)
    median_estimate = statistics.median(r["est"] * 1e3 for r in first)
    print(f"\nfirst translations of a process: median {median_first:.1f} ms (median "
          f"{median_bytes:.0f} bytes, estimates median {median_estimate:.2f} ms)")


def main() -> None:
    """Measure the modules given (or read saved rows) and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*")
    parser.add_argument("--rows", help="keep the rows (JSON lines) in this file")
    parser.add_argument("--from-rows", help="fit the rows of this file (no measuring)")
    args = parser.parse_args()
    if args.from_rows:
        modules = [json.loads(line) for line in Path(args.from_rows).read_text().splitlines()]
    else:
        modules = [m for m in map(measure, args.modules) if m is not None]
        if args.rows:
            Path(args.rows).write_text("".join(json.dumps(m) + "\n" for m in modules))
    report(modules)


if __name__ == "__main__":
    main()
