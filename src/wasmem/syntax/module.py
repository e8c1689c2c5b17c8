"""Modules (spec "Structure / Modules") as frozen dataclasses, without any I/O.

Positions (``(line, column)`` for text, byte offset for binaries) are kept beside the
nodes and never take part in equality, so a module parsed from text equals the same
module decoded from its binary encoding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Union

from .instructions import Expr, Instruction, Position
from .types import (
    ExternKind,
    FuncType,
    GlobalType,
    MemoryType,
    RefType,
    TableType,
    ValType,
)

__all__ = [
    "Import",
    "ImportDesc",
    "Export",
    "Function",
    "Table",
    "Memory",
    "Global",
    "Tag",
    "ActiveElement",
    "PassiveElement",
    "DeclarativeElement",
    "ElementMode",
    "ElementSegment",
    "ActiveData",
    "PassiveData",
    "DataMode",
    "DataSegment",
    "CustomSection",
    "Names",
    "Module",
]

ImportDesc = Union[int, TableType, MemoryType, GlobalType]
"""What an import describes: a type index (functions, tags) or a table/memory/global type."""


@dataclass(frozen=True, slots=True)
class Import:
    """An import ``(import "module" "name" desc)``."""

    module: str
    name: str
    kind: ExternKind
    desc: ImportDesc
    position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Export:
    """An export of the entity ``index`` of ``kind`` under ``name``."""

    name: str
    kind: ExternKind
    index: int
    position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Function:
    """A function defined in the module (imports are not here)."""

    type_index: int
    locals: tuple[ValType, ...]
    body: Expr
    position: Position = field(default=None, compare=False, repr=False)
    end_position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Table:
    """A table definition; ``init`` is the initialiser expression (Wasm 3.0), if any."""

    type: TableType
    init: Expr | None = None
    position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Memory:
    """A memory definition."""

    type: MemoryType
    position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Global:
    """A global definition with its constant initialiser."""

    type: GlobalType
    init: Expr
    position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Tag:
    """An exception tag; ``type_index`` names a function type with no results."""

    type_index: int
    position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ActiveElement:
    """Active element mode: copied into ``table_index`` at ``offset`` on instantiation."""

    table_index: int
    offset: Expr


@dataclass(frozen=True, slots=True)
class PassiveElement:
    """Passive element mode: used by ``table.init``."""


@dataclass(frozen=True, slots=True)
class DeclarativeElement:
    """Declarative element mode: only declares functions for ``ref.func``."""


ElementMode = Union[ActiveElement, PassiveElement, DeclarativeElement]


@dataclass(frozen=True, slots=True)
class ElementSegment:
    """An element segment; ``init`` holds one constant expression per element.

    Function-index lists (binary) and ``(elem func $f ...)`` (text) are normalised to
    ``ref.func`` expressions.
    """

    type: RefType
    init: tuple[Expr, ...]
    mode: ElementMode
    position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ActiveData:
    """Active data mode: copied into ``memory_index`` at ``offset`` on instantiation."""

    memory_index: int
    offset: Expr


@dataclass(frozen=True, slots=True)
class PassiveData:
    """Passive data mode: used by ``memory.init``."""


DataMode = Union[ActiveData, PassiveData]


@dataclass(frozen=True, slots=True)
class DataSegment:
    """A data segment: bytes and mode."""

    data: bytes
    mode: DataMode
    position: Position = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class CustomSection:
    """A custom section (binary only); ``after`` is the id of the section it follows (0 = start)."""

    name: str
    data: bytes
    after: int = 0


@dataclass(frozen=True)
class Names:
    """Debug names: from ``$id`` in text, or from the binary ``name`` section.

    Each map goes from index to name (without the ``$``); ``locals`` and ``labels`` are
    keyed by function index first.
    """

    module: str | None = None
    functions: dict[int, str] = field(default_factory=dict)
    locals: dict[int, dict[int, str]] = field(default_factory=dict)
    types: dict[int, str] = field(default_factory=dict)
    tables: dict[int, str] = field(default_factory=dict)
    memories: dict[int, str] = field(default_factory=dict)
    globals: dict[int, str] = field(default_factory=dict)
    elems: dict[int, str] = field(default_factory=dict)
    datas: dict[int, str] = field(default_factory=dict)
    tags: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Module:
    """A WebAssembly module in abstract syntax.

    Index spaces (functions, tables, memories, globals, tags) start with the imports of
    that kind, in import order, followed by the definitions here.

    ``data_count`` is the value of the binary data count section, if one was present
    (the encoder writes one when code uses ``memory.init`` or ``data.drop``).
    """

    types: tuple[FuncType, ...] = ()
    imports: tuple[Import, ...] = ()
    functions: tuple[Function, ...] = ()
    tables: tuple[Table, ...] = ()
    memories: tuple[Memory, ...] = ()
    globals: tuple[Global, ...] = ()
    exports: tuple[Export, ...] = ()
    start: int | None = None
    elements: tuple[ElementSegment, ...] = ()
    datas: tuple[DataSegment, ...] = ()
    tags: tuple[Tag, ...] = ()
    data_count: int | None = field(default=None, compare=False)
    customs: tuple[CustomSection, ...] = field(default=(), compare=False, repr=False)
    names: Names = field(default_factory=Names, compare=False, repr=False)
    source: str | None = field(default=None, compare=False, repr=False)
    start_position: Position = field(default=None, compare=False, repr=False)

    def imports_of(self, kind: ExternKind) -> tuple[Import, ...]:
        """Return the imports of one kind, in order."""
        return tuple(i for i in self.imports if i.kind is kind)

    def function_type(self, function_index: int) -> FuncType:
        """Return the type of a function in the function index space.

        Raises:
            IndexError: if the index is out of range or names a non-function type.
        """
        imported = self.imports_of(ExternKind.FUNC)
        if function_index < len(imported):
            desc = imported[function_index].desc
            if not isinstance(desc, int):
                raise IndexError(function_index)
            return self.types[desc]
        return self.types[self.functions[function_index - len(imported)].type_index]

    def function_name(self, function_index: int) -> str:
        """Return ``$name`` if the function has a debug name, else the name it is first
        exported by (what the embedder calls it), else ``func[index]``."""
        name = self.names.functions.get(function_index)
        if name is not None:
            return f"${name}" if name.isprintable() else "$" + repr(name)[1:-1]
        exported = self._function_exports.get(function_index)
        if exported is None:
            return f"func[{function_index}]"
        # any string can be an export name: quoted and escaped unless it reads as itself
        return exported if exported.isprintable() and exported.strip() else repr(exported)

    @cached_property
    def _function_exports(self) -> dict[int, str]:
        """Function index -> the first name it is exported by."""
        names: dict[int, str] = {}
        for export in self.exports:
            if export.kind == ExternKind.FUNC:
                names.setdefault(export.index, export.name)
        return names


def instruction_count(body: Expr) -> int:
    """Count instructions in a body, nested ones included."""
    total = 0
    stack: list[tuple[Instruction, ...]] = [body]
    while stack:
        seq = stack.pop()
        total += len(seq)
        for ins in seq:
            sub = getattr(ins, "body", None)
            if sub:
                stack.append(sub)
            alt = getattr(ins, "else_body", None)
            if alt:
                stack.append(alt)
    return total
