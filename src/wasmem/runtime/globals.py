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

    __slots__ = ("type", "value", "__weakref__")

    def __init__(self, type: GlobalType, value: Any) -> None:
        self.type = type
        self.value = value

    def __repr__(self) -> str:
        return f"<GlobalInstance {'mut ' if self.type.mutable else ''}{self.type.value_type} = {self.value!r}>"
