"""Lexer and S-expression reader (spec "Text Format / Lexical Format").

The text is cut into tokens (parentheses, keywords, ids, strings, reserved words),
comments and annotations ``(@name ...)`` are dropped, and the tokens are grouped into a
tree of :class:`SList` nodes. The parser then walks the tree; positions (line, column)
stay on every node so every error can point at its token.

Token classes follow the spec: a maximal run of *idchars* and strings is one token. A
run that is a single string is a string, ``$`` followed by idchars (or by one string)
is an id, a run of idchars is a keyword (numbers included), anything else (``0$x``,
``$l"a"``) is a reserved token, which no rule accepts ("unknown operator").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Union

from ..errors import ParseError

__all__ = ["Atom", "SList", "Node", "read", "decode_string"]

_IDCHARS = r"0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~"
_TOKEN = re.compile(
    r"(?P<space>[ \t\n\r]+)"
    r"|(?P<line>;;[^\n\r]*)"
    r"|(?P<block>\(;)"
    r"|(?P<annot>\(@)"
    r"|(?P<open>\()"
    r"|(?P<close>\))"
    rf"|(?P<word>(?:[{_IDCHARS},\[\]{{}}]|;(?!;)|\"(?:[^\"\\\n]|\\[^\n])*\")+)"
)
_STRING_ONLY = re.compile(r'"(?:[^"\\\n]|\\[^\n])*"')
_KEYWORD = re.compile(rf"[{_IDCHARS}]+")


@dataclass(slots=True, eq=False)
class Atom:
    """A token that is not a parenthesis.

    ``kind`` is ``"keyword"`` (numbers included), ``"id"`` (``text`` without the ``$``),
    ``"string"`` (``text`` is the raw source between the quotes) or ``"reserved"``.
    """

    kind: str
    text: str
    line: int
    column: int

    def describe(self) -> str:
        """Return the token as written, for messages."""
        if self.kind == "id":
            return "$" + self.text
        if self.kind == "string":
            return f'"{self.text}"'
        return self.text


@dataclass(slots=True, eq=False)
class SList:
    """A parenthesised list; ``start``/``end`` are character offsets of ``(`` and ``)``."""

    items: list[Union[Atom, SList]] = field(default_factory=list)
    line: int = 0
    column: int = 0
    start: int = 0
    end: int = 0
    end_line: int = 0
    end_column: int = 0

    @property
    def head(self) -> str | None:
        """The keyword right after ``(``, if there is one."""
        if self.items:
            first = self.items[0]
            if isinstance(first, Atom) and first.kind == "keyword":
                return first.text
        return None

    def describe(self) -> str:
        """Return a short spelling for messages, e.g. ``(func ...)``."""
        return f"({self.head or ''} ...)"


Node = Union[Atom, SList]


class _Lines:
    """Maps character offsets to 1-based (line, column), shifted by a base position."""

    def __init__(self, source: str, line: int, column: int) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.line = line
        self.column = column

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        col = offset - self.starts[index] + 1
        if index == 0:
            col += self.column - 1
        return index + self.line, col


def read(source: str, *, file: str | None = None, line: int = 1,
         column: int = 1) -> list[Node]:
    """Tokenize ``source`` and return its top-level nodes.

    ``line``/``column`` give the position of ``source`` inside a larger file (a module
    inside a script), so positions point into that file.

    Raises:
        ParseError: on an unexpected character, unclosed comment, string, annotation
            or parenthesis, or an unmatched ``)``.
    """
    lines = _Lines(source, line, column)

    def error(message: str, offset: int) -> ParseError:
        ln, col = lines.at(offset)
        return ParseError(message, file=file, line=ln, column=col)

    top: list[Node] = []
    stack: list[tuple[SList, bool]] = []  # (list, is_annotation)
    items = top
    pos = 0
    n = len(source)
    match = _TOKEN.match
    while pos < n:
        m = match(source, pos)
        if m is None:
            ch = source[pos]
            if ch == '"':
                raise error("unclosed string", pos)
            raise error(f"illegal character {ch!r}", pos)
        kind = m.lastgroup
        end = m.end()
        if kind == "word":
            items.append(_classify(m.group(), pos, lines))
        elif kind == "open" or kind == "annot":
            ln, col = lines.at(pos)
            node = SList([], ln, col, pos, pos)
            stack.append((node, kind == "annot"))
            items.append(node)
            items = node.items
            if kind == "annot":
                end = pos + 1  # the annotation name is read as an ordinary token
        elif kind == "close":
            if not stack:
                raise error("unexpected token \")\"", pos)
            node, annotation = stack.pop()
            node.end = end
            node.end_line, node.end_column = lines.at(pos)
            items = stack[-1][0].items if stack else top
            if annotation:
                items.pop()
                nested = any(outer for _, outer in stack)  # inside another annotation
                if not nested:
                    problem = _annotation_id_problem(node, file)
                    if problem:
                        raise error(problem, node.start)
        elif kind == "block":
            end = _skip_block_comment(source, pos, error)
        pos = end
    if stack:
        node, annotation = stack[-1]
        raise error("unclosed annotation" if annotation else "unclosed parenthesis", node.start)
    return top


def _annotation_id_problem(node: SList, file: str | None) -> str | None:
    """Why an annotation's ``@id`` is not acceptable, or None if it is."""
    first = node.items[0] if node.items else None
    if not isinstance(first, Atom) or not first.text.startswith("@") or first.text == "@":
        return "empty annotation id"
    name = first.text[1:]
    if _STRING_ONLY.fullmatch(name):
        try:
            data = decode_string(Atom("string", name[1:-1], first.line, first.column),
                                 file=file)
        except ParseError:
            return "empty annotation id"
        if not data:
            return "empty annotation id"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "malformed UTF-8 encoding"
    return None


def _skip_block_comment(source: str, pos: int, error: object) -> int:
    depth = 0
    i = pos
    n = len(source)
    while i < n:
        if source.startswith("(;", i):
            depth += 1
            i += 2
        elif source.startswith(";)", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    raise error("unclosed comment", pos)  # type: ignore[operator]


def _classify(text: str, offset: int, lines: _Lines) -> Atom:
    ln, col = lines.at(offset)
    if text[0] == '"' and _STRING_ONLY.fullmatch(text):
        return Atom("string", text[1:-1], ln, col)
    if text[0] == "$" and len(text) > 1:
        rest = text[1:]
        if _KEYWORD.fullmatch(rest):
            return Atom("id", rest, ln, col)
        if rest[0] == '"' and _STRING_ONLY.fullmatch(rest):
            return Atom("quoted-id", rest[1:-1], ln, col)
    if _KEYWORD.fullmatch(text) and text[0] != "$":
        return Atom("keyword", text, ln, col)
    return Atom("reserved", text, ln, col)


_ESCAPES = {"t": 9, "n": 10, "r": 13, '"': 34, "'": 39, "\\": 92}


def decode_string(atom: Atom, *, file: str | None = None) -> bytes:
    """Return the bytes a string token denotes (escapes resolved, text as UTF-8).

    Raises:
        ParseError: on a bad escape, a control character, or a ``\\u{...}`` that is
            not a Unicode scalar value.
    """
    raw = atom.text
    if "\\" not in raw:
        for ch in raw:
            if ord(ch) < 0x20 or ord(ch) == 0x7F:
                raise ParseError("control character in string", file=file,
                                 line=atom.line, column=atom.column)
        return raw.encode("utf-8")
    out = bytearray()
    i = 0
    n = len(raw)

    def fail(message: str) -> ParseError:
        return ParseError(message, file=file, line=atom.line, column=atom.column + 1 + i)

    while i < n:
        ch = raw[i]
        if ch != "\\":
            if ord(ch) < 0x20 or ord(ch) == 0x7F:
                raise fail("control character in string")
            out += ch.encode("utf-8")
            i += 1
            continue
        if i + 1 >= n:
            raise fail("illegal escape")
        nxt = raw[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "u":
            m = re.match(r"u\{([0-9A-Fa-f](?:_?[0-9A-Fa-f])*)\}", raw[i + 1:])
            if not m:
                raise fail("illegal escape")
            value = int(m.group(1).replace("_", ""), 16)
            if value >= 0x110000 or 0xD800 <= value < 0xE000:
                raise fail("illegal escape")
            out += chr(value).encode("utf-8")
            i += 1 + m.end()
        elif i + 2 < n and all(c in "0123456789abcdefABCDEF" for c in raw[i + 1:i + 3]):
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            raise fail("illegal escape")
    return bytes(out)
