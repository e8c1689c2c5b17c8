"""Tests for wasmem.binary.encode: canonical encoding and the round trip through the decoder."""

from __future__ import annotations

import pytest
from _binary_helpers import TYPE_VOID, block, code_entry, module, op, section, vec
from _binary_strategies import modules
from hypothesis import HealthCheck, given, settings

from wasmem.binary import decode_module, encode_module
from wasmem.syntax import (
    FUNCREF,
    I32,
    AbsHeapType,
    ActiveData,
    ActiveElement,
    CustomSection,
    DataSegment,
    DeclarativeElement,
    ElementSegment,
    Function,
    FuncType,
    Instruction,
    Limits,
    Memory,
    MemoryType,
    Module,
    Names,
    PassiveData,
    PassiveElement,
    RefType,
    Table,
    TableType,
)

FUNC_REF_NON_NULL = RefType(False, AbsHeapType.FUNC)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_round_trip_of_generated_modules(original: Module) -> None:
    encoded = encode_module(original)
    decoded = decode_module(encoded)
    assert decoded == original
    # The encoding is canonical: encoding the decoded module gives the same bytes.
    assert encode_module(decoded) == encoded
    assert [(c.name, c.data, c.after) for c in decoded.customs] == [
        (c.name, c.data, c.after) for c in original.customs]
    assert decoded.names == Names()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_names_round_trip_with_names_true(original: Module) -> None:
    decoded = decode_module(encode_module(original, names=True))
    assert decoded == original
    assert decoded.names == original.names


def _function_module(*body: Instruction, datas: tuple[DataSegment, ...] = (),
                     data_count: int | None = None) -> Module:
    return Module(types=(FuncType(),), functions=(Function(0, (), body),),
                  memories=(Memory(MemoryType(Limits(1))),), datas=datas,
                  data_count=data_count)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ((op("memory.init", 0, 0),), True),
        ((op("data.drop", 0),), True),
        ((block("block", None, op("data.drop", 0)),), True),
        ((op("memory.copy", 0, 0),), False),
        ((), False),
    ],
    ids=["memory.init", "data.drop", "nested data.drop", "memory.copy", "empty"],
)
def test_data_count_section_written_when_code_uses_data_indices(
        body: tuple[Instruction, ...], expected: bool) -> None:
    passive = DataSegment(b"ab", PassiveData())
    encoded = encode_module(_function_module(*body, datas=(passive,)))
    has_data_count = b"\x0c\x01\x01" in encoded
    assert has_data_count is expected
    assert decode_module(encoded).data_count == (1 if expected else None)


def test_data_count_section_kept_when_module_had_one() -> None:
    encoded = encode_module(_function_module(data_count=0))
    assert decode_module(encoded).data_count == 0


@pytest.mark.parametrize(
    ("segment", "flags"),
    [
        (ElementSegment(FUNC_REF_NON_NULL, ((op("ref.func", 3),),),
                        ActiveElement(0, (op("i32.const", 0),))), 0),
        (ElementSegment(FUNC_REF_NON_NULL, ((op("ref.func", 3),),), PassiveElement()), 1),
        (ElementSegment(FUNC_REF_NON_NULL, ((op("ref.func", 3),),),
                        ActiveElement(1, (op("i32.const", 0),))), 2),
        (ElementSegment(FUNC_REF_NON_NULL, ((op("ref.func", 3),),), DeclarativeElement()), 3),
        (ElementSegment(FUNCREF, ((op("ref.func", 3),),),
                        ActiveElement(0, (op("i32.const", 0),))), 4),
        (ElementSegment(FUNCREF, ((op("ref.null", AbsHeapType.FUNC),),), PassiveElement()), 5),
        (ElementSegment(FUNC_REF_NON_NULL, ((op("global.get", 0),),),
                        ActiveElement(0, (op("i32.const", 0),))), 6),
        (ElementSegment(RefType(True, AbsHeapType.EXTERN), (), DeclarativeElement()), 7),
    ],
    ids=[f"flags {n}" for n in range(8)],
)
def test_element_segment_forms(segment: ElementSegment, flags: int) -> None:
    encoded = encode_module(Module(elements=(segment,)))
    contents = encoded[8 + 2:]  # header, section id, one-byte size
    assert contents[:2] == bytes([1, flags])
    assert decode_module(encoded).elements == (segment,)


def test_data_segment_forms() -> None:
    datas = (
        DataSegment(b"a", ActiveData(0, (op("i32.const", 1),))),
        DataSegment(b"bc", PassiveData()),
        DataSegment(b"", ActiveData(2, (op("i64.const", 5),))),
    )
    encoded = encode_module(Module(datas=datas))
    assert encoded.endswith(section(11, vec(b"\x00\x41\x01\x0b\x01a", b"\x01\x02bc",
                                            b"\x02\x02\x42\x05\x0b\x00")))
    assert decode_module(encoded).datas == datas


def test_table_with_initialiser_uses_the_0x40_form() -> None:
    table = Table(TableType(Limits(1, 2), FUNC_REF_NON_NULL), (op("ref.func", 0),))
    encoded = encode_module(Module(tables=(table,)))
    assert section(4, vec(b"\x40\x00\x64\x70\x01\x01\x02\xd2\x00\x0b")) in encoded
    assert decode_module(encoded).tables == (table,)


def test_signed_immediates_are_written_as_signed_leb128() -> None:
    body = (op("i32.const", 0xFFFF_FFFF), op("i64.const", 0x8000_0000_0000_0000), op("drop"),
            op("drop"))
    encoded = encode_module(Module(types=(FuncType(),), functions=(Function(0, (), body),)))
    expected_body = b"\x41\x7f" + b"\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f" + b"\x1a\x1a\x0b"
    assert encoded.endswith(section(10, vec(code_entry(expected_body))))


def test_locals_are_grouped_by_runs() -> None:
    function = Function(0, (I32, I32, FUNCREF, I32), ())
    encoded = encode_module(Module(types=(FuncType(),), functions=(function,)))
    assert encoded == module(TYPE_VOID, section(3, vec(b"\x00")),
                             section(10, vec(code_entry(b"\x0b", b"\x03\x02\x7f\x01\x70\x01\x7f"))))
    assert decode_module(encoded).functions == (function,)


def test_custom_sections_are_written_in_place_and_name_sections_only_on_request() -> None:
    customs = (CustomSection("first", b"1", 0), CustomSection("after-type", b"2", 1),
               CustomSection("name", b"\x00\x02\x01m", 1), CustomSection("last", b"3", 11))
    original = Module(types=(FuncType(),), customs=customs, names=Names(module="n"))
    encoded = encode_module(original)
    decoded = decode_module(encoded)
    assert [c.name for c in decoded.customs] == ["first", "after-type", "last"]
    assert [c.after for c in decoded.customs] == [0, 1, 1]  # no data section: after type
    with_names = decode_module(encode_module(original, names=True))
    assert with_names.names == Names(module="n")
    assert [c.name for c in with_names.customs] == ["first", "after-type", "last", "name"]


@pytest.mark.parametrize(
    "bad",
    [
        Module(types=(FuncType(),), functions=(Function(0, (), (Instruction(0x06),)),)),
        Module(types=(FuncType(),), functions=(Function(0, (), (op("local.get"),)),)),
        Module(types=(FuncType(),), functions=(Function(0, (), (
            block("block", None, else_body=(op("nop"),)),)),)),
        Module(start=-1),
    ],
    ids=["unknown opcode", "missing immediate", "else on block", "negative index"],
)
def test_encoding_an_impossible_ast_raises_value_error(bad: Module) -> None:
    with pytest.raises(ValueError):
        encode_module(bad)


def test_deeply_nested_blocks_encode_without_recursion() -> None:
    depth = 100_000
    body: tuple[Instruction, ...] = (op("nop"),)
    for _ in range(depth):
        body = (block("block", None, *body),)
    encoded = encode_module(Module(types=(FuncType(),), functions=(Function(0, (), body),)))
    code_body = b"\x00" + b"\x02\x40" * depth + b"\x01" + b"\x0b" * (depth + 1)
    assert encoded.endswith(code_body)
