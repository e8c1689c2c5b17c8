"""Run the WASI benchmarks (C programs run as commands) and print the results as Markdown.

    python bench/run_wasi.py                  # full inputs (10 MiB of printf, 1000 files)
    python bench/run_wasi.py --quick          # small inputs, 3 runs per cell
    python bench/run_wasi.py --engines wasmem,wasmtime --workloads printf10mb

Every (program, engine) pair runs in its own worker process (``benchlib/worker.py``, task
``wasi``); each run loads the program, instantiates it with a fresh WASI context and an
empty preopened directory, and runs ``_start``. See bench/README.md, "WASI programs".
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.machine import describe, load_average
from benchlib.options import common_parser, split_names
from benchlib.report import markdown_table, seconds
from benchlib.suite import Cell, Settings, run_worker
from benchlib.wasi import ENGINES, NO_FILESYSTEM, WASI_WORKLOADS, WasiWorkload

RATIOS = (("×pwasm", "pwasm", "wasmem"), ("×wasmtime", "wasmtime", "wasmem"),
          ("warm×pwasm-warm", "pwasm-warm", "wasmem-warm"))
"""Speed-up columns: (header, peer, ours); peer time / our time, above 1 wasmem is faster.
Cold against cold, warm against warm."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Return the parsed command line."""
    parser = common_parser(__doc__.split("\n")[0], ENGINES,
                            [w.name for w in WASI_WORKLOADS], 3)
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds before a worker process is killed")
    parser.add_argument("--cap", type=float, default=150.0,
                        help="seconds of timed runs after which a worker stops repeating")
    parser.add_argument("--json", type=Path, help="also write all results to this file")
    args = parser.parse_args(argv)
    args.engine_list = split_names(args.engines)
    unknown = [e for e in args.engine_list if e not in ENGINES]
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(ENGINES)}")
    known = {w.name: w for w in WASI_WORKLOADS}
    names = split_names(args.workloads) or list(known)
    if missing := [n for n in names if n not in known]:
        parser.error(f"unknown workload(s) {', '.join(missing)}; known: {', '.join(known)}")
    args.workload_list = [known[n] for n in names]
    return args


def measure(workload: WasiWorkload, engine: str, settings: Settings) -> Cell | None:
    """Time one program on one engine in a worker process; check its result (no cell, None,
    for a file benchmark on an engine without a filesystem)."""
    if workload.needs_files and engine in NO_FILESYSTEM:
        return None
    answer = run_worker({"task": "wasi", "engine": engine, "wasm": str(workload.path),
                         "args": list(workload.args[settings.size]), "reps": settings.reps,
                         "warmup": settings.warmup, "cap": settings.cap}, settings)
    cell = Cell(engine)
    if "error" in answer:
        cell.error = answer["error"]
        return cell
    cell.times, cell.first, cell.result = answer["times"], answer["first"], answer["result"]
    cell.median = statistics.median(cell.times) if cell.times else None
    cell.ok = cell.result == workload.expected[settings.size]
    return cell


def format_table(rows: dict[str, dict[str, Cell | None]], engines: list[str]) -> str:
    """The results table (medians, ratios) followed by the errors and wrong results."""
    ratios = [r for r in RATIOS if r[1] in engines and r[2] in engines]
    headers = ["program", *engines, *(r[0] for r in ratios)]
    lines, notes = [], []
    for name, cells in rows.items():
        line = [name]
        for engine in engines:
            cell = cells[engine]
            if cell is None:
                line.append("n/a")
            elif cell.error is not None:
                line.append("err")
                notes.append(f"- {name}, {engine}: {cell.error}")
            else:
                line.append(seconds(cell.median) + ("" if cell.ok else " ✗"))
                if not cell.ok:
                    notes.append(f"- {name}, {engine}: wrong result {cell.result!r}")
        for _, peer, ours in ratios:
            a, b = cells[peer], cells[ours]
            if a is None or b is None or not (a.ok and b.ok and a.median and b.median):
                line.append("n/a")
            else:
                line.append(f"{a.median / b.median:.2f}")
        lines.append(line)
    right = frozenset(range(1, len(headers)))
    return "\n".join([markdown_table(headers, lines, right), *(["", *notes] if notes else [])])


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the benchmarks; print the Markdown report; return every result (JSON-able)."""
    started = time.perf_counter()
    machine = describe()
    size = args.size or ("small" if args.quick else "full")
    reps = args.reps or 3
    rows: dict[str, dict[str, Cell | None]] = {}
    with tempfile.TemporaryDirectory(prefix="wasmem-bench-") as tmp:
        settings = Settings(size=size, reps=reps, timeout=args.timeout, cap=args.cap,
                            build_dir=Path(tmp), pwasm_cache=Path(tmp, "pwasm-cache"),
                            wasmem_cache=Path(tmp, "wasmem-cache"))
        for workload in args.workload_list:
            rows[workload.name] = {}
            for engine in args.engine_list:
                print(f"[{time.perf_counter() - started:6.1f} s] {workload.name}: {engine}",
                      file=sys.stderr, flush=True)
                rows[workload.name][engine] = measure(workload, engine, settings)
    machine["load_end"] = load_average()
    machine["seconds"] = round(time.perf_counter() - started, 1)
    legend = "\n".join(f"- `{w.name}` (`{' '.join([w.source, *w.args[size]])}`): {w.stresses}"
                       for w in args.workload_list)
    extra = {e: statistics.mean(c.first - c.median for c in cells) for e in args.engine_list
             if (cells := [c for r in rows.values()
                           if (c := r[e]) is not None and c.first and c.median])}
    firsts = "; ".join(f"{e} {'+' if x >= 0 else '-'}{seconds(abs(x))}"
                       for e, x in extra.items())
    print("\n".join([
        f"## WASI programs ({size} inputs)", "",
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['python']}; wasmem source {machine['wasmem_source']}",
        f"- Engines: {', '.join(f'{k} {v}' for k, v in machine['engines'].items())}",
        f"- Date: {machine['date']}; load average (1/5/15 min) at start: "
        + " / ".join(f"{x:.2f}" for x in machine["load"] or ()),
        f"- Each cell: median of {reps} runs (fewer once the timed runs pass "
        f"{settings.cap:.0f} s) after {settings.warmup} warm-up run in the same process "
        f"(load, instantiate with WASI, run `_start`); whole run {machine['seconds']} s", "",
        legend, "", format_table(rows, args.engine_list), "",
        "`n/a` for pwasm on smallfiles: pwasm's WASI (`WasiLite`) has no filesystem.", "",
        "The uncounted first run in each fresh process took longer (+) or shorter (-) than "
        f"the median by, on average: {firsts or 'n/a'}"]))
    return {"machine": machine, "settings": {"size": size, "reps": reps},
            "rows": {n: {e: asdict(c) for e, c in cells.items() if c is not None}
                     for n, cells in rows.items()}}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 2 if a result is wrong, else 0."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    results = run(args)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    wrong = [f"{n}/{e}" for n, cells in results["rows"].items() for e, c in cells.items()
             if c["error"] is None and not c["ok"]]
    if wrong:
        print(f"error: wrong results: {', '.join(wrong)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
