"""``wasmem tour``: chapter 5 (memory management), run with its corrected examples.

Each topic loads modules from ``wasmem/examples/chapter5``, calls their exports and prints the
results beside hexdumps and maps of the memory they changed. The output is the same
on every run (no timings, no addresses of Python objects), and the whole tour takes
well under five seconds.

Topics, in order: ``layout``, ``loads``, ``stores``, ``data``, ``alignment``,
``allocators``, ``diagnostics``, ``watch``, then ``c-program``: a C program compiled with
clang for WASI (``wasmem/examples/wasi/hello.wasm``), run, and its static data, stack and
heap read back out of its memory.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from . import topics as _topics
from .guide import Tour, TourError, find_examples

__all__ = ["TOPICS", "TourError", "Tour", "find_examples", "run_tour"]


TOPICS = ("layout", "loads", "stores", "data", "alignment", "allocators", "diagnostics",
         "watch", "c-program")
"""Topic names, in tour order."""


def run_tour(topics: Sequence[str] | None = None, examples: str | None = None,
             out: TextIO | None = None) -> int:
    """Print the tour (all topics, or those named); return the exit status 0.

    ``topics == ["list"]`` prints the topic names and titles instead.

    Raises:
        TourError: unknown topic or examples folder not found.
    """
    stream = out if out is not None else sys.stdout
    table = _topics.TOPICS
    if topics and list(topics) == ["list"]:
        for name in TOPICS:
            print(f"{name:12} {table[name][0]}", file=stream)
        return 0
    chosen = list(topics) if topics else list(TOPICS)
    unknown = [t for t in chosen if t not in table]
    if unknown:
        raise TourError(f"unknown topic {unknown[0]!r}; topics: {', '.join(TOPICS)}")
    tour = Tour(find_examples(examples), stream)
    tour.say("wasmem tour: chapter 5, memory management, with the corrected examples in")
    tour.say("wasmem/examples/chapter5 (see its README; one topic: `wasmem tour TOPIC`).")
    for number, name in enumerate(chosen, 1):
        title, show = table[name]
        tour.heading(f"{number}. {title}")
        show(tour)
    tour.say()
    tour.say("More: docs/guide.md (English), docs/zh/guide.md (中文); "
             "`wasmem lint FILE` checks your own modules.")
    return 0
