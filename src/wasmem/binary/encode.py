"""Encoding of modules (spec "Binary Format / Modules"): the canonical binary of an AST.

:func:`encode_module` writes minimal LEB128s, only non-empty sections, element segments
in the most compact form that keeps their type, and a data count section when code
uses a data index (``memory.init``, ``data.drop``) or the module had one. Custom
sections from ``Module.customs`` are written back at their place; the ``name`` section
is generated from ``Module.names`` only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ..syntax.instructions import Expr
from ..syntax.module import (
    ActiveData,
    ActiveElement,
    DataSegment,
    DeclarativeElement,
    ElementSegment,
    Export,
    Global,
    Import,
    Module,
    PassiveData,
    PassiveElement,
    Table,
)
from ..syntax.opcodes import Op
from ..syntax.types import (
    FUNCREF,
    AbsHeapType,
    ExternKind,
    GlobalType,
    MemoryType,
    RefType,
    TableType,
    ValType,
)
from .decode import MAGIC, SECTION_ORDER, VERSION
from .encode_code import ExpressionWriter
from .names import encode_names
from .writer import (
    write_byte_vector,
    write_func_type,
    write_global_type,
    write_memory_type,
    write_name,
    write_table_type,
    write_unsigned,
    write_value_type,
)

__all__ = ["encode_module"]

T = TypeVar("T")

_FUNC_REF_NON_NULL = RefType(False, AbsHeapType.FUNC)


def _write_vector(out: bytearray, items: Sequence[T],
                  write_one: Callable[[bytearray, T], None]) -> None:
    write_unsigned(out, len(items))
    for item in items:
        write_one(out, item)


def _write_import(out: bytearray, item: Import) -> None:
    write_name(out, item.module)
    write_name(out, item.name)
    out.append(int(item.kind))
    desc = item.desc
    if item.kind is ExternKind.FUNC and isinstance(desc, int):
        write_unsigned(out, desc)
    elif item.kind is ExternKind.TABLE and isinstance(desc, TableType):
        write_table_type(out, desc)
    elif item.kind is ExternKind.MEMORY and isinstance(desc, MemoryType):
        write_memory_type(out, desc)
    elif item.kind is ExternKind.GLOBAL and isinstance(desc, GlobalType):
        write_global_type(out, desc)
    elif item.kind is ExternKind.TAG and isinstance(desc, int):
        out.append(0x00)
        write_unsigned(out, desc)
    else:
        raise ValueError(f"import {item.module!r} {item.name!r}: {item.kind} with {desc!r}")


def _function_index(init: Expr) -> int | None:
    """The function index if ``init`` is exactly one ``ref.func``, else None."""
    if len(init) == 1 and init[0].opcode == Op.REF_FUNC:
        index: int = init[0].immediates[0]
        return index
    return None


class _ModuleWriter:
    def __init__(self, module: Module) -> None:
        self.module = module
        self.expressions = ExpressionWriter()

    def expression(self, out: bytearray, expr: Expr) -> None:
        self.expressions.write(out, expr)

    def table(self, out: bytearray, table: Table) -> None:
        if table.init is None:
            write_table_type(out, table.type)
        else:
            out += b"\x40\x00"
            write_table_type(out, table.type)
            self.expression(out, table.init)

    def element(self, out: bytearray, segment: ElementSegment) -> None:
        mode = segment.mode
        if not isinstance(mode, (ActiveElement, PassiveElement, DeclarativeElement)):
            raise TypeError(f"unknown element mode {mode!r}")
        indices = [_function_index(init) for init in segment.init]
        if segment.type == _FUNC_REF_NON_NULL and None not in indices:
            # Function index forms 0-3 (element kind 0x00 = funcref).
            if isinstance(mode, ActiveElement):
                if mode.table_index == 0:
                    out.append(0)
                    self.expression(out, mode.offset)
                else:
                    out.append(2)
                    write_unsigned(out, mode.table_index)
                    self.expression(out, mode.offset)
                    out.append(0x00)
            else:
                out.append(3 if isinstance(mode, DeclarativeElement) else 1)
                out.append(0x00)
            write_unsigned(out, len(indices))
            for index in indices:
                write_unsigned(out, index)  # type: ignore[arg-type]
            return
        # Expression forms 4-7.
        if isinstance(mode, ActiveElement):
            if mode.table_index == 0 and segment.type == FUNCREF:
                out.append(4)
                self.expression(out, mode.offset)
            else:
                out.append(6)
                write_unsigned(out, mode.table_index)
                self.expression(out, mode.offset)
                write_value_type(out, segment.type)
        else:
            out.append(7 if isinstance(mode, DeclarativeElement) else 5)
            write_value_type(out, segment.type)
        write_unsigned(out, len(segment.init))
        for init in segment.init:
            self.expression(out, init)

    def data(self, out: bytearray, segment: DataSegment) -> None:
        mode = segment.mode
        if not isinstance(mode, (ActiveData, PassiveData)):
            raise TypeError(f"unknown data mode {mode!r}")
        if isinstance(mode, ActiveData):
            if mode.memory_index == 0:
                out.append(0)
            else:
                out.append(2)
                write_unsigned(out, mode.memory_index)
            self.expression(out, mode.offset)
        else:
            out.append(1)
        write_byte_vector(out, segment.data)

    def code(self, out: bytearray) -> None:
        functions = self.module.functions
        write_unsigned(out, len(functions))
        for function in functions:
            body = bytearray()
            groups: list[tuple[int, ValType]] = []
            for value_type in function.locals:
                if groups and groups[-1][1] == value_type:
                    groups[-1] = (groups[-1][0] + 1, value_type)
                else:
                    groups.append((1, value_type))
            write_unsigned(body, len(groups))
            for count, group_type in groups:
                write_unsigned(body, count)
                write_value_type(body, group_type)
            self.expression(body, function.body)
            write_unsigned(out, len(body))
            out += body

    def sections(self) -> dict[int, bytearray]:
        """Return the contents of every non-empty section, by section id."""
        module = self.module
        result: dict[int, bytearray] = {}

        def vector(section_id: int, items: Sequence[T],
                   write_one: Callable[[bytearray, T], None]) -> None:
            if items:
                out = bytearray()
                _write_vector(out, items, write_one)
                result[section_id] = out

        vector(1, module.types, write_func_type)
        vector(2, module.imports, _write_import)
        vector(3, [function.type_index for function in module.functions], write_unsigned)
        vector(4, module.tables, self.table)
        vector(5, [memory.type for memory in module.memories], write_memory_type)
        vector(13, [tag.type_index for tag in module.tags], _write_tag)
        vector(6, module.globals, self._global)
        vector(7, module.exports, _write_export)
        if module.start is not None:
            start = bytearray()
            write_unsigned(start, module.start)
            result[8] = start
        vector(9, module.elements, self.element)
        if module.functions:
            code = bytearray()
            self.code(code)
            result[10] = code
        vector(11, module.datas, self.data)
        if self.expressions.uses_data_index or module.data_count is not None:
            count = bytearray()
            write_unsigned(count, len(module.datas))
            result[12] = count
        return result

    def _global(self, out: bytearray, item: Global) -> None:
        write_global_type(out, item.type)
        self.expression(out, item.init)


def _write_tag(out: bytearray, type_index: int) -> None:
    out.append(0x00)
    write_unsigned(out, type_index)


def _write_export(out: bytearray, item: Export) -> None:
    write_name(out, item.name)
    out.append(int(item.kind))
    write_unsigned(out, item.index)


def _write_section(out: bytearray, section_id: int, content: bytes | bytearray) -> None:
    out.append(section_id)
    write_unsigned(out, len(content))
    out += content


def _custom_content(name: str, payload: bytes) -> bytearray:
    content = bytearray()
    write_name(content, name)
    content += payload
    return content


def encode_module(module: Module, *, names: bool = False) -> bytes:
    """Encode ``module`` in the binary format (spec "Binary Format / Modules").

    Returns the bytes of a ``.wasm`` file such that ``decode_module`` gives back an equal
    module (unless it uses what the decoder refuses as unsupported: shared memories,
    custom page sizes). Custom sections in ``module.customs`` are written at their recorded place,
    except ``name`` sections; with ``names=True`` a ``name`` section is generated from
    ``module.names`` and written last.

    Raises:
        ValueError: if the AST holds something that has no encoding (an opcode missing
            from the opcode table, immediates of the wrong shape, a negative index).
        TypeError: if a node of the AST has the wrong type (not a value type, not an
            element mode, ...).
    """
    sections = _ModuleWriter(module).sections()
    customs_after: dict[int, list[bytearray]] = {}
    for custom in module.customs:
        if custom.name != "name":
            place = custom.after if custom.after in SECTION_ORDER else 0
            customs_after.setdefault(place, []).append(_custom_content(custom.name, custom.data))
    out = bytearray(MAGIC + VERSION)
    for content in customs_after.get(0, ()):
        _write_section(out, 0, content)
    for section_id in SECTION_ORDER:
        if section_id in sections:
            _write_section(out, section_id, sections[section_id])
        for content in customs_after.get(section_id, ()):
            _write_section(out, 0, content)
    if names:
        _write_section(out, 0, _custom_content("name", encode_names(module.names)))
    return bytes(out)
