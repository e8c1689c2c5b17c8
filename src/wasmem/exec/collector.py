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
from types import TracebackType

from ..import_bundle import settle_collector

__all__ = ["collector_paused"]


class _Paused:
    """The context manager :func:`collector_paused` returns (a class rather than a
    generator-based ``contextlib.contextmanager``: entering and leaving cost a tenth as
    much, and the tiers pause around every function they link or promote)."""

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        if self._was_enabled:
            gc.disable()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._was_enabled:
            settle_collector()


def collector_paused() -> _Paused:
    """Run the body with automatic garbage collection off, and turn it back on after
    (only if it was on: a program that turned it off keeps it off; raises nothing of
    its own). When the body made more objects than a young collection waits for, they
    are moved to the oldest generation as it ends, without a collection walking them
    (``gc.freeze()`` then ``gc.unfreeze()``: what a step builds lives on, and the next
    young collection would have walked it all, and a collection of the middle
    generation again); young objects of the program's own go with them, so a cycle of
    them that was garbage already waits for the next full collection. A program that
    froze objects itself keeps them frozen: then the younger generations are collected
    (:func:`wasmem.import_bundle.settle_collector`, which settles imports the same way)."""
    return _Paused()
