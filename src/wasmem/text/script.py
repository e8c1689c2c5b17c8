"""Spec scripts (``.wast``) and module sources (the reference interpreter's script grammar).

:func:`parse_script` turns a script into :mod:`wasmem.script.commands`; modules stay
sources (their text, with its position in the file) until a command runs them, so one
malformed module fails one command, not the whole file.
"""

from __future__ import annotations

from ..binary import decode_module
from ..errors import ParseError
from ..script import commands as c
from ..syntax.module import Module
from ..syntax.types import F32, F64, I32, I64, NumType
from .cursor import HEAP_TYPES, Cursor
from .lexer import Atom, SList, read
from .literals import OutOfRange, float_bits, int_bits
from .module import ModuleParser
from ..syntax.building import without_collector

__all__ = ["parse_module", "parse_script", "parse_module_source"]

_MODULE_FIELDS = {"type", "rec", "import", "func", "table", "memory", "global", "tag",
                  "export", "start", "elem", "data"}
_NUM = {"i32.const": I32, "i64.const": I64, "f32.const": F32, "f64.const": F64}
_WIDTH = {I32: 32, I64: 64, F32: 32, F64: 64}
_REF_KINDS = {"ref.func": "func", "ref.any": "any", "ref.eq": "eq", "ref.i31": "i31",
              "ref.struct": "struct", "ref.array": "array", "ref.exn": "exn",
              "ref.extern": "extern", "ref.host": "host"}


@without_collector
def parse_module(source: str, *, file: str | None = None, line: int = 1,
                 column: int = 1) -> Module:
    """Parse a WebAssembly text module: one ``(module ...)`` or a bare list of fields.

    Raises:
        ParseError: malformed text, with file, line and column.
        DecodeError: a ``(module binary ...)`` whose bytes are malformed.
        UnsupportedFeature: text that uses a proposal wasmem does not implement (GC).
    """
    nodes = read(source, file=file, line=line, column=column)
    if len(nodes) == 1 and isinstance(nodes[0], SList) and nodes[0].head == "module":
        return _module_node(nodes[0], file)
    for node in nodes:
        if not isinstance(node, SList):
            raise ParseError(f"unexpected token {node.describe()}", file=file,
                             line=node.line, column=node.column)
    fields = []
    for node in nodes:
        assert isinstance(node, SList)
        if node.head == "module":
            raise ParseError("a module must be alone in its text", file=file,
                             line=node.line, column=node.column)
        fields.append(node)
    return ModuleParser(fields, file, None, file).parse()


def _module_node(node: SList, file: str | None) -> Module:
    cur = Cursor(node, file)
    cur.take_keyword("definition")
    name = cur.take_id()
    if cur.peek_keyword() in ("binary", "quote"):
        mode = cur.next()
        data = cur.strings()
        cur.expect_end()
        if mode.text == "binary":  # type: ignore[union-attr]
            return decode_module(data, file=file)
        return parse_module_source(c.QuoteModule(_quote_text(data)), file=file)
    fields = []
    while not cur.done():
        item = cur.next()
        if not isinstance(item, SList):
            raise cur.unexpected(item)
        fields.append(item)
    return ModuleParser(fields, file, name, file, node).parse()


def _quote_text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def parse_module_source(source: c.ModuleSource, *, file: str | None = None) -> Module:
    """Turn a script's module source (text, quote or binary) into a module.

    Raises:
        ParseError, DecodeError, UnsupportedFeature: as :func:`parse_module` and
            :func:`wasmem.binary.decode_module`.
    """
    if isinstance(source, c.BinaryModule):
        return decode_module(source.data, file=file)
    if isinstance(source, c.QuoteModule):
        text = source.text
        for index, ch in enumerate(text):
            if "\udc80" <= ch <= "\udcff":
                raise ParseError("malformed UTF-8 encoding", file=file, line=1,
                                 column=index + 1)
        return parse_module(text, file=file)
    return parse_module(source.text, file=file, line=source.line, column=source.column)


# ------------------------------------------------------------------ scripts
@without_collector
def parse_script(source: str, *, file: str | None = None) -> list[c.Command]:
    """Parse a ``.wast`` script into commands.

    Raises:
        ParseError: when the script itself (not a module inside it) is malformed.
    """
    commands: list[c.Command] = []
    reader = _ScriptReader(source, file)
    nodes = read(source, file=file)
    if nodes and isinstance(nodes[0], SList) and nodes[0].head in _MODULE_FIELDS:
        # a script that is just module fields is one inline module
        first = nodes[0]
        return [c.ModuleCommand(first.line, None, c.TextModule(source, 1, 1))]
    for node in nodes:
        if not isinstance(node, SList):
            raise ParseError(f"unexpected token {node.describe()}", file=file,
                             line=node.line, column=node.column)
        commands.append(reader.command(node))
    return commands


class _ScriptReader:
    def __init__(self, source: str, file: str | None) -> None:
        self.source = source
        self.file = file

    def cursor(self, node: SList) -> Cursor:
        return Cursor(node, self.file)

    def command(self, node: SList) -> c.Command:
        head = node.head
        cur = self.cursor(node)
        line = node.line
        if head == "module":
            if cur.peek_keyword() == "instance":
                cur.next()
                name = cur.take_id()
                definition_name = cur.take_id()
                cur.expect_end()
                return c.InstanceCommand(line, name, definition_name)
            is_definition = cur.peek_keyword() == "definition"
            module_name, source = self.module(node)
            return c.ModuleCommand(line, module_name, source, is_definition)
        if head == "register":
            as_name = cur.name()
            module = cur.take_id()
            cur.expect_end()
            return c.Register(line, as_name, module)
        if head in ("invoke", "get"):
            return c.ActionCommand(line, self.action(node))
        if head == "assert_return":
            action = self.action(self.list_arg(cur))
            results = []
            while not cur.done():
                results.append(self.result(self.list_arg(cur)))
            return c.AssertReturn(line, action, tuple(results))
        if head in ("assert_trap", "assert_exhaustion", "assert_malformed", "assert_invalid",
                    "assert_unlinkable", "assert_uninstantiable"):
            target_node = self.list_arg(cur)
            message = cur.string().decode("utf-8", errors="replace")
            cur.expect_end()
            if target_node.head == "module":
                source = self.module(target_node)[1]
                if head == "assert_trap":
                    return c.AssertTrap(line, source, message)
                if head == "assert_malformed":
                    return c.AssertMalformed(line, source, message)
                if head == "assert_invalid":
                    return c.AssertInvalid(line, source, message)
                if head == "assert_unlinkable":
                    return c.AssertUnlinkable(line, source, message)
                if head == "assert_uninstantiable":
                    return c.AssertUninstantiable(line, source, message)
                raise cur.unexpected(target_node)
            action = self.action(target_node)
            if head == "assert_trap":
                return c.AssertTrap(line, action, message)
            if head == "assert_exhaustion":
                return c.AssertExhaustion(line, action, message)
            raise cur.unexpected(target_node)
        if head == "assert_exception":
            action = self.action(self.list_arg(cur))
            cur.expect_end()
            return c.AssertException(line, action)
        raise cur.unexpected(node.items[0] if node.items else node)

    def list_arg(self, cur: Cursor) -> SList:
        item = cur.next()
        if not isinstance(item, SList):
            raise cur.unexpected(item)
        return item

    def module(self, node: SList) -> tuple[str | None, c.ModuleSource]:
        """Return the ``$id`` and source of a ``(module ...)`` form."""
        cur = self.cursor(node)
        if node.head != "module":
            raise cur.unexpected(node)
        cur.take_keyword("definition")
        name = cur.take_id()
        keyword = cur.peek_keyword()
        if keyword in ("binary", "quote"):
            cur.next()
            data = b""
            while not cur.done():
                data += cur.string()
            if keyword == "binary":
                return name, c.BinaryModule(data)
            return name, c.QuoteModule(_quote_text(data))
        return name, c.TextModule(self.source[node.start:node.end], node.line, node.column)

    def action(self, node: SList) -> c.Action:
        cur = self.cursor(node)
        if node.head == "invoke":
            module = cur.take_id()
            name = cur.name()
            args = []
            while not cur.done():
                args.append(self.value(self.list_arg(cur)))
            return c.Invoke(module, name, tuple(args))
        if node.head == "get":
            module = cur.take_id()
            name = cur.name()
            cur.expect_end()
            return c.Get(module, name)
        raise cur.unexpected(node.items[0] if node.items else node)

    def number(self, cur: Cursor, value_type: NumType) -> int:
        item = cur.next()
        if not isinstance(item, Atom) or item.kind != "keyword":
            raise cur.unexpected(item)
        width = _WIDTH[value_type]
        try:
            bits = int_bits(item.text, width) if value_type in (I32, I64) \
                else float_bits(item.text, width)
        except OutOfRange:
            raise cur.error("constant out of range", item) from None
        if bits is None:
            raise cur.unexpected(item)
        return bits

    def value(self, node: SList) -> c.Value:
        cur = self.cursor(node)
        head = node.head
        if head in _NUM:
            bits = self.number(cur, _NUM[head])  # type: ignore[arg-type]
            cur.expect_end()
            return c.NumValue(_NUM[head], bits)  # type: ignore[arg-type]
        if head == "v128.const":
            from .instructions import BodyParser, Spaces
            bits = BodyParser(Spaces()).v128(cur)
            cur.expect_end()
            return c.VecValue(bits)
        if head == "ref.null":
            heap = cur.heap_type() if not cur.done() else HEAP_TYPES["func"]
            cur.expect_end()
            return c.RefNullValue(heap)
        if head in ("ref.extern", "ref.host"):
            value = cur.u32()
            cur.expect_end()
            return c.RefExternValue(value) if head == "ref.extern" else c.RefHostValue(value)
        raise cur.unexpected(node.items[0] if node.items else node)

    def result(self, node: SList) -> c.Result:
        cur = self.cursor(node)
        head = node.head
        if head in _NUM:
            value_type = _NUM[head]
            nan = self.nan_pattern(cur, value_type)  # type: ignore[arg-type]
            if nan is not None:
                return c.NumResult(value_type, None, nan)  # type: ignore[arg-type]
            bits = self.number(cur, value_type)  # type: ignore[arg-type]
            cur.expect_end()
            return c.NumResult(value_type, bits)  # type: ignore[arg-type]
        if head == "v128.const":
            return self.vector_result(cur)
        if head == "either":
            options = []
            while not cur.done():
                options.append(self.result(self.list_arg(cur)))
            return c.EitherResult(tuple(options))
        if head == "ref.null":
            heap = cur.heap_type() if not cur.done() else None
            cur.expect_end()
            return c.RefResult("null", heap)
        if head in _REF_KINDS:
            value = cur.u32() if not cur.done() else None
            cur.expect_end()
            return c.RefResult(_REF_KINDS[head], None, value)  # type: ignore[index]
        raise cur.unexpected(node.items[0] if node.items else node)

    def nan_pattern(self, cur: Cursor, value_type: NumType) -> c.NanPattern | None:
        keyword = cur.peek_keyword()
        if keyword in ("nan:canonical", "nan:arithmetic") and value_type in (F32, F64):
            cur.next()
            cur.expect_end()
            return c.NanPattern(value_type, keyword[4:])
        return None

    def vector_result(self, cur: Cursor) -> c.VecResult:
        item = cur.next()
        shapes = {"i8x16": (16, I32, 8), "i16x8": (8, I32, 16), "i32x4": (4, I32, 32),
                  "i64x2": (2, I64, 64), "f32x4": (4, F32, 32), "f64x2": (2, F64, 64)}
        shape = shapes.get(item.text) if isinstance(item, Atom) else None
        if shape is None:
            raise cur.unexpected(item)
        count, lane_type, width = shape
        lanes: list[int | c.NanPattern] = []
        for _ in range(count):
            keyword = cur.peek_keyword()
            if lane_type in (F32, F64) and keyword in ("nan:canonical", "nan:arithmetic"):
                cur.next()
                lanes.append(c.NanPattern(lane_type, keyword[4:]))  # type: ignore[index]
                continue
            atom = cur.next()
            if not isinstance(atom, Atom) or atom.kind != "keyword":
                raise cur.unexpected(atom)
            try:
                bits = float_bits(atom.text, width) if lane_type in (F32, F64) \
                    else int_bits(atom.text, width)
            except OutOfRange:
                raise cur.error("constant out of range", atom) from None
            if bits is None:
                raise cur.unexpected(atom)
            lanes.append(bits)
        cur.expect_end()
        return c.VecResult(item.text, tuple(lanes))  # type: ignore[union-attr]
