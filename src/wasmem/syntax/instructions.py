"""Instructions (spec "Structure / Instructions") as frozen data.

An instruction is its opcode key (see :mod:`wasmem.syntax.opcodes`) plus a tuple of
immediates whose shape is fixed by the opcode's immediate kind. Structured instructions
(block, loop, if, try_table) are :class:`Block` nodes that hold their bodies, so a
function body is a tree, exactly as in the spec's abstract syntax.

Immediate shapes, by :class:`~wasmem.syntax.opcodes.Imm` kind:

====================  ===========================================================
NONE                  ``()``
BLOCK                 ``(block_type,)``: ``None`` (no result), a ValType, or a type index
LABEL                 ``(depth,)`` relative label index
BR_TABLE              ``(labels: tuple[int, ...], default: int)``
FUNC/TYPE/LOCAL/...   ``(index,)``
CALL_INDIRECT         ``(type_index, table_index)``
MEMARG                ``(align_log2, offset, memory_index)``
I32, I64              ``(value,)`` as the unsigned bit pattern (``-1`` is ``0xFFFFFFFF``)
F32, F64              ``(bits,)`` the IEEE-754 bit pattern as an int (keeps NaN payloads)
HEAP_TYPE             ``(heap_type,)`` AbsHeapType or type index
SELECT_T              ``(value_types: tuple[ValType, ...],)``
DATA_MEMORY           ``(data_index, memory_index)`` memory.init
MEMORY_MEMORY         ``(destination_memory, source_memory)`` memory.copy
ELEM_TABLE            ``(elem_index, table_index)`` table.init
TABLE_TABLE           ``(destination_table, source_table)`` table.copy
TRY_TABLE             ``(block_type, catches: tuple[Catch, ...])``
V128                  ``(bits,)`` 128-bit little-endian integer
LANE                  ``(lane,)``
SHUFFLE               ``(lanes: tuple[int, ...16],)``
MEMARG_LANE           ``(align_log2, offset, memory_index, lane)``
====================  ===========================================================
"""

from __future__ import annotations

from typing import Any, ClassVar

from .record import Record
from .types import ValType

__all__ = ["Position", "Instruction", "Block", "Catch", "BlockType", "Expr"]

Position = tuple[int, int] | int | None
"""Where a node came from: ``(line, column)`` for text, a byte offset for binaries."""

BlockType = ValType | int | None
"""A block type: ``None`` = ``[] -> []``, a value type = ``[] -> [t]``, an int = type index."""


class Instruction(Record):
    """A plain instruction: opcode key and immediates. Position is not part of equality.

    Treat it as immutable, like every node of the abstract syntax. It is the one node
    class whose fields can be assigned: a module holds one per instruction, and setting
    each field through ``object.__setattr__`` costs three times as much, which is most
    of the time to decode or parse a large module. Equality and hashing are those of
    the other nodes.
    """

    __slots__ = ("opcode", "immediates", "position")
    _compared: ClassVar[tuple[str, ...]] = ("opcode", "immediates")
    _shown: ClassVar[tuple[str, ...]] = ("opcode", "immediates")
    opcode: int
    immediates: tuple[Any, ...]
    position: Position
    __setattr__ = object.__setattr__  # type: ignore[assignment]
    __delattr__ = object.__delattr__  # type: ignore[assignment]

    def __init__(self, opcode: int, immediates: tuple[Any, ...] = (),
                 position: Position = None) -> None:
        self.opcode = opcode
        self.immediates = immediates
        self.position = position


class Block(Instruction):
    """A structured instruction: block, loop, if (with ``else_body``) or try_table.

    ``immediates[0]`` is the block type. ``label`` is the text label name (``$l``), kept
    for messages only. ``end_position`` / ``else_position`` point at ``end`` / ``else``.

    Equality and hashing compare opcode, immediates, body and else body like the
    dataclass methods would, but walk nested blocks with an explicit stack: a module may
    nest blocks far deeper than Python's recursion limit.
    """

    __slots__ = ("body", "else_body", "label", "end_position", "else_position")
    _compared = ("opcode", "immediates", "body", "else_body")
    _shown = ("opcode", "immediates", "body", "else_body")
    body: tuple[Instruction, ...]
    else_body: tuple[Instruction, ...]
    label: str | None
    end_position: Position
    else_position: Position

    def __init__(self, opcode: int, immediates: tuple[Any, ...] = (),
                 position: Position = None, body: tuple[Instruction, ...] = (),
                 else_body: tuple[Instruction, ...] = (), label: str | None = None,
                 end_position: Position = None, else_position: Position = None) -> None:
        self.opcode = opcode
        self.immediates = immediates
        self.position = position
        self.body = body
        self.else_body = else_body
        self.label = label
        self.end_position = end_position
        self.else_position = else_position

    @property
    def block_type(self) -> BlockType:
        """The block type immediate."""
        return self.immediates[0]  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        pending: list[tuple[Instruction, Instruction]] = [(self, other)]  # type: ignore[list-item]
        while pending:
            a, b = pending.pop()
            if a.__class__ is not b.__class__ or a.opcode != b.opcode \
                    or a.immediates != b.immediates:
                return False
            if isinstance(a, Block):
                assert isinstance(b, Block)
                if len(a.body) != len(b.body) or len(a.else_body) != len(b.else_body):
                    return False
                pending.extend(zip(a.body, b.body))
                pending.extend(zip(a.else_body, b.else_body))
        return True

    def __hash__(self) -> int:
        shape: list[Any] = []
        pending: list[Any] = [self]
        while pending:
            node = pending.pop()
            if not isinstance(node, Instruction):
                shape.append(node)  # a marker closing a body
                continue
            shape.append((node.__class__, node.opcode, node.immediates))
            if isinstance(node, Block):
                pending.append(len(node.else_body))
                pending.extend(reversed(node.else_body))
                pending.append(-1 - len(node.body))
                pending.extend(reversed(node.body))
        return hash(tuple(shape))


class Catch(Record):
    """A try_table catch clause.

    ``kind``: 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref (the binary codes).
    ``tag`` is the tag index (``None`` for the catch_all forms); ``label`` a relative depth.
    """

    __slots__ = ("kind", "tag", "label")
    _compared = _shown = ("kind", "tag", "label")
    kind: int
    tag: int | None
    label: int

    def __init__(self, kind: int, tag: int | None, label: int) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "tag", tag)
        object.__setattr__(self, "label", label)


Expr = tuple[Instruction, ...]
"""An expression: a sequence of instructions (the final ``end`` is implicit)."""
