"""Formatting the compiled programs: their table (both sizes, cold and warm) and the
targets of issue 15 (never slower than pwasm; compiled programs at least 2x pwasm;
first result no later than pwasm's).

Ratio columns are *peer time / wasmem time* (above 1: wasmem faster): ``×pwasm`` compares
cold wasmem with cold pwasm, ``warm×pwasm-warm`` warm wasmem with warm pwasm, ``×python``
cold wasmem with the hand-written Python version.
"""

from __future__ import annotations

from typing import Any

from .report import PAR, _cell_text, geomean, markdown_table, seconds, speedups
from .suite import Cell, row_problems
from .workloads import Workload

__all__ = ["COMPILED_TARGET", "RATIOS", "format_first", "format_programs",
           "format_speed_targets", "program_ratios"]

COMPILED_TARGET = 2.0
"""Geomean of the compiled programs over pwasm, cold and warm, at both sizes."""

RATIOS = (("×pwasm", "wasmem", "pwasm"), ("warm×pwasm-warm", "wasmem-warm", "pwasm-warm"),
          ("×python", "wasmem", "python"))
"""The ratio columns: (title, our engine, the peer)."""

Rows = dict[str, dict[str, dict[str, Cell]]]
"""Program results: ``{program: {size: {engine: cell}}}``."""


def program_ratios(rows: Rows, size: str, ours: str, peer: str) -> dict[str, float]:
    """``peer / ours`` per program at ``size``, where both results are right."""
    return speedups({name: sizes.get(size, {}) for name, sizes in rows.items()}, peer, ours)


def format_programs(programs: list[Workload], rows: Rows, engines: list[str],
                    sizes: tuple[str, ...], reps: dict[str, int] | None = None) -> str:
    """Return the programs' table (per size: its argument, every engine's median time,
    the ratio columns), its geomean row and the list of errors and wrong results;
    ``reps`` (timed runs per size) goes into the note under the table."""
    shown = [e for e in engines if e != "pywasm"]
    ratios = [(title, ours, peer) for title, ours, peer in RATIOS
              if ours in shown and peer in shown]
    headers = ["program"]
    for size in sizes:
        headers += [size, *shown, *(title for title, _, _ in ratios)]
    values = {(size, title): program_ratios(rows, size, ours, peer)
              for size in sizes for title, ours, peer in ratios}
    body, problems = [], []
    for program in programs:
        by_size = rows.get(program.name, {})
        wrong = False
        line: list[str] = []
        for size in sizes:
            cells = by_size.get(size, {})
            wrong = wrong or bool(row_problems(program, cells))
            line += [f"n={program.sizes[size].arg}",
                     *(_cell_text(cells.get(e)) for e in shown)]
            line += [_ratio_text(values[size, t].get(program.name)) for t, _, _ in ratios]
            problems += [f"- {program.name} ({size}) / {c.engine}: {c.error}"
                         for c in cells.values() if c.error]
            problems += [f"- {program.name} ({size}) WRONG: {p}"
                         for p in row_problems(program, cells)]
        body.append([program.name + (" **WRONG**" if wrong else ""), *line])
    mean_row = ["**geomean**"]
    for size in sizes:
        mean_row += ["", *([""] * len(shown))]
        for title, _, _ in ratios:
            mean_row.append(_ratio_text(geomean(list(values[size, title].values()))))
    body.append(mean_row)
    right = frozenset(i for i, h in enumerate(headers) if i > 0 and h not in sizes)
    parts = [markdown_table(headers, body, right=right),
             "\nMedian time per run (" + (", ".join(f"{reps[z]} runs at {z}"
                                                  for z in sizes if z in reps) + " after "
                                        "an uncounted one; " if reps else "")
             + "fresh instance, compile included). ×peer = peer time "
             "/ wasmem time (above 1: wasmem faster): `×pwasm` cold against cold, "
             "`warm×pwasm-warm` both with their disk caches, `×python` cold wasmem against "
             "the hand-written Python version; `✗` wrong result."]
    if problems:
        parts.append("\nProblems:\n" + "\n".join(problems))
    return "\n".join(parts)


def _ratio_text(ratio: float | None) -> str:
    """Two decimals; two significant digits under 0.1 (the Python column's tiny ratios)."""
    if ratio is None:
        return "n/a"
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.2g}"


def format_first(first: dict[str, dict[str, Any]], size_arg: dict[str, int]) -> str:
    """Return the table of times to the first result (median of fresh processes)."""
    engines = [e for e in ("wasmem", "wasmem-warm", "pwasm", "pwasm-warm")
               if any(e in row for row in first.values())]
    rows = []
    for name, row in first.items():
        line = [name, f"n={size_arg.get(name, '?')}"]
        for engine in engines:
            answer = row.get(engine)
            if answer is None:
                line.append("n/a")
            elif "error" in answer:
                line.append("err")
            else:
                line.append(seconds(answer["median"]) + ("" if answer["ok"] else " ✗"))
        line += [_first_ratio(row, "wasmem", "pwasm"),
                 _first_ratio(row, "wasmem-warm", "pwasm-warm")]
        rows.append(line)
    headers = ["program", "arg", *engines, "×pwasm", "warm×pwasm-warm"]
    table = markdown_table(headers, rows, right=frozenset(range(2, len(headers))))
    imports = []
    for engine in engines:
        times = [row[engine]["import"] for row in first.values()
                 if "import" in row.get(engine, {})]
        if times:
            imports.append(f"{engine} {seconds(sorted(times)[len(times) // 2])}")
    if imports:
        table += ("\n\nOf which importing the engine (median over the programs): "
                  + ", ".join(imports) + ".")
    return table


def _first_ratios(first: dict[str, dict[str, Any]], ours: str, peer: str) -> dict[str, float]:
    result = {}
    for name, row in first.items():
        a, b = row.get(ours, {}), row.get(peer, {})
        if a.get("ok") and b.get("ok") and a.get("median") and b.get("median"):
            result[name] = b["median"] / a["median"]
    return result


def _first_ratio(row: dict[str, Any], ours: str, peer: str) -> str:
    ratio = _first_ratios({"x": row}, ours, peer).get("x")
    return "n/a" if ratio is None else f"{ratio:.2f}"


def _slower(ratios: dict[str, float]) -> list[str]:
    return [f"{name} ({ratio:.2f})" for name, ratio in ratios.items() if ratio < 1 - PAR]


def format_speed_targets(workload_rows: dict[str, dict[str, Cell]], rows: Rows,
                         sizes: tuple[str, ...], first: dict[str, dict[str, Any]],
                         title: str = "Issue 15: speed where users feel it") -> str:
    """Return issue 15's targets, each **met** or **not met** with its evidence: never
    slower than pwasm (every workload and program, every size, cold and warm), compiled
    programs at least 2x pwasm (geomean, cold and warm, each size), and the first result
    no later than pwasm's; under the heading ``title``. Ratios within 3% of 1 count as
    on par (not slower)."""
    pairs = (("cold", "wasmem", "pwasm"), ("warm", "wasmem-warm", "pwasm-warm"))
    lines = [f"### {title}", ""]
    slower, compared = [], 0
    for mode, ours, peer in pairs:
        ratios = speedups(workload_rows, peer, ours)
        compared += len(ratios)
        slower += [f"{item} {mode}" for item in _slower(ratios)]
        for size in sizes:
            ratios = program_ratios(rows, size, ours, peer)
            compared += len(ratios)
            slower += [f"{item} {size} {mode}" for item in _slower(ratios)]
    verdict = "not measured" if not compared else ("met" if not slower else "not met")
    detail = (f"{compared} comparisons" + (f"; slower: {', '.join(slower)}" if slower else ""))
    lines.append(f"- Never slower than pwasm (every workload and program, every size, "
                 f"cold against cold and warm against warm): **{verdict}** ({detail})")
    means, met = [], bool(rows)
    for size in sizes:
        for mode, ours, peer in pairs:
            g = geomean(list(program_ratios(rows, size, ours, peer).values()))
            means.append(f"{size} {mode} {'n/a' if g is None else f'{g:.2f}'}")
            met = met and g is not None and g >= COMPILED_TARGET
    lines.append(f"- Compiled programs at least {COMPILED_TARGET:.0f}x pwasm (geomean, cold "
                 f"and warm, each size): **{'met' if met else 'not met'}** "
                 f"({'; '.join(means)})")
    if first:
        late, compared = [], 0
        for mode, ours, peer in pairs:
            ratios = _first_ratios(first, ours, peer)
            compared += len(ratios)
            late += [f"{item} {mode}" for item in _slower(ratios)]
        verdict = "not measured" if not compared else ("met" if not late else "not met")
        detail = f"{compared} comparisons" + (f"; later: {', '.join(late)}" if late else "")
        lines.append(f"- First result (fresh process: import, load, instantiate, one small "
                     f"call) no later than pwasm's: **{verdict}** ({detail})")
    return "\n".join(lines)
