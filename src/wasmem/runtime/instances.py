"""Module instances (spec "Runtime Structure / Module Instances") and external values."""

from __future__ import annotations

from typing import Any

from ..memory.linear import LinearMemory
from ..syntax.module import Module
from ..syntax.types import ExternKind, FuncType
from .exceptions import TagInstance
from .functions import FunctionInstance
from .globals import GlobalInstance
from .tables import TableInstance
from .types import TypeCloser

__all__ = ["ExternValue", "ModuleInstance", "Fuel", "extern_kind"]

ExternValue = FunctionInstance | TableInstance | LinearMemory | GlobalInstance | TagInstance
"""What an export is, and what an import needs: a runtime object of one of five kinds."""


def extern_kind(value: object) -> ExternKind | None:
    """Return the extern kind of a runtime object, or ``None`` if it is none of them."""
    if isinstance(value, FunctionInstance):
        return ExternKind.FUNC
    if isinstance(value, TableInstance):
        return ExternKind.TABLE
    if isinstance(value, LinearMemory):
        return ExternKind.MEMORY
    if isinstance(value, GlobalInstance):
        return ExternKind.GLOBAL
    if isinstance(value, TagInstance):
        return ExternKind.TAG
    return None


class Fuel:
    """An instruction budget shared by the code of one instance.

    Execution tiers subtract the instructions they run from ``remaining`` and raise
    :class:`wasmem.errors.FuelExhausted` when it would drop below zero.
    """

    __slots__ = ("initial", "remaining")

    def __init__(self, amount: int) -> None:
        self.remaining = amount
        self.initial = amount

    @property
    def consumed(self) -> int:
        """Instructions charged so far."""
        return self.initial - self.remaining


def _closer_of(module: Module) -> TypeCloser:
    """The module's :class:`TypeCloser`, made once per module and shared by its instances
    (closed types depend on the type section only; each instance used to close them all
    again, ~1 us a function at instantiation). Raises nothing."""
    found = getattr(module, "__dict__", {}).get("_wasmem_closer")
    if found is None:
        found = TypeCloser(module.types)
        try:
            object.__setattr__(module, "_wasmem_closer", found)
        except AttributeError:  # (a module object without a __dict__: not shared)
            pass
    return found  # type: ignore[no-any-return]


class ModuleInstance:
    """The runtime state of one instantiated module.

    Index spaces hold imported entities first, then the module's own, as in the spec.
    ``elements`` holds each element segment's references (``[]`` once dropped),
    ``datas`` each data segment's bytes (``b""`` once dropped).
    """

    def __init__(self, module: Module) -> None:
        self.module = module
        self.types: tuple[FuncType, ...] = module.types
        self.closer = _closer_of(module)
        self.functions: list[FunctionInstance] = []
        self.tables: list[TableInstance] = []
        self.memories: list[LinearMemory] = []
        self.globals: list[GlobalInstance] = []
        self.tags: list[TagInstance] = []
        self.elements: list[list[Any]] = []
        self.datas: list[bytes] = []
        self.exports: dict[str, ExternValue] = {}
        self.fuel: Fuel | None = None
        self.caps: Any = None  # the instance's ResourceCaps (runtime/caps.py)
        self.tier: Any = None

    def type_key(self, type_index: int) -> FuncType:
        """Return the closed function type of a type index (for dynamic type checks)."""
        return self.closer.function(type_index)

    def __repr__(self) -> str:
        name = self.module.names.module
        return f"<ModuleInstance {name or ''} exports={list(self.exports)}>"
