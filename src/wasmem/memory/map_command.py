"""``wasmem map FILE [--invoke NAME ARGS...] [--html OUT.html] [--trace]``: the regions of
each memory of an instance, as a table (and optionally as an HTML page, :mod:`.map_html`);
with ``--trace``, the run is traced and the reads and writes counted (:mod:`.heat`).

A WASI program (the module imports ``wasi_snapshot_preview1``) is first run through its
``_start`` (no preopened directories, arguments ``[FILE]``); a trap or ``proc_exit`` ends
the run and the memory is mapped as it is then. With ``--trace``, everything the run
does is counted: the start function (held back until the trace is on), the exports it
calls and what host functions (WASI) read and write for them. Other modules are instantiated, then
``--invoke`` calls an export.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from typing import Any

from ..errors import Exit, Trap
from ..exec.tier_names import DEFAULT_TIER
from .heat import HeatCounter
from .regions import MapRegion, memory_regions

__all__ = ["prepare", "format_table", "run_map"]


def prepare(module: Any, file: str, invoke: list[str] | None, *, tier: str = DEFAULT_TIER,
            call: Any = None, heat: HeatCounter | None = None) -> tuple[Any, str]:
    """Instantiate ``module`` and run it as ``wasmem map`` does.

    ``call(instance, invoke)`` performs ``--invoke`` (the CLI's argument parsing). With
    ``heat``, the run (not the instantiation) is traced and its memory accesses counted.

    Returns:
        ``(instance, how the run ended)``.

    Raises:
        LinkError, Trap: instantiation failed. UsageError (through ``call``): bad
        ``--invoke``.
    """
    from ..embedding import Function
    from ..observe.launch import instantiate_observable, run_start, wasi_config
    from ..wasi.command import wants_wasi
    wasi = None
    if wants_wasi(module, invoke is not None):
        wasi = wasi_config(file)
    instance, start = instantiate_observable(module, tier=tier, wasi=wasi)
    ended = "instantiated"
    tracing = instance.trace(calls=False, memory=True, out=heat) \
        if heat is not None else nullcontext()
    try:
        with tracing:
            if start is not None:  # traced from its first instruction
                run_start(instance, start)
                ended = "after the start function"
            if invoke is not None:
                if wasi is not None and isinstance(instance.exports.get("_initialize"), Function):
                    instance.exports["_initialize"]()
                call(instance, invoke)
                ended = f"after {invoke[0]}"
            elif wasi is not None and isinstance(instance.exports.get("_start"), Function):
                instance.exports["_start"]()
                ended = "after _start"
    except Exit as exc:
        ended = f"after proc_exit({exc.code})"
    except Trap as exc:
        ended = f"after a trap: {exc}".splitlines()[0]
    finally:
        sys.stdout.flush()
    return instance, ended


def format_table(regions: list[MapRegion],
                 totals: list[tuple[int, int]] | None = None) -> str:
    """The regions as an aligned text table, one line each; ``totals`` (one
    ``(reads, writes)`` per region) adds two columns. Raises nothing."""
    counts = "     reads     writes" if totals is not None else ""
    lines = [f"  {'start':<10}  {'end':<10}  {'size':>9}{counts}  {'kind':<10}  name"]
    for k, r in enumerate(regions):
        span = ("-", "-") if r.kind == "passive" else (f"0x{r.start:08x}", f"0x{r.end:08x}")
        detail = f" ({r.detail})" if r.detail else ""
        if totals is not None:
            counts = "".join(f"  {n:>9}" if r.kind != "passive" else f"  {'':>9}"
                             for n in totals[k])
        lines.append(f"  {span[0]:<10}  {span[1]:<10}  {r.size if r.kind != 'passive' else '':>9}"
                     f"{counts}  {r.kind:<10}  {r.name}{detail}")
    return "\n".join(lines)


def run_map(instance: Any, file: str, ended: str, html: str | None,
            heat: HeatCounter | None = None) -> int:
    """Print the table of every memory of ``instance``; write the page to ``html``.
    With ``heat`` (the counts of a traced run), the table has each region's reads and
    writes and the page a heat view.

    Raises:
        OSError: the page cannot be written.
    """
    from .map_html import render_page
    memories = instance._instance.memories
    print(f"{os.path.basename(file)}: {len(memories)} memory(ies), {ended}")
    mapped = []
    for index, memory in enumerate(memories):
        regions = memory_regions(instance, index)
        mapped.append((index, memory, regions))
        print(f"memory {index}: {memory.pages} page(s) = {memory.size_bytes} bytes")
        totals = None if heat is None else heat.region_totals(
            index, [(r.start, r.end) for r in regions])
        print(format_table(regions, totals))
        if heat is not None:
            everywhere = heat.totals(index, 0, 1 << 64)
            print(f"  traced: {everywhere[0]} read(s), {everywhere[1]} write(s) "
                  f"in all (a region counts each access touching it)")
    if html is not None:
        with open(html, "w", encoding="utf-8") as out:
            out.write(render_page(mapped, title=f"{os.path.basename(file)}, {ended}",
                                  heat=heat))
        print(f"wrote {html}")
    return 0
