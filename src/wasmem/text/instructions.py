"""Instructions in the text format (spec "Text Format / Instructions").

Reads flat (``block ... end``) and folded (``(block ...)``, ``(i32.add (a) (b))``)
instructions into the tree-shaped abstract syntax of :mod:`wasmem.syntax.instructions`,
resolving labels, locals and module-level names to indices. Immediates are read by the
opcode table's immediate kind, so adding an opcode to the table is all a new plain
instruction needs.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from ..syntax.instructions import Block, BlockType, Catch, Instruction
from ..syntax.limits import MAX_NESTING
from ..syntax.opcodes import BY_NAME, OPCODES, STRUCTURED, Imm, OpInfo
from ..syntax.types import FuncType, ValType
from .cursor import Cursor, Space
from .lexer import Atom, SList
from .literals import OutOfRange, float_bits, int_bits, parse_uint

__all__ = ["BodyParser", "Spaces"]

_STRUCTURED = frozenset(OPCODES[key].name for key in STRUCTURED)
_LEGACY_EXCEPTIONS = {"try", "rethrow"}  # catch, catch_all, delegate only follow a try
_NOT_INSTRUCTIONS = {"type", "param", "result", "local", "then", "else", "export", "import",
                     "item", "offset", "catch", "catch_ref", "catch_all", "catch_all_ref",
                     "delegate"}
_CATCH_KINDS = {"catch": 0, "catch_ref": 1, "catch_all": 2, "catch_all_ref": 3}
_SHAPES = {"i8x16": (16, 8, False), "i16x8": (8, 16, False), "i32x4": (4, 32, False),
           "i64x2": (2, 64, False), "f32x4": (4, 32, True), "f64x2": (2, 64, True)}
_GC_KINDS = {Imm.TYPE_FIELD, Imm.TYPE_TYPE, Imm.TYPE_DATA, Imm.TYPE_ELEM, Imm.TYPE_SIZE,
             Imm.REF_TYPE, Imm.BR_ON_CAST}

_Reader = Generator[Any, Any, Any]
"""A generator reading nested instructions (see :func:`_drive`)."""


class Spaces:
    """The module's index spaces, plus the hook that interns inline function types."""

    def __init__(self) -> None:
        self.types = Space("type")
        self.functions = Space("function")
        self.tables = Space("table")
        self.memories = Space("memory")
        self.globals = Space("global")
        self.elems = Space("elem segment")
        self.datas = Space("data segment")
        self.tags = Space("tag")
        self.type_use: Callable[[FuncType], int] = lambda ft: 0
        self.type_of: Callable[[int], FuncType | None] = lambda index: None


class BodyParser:
    """Parses the instructions of one function or constant expression.

    Args:
        spaces: the module's index spaces.
        locals_space: names of the function's parameters and locals (None outside
            functions: constant expressions have no locals).
    """

    def __init__(self, spaces: Spaces, locals_space: Space | None = None) -> None:
        self.spaces = spaces
        self.locals = locals_space if locals_space is not None else Space("local")
        self.labels: list[str | None] = []
        self.depth = 0  # nested blocks and folded instructions being read

    # ---------------------------------------------------------------- sequences
    # The readers of nested instructions are generators driven by :func:`_drive`: a
    # nested instruction is read by yielding the generator that reads it, so nesting
    # depth costs heap, not Python stack, and is bounded only by MAX_NESTING.
    def expression(self, cur: Cursor) -> tuple[Instruction, ...]:
        """Read instructions up to the end of the cursor's list.

        Raises:
            ParseError: for anything that is not an instruction here, or nesting deeper
                than :data:`~wasmem.syntax.limits.MAX_NESTING`.
        """
        out: list[Instruction] = []
        _drive(self._expression(cur, out))
        return tuple(out)

    def instruction(self, cur: Cursor, out: list[Instruction]) -> None:
        """Read one flat or folded instruction and append its instructions to ``out``.

        Raises:
            ParseError: for anything that is not an instruction here.
        """
        if not self._plain_step(cur, out):
            _drive(self._instruction(cur, out))

    def sequence(self, cur: Cursor, stops: tuple[str, ...]) -> tuple[list[Instruction], Atom]:
        """Read flat instructions until one of ``stops``; return them and the stop token."""
        return _drive(self._sequence(cur, stops))  # type: ignore[no-any-return]

    def folded(self, node: SList, outer: Cursor, out: list[Instruction]) -> None:
        """Read the folded instruction ``node`` (taken from ``outer``) into ``out``.

        Raises:
            ParseError: as :meth:`expression`.
        """
        _drive(self._folded(node, outer, out))

    def _plain_step(self, cur: Cursor, out: list[Instruction]) -> bool:
        """Read the next instruction if it is a plain flat one; False if it is not."""
        item = cur.peek()
        if not isinstance(item, Atom) or item.kind != "keyword":
            return False
        name = item.text
        if name in _STRUCTURED or name in ("end", "else", "then"):
            return False
        cur.pos += 1
        out.append(self.plain(name, item, cur))
        return True

    def _expression(self, cur: Cursor, out: list[Instruction]) -> _Reader:
        while not cur.done():
            if not self._plain_step(cur, out):
                yield self._instruction(cur, out)

    def _instruction(self, cur: Cursor, out: list[Instruction]) -> _Reader:
        item = cur.peek()
        if isinstance(item, SList):
            cur.pos += 1
            yield self._folded(item, cur, out)
            return
        if not isinstance(item, Atom) or item.kind != "keyword":
            raise cur.unexpected()
        name = item.text
        if name in _STRUCTURED:
            cur.pos += 1
            out.append((yield self._flat_block(name, item, cur)))
            return
        if name in ("end", "else", "then"):
            raise cur.unexpected()
        cur.pos += 1
        out.append(self.plain(name, item, cur))

    def _sequence(self, cur: Cursor, stops: tuple[str, ...]) -> _Reader:
        out: list[Instruction] = []
        while True:
            keyword = cur.peek_keyword()
            if keyword in stops:
                return out, cur.next()
            if cur.done():
                raise cur.error("unexpected end")
            if not self._plain_step(cur, out):
                yield self._instruction(cur, out)

    def _enter(self, cur: Cursor, at: Any) -> None:
        """Count one more level of nesting. Raises ParseError beyond MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.depth = 0  # the error unwinds every level
            raise cur.error(f"nesting too deep: more than {MAX_NESTING} nested blocks or "
                            f"folded instructions (implementation limit)", at)

    # ---------------------------------------------------------------- structured
    def _flat_block(self, name: str, at: Atom, cur: Cursor) -> _Reader:
        self._enter(cur, at)
        label = cur.take_id()
        block_type = self.block_type(cur)
        catches = self.catches(cur) if name == "try_table" else ()
        self.labels.append(label)
        try:
            if name == "if":
                body, stop = yield self._sequence(cur, ("else", "end"))
                else_body: list[Instruction] = []
                else_position = None
                if stop.text == "else":
                    else_position = (stop.line, stop.column)
                    self.check_label(cur, label)
                    else_body, stop = yield self._sequence(cur, ("end",))
            else:
                body, stop = yield self._sequence(cur, ("end",))
                else_body, else_position = [], None
            self.check_label(cur, label)
        finally:
            self.labels.pop()
        self.depth -= 1
        return self.make_block(name, at, block_type, catches, body, else_body,
                               label, (stop.line, stop.column), else_position)

    def check_label(self, cur: Cursor, label: str | None) -> None:
        """Read the optional ``$id`` after ``end``/``else``; it must repeat the block's label.

        Raises:
            ParseError: "mismatching label".
        """
        at = cur.peek()
        name = cur.take_id()
        if name is not None and name != label:
            raise cur.error(f"mismatching label ${name}", at)

    def _folded(self, node: SList, outer: Cursor, out: list[Instruction]) -> _Reader:
        cur = outer.sub(node)
        head = node.items[0] if node.items else None
        if not isinstance(head, Atom) or head.kind != "keyword":
            raise outer.unexpected(head if head is not None else node)
        self._enter(outer, node)
        name = head.text
        if name in _STRUCTURED:
            out.append((yield self._folded_block(name, head, cur, out)))
            self.depth -= 1
            return
        instruction = self.plain(name, head, cur)
        while not cur.done():
            item = cur.peek()
            if not isinstance(item, SList):
                raise cur.unexpected()
            yield self._instruction(cur, out)
        out.append(instruction)
        self.depth -= 1

    def _folded_block(self, name: str, at: Atom, cur: Cursor,
                      out: list[Instruction]) -> _Reader:
        label = cur.take_id()
        block_type = self.block_type(cur)
        catches = self.catches(cur) if name == "try_table" else ()
        end = (cur.node.end_line, cur.node.end_column)
        if name != "if":
            self.labels.append(label)
            body: list[Instruction] = []
            try:
                yield self._expression(cur, body)
            finally:
                self.labels.pop()
            return self.make_block(name, at, block_type, catches, body, [], label, end, None)
        while not cur.done() and cur.peek_head() not in ("then", "else"):
            if not isinstance(cur.peek(), SList):
                raise cur.unexpected()
            yield self._instruction(cur, out)  # the condition, outside the label's scope
        then_node = cur.take_list("then")
        if then_node is None:
            raise cur.unexpected() if not cur.done() else cur.error("unexpected end")
        self.labels.append(label)
        try:
            body = []
            yield self._expression(cur.sub(then_node), body)
            else_body: list[Instruction] = []
            else_position = None
            else_node = cur.take_list("else")
            if else_node is not None:
                else_position = (else_node.line, else_node.column)
                yield self._expression(cur.sub(else_node), else_body)
        finally:
            self.labels.pop()
        cur.expect_end()
        return self.make_block(name, at, block_type, catches, body, else_body, label, end,
                               else_position)

    @staticmethod
    def make_block(name: str, at: Atom, block_type: BlockType, catches: tuple[Catch, ...],
                   body: list[Instruction], else_body: list[Instruction], label: str | None,
                   end: Any, else_position: Any) -> Block:
        info = BY_NAME[name]
        immediates = (block_type, catches) if name == "try_table" else (block_type,)
        return Block(info.key, immediates, (at.line, at.column), tuple(body), tuple(else_body),
                     label, end, else_position)

    def block_type(self, cur: Cursor, *, short: bool = True) -> BlockType:
        """Read ``(type x)? (param t*)* (result t*)*`` as a block type.

        Raises:
            ParseError: "inline function type" when an explicit type and inline
                declarations disagree.
        """
        index = None
        type_node = cur.take_list("type")
        if type_node is not None:
            sub = cur.sub(type_node)
            index = self.spaces.types.resolve(sub)
            sub.expect_end()
        params = self.value_list(cur, "param", allow_names=False)
        results = self.value_list(cur, "result", allow_names=False)
        if index is not None:
            declared = self.spaces.type_of(index)
            if (params or results) and declared != FuncType(tuple(params), tuple(results)):
                raise cur.error("inline function type", type_node)
            if short and declared is not None and not declared.params \
                    and len(declared.results) <= 1:
                return declared.results[0] if declared.results else None  # the short form
            return index
        if not params and len(results) <= 1:
            return results[0] if results else None
        return self.spaces.type_use(FuncType(tuple(params), tuple(results)))

    def value_list(self, cur: Cursor, head: str, *, allow_names: bool) -> list[ValType]:
        """Read consecutive ``(param ...)`` or ``(result ...)`` lists (anonymous only)."""
        out: list[ValType] = []
        while True:
            node = cur.take_list(head)
            if node is None:
                return out
            sub = cur.sub(node)
            if not allow_names and sub.take_id() is not None:
                raise sub.error("unexpected token", node.items[1])
            while not sub.done():
                out.append(sub.value_type())

    def catches(self, cur: Cursor) -> tuple[Catch, ...]:
        """Read the catch clauses of a try_table (labels resolve outside the block)."""
        out: list[Catch] = []
        while cur.peek_head() in _CATCH_KINDS:
            node = cur.next()
            assert isinstance(node, SList)
            kind = _CATCH_KINDS[node.head]  # type: ignore[index]
            sub = cur.sub(node)
            tag = self.spaces.tags.resolve(sub) if kind < 2 else None
            label = self.label(sub)
            sub.expect_end()
            out.append(Catch(kind, tag, label))
        return tuple(out)

    # ---------------------------------------------------------------- plain instructions
    def label(self, cur: Cursor) -> int:
        """Read a label reference as a relative depth. Raises ParseError "unknown label"."""
        item = cur.peek()
        if isinstance(item, Atom) and item.kind in ("id", "quoted-id"):
            name = cur.take_id()
            for depth, label in enumerate(reversed(self.labels)):
                if label == name:
                    return depth
            raise cur.error(f"unknown label ${name}", item)
        return cur.u32("label")

    def plain(self, name: str, at: Atom, cur: Cursor) -> Instruction:
        """Read the immediates of plain instruction ``name``.

        Raises:
            ParseError: "unknown operator" for a name not in the opcode table.
            UnsupportedFeature: for GC and legacy exception-handling instructions.
        """
        info = BY_NAME.get(name)
        if info is None or name == "select_t":
            if name in _LEGACY_EXCEPTIONS:
                raise cur.unsupported("exceptions", f"legacy exception instruction {name}", at)
            if name in _NOT_INSTRUCTIONS:
                raise cur.error(f"unexpected token {name}", at)
            raise cur.error(f"unknown operator {name}", at)
        position = (at.line, at.column)
        if name == "select" and cur.peek_head() == "result":
            types = self.value_list(cur, "result", allow_names=False)
            return Instruction(BY_NAME["select_t"].key, (tuple(types),), position)
        kind = info.imm
        if kind is Imm.NONE:
            return Instruction(info.key, (), position)
        if kind in _GC_KINDS or info.feature == "gc":
            raise cur.unsupported("gc", f"garbage-collection instruction {name}", at)
        return Instruction(info.key, self.immediates(info, kind, cur, at), position)

    def immediates(self, info: OpInfo, kind: Imm, cur: Cursor, at: Atom) -> tuple[Any, ...]:
        spaces = self.spaces
        if kind is Imm.LABEL:
            return (self.label(cur),)
        if kind is Imm.BR_TABLE:
            labels = [self.label(cur)]
            while cur.is_index():
                labels.append(self.label(cur))
            return (tuple(labels[:-1]), labels[-1])
        if kind is Imm.LOCAL:
            return (self.locals.resolve(cur),)
        simple = {Imm.FUNC: spaces.functions, Imm.TYPE: spaces.types, Imm.GLOBAL: spaces.globals,
                  Imm.DATA: spaces.datas, Imm.ELEM: spaces.elems, Imm.TAG: spaces.tags}
        if kind in simple:
            return (simple[kind].resolve(cur),)
        if kind is Imm.TABLE:
            return (spaces.tables.resolve(cur) if cur.is_index() else 0,)
        if kind is Imm.MEMORY:
            return (spaces.memories.resolve(cur) if cur.is_index() else 0,)
        if kind is Imm.MEMARG:
            memory = spaces.memories.resolve(cur) if cur.is_index() else 0
            return self._memarg(info, cur, memory)
        if kind is Imm.MEMARG_LANE:
            memory = 0
            if cur.is_index() and (cur.is_index(1) or _is_memarg_field(cur.peek_keyword(1))):
                memory = spaces.memories.resolve(cur)
            return (*self._memarg(info, cur, memory), self.lane(cur))
        if kind is Imm.CALL_INDIRECT:
            table = spaces.tables.resolve(cur) if cur.is_index() else 0
            return (self.type_use(cur), table)
        if kind in (Imm.I32, Imm.I64, Imm.F32, Imm.F64):
            return (self.number(kind, cur),)
        if kind is Imm.HEAP_TYPE:
            return (cur.heap_type(),)
        if kind in (Imm.DATA_MEMORY, Imm.ELEM_TABLE):
            first, second = (spaces.memories, spaces.datas) if kind is Imm.DATA_MEMORY \
                else (spaces.tables, spaces.elems)
            if cur.is_index(1):
                outer = first.resolve(cur)
                return (second.resolve(cur), outer)
            return (second.resolve(cur), 0)
        if kind in (Imm.MEMORY_MEMORY, Imm.TABLE_TABLE):
            space = spaces.memories if kind is Imm.MEMORY_MEMORY else spaces.tables
            if cur.is_index():
                return (space.resolve(cur), space.resolve(cur))
            return (0, 0)
        if kind is Imm.V128:
            return (self.v128(cur),)
        if kind is Imm.LANE:
            return (self.lane(cur),)
        if kind is Imm.SHUFFLE:
            return (tuple(self.lane(cur) for _ in range(16)),)
        raise cur.error(f"unknown operator {info.name}", at)  # pragma: no cover - table drift

    def _memarg(self, info: OpInfo, cur: Cursor, memory: int) -> tuple[int, int, int]:
        """Read ``offset=N? align=N?``; return ``(align_log2, offset, memory)``.

        Raises:
            ParseError: "alignment" when align is not a power of two.
        """
        offset = 0
        align = info.natural_alignment
        keyword = cur.peek_keyword()
        if keyword is not None and keyword.startswith("offset="):
            item = cur.next()
            value = parse_uint(keyword[7:])
            if value is None:
                raise cur.unexpected(item)
            if value >= 1 << 64:
                raise cur.error("constant out of range", item)
            offset = value
            keyword = cur.peek_keyword()
        if keyword is not None and keyword.startswith("align="):
            item = cur.next()
            value = parse_uint(keyword[6:])
            if value is None:
                raise cur.unexpected(item)
            if value == 0 or value & (value - 1):
                raise cur.error("alignment must be a power of two", item)
            align = value.bit_length() - 1
        return (align, offset, memory)

    def lane(self, cur: Cursor) -> int:
        """Read a lane index (an unsigned 8-bit number). Raises ParseError."""
        item = cur.next()
        value = parse_uint(item.text) if isinstance(item, Atom) and item.kind == "keyword" \
            else None
        if value is None:
            raise cur.unexpected(item)
        if value > 255:
            raise cur.error("malformed lane index", item)
        return value

    def number(self, kind: Imm, cur: Cursor) -> int:
        """Read an integer or float literal as a bit pattern. Raises ParseError."""
        item = cur.next()
        if not isinstance(item, Atom) or item.kind != "keyword":
            raise cur.unexpected(item)
        try:
            if kind is Imm.I32 or kind is Imm.I64:
                value = int_bits(item.text, 32 if kind is Imm.I32 else 64)
            else:
                value = float_bits(item.text, 32 if kind is Imm.F32 else 64)
        except OutOfRange:
            raise cur.error("constant out of range", item) from None
        if value is None:
            raise cur.error(f"unexpected token {item.text}: not an "
                            f"{kind.name.lower()} literal", item)
        return value

    def v128(self, cur: Cursor) -> int:
        """Read ``shape lane*`` of a v128.const as a little-endian 128-bit integer."""
        item = cur.next()
        shape = _SHAPES.get(item.text) if isinstance(item, Atom) else None
        if shape is None:
            raise cur.unexpected(item)
        count, width, is_float = shape
        bits = 0
        for lane in range(count):
            atom = cur.next()
            if not isinstance(atom, Atom) or atom.kind != "keyword":
                raise cur.unexpected(atom)
            try:
                value = float_bits(atom.text, width) if is_float else int_bits(atom.text, width)
            except OutOfRange:
                raise cur.error("constant out of range", atom) from None
            if value is None:
                raise cur.unexpected(atom)
            bits |= value << (lane * width)
        return bits

    def type_use(self, cur: Cursor) -> int:
        """Read a type use ``(type x)? (param t*)* (result t*)*``; return a type index."""
        block_type = self.block_type(cur, short=False)
        if isinstance(block_type, int):
            return block_type
        results = () if block_type is None else (block_type,)
        return self.spaces.type_use(FuncType((), results))


def _drive(root: _Reader) -> Any:
    """Run a reader generator and the readers it yields, without recursing in Python.

    A reader yields a sub-reader to have it run; the sub-reader's return value is sent
    back (its exception thrown back) into the reader. Returns the root's return value.
    """
    stack = [root]
    value: Any = None
    error: BaseException | None = None
    while True:
        reader = stack[-1]
        try:
            if error is not None:
                raised, error = error, None
                child = reader.throw(raised)
            else:
                child = reader.send(value)
        except StopIteration as stop:
            stack.pop()
            if not stack:
                return stop.value
            value = stop.value
            continue
        except Exception as exc:  # handed to the reader that yielded it
            stack.pop()
            if not stack:
                raise
            error = exc
            continue
        stack.append(child)
        value = None


def _is_memarg_field(keyword: str | None) -> bool:
    return keyword is not None and (keyword.startswith("offset=") or keyword.startswith("align="))
