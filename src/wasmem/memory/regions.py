"""The regions of an instance's memories: what owns each byte.

:func:`memory_regions` labels the ranges of one memory of an instance:

* ``data``: each active data segment, at the address its offset expression gives;
* ``passive``: each passive data segment (not in memory: listed with its size and whether
  ``data.drop`` has dropped it; its range is empty);
* ``stack``: the C stack of clang output, from the current value of the
  ``__stack_pointer`` global up to the stack's top (the global's initial value: the
  stack grows down from there); ``stack-free`` is the reserved stack below it, down to
  ``__data_end`` (clang's default layout) or the end of the data below (``--stack-first``);
* ``heap``: from ``__heap_base`` to the end of memory;
* ``block`` / ``free``: the blocks of the heap's allocator, when a heap walker of
  :mod:`wasmem.tools.alloc` recognises it;
* ``zeros``: runs of at least :data:`MIN_ZERO_RUN` zero bytes.

Globals are found by export name, else by the ``name`` section (clang keeps
``__stack_pointer`` there). Regions may nest (a zero run inside the heap); :func:`owner`
picks the innermost one for an address. Only reads: never changes the instance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..syntax.module import ActiveData
from ..syntax.types import ExternKind

__all__ = ["MapRegion", "KINDS", "MIN_ZERO_RUN", "memory_regions", "find_global", "owner"]

MIN_ZERO_RUN = 256
"""Shortest run of zero bytes listed as a ``zeros`` region."""

_ZEROS = re.compile(b"\\0{%d,}" % MIN_ZERO_RUN)

KINDS = {
    "data": "active data segment (its bytes as now in memory)",
    "passive": "passive data segment (memory.init copies it; not at an address)",
    "stack": "C stack in use: __stack_pointer up to the stack's top",
    "stack-free": "C stack reserved below __stack_pointer",
    "heap": "heap: __heap_base to the end of memory",
    "block": "allocated heap block",
    "free": "free heap block",
    "zeros": f"run of at least {MIN_ZERO_RUN} zero bytes",
}
"""The kinds of region, with what each means (the legend of the map)."""


@dataclass(frozen=True)
class MapRegion:
    """A labelled range ``[start, end)`` of one memory."""

    start: int
    end: int
    kind: str
    name: str
    detail: str = ""

    @property
    def size(self) -> int:
        """Bytes in the region."""
        return self.end - self.start


def _global_index(module: Any, name: str) -> int | None:
    for export in module.exports:
        if export.name == name and export.kind == ExternKind.GLOBAL:
            return int(export.index)
    for index, debug_name in module.names.globals.items():
        if debug_name == name:
            return int(index)
    return None


def find_global(instance: Any, name: str) -> tuple[int, int] | None:
    """``(current value, initial value)`` of the i32/i64 global ``name`` of ``instance``
    (a :class:`wasmem.Instance`), found by export or debug name; ``None`` if absent.
    Raises nothing."""
    from ..exec.instantiate import evaluate_constant
    inner = instance._instance
    module = inner.module
    index = _global_index(module, name)
    if index is None or index >= len(inner.globals):
        return None
    value = inner.globals[index].value
    imported = sum(1 for imp in module.imports if imp.kind == ExternKind.GLOBAL)
    initial = value
    if index >= imported:
        try:
            initial = evaluate_constant(module.globals[index - imported].init, inner)
        except Exception:  # an unsupported constant: the current value stands in
            initial = value
    if not isinstance(value, int) or not isinstance(initial, int):
        return None
    return value, initial


def _data_regions(instance: Any, memory_index: int) -> list[MapRegion]:
    from ..exec.instantiate import evaluate_constant
    inner = instance._instance
    names = inner.module.names.datas
    out = []
    for k, segment in enumerate(inner.module.datas):
        name = names.get(k, f"data[{k}]")
        mode = segment.mode
        if isinstance(mode, ActiveData):
            if mode.memory_index != memory_index:
                continue
            offset = evaluate_constant(mode.offset, inner)
            out.append(MapRegion(offset, offset + len(segment.data), "data", name,
                                 f"{len(segment.data)} bytes"))
        elif memory_index == 0:
            dropped = not inner.datas[k] and segment.data
            out.append(MapRegion(0, 0, "passive", name, f"{len(segment.data)} bytes, "
                                 + ("dropped" if dropped else "not dropped")))
    return out


def _zero_runs(data: Any) -> list[MapRegion]:
    return [MapRegion(m.start(), m.end(), "zeros", "zeros")
            for m in _ZEROS.finditer(data)]  # the buffer itself: no copy


def _heap_blocks(instance: Any) -> list[MapRegion]:
    """The allocator's blocks (``address``, ``size``, ``in_use``), when
    ``wasmem.tools.alloc.walk(instance)`` recognises the heap; none otherwise."""
    try:
        from ..tools import alloc
        walk = getattr(alloc, "walk", None)
        if walk is None:
            return []
        heap = walk(instance)
    except Exception:  # no walker recognises the heap, or it is corrupt: no blocks
        return []
    out = []
    for block in getattr(heap, "blocks", ()):
        start = getattr(block, "address", None)
        size = getattr(block, "size", None)
        if not isinstance(start, int) or not isinstance(size, int) or size <= 0:
            continue
        free = not getattr(block, "in_use", True)
        out.append(MapRegion(start, start + size, "free" if free else "block",
                             "free" if free else "allocated", f"{size} bytes"))
    return out


def memory_regions(instance: Any, memory_index: int = 0) -> list[MapRegion]:
    """The regions of memory ``memory_index`` of ``instance`` (a :class:`wasmem.Instance`),
    sorted by start address, outer regions before the ones they contain.

    Raises:
        IndexError: the instance has no memory ``memory_index``.
    """
    memory = instance._instance.memories[memory_index]
    size = memory.size_bytes
    regions = _data_regions(instance, memory_index)
    if memory_index == 0:
        data_end = find_global(instance, "__data_end")
        heap_base = find_global(instance, "__heap_base")
        stack = find_global(instance, "__stack_pointer")
        if stack is not None:
            pointer, top = stack
            if 0 <= pointer <= top <= size:
                regions.append(MapRegion(pointer, top, "stack", "__stack_pointer",
                                         f"{top - pointer} bytes in use"))
                ends = [r.end for r in regions if r.kind == "data" and r.end <= pointer]
                if data_end is not None and data_end[0] <= pointer:
                    ends.append(data_end[0])
                bottom = max(ends, default=0)
                if bottom < pointer:
                    regions.append(MapRegion(bottom, pointer, "stack-free", "stack (free)",
                                             f"{pointer - bottom} bytes"))
        if heap_base is not None and 0 <= heap_base[0] <= size:
            regions.append(MapRegion(heap_base[0], size, "heap", "__heap_base",
                                     f"{size - heap_base[0]} bytes"))
            regions.extend(r for r in _heap_blocks(instance) if r.end <= size)
    regions.extend(_zero_runs(memory.data))
    regions.sort(key=lambda r: (r.start, -r.size, r.kind))
    return regions


def owner(regions: list[MapRegion], address: int) -> MapRegion | None:
    """The innermost (smallest) region containing ``address``, other than zero runs if
    another region contains it; ``None`` if none does. Raises nothing."""
    found = [r for r in regions if r.start <= address < r.end]
    named = [r for r in found if r.kind != "zeros"] or found
    return min(named, key=lambda r: r.size, default=None)
