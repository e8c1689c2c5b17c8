"""Modules in the text format (spec "Text Format / Modules").

Two passes over the fields: the first binds every ``$id`` to its index (so functions
can call functions defined later) and checks that imports come first; the second reads
each field, expanding the abbreviations (inline exports and imports, inline ``elem``
and ``data``, implicit function types, which are appended after the explicit ones).
"""

from __future__ import annotations

from ..syntax.instructions import Instruction
from ..syntax.module import (
    ActiveData,
    ActiveElement,
    DataSegment,
    DeclarativeElement,
    ElementMode,
    ElementSegment,
    Export,
    Function,
    Global,
    Import,
    Memory,
    Module,
    Names,
    PassiveData,
    PassiveElement,
    Table,
    Tag,
)
from ..syntax.opcodes import BY_NAME
from ..syntax.types import (
    I64,
    PAGE_SIZE,
    AbsHeapType,
    ExternKind,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RefType,
    TableType,
    ValType,
)
from .cursor import Cursor, Space
from .instructions import BodyParser, Spaces
from .lexer import SList

__all__ = ["ModuleParser"]

_KINDS = {"func": ExternKind.FUNC, "table": ExternKind.TABLE, "memory": ExternKind.MEMORY,
          "global": ExternKind.GLOBAL, "tag": ExternKind.TAG}
_KIND_WORDS = {"func": "function", "table": "table", "memory": "memory", "global": "global",
               "tag": "tag"}
_FIELDS = {"type", "rec", "import", "func", "table", "memory", "global", "tag", "export",
           "start", "elem", "data"}
_REF_FUNC = BY_NAME["ref.func"].key
_FUNC_REF_NON_NULL = RefType(False, AbsHeapType.FUNC)


def _const(address_type: ValType, position: object) -> tuple[Instruction, ...]:
    name = "i64.const" if address_type is I64 else "i32.const"
    return (Instruction(BY_NAME[name].key, (0,), position),)  # type: ignore[arg-type]


class ModuleParser:
    """Builds a :class:`Module` from the fields of one ``(module ...)``.

    Args:
        fields: the field lists.
        file: file name for errors.
        name: the module's ``$id``, if any.
        source: the file name, kept on the Module for messages.
    """

    def __init__(self, fields: list[SList], file: str | None, name: str | None = None,
                 source: str | None = None, anchor: SList | None = None) -> None:
        self.fields = fields
        self.file = file
        self.module_name = name
        self.source = source
        self.anchor = anchor or SList([], 1, 1)
        self.spaces = Spaces()
        self.spaces.type_use = self.type_use
        self.spaces.type_of = self.type_of
        self.types: list[FuncType] = []
        self.imports: list[Import] = []
        self.exports: list[Export] = []
        self.functions: list[Function] = []
        self.tables: list[Table] = []
        self.memories: list[Memory] = []
        self.globals: list[Global] = []
        self.tags: list[Tag] = []
        self.elements: list[ElementSegment] = []
        self.datas: list[DataSegment] = []
        self.start: int | None = None
        self.start_position: tuple[int, int] | None = None
        self.names = Names(module=name)

    def cursor(self, node: SList) -> Cursor:
        return Cursor(node, self.file, 1, self.resolve_type)

    def resolve_type(self, cur: Cursor) -> int:
        return self.spaces.types.resolve(cur)

    def type_of(self, index: int) -> FuncType | None:
        return self.types[index] if 0 <= index < len(self.types) else None

    def type_use(self, function_type: FuncType) -> int:
        """Return the first type index equal to ``function_type``, appending it if new."""
        for index, existing in enumerate(self.types):
            if existing == function_type:
                return index
        self.types.append(function_type)
        return len(self.types) - 1

    # ---------------------------------------------------------------- pass 1
    def declare(self) -> None:
        """Bind ids to indices; check that imports precede definitions.

        Raises:
            ParseError: duplicate ids, "import after ...", unknown fields.
        """
        spaces = self.spaces
        defined: str | None = None
        for node in self.fields:
            head = node.head
            cur = self.cursor(node)
            at = node.items[1] if len(node.items) > 1 else node
            if head not in _FIELDS:
                raise cur.unexpected(node.items[0] if node.items else node)
            if head == "rec":
                raise cur.unsupported("gc", "recursive type groups (GC proposal)", node)
            if head == "type":
                spaces.types.add(cur.take_id(), cur, at, "type")
            elif head == "import":
                cur.name()
                cur.name()
                desc = cur.next()
                if not isinstance(desc, SList) or desc.head not in _KINDS:
                    raise cur.unexpected(desc)
                if defined is not None:
                    raise cur.error(f"import after {defined}", node)
                sub = self.cursor(desc)
                self.space(desc.head).add(sub.take_id(), sub, desc, desc.head)
            elif head in _KINDS:
                name = cur.take_id()
                while cur.take_list("export") is not None:
                    pass
                imported = cur.peek_head() == "import"
                if imported and defined is not None:
                    raise cur.error(f"import after {defined}", node)
                if not imported and defined is None:
                    defined = _KIND_WORDS[head]
                self.space(head).add(name, cur, at, head)
                if not imported and head == "table" and _has_inline(cur, "elem"):
                    spaces.elems.add(None, cur, at, "elem")
                if not imported and head == "memory" and _has_inline(cur, "data"):
                    spaces.datas.add(None, cur, at, "data")
            elif head == "elem":
                spaces.elems.add(cur.take_id(), cur, at, "elem")
            elif head == "data":
                spaces.datas.add(cur.take_id(), cur, at, "data")

    def space(self, head: str) -> Space:
        return {"func": self.spaces.functions, "table": self.spaces.tables,
                "memory": self.spaces.memories, "global": self.spaces.globals,
                "tag": self.spaces.tags}[head]

    # ---------------------------------------------------------------- pass 2
    def parse(self) -> Module:
        """Read every field and return the module.

        Raises:
            ParseError: malformed text. UnsupportedFeature: GC types and instructions.
        """
        self.declare()
        for node in self.fields:
            if node.head == "type":
                self.type_field(node)
        counters = {"func": 0, "table": 0, "memory": 0, "global": 0, "tag": 0}
        for node in self.fields:
            head = node.head
            if head == "import":
                self.import_field(node, counters)
            elif head in _KINDS:
                self.entity_field(head, node, counters)
            elif head == "export":
                cur = self.cursor(node)
                name = cur.name()
                desc = cur.next()
                if not isinstance(desc, SList) or desc.head not in _KINDS:
                    raise cur.unexpected(desc)
                sub = self.cursor(desc)
                index = self.space(desc.head).resolve(sub)
                sub.expect_end()
                cur.expect_end()
                self.exports.append(Export(name, _KINDS[desc.head], index,
                                           (node.line, node.column)))
            elif head == "start":
                cur = self.cursor(node)
                if self.start is not None:
                    raise cur.error("multiple start sections", node)
                self.start = self.spaces.functions.resolve(cur)
                self.start_position = (node.line, node.column)
                cur.expect_end()
            elif head == "elem":
                self.elem_field(node)
            elif head == "data":
                self.data_field(node)
        self.collect_names()
        return Module(
            types=tuple(self.types), imports=tuple(self.imports),
            functions=tuple(self.functions), tables=tuple(self.tables),
            memories=tuple(self.memories), globals=tuple(self.globals),
            exports=tuple(self.exports), start=self.start, elements=tuple(self.elements),
            datas=tuple(self.datas), tags=tuple(self.tags), names=self.names,
            source=self.source, start_position=self.start_position)

    def collect_names(self) -> None:
        """Copy the ``$id`` bindings of every index space into the module's Names."""
        spaces, names = self.spaces, self.names
        for space, target in ((spaces.functions, names.functions), (spaces.types, names.types),
                              (spaces.tables, names.tables), (spaces.memories, names.memories),
                              (spaces.globals, names.globals), (spaces.elems, names.elems),
                              (spaces.datas, names.datas), (spaces.tags, names.tags)):
            target.update({index: name for name, index in space.names.items()})

    def type_field(self, node: SList) -> None:
        cur = self.cursor(node)
        cur.take_id()
        inner = cur.next()
        if not isinstance(inner, SList) or inner.head != "func":
            if isinstance(inner, SList) and inner.head in ("struct", "array", "sub"):
                raise cur.unsupported("gc", f"{inner.head} types (GC proposal)", inner)
            raise cur.unexpected(inner)
        cur.expect_end()
        sub = self.cursor(inner)
        params, _names = self.params(sub, allow_names=True)
        results = self.results(sub)
        sub.expect_end()
        self.types.append(FuncType(tuple(params), tuple(results)))

    def params(self, cur: Cursor, *, allow_names: bool) -> tuple[list[ValType], list[str | None]]:
        """Read ``(param $x t)`` / ``(param t*)`` lists; return types and names."""
        types: list[ValType] = []
        names: list[str | None] = []
        while (node := cur.take_list("param")) is not None:
            sub = self.cursor(node)
            name = sub.take_id()
            if name is not None:
                if not allow_names:
                    raise sub.error("unexpected token", node.items[1])
                types.append(sub.value_type())
                names.append(name)
                sub.expect_end()
                continue
            while not sub.done():
                types.append(sub.value_type())
                names.append(None)
        return types, names

    def results(self, cur: Cursor) -> list[ValType]:
        out: list[ValType] = []
        while (node := cur.take_list("result")) is not None:
            sub = self.cursor(node)
            while not sub.done():
                out.append(sub.value_type())
        return out

    def function_type_use(self, cur: Cursor) -> tuple[int, list[str | None]]:
        """Read a function's type use; return its type index and parameter names.

        Raises:
            ParseError: "inline function type" when ``(type x)`` and the inline
                declarations disagree.
        """
        type_node = cur.take_list("type")
        index = None
        if type_node is not None:
            sub = self.cursor(type_node)
            index = self.spaces.types.resolve(sub)
            sub.expect_end()
        params, names = self.params(cur, allow_names=True)
        results = self.results(cur)
        if index is None:
            return self.type_use(FuncType(tuple(params), tuple(results))), names
        declared = self.type_of(index)
        if params or results:
            if declared != FuncType(tuple(params), tuple(results)):
                raise cur.error("inline function type", type_node)
            return index, names
        count = len(declared.params) if declared is not None else 0
        return index, [None] * count

    def exports_of(self, cur: Cursor, kind: ExternKind, index: int) -> None:
        while (node := cur.take_list("export")) is not None:
            sub = self.cursor(node)
            self.exports.append(Export(sub.name(), kind, index, (node.line, node.column)))
            sub.expect_end()

    def import_field(self, node: SList, counters: dict[str, int]) -> None:
        cur = self.cursor(node)
        module, name = cur.name(), cur.name()
        desc = cur.next()
        assert isinstance(desc, SList) and desc.head in _KINDS
        cur.expect_end()
        sub = self.cursor(desc)
        sub.take_id()
        self.import_desc(desc.head, sub, module, name, node, counters)  # type: ignore[arg-type]
        sub.expect_end()

    def import_desc(self, head: str, cur: Cursor, module: str, name: str, node: SList,
                    counters: dict[str, int]) -> None:
        index = counters[head]
        counters[head] += 1
        kind = _KINDS[head]
        desc: object
        if head in ("func", "tag"):
            desc, names = self.function_type_use(cur)
            local_names = {i: n for i, n in enumerate(names) if n is not None}
            if head == "func" and local_names:
                self.names.locals[index] = local_names
        elif head == "table":
            desc = self.table_type(cur)
        elif head == "memory":
            desc = self.memory_type(cur)
        else:
            desc = self.global_type(cur)
        self.imports.append(Import(module, name, kind, desc, (node.line, node.column)))  # type: ignore[arg-type]

    def entity_field(self, head: str, node: SList, counters: dict[str, int]) -> None:
        cur = self.cursor(node)
        cur.take_id()
        index = counters[head]
        self.exports_of(cur, _KINDS[head], index)
        imported = cur.take_list("import")
        if imported is not None:
            sub = self.cursor(imported)
            module, field = sub.name(), sub.name()
            sub.expect_end()
            self.import_desc(head, cur, module, field, node, counters)
            cur.expect_end()
            return
        counters[head] += 1
        position = (node.line, node.column)
        if head == "func":
            self.function_field(cur, index, node)
        elif head == "table":
            self.table_field(cur, index, position)
        elif head == "memory":
            self.memory_field(cur, index, position)
        elif head == "global":
            global_type = self.global_type(cur)
            init = BodyParser(self.spaces).expression(cur)
            self.globals.append(Global(global_type, init, position))
        else:
            type_index, _names = self.function_type_use(cur)
            cur.expect_end()
            self.tags.append(Tag(type_index, position))

    def function_field(self, cur: Cursor, index: int, node: SList) -> None:
        type_index, param_names = self.function_type_use(cur)
        locals_space = Space("local")
        for param in param_names:
            locals_space.add(param, cur, node, "local")
        local_types: list[ValType] = []
        local_names: dict[int, str] = {}
        while (local := cur.take_list("local")) is not None:
            sub = self.cursor(local)
            local_name = sub.take_id()
            if local_name is not None:
                local_names[locals_space.count] = local_name
                locals_space.add(local_name, sub, local.items[1], "local")
                local_types.append(sub.value_type())
                sub.expect_end()
                continue
            while not sub.done():
                local_types.append(sub.value_type())
                locals_space.add(None, sub, None, "local")
        body = BodyParser(self.spaces, locals_space).expression(cur)
        names = {i: n for i, n in enumerate(param_names) if n is not None}
        names.update(local_names)
        if names:
            self.names.locals[index] = names
        self.functions.append(Function(type_index, tuple(local_types), body,
                                       (node.line, node.column),
                                       (node.end_line, node.end_column)))

    def table_type(self, cur: Cursor) -> TableType:
        address = cur.address_type()
        limits = cur.limits(64)
        return TableType(limits, cur.ref_type(), address)  # type: ignore[arg-type]

    def memory_type(self, cur: Cursor) -> MemoryType:
        address = cur.address_type()
        limits = cur.limits(64)
        shared = cur.take_keyword("shared")
        page_size_log2 = 16
        if (node := cur.take_list("pagesize")) is not None:
            sub = self.cursor(node)
            at = sub.peek()
            size = sub.unsigned(64)
            sub.expect_end()
            if size == 0 or size & (size - 1):
                raise sub.error("invalid custom page size", at)
            page_size_log2 = size.bit_length() - 1
        return MemoryType(limits, address, shared, page_size_log2)  # type: ignore[arg-type]

    def global_type(self, cur: Cursor) -> GlobalType:
        if (node := cur.take_list("mut")) is not None:
            sub = self.cursor(node)
            value_type = sub.value_type()
            sub.expect_end()
            return GlobalType(value_type, True)
        return GlobalType(cur.value_type(), False)

    def table_field(self, cur: Cursor, index: int, position: tuple[int, int]) -> None:
        address = cur.address_type()
        if cur.is_value_type():
            element_type = cur.ref_type()
            elem = cur.take_list("elem")
            if elem is None:
                raise cur.unexpected()
            cur.expect_end()
            sub = self.cursor(elem)
            if sub.done() or sub.is_index():
                inits = self.function_indices(sub)
                segment_type = element_type
            else:
                inits = self.element_expressions(sub)
                segment_type = element_type
            count = len(inits)
            self.tables.append(Table(TableType(Limits(count, count), element_type, address),
                                     None, position))  # type: ignore[arg-type]
            self.elements.append(ElementSegment(
                segment_type, inits, ActiveElement(index, _const(address, position)), position))
            return
        limits = cur.limits(64)
        element_type = cur.ref_type()
        init = BodyParser(self.spaces).expression(cur) if not cur.done() else None
        self.tables.append(Table(TableType(limits, element_type, address), init or None,
                                 position))  # type: ignore[arg-type]

    def memory_field(self, cur: Cursor, index: int, position: tuple[int, int]) -> None:
        save = cur.pos
        address = cur.address_type()
        data = cur.take_list("data")
        if data is None:
            cur.pos = save
            self.memories.append(Memory(self.memory_type(cur), position))
            cur.expect_end()
            return
        cur.expect_end()
        sub = self.cursor(data)
        content = sub.strings()
        sub.expect_end()
        pages = -(-len(content) // PAGE_SIZE)
        self.memories.append(Memory(MemoryType(Limits(pages, pages), address), position))  # type: ignore[arg-type]
        self.datas.append(DataSegment(content, ActiveData(index, _const(address, position)),
                                      position))

    def function_indices(self, cur: Cursor) -> tuple[tuple[Instruction, ...], ...]:
        out = []
        while not cur.done():
            at = cur.peek()
            index = self.spaces.functions.resolve(cur)
            out.append((Instruction(_REF_FUNC, (index,), (at.line, at.column)),))  # type: ignore[union-attr]
        return tuple(out)

    def element_expressions(self, cur: Cursor) -> tuple[tuple[Instruction, ...], ...]:
        out = []
        while not cur.done():
            node = cur.next()
            if not isinstance(node, SList):
                raise cur.unexpected(node)
            parser = BodyParser(self.spaces)
            if node.head == "item":
                out.append(parser.expression(self.cursor(node)))
            else:
                single: list[Instruction] = []
                parser.folded(node, cur, single)
                out.append(tuple(single))
        return tuple(out)

    def offset(self, cur: Cursor) -> tuple[Instruction, ...] | None:
        """Read ``(offset expr)`` or a single folded instruction used as the offset."""
        node = cur.peek()
        if not isinstance(node, SList) or node.head in ("item", "ref"):
            return None
        cur.pos += 1
        parser = BodyParser(self.spaces)
        if node.head == "offset":
            return parser.expression(self.cursor(node))
        out: list[Instruction] = []
        parser.folded(node, cur, out)
        return tuple(out)

    def active_target(self, cur: Cursor, head: str,
                      space: Space) -> tuple[int, tuple[Instruction, ...]] | None:
        """Read ``(table x)?``/``(memory x)?`` (or a bare legacy index) and the offset of
        an active segment; return ``(index, offset)``, or None for a passive segment.

        Raises:
            ParseError: a table or memory use without an offset.
        """
        index = 0
        explicit = False
        if (use := cur.take_list(head)) is not None:
            sub = self.cursor(use)
            index = space.resolve(sub)
            sub.expect_end()
            explicit = True
        elif cur.is_index() and isinstance(cur.peek(1), SList):
            index = space.resolve(cur)
            explicit = True
        offset = self.offset(cur)
        if offset is None:
            if explicit:
                raise cur.unexpected()
            return None
        return index, offset

    def elem_field(self, node: SList) -> None:
        cur = self.cursor(node)
        cur.take_id()
        position = (node.line, node.column)
        mode: ElementMode = PassiveElement()
        declare = cur.take_keyword("declare")
        if declare:
            mode = DeclarativeElement()
        else:
            target = self.active_target(cur, "table", self.spaces.tables)
            if target is not None:
                mode = ActiveElement(*target)
        if cur.take_keyword("func"):
            element_type = _FUNC_REF_NON_NULL
            inits = self.function_indices(cur)
        elif cur.is_value_type():
            element_type = cur.ref_type()
            inits = self.element_expressions(cur)
        else:
            element_type = _FUNC_REF_NON_NULL
            inits = self.function_indices(cur)
        self.elements.append(ElementSegment(element_type, inits, mode, position))

    def data_field(self, node: SList) -> None:
        cur = self.cursor(node)
        cur.take_id()
        position = (node.line, node.column)
        target = self.active_target(cur, "memory", self.spaces.memories)
        if target is None and cur.peek_keyword() == "passive":
            raise cur.error("unexpected token passive: a passive data segment has no keyword, "
                            'write (data $name "bytes")')
        content = cur.strings()
        cur.expect_end()
        mode = ActiveData(*target) if target is not None else PassiveData()
        self.datas.append(DataSegment(content, mode, position))


def _has_inline(cur: Cursor, head: str) -> bool:
    """True if a table/memory field (after id and exports) carries an inline ``(head ...)``."""
    for ahead in range(3):
        if cur.peek_head(ahead) == head:
            return True
    return False
