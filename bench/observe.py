"""What watching costs, and that not watching costs nothing: a table per workload and
tier of

* baseline: an instance that was never observed;
* unwatched: another instance of the same module after a watchpoint and a trace were
  set on it and removed (timed interleaved with the baseline, so both see the same
  machine; the ratio should be 1 within noise, and its functions are checked to be bound
  to the very code they had before);
* cold watch: a watchpoint on 64 bytes the workload never touches (the end of memory);
* hot watch: a watchpoint on the 64 bytes it touches most (address 0), calling back a
  counter (the events per run are shown);
* trace: ``instance.trace()`` of calls and memory, events to a no-op callable.

    python bench/observe.py [--reps 5] [--quick] [--readme]

Prints a Markdown table (times are the best of ``--reps`` runs; ratios are to the
baseline); ``--readme`` also writes it into ``bench/README.md``, replacing the section
"What watching costs". ``--quick`` uses small arguments (a smoke test).
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import wasmem

BENCH = Path(__file__).resolve().parent
WORKLOADS = BENCH / "workloads"
HEADING = "## What watching costs (`bench/observe.py`)"
CASES = (("memsum", 32768, 4096), ("sieve", 65536, 8192), ("alloc", 2000, 200),
         ("matmul", 24, 8), ("fib", 18, 10))
"""(workload = its file and export, argument, argument with ``--quick``)."""
HOT = (0, 64)


def best(run: Callable[[], Any], reps: int) -> float:
    """The shortest of ``reps`` runs of ``run()``, in seconds."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(first: Callable[[], Any], second: Callable[[], Any],
                reps: int) -> tuple[float, float]:
    """Best times of ``first`` and ``second``, run alternately ``reps`` times each."""
    a, b = [], []
    for _ in range(reps):
        a.append(best(first, 1))
        b.append(best(second, 1))
    return min(a), min(b)


def measure(name: str, arg: int, tier: str, reps: int) -> dict[str, Any]:
    """One row: the times and ratios of the five cases."""
    module = wasmem.Module((WORKLOADS / f"{name}.wat").read_text(encoding="utf-8"))
    never = wasmem.Instance(module, tier=tier)
    observed = wasmem.Instance(module, tier=tier)
    run_never = lambda: never.exports[name](arg)  # noqa: E731
    run_observed = lambda: observed.exports[name](arg)  # noqa: E731
    run_never(), run_observed()  # translate first
    has_memory = "memory" in observed.exports
    own = [function.call for function in observed._instance.functions]
    if has_memory:
        observed.watch(*HOT, callback=print).remove()
    with observed.trace(out=lambda event: None):
        pass
    same = all(a is b for a, b in zip(own, [f.call for f in observed._instance.functions]))
    base, unwatched = interleaved(run_never, run_observed, 3 * reps)
    row: dict[str, Any] = {"workload": f"{name} {arg}", "tier": tier, "base": base,
                           "unwatched": unwatched, "cold": None, "hot": None, "hits": None,
                           "same": same}
    slow_reps = max(1, reps // 2)
    if has_memory:
        size = observed.exports["memory"].size_bytes
        with observed.watch(size - 64, size, kind="access", callback=print):
            row["cold"] = best(run_observed, slow_reps)
        hits = [0]

        def count(event: Any) -> None:
            hits[0] += 1
        with observed.watch(*HOT, kind="access", callback=count):
            row["hot"] = best(run_observed, slow_reps)
        row["hits"] = hits[0] // slow_reps
    with observed.trace(out=lambda event: None):
        row["trace"] = best(run_observed, slow_reps)
    return row


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    def ratio(row: dict[str, Any], key: str) -> str:
        value = row[key]
        if value is None:
            return "—"
        x = value / row["base"]
        return f"×{x:.2f}" if x < 10 else f"×{x:.0f}"

    lines = ["| workload | tier | baseline | unwatched (own code back) | cold watch | "
             "hot watch (events/run) | trace |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        hot = ratio(row, "hot") + (f" ({row['hits']:,})" if row["hits"] is not None else "")
        same = "yes" if row["same"] else "NO"
        lines.append(f"| {row['workload']} | {row['tier']} | {row['base'] * 1000:.1f} ms | "
                     f"{ratio(row, 'unwatched')} ({same}) | {ratio(row, 'cold')} | {hot} | "
                     f"{ratio(row, 'trace')} |")
    return "\n".join(lines)


def section(rows: list[dict[str, Any]], reps: int) -> str:
    """The README section: how it was measured, the table, how to read it."""
    today = datetime.date.today().isoformat()
    return f"""{HEADING}

`python bench/observe.py [--reps N] [--readme]` runs each workload on two instances per
tier: one never observed (the baseline) and one on which a watchpoint and a trace were
set and removed first ("unwatched", timed alternately with the baseline), then on the
second one with a watchpoint on 64 bytes the workload never touches (the end of its
memory, "cold"), with one on the 64 bytes at address 0, which it reads and writes most
("hot", calling back a counter), and under `instance.trace()` (calls and memory, events to
a no-op). Best of {3 * reps} (unwatched, baseline) or {max(1, reps // 2)} (the others) on a 2-core
machine shared with other jobs, CPython {platform.python_version()}, {today}; ratios to
the baseline (docs/observe.md explains the instrumentation):

{table(rows)}

Unwatched code runs at its own speed (×1 within the noise of a shared machine): removing
the last watchpoint or ending the trace gives the functions back their own code, the very
same function objects as before ("own code back": checked by identity on each row), and
an instance never observed has nothing to undo. Watched code runs on the instrumented
interpreter, so against the compile tier a watchpoint costs about what the interpreter
costs plus a range check per access, whether its bytes are touched or not (cold and hot
differ by the callbacks); against the interpreter tier it adds the check and the
wrapper. A trace builds an event for every call and every access. `fib` has no memory,
so only its trace is measured: it shows the cost of call events.
"""


def write_readme(text: str) -> None:
    """Replace the section under :data:`HEADING` in bench/README.md (or append it)."""
    path = BENCH / "README.md"
    readme = path.read_text(encoding="utf-8")
    start = readme.find(HEADING)
    if start < 0:
        readme = readme.rstrip("\n") + "\n\n" + text
    else:
        end = readme.find("\n## ", start + len(HEADING))
        readme = readme[:start] + text + (readme[end:] if end >= 0 else "")
    path.write_text(readme, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small arguments")
    parser.add_argument("--readme", action="store_true", help="write bench/README.md")
    options = parser.parse_args()
    rows = []
    for name, arg, quick in CASES:
        for tier in ("compile", "interpret"):
            rows.append(measure(name, quick if options.quick else arg, tier, options.reps))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = section(rows, options.reps)
    print()
    print(table(rows))
    if options.readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
