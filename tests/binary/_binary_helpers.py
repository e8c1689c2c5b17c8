"""Helpers to write binary modules by hand in the binary-format tests."""

from __future__ import annotations

from wasmem.binary.writer import encode_signed, encode_unsigned
from wasmem.syntax import BY_NAME, Block, Catch, Instruction
from wasmem.syntax.instructions import BlockType

HEADER = b"\x00asm\x01\x00\x00\x00"

u = encode_unsigned
s = encode_signed


def vec(*items: bytes) -> bytes:
    """``vec(B)``: the count, then the items."""
    return u(len(items)) + b"".join(items)


def name(text: str | bytes) -> bytes:
    """A name: length-prefixed UTF-8 (or raw bytes)."""
    raw = text.encode() if isinstance(text, str) else text
    return u(len(raw)) + raw


def section(section_id: int, *parts: bytes) -> bytes:
    """A section with its id and the size of its contents."""
    content = b"".join(parts)
    return bytes([section_id]) + u(len(content)) + content


def module(*sections: bytes) -> bytes:
    """A module: the header and the given sections."""
    return HEADER + b"".join(sections)


TYPE_VOID = section(1, vec(b"\x60\x00\x00"))
"""A type section with one type, ``[] -> []``."""


def code_entry(body: bytes, locals_: bytes = b"\x00") -> bytes:
    """One code entry: size, locals vector and body (which must end with ``end``)."""
    content = locals_ + body
    return u(len(content)) + content


def func_module(body: bytes, *before_code: bytes, locals_: bytes = b"\x00",
                after_code: tuple[bytes, ...] = ()) -> bytes:
    """A module with one ``[] -> []`` function whose body is ``body`` (including its end).

    ``before_code`` sections go between the function section and the code section.
    """
    return module(TYPE_VOID, section(3, vec(b"\x00")), *before_code,
                  section(10, vec(code_entry(body, locals_))), *after_code)


def op(name_: str, *immediates: object) -> Instruction:
    """An instruction by text name."""
    return Instruction(BY_NAME[name_].key, tuple(immediates))


def block(name_: str, block_type: BlockType, *body: Instruction,
          else_body: tuple[Instruction, ...] = (), catches: tuple[Catch, ...] | None = None
          ) -> Block:
    """A structured instruction by text name."""
    immediates: tuple[object, ...] = (block_type,) if catches is None else (block_type, catches)
    return Block(BY_NAME[name_].key, immediates, body=tuple(body), else_body=else_body)
