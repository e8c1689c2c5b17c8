"""Instances: :class:`Instance` (linking imports, fuel, tracing) and its
:class:`Exports`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import ExportNotFound, InvocationError
from ..exec.instantiate import DEFAULT_TIER, TIERS, instantiate
from ..exec.release import Owner, release_when_dropped
from ..runtime.caps import as_index
from ..runtime.functions import FunctionInstance
from ..runtime.instances import ModuleInstance
from ..syntax import module as ast
from .externs import unwrap, wrap
from .functions import Function
from .module import Module

__all__ = ["Instance", "Exports"]


class Instance:
    """An instantiated module.

    Args:
        module: a :class:`Module`.
        imports: ``{"module": {"name": value}}``; values are exports of other instances
            (Function, Memory, Global, Table, Tag), Python callables (for functions),
            or an :class:`Instance` / mapping standing for a whole import module.
        fuel: instruction budget; running out raises :class:`wasmem.FuelExhausted`.
        max_memory_pages: cap on the size of every memory this instance creates.
        max_memory_bytes: cap on the total bytes of all memories the instance creates or
            imports, at instantiation and on every grow (default 4 GiB; docs/limits.md).
        max_table_elements: cap on the total elements of all its tables, likewise
            (default 10,000,000).
        tier: ``"tiered"`` (default: interpret, translate the functions that get hot),
            ``"compile"`` (translate every function to Python) or ``"interpret"``.
        wasi: a :class:`wasmem.wasi.WasiConfig`: provide ``wasi_snapshot_preview1`` (see
            ``docs/wasi.md``); its state is then :attr:`wasi`.

    Raises:
        LinkError: missing or incompatible import. ResourceLimitError (a LinkError): the
        memories or tables need more than a cap. Trap: a trap during instantiation.
        Exit: the start function called WASI ``proc_exit``. InvocationError: ``module``
        is not a Module, ``imports`` not a mapping, ``fuel`` or a cap not an integer, an
        unknown tier.
    """

    def __init__(self, module: Module, imports: Mapping[str, Any] | None = None, *,
                 fuel: int | None = None, max_memory_pages: int | None = None,
                 tier: str = DEFAULT_TIER, max_memory_bytes: int | None = None,
                 max_table_elements: int | None = None, wasi: Any = None) -> None:
        if not isinstance(module, Module):
            raise InvocationError(f"Instance() needs a wasmem.Module, not {type(module).__name__}")
        if imports is not None and not callable(getattr(imports, "get", None)):
            raise InvocationError(f"imports must be a mapping, not {type(imports).__name__}")
        fuel = None if fuel is None else as_index(fuel, "fuel")
        if max_memory_pages is not None:
            max_memory_pages = as_index(max_memory_pages, "max_memory_pages")
        provided = imports or {}
        link = None
        if wasi is not None:
            from ..wasi.imports import WasiLink
            link = WasiLink(wasi)
            provided = link.merged(provided)

        def resolve(imp: ast.Import) -> Any:
            namespace = provided.get(imp.module)
            if namespace is None:
                return None
            if isinstance(namespace, Instance):
                namespace = namespace._instance.exports
            try:
                value = namespace[imp.name]
            except (KeyError, TypeError, IndexError):
                return None
            return unwrap(value)

        if tier not in TIERS:
            raise InvocationError(f"unknown tier {tier!r}: use one of {', '.join(TIERS)}")
        self.module = module
        try:
            self._instance: ModuleInstance = instantiate(
                module.ast, resolve, fuel=fuel, max_memory_pages=max_memory_pages, tier=tier,
                max_memory_bytes=max_memory_bytes, max_table_elements=max_table_elements,
                start=link is None)
            # the instance's code is released when this and its exports are dropped
            self._owner = release_when_dropped(self._instance)
            self.exports = Exports(self._instance, self._owner)
            self.wasi = None if link is None else link.start(self._instance)
        except BaseException:
            if link is not None:
                link.context.close()  # the preopened directories
            raise

    @property
    def fuel_remaining(self) -> int | None:
        """Fuel left, or None when the instance runs without a budget."""
        fuel = self._instance.fuel
        return None if fuel is None else max(fuel.remaining, 0)

    @property
    def fuel_consumed(self) -> int | None:
        """Fuel used so far, or None when the instance runs without a budget."""
        fuel = self._instance.fuel
        return None if fuel is None else min(fuel.consumed, fuel.initial)

    def add_fuel(self, amount: int) -> None:
        """Add ``amount`` to the budget (after a FuelExhausted, to resume new calls).

        Raises:
            InvocationError: the instance has no fuel, or ``amount`` is not an integer.
        """
        fuel = self._instance.fuel
        if fuel is None:
            raise InvocationError("this instance was created without fuel")
        amount = as_index(amount, "add_fuel's amount")
        fuel.remaining = max(fuel.remaining, 0) + amount
        fuel.initial += amount

    def trace(self, *, calls: bool = True, memory: bool = True, out: Any = None,
              range: tuple[int, int] | None = None,  # the documented name
              limit: int | None = None) -> Any:
        """A context manager recording calls and memory accesses of this instance's
        code while its block runs (:class:`wasmem.observe.Trace`; docs/observe.md).

        Raises:
            InvocationError: a bad argument, or a trace of this instance is active.
        """
        from ..observe.trace import Trace
        return Trace(self._instance, calls=calls, memory=memory, out=out, range=range,
                     limit=limit)

    def watch(self, start: int, stop: int, *, kind: str = "write", memory: int = 0,
              callback: Any = None) -> Any:
        """Call ``callback(event)`` when code reads/writes (``kind``: ``"read"``,
        ``"write"``, ``"access"``) bytes ``start`` to ``stop - 1`` of a memory; returns a
        handle with ``.remove()`` (:class:`wasmem.observe.Watchpoint`; docs/observe.md).

        Raises:
            InvocationError: a bad range, kind, memory index or callback.
        """
        from ..observe.watch import Watchpoint
        return Watchpoint(self._instance, start, stop, kind=kind, memory=memory,
                          callback=callback)

    def __repr__(self) -> str:
        return f"<wasmem.Instance exports={list(self.exports)}>"


class Exports(Mapping[str, Any]):
    """An instance's exports by name (also as attributes when the name allows)."""

    def __init__(self, instance: ModuleInstance, owner: Owner | None = None) -> None:
        self._exports = instance.exports
        self._owner = owner  # shared with the wrapped exports (exec.release)
        self._wrapped: dict[str, Any] = {}  # each export wrapped once, on first use

    def __getitem__(self, name: str) -> Any:
        """Return the export ``name``, wrapped (a Function knows the name it was asked
        by); the same object every time.

        Raises:
            ExportNotFound: no such export (a ``KeyError``; its message lists the exports).
        """
        try:
            return self._wrapped[name]
        except (KeyError, TypeError):
            pass
        try:
            value = self._exports[name]
        except (KeyError, TypeError):
            raise ExportNotFound(str(name), list(self._exports)) from None
        if isinstance(value, FunctionInstance):
            wrapped = Function._of(value, label=name)
        else:
            wrapped = wrap(value)
        if self._owner is not None and not hasattr(wrapped, "_owner"):
            try:  # an export kept after its Instance keeps the instance's code
                wrapped._owner = self._owner  # type: ignore[attr-defined]
            except AttributeError:  # (a wrapper without attributes)
                pass
        self._wrapped[name] = wrapped
        return wrapped

    def __iter__(self) -> Iterator[str]:
        return iter(self._exports)

    def __len__(self) -> int:
        return len(self._exports)

    def __getattr__(self, name: str) -> Any:
        if "_exports" not in self.__dict__ or name not in self.__dict__["_exports"]:
            raise AttributeError(name)
        value = self[name]
        self.__dict__[name] = value  # found directly from now on
        return value
