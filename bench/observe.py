"""What watching costs, and that not watching costs nothing: a table per workload and
tier of

* baseline: an instance that was never observed;
* unwatched: another instance of the same module after a watchpoint and a trace were
  set on it and removed (timed interleaved with the baseline, so both see the same
  machine; the ratio should be 1 within noise, and its functions are checked to be bound
  to the very code they had before);
* cold watch: a watchpoint on 64 bytes the workload never touches (the end of memory,
  or a gap in it; the table says if they were touched after all);
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
CASES = (("memsum", 32768, 4096, None), ("sieve", 65536, 8192, None),
         ("alloc", 2000, 200, 0x800), ("matmul", 24, 8, None), ("fib", 18, 10, None))
"""(workload = its file and export, argument, argument with ``--quick``, the start of 64
bytes it never touches: None for the end of its memory; ``alloc``'s heap grows to the
end, and page 0 has its slots at 0 and its free lists at 1024, nothing at 0x800)."""
HOT = (0, 64)


def timed(run: Callable[[], Any]) -> float:
    """The time of one run of ``run()``, in seconds."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def paired(base: Callable[[], Any], run: Callable[[], Any], reps: int,
           observing: Callable[[], Any] | None = None) -> tuple[float, float]:
    """Best times of ``base`` and ``run`` (inside ``with observing():``), run alternately
    ``reps`` times each, so that both see the machine in the same state."""
    a, b = [], []
    for _ in range(reps):
        a.append(timed(base))
        if observing is None:
            b.append(timed(run))
        else:
            with observing():
                b.append(timed(run))
    return min(a), min(b)


def measure(name: str, arg: int, tier: str, reps: int,
            cold_at: int | None = None) -> dict[str, Any]:
    """One row: the baseline time and the ratio of each case to it."""
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
    base, unwatched = paired(run_never, run_observed, 3 * reps)
    row: dict[str, Any] = {"workload": f"{name} {arg}", "tier": tier, "base": base,
                           "unwatched": unwatched / base, "cold": None, "hot": None,
                           "hits": None, "same": same}
    if has_memory:
        start = observed.exports["memory"].size_bytes - 64 if cold_at is None else cold_at
        hits = [0, 0]

        def counter(k: int) -> Callable[[Any], None]:
            def count(event: Any) -> None:
                hits[k] += 1
            return count
        cold = lambda: observed.watch(start, start + 64, kind="access",  # noqa: E731
                                      callback=counter(0))
        first, watched = paired(run_never, run_observed, reps, cold)
        row["cold"], row["cold_hits"] = watched / first, hits[0]
        hot = lambda: observed.watch(*HOT, kind="access", callback=counter(1))  # noqa: E731
        first, watched = paired(run_never, run_observed, reps, hot)
        row["hot"], row["hits"] = watched / first, hits[1] // reps
    trace = lambda: observed.trace(out=lambda event: None)  # noqa: E731
    first, traced = paired(run_never, run_observed, reps, trace)
    row["trace"] = traced / first
    return row


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    def ratio(row: dict[str, Any], key: str) -> str:
        x = row[key]
        if x is None:
            return "—"
        return f"×{x:.2f}" if x < 10 else f"×{x:.0f}"

    lines = ["| workload | tier | baseline | unwatched (own code back) | cold watch | "
             "hot watch (events/run) | trace |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        hot = ratio(row, "hot") + (f" ({row['hits']:,})" if row["hits"] is not None else "")
        if row.get("cold_hits"):  # not cold after all: say so
            hot += f"; cold range hit {row['cold_hits']} times"
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
memory, or for `alloc`, whose heap grows to the end, a gap in its first page: "cold"),
with one on the 64 bytes at address 0, which it reads and writes most
("hot", calling back a counter), and under `instance.trace()` (calls and memory, events to
a no-op). Each case is timed alternately with the baseline, best of {reps} runs each
({3 * reps} for the unwatched one), so that a ratio compares runs made while the machine (2 cores,
shared with other jobs) was in the same state; the baseline column is its best time.
CPython {platform.python_version()}, {today}; docs/observe.md explains the
instrumentation.

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
    for name, arg, quick, cold_at in CASES:
        for tier in ("compile", "interpret"):
            rows.append(measure(name, quick if options.quick else arg, tier, options.reps,
                                cold_at))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = section(rows, options.reps)
    print()
    print(table(rows))
    if options.readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
