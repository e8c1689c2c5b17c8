"""Counts of reads and writes per byte of each memory, from a memory trace (the heat map
of ``wasmem map --trace``).

A :class:`HeatCounter` is the ``out`` callable of ``instance.trace(calls=False,
memory=True, out=counter)``. Each event counts once for every byte it touches:

* ``load``: a read of ``size`` bytes at ``address``; ``store``: a write;
* ``fill`` and ``init``: a write of the range (``init`` reads a data segment, not memory);
* ``copy``: a read of the source range (in ``source_memory``) and a write of the
  destination range;
* ``grow`` touches no byte.

Ranges are counted as they come (one dictionary entry per distinct ``(address, size)``);
:meth:`HeatCounter.segments` turns them into runs of bytes with equal counts by a sweep
over the ranges' ends, so a ``memory.fill`` of a megabyte costs one entry, not a million.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..observe.events import TraceEvent

__all__ = ["HeatCounter", "HeatSegment"]


@dataclass(frozen=True)
class HeatSegment:
    """Bytes ``[start, end)`` of one memory, each read ``reads`` and written ``writes``
    times."""

    start: int
    end: int
    reads: int
    writes: int


class HeatCounter:
    """Reads and writes per byte of each memory; call it with each :class:`TraceEvent`."""

    def __init__(self) -> None:
        self.reads: dict[int, Counter[tuple[int, int]]] = {}
        self.writes: dict[int, Counter[tuple[int, int]]] = {}

    def __call__(self, event: TraceEvent) -> None:
        """Count one event (see the module docstring). Raises nothing."""
        kind = event.kind
        if kind == "load":
            self._add(self.reads, event.memory, event.address, event.size)
        elif kind in ("store", "fill", "init"):
            self._add(self.writes, event.memory, event.address, event.size)
        elif kind == "copy":
            source = event.source_memory if event.source_memory is not None else event.memory
            self._add(self.reads, source, event.source or 0, event.size)
            self._add(self.writes, event.memory, event.address, event.size)

    @staticmethod
    def _add(table: dict[int, Counter[tuple[int, int]]], memory: int, address: int,
             size: int) -> None:
        if size > 0:
            table.setdefault(memory, Counter())[address, size] += 1

    def totals(self, memory: int, start: int, end: int) -> tuple[int, int]:
        """``(reads, writes)``: the accesses of ``memory`` that touch a byte of
        ``[start, end)`` (a bulk operation counts once). Raises nothing."""
        return self.region_totals(memory, [(start, end)])[0]

    def region_totals(self, memory: int,
                      spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """:meth:`totals` of each ``(start, end)`` of ``spans``, from one index of the
        accesses (binary search per span, so many regions stay cheap). Raises nothing."""
        columns = [_Index(table.get(memory, Counter())).count(spans)
                   for table in (self.reads, self.writes)]
        return list(zip(*columns, strict=True))

    def segments(self, memory: int) -> list[HeatSegment]:
        """The bytes of ``memory`` read or written, as maximal runs of equal counts in
        address order (bytes never touched are left out). Raises nothing."""
        deltas: dict[int, list[int]] = {}
        for index, table in enumerate((self.reads, self.writes)):
            for (address, size), n in table.get(memory, Counter()).items():
                deltas.setdefault(address, [0, 0])[index] += n
                deltas.setdefault(address + size, [0, 0])[index] -= n
        out: list[HeatSegment] = []
        reads = writes = 0
        points = sorted(deltas)
        for here, following in pairwise(points):
            reads += deltas[here][0]
            writes += deltas[here][1]
            if not (reads or writes):
                continue
            last = out[-1] if out else None
            if last and last.end == here and (last.reads, last.writes) == (reads, writes):
                out[-1] = HeatSegment(last.start, following, reads, writes)
            else:
                out.append(HeatSegment(here, following, reads, writes))
        return out

    def most(self, memory: int) -> tuple[int, int]:
        """The highest ``(reads, writes)`` count of any byte of ``memory``. Raises nothing."""
        segments = self.segments(memory)
        return (max((s.reads for s in segments), default=0),
                max((s.writes for s in segments), default=0))


_SMALL = 16
"""Accesses of at most this many bytes (every load and store) are found by binary search;
wider ones (bulk operations, usually few distinct ones) are checked one by one."""


class _Index:
    """The accesses of one table of one memory, sorted for counting by range."""

    def __init__(self, table: Counter[tuple[int, int]]) -> None:
        small = sorted((a, s, n) for (a, s), n in table.items() if s <= _SMALL)
        self.small = small
        self.addresses = [a for a, _s, _n in small]
        self.sums = [0, *accumulate(n for _a, _s, n in small)]
        self.large = [(a, s, n) for (a, s), n in table.items() if s > _SMALL]

    def count(self, spans: list[tuple[int, int]]) -> list[int]:
        """Per span ``[start, end)``, the accesses that touch it. Raises nothing."""
        out = []
        for start, end in spans:
            if end <= start:
                out.append(0)
                continue
            # accesses starting inside the span all touch it ...
            low, high = bisect_left(self.addresses, start), bisect_left(self.addresses, end)
            total = self.sums[high] - self.sums[low]
            # ... and those starting up to _SMALL bytes before it, when they reach in
            for k in range(bisect_right(self.addresses, start - _SMALL), low):
                a, s, n = self.small[k]
                if a + s > start:
                    total += n
            total += sum(n for a, s, n in self.large if a < end and start < a + s)
            out.append(total)
        return out
