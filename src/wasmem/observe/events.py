"""The events of a trace (:class:`TraceEvent`) and their one-line text form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import format_place

__all__ = ["TraceEvent", "MEMORY_KINDS", "show_value"]

MEMORY_KINDS = frozenset({"load", "store", "fill", "copy", "init", "grow"})
"""Event kinds that touch a memory."""


@dataclass(frozen=True)
class TraceEvent:
    """One event of a trace.

    Attributes:
        kind: ``"call"``, ``"return"``, ``"trap"`` (calls); ``"load"``, ``"store"``,
            ``"fill"``, ``"copy"``, ``"init"``, ``"grow"`` (memory).
        function_index, function_name: the function called / running the access
            (the name as in :class:`wasmem.Frame`, None if unknown).
        line, column, offset: the instruction's place (text or binary); for calls,
            the called function's own place (for an imported function, the place of
            the ``call`` instruction).
        depth: wasm call depth within the trace (1 for a call from the host).
        args, results: host values of a call and its return.
        instruction: for memory events, its text name (``"i32.store16"``).
        memory, address, size: the memory index, the effective address (base plus
            offset; the destination for ``copy``/``init``) and bytes touched; for
            ``grow``, ``size`` is the delta in pages.
        value: the value loaded or stored, as the instruction's type (a store keeps the
            bytes it writes, so ``i32.store8`` of -1 is 255); the fill byte; for
            ``grow``, the old size in pages or -1.
        source: the source address of ``copy``, the segment offset of ``init``.
        message: a trap's message.
        old: for writes, the bytes before (only recorded while a watchpoint is set).
        source_memory: the memory ``copy`` reads from.
    """

    kind: str
    function_index: int
    function_name: str | None = None
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    depth: int = 0
    args: tuple[Any, ...] = ()
    results: tuple[Any, ...] = ()
    instruction: str | None = None
    memory: int = 0
    address: int = 0
    size: int = 0
    value: Any = None
    source: int | None = None
    message: str | None = None
    old: bytes | None = None
    source_memory: int | None = None

    @property
    def where(self) -> str:
        """``line:column``, ``@0x1f`` or ``""``."""
        return format_place(self.line, self.column, self.offset)

    def __str__(self) -> str:
        name = self.function_name or f"func[{self.function_index}]"
        place = f"{name}@{self.where}" if self.where else name
        indent = "  " * max(self.depth - 1, 0)
        if self.kind == "call":
            return f"{indent}call {name}({', '.join(map(show_value, self.args))})  [{place}]"
        if self.kind == "return":
            shown = ", ".join(map(show_value, self.results))
            return f"{indent}return {name} -> {shown or '()'}"
        if self.kind == "trap":
            return f"{indent}trap {name}: {self.message}"
        memory = f"M{self.memory}" if self.memory else "M"
        head = f"{indent}{self.kind:<5} {self.instruction:<18} {memory}[0x{self.address:x}"
        if self.kind == "grow":
            return f"{indent}grow  {'memory.grow':<18} {memory} +{self.size} pages " \
                   f"-> {self.value}  [{place}]"
        if self.kind in ("copy", "init"):
            return f"{head}..+{self.size}] from 0x{self.source or 0:x}  [{place}]"
        return f"{head}..+{self.size}] = {show_value(self.value)}  [{place}]"


def show_value(value: Any) -> str:
    """A value as traces and the debugger print it: numbers, ``null``, bytes in hex
    (``[68 65 6c 6c 6f]``, the first 16), ``<type>``."""
    if isinstance(value, float):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (bytes, bytearray)):  # what a bulk or host access wrote or read
        shown = value[:16].hex(" ")
        return f"[{shown}{' ...' if len(value) > 16 else ''}]"
    return f"<{type(value).__name__}>"
