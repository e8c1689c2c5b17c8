"""Global instances (spec "Runtime Structure / Global Instances")."""

from __future__ import annotations

from typing import Any

from ..syntax.types import GlobalType

__all__ = ["GlobalInstance"]


class GlobalInstance:
    """A global variable: its type and its current value (internal representation).

    Imported and exported globals are shared by identity: every instance that sees the
    global holds this same object.
    """

    __slots__ = ("__weakref__", "type", "value")

    def __init__(self, type: GlobalType, value: Any) -> None:
        self.type = type
        self.value = value

    def __repr__(self) -> str:
        mutable = "mut " if self.type.mutable else ""
        return f"<GlobalInstance {mutable}{self.type.value_type} = {self.value!r}>"
