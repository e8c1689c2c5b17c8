"""Modules (spec "Structure / Modules") as immutable records (:mod:`.record`), without I/O.

Positions (``(line, column)`` for text, byte offset for binaries) are kept beside the
nodes and never take part in equality, so a module parsed from text equals the same
module decoded from its binary encoding.
"""

from __future__ import annotations

from functools import cached_property

from .instructions import Expr, Instruction, Position
from .record import Record
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

ImportDesc = int | TableType | MemoryType | GlobalType
"""What an import describes: a type index (functions, tags) or a table/memory/global type."""


class Import(Record):
    """An import ``(import "module" "name" desc)``."""

    __slots__ = ("module", "name", "kind", "desc", "position")
    _compared = _shown = ("module", "name", "kind", "desc")
    module: str
    name: str
    kind: ExternKind
    desc: ImportDesc
    position: Position

    def __init__(self, module: str, name: str, kind: ExternKind, desc: ImportDesc,
                 position: Position = None) -> None:
        object.__setattr__(self, "module", module)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "desc", desc)
        object.__setattr__(self, "position", position)


class Export(Record):
    """An export of the entity ``index`` of ``kind`` under ``name``."""

    __slots__ = ("name", "kind", "index", "position")
    _compared = _shown = ("name", "kind", "index")
    name: str
    kind: ExternKind
    index: int
    position: Position

    def __init__(self, name: str, kind: ExternKind, index: int, position: Position = None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "position", position)


class Function(Record):
    """A function defined in the module (imports are not here)."""

    __slots__ = ("type_index", "locals", "body", "position", "end_position")
    _compared = _shown = ("type_index", "locals", "body")
    type_index: int
    locals: tuple[ValType, ...]
    body: Expr
    position: Position
    end_position: Position

    def __init__(self, type_index: int, locals: tuple[ValType, ...], body: Expr,
                 position: Position = None, end_position: Position = None) -> None:
        object.__setattr__(self, "type_index", type_index)
        object.__setattr__(self, "locals", locals)
        object.__setattr__(self, "body", body)
        object.__setattr__(self, "position", position)
        object.__setattr__(self, "end_position", end_position)


class Table(Record):
    """A table definition; ``init`` is the initialiser expression (Wasm 3.0), if any."""

    __slots__ = ("type", "init", "position")
    _compared = _shown = ("type", "init")
    type: TableType
    init: Expr | None
    position: Position

    def __init__(self, type: TableType, init: Expr | None = None,
                 position: Position = None) -> None:
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "init", init)
        object.__setattr__(self, "position", position)


class Memory(Record):
    """A memory definition."""

    __slots__ = ("type", "position")
    _compared = _shown = ("type",)
    type: MemoryType
    position: Position

    def __init__(self, type: MemoryType, position: Position = None) -> None:
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "position", position)


class Global(Record):
    """A global definition with its constant initialiser."""

    __slots__ = ("type", "init", "position")
    _compared = _shown = ("type", "init")
    type: GlobalType
    init: Expr
    position: Position

    def __init__(self, type: GlobalType, init: Expr, position: Position = None) -> None:
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "init", init)
        object.__setattr__(self, "position", position)


class Tag(Record):
    """An exception tag; ``type_index`` names a function type with no results."""

    __slots__ = ("type_index", "position")
    _compared = _shown = ("type_index",)
    type_index: int
    position: Position

    def __init__(self, type_index: int, position: Position = None) -> None:
        object.__setattr__(self, "type_index", type_index)
        object.__setattr__(self, "position", position)


class ActiveElement(Record):
    """Active element mode: copied into ``table_index`` at ``offset`` on instantiation."""

    __slots__ = ("table_index", "offset")
    _compared = _shown = ("table_index", "offset")
    table_index: int
    offset: Expr

    def __init__(self, table_index: int, offset: Expr) -> None:
        object.__setattr__(self, "table_index", table_index)
        object.__setattr__(self, "offset", offset)


class PassiveElement(Record):
    """Passive element mode: used by ``table.init``."""

    __slots__ = ()
    _compared = _shown = ()

class DeclarativeElement(Record):
    """Declarative element mode: only declares functions for ``ref.func``."""

    __slots__ = ()
    _compared = _shown = ()

ElementMode = ActiveElement | PassiveElement | DeclarativeElement


class ElementSegment(Record):
    """An element segment; ``init`` holds one constant expression per element.

    Function-index lists (binary) and ``(elem func $f ...)`` (text) are normalised to
    ``ref.func`` expressions.
    """

    __slots__ = ("type", "init", "mode", "position")
    _compared = _shown = ("type", "init", "mode")
    type: RefType
    init: tuple[Expr, ...]
    mode: ElementMode
    position: Position

    def __init__(self, type: RefType, init: tuple[Expr, ...], mode: ElementMode,
                 position: Position = None) -> None:
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "init", init)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "position", position)


class ActiveData(Record):
    """Active data mode: copied into ``memory_index`` at ``offset`` on instantiation."""

    __slots__ = ("memory_index", "offset")
    _compared = _shown = ("memory_index", "offset")
    memory_index: int
    offset: Expr

    def __init__(self, memory_index: int, offset: Expr) -> None:
        object.__setattr__(self, "memory_index", memory_index)
        object.__setattr__(self, "offset", offset)


class PassiveData(Record):
    """Passive data mode: used by ``memory.init``."""

    __slots__ = ()
    _compared = _shown = ()

DataMode = ActiveData | PassiveData


class DataSegment(Record):
    """A data segment: bytes and mode."""

    __slots__ = ("data", "mode", "position")
    _compared = _shown = ("data", "mode")
    data: bytes
    mode: DataMode
    position: Position

    def __init__(self, data: bytes, mode: DataMode, position: Position = None) -> None:
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "position", position)


class CustomSection(Record):
    """A custom section (binary only); ``after`` is the id of the section it follows (0 = start)."""

    __slots__ = ("name", "data", "after")
    _compared = _shown = ("name", "data", "after")
    name: str
    data: bytes
    after: int

    def __init__(self, name: str, data: bytes, after: int = 0) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "after", after)


class Names(Record):
    """Debug names: from ``$id`` in text, or from the binary ``name`` section.

    Each map goes from index to name (without the ``$``); ``locals`` and ``labels`` are
    keyed by function index first. A map not given is a new empty one.
    """

    _compared = _shown = ("module", "functions", "locals", "types", "tables", "memories",
                          "globals", "elems", "datas", "tags")
    module: str | None
    functions: dict[int, str]
    locals: dict[int, dict[int, str]]
    types: dict[int, str]
    tables: dict[int, str]
    memories: dict[int, str]
    globals: dict[int, str]
    elems: dict[int, str]
    datas: dict[int, str]
    tags: dict[int, str]

    def __init__(self, module: str | None = None, functions: dict[int, str] | None = None,
                 locals: dict[int, dict[int, str]] | None = None,
                 types: dict[int, str] | None = None, tables: dict[int, str] | None = None,
                 memories: dict[int, str] | None = None,
                 globals: dict[int, str] | None = None, elems: dict[int, str] | None = None,
                 datas: dict[int, str] | None = None, tags: dict[int, str] | None = None
                 ) -> None:
        fields = self.__dict__
        fields["module"] = module
        fields["functions"] = {} if functions is None else functions
        fields["locals"] = {} if locals is None else locals
        fields["types"] = {} if types is None else types
        fields["tables"] = {} if tables is None else tables
        fields["memories"] = {} if memories is None else memories
        fields["globals"] = {} if globals is None else globals
        fields["elems"] = {} if elems is None else elems
        fields["datas"] = {} if datas is None else datas
        fields["tags"] = {} if tags is None else tags

    __hash__ = None  # type: ignore[assignment]  # mutable maps: unhashable, as before


class Module(Record):
    """A WebAssembly module in abstract syntax.

    Index spaces (functions, tables, memories, globals, tags) start with the imports of
    that kind, in import order, followed by the definitions here.

    ``data_count`` is the value of the binary data count section, if one was present
    (the encoder writes one when code uses ``memory.init`` or ``data.drop``).
    """

    _compared = ("types", "imports", "functions", "tables", "memories", "globals", "exports",
                 "start", "elements", "datas", "tags")
    _shown = (*_compared, "data_count")
    types: tuple[FuncType, ...]
    imports: tuple[Import, ...]
    functions: tuple[Function, ...]
    tables: tuple[Table, ...]
    memories: tuple[Memory, ...]
    globals: tuple[Global, ...]
    exports: tuple[Export, ...]
    start: int | None
    elements: tuple[ElementSegment, ...]
    datas: tuple[DataSegment, ...]
    tags: tuple[Tag, ...]
    data_count: int | None
    customs: tuple[CustomSection, ...]
    names: Names
    source: str | None
    start_position: Position

    def __init__(self, types: tuple[FuncType, ...] = (), imports: tuple[Import, ...] = (),
                 functions: tuple[Function, ...] = (), tables: tuple[Table, ...] = (),
                 memories: tuple[Memory, ...] = (), globals: tuple[Global, ...] = (),
                 exports: tuple[Export, ...] = (), start: int | None = None,
                 elements: tuple[ElementSegment, ...] = (),
                 datas: tuple[DataSegment, ...] = (), tags: tuple[Tag, ...] = (),
                 data_count: int | None = None, customs: tuple[CustomSection, ...] = (),
                 names: Names | None = None, source: str | None = None,
                 start_position: Position = None) -> None:
        fields = self.__dict__
        fields["types"] = types
        fields["imports"] = imports
        fields["functions"] = functions
        fields["tables"] = tables
        fields["memories"] = memories
        fields["globals"] = globals
        fields["exports"] = exports
        fields["start"] = start
        fields["elements"] = elements
        fields["datas"] = datas
        fields["tags"] = tags
        fields["data_count"] = data_count
        fields["customs"] = customs
        fields["names"] = Names() if names is None else names
        fields["source"] = source
        fields["start_position"] = start_position

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

    def module_name(self) -> str:
        """The module's debug name, escaped unless printable (generated code's file
        names: ``compile()`` refuses a NUL), or ``module`` when it has none."""
        name = self.names.module
        if not name:
            return "module"
        return name if name.isprintable() else repr(name)[1:-1]

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
