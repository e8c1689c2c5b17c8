"""Table instances (spec "Runtime Structure / Table Instances").

A table is a Python list of references (``None`` is null); the list never changes
identity, so execution code may hold it. Growth appends in place.
"""

from __future__ import annotations

from typing import Any

from ..errors import Trap, TrapCode, TrapMessage
from ..syntax.types import NumType, TableType

__all__ = ["TableInstance", "TableOutOfBounds"]

_MAX_ELEMENTS_32 = 0xFFFFFFFF
_MAX_ELEMENTS_64 = 0xFFFFFFFFFFFFFFFF
_HOST_ELEMENT_CAP = 10_000_000


class TableOutOfBounds(Trap):
    """An access outside the table: the spec's "out of bounds table access"."""

    default_code = TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS

    def __init__(self) -> None:
        super().__init__(TrapMessage.OUT_OF_BOUNDS_TABLE)


class TableInstance:
    """A table: its type and its element list.

    Args:
        type: the table type.
        init: the value of every initial element.
        max_elements_cap: a host ceiling on the size; ``table.grow`` beyond it returns -1.

    Raises:
        Trap: if the initial size exceeds the host ceiling.
    """

    __slots__ = ("__weakref__", "_limit", "elements", "type")

    def __init__(self, type: TableType, init: Any = None, *,
                 max_elements_cap: int = _HOST_ELEMENT_CAP) -> None:
        self.type = type
        arch = _MAX_ELEMENTS_64 if type.address_type is NumType.I64 else _MAX_ELEMENTS_32
        limit = arch if type.limits.max is None else min(type.limits.max, arch)
        self._limit = min(limit, max_elements_cap)
        if type.limits.min > self._limit:
            raise Trap(f"table of {type.limits.min} elements exceeds the limit of "
                       f"{self._limit} elements", code=TrapCode.RESOURCE_EXHAUSTED)
        self.elements: list[Any] = [init] * type.limits.min

    @property
    def size(self) -> int:
        """Current number of elements."""
        return len(self.elements)

    def grow(self, delta: int, init: Any) -> int:
        """Append ``delta`` elements set to ``init`` (spec ``table.grow``).

        Returns:
            The old size, or -1 if the new size would exceed the maximum. Never raises.
        """
        old = len(self.elements)
        if delta < 0 or old + delta > self._limit:
            return -1
        try:
            self.elements.extend([init] * delta)
        except MemoryError:
            return -1
        return old

    def get(self, index: int) -> Any:
        """Return element ``index``.

        Raises:
            TableOutOfBounds: if ``index`` is outside the table.
        """
        if index >= len(self.elements):
            raise TableOutOfBounds()
        return self.elements[index]

    def set(self, index: int, value: Any) -> None:
        """Set element ``index``.

        Raises:
            TableOutOfBounds: if ``index`` is outside the table.
        """
        if index >= len(self.elements):
            raise TableOutOfBounds()
        self.elements[index] = value

    def __repr__(self) -> str:
        return f"<TableInstance {len(self.elements)} x {self.type.element}>"
