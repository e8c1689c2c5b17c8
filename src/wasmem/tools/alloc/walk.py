"""``walk(instance)``: find which allocator manages an instance's heap and walk it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .heap import Heap, HeapError
from .library import CODES
from .walkers import WALKERS

__all__ = ["walk", "detect", "ALLOCATORS"]

ALLOCATORS = (*WALKERS, "dlmalloc")
"""Every allocator :func:`walk` can read."""


def _exports(instance: Any) -> Mapping[str, Any]:
    exports = getattr(instance, "exports", instance)
    if not isinstance(exports, Mapping) or "memory" not in exports:
        raise HeapError("walk() needs an instance (or exports) with an exported memory")
    return exports


def detect(instance: Any) -> str:
    """Name the allocator of ``instance``: one of :data:`ALLOCATORS`.

    The library's allocators export ``__wasmem_allocator``; a C program built with
    wasi-libc is recognised by its dlmalloc (see :mod:`wasmem.tools.alloc.dlmalloc`).

    Raises:
        HeapError: no exported memory, or no allocator recognised.
    """
    exports = _exports(instance)
    if "__wasmem_allocator" in exports:
        code = int(exports["__wasmem_allocator"].value)
        for name, value in CODES.items():
            if value == code:
                return name
        raise HeapError(f"unknown __wasmem_allocator code {code}")
    from .dlmalloc import is_dlmalloc
    if is_dlmalloc(instance):
        return "dlmalloc"
    raise HeapError("cannot tell which allocator manages this heap: it exports no "
                    "__wasmem_allocator and does not look like wasi-libc's dlmalloc; "
                    "name it (allocator=..., or --allocator on the command line)")


def walk(instance: Any, allocator: str | None = None) -> Heap:
    """Walk the heap of ``instance`` (a :class:`wasmem.Instance`) and return a :class:`Heap`.

    Args:
        instance: the instance whose ``memory`` export holds the heap.
        allocator: one of :data:`ALLOCATORS`; None detects it (:func:`detect`).

    Raises:
        HeapError: unknown or undetectable allocator, or exports the walker needs are
            missing. A corrupt heap does not raise here: call :meth:`Heap.check`.
    """
    name = detect(instance) if allocator is None else allocator
    if name == "dlmalloc":
        from .dlmalloc import walk_dlmalloc
        return walk_dlmalloc(instance)
    if name not in WALKERS:
        raise HeapError(f"unknown allocator {name!r}; choose one of {', '.join(ALLOCATORS)}")
    return WALKERS[name](_exports(instance), name)
