"""Functions: :class:`Function`, the facade of exported functions and of host functions
(Python callables wrapped for modules to import), typed once per signature."""

from __future__ import annotations

from typing import Any

from ..errors import InvocationError
from ..exec.invoke import export_call, host_function, invoke
from ..runtime.functions import FunctionInstance
from ..syntax.types import FuncType, NumType, RefType, ValType, VecType

__all__ = ["Function"]


def _value_types(types: Any, what: str) -> tuple[ValType, ...]:
    """Check the ``params``/``results`` of :class:`Function`.

    Raises:
        InvocationError: not a sequence of value types (``wasmem.syntax.types.I32`` ...).
    """
    try:
        checked = tuple(types)
    except TypeError:
        checked = (types,)
    for t in checked:
        if not isinstance(t, (NumType, VecType, RefType)):
            raise InvocationError(f"Function() {what} are value types such as "
                                  f"wasmem.syntax.types.I32, not {t!r}")
    return checked


class Function:
    """A callable WebAssembly function (exported, or wrapping a Python callable).

    ``Function(callable, params=[...], results=[...])`` makes a host function that
    modules can import. Calls convert arguments and results as the signature says, with
    code made once per signature (see :mod:`wasmem.exec.invoke`).
    """

    _function_instance: FunctionInstance
    _label: str | None = None  # the export name it was looked up by, for messages

    def __init__(self, fn: Any, params: list[ValType] | tuple[ValType, ...] = (),
                 results: list[ValType] | tuple[ValType, ...] = (), *, name: str = "") -> None:
        ft = FuncType(_value_types(params, "params"), _value_types(results, "results"))
        if not callable(fn):
            raise InvocationError(f"Function() wraps a callable, not {type(fn).__name__}")
        self._function_instance = host_function(ft, ft, fn, name=name)
        self._function_instance.facade = self  # what a table or a reference gives back
        # the typed class of the signature; an embedder's subclass keeps its own class
        # (and the generic call)
        if type(self) is Function:
            self.__class__ = _typed_class(ft)

    @classmethod
    def _of(cls, function: FunctionInstance, *, label: str | None = None) -> Function:
        typed = _typed_class(function.key)
        f = typed.__new__(typed)
        f._function_instance = function
        f._label = label
        return f

    @property
    def type(self) -> FuncType:
        """The function's type."""
        return self._function_instance.type

    @property
    def name(self) -> str:
        """The function's debug name."""
        return self._function_instance.name

    def __call__(self, *args: Any) -> Any:
        """Call with host values; return None, a value, or a tuple.

        Raises:
            InvocationError: wrong arguments. Trap: the function trapped.
        """
        return invoke(self._function_instance, args, name=self._label)

    def __repr__(self) -> str:
        return f"<wasmem.Function {self.name} {self.type}>"


_typed_classes: dict[FuncType, type[Function]] = {}


def _typed_class(key: FuncType) -> type[Function]:
    """The subclass of :class:`Function` for functions of closed type ``key``: its
    ``__call__`` converts the arguments and results of that signature inline
    (:func:`wasmem.exec.invoke.export_call`), made once per signature."""
    cls = _typed_classes.get(key)
    if cls is None:
        if len(_typed_classes) > 4096:  # closed types of many modules: keep it bounded
            _typed_classes.clear()
        cls = _typed_classes[key] = type(
            "Function", (Function,),
            {"__call__": export_call(key), "__doc__": Function.__doc__,
             "__module__": Function.__module__, "__qualname__": "Function"})
    return cls
