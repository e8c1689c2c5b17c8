"""The extern wrappers other than functions and memories: :class:`Global`, :class:`Table`,
:class:`Tag`, and the wrapping of any runtime extern value in its facade class."""

from __future__ import annotations

from typing import Any

from ..errors import InvocationError
from ..exec.invoke import to_host, to_internal
from ..memory.linear import LinearMemory, as_index
from ..runtime.exceptions import TagInstance
from ..runtime.functions import FunctionInstance
from ..runtime.globals import GlobalInstance
from ..runtime.tables import TableInstance
from ..syntax.types import FUNCREF, FuncType, GlobalType, Limits, RefType, TableType, ValType
from .functions import Function
from .memory import Memory

__all__ = ["Global", "Table", "Tag", "wrap", "unwrap"]


_PLAIN_FUNCTION = type(lambda: None)


def unwrap(value: Any) -> Any:
    """Turn a facade object into the runtime object it wraps."""
    if type(value) is _PLAIN_FUNCTION:  # (a host function as most are given: no facade)
        return value
    for attr in ("_function_instance", "_memory", "_global", "_table", "_tag"):
        inner = getattr(value, attr, None)
        if inner is not None:
            return inner
    return value


def wrap(value: Any) -> Any:
    """Wrap a runtime extern value in its facade class."""
    if isinstance(value, FunctionInstance):
        facade = value.facade
        if facade is None:
            facade = value.facade = Function._of(value)
        return facade
    if isinstance(value, LinearMemory):
        return Memory._of(value)
    if isinstance(value, GlobalInstance):
        return Global._of(value)
    if isinstance(value, TableInstance):
        return Table._of(value)
    if isinstance(value, TagInstance):
        return Tag._of(value)
    return value


class Global:
    """A global variable. ``Global(value_type, value, mutable=False)`` creates one."""

    _global: GlobalInstance

    def __init__(self, value_type: ValType, value: Any, *, mutable: bool = False) -> None:
        self._global = GlobalInstance(GlobalType(value_type, mutable),
                                      to_internal(value_type, value))

    @classmethod
    def _of(cls, g: GlobalInstance) -> Global:
        wrapper = cls.__new__(cls)
        wrapper._global = g
        return wrapper

    @property
    def type(self) -> GlobalType:
        """The global's type."""
        return self._global.type

    @property
    def value(self) -> Any:
        """The current value (host form)."""
        return to_host(self._global.type.value_type, self._global.value)

    @value.setter
    def value(self, new: Any) -> None:
        if not self._global.type.mutable:
            raise InvocationError("cannot set an immutable global")
        self._global.value = to_internal(self._global.type.value_type, new)

    def __repr__(self) -> str:
        return f"<wasmem.Global {self.type.value_type} = {self.value!r}>"


class Table:
    """A table of references. ``Table(minimum, maximum=None, element=funcref)`` creates one."""

    _table: TableInstance

    def __init__(self, minimum: int = 0, maximum: int | None = None,
                 element: RefType = FUNCREF) -> None:
        minimum = as_index(minimum, "minimum")
        maximum = None if maximum is None else as_index(maximum, "maximum")
        if minimum < 0 or (maximum is not None and maximum < minimum):
            raise InvocationError(f"bad table limits {minimum}..{maximum}")
        self._table = TableInstance(TableType(Limits(minimum, maximum), element))

    @classmethod
    def _of(cls, t: TableInstance) -> Table:
        wrapper = cls.__new__(cls)
        wrapper._table = t
        return wrapper

    @property
    def size(self) -> int:
        """Number of elements."""
        return self._table.size

    def __len__(self) -> int:
        return self._table.size

    def __getitem__(self, index: int) -> Any:
        """The element at ``index``: a :class:`Function` (the same object each time),
        None, or an externref's host value.

        Raises:
            TableOutOfBounds: an index outside the table.
        """
        elements = self._table.elements
        if index.__class__ is int and 0 <= index < len(elements):
            value = elements[index]
        else:
            value = self._table.get(index)  # raises for a bad index
        if value.__class__ is FunctionInstance:
            facade = value.facade
            if facade is not None:
                return facade
        return wrap(value)

    def __setitem__(self, index: int, value: Any) -> None:
        """Set an element: a :class:`Function` or None (funcref), any object (externref).

        Raises:
            InvocationError: a value that is not a reference of the table's type.
            TableOutOfBounds: an index outside the table (negative ones too).
        """
        self._table.set(index, to_internal(self._table.type.element, value))

    def grow(self, delta: int, init: Any = None) -> int:
        """Grow by ``delta`` elements; return the old size, or -1.

        Raises:
            InvocationError: ``delta`` is not an integer or ``init`` not a reference of
            the table's element type.
        """
        return self._table.grow(delta, to_internal(self._table.type.element, init))


class Tag:
    """An exception tag (exported by a module)."""

    _tag: TagInstance

    @classmethod
    def _of(cls, tag: TagInstance) -> Tag:
        wrapper = cls.__new__(cls)
        wrapper._tag = tag
        return wrapper

    @property
    def type(self) -> FuncType:
        """The tag's payload type."""
        return self._tag.type
