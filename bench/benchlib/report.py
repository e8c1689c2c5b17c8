"""Formatting the results as Markdown (printed, and pasted into ``bench/README.md``).

Cell marks: ``~`` time extrapolated from smaller inputs (pywasm), ``✗`` wrong result,
``err`` the engine failed (the errors are listed under the table), ``n/a`` not measured.
A row whose results are not all right and equal is marked **WRONG** in its first column.
Speedup columns give *peer time / wasmem time*: above 1 wasmem is faster.
"""

from __future__ import annotations

import math
from typing import Any

from .suite import Cell, Settings, row_problems
from .targets import BULK_BLOCK, GROW_STEP, GROW_STEPS
from .workloads import Workload

__all__ = ["format_machine", "format_targets", "format_workloads", "geomean", "markdown_table",
           "seconds", "speedups"]

BULK_TARGET = 1.2
COMPILE_TARGET = 1.0
PWASM_TARGET = 1.5
PAR = 0.03
"""Speed ratios within 3% of 1 count as on par (noise), not as faster."""


def seconds(value: float | None) -> str:
    """Format a duration: ``1.23 s``, ``45.6 ms``, ``789 µs``; ``n/a`` for None."""
    if value is None or math.isnan(value):
        return "n/a"
    if value >= 100:
        return f"{value:.0f} s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.3g} ms"
    return f"{value * 1e6:.3g} µs"


def markdown_table(headers: list[str], rows: list[list[str]],
                   right: frozenset[int] = frozenset()) -> str:
    """Return a Markdown table with padded columns; columns in ``right`` are right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        padded = [str(c).rjust(w) if i in right else str(c).ljust(w)
                  for i, (c, w) in enumerate(zip(cells, widths))]
        return "| " + " | ".join(padded) + " |"
    rule = ["-" * (w - 1) + ":" if i in right else "-" * w for i, w in enumerate(widths)]
    return "\n".join([line(headers), "| " + " | ".join(rule) + " |",
                      *(line(r) for r in rows)])


def geomean(values: list[float]) -> float | None:
    """Geometric mean of positive values, None for an empty list."""
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _cell_text(cell: Cell | None) -> str:
    if cell is None:
        return "n/a"
    if cell.error is not None:
        return "err"
    text = ("~" if cell.extrapolated else "") + seconds(cell.median)
    return text if cell.ok else text + " ✗"


def speedups(rows: dict[str, dict[str, Cell]], peer: str,
             ours_engine: str = "wasmem") -> dict[str, float]:
    """Return ``peer median / ours median`` per workload where both are right (``ours``
    is wasmem, or wasmem-warm for comparisons of the warm engines)."""
    result = {}
    for name, cells in rows.items():
        ours, theirs = cells.get(ours_engine), cells.get(peer)
        if (ours is None or theirs is None or not ours.ok or not theirs.ok
                or not ours.median or not theirs.median):
            continue
        result[name] = theirs.median / ours.median
    return result


def format_machine(machine: dict[str, Any], settings: Settings, builder: str) -> str:
    """Return the header lines: machine, date, load, versions, repetitions."""
    load = machine.get("load")
    load_text = " / ".join(f"{x:.2f}" for x in load) if load else "unknown"
    engines = ", ".join(f"{k} {v}" for k, v in machine["engines"].items())
    return "\n".join([
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['python']}, "
        f"{machine['platform']}",
        f"- Date: {machine['date']}; load average (1/5/15 min) at start: {load_text}",
        f"- Engines: {engines} (source {machine.get('wasmem_source', 'unknown')}); "
        f"binaries built with {builder}",
        f"- Inputs: `{settings.size}` size; each cell is the median of {settings.reps} runs "
        f"after {settings.warmup} warm-up run(s) in the same process (one process per "
        "engine and workload); every run instantiates the module afresh, so decoding, "
        "validation and compilation are included (warm engines: what their caches hold "
        "is not repeated)",
    ])


def format_workloads(workloads: list[Workload], rows: dict[str, dict[str, Cell]],
                     engines: list[str], size: str) -> str:
    """Return the main table, its geometric means and the list of errors."""
    comparisons = _comparisons(engines)
    headers = ["workload", "arg", *engines, *(title for title, _, _ in comparisons)]
    ratios = {title: speedups(rows, peer, ours) for title, ours, peer in comparisons}
    peers = [title for title, _, _ in comparisons]
    body, errors = [], []
    for w in workloads:
        cells = rows.get(w.name, {})
        wrong = bool(row_problems(w, cells))
        line = [w.name + (" **WRONG**" if wrong else ""), str(w.sizes[size].arg)]
        line += [_cell_text(cells.get(e)) for e in engines]
        line += [f"{ratios[p][w.name]:.2f}" if w.name in ratios[p] else "n/a" for p in peers]
        body.append(line)
        errors += [f"- {w.name} / {c.engine}: {c.error}" for c in cells.values() if c.error]
        errors += [f"- {w.name} WRONG: {problem}" for problem in row_problems(w, cells)]
    if peers:
        means = []
        for p in peers:
            g = geomean(list(ratios[p].values()))
            means.append(f"{g:.2f}" if g is not None else "n/a")
        body.append(["**geomean**", "", *([""] * len(engines)), *means])
    table = markdown_table(headers, body, right=frozenset(range(1, len(headers))))
    parts = [table]
    if peers:
        parts.append("\n×peer = peer time / wasmem time (above 1: wasmem faster); "
                     "`warm×pwasm-warm` = pwasm-warm time / wasmem-warm time (both with "
                     "their disk caches of translated code); geometric "
                     "means over the workloads where both results are right. `~` pywasm "
                     "time extrapolated (linear fit in the work measure through its runs "
                     "at the `tiny` and `small` sizes); `✗` wrong result; **WRONG**: "
                     "a result differs from the expected value or engines given the same "
                     "argument disagree.")
    note = _first_run_note(rows, [e for e in ("wasmem", "pwasm") if e in engines])
    if note:
        parts.append("\n" + note)
    if errors:
        parts.append("\nProblems:\n" + "\n".join(errors))
    return "\n".join(parts)


def _comparisons(engines: list[str]) -> list[tuple[str, str, str]]:
    """The ratio columns, as ``(title, ours, peer)``: wasmem against every other engine
    (warm wasmem excepted), and warm wasmem against warm pwasm."""
    result = []
    if "wasmem" in engines:
        result += [(f"×{p}", "wasmem", p) for p in engines if p not in ("wasmem", "wasmem-warm")]
    if "wasmem-warm" in engines and "pwasm-warm" in engines:
        result.append(("warm×pwasm-warm", "wasmem-warm", "pwasm-warm"))
    return result


def _first_run_note(rows: dict[str, dict[str, Cell]], engines: list[str]) -> str:
    """One sentence on how much longer the uncounted first run in a fresh process took."""
    parts = []
    for engine in engines:
        extra = [c.first - c.median for cells in rows.values()
                 if (c := cells.get(engine)) is not None and c.first is not None
                 and c.median is not None and not c.extrapolated]
        if extra:
            mean = sum(extra) / len(extra)
            parts.append(f"{engine} {'+' if mean >= 0 else '-'}{seconds(abs(mean))}")
    if not parts:
        return ""
    return ("The uncounted first run in each fresh process (imports, one-time setup) took "
            "longer than the median by, on average: " + ", ".join(parts) + ".")


def _pwasm_target(rows: dict[str, dict[str, Cell]], peer: str,
                  ours: str = "wasmem") -> str:
    ratios = speedups(rows, peer, ours)
    if not ratios:
        return f"- {ours} vs {peer}: not measured"
    slower = [f"{n} ({r:.2f})" for n, r in ratios.items() if r < 1 - PAR]
    par = [f"{n} ({r:.2f})" for n, r in ratios.items() if 1 - PAR <= r <= 1 + PAR]
    faster = len(ratios) - len(slower) - len(par)
    mean = geomean(list(ratios.values())) or 0.0
    verdict = "met" if not slower and not par and mean >= PWASM_TARGET else "not met"
    details = [f"faster on {faster} of {len(ratios)}"]
    if par:
        details.append(f"on par (within {PAR:.0%}) on {', '.join(par)}")
    if slower:
        details.append(f"slower on {', '.join(slower)}")
    details.append(f"geomean {mean:.2f}")
    who = "" if ours == "wasmem" else f"{ours}: "
    return (f"- {who}Faster than {peer} on every workload, geomean ≥ {PWASM_TARGET}: "
            f"**{verdict}** ({'; '.join(details)})")


def _bulk(bulk: dict[str, dict[str, Any]]) -> list[str]:
    base = bulk.get("python", {})
    ops = ("fill", "copy", "overlap")
    rows = []
    for engine, answer in bulk.items():
        if "error" in answer:
            rows.append([engine, "err", "err", "err"])
            continue
        row = [engine]
        for op in ops:
            ratio = (f" ({answer[op] / base[op]:.2f}×)" if op in base and engine != "python"
                     else "")
            row.append(seconds(answer[op]) + ratio)
        rows.append(row)
    ours = bulk.get("wasmem", {})
    worst = max((ours[op] / base[op] for op in ops if op in ours and op in base), default=None)
    verdict = ("not measured" if worst is None
               else ("met" if worst <= BULK_TARGET else "not met") + f", worst {worst:.2f}×")
    return [f"### Bulk memory: one {BULK_BLOCK >> 20} MiB operation (median of 15)",
            "", f"Target: wasmem within {BULK_TARGET}× of bytearray slice assignment "
            f"(`python` row; ratios in brackets): **{verdict}**.", "",
            markdown_table(["engine", "memory.fill", "memory.copy", "overlapping copy"], rows)]


def _compile(compiled: dict[str, dict[str, Any]]) -> list[str]:
    keys = ("load", "instantiate", "one", "first_main", "second_main", "to_one", "to_all")
    rows = []
    size = next((a["bytes"] for a in compiled.values() if "bytes" in a), 0)
    for engine, answer in compiled.items():
        if "error" in answer and "load" not in answer:
            rows.append([engine, *(["err"] * len(keys))])
            continue
        rows.append([engine, *(seconds(answer[k]) for k in keys)])
    ours = compiled.get("wasmem", {})
    verdict = "not measured"
    if "to_all" in ours and "error" not in ours:
        met = ours["to_one"] < COMPILE_TARGET
        verdict = (f"{'met' if met else 'not met'}: {seconds(ours['to_one'])} from the bytes "
                   "to the end of the first call (translating what it runs); a call that "
                   f"reaches every function ends {seconds(ours['to_all'])} after the bytes")
        warm = compiled.get("wasmem-warm", {})
        if "to_all" in warm and "error" not in warm:
            verdict += f" ({seconds(warm['to_all'])} with a warm disk cache)"
    if "decode" in ours:
        verdict += (f". wasmem's load is decoding {seconds(ours['decode'])} + validation "
                    f"{seconds(ours['validate'])} (measured separately)")
    return [f"### First call of a 1 MB module ({size:,} bytes, generated)", "",
            f"Target: under {COMPILE_TARGET:.0f} s including compilation: **{verdict}**.", "",
            markdown_table(["engine", "load", "instantiate", "call one", "1st call main",
                            "2nd call main", "bytes→one", "bytes→all"], rows,
                           right=frozenset(range(1, 8)))]


def _memory(memory: dict[str, dict[str, Any]]) -> list[str]:
    rows = [[e, "err", "err", "err"] if "error" in a else
            [e, f"{a['instantiated']:.1f}", f"{a['touched']:.1f}", f"{a['peak']:.1f}"]
            for e, a in memory.items()]
    ours = memory.get("wasmem", {})
    verdict = "not measured"
    if "peak" in ours:
        met = ours["peak"] <= 64 * 1.1 + 4 and ours["touched"] <= 64 * 1.1 + 4
        verdict = f"{'met' if met else 'not met'}, peak +{ours['peak']:.1f} MiB"
    return ["### Resident memory of a 64 MiB linear memory (MiB over the process before)",
            "", f"Target: about 64 MiB: **{verdict}**.", "",
            markdown_table(["engine", "instantiated", "every 4 KiB touched", "peak"], rows,
                           right=frozenset({1, 2, 3}))]


def _growth(growth: dict[str, dict[str, Any]]) -> list[str]:
    rows = []
    for engine, a in growth.items():
        if "error" in a:
            rows.append([engine, "err", "", "", "", "", ""])
            continue
        reached = "" if a["complete"] else f" (stopped at {a['pages'] * 64 >> 10} MiB)"
        linear = f"{a['linearity']:.2f}" if "linearity" in a else "n/a"
        rows.append([engine + reached, seconds(a["total"]), seconds(a["steps"][0]),
                     seconds(a.get("median")), seconds(a.get("max")),
                     seconds(a["steps"][-1]), linear])
    ours = growth.get("wasmem", {})
    verdict = "not measured"
    if "linearity" in ours:
        verdict = (f"{'met' if ours['linearity'] < 1.5 else 'not met'}, last/first steps "
                   f"{ours['linearity']:.2f}")
    step_mib = GROW_STEP * 64 >> 10
    return [f"### Growing page by page to {GROW_STEP * GROW_STEPS * 64 >> 10} MiB "
            f"(time per {step_mib} MiB step of {GROW_STEP} memory.grow(1))", "",
            "Target: linear in time, every step about as fast as the first "
            f"(last 4 steps / first 4 steps ≈ 1): **{verdict}**.", "",
            markdown_table(["engine", "total", "first step", "median step", "slowest step",
                            "last step", "last4/first4"], rows,
                           right=frozenset(range(1, 7)))]


def format_targets(rows: dict[str, dict[str, Cell]], extras: dict[str, Any]) -> str:
    """Return the targets section: pwasm speed, bulk, compile, memory, growth."""
    lines = ["### Speed against pwasm", ""]
    lines += [_pwasm_target(rows, p) for p in ("pwasm", "pwasm-warm")
              if any(p in cells for cells in rows.values())]
    if any("wasmem-warm" in cells and "pwasm-warm" in cells for cells in rows.values()):
        lines.append(_pwasm_target(rows, "pwasm-warm", "wasmem-warm"))
    for key, section in (("bulk", _bulk), ("compile", _compile), ("memory", _memory),
                         ("growth", _growth)):
        if extras.get(key):
            lines += ["", *section(extras[key])]
    return "\n".join(lines)
