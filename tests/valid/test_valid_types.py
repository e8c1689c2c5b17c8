"""Unit tests for type validity and subtyping (wasmem.valid.types).

Import matching is tested with the linker's code, in tests/runtime/test_runtime_types.py.
"""

from __future__ import annotations

import pytest

from wasmem.errors import UnsupportedFeature, ValidationError
from wasmem.syntax import (
    EXNREF,
    EXTERNREF,
    F32,
    FUNCREF,
    I32,
    I64,
    V128,
    AbsHeapType,
    FuncType,
    Limits,
    MemoryType,
    RefType,
    TableType,
)
from wasmem.valid.types import (
    BOT,
    BOT_HEAP,
    TypeContext,
    check_memory_type,
    check_table_type,
    check_types,
    is_defaultable,
    match_heap_type,
    match_val_type,
)

A = AbsHeapType
EMPTY = TypeContext([])


def ref(heap: object, nullable: bool = True) -> RefType:
    return RefType(nullable, heap)  # type: ignore[arg-type]


HEAP_SUBTYPES = [
    (A.NOFUNC, A.FUNC, True),
    (A.FUNC, A.NOFUNC, False),
    (A.NOEXTERN, A.EXTERN, True),
    (A.EXTERN, A.NOEXTERN, False),
    (A.NOEXN, A.EXN, True),
    (A.EXN, A.NOEXN, False),
    (A.FUNC, A.EXTERN, False),
    (A.EXTERN, A.FUNC, False),
    (A.NOFUNC, A.EXTERN, False),
    (A.NOEXTERN, A.FUNC, False),
    (A.NONE, A.ANY, True),
    (A.NONE, A.EQ, True),
    (A.I31, A.EQ, True),
    (A.STRUCT, A.ANY, True),
    (A.ANY, A.EQ, False),
    (A.NONE, A.FUNC, False),
    (A.FUNC, A.ANY, False),
    (A.EXN, A.EXN, True),
]


@pytest.mark.parametrize(("actual", "expected", "verdict"), HEAP_SUBTYPES,
                         ids=[f"{a}<:{e}" for a, e, _ in HEAP_SUBTYPES])
def test_abstract_heap_subtyping(actual: A, expected: A, verdict: bool) -> None:
    assert match_heap_type(actual, expected, EMPTY) is verdict


def test_type_index_heap_subtyping() -> None:
    context = TypeContext([FuncType(), FuncType((I32,), ()), FuncType()])
    assert match_heap_type(0, A.FUNC, context)
    assert not match_heap_type(A.FUNC, 0, context)
    assert match_heap_type(A.NOFUNC, 1, context)
    assert not match_heap_type(0, A.EXTERN, context)
    assert not match_heap_type(A.NOEXTERN, 0, context)
    assert not match_heap_type(0, 1, context)
    assert match_heap_type(0, 2, context), "structurally equal types are equivalent"
    assert match_heap_type(BOT_HEAP, 1, context)


def test_value_subtyping_nullability() -> None:
    context = TypeContext([FuncType()])
    assert match_val_type(ref(A.FUNC, False), FUNCREF, context)
    assert not match_val_type(FUNCREF, ref(A.FUNC, False), context)
    assert match_val_type(ref(0, False), ref(A.FUNC, False), context)
    assert match_val_type(ref(0, True), FUNCREF, context)
    assert not match_val_type(ref(0, True), ref(0, False), context)
    assert match_val_type(ref(A.NOFUNC), ref(0), context)
    assert not match_val_type(ref(A.NOFUNC), ref(0, False), context)
    assert not match_val_type(I32, I64, context)
    assert not match_val_type(I32, FUNCREF, context)
    assert not match_val_type(V128, I32, context)
    for t in (I32, F32, V128, FUNCREF, EXTERNREF, EXNREF):
        assert match_val_type(BOT, t, context)
        assert match_val_type(t, t, context)


def test_equivalence_is_structural_through_indices() -> None:
    # type 1 and type 3 both take a (ref null <[] -> []>); 0 and 2 are both [] -> [].
    types = [FuncType(), FuncType((ref(0),), ()), FuncType(), FuncType((ref(2),), ()),
             FuncType((ref(1),), ())]
    context = TypeContext(types)
    assert context.canonical[0] == context.canonical[2]
    assert context.canonical[1] == context.canonical[3]
    assert context.canonical[1] != context.canonical[4]


def test_equivalence_across_modules_and_recursion() -> None:
    first = TypeContext([FuncType((I32,), ()), FuncType((ref(1),), (ref(0),))])
    second = TypeContext([FuncType(), FuncType(), FuncType((I32,), ()),
                          FuncType((ref(3),), (ref(2),))])
    assert first.same(1, second, 3), "self-recursive types in different positions are equal"
    assert not first.same(0, second, 0)
    assert first.same(0, second, 2)
    assert not first.same(5, second, 0), "an out-of-range index matches nothing"


def test_check_types_forward_reference() -> None:
    check_types([FuncType((ref(0),), ())])  # a type may refer to itself
    with pytest.raises(ValidationError, match=r"^unknown type 1"):
        check_types([FuncType((ref(1),), ()), FuncType()])


@pytest.mark.parametrize(
    ("memory_type", "message"),
    [
        (MemoryType(Limits(65537)), "memory size must be at most 65536 pages (4GiB)"),
        (MemoryType(Limits(0, 65537)), "memory size must be at most 65536 pages (4GiB)"),
        (MemoryType(Limits(2, 1)), "size minimum must not be greater than maximum"),
        (MemoryType(Limits((1 << 48) + 1), I64), "memory size must be at most 2^48 pages"),
        (MemoryType(Limits(65537), I64), None),
        (MemoryType(Limits(0, 65536)), None),
    ],
    ids=["min-too-big", "max-too-big", "min>max", "64-too-big", "64-ok", "max-ok"],
)
def test_memory_limits(memory_type: MemoryType, message: str | None) -> None:
    if message is None:
        check_memory_type(memory_type)
    else:
        with pytest.raises(ValidationError) as info:
            check_memory_type(memory_type)
        assert info.value.message.startswith(message)


def test_memory_unsupported_features() -> None:
    with pytest.raises(UnsupportedFeature) as info:
        check_memory_type(MemoryType(Limits(1, 1), shared=True))
    assert info.value.feature == "threads"
    with pytest.raises(UnsupportedFeature) as info:
        check_memory_type(MemoryType(Limits(1), page_size_log2=0))
    assert info.value.feature == "custom-page-sizes"


def test_table_limits() -> None:
    check_table_type(TableType(Limits((1 << 32) - 1), FUNCREF), 0)
    with pytest.raises(ValidationError, match=r"^table size"):
        check_table_type(TableType(Limits(1 << 32), FUNCREF), 0)
    check_table_type(TableType(Limits(1 << 32), FUNCREF, I64), 0)
    with pytest.raises(ValidationError, match=r"^unknown type 0"):
        check_table_type(TableType(Limits(0), ref(0)), 0)


def test_defaultable() -> None:
    assert is_defaultable(I32)
    assert is_defaultable(FUNCREF)
    assert not is_defaultable(ref(A.FUNC, False))
