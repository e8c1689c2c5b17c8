"""Functions whose body stays in its binary encoding until something needs the tree.

A module of a megabyte holds about half a million instructions; building a node for
each costs more than everything else about loading it. :func:`decode_module` with
``lazy_bodies=True`` therefore gives :class:`EncodedFunction` objects: the locals are
decoded, the body is kept as a byte range of the module and decoded on first access of
``body`` (the compiler and interpreter do that when the function is first called).
:func:`wasmem.load.load_binary` validates such a body straight from its bytes.
"""

from __future__ import annotations

from typing import Any

from ..syntax.instructions import Expr, Position
from ..syntax.module import Function
from ..syntax.types import ValType

__all__ = ["EncodedFunction"]

class EncodedFunction(Function):
    """A :class:`~wasmem.syntax.module.Function` whose body is decoded on first use.

    ``encoded`` is ``(data, start, end)``: the module's bytes and the range of the body
    expression (after the locals, up to and including the final ``end``). Equality and
    hashing are those of a plain Function with the decoded body.
    """

    __slots__ = ("_decoded", "encoded")
    encoded: tuple[bytes, int, int]
    _decoded: Expr | None

    def __init__(self, type_index: int, locals: tuple[ValType, ...],
                 encoded: tuple[bytes, int, int] | None = None, position: Position = None,
                 end_position: Position = None, body: Expr | None = None) -> None:
        # ``body``/``end_position`` let ``dataclasses.replace`` (which passes a
        # Function's fields) make a copy whose body is given
        setter = object.__setattr__
        setter(self, "type_index", type_index)
        setter(self, "locals", locals)
        setter(self, "position", position)
        if encoded is None:
            if body is None:
                raise TypeError("EncodedFunction needs encoded bytes or a body")
            setter(self, "end_position", end_position)
            setter(self, "encoded", (b"", 0, 0))
            setter(self, "_decoded", tuple(body))
            return
        setter(self, "end_position", encoded[2] - 1 if end_position is None else end_position)
        setter(self, "encoded", encoded)
        setter(self, "_decoded", None)

    @property  # type: ignore[override]
    def body(self) -> Expr:  # type: ignore[override]  # pyright: ignore
        """The body's instructions, decoded (once) from ``encoded``.

        Raises:
            DecodeError: if the bytes are malformed (never after the module validated).
        """
        decoded = self._decoded
        if decoded is None:
            from ..syntax.building import collector_paused
            from .decode_code import read_expression
            from .decode_types import DecodeContext
            from .reader import Reader
            data, start, end = self.encoded
            reader = Reader(data, start)
            reader.end = end
            with collector_paused():
                decoded, _ = read_expression(reader, DecodeContext())
            object.__setattr__(self, "_decoded", decoded)
        return decoded

    @property
    def is_decoded(self) -> bool:
        """True once ``body`` has been decoded."""
        return self._decoded is not None

    def _key(self) -> tuple[Any, ...]:
        return (self.type_index, self.locals, self.body)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Function):
            return self._key() == (other.type_index, other.locals, other.body)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and copy as a plain Function (with the decoded body)."""
        return (Function, (self.type_index, self.locals, self.body, self.position,
                           self.end_position))

    def __repr__(self) -> str:
        return (f"EncodedFunction(type_index={self.type_index!r}, locals={self.locals!r}, "
                f"encoded=bytes[{self.encoded[1]}:{self.encoded[2]}])")
