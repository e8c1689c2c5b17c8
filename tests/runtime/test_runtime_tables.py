"""Table instances and resource caps (wasmem.runtime.tables, wasmem.runtime.caps)."""

from __future__ import annotations

import gc

import pytest

from wasmem.errors import InvocationError, ResourceLimitError, Trap, TrapCode
from wasmem.runtime.caps import ResourceCaps, as_index
from wasmem.runtime.tables import TableInstance, TableOutOfBounds
from wasmem.syntax.types import FUNCREF, I64, Limits, TableType


def test_growth_respects_the_maximum_and_keeps_the_list() -> None:
    table = TableInstance(TableType(Limits(1, 3), FUNCREF), "init")
    elements = table.elements
    assert table.size == 1 and table.get(0) == "init"
    assert table.grow(2, "x") == 1
    assert table.elements is elements and elements == ["init", "x", "x"]
    assert table.grow(1, None) == -1 and table.size == 3
    assert table.grow(0, None) == 3
    assert table.grow(-1, None) == -1


def test_host_ceiling_and_address_type() -> None:
    assert TableInstance(TableType(Limits(0), FUNCREF), max_elements_cap=4).grow(5, None) == -1
    with pytest.raises(Trap) as caught:
        TableInstance(TableType(Limits(10), FUNCREF), max_elements_cap=4)
    assert caught.value.code is TrapCode.RESOURCE_EXHAUSTED
    wide = TableInstance(TableType(Limits(0), FUNCREF, I64), max_elements_cap=1 << 40)
    assert wide.grow(0, None) == 0


def test_out_of_bounds_access_is_a_trap_and_an_index_error() -> None:
    table = TableInstance(TableType(Limits(2), FUNCREF))
    table.set(1, "f")
    assert table.get(False) is None  # bool is an index, as comparison results are
    assert table.get(1) == "f"
    for index in (2, -1):
        with pytest.raises(TableOutOfBounds) as caught:
            table.get(index)
        assert isinstance(caught.value, IndexError)
        assert caught.value.code is TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS
        with pytest.raises(TableOutOfBounds):
            table.set(index, None)
    with pytest.raises(InvocationError, match="table index must be an integer"):
        table.get(1.0)  # type: ignore[arg-type]
    with pytest.raises(InvocationError, match="delta"):
        table.grow("1", None)  # type: ignore[arg-type]


def test_caps_govern_growth_of_every_holder() -> None:
    first, second = ResourceCaps(max_table_elements=5), ResourceCaps(max_table_elements=3)
    table = TableInstance(TableType(Limits(0), FUNCREF), caps=first)
    table.govern(second)
    table.govern(second)  # once only
    assert table.grow(3, None) == 0
    assert first.table_elements == second.table_elements == 3
    assert table.grow(1, None) == -1  # the second holder's cap
    del second
    gc.collect()
    assert table.grow(2, None) == 3  # a dead holder no longer counts
    assert first.table_elements == 5
    assert table.grow(1, None) == -1


def test_caps_admission_and_arguments() -> None:
    caps = ResourceCaps(max_memory_bytes=100, max_table_elements=10)
    caps.admit_memory(60, "memory 0")
    with pytest.raises(ResourceLimitError, match="max_memory_bytes=100"):
        caps.admit_memory(50, "memory 1")
    caps.admit_table(10, "table 0")
    with pytest.raises(ResourceLimitError, match="max_table_elements=10"):
        caps.admit_table(1, "table 1")
    assert "60/100" in repr(caps)
    with pytest.raises(InvocationError, match="must not be negative"):
        ResourceCaps(max_memory_bytes=-1)
    with pytest.raises(InvocationError, match="must be an integer"):
        ResourceCaps(max_table_elements=True)
    assert as_index(True, "x") == 1
    with pytest.raises(InvocationError, match="x must be an integer, not NoneType"):
        as_index(None, "x")
