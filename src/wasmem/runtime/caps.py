"""Resource caps of an instance: bytes of linear memory and table elements.

One :class:`ResourceCaps` belongs to each instance. Every memory and table the instance
creates *or imports* is charged to it at instantiation, and every later ``memory.grow`` /
``table.grow`` of such a memory or table (by any instance or the host) is charged to
every live instance that holds it. A grow that would pass a cap fails the way the spec
lets growth fail (it returns -1); an instantiation that would pass one raises
:class:`~wasmem.errors.ResourceLimitError` naming the cap. Memories and tables keep only
weak references to the caps, so an instance that is gone stops constraining them.
"""

from __future__ import annotations

import weakref
from typing import Any

from ..errors import InvocationError, ResourceLimitError

__all__ = [
    "ResourceCaps",
    "as_index",
    "DEFAULT_MAX_MEMORY_BYTES",
    "DEFAULT_MAX_TABLE_ELEMENTS",
    "charge_all",
    "live_caps",
]

DEFAULT_MAX_MEMORY_BYTES = 1 << 32
"""Default cap on the total size of an instance's memories: 4 GiB (65,536 pages)."""

DEFAULT_MAX_TABLE_ELEMENTS = 10_000_000
"""Default cap on the total number of elements of an instance's tables."""

CapsRefs = list["weakref.ref[ResourceCaps]"]
"""What a memory or table keeps: weak references to the caps that govern it."""


def as_index(value: Any, what: str) -> int:
    """Return ``value`` as an int (``operator.index`` rules: ``bool`` counts, as compiled
    code passes comparison results on as i32 values).

    Raises:
        InvocationError: if it is not an integer (``1.5``, ``"3"``, ``None``).
    """
    if type(value) is int:
        return value
    if not hasattr(value, "__index__"):
        raise InvocationError(f"{what} must be an integer, not {type(value).__name__}")
    return value.__index__()  # type: ignore[no-any-return]


def _cap_value(name: str, value: object, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvocationError(f"{name} must be an integer, not {type(value).__name__}")
    if value < 0:
        raise InvocationError(f"{name} must not be negative, got {value}")
    return value


class ResourceCaps:
    """The caps of one instance and what it holds now.

    Args:
        max_memory_bytes: total bytes of all memories (None: :data:`DEFAULT_MAX_MEMORY_BYTES`).
        max_table_elements: total elements of all tables (None: the default).

    Raises:
        InvocationError: if a cap is not a non-negative integer.
    """

    __slots__ = ("__weakref__", "max_memory_bytes", "max_table_elements", "memory_bytes",
                 "table_elements")

    def __init__(self, max_memory_bytes: int | None = None,
                 max_table_elements: int | None = None) -> None:
        self.max_memory_bytes = _cap_value("max_memory_bytes", max_memory_bytes,
                                           DEFAULT_MAX_MEMORY_BYTES)
        self.max_table_elements = _cap_value("max_table_elements", max_table_elements,
                                             DEFAULT_MAX_TABLE_ELEMENTS)
        self.memory_bytes = 0
        self.table_elements = 0

    def admit_memory(self, size_bytes: int, what: str) -> None:
        """Charge a memory of ``size_bytes`` at instantiation.

        Raises:
            ResourceLimitError: if the total would pass ``max_memory_bytes``.
        """
        if self.memory_bytes + size_bytes > self.max_memory_bytes:
            raise ResourceLimitError(
                f"{what} needs {size_bytes} bytes; with the {self.memory_bytes} bytes of "
                f"memory already held that exceeds max_memory_bytes={self.max_memory_bytes}",
                cap="max_memory_bytes")
        self.memory_bytes += size_bytes

    def admit_table(self, elements: int, what: str) -> None:
        """Charge a table of ``elements`` elements at instantiation.

        Raises:
            ResourceLimitError: if the total would pass ``max_table_elements``.
        """
        if self.table_elements + elements > self.max_table_elements:
            raise ResourceLimitError(
                f"{what} needs {elements} elements; with the {self.table_elements} table "
                f"elements already held that exceeds "
                f"max_table_elements={self.max_table_elements}", cap="max_table_elements")
        self.table_elements += elements

    def __repr__(self) -> str:
        return (f"<ResourceCaps memory {self.memory_bytes}/{self.max_memory_bytes} bytes, "
                f"tables {self.table_elements}/{self.max_table_elements} elements>")


def live_caps(refs: CapsRefs) -> list[ResourceCaps]:
    """Return the caps still alive among ``refs`` (and drop the dead references)."""
    out = []
    for ref in refs:
        caps = ref()
        if caps is not None:
            out.append(caps)
    if len(out) != len(refs):
        refs[:] = [weakref.ref(caps) for caps in out]
    return out


def charge_all(refs: CapsRefs, caps: ResourceCaps) -> None:
    """Add ``caps`` to the caps governing a memory or table (once)."""
    if not any(ref() is caps for ref in refs):
        refs.append(weakref.ref(caps))
