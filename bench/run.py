"""Run the wasmem benchmark suite and print the results as Markdown.

    python bench/run.py                       # the full run (about 25 minutes on 2 cores)
    python bench/run.py --quick               # small inputs, 3 runs each (about 4 minutes)
    python bench/run.py --no-targets --workloads fib --programs gemm,vm
    python bench/run.py --engines wasmem,pwasm --workloads fib,sieve --no-targets
    python bench/run.py --json results.json   # also write every number as JSON

Every (workload, engine) pair runs in its own worker process; each run instantiates the
module afresh, so decoding, validation and compilation are timed (cold engines keep
no cache of any kind between runs). The compiled programs
(bench/c/programs) run at a short and a long size, and the full run draws their ratios
over pwasm into bench/programs.svg; the independent programs (bench/c/independent,
written apart from the engine's tuning) get their own table, targets and figure
(bench/independent.svg); the real-world programs (bench/c/realworld: C libraries written
by others, with drivers of ours) get their own table, targets and first results at their
short and long sizes. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import extras
from benchlib.bigmodule import TARGET_BYTES, build_big_module
from benchlib.build import BUILDERS, BuildError, build, wasmem_has_text_parser, wat_to_wasm
from benchlib.engines import ENGINES
from benchlib.figure import write_figure
from benchlib.independent import INDEPENDENT
from benchlib.first import run_first
from benchlib.machine import describe, load_average
from benchlib.options import common_parser, split_names
from benchlib.program_report import format_first, format_programs, format_speed_targets
from benchlib.programs import PROGRAM_REPS, PROGRAMS, measure_programs, program_sizes
from benchlib.realworld import (HEAVY_REPS, REALWORLD, REALWORLD_REPS, REALWORLD_SIZES,
                                 measure_realworld)
from benchlib.report import format_machine, format_targets, format_workloads
from benchlib.suite import SOURCE_DIR, Settings, measure_row, row_problems
from benchlib.workloads import BENCH_DIR, WORKLOADS, Workload, by_name

TARGET_FILES = ("targets/memory64mib.wat", "targets/grow.wat", "workloads/bulk.wat")
FIGURE = BENCH_DIR / "programs.svg"
INDEPENDENT_FIGURE = BENCH_DIR / "independent.svg"
REALWORLD_FIGURE = BENCH_DIR / "realworld.svg"


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Return the parsed command line."""
    parser = common_parser(__doc__.split("\n")[0], ENGINES, [w.name for w in WORKLOADS], 7)
    parser.add_argument("--no-targets", action="store_true",
                        help="skip the memory, growth, bulk and 1 MB compile measurements")
    parser.add_argument("--big-bytes", type=int, default=TARGET_BYTES,
                        help="size of the generated module for the compile target")
    parser.add_argument("--builder", choices=BUILDERS, default="auto",
                        help="text to binary: wasmem, wat2wasm, or auto (wasmem if it can)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds before a worker process is killed")
    parser.add_argument("--json", type=Path, help="also write all results to this file")
    parser.add_argument("--programs", default="",
                        help="comma-separated compiled programs, from "
                        f"{','.join(p.name for p in PROGRAMS)} (default all)")
    parser.add_argument("--no-programs", action="store_true",
                        help="skip the compiled programs (and the first-result target)")
    parser.add_argument("--independent", default="",
                        help="comma-separated independent programs, from "
                        f"{','.join(p.name for p in INDEPENDENT)} (default all)")
    parser.add_argument("--no-independent", action="store_true",
                        help="skip the independent programs")
    parser.add_argument("--realworld", default="",
                        help="comma-separated real-world programs, from "
                        f"{','.join(p.name for p in REALWORLD)} (default all)")
    parser.add_argument("--no-realworld", action="store_true",
                        help="skip the real-world programs")
    parser.add_argument("--figure", type=Path,
                        help="write the programs' ratio figure (SVG) here (default: "
                        "bench/programs.svg in a full run of all programs, else none)")
    parser.add_argument("--no-workloads", action="store_true",
                        help="skip the hand-written workloads (programs and targets only)")
    parser.add_argument("--source", type=Path, default=SOURCE_DIR,
                        help="the wasmem source tree to measure (default: this checkout's "
                        "src), e.g. another worktree's src")
    parser.add_argument("--first", action="store_true",
                        help="time the first results even with --no-targets")
    parser.add_argument("--first-reps", type=int,
                        help="fresh processes per first-result cell (default 3, quick 1)")
    args = parser.parse_args(argv)
    args.engine_list = [e for e in args.engines.split(",") if e]
    unknown = [e for e in args.engine_list if e not in ENGINES]
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(ENGINES)}")
    try:
        args.workload_list = by_name([w for w in args.workloads.split(",") if w])
    except KeyError as exc:
        parser.error(str(exc.args[0]))
    if args.no_workloads:
        args.workload_list = []
    args.program_list = _chosen(parser, "program", args.programs, args.no_programs,
                                PROGRAMS)
    args.independent_list = _chosen(parser, "independent program", args.independent,
                                    args.no_independent, INDEPENDENT)
    args.realworld_list = _chosen(parser, "real-world program", args.realworld,
                                  args.no_realworld, REALWORLD)
    return args


def _chosen(parser: argparse.ArgumentParser, kind: str, names: str, skip: bool,
            programs: tuple[Workload, ...]) -> list[Workload]:
    """The programs an option names (comma-separated; all when empty, none when ``skip``);
    an unknown name ends the run with a usage error (``parser.error``)."""
    known = {p.name: p for p in programs}
    chosen = split_names(names)
    if unknown := [name for name in chosen if name not in known]:
        parser.error(f"unknown {kind}(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [] if skip else [known[n] for n in chosen] if chosen else list(programs)


def build_all(args: argparse.Namespace, out: Path) -> Path | None:
    """Build every workload and target module into ``out``; return the 1 MB module's path
    (None when targets are skipped).

    Raises:
        BuildError: a module could not be built.
    """
    for workload in [*args.workload_list, *args.program_list, *args.independent_list,
                     *args.realworld_list]:
        build(workload.path, out, args.builder)
    if args.no_targets:
        return None
    for name in TARGET_FILES:
        build(BENCH_DIR / name, out, args.builder)
    big = out / "big1mb.wasm"
    big.write_bytes(build_big_module(
        lambda text: wat_to_wasm(text, "big1mb.wat", args.builder), args.big_bytes))
    return big


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the suite; print the Markdown report; return every result (JSON-able)."""
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr,
              flush=True)

    machine = describe(args.source.resolve().parent)
    size = args.size or ("small" if args.quick else "full")
    reps = args.reps or (3 if args.quick else 7)
    engines = args.engine_list
    builder = args.builder
    if builder == "auto":
        builder = "wasmem" if wasmem_has_text_parser() else "wat2wasm"
    with tempfile.TemporaryDirectory(prefix="wasmem-bench-") as tmp:
        settings = Settings(size=size, reps=reps, timeout=args.timeout,
                            build_dir=Path(tmp), pwasm_cache=Path(tmp, "pwasm-cache"),
                            wasmem_cache=Path(tmp, "wasmem-cache"),
                            source=args.source.resolve())
        progress("building modules")
        big = build_all(args, Path(tmp))
        rows = {w.name: measure_row(w, engines, settings, progress)
                for w in args.workload_list}
        wrong = {w.name: problems for w in args.workload_list
                 if (problems := row_problems(w, rows[w.name]))}
        sizes = program_sizes(size)
        program_reps = {z: args.reps or (3 if args.quick else PROGRAM_REPS[z]) for z in sizes}
        programs = measure_programs(args.program_list, engines, settings, sizes,
                                    reps=args.reps or (3 if args.quick else None),
                                    progress=progress)
        independent = measure_programs(args.independent_list, engines, settings, sizes,
                                       reps=args.reps or (3 if args.quick else None),
                                       progress=progress)
        realworld_sizes = ("tiny",) if size == "tiny" else REALWORLD_SIZES
        realworld = measure_realworld(args.realworld_list, engines, settings, realworld_sizes,
                                      reps=args.reps or (1 if args.quick else None),
                                      progress=progress)
        for program in [*args.program_list, *args.independent_list, *args.realworld_list]:
            by_size = {**programs, **independent, **realworld}[program.name]
            for program_size, cells in by_size.items():
                if problems := row_problems(program, cells):
                    wrong[f"{program.name} ({program_size})"] = problems
        for name, problems in wrong.items():
            progress(f"{name}: WRONG: {'; '.join(problems)}")
        found: dict[str, Any] = {}
        wasm_engines = [e for e in engines if e != "python"]
        if big is not None:
            found["bulk"] = extras.run_bulk(wasm_engines, Path(tmp, "bulk.wasm"), settings,
                                            progress)
            found["compile"] = extras.run_compile(wasm_engines, big, settings, progress)
            found["memory"] = extras.run_memory(wasm_engines, Path(tmp, "memory64mib.wasm"),
                                                settings, progress)
            found["growth"] = extras.run_growth(wasm_engines, Path(tmp, "grow.wasm"),
                                                settings, progress)
        if big is not None or args.first:
            first_reps = args.first_reps or (1 if args.quick else 3)
            found["first"] = run_first(args.program_list, engines, settings,
                                       reps=first_reps, progress=progress)
            found["first_independent"] = run_first(args.independent_list, engines, settings,
                                                   reps=first_reps, progress=progress)
            found["first_realworld"] = run_first(args.realworld_list, engines, settings,
                                                 reps=1, progress=progress)
    machine["load_end"] = load_average()
    machine["seconds"] = round(time.perf_counter() - started, 1)
    report = [f"## wasmem benchmarks ({size} inputs)", "",
              format_machine(machine, settings, builder),
              f"- Whole run: {machine['seconds']} s; load average at the end: "
              + (" / ".join(f"{x:.2f}" for x in machine["load_end"])
                 if machine["load_end"] else "unknown")]
    if args.workload_list:
        report += ["", format_workloads(args.workload_list, rows, engines, size)]
    if args.program_list:
        report += ["", "## Compiled programs", "",
                   format_programs(args.program_list, programs, engines, sizes,
                                   program_reps)]
        figure = args.figure or (FIGURE if size == "full" and not args.programs else None)
        if figure is not None:
            write_figure(figure, programs, [p.name for p in args.program_list], sizes,
                         f"Compiled programs: wasmem over pwasm ({machine['date'][:10]})")
            report.append(f"\nFigure: `{figure.name}`.")
    if (rows or programs or big is not None) and (
            big is not None or any("pwasm" in e for e in engines)):
        report += ["", "## Targets"]
        if rows or big is not None:
            report += ["", format_targets(rows, found)]
        report += ["", format_speed_targets(rows, programs, sizes, found.get("first", {}))]
        if found.get("first"):
            report += ["", "#### First result of a fresh process (tiny size, median of "
                       f"{args.first_reps or (1 if args.quick else 3)} processes)", "",
                       format_first(found["first"], {p.name: p.sizes["tiny"].arg
                                                     for p in args.program_list})]
    report += _independent_report(args, independent, engines, sizes, program_reps,
                                  found.get("first_independent", {}), machine["date"], size)
    report += _realworld_report(args, realworld, engines, found.get("first_realworld", {}),
                                machine["date"], realworld_sizes)
    print("\n".join(report))
    return {"machine": machine, "builder": builder,
            "settings": {"size": size, "reps": reps, "warmup": settings.warmup,
                         "engines": engines},
            "workloads": {name: {e: asdict(c) for e, c in cells.items()}
                          for name, cells in rows.items()},
            "programs": {name: {sz: {e: asdict(c) for e, c in cells.items()}
                                for sz, cells in by_size.items()}
                         for name, by_size in programs.items()},
            "independent": {name: {sz: {e: asdict(c) for e, c in cells.items()}
                                   for sz, cells in by_size.items()}
                            for name, by_size in independent.items()},
            "realworld": {name: {sz: {e: asdict(c) for e, c in cells.items()}
                                 for sz, cells in by_size.items()}
                          for name, by_size in realworld.items()},
            "wrong": wrong,
            "targets": found}


def _independent_report(args: argparse.Namespace, rows: dict[str, Any], engines: list[str],
                        sizes: tuple[str, ...], reps: dict[str, int],
                        first: dict[str, Any], date: str, size: str) -> list[str]:
    """The independent programs' part of the report: their table, issue 15's targets
    judged on them alone, their first results; and their figure in a full run of all."""
    if not args.independent_list:
        return []
    report = ["", "## Independent programs", "",
              format_programs(args.independent_list, rows, engines, sizes, reps)]
    if size == "full" and not args.independent:
        names = [p.name for p in args.independent_list]
        write_figure(INDEPENDENT_FIGURE, rows, names, sizes,
                     f"Independent programs: wasmem over pwasm ({date[:10]})")
        report.append(f"\nFigure: `{INDEPENDENT_FIGURE.name}`.")
    if any("pwasm" in e for e in engines):
        report += ["", format_speed_targets({}, rows, sizes, first,
                                            title="Issue 15 on the independent programs")]
    if first:
        report += ["", "#### First result of a fresh process, independent programs (tiny "
                   f"size, median of {args.first_reps or (1 if args.quick else 3)} "
                   "processes)", "",
                   format_first(first, {p.name: p.sizes["tiny"].arg
                                        for p in args.independent_list})]
    return report


def _realworld_report(args: argparse.Namespace, rows: dict[str, Any], engines: list[str],
                      first: dict[str, Any], date: str,
                      sizes: tuple[str, ...] = REALWORLD_SIZES) -> list[str]:
    """The real-world programs' part of the report: their table (short and long sizes,
    or tiny with ``--size tiny``), issue 15's targets judged on them alone, their first
    results (one process each); and their figure (``bench/realworld.svg``) in a run of
    all of them at short and long."""
    if not args.realworld_list:
        return []
    reps = {z: args.reps or (1 if args.quick else REALWORLD_REPS.get(z, 1)) for z in sizes}
    report = ["", "## Real-world programs", "",
              format_programs(args.realworld_list, rows, engines, sizes, reps)]
    heavy = [p.name for p in args.realworld_list if p.name in HEAVY_REPS]
    if heavy and not args.reps and not args.quick:
        report += ["", f"{', '.join(heavy)}: {min(HEAVY_REPS[n] for n in heavy)} timed run "
                   "per cell after the uncounted one (their cold runs take seconds)."]
    full = (args.size or ("small" if args.quick else "full")) == "full"
    if full and sizes == REALWORLD_SIZES and not args.realworld and rows:
        names = [p.name for p in args.realworld_list]
        write_figure(REALWORLD_FIGURE, rows, names, sizes,
                     f"Real-world programs: wasmem over pwasm ({date[:10]})")
        report.append(f"\nFigure: `{REALWORLD_FIGURE.name}`.")
    if any("pwasm" in e for e in engines):
        report += ["", format_speed_targets({}, rows, sizes, first,
                                            title="Issue 15 on the real-world programs")]
    if first:
        report += ["", "#### First result of a fresh process, real-world programs (tiny "
                   "size, one process after an uncounted one)", "",
                   format_first(first, {p.name: p.sizes["tiny"].arg
                                        for p in args.realworld_list})]
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status: 1 if a module failed to build,
    2 if a workload row is WRONG (a result differs from the expected value, or engines
    given the same argument disagree), else 0."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        results = run(args)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if results["wrong"]:
        print(f"error: wrong results on {', '.join(results['wrong'])}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
