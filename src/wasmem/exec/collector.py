"""Pausing Python's cyclic garbage collector while the engine builds code.

Decoding a function for the interpreter, linking it and translating it allocate tens of
thousands of container objects that all live on (instructions, closures, the
translator's tables); each of CPython's young-generation collections walks them again,
and their number soon triggers full collections of the whole heap (measured: about a
third of a short cold run of a malloc-heavy C program went to the collector,
``bench/tiering.md``). Pausing the collector over such a step lets the allocations of
the whole step be examined once, by the next collection after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with automatic garbage collection off, and turn it back on after
    (only if it was on: a program that turned it off keeps it off; raises nothing of
    its own). Collection is deferred, never skipped: the allocation counts go on, so
    the next allocation after the body may collect."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
