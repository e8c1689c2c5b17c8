"""Decoding of binary modules (spec "Binary Format / Modules"): one function per section.

:func:`decode_module` turns the bytes of a ``.wasm`` file into the module AST of
:mod:`wasmem.syntax.module`. The section readers follow the order of the spec's
grammar; sections are read from the whole input and their sizes checked afterwards, as
the reference interpreter does, so malformed inputs give the messages the spec tests
expect.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

from ..errors import DecodeError, UnsupportedFeature
from ..syntax.instructions import Expr, Instruction
from ..syntax.module import (
    ActiveData,
    ActiveElement,
    CustomSection,
    DataSegment,
    DeclarativeElement,
    ElementMode,
    ElementSegment,
    Export,
    Function,
    Global,
    Import,
    ImportDesc,
    Memory,
    Module,
    Names,
    PassiveData,
    PassiveElement,
    Table,
    Tag,
)
from ..syntax.opcodes import Op
from ..syntax.types import FUNCREF, AbsHeapType, ExternKind, FuncType, RefType, ValType
from .decode_code import read_expression
from .encoded import EncodedFunction
from .decode_types import (
    DecodeContext,
    read_defined_types,
    read_global_type,
    read_memory_type,
    read_ref_type,
    read_table_type,
    read_tag_type,
    read_value_type,
)
from .reader import UNEXPECTED_END, Reader
from ..syntax.building import without_collector
from ..syntax.limits import (
    MAX_DATA_SEGMENTS,
    MAX_ELEMENT_SEGMENTS,
    MAX_EXPORTS,
    MAX_FUNCTION_SIZE,
    MAX_FUNCTIONS,
    MAX_GLOBALS,
    MAX_IMPORTS,
    MAX_LOCALS,
    MAX_MEMORIES,
    MAX_MODULE_SIZE,
    MAX_SEGMENT_ELEMENTS,
    MAX_TABLES,
    MAX_TAGS,
    MAX_TYPES,
    limit_message,
)

__all__ = ["MAGIC", "MAX_LOCALS", "SECTION_ORDER", "VERSION", "decode_module"]

MAGIC = b"\x00asm"
VERSION = b"\x01\x00\x00\x00"

SECTION_ORDER = (1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11)
"""Non-custom section ids in the order they must appear (tags between memory and global,
data count before code)."""
_RANK = {section_id: rank for rank, section_id in enumerate(SECTION_ORDER, start=1)}


_FUNC_REF_NON_NULL = RefType(False, AbsHeapType.FUNC)


class _Sections:
    """What the section readers collect before the module is assembled."""

    def __init__(self, lazy_bodies: bool = False) -> None:
        self.lazy_bodies = lazy_bodies
        self.types: list[FuncType] = []
        self.imports: list[Import] = []
        self.function_types: list[tuple[int, int]] = []  # (type index, position)
        self.tables: list[Table] = []
        self.memories: list[Memory] = []
        self.tags: list[Tag] = []
        self.globals: list[Global] = []
        self.exports: list[Export] = []
        self.start: int | None = None
        self.start_position: int | None = None
        self.elements: list[ElementSegment] = []
        self.data_count: int | None = None
        self.codes: list[tuple[tuple[ValType, ...], Any, int, int]] = []
        self.datas: list[DataSegment] = []
        self.customs: list[CustomSection] = []
        self.names: Names | None = None
        self.code_uses_data_index = False


# ---------------------------------------------------------------------- sections
def _type_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Type section (id 1): ``vec(rectype)``."""
    for _ in range(reader.count(MAX_TYPES, "types")):
        sections.types.extend(read_defined_types(reader, context))
    if len(sections.types) > MAX_TYPES:
        raise reader.error(limit_message("types", len(sections.types), MAX_TYPES), reader.pos)


_EXTERN_KINDS = tuple(sorted(ExternKind))  # (by code: ``ExternKind(kind)`` without the
# enum's call, two Python functions per import)


def _import_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Import section (id 2): ``vec(import)``."""
    for _ in range(reader.count(MAX_IMPORTS, "imports")):
        position = reader.pos
        module_name = reader.name()
        item_name = reader.name()
        kind_offset = reader.pos
        kind = reader.byte()
        desc: ImportDesc
        if kind == ExternKind.FUNC:
            desc = reader.u32()
        elif kind == ExternKind.TABLE:
            desc = read_table_type(reader)
        elif kind == ExternKind.MEMORY:
            desc = read_memory_type(reader, context)
        elif kind == ExternKind.GLOBAL:
            desc = read_global_type(reader)
        elif kind == ExternKind.TAG:
            desc = read_tag_type(reader)
        else:
            raise reader.error("malformed import kind", kind_offset)
        sections.imports.append(
            Import(module_name, item_name, _EXTERN_KINDS[kind], desc, position))


def _function_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Function section (id 3): ``vec(typeidx)``."""
    for _ in range(reader.count(MAX_FUNCTIONS, "functions")):
        position = reader.pos
        sections.function_types.append((reader.u32(), position))


def _table_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Table section (id 4): ``vec(table)``; ``0x40 0x00`` starts a table with an initialiser."""
    data = reader.data
    for _ in range(reader.count(MAX_TABLES, "tables")):
        position = reader.pos
        if data[position:position + 2] == b"\x40\x00":
            reader.pos += 2
            table_type = read_table_type(reader)
            init, _ = read_expression(reader, context)
            sections.tables.append(Table(table_type, init, position))
        else:
            sections.tables.append(Table(read_table_type(reader), None, position))


def _memory_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Memory section (id 5): ``vec(memtype)``."""
    for _ in range(reader.count(MAX_MEMORIES, "memories")):
        position = reader.pos
        sections.memories.append(Memory(read_memory_type(reader, context), position))


def _tag_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Tag section (id 13): ``vec(tagtype)``."""
    for _ in range(reader.count(MAX_TAGS, "tags")):
        position = reader.pos
        sections.tags.append(Tag(read_tag_type(reader), position))


def _global_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Global section (id 6): ``vec(globaltype expr)``."""
    for _ in range(reader.count(MAX_GLOBALS, "globals")):
        position = reader.pos
        global_type = read_global_type(reader)
        init, _ = read_expression(reader, context)
        sections.globals.append(Global(global_type, init, position))


def _export_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Export section (id 7): ``vec(name externidx)``."""
    for _ in range(reader.count(MAX_EXPORTS, "exports")):
        position = reader.pos
        name = reader.name()
        kind_offset = reader.pos
        kind = reader.byte()
        if kind > ExternKind.TAG:
            raise reader.error("malformed export kind", kind_offset)
        sections.exports.append(Export(name, ExternKind(kind), reader.u32(), position))


def _start_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Start section (id 8): one function index."""
    sections.start_position = reader.pos
    sections.start = reader.u32()


def _function_indices(reader: Reader) -> tuple[Expr, ...]:
    """Read ``vec(funcidx)`` as ``ref.func`` expressions."""
    inits = []
    for _ in range(reader.count(MAX_SEGMENT_ELEMENTS, "elements in a segment")):
        position = reader.pos
        inits.append((Instruction(Op.REF_FUNC, (reader.u32(),), position),))
    return tuple(inits)


def _element_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Element section (id 9): segments in the eight forms selected by flags 0-7.

    Bit 0: passive or declarative (else active); bit 1: declarative (when bit 0) or an
    explicit table index (when active); bit 2: expressions and a reference type (else
    function indices and an element kind).
    """
    for _ in range(reader.count(MAX_ELEMENT_SEGMENTS, "element segments")):
        position = reader.pos
        flags = reader.u32()
        if flags > 7:
            raise reader.error("malformed elements segment kind", position)
        mode: ElementMode
        if flags & 0x01:
            mode = DeclarativeElement() if flags & 0x02 else PassiveElement()
        else:
            table_index = reader.u32() if flags & 0x02 else 0
            offset, _ = read_expression(reader, context)
            mode = ActiveElement(table_index, offset)
        element_type: RefType
        if flags & 0x04:
            element_type = FUNCREF if flags == 4 else read_ref_type(reader)
            count = reader.count(MAX_SEGMENT_ELEMENTS, "elements in a segment")
            inits = tuple(read_expression(reader, context)[0] for _ in range(count))
        else:
            if flags != 0:
                reader.expect(0x00, "malformed element kind")
            element_type = _FUNC_REF_NON_NULL
            inits = _function_indices(reader)
        sections.elements.append(ElementSegment(element_type, inits, mode, position))


def _data_count_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Data count section (id 12): one u32."""
    start = reader.pos
    sections.data_count = reader.u32()
    if sections.data_count > MAX_DATA_SEGMENTS:
        raise reader.error(
            limit_message("data segments", sections.data_count, MAX_DATA_SEGMENTS), start)


def _read_locals(reader: Reader) -> tuple[ValType, ...]:
    """Read ``vec(locals)`` and expand it, checking the total count."""
    start = reader.pos
    groups: list[tuple[int, ValType]] = []
    total = 0
    for _ in range(reader.length()):
        count = reader.u32()
        groups.append((count, read_value_type(reader)))
        total += count
    if total >= 1 << 32:
        raise reader.error("too many locals", start)
    if total > MAX_LOCALS:
        raise reader.error(limit_message("locals", total, MAX_LOCALS), start)
    if len(groups) == 1:
        count, value_type = groups[0]
        return (value_type,) * count
    expanded: list[ValType] = []
    for count, value_type in groups:
        expanded.extend(repeat(value_type, count))
    return tuple(expanded)


def _code_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Code section (id 10): ``vec(code)``, each a size, locals and the body expression.

    With ``sections.lazy_bodies`` the body is not decoded: its byte range is kept (as a
    ``(data, start, end)`` triple in place of the instructions) for an
    :class:`~wasmem.binary.encoded.EncodedFunction`.
    """
    context.uses_data_index = False
    lazy = sections.lazy_bodies
    for _ in range(reader.count(MAX_FUNCTIONS, "functions")):
        position = reader.pos
        size = reader.count(MAX_FUNCTION_SIZE, "function body size")
        body_start = reader.pos
        body_end = body_start + size
        if body_end > reader.end:
            raise reader.unexpected_end()
        local_types = _read_locals(reader)
        if lazy:
            if reader.pos >= body_end:
                raise reader.error("section size mismatch", body_start)
            sections.codes.append(
                (local_types, (reader.data, reader.pos, body_end), position, body_end - 1))
            reader.pos = body_end
            continue
        body, end_position = read_expression(reader, context)
        if reader.pos != body_end:
            raise reader.error("section size mismatch", body_start)
        sections.codes.append((local_types, body, position, end_position))
    sections.code_uses_data_index = context.uses_data_index


def _data_section(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    """Data section (id 11): segments in the forms 0 (active, memory 0), 1 (passive), 2 (active)."""
    for _ in range(reader.count(MAX_DATA_SEGMENTS, "data segments")):
        position = reader.pos
        flags = reader.u32()
        if flags == 1:
            sections.datas.append(DataSegment(reader.byte_vector(), PassiveData(), position))
            continue
        if flags == 0:
            memory_index = 0
        elif flags == 2:
            memory_index = reader.u32()
        else:
            raise reader.error("malformed data segment kind", position)
        offset, _ = read_expression(reader, context)
        sections.datas.append(
            DataSegment(reader.byte_vector(), ActiveData(memory_index, offset), position))


def _custom_section(reader: Reader, sections: _Sections, size: int, after: int) -> None:
    """Custom section (id 0): a name and raw bytes; the ``name`` section fills the names."""
    content_end = reader.pos + size
    name = reader.name()
    if reader.pos > content_end:
        raise DecodeError(UNEXPECTED_END, offset=reader.end)
    payload = reader.read(content_end - reader.pos)
    sections.customs.append(CustomSection(name, payload, after))
    if name == "name" and sections.names is None:
        from .names import decode_names  # (imported for a name section only: with
        # it the encoder's writer, which a module without one never needs)
        sections.names = decode_names(payload)


_SECTION_READERS = {
    1: _type_section,
    2: _import_section,
    3: _function_section,
    4: _table_section,
    5: _memory_section,
    6: _global_section,
    7: _export_section,
    8: _start_section,
    9: _element_section,
    10: _code_section,
    11: _data_section,
    12: _data_count_section,
    13: _tag_section,
}


# ---------------------------------------------------------------------- module
def _read_header(data: bytes) -> None:
    if len(data) < 4:
        raise DecodeError("unexpected end", offset=len(data))
    if data[:4] != MAGIC:
        raise DecodeError("magic header not detected", offset=0)
    if len(data) < 8:
        raise DecodeError("unexpected end", offset=len(data))
    if data[4:8] != VERSION:
        raise DecodeError("unknown binary version", offset=4)


def _read_sections(reader: Reader, sections: _Sections, context: DecodeContext) -> None:
    data = reader.data
    last_rank = 0
    last_id = 0
    while reader.pos < reader.end:
        start = reader.pos
        section_id = data[start]
        if section_id > 13:
            raise reader.error("malformed section id", start)
        reader.pos = start + 1
        if section_id != 0:
            rank = _RANK[section_id]
            if rank <= last_rank:
                raise reader.error("unexpected content after last section", start)
            last_rank = rank
        size = reader.length()
        content_start = reader.pos
        if section_id == 0:
            _custom_section(reader, sections, size, last_id)
        else:
            _SECTION_READERS[section_id](reader, sections, context)
            last_id = section_id
        if reader.pos != content_start + size:
            raise reader.error("section size mismatch", content_start)


def _assemble(sections: _Sections, end: int, file: str | None) -> Module:
    if len(sections.function_types) != len(sections.codes):
        raise DecodeError("function and code section have inconsistent lengths", offset=end)
    if sections.data_count is not None and sections.data_count != len(sections.datas):
        raise DecodeError(
            "data count and data section have inconsistent lengths", offset=end)
    if sections.data_count is None and sections.code_uses_data_index:
        raise DecodeError("data count section required", offset=end)
    functions: tuple[Function, ...]
    if sections.lazy_bodies:
        functions = tuple(
            EncodedFunction(type_index, local_types, encoded, position)
            for (type_index, _), (local_types, encoded, position, _)
            in zip(sections.function_types, sections.codes)
        )
    else:
        functions = tuple(
            Function(type_index, local_types, body, position, end_position)
            for (type_index, _), (local_types, body, position, end_position)
            in zip(sections.function_types, sections.codes)
        )
    return Module(
        types=tuple(sections.types),
        imports=tuple(sections.imports),
        functions=functions,
        tables=tuple(sections.tables),
        memories=tuple(sections.memories),
        globals=tuple(sections.globals),
        exports=tuple(sections.exports),
        start=sections.start,
        elements=tuple(sections.elements),
        datas=tuple(sections.datas),
        tags=tuple(sections.tags),
        data_count=sections.data_count,
        customs=tuple(sections.customs),
        names=sections.names if sections.names is not None else Names(),
        source=file,
        start_position=sections.start_position,
    )


@without_collector
def decode_module(data: bytes | bytearray | memoryview, *, file: str | None = None,
                  lazy_bodies: bool = False) -> Module:
    """Decode a binary module (spec "Binary Format / Modules").

    Returns the :class:`~wasmem.syntax.module.Module`, with byte offsets as positions,
    custom sections in ``customs`` and the ``name`` section's contents in ``names`` (a
    malformed name section is ignored).

    With ``lazy_bodies`` function bodies are not decoded: the functions are
    :class:`~wasmem.binary.encoded.EncodedFunction` objects that decode on first use, and
    malformed bodies (and a missing data count section) go unnoticed here. Use it only
    through :func:`wasmem.load.load_binary`, which validates those bodies from their
    bytes and falls back to a full decode for the exact error.

    Raises:
        DecodeError: for any malformed input, with the byte ``offset`` of the problem and
            the message the spec tests use ("magic header not detected", "unexpected end",
            "section size mismatch", "integer too large", ...).
        UnsupportedFeature: for a well-formed module using GC types ("gc"), shared memories
            or atomics ("threads") or custom page sizes ("custom-page-sizes").
    """
    if len(data) > MAX_MODULE_SIZE:
        raise DecodeError(limit_message("module size", len(data), MAX_MODULE_SIZE), file=file)
    raw = bytes(data)
    context = DecodeContext()
    sections = _Sections(lazy_bodies)
    try:
        _read_header(raw)
        reader = Reader(raw, 8)
        _read_sections(reader, sections, context)
        module = _assemble(sections, len(raw), file)
    except (DecodeError, UnsupportedFeature) as error:
        if error.file is None:
            error.file = file
        raise
    except (IndexError, KeyError, ValueError, TypeError, OverflowError, RecursionError,
            MemoryError) as error:  # pragma: no cover - a bug; never let it escape raw
        raise DecodeError(f"internal decoder error: {error!r}", file=file) from error
    if context.unsupported is not None:
        context.unsupported.file = file
        raise context.unsupported
    return module
