"""Tests for wasmem.binary.decode on hand-written binaries: sections, types, segments, code."""

from __future__ import annotations

import pytest
from _binary_helpers import (
    HEADER,
    TYPE_VOID,
    block,
    code_entry,
    func_module,
    module,
    name,
    op,
    s,
    section,
    u,
    vec,
)
from _binary_strategies import example_immediates

from wasmem.binary import decode_module, encode_module
from wasmem.binary.decode import MAX_LOCALS
from wasmem.errors import DecodeError, UnsupportedFeature
from wasmem.syntax import (
    EXTERNREF,
    F64,
    FUNCREF,
    I32,
    AbsHeapType,
    ActiveData,
    ActiveElement,
    Block,
    Catch,
    DeclarativeElement,
    ElementSegment,
    ExternKind,
    Function,
    FuncType,
    GlobalType,
    Instruction,
    Limits,
    MemoryType,
    Module,
    NumType,
    PassiveData,
    PassiveElement,
    RefType,
    TableType,
)
from wasmem.syntax.opcodes import OPCODES
from wasmem.syntax.types import V128

FUNC_REF_NON_NULL = RefType(False, AbsHeapType.FUNC)
MEMORY = section(5, vec(b"\x00\x01"))


def decode_error(data: bytes) -> DecodeError:
    with pytest.raises(DecodeError) as info:
        decode_module(data)
    return info.value


# ---------------------------------------------------------------------- header, sections
@pytest.mark.parametrize(
    ("data", "message", "offset"),
    [
        (b"", "unexpected end", 0),
        (b"\x00as", "unexpected end", 3),
        (b"\x00asm\x01\x00", "unexpected end", 6),
        (b"\x00ASM\x01\x00\x00\x00", "magic header not detected", 0),
        (b"\x00asm\x02\x00\x00\x00", "unknown binary version", 4),
        (b"\x00asm\x01\x00\x00\x00\x0e\x01\x00", "malformed section id", 8),
        (HEADER + b"\x01", "unexpected end of section or function", 9),
        (HEADER + b"\x01\x05\x00", "length out of bounds", 9),
        (HEADER + b"\x01\x02\x00\x00", "section size mismatch", 10),
        (module(section(2, b"\x00"), section(1, b"\x00")),
         "unexpected content after last section", 11),
        (module(section(6, b"\x00"), section(13, b"\x00")),
         "unexpected content after last section", 11),
        (module(section(10, b"\x00"), section(12, b"\x00")),
         "unexpected content after last section", 11),
        (module(section(1, b"\x00"), section(1, b"\x00")),
         "unexpected content after last section", 11),
    ],
    ids=["empty", "short magic", "short version", "upper-case magic", "version 2",
         "section id 14", "no section size", "section size too big", "section too long",
         "type after import", "tag after global", "data count after code", "two type sections"],
)
def test_header_and_section_errors(data: bytes, message: str, offset: int) -> None:
    error = decode_error(data)
    assert (error.message, error.offset) == (message, offset)


def test_sections_in_order_with_tags_between_memory_and_global() -> None:
    data = module(
        section(1, vec(b"\x60\x01\x7f\x00")),
        section(5, vec(b"\x00\x01")),
        section(13, vec(b"\x00\x00")),
        section(6, vec(b"\x7f\x00\x41\x05\x0b")),
        section(12, u(0)),
    )
    decoded = decode_module(data)
    assert decoded.tags[0].type_index == 0
    assert decoded.globals[0].type == GlobalType(I32, False)
    assert decoded.data_count == 0


def test_custom_sections_anywhere_and_where_they_were() -> None:
    custom = section(0, name("c"), b"payload")
    data = module(custom, TYPE_VOID, custom, section(3, vec(b"\x00")), custom,
                  section(10, vec(code_entry(b"\x0b"))), custom)
    decoded = decode_module(data)
    assert [(c.name, c.data, c.after) for c in decoded.customs] == [
        ("c", b"payload", 0), ("c", b"payload", 1), ("c", b"payload", 3), ("c", b"payload", 10)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (module(section(0, b"\x02\xff\xfe")), "malformed UTF-8 encoding"),
        (HEADER + b"\x00\x00\x00", "unexpected end of section or function"),
        (HEADER + b"\x00\x01\x05ab", "length out of bounds"),
    ],
    ids=["invalid utf-8 name", "name beyond section", "name beyond input"],
)
def test_malformed_custom_sections(data: bytes, message: str) -> None:
    assert decode_error(data).message == message


def test_function_and_code_counts_must_agree() -> None:
    data = module(TYPE_VOID, section(3, vec(b"\x00", b"\x00")),
                  section(10, vec(code_entry(b"\x0b"))))
    error = decode_error(data)
    assert error.message == "function and code section have inconsistent lengths"
    assert error.offset == len(data)


@pytest.mark.parametrize(
    ("body", "extra", "message"),
    [
        (b"\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b", (), "data count section required"),
        (b"\xfc\x09\x00\x0b", (), "data count section required"),
        (b"\x0b", (section(12, u(2)),), "data count and data section have inconsistent lengths"),
    ],
    ids=["memory.init", "data.drop", "count mismatch"],
)
def test_data_count_checks(body: bytes, extra: tuple[bytes, ...], message: str) -> None:
    data = func_module(body, MEMORY, *extra, after_code=(section(11, vec(b"\x01\x00")),))
    assert decode_error(data).message == message


def test_data_count_section_present_makes_memory_init_well_formed() -> None:
    body = b"\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\xfc\x09\x00\x0b"
    data = func_module(body, MEMORY, section(12, u(1)), after_code=(section(11, vec(b"\x01\x00")),))
    decoded = decode_module(data)
    assert decoded.data_count == 1
    assert decoded.functions[0].body[3] == op("memory.init", 0, 0)
    assert decoded.datas[0].mode == PassiveData()


# ---------------------------------------------------------------------- imports and types
def test_imports_of_every_kind() -> None:
    data = module(
        section(1, vec(b"\x60\x00\x00")),
        section(2, vec(
            name("m") + name("f") + b"\x00\x00",
            name("m") + name("t") + b"\x01\x63\x00\x05\x01\x02",
            name("m") + name("mem") + b"\x02\x04\x03",
            name("m") + name("g") + b"\x03\x64\x6f\x01",
            name("m") + name("e") + b"\x04\x00\x00",
        )),
    )
    imports = decode_module(data).imports
    assert [i.kind for i in imports] == list(ExternKind)
    assert imports[0].desc == 0
    assert imports[1].desc == TableType(Limits(1, 2), RefType(True, 0), NumType.I64)
    assert imports[2].desc == MemoryType(Limits(3), NumType.I64)
    assert imports[3].desc == GlobalType(RefType(False, AbsHeapType.EXTERN), True)
    assert imports[4].desc == 0
    assert [i.position for i in imports] == [17, 23, 33, 42, 50]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (b"\x05", "malformed import kind"),
        (b"\x80", "malformed import kind"),
        (b"\x03\x7f\x02", "malformed mutability"),
        (b"\x03\x05\x00", "malformed value type"),
        (b"\x03\x80\x00", "integer representation too long"),
        (b"\x01\x7f\x00\x00", "malformed reference type"),
        (b"\x01\x70\x02\x00", "malformed limits flags"),
        (b"\x01\x70\x08\x00", "malformed limits flags"),
        (b"\x02\x10\x00", "malformed limits flags"),
        (b"\x02\x08", "malformed limits flags"),
        (b"\x01\x63\x40\x00\x00", "malformed heap type"),
        (b"\x04\x01\x00", "zero byte expected"),
    ],
    ids=["kind 5", "kind 0x80", "mutability 2", "value type 5", "two-byte value type",
         "table of i32", "shared table", "table page size", "memory flag 0x10",
         "page size flag without page size", "heap type 0x40", "tag attribute"],
)
def test_malformed_import_descriptions(entry: bytes, message: str) -> None:
    data = module(section(2, vec(name("m") + name("x") + entry)))
    assert decode_error(data).message == message


@pytest.mark.parametrize(
    ("memory", "feature"),
    [(b"\x03\x01\x02", "threads"), (b"\x08\x01\x0c", "custom-page-sizes")],
    ids=["shared", "page size"],
)
def test_unsupported_memory_flags(memory: bytes, feature: str) -> None:
    with pytest.raises(UnsupportedFeature) as info:
        decode_module(module(section(5, vec(memory))), file="m.wasm")
    assert info.value.feature == feature
    assert info.value.file == "m.wasm"


def test_memory_limits_are_u64() -> None:
    data = module(section(5, vec(b"\x05" + u(2**40) + u(2**64 - 1), b"\x00\x00")))
    memories = decode_module(data).memories
    assert memories[0].type == MemoryType(Limits(2**40, 2**64 - 1), NumType.I64)
    assert memories[1].type == MemoryType(Limits(0))


@pytest.mark.parametrize(
    "entry",
    [b"\x5e\x78\x01", b"\x5f\x01\x7f\x00", b"\x4e\x01\x60\x00\x00", b"\x50\x00\x60\x00\x00",
     b"\x4f\x01\x00\x60\x00\x00"],
    ids=["array", "struct", "rec", "sub", "sub final"],
)
def test_gc_types_are_unsupported(entry: bytes) -> None:
    with pytest.raises(UnsupportedFeature) as info:
        decode_module(module(section(1, vec(entry))))
    assert info.value.feature == "gc"


def test_malformed_gc_type_is_still_malformed() -> None:
    assert decode_error(module(section(1, vec(b"\x5e\x78\x02")))).message == "malformed mutability"


def test_malformed_input_wins_over_unsupported_feature() -> None:
    data = module(section(1, vec(b"\x5e\x78\x01")), section(3, vec(b"\x00")))
    assert decode_error(data).message == "function and code section have inconsistent lengths"


def test_function_types_with_typed_references() -> None:
    entry = b"\x60\x03\x7f\x63\x00\x64\x6e\x02\x7b\x63\x80\x01"
    decoded = decode_module(module(section(1, vec(entry))))
    assert decoded.types == (FuncType(
        (I32, RefType(True, 0), RefType(False, AbsHeapType.ANY)), (V128, RefType(True, 128))),)


# ---------------------------------------------------------------------- elements and data
def _element_module(segment: bytes) -> bytes:
    return module(TYPE_VOID, section(3, vec(b"\x00")), section(4, vec(b"\x70\x00\x01")),
                  section(9, vec(segment)), section(10, vec(code_entry(b"\x0b"))))


OFFSET = (op("i32.const", 0),)


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        (b"\x00\x41\x00\x0b\x01\x00",
         ElementSegment(FUNC_REF_NON_NULL, ((op("ref.func", 0),),), ActiveElement(0, OFFSET))),
        (b"\x01\x00\x01\x00",
         ElementSegment(FUNC_REF_NON_NULL, ((op("ref.func", 0),),), PassiveElement())),
        (b"\x02\x00\x41\x00\x0b\x00\x01\x00",
         ElementSegment(FUNC_REF_NON_NULL, ((op("ref.func", 0),),), ActiveElement(0, OFFSET))),
        (b"\x03\x00\x01\x00",
         ElementSegment(FUNC_REF_NON_NULL, ((op("ref.func", 0),),), DeclarativeElement())),
        (b"\x04\x41\x00\x0b\x01\xd2\x00\x0b",
         ElementSegment(FUNCREF, ((op("ref.func", 0),),), ActiveElement(0, OFFSET))),
        (b"\x05\x70\x01\xd0\x70\x0b",
         ElementSegment(FUNCREF, ((op("ref.null", AbsHeapType.FUNC),),), PassiveElement())),
        (b"\x06\x00\x41\x00\x0b\x64\x70\x00",
         ElementSegment(FUNC_REF_NON_NULL, (), ActiveElement(0, OFFSET))),
        (b"\x07\x6f\x01\xd0\x6f\x0b",
         ElementSegment(EXTERNREF, ((op("ref.null", AbsHeapType.EXTERN),),),
                        DeclarativeElement())),
        (b"\x80\x00\x41\x00\x0b\x00",
         ElementSegment(FUNC_REF_NON_NULL, (), ActiveElement(0, OFFSET))),
    ],
    ids=[f"flags {n}" for n in range(8)] + ["two-byte flags"],
)
def test_element_segment_forms(segment: bytes, expected: ElementSegment) -> None:
    decoded = decode_module(_element_module(segment))
    assert decoded.elements == (expected,)
    assert decoded.elements[0].position == 27


@pytest.mark.parametrize(
    ("segment", "message"),
    [
        (b"\x08", "malformed elements segment kind"),
        (b"\x01\x01\x00", "malformed element kind"),
        (b"\x05\x7f\x00", "malformed reference type"),
        (b"\x05\x70\x01\xf3\x00\x0b", "illegal opcode f3"),
    ],
    ids=["flags 8", "element kind 1", "i32 elements", "bad opcode"],
)
def test_malformed_element_segments(segment: bytes, message: str) -> None:
    assert decode_error(_element_module(segment)).message == message


def test_data_segment_forms() -> None:
    data = module(MEMORY, section(11, vec(
        b"\x00\x41\x01\x0b\x02ab", b"\x01\x01c", b"\x02\x01\x42\x07\x0b\x00")))
    datas = decode_module(data).datas
    assert [d.data for d in datas] == [b"ab", b"c", b""]
    assert [d.mode for d in datas] == [
        ActiveData(0, (op("i32.const", 1),)), PassiveData(), ActiveData(1, (op("i64.const", 7),))]


def test_malformed_data_segment_kind() -> None:
    assert decode_error(module(section(11, vec(b"\x03")))).message == "malformed data segment kind"


def test_table_with_initialiser() -> None:
    data = module(section(4, vec(b"\x40\x00\x64\x70\x00\x01\xd2\x00\x0b", b"\x6f\x00\x00")))
    tables = decode_module(data).tables
    assert tables[0].type == TableType(Limits(1), FUNC_REF_NON_NULL)
    assert tables[0].init == (op("ref.func", 0),)
    assert tables[1].type == TableType(Limits(0), EXTERNREF) and tables[1].init is None


# ---------------------------------------------------------------------- code
def _body(data: bytes) -> tuple[object, ...]:
    return decode_module(data).functions[0].body


def test_structured_instructions_become_block_trees() -> None:
    body = (b"\x02\x40\x03\x7f\x41\x01\x0b\x1a\x0b"  # block (loop (result i32) i32.const 1) drop
            b"\x41\x00\x04\x00\x01\x05\x01\x01\x0b"  # if (type 0) nop else nop nop
            b"\x1f\x40\x02\x00\x00\x00\x02\x01\x0b"  # try_table (catch 0 0) (catch_all 1)
            b"\x0b")
    data = module(TYPE_VOID, section(3, vec(b"\x00")), section(13, vec(b"\x00\x00")),
                  section(10, vec(code_entry(body))))
    assert _body(data) == (
        block("block", None, block("loop", I32, op("i32.const", 1)), op("drop")),
        op("i32.const", 0),
        block("if", 0, op("nop"), else_body=(op("nop"), op("nop"))),
        block("try_table", None, catches=(Catch(0, 0, 0), Catch(2, None, 1))),
    )
    decoded = decode_module(data).functions[0]
    if_block = decoded.body[2]
    assert isinstance(if_block, Block)
    offset = len(data) - len(body)  # where the body starts (after the locals byte)
    assert if_block.position == offset + 11
    assert if_block.else_position == offset + 14
    assert if_block.end_position == offset + 17
    assert decoded.end_position == offset + len(body) - 1
    assert [i.position for i in if_block.else_body] == [offset + 15, offset + 16]


def test_block_types() -> None:
    body = b"\x02\x7c\x0b\x02\x63\x00\x0b\x02\x80\x01\x0b\x0b"
    assert [b.immediates for b in _body(func_module(body))] == [  # type: ignore[attr-defined]
        (F64,), (RefType(True, 0),), (128,)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\x02\x80\x7f\x0b\x0b", "integer representation too long"),
        (b"\x02\x45\x0b\x0b", "malformed value type"),
        (b"\x05\x0b", "END opcode expected"),
        (b"\x02\x40\x05\x0b\x0b", "END opcode expected"),
        (b"\x04\x40\x05\x05\x0b\x0b", "END opcode expected"),
        (b"\xff\x0b", "illegal opcode ff"),
        (b"\x06\x0b", "illegal opcode 06"),
        (b"\xfc\x12\x0b", "illegal opcode fc 12"),
        (b"\xfd\x80\x80\x04\x0b", "illegal opcode fd 10000"),
        (b"\x28\x80\x01\x00\x0b", "malformed memop flags"),
        (b"\x1f\x40\x01\x04\x00\x0b\x0b", "malformed catch clause"),
        (b"\xfb\x18\x04\x00\x70\x70\x0b", "malformed br_on_cast flags"),
        (b"\x0e\xff\xff\xff\xff\x0f\x0b", "length out of bounds"),
        (b"\x41\x80\x80\x80\x80\x80\x00\x0b", "integer representation too long"),
        (b"\x02\x40\x0b", "unexpected end of section or function"),
        (b"\x0b\x0b", "section size mismatch"),
    ],
    ids=["negative type index", "bad value type", "else at top", "else in block",
         "second else", "0xff", "legacy try", "unknown 0xfc", "huge sub-opcode",
         "memop flags", "catch kind 4", "br_on_cast flags", "br_table count",
         "long i32.const", "missing end", "end too early"],
)
def test_malformed_code(body: bytes, message: str) -> None:
    data = func_module(body)
    if message == "unexpected end of section or function":
        data = module(TYPE_VOID, section(3, vec(b"\x00")), b"\x0a\x06\x01\x04\x00" + body)
    assert decode_error(data).message == message


def test_atomics_are_unsupported() -> None:
    with pytest.raises(UnsupportedFeature) as info:
        decode_module(func_module(b"\xfe\x03\x00\x0b"))
    assert info.value.feature == "threads"


def test_memarg_with_memory_index_and_64_bit_offset() -> None:
    body = b"\x41\x00\x28\x42\x03" + u(2**64 - 1) + b"\x1a\x41\x00\x28\x02\x05\x1a\x0b"
    decoded = _body(func_module(body))
    assert decoded[1] == op("i32.load", 2, 2**64 - 1, 3)
    assert decoded[4] == op("i32.load", 2, 5, 0)


def test_constants_keep_bit_patterns() -> None:
    body = (b"\x41\x7f\x42" + s(-2) + b"\x43\x00\x00\xc0\xff\x44" + b"\x01" + b"\x00" * 5
            + b"\xf8\x7f" + b"\xfd\x0c" + bytes(range(16)) + b"\x0b")
    decoded = _body(func_module(body))
    assert decoded == (op("i32.const", 0xFFFFFFFF), op("i64.const", 2**64 - 2),
                       op("f32.const", 0xFFC00000), op("f64.const", 0x7FF8000000000001),
                       op("v128.const", int.from_bytes(bytes(range(16)), "little")))


def test_locals() -> None:
    data = func_module(b"\x0b", locals_=b"\x03\x02\x7f\x00\x7e\x01\x63\x00")
    assert decode_module(data).functions[0].locals == (I32, I32, RefType(True, 0))


@pytest.mark.parametrize(
    "locals_",
    [b"\x02\xff\xff\xff\xff\x0f\x7f\x01\x7e", b"\x01" + u(MAX_LOCALS + 1) + b"\x7f"],
    ids=["2**32", "implementation limit"],
)
def test_too_many_locals(locals_: bytes) -> None:
    error = decode_error(func_module(b"\x0b", locals_=locals_))
    assert error.message.startswith("too many locals")


@pytest.mark.parametrize("key", sorted(OPCODES), ids=[OPCODES[k].name for k in sorted(OPCODES)])
def test_every_opcode_round_trips(key: int) -> None:
    info = OPCODES[key]
    instructions: tuple[Instruction, ...]
    if info.name in ("block", "loop", "if", "try_table"):
        catches = (Catch(1, 3, 0), Catch(3, None, 2**32 - 1)) if info.name == "try_table" else None
        instructions = (block(info.name, I32, op("nop"), catches=catches),
                        block(info.name, 2**32 - 1, catches=catches))
    else:
        instructions = (Instruction(key, example_immediates(key, big=False)),
                        Instruction(key, example_immediates(key, big=True)))
    original = Module(types=(FuncType(),), functions=(Function(0, (), instructions),))
    encoded = encode_module(original)
    decoded = decode_module(encoded)
    assert decoded == original
    assert [i.opcode for i in decoded.functions[0].body] == [key, key]


def test_deeply_nested_blocks_do_not_recurse() -> None:
    depth = 100_000
    data = func_module(b"\x02\x40" * depth + b"\x0b" * depth + b"\x0b")
    decoded = decode_module(data)
    node = decoded.functions[0].body[0]
    levels = 1
    while isinstance(node, Block) and node.body:
        node = node.body[0]
        levels += 1
    assert levels == depth
    assert encode_module(decoded) == data


def test_huge_declared_counts_are_rejected_before_allocating() -> None:
    for section_id in (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13):
        data = module(bytes([section_id]) + b"\x05\xff\xff\xff\xff\x0f")
        assert decode_error(data).message == "length out of bounds"


# ---------------------------------------------------------------------- names
def _name_section(*subsections: bytes) -> bytes:
    return section(0, name("name"), *subsections)


def test_name_section_fills_names() -> None:
    names = _name_section(
        section(0, name("mod")),
        section(1, vec(u(0) + name("f"))),
        section(2, vec(u(0) + vec(u(0) + name("x"), u(1) + name("y")))),
        section(3, vec(u(0) + vec(u(0) + name("label")))),
        section(4, vec(u(0) + name("t"))),
        section(7, vec(u(2) + name("g"))),
    )
    decoded = decode_module(func_module(b"\x0b", after_code=(names,)))
    assert decoded.names.module == "mod"
    assert decoded.names.functions == {0: "f"}
    assert decoded.names.locals == {0: {0: "x", 1: "y"}}
    assert decoded.names.types == {0: "t"}
    assert decoded.names.globals == {2: "g"}
    assert decoded.function_name(0) == "$f"


@pytest.mark.parametrize(
    "names",
    [
        _name_section(section(1, vec(u(0) + name(b"\xff")))),
        _name_section(section(1, b"\x05")),
        _name_section(section(1, vec()), section(0, name("late"))),
        _name_section(b"\x01\x09\x00"),
    ],
    ids=["bad utf-8", "count too big", "out of order", "subsection beyond section"],
)
def test_malformed_name_section_is_ignored(names: bytes) -> None:
    decoded = decode_module(func_module(b"\x0b", after_code=(names,)))
    assert decoded.names.functions == {} and decoded.names.module is None
    assert decoded.customs[0].name == "name"


# ---------------------------------------------------------------------- errors
def test_errors_carry_file_and_offset() -> None:
    with pytest.raises(DecodeError) as info:
        decode_module(b"\x00asm\x01\x00\x00\x00\x0e", file="bad.wasm")
    assert info.value.file == "bad.wasm"
    assert str(info.value) == "bad.wasm:@0x8: malformed section id"


def test_positions_of_fields() -> None:
    data = module(TYPE_VOID, section(3, vec(b"\x00")), section(7, vec(name("f") + b"\x00\x00")),
                  section(8, u(0)), section(10, vec(code_entry(b"\x01\x0b"))))
    decoded = decode_module(data, file="f.wasm")
    assert decoded.exports[0].position == data.index(name("f") + b"\x00\x00")
    assert decoded.start == 0 and decoded.start_position == data.index(b"\x08\x01\x00") + 2
    assert decoded.functions[0].position == len(data) - 4
    assert decoded.functions[0].body[0].position == len(data) - 2
    assert decoded.source == "f.wasm"


def test_accepts_bytearray_and_memoryview() -> None:
    data = func_module(b"\x0b")
    assert decode_module(bytearray(data)) == decode_module(memoryview(data))
