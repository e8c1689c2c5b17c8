"""Pausing Python's cyclic garbage collector while the engine builds code.

Decoding a function for the interpreter, linking it and translating it allocate tens of
thousands of container objects that all live on (instructions, closures, the
translator's tables); each of CPython's young-generation collections walks them again,
and their number soon triggers full collections of the whole heap (measured: about a
third of a short cold run of a malloc-heavy C program went to the collector,
``bench/tiering.md``). Pausing the collector over such a step lets the allocations of
the whole step be examined once, by the next collection after it.

A step that makes what lives as long as the *module* (a function decoded for the
interpreter, a translation: ``collector_paused(moving=True)``) goes further: what it
allocated is moved to the oldest generation unwalked when it ends
(:func:`wasmem.import_bundle.move_to_oldest`, as an import's objects are), so young
collections never walk it, only full collections. So that nothing of the program's own
is moved with it, such a step starts by collecting the younger generations, as CPython
would have soon: what the program made is walked and counted as usual. Steps that make
what an *instance* holds (linking, instantiating, binding a translation) do not move:
a garbage cycle holding a dropped instance, whose memory the collector does not count,
would then wait for a full collection (fuzz5's loop, ``bench/STARTUP.md``). Moves are
bounded by full collections (:func:`~wasmem.import_bundle.move_to_oldest`).
"""

from __future__ import annotations

import gc
from types import TracebackType

from ..import_bundle import _FREEZE, collect_young, move_to_oldest

__all__ = ["collector_paused"]


class _Paused:
    """The context manager :func:`collector_paused` returns (a class rather than a
    generator-based ``contextlib.contextmanager``: entering and leaving cost a tenth as
    much, and the tiers pause around every function they link or promote)."""

    __slots__ = ("_moving", "_was_enabled")

    def __init__(self, moving: bool) -> None:
        self._moving = moving

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        if self._was_enabled:
            gc.disable()
            if self._moving:
                if MOVES and not gc.get_freeze_count():
                    # the program's young objects are walked (and counted) now: the
                    # move at the end takes only what this step allocates
                    collect_young()  # (all generations once memories were made)
                else:
                    self._moving = False

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._was_enabled:
            if self._moving and kind is None:  # (a traceback may hold an instance)
                # (counted: the young generation's count is allocations less
                # deallocations, and a step may free older objects)
                young = len(gc.get_objects(0))
                if young >= MOVE_AT and not gc.get_freeze_count():
                    move_to_oldest(young)
            gc.enable()


MOVES = _FREEZE
"""Whether steps paused with ``moving=True`` move what they allocate to the oldest
generation (module docstring); tests turn it off to compare."""

MOVE_AT = 64
"""The fewest objects a step must leave in the young generation to be moved (fewer are
left to the next young collection)."""


def collector_paused(moving: bool = False) -> _Paused:
    """Run the body with automatic garbage collection off, and turn it back on after
    (only if it was on: a program that turned it off keeps it off; raises nothing of
    its own). Collection is deferred, never skipped: the allocation counts go on, so
    the next allocation after the body may collect. With ``moving`` (for a body that
    makes only what lives as long as a module), the younger generations are collected
    on entry and what the body allocated is moved to the oldest generation on exit
    (module docstring); not when the body raises, nor when the program turned
    collection off or froze objects itself, nor nested in another pause (the outer one
    decides)."""
    return _Paused(moving)
