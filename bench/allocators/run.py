"""Replay allocation traces through every allocator of ``wasmem.tools.alloc`` and through
wasi-libc's dlmalloc, all running in wasmem.

For each (allocator, trace): operations per second (a timed replay, nothing else running
in the process), peak memory pages, and the heap's external fragmentation sampled along
the trace (a second replay that walks the heap with ``wasmem.tools.alloc.walk`` every
``len(trace) / SAMPLES`` operations). Writes the table into ``bench/README.md`` (between
the ``allocators`` markers) and the fragmentation-over-time figure to
``bench/allocators/fragmentation.svg`` (needs matplotlib, the ``bench`` extra).

    python bench/allocators/run.py            # 3000 operations per trace
    python bench/allocators/run.py --quick    # 300, no README/figure unless --write
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "src"))

import traces  # noqa: E402

import wasmem  # noqa: E402
from wasmem.tools.alloc import NAMES, load, walk  # noqa: E402

ALLOCATORS = (*NAMES, "dlmalloc")
SAMPLES = 60
REPEATS = 5
BEGIN, END = "<!-- allocators:begin -->", "<!-- allocators:end -->"


@functools.cache
def dlmalloc_module() -> wasmem.Module:
    return wasmem.Module.from_file(HERE / "dlmalloc.wasm")


def instance_of(name: str) -> wasmem.Instance:
    """A fresh instance of allocator ``name`` (dlmalloc: wasi-libc's, see build.sh)."""
    if name == "dlmalloc":
        instance = wasmem.Instance(dlmalloc_module())
        instance.exports._initialize()
        return instance
    return wasmem.Instance(load(name))


def replay(name: str, trace: traces.Trace, every: int = 0) -> tuple[float, int, list[float]]:
    """Run ``trace``; return (seconds, peak pages, fragmentation samples when every > 0).

    Raises AssertionError when an allocation fails or a sampled heap does not check."""
    instance = instance_of(name)
    e = instance.exports
    malloc, free, realloc, calloc = e["malloc"], e["free"], e["realloc"], e["calloc"]
    memory = e["memory"]
    pointers: dict[int, int] = {}
    samples: list[float] = []
    peak = memory.size
    start = time.perf_counter()
    for index, (op, block, size) in enumerate(trace):
        if op == "f":
            free(pointers.pop(block))
        elif op == "r":
            pointer = realloc(pointers[block], size)
            assert pointer, f"{name}: realloc({size}) failed"
            pointers[block] = pointer
        else:
            pointer = malloc(size) if op == "m" else calloc(1, size)
            assert pointer, f"{name}: malloc({size}) failed"
            pointers[block] = pointer
        if every and index % every == 0:
            heap = walk(instance)
            heap.check()
            samples.append(heap.stats.fragmentation)
            peak = max(peak, memory.size)
    seconds = time.perf_counter() - start
    return seconds, max(peak, memory.size), samples


def make_traces(operations: int) -> dict[str, traces.Trace]:
    recorded = HERE / "words.trace"
    if not recorded.exists():
        traces.save(traces.record_words(), recorded)
    return {"uniform": traces.uniform(operations), "power-law": traces.power_law(operations),
            "producer/consumer": traces.producer_consumer(operations),
            "recorded (words.c)": traces.load(recorded)[:operations]}


def table(results: dict[tuple[str, str], tuple[float, int, list[float]]],
          lengths: dict[str, int]) -> str:
    names = list(lengths)
    lines = ["| allocator | " + " | ".join(names) + " |",
             "| --- |" + " --- |" * len(names)]
    for allocator in ALLOCATORS:
        cells = []
        for trace in names:
            seconds, peak, samples = results[allocator, trace]
            rate = lengths[trace] / seconds
            mean = statistics.fmean(samples) if samples else 0.0
            cells.append(f"{rate:,.0f} ops/s, {peak} pages, frag {mean:.2f}")
        lines.append(f"| {allocator} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def figure(results: dict[tuple[str, str], tuple[float, int, list[float]]],
           names: list[str], path: Path) -> bool:
    """Draw fragmentation over time, one panel per trace; False without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("svg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    matplotlib.rcParams["svg.hashsalt"] = "wasmem"
    fig, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.4), sharey=True)
    for axis, trace in zip(axes, names):
        for allocator in ALLOCATORS:
            samples = results[allocator, trace][2]
            axis.plot([i / max(len(samples) - 1, 1) for i in range(len(samples))], samples,
                      label=allocator, linewidth=1.3)
        axis.set_title(trace, fontsize=10)
        axis.set_xlabel("fraction of the trace")
        axis.set_ylim(0, 1)
    axes[0].set_ylabel("external fragmentation\n1 - largest free / free")
    axes[-1].legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)
    return True


def write_readme(text: str, readme: Path) -> None:
    content = readme.read_text(encoding="utf-8")
    if BEGIN in content:
        head, rest = content.split(BEGIN, 1)
        content = head + text + rest.split(END, 1)[1]
    else:
        content = content.rstrip("\n") + "\n\n" + text
    readme.write_text(content, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=3000)
    parser.add_argument("--quick", action="store_true", help="300 operations per trace")
    parser.add_argument("--write", action="store_true", help="write README/figure even "
                        "with --quick")
    args = parser.parse_args(argv)
    operations = 300 if args.quick else args.operations
    all_traces = make_traces(operations)
    lengths = {name: len(trace) for name, trace in all_traces.items()}
    results = {}
    for trace_name, trace in all_traces.items():
        for allocator in ALLOCATORS:
            # The sampled replay first: it also warms wasmem's translation of the module.
            _, peak, samples = replay(allocator, trace, max(len(trace) // SAMPLES, 1))
            seconds = min(replay(allocator, trace)[0] for _ in range(REPEATS))
            results[allocator, trace_name] = (seconds, peak, samples)
            print(f"{trace_name:20s} {allocator:14s} {len(trace) / seconds:9,.0f} ops/s "
                  f"{peak:4d} pages  fragmentation mean {statistics.fmean(samples):.3f}",
                  flush=True)
    body = table(results, lengths)
    print(body)
    if args.quick and not args.write:
        return 0
    svg = HERE / "fragmentation.svg"
    drawn = figure(results, list(all_traces), svg)
    section = (f"{BEGIN}\n## Allocators (`bench/allocators/run.py`)\n\n"
               "Allocation traces replayed in wasmem through each allocator of "
               "`wasmem.tools.alloc` and through wasi-libc's dlmalloc "
               "(`allocators/dlmalloc.wasm`): "
               f"operations per second (the best of {REPEATS} timed replays, after a first "
               "replay, so functions are already translated), peak memory in 64 KiB pages, "
               "and the "
               "mean external fragmentation (1 - largest free block / free bytes) of "
               f"{SAMPLES} heap walks along the trace. Traces: " +
               ", ".join(f"{name} ({n} operations)" for name, n in lengths.items()) +
               "; the recorded one is every malloc/free/realloc/calloc of "
               "`tests/tools/alloc/programs/words.c` (`allocators/build.sh`, `traces.py`).\n\n"
               + body + "\n\n"
               "Reading it: the rates come from a shared 2-core machine (differences under "
               "about 2x are noise between runs); they are wasmem's, not the allocators' "
               "native speed. `pools` shows a fragmentation near 1 by construction: every "
               "free slot of a class page counts as a free block, and the largest free block "
               "is one slot or one free run of pages. `bump` only reuses memory freed at its "
               "top, so its peak grows with the trace.\n\n"
               + ("![fragmentation over time](allocators/fragmentation.svg)\n\n" if drawn else "")
               + f"{END}\n")
    write_readme(section, HERE.parent / "README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
