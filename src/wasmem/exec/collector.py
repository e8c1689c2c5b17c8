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
            gc.enable()


def collector_paused() -> _Paused:
    """Run the body with automatic garbage collection off, and turn it back on after
    (only if it was on: a program that turned it off keeps it off; raises nothing of
    its own). Collection is deferred, never skipped: the allocation counts go on, so
    the next allocation after the body may collect."""
    return _Paused()
