"""Function instances (spec "Runtime Structure / Function Instances").

Every function, defined in a module or provided by the host, is called the same way by
both execution tiers: ``function.call(*args)`` with arguments in wasmem's internal value
representation (i32/i64 as unsigned ints, f32/f64 as floats, references as objects or
``None`` for null), returning ``None``, one value, or a tuple of values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..syntax.types import FuncType

__all__ = ["FunctionInstance"]


class FunctionInstance:
    """A function: its type, its closed type key and a Python callable.

    Attributes:
        type: the function type in the defining module's terms.
        key: the closed type (see :mod:`wasmem.runtime.types`); ``call_indirect`` and
            import matching compare these.
        call: the callable; execution tiers may replace it (lazy compilation).
        instance: the defining module instance (a
            :class:`~wasmem.runtime.instances.ModuleInstance`, which depends on this
            module, so it is typed ``Any`` here), ``None`` for host functions.
        index: index in the defining module's function index space (-1 for host).
        name: a name for messages (``$name``, ``func[3]`` or the host callable's name).
        host: the user's Python callable, for host functions.
        facade: the embedding's wrapper of the function (``wasmem.Function``), made on
            first use and kept, so that handing the same function to the host again
            (a table element, a reference result) costs one attribute read.
    """

    __slots__ = ("__weakref__", "call", "facade", "host", "index", "instance", "key", "name",
                 "type")

    def __init__(self, type: FuncType, key: FuncType, call: Callable[..., Any], *,
                 instance: Any = None, index: int = -1, name: str = "",
                 host: Callable[..., Any] | None = None) -> None:
        self.type = type
        self.key = key
        self.call = call
        self.instance = instance
        self.index = index
        self.name = name
        self.host = host
        self.facade: Any = None

    def __repr__(self) -> str:
        return f"<FunctionInstance {self.name or self.index} {self.type}>"
