"""Run-time helpers shared by the execution tiers: traps, tables, calls, fuel.

Everything here raises :class:`wasmem.errors.Trap` (or a subclass) with the spec's
messages; compiled code and the interpreter bind these functions by name.
"""

from __future__ import annotations

import struct
from typing import Any

from ..errors import FuelExhausted, Trap, TrapCode, TrapMessage
from ..memory.access import accessors
from ..runtime.exceptions import WasmThrow
from ..runtime.functions import FunctionInstance
from ..runtime.tables import TableInstance, TableOutOfBounds
from ..runtime.types import func_subtype
from .numeric.bits import f32_pack_into, f32_unpack

__all__ = [
    "unreachable",
    "indirect",
    "indirect_check",
    "call_ref",
    "ref_as_non_null",
    "throw_ref",
    "table_fill",
    "table_copy",
    "table_init",
    "out_of_fuel",
    "MEMORY_ACCESS_ERRORS",
    "STRUCTS",
]

MEMORY_ACCESS_ERRORS = (struct.error, IndexError, OverflowError)
"""What a bounds-failing access to a bytearray raises; boundaries turn these into traps."""


def unreachable() -> Trap:
    """Return the trap of the ``unreachable`` instruction (to be raised)."""
    return Trap(TrapMessage.UNREACHABLE)


def indirect(table: TableInstance, index: int, key: Any) -> Any:
    """Look up ``call_indirect``'s callee (spec "Execution / call_indirect").

    Returns:
        The callable of the function at ``table[index]``.

    Raises:
        Trap: "undefined element" (index out of range), "uninitialized element" (null),
        "indirect call type mismatch" (the function's type does not match ``key``).
    """
    elements = table.elements
    if index >= len(elements):
        raise Trap(TrapMessage.UNDEFINED_ELEMENT)
    function = elements[index]
    if function is None:
        # int(): the compile tier passes a comparison's result as a Python bool
        raise Trap(f"{TrapMessage.UNINITIALIZED_ELEMENT} {int(index)}",
                   code=TrapCode.UNINITIALIZED_ELEMENT)
    actual = function.key
    if actual is not key and not func_subtype(actual, key):
        raise Trap(TrapMessage.INDIRECT_CALL_TYPE_MISMATCH)
    return function.call


def indirect_check(function: FunctionInstance | None, key: Any,
                   index: int | None = None) -> FunctionInstance:
    """Check a table element found by ``call_indirect`` (the slow path).

    Returns:
        The function, if it is not null and its type matches ``key``.

    Raises:
        Trap: "uninitialized element" or "indirect call type mismatch".
    """
    if function is None:
        where = "" if index is None else f" {int(index)}"  # not "True" for a bool index
        raise Trap(f"{TrapMessage.UNINITIALIZED_ELEMENT}{where}",
                   code=TrapCode.UNINITIALIZED_ELEMENT)
    if function.key is not key and not func_subtype(function.key, key):
        raise Trap(TrapMessage.INDIRECT_CALL_TYPE_MISMATCH)
    return function


def call_ref(function: FunctionInstance | None) -> Any:
    """Return the callable of a function reference.

    Raises:
        Trap: "null function reference" for null.
    """
    if function is None:
        raise Trap(TrapMessage.NULL_FUNCTION_REFERENCE)
    return function.call


def ref_as_non_null(reference: Any) -> Any:
    """Return ``reference`` unless it is null.

    Raises:
        Trap: "null reference".
    """
    if reference is None:
        raise Trap(TrapMessage.NULL_REFERENCE)
    return reference


def throw_ref(exception: WasmThrow | None) -> BaseException:
    """Return the exception to re-raise for ``throw_ref``.

    Raises:
        Trap: "null exception reference" for null.
    """
    if exception is None:
        raise Trap("null exception reference")
    return exception


def table_fill(table: TableInstance, index: int, value: Any, count: int) -> None:
    """``table.fill``: set ``count`` elements from ``index`` to ``value``.

    Raises:
        TableOutOfBounds: if the range leaves the table (nothing is written).
    """
    elements = table.elements
    if index + count > len(elements):
        raise TableOutOfBounds()
    elements[index:index + count] = [value] * count


def table_copy(destination: TableInstance, source: TableInstance, d: int, s: int,
               count: int) -> None:
    """``table.copy`` (overlap-safe).

    Raises:
        TableOutOfBounds: if either range leaves its table (nothing is written).
    """
    if s + count > len(source.elements) or d + count > len(destination.elements):
        raise TableOutOfBounds()
    if count:
        destination.elements[d:d + count] = source.elements[s:s + count]


def table_init(table: TableInstance, segment: Any, d: int, s: int, count: int) -> None:
    """``table.init``: copy ``segment[s:s+count]`` into the table at ``d``.

    Raises:
        TableOutOfBounds: if either range is out of bounds (nothing is written).
    """
    if s + count > len(segment) or d + count > len(table.elements):
        raise TableOutOfBounds()
    if count:
        table.elements[d:d + count] = segment[s:s + count]


def out_of_fuel(function: str, loop: str | None, position: Any) -> FuelExhausted:
    """Return the FuelExhausted error for a function (and loop) that ran out of fuel.

    ``position`` is the loop's ``(line, column)`` in text or byte offset in a binary; the
    error carries it, so its message shows it once, in front.
    """
    line = column = offset = None
    if isinstance(position, tuple):
        line, column = position
    elif isinstance(position, int):
        offset = position
    if loop is not None and loop.startswith("loop@"):
        loop = None  # an unnamed loop: the position in front of the message says which
    if loop is not None:
        text = f"all fuel consumed in {function}, loop {loop}"
    else:
        text = f"all fuel consumed in {function}"
    return FuelExhausted(text, function=function, loop=loop, line=line, column=column,
                         offset=offset)


STRUCTS: dict[str, Any] = accessors(f32_unpack, f32_pack_into)
"""Typed little-endian access to a bytearray, by the names both tiers' load and store
expressions use (see :mod:`wasmem.memory.access`)."""
