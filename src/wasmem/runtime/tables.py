"""Table instances (spec "Runtime Structure / Table Instances").

A table is a Python list of references (``None`` is null); the list never changes
identity, so execution code may hold it. Growth appends in place.
"""

from __future__ import annotations

from typing import Any

from ..errors import Trap, TrapCode, TrapMessage
from ..syntax.types import NumType, TableType
from .caps import CapsRefs, ResourceCaps, as_index, charge_all, live_caps

__all__ = ["TableInstance", "TableOutOfBounds"]

_MAX_ELEMENTS_32 = 0xFFFFFFFF
_MAX_ELEMENTS_64 = 0xFFFFFFFFFFFFFFFF
_HOST_ELEMENT_CAP = 10_000_000


class TableOutOfBounds(Trap, IndexError):
    """An access outside the table: the spec's "out of bounds table access".

    Also an ``IndexError``, as Python expects of ``table[i]`` from the host."""

    default_code = TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS

    def __init__(self) -> None:
        super().__init__(TrapMessage.OUT_OF_BOUNDS_TABLE)


class TableInstance:
    """A table: its type and its element list.

    Args:
        type: the table type.
        init: the value of every initial element.
        max_elements_cap: a host ceiling on the size; ``table.grow`` beyond it returns -1.
        caps: the resource caps of the instance creating it (the caller charges the
            initial size); later growth counts against them.

    Raises:
        Trap: if the initial size exceeds the host ceiling.
    """

    __slots__ = ("__weakref__", "_caps", "_limit", "elements", "type")

    def __init__(self, type: TableType, init: Any = None, *,
                 max_elements_cap: int = _HOST_ELEMENT_CAP,
                 caps: ResourceCaps | None = None) -> None:
        self.type = type
        arch = _MAX_ELEMENTS_64 if type.address_type is NumType.I64 else _MAX_ELEMENTS_32
        limit = arch if type.limits.max is None else min(type.limits.max, arch)
        self._limit = min(limit, max_elements_cap)
        if type.limits.min > self._limit:
            raise Trap(f"table of {type.limits.min} elements exceeds the limit of "
                       f"{self._limit} elements", code=TrapCode.RESOURCE_EXHAUSTED)
        self._caps: CapsRefs = []
        if caps is not None:
            charge_all(self._caps, caps)
        self.elements: list[Any] = [init] * type.limits.min

    def govern(self, caps: ResourceCaps) -> None:
        """Make later growth count against ``caps`` too (an instance importing the table;
        the caller has charged the current size)."""
        charge_all(self._caps, caps)

    @property
    def size(self) -> int:
        """Current number of elements."""
        return len(self.elements)

    def grow(self, delta: int, init: Any) -> int:
        """Append ``delta`` elements set to ``init`` (spec ``table.grow``).

        Returns:
            The old size, or -1 if the new size would exceed the maximum, the host
            ceiling or the ``max_table_elements`` of an instance holding the table.

        Raises:
            InvocationError: if ``delta`` is not an integer.
        """
        if type(delta) is not int:
            delta = as_index(delta, "table.grow's delta")
        old = len(self.elements)
        if delta < 0 or old + delta > self._limit:
            return -1
        caps = live_caps(self._caps) if self._caps else []
        for cap in caps:
            if cap.table_elements + delta > cap.max_table_elements:
                return -1
        try:
            self.elements.extend([init] * delta)
        except MemoryError:
            return -1
        for cap in caps:
            cap.table_elements += delta
        return old

    def get(self, index: int) -> Any:
        """Return element ``index``.

        Raises:
            TableOutOfBounds: if ``index`` is outside the table (negative ones too).
            InvocationError: if ``index`` is not an integer.
        """
        if type(index) is not int:
            index = as_index(index, "table index")
        if index < 0 or index >= len(self.elements):
            raise TableOutOfBounds()
        return self.elements[index]

    def set(self, index: int, value: Any) -> None:
        """Set element ``index``.

        Raises:
            TableOutOfBounds: if ``index`` is outside the table (negative ones too).
            InvocationError: if ``index`` is not an integer.
        """
        if type(index) is not int:
            index = as_index(index, "table index")
        if index < 0 or index >= len(self.elements):
            raise TableOutOfBounds()
        self.elements[index] = value

    def __repr__(self) -> str:
        return f"<TableInstance {len(self.elements)} x {self.type.element}>"
