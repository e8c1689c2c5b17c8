"""Tag instances and thrown WebAssembly exceptions (exception-handling proposal)."""

from __future__ import annotations

from typing import Any

from ..syntax.types import FuncType

__all__ = ["TagInstance", "WasmThrow"]


class TagInstance:
    """An exception tag: identity plus the type of its payload."""

    __slots__ = ("__weakref__", "key", "name", "type")

    def __init__(self, type: FuncType, key: FuncType, name: str = "") -> None:
        self.type = type
        self.key = key
        self.name = name

    def __repr__(self) -> str:
        return f"<TagInstance {self.name} {self.type}>"


class WasmThrow(Exception):
    """A WebAssembly exception in flight (also the exnref value that ``catch_ref`` yields).

    Not a :class:`wasmem.WasmError`: it travels between WebAssembly frames and is turned
    into :class:`wasmem.errors.UncaughtException` when it reaches the host.
    """

    def __init__(self, tag: TagInstance, values: tuple[Any, ...]) -> None:
        self.tag = tag
        self.values = values
        super().__init__(tag, values)
