"""Walking the S-expression tree: a cursor over one list, and the small grammar rules
shared by modules, instructions and scripts (indices, names, value types, limits).
"""

from __future__ import annotations

from ..errors import ParseError, UnsupportedFeature
from ..syntax.types import (
    F32,
    F64,
    I32,
    I64,
    V128,
    AbsHeapType,
    HeapType,
    Limits,
    NumType,
    RefType,
    ValType,
)
from .lexer import Atom, Node, SList, decode_string
from .literals import parse_uint

__all__ = ["Cursor", "Space", "NUM_TYPES", "REF_SHORTHANDS", "HEAP_TYPES"]

NUM_TYPES: dict[str, ValType] = {"i32": I32, "i64": I64, "f32": F32, "f64": F64, "v128": V128}
HEAP_TYPES: dict[str, AbsHeapType] = {
    "func": AbsHeapType.FUNC, "extern": AbsHeapType.EXTERN, "any": AbsHeapType.ANY,
    "eq": AbsHeapType.EQ, "i31": AbsHeapType.I31, "struct": AbsHeapType.STRUCT,
    "array": AbsHeapType.ARRAY, "exn": AbsHeapType.EXN, "noexn": AbsHeapType.NOEXN,
    "nofunc": AbsHeapType.NOFUNC, "noextern": AbsHeapType.NOEXTERN, "none": AbsHeapType.NONE,
}
REF_SHORTHANDS: dict[str, RefType] = {
    "funcref": RefType(True, AbsHeapType.FUNC),
    "externref": RefType(True, AbsHeapType.EXTERN),
    "anyref": RefType(True, AbsHeapType.ANY),
    "eqref": RefType(True, AbsHeapType.EQ),
    "i31ref": RefType(True, AbsHeapType.I31),
    "structref": RefType(True, AbsHeapType.STRUCT),
    "arrayref": RefType(True, AbsHeapType.ARRAY),
    "exnref": RefType(True, AbsHeapType.EXN),
    "nullexnref": RefType(True, AbsHeapType.NOEXN),
    "nullfuncref": RefType(True, AbsHeapType.NOFUNC),
    "nullexternref": RefType(True, AbsHeapType.NOEXTERN),
    "nullref": RefType(True, AbsHeapType.NONE),
}


class Cursor:
    """Reads the items of one list left to right.

    ``resolve_type`` maps a type reference (``$t`` or a number) to a type index; the
    module parser supplies it so value types like ``(ref $t)`` can be read anywhere.
    """

    __slots__ = ("file", "items", "node", "pos", "resolve_type")

    def __init__(self, node: SList, file: str | None, start: int = 1,
                 resolve_type: object = None) -> None:
        self.items = node.items
        self.pos = start
        self.node = node
        self.file = file
        self.resolve_type = resolve_type

    # ---------------------------------------------------------------- errors
    def error(self, message: str, at: Node | None = None) -> ParseError:
        """Return a ParseError located at ``at`` (default: the next item, or the list's end)."""
        if at is None:
            at = self.peek()
        if at is None:
            return ParseError(message, file=self.file, line=self.node.end_line or self.node.line,
                              column=self.node.end_column or self.node.column)
        return ParseError(message, file=self.file, line=at.line, column=at.column)

    def unexpected(self, at: Node | None = None) -> ParseError:
        """The error for a token no rule accepts here."""
        at = at if at is not None else self.peek()
        if at is None:
            return self.error("unexpected end")
        if isinstance(at, Atom) and at.kind == "reserved":
            if at.text.startswith("$"):
                return self.error("empty identifier" if at.text == "$"
                                  else f"unknown operator {at.text}", at)
            return self.error(f"unknown operator {at.text}", at)
        return self.error(f"unexpected token {_describe(at)}", at)

    # ---------------------------------------------------------------- reading
    def peek(self, ahead: int = 0) -> Node | None:
        """The next item (or one further ahead), without consuming it."""
        i = self.pos + ahead
        return self.items[i] if i < len(self.items) else None

    def done(self) -> bool:
        """True when every item has been read."""
        return self.pos >= len(self.items)

    def next(self) -> Node:
        """Consume the next item.

        Raises:
            ParseError: "unexpected end" if there is none.
        """
        if self.pos >= len(self.items):
            raise self.error("unexpected end")
        item = self.items[self.pos]
        self.pos += 1
        return item

    def expect_end(self) -> None:
        """Raises ParseError if items are left."""
        if self.pos < len(self.items):
            raise self.unexpected()

    def peek_keyword(self, ahead: int = 0) -> str | None:
        """The keyword text of the next item, if it is a keyword."""
        item = self.peek(ahead)
        if isinstance(item, Atom) and item.kind == "keyword":
            return item.text
        return None

    def peek_head(self, ahead: int = 0) -> str | None:
        """The head keyword of the next item, if it is a list."""
        item = self.peek(ahead)
        return item.head if isinstance(item, SList) else None

    def take_keyword(self, keyword: str) -> bool:
        """Consume the next item if it is ``keyword``."""
        if self.peek_keyword() == keyword:
            self.pos += 1
            return True
        return False

    def take_list(self, head: str) -> SList | None:
        """Consume the next item if it is a list starting with ``head``."""
        item = self.peek()
        if isinstance(item, SList) and item.head == head:
            self.pos += 1
            return item
        return None

    def sub(self, node: SList) -> Cursor:
        """A cursor over ``node``'s items after its head."""
        return Cursor(node, self.file, 1, self.resolve_type)

    def take_id(self) -> str | None:
        """Consume an ``$id`` if there is one; return its name.

        Raises:
            ParseError: for an empty or non-UTF-8 quoted id.
        """
        item = self.peek()
        if isinstance(item, Atom):
            if item.kind == "id":
                self.pos += 1
                return item.text
            if item.kind == "quoted-id":
                self.pos += 1
                return self.quoted_id(item)
        return None

    def quoted_id(self, item: Atom) -> str:
        """The name of a ``$"..."`` id. Raises ParseError when empty or not UTF-8."""
        raw = decode_string(item, file=self.file)
        if not raw:
            raise self.error("empty identifier", item)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error("malformed UTF-8 encoding", item) from None

    def is_index(self, ahead: int = 0) -> bool:
        """True if the next item could be an index (a number or an id)."""
        item = self.peek(ahead)
        if not isinstance(item, Atom):
            return False
        if item.kind in ("id", "quoted-id"):
            return True
        return item.kind == "keyword" and parse_uint(item.text) is not None

    def u32(self, what: str = "u32") -> int:
        """Consume an unsigned 32-bit integer. Raises ParseError."""
        return self.unsigned(32, what)

    def unsigned(self, bits: int, what: str = "integer") -> int:
        """Consume an unsigned integer of at most ``bits`` bits. Raises ParseError."""
        item = self.next()
        if isinstance(item, Atom) and item.kind == "keyword":
            value = parse_uint(item.text)
            if value is not None:
                if value >= 1 << bits:
                    raise self.error("constant out of range", item)
                return value
        raise self.unexpected(item)

    def string(self) -> bytes:
        """Consume a string token; return its bytes. Raises ParseError."""
        item = self.next()
        if isinstance(item, Atom) and item.kind == "string":
            return decode_string(item, file=self.file)
        raise self.unexpected(item)

    def name(self) -> str:
        """Consume a string that must be valid UTF-8 (a name). Raises ParseError."""
        item = self.peek()
        data = self.string()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error("malformed UTF-8 encoding", item) from None

    def strings(self) -> bytes:
        """Consume zero or more strings; return them concatenated."""
        out = b""
        while isinstance(self.peek(), Atom) and self.peek().kind == "string":  # type: ignore[union-attr]
            out += self.string()
        return out

    # ---------------------------------------------------------------- types
    def heap_type(self) -> HeapType:
        """Consume a heap type: ``func``, ``extern``, ... or a type index. Raises ParseError."""
        item = self.peek()
        if isinstance(item, Atom) and item.kind == "keyword" and item.text in HEAP_TYPES:
            self.pos += 1
            return HEAP_TYPES[item.text]
        if self.is_index():
            return self.type_index()
        raise self.unexpected()

    def type_index(self) -> int:
        """Consume a type reference and resolve it. Raises ParseError."""
        if self.resolve_type is None:
            item = self.next()
            raise self.error("unknown type", item)
        return self.resolve_type(self)  # type: ignore[operator, no-any-return]

    def value_type(self) -> ValType:
        """Consume a value type. Raises ParseError."""
        item = self.peek()
        if isinstance(item, Atom) and item.kind == "keyword":
            t = NUM_TYPES.get(item.text) or REF_SHORTHANDS.get(item.text)
            if t is not None:
                self.pos += 1
                return t
        if isinstance(item, SList) and item.head == "ref":
            self.pos += 1
            inner = self.sub(item)
            nullable = inner.take_keyword("null")
            heap = inner.heap_type()
            inner.expect_end()
            return RefType(nullable, heap)
        raise self.unexpected()

    def is_value_type(self) -> bool:
        """True if the next item starts a value type."""
        item = self.peek()
        if isinstance(item, Atom):
            return item.kind == "keyword" and (item.text in NUM_TYPES
                                               or item.text in REF_SHORTHANDS)
        return isinstance(item, SList) and item.head == "ref"

    def ref_type(self) -> RefType:
        """Consume a reference type. Raises ParseError."""
        at = self.peek()
        t = self.value_type()
        if not isinstance(t, RefType):
            raise self.unexpected(at)
        return t

    def limits(self, bits: int) -> Limits:
        """Consume ``min max?`` (each below ``2**bits``). Raises ParseError."""
        minimum = self.unsigned(bits, "limit")
        maximum = None
        item = self.peek()
        if isinstance(item, Atom) and item.kind == "keyword" and parse_uint(item.text) is not None:
            maximum = self.unsigned(bits, "limit")
        return Limits(minimum, maximum)

    def address_type(self) -> NumType:
        """Consume an optional ``i32``/``i64`` address type (default i32)."""
        if self.take_keyword("i64"):
            return I64
        self.take_keyword("i32")
        return I32

    def unsupported(self, feature: str, what: str, at: Node | None = None) -> UnsupportedFeature:
        """An UnsupportedFeature error located at ``at``."""
        at = at if at is not None else self.peek()
        line = at.line if at is not None else self.node.line
        column = at.column if at is not None else self.node.column
        return UnsupportedFeature(feature, what, file=self.file, line=line, column=column)


class Space:
    """One index space of a module (functions, types, ...): names to indices."""

    __slots__ = ("count", "kind", "names")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.names: dict[str, int] = {}
        self.count = 0

    def add(self, name: str | None, cursor: Cursor, at: Node | None, label: str) -> int:
        """Append an entity; return its index.

        Raises:
            ParseError: "duplicate <label>" if ``name`` is already bound.
        """
        index = self.count
        if name is not None:
            if name in self.names:
                raise cursor.error(f"duplicate {label} ${name}", at)
            self.names[name] = index
        self.count += 1
        return index

    def resolve(self, cursor: Cursor) -> int:
        """Consume an index (number or ``$id``) and return it.

        Raises:
            ParseError: "unknown <kind>" for an unbound name.
        """
        item = cursor.peek()
        if isinstance(item, Atom):
            if item.kind in ("id", "quoted-id"):
                cursor.pos += 1
                name = item.text if item.kind == "id" else cursor.quoted_id(item)
                index = self.names.get(name)
                if index is None:
                    raise cursor.error(f"unknown {self.kind} ${name}", item)
                return index
            if item.kind == "keyword":
                value = parse_uint(item.text)
                if value is not None:
                    cursor.pos += 1
                    if value >= 1 << 32:
                        raise cursor.error("constant out of range", item)
                    return value
        raise cursor.unexpected(item)


def _describe(node: Node) -> str:
    return node.describe()
