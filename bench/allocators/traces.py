"""Allocation traces for the allocator benchmark.

A trace is a list of operations ``(op, id, size)``: ``op`` is ``"m"`` (malloc), ``"c"``
(calloc of ``size`` bytes), ``"r"`` (realloc block ``id`` to ``size``) or ``"f"`` (free
block ``id``, size 0). Ids name blocks independently of the addresses an allocator picks.
"""

from __future__ import annotations

import random
from pathlib import Path

import wasmem

Trace = list[tuple[str, int, int]]
HERE = Path(__file__).resolve().parent


def uniform(operations: int, seed: int = 1) -> Trace:
    """Sizes uniform in 1..1024; alloc and free equally likely once 200 blocks live."""
    rng = random.Random(seed)
    trace: Trace = []
    live: list[int] = []
    next_id = 0
    while len(trace) < operations:
        if live and (len(live) > 200 or rng.random() < 0.45):
            trace.append(("f", live.pop(rng.randrange(len(live))), 0))
        else:
            trace.append(("m", next_id, rng.randint(1, 1024)))
            live.append(next_id)
            next_id += 1
    return trace


def power_law(operations: int, seed: int = 2) -> Trace:
    """Sizes from a Pareto law (most tiny, a few up to 256 KiB), random lifetimes, some
    reallocs that grow a block."""
    rng = random.Random(seed)
    trace: Trace = []
    live: list[int] = []
    next_id = 0
    while len(trace) < operations:
        roll = rng.random()
        if live and roll < 0.4:
            trace.append(("f", live.pop(rng.randrange(len(live))), 0))
        elif live and roll < 0.5:
            trace.append(("r", rng.choice(live), min(int(8 * rng.paretovariate(1.1)), 262144)))
        else:
            trace.append(("m", next_id, min(int(8 * rng.paretovariate(1.1)), 262144)))
            live.append(next_id)
            next_id += 1
    return trace


def producer_consumer(operations: int, seed: int = 3) -> Trace:
    """A producer allocates messages in bursts, a consumer frees the oldest (a queue);
    every 50th message is kept for good (a long-lived block pinning memory)."""
    rng = random.Random(seed)
    trace: Trace = []
    queue: list[int] = []
    next_id = 0
    while len(trace) < operations:
        for _ in range(rng.randint(1, 40)):
            trace.append(("c" if next_id % 7 == 0 else "m", next_id, rng.choice(
                [24, 48, 64, 100, 200, 512, 1500, 4000])))
            if next_id % 50:
                queue.append(next_id)
            next_id += 1
        for _ in range(rng.randint(1, 40)):
            if queue:
                trace.append(("f", queue.pop(0), 0))
    return trace[:operations]


def record_words(seed: int = 7, words: int = 1500) -> Trace:
    """Run ``words-traced.wasm`` (tests/tools/alloc/programs/words.c, see build.sh) in wasmem and
    return its malloc/free/realloc/calloc calls as a trace."""
    trace: Trace = []
    ids: dict[int, int] = {}

    def record(op: int, pointer: int, size: int, old: int) -> None:
        pointer, old = pointer & 0xFFFFFFFF, old & 0xFFFFFFFF
        if op == 1:
            trace.append(("f", ids.pop(old), 0))
        elif op == 2 and old:
            block = ids.pop(old)
            trace.append(("r", block, size))
            ids[pointer] = block
        else:
            ids[pointer] = len(trace)
            trace.append(("c" if op == 3 else "m", ids[pointer], size))

    module = wasmem.Module.from_file(HERE / "words-traced.wasm")
    instance = wasmem.Instance(module, {"trace": {"record": record}})
    instance.exports._initialize()
    instance.exports.run(seed, words)
    return trace


def save(trace: Trace, path: Path) -> None:
    """Write a trace as text, one operation per line."""
    path.write_text("".join(f"{op} {block} {size}\n" for op, block, size in trace),
                    encoding="utf-8")


def load(path: Path) -> Trace:
    """Read a trace written by :func:`save`."""
    out: Trace = []
    for line in path.read_text(encoding="utf-8").splitlines():
        op, block, size = line.split()
        out.append((op, int(block), int(size)))
    return out
