"""Closed types and import matching (wasmem.runtime.types), as the linker uses them."""

from __future__ import annotations

import pytest

from wasmem.runtime.types import (
    TypeCloser,
    func_subtype,
    global_type_match,
    heap_subtype,
    limits_match,
    memory_type_match,
    table_type_match,
    value_subtype,
)
from wasmem.syntax import (
    FUNCREF,
    I32,
    I64,
    AbsHeapType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RefType,
    TableType,
)

A = AbsHeapType


def ref(heap: object, nullable: bool = True) -> RefType:
    return RefType(nullable, heap)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("actual", "expected", "verdict"),
    [
        (Limits(1), Limits(1), True),
        (Limits(2), Limits(1), True),
        (Limits(0), Limits(1), False),
        (Limits(1, 5), Limits(1, 5), True),
        (Limits(1, 4), Limits(1, 5), True),
        (Limits(1, 6), Limits(1, 5), False),
        (Limits(1), Limits(1, 5), False),
        (Limits(1, 5), Limits(1), True),
    ],
)
def test_limits_matching(actual: Limits, expected: Limits, verdict: bool) -> None:
    assert limits_match(actual, expected) is verdict


def test_closing_makes_equivalent_types_of_two_modules_equal() -> None:
    provider = TypeCloser([FuncType((I32,), ()), FuncType()])
    importer = TypeCloser([FuncType(), FuncType((I32,), ())])
    assert func_subtype(provider.function(0), importer.function(1))
    assert not func_subtype(provider.function(0), importer.function(0))
    # equal closed types are interned: one object
    assert provider.function(1) is importer.function(0)


def test_closing_replaces_indices_inside_references() -> None:
    one = TypeCloser([FuncType((I32,), (I32,)), FuncType((ref(0, False),), ())])
    two = TypeCloser([FuncType(), FuncType((I32,), (I32,)), FuncType((ref(1, False),), ())])
    assert one.function(1) == two.function(2)
    assert one.value(ref(0)) == two.value(ref(1))
    assert one.heap(0) == two.heap(1)
    assert one.heap(A.FUNC) is A.FUNC
    other = TypeCloser([FuncType((I64,), (I32,)), FuncType((ref(0, False),), ())])
    assert one.function(1) != other.function(1)


def test_closing_a_self_referencing_type_terminates() -> None:
    closer = TypeCloser([FuncType((ref(0),), ())])
    closed = closer.function(0)
    assert closed == TypeCloser([FuncType((ref(0),), ())]).function(0)
    assert closed != FuncType((FUNCREF,), ())


def test_reference_subtyping() -> None:
    closed = TypeCloser([FuncType()]).function(0)
    assert heap_subtype(closed, A.FUNC)
    assert not heap_subtype(A.FUNC, closed)
    assert heap_subtype(A.NOFUNC, closed)
    assert heap_subtype(A.NOEXTERN, A.EXTERN)
    assert not heap_subtype(A.EXTERN, A.FUNC)
    assert value_subtype(ref(A.FUNC, False), FUNCREF)
    assert not value_subtype(FUNCREF, ref(A.FUNC, False))
    assert not value_subtype(I32, I64)


def test_extern_matching_on_closed_types() -> None:
    provider = TypeCloser([FuncType((I32,), ()), FuncType()])
    importer = TypeCloser([FuncType(), FuncType((I32,), ())])
    # globals: immutable are covariant, mutable invariant
    nonnull = GlobalType(ref(A.FUNC, False))
    assert global_type_match(provider.extern(nonnull), importer.extern(GlobalType(FUNCREF)))
    assert not global_type_match(GlobalType(FUNCREF), nonnull)
    assert not global_type_match(GlobalType(ref(A.FUNC, False), True), GlobalType(FUNCREF, True))
    assert not global_type_match(GlobalType(I32, True), GlobalType(I32))
    typed = GlobalType(ref(0), True)
    assert global_type_match(provider.extern(typed),
                             importer.extern(GlobalType(ref(1), True)))
    assert not global_type_match(provider.extern(typed),
                                 importer.extern(GlobalType(ref(0), True)))
    # tables: element types must be equivalent, address types equal
    table = TableType(Limits(2, 3), FUNCREF)
    assert table_type_match(table, TableType(Limits(1), FUNCREF))
    assert not table_type_match(TableType(Limits(2), ref(A.FUNC, False)),
                                TableType(Limits(1), FUNCREF))
    assert not table_type_match(table, TableType(Limits(1), FUNCREF, I64))
    assert not table_type_match(TableType(Limits(0), FUNCREF), TableType(Limits(1), FUNCREF))
    # memories: address types must agree, limits match
    assert memory_type_match(MemoryType(Limits(1, 2)), MemoryType(Limits(1)))
    assert not memory_type_match(MemoryType(Limits(1)), MemoryType(Limits(1), I64))
    assert not memory_type_match(MemoryType(Limits(1)), MemoryType(Limits(1, 2)))


def test_instances_of_one_module_share_its_closed_types() -> None:
    import wasmem
    module = wasmem.Module('(module (type (func (param i32))) (func (type 0)) '
                           '(table 1 funcref))', cache_dir=False)
    first = wasmem.Instance(module)._instance
    second = wasmem.Instance(module)._instance
    assert first.closer is second.closer
    assert first.type_key(0) is second.type_key(0)
