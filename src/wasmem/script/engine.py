"""The Engine protocol the spec-script runner drives, and wasmem's implementation of it.

An engine turns module sources into modules, instantiates them with imports the runner
resolves, invokes exports, and reads globals. Values cross the protocol in wasmem's
internal representation (unsigned ints, f32/f64 as floats, references as objects).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..errors import InvocationError
from ..exec.instantiate import DEFAULT_TIER, instantiate
from ..exec.invoke import invoke_raw
from ..memory.linear import LinearMemory
from ..runtime.functions import FunctionInstance
from ..runtime.globals import GlobalInstance
from ..runtime.instances import ModuleInstance
from ..runtime.tables import TableInstance
from ..syntax.module import Import, Module
from ..syntax.types import F32, F64, FUNCREF, I32, I64, FuncType, GlobalType, Limits
from ..syntax.types import MemoryType, TableType, ValType
from .commands import BinaryModule, ModuleSource, QuoteModule, TextModule
from .values import ExternRef, f32_value, f64_value

__all__ = ["Engine", "WasmemEngine", "ExternRef", "spectest_exports"]


class Engine(Protocol):
    """What the runner needs from an engine."""

    def load(self, source: ModuleSource, file: str | None) -> Any:
        """Parse or decode, then validate. Raise ParseError/DecodeError/ValidationError."""

    def instantiate(self, module: Any, resolve: Callable[[Import], Any]) -> Any:
        """Instantiate; raise LinkError or Trap."""

    def exports(self, instance: Any) -> dict[str, Any]:
        """Return the instance's exports by name."""

    def invoke(self, instance: Any, name: str, args: list[Any]) -> tuple[list[ValType], Any]:
        """Call an export; return its result types and raw result (None/value/tuple)."""

    def get(self, instance: Any, name: str) -> tuple[ValType, Any]:
        """Read an exported global: its value type and value."""


class WasmemEngine:
    """wasmem itself behind the Engine protocol.

    Args:
        tier: "tiered", "compile" or "interpret" (:data:`~wasmem.exec.instantiate.TIERS`).
    """

    def __init__(self, tier: str = DEFAULT_TIER) -> None:
        self.tier = tier

    def load(self, source: ModuleSource, file: str | None) -> Module:
        from ..load import load_binary, load_tree
        if isinstance(source, BinaryModule):
            return load_binary(source.data, file=file)
        if isinstance(source, (TextModule, QuoteModule)):
            from ..text import parse_module_source
            return load_tree(parse_module_source(source, file=file))
        raise InvocationError(f"unknown module source {source!r}")  # pragma: no cover

    def instantiate(self, module: Module, resolve: Callable[[Import], Any]) -> ModuleInstance:
        return instantiate(module, resolve, tier=self.tier)

    def exports(self, instance: ModuleInstance) -> dict[str, Any]:
        return instance.exports

    def invoke(self, instance: ModuleInstance, name: str,
               args: list[Any]) -> tuple[list[ValType], Any]:
        function = instance.exports.get(name)
        if not isinstance(function, FunctionInstance):
            raise InvocationError(f"no exported function {name!r}")
        return list(function.type.results), invoke_raw(function, args)

    def get(self, instance: ModuleInstance, name: str) -> tuple[ValType, Any]:
        g = instance.exports.get(name)
        if not isinstance(g, GlobalInstance):
            raise InvocationError(f"no exported global {name!r}")
        return g.type.value_type, g.value


def spectest_exports() -> dict[str, Any]:
    """The ``spectest`` host module every spec script may import (print functions,
    globals 666, a table of 10..20 funcrefs, a memory of 1..2 pages)."""
    from ..exec.invoke import host_function

    def noop(*args: Any) -> None:
        return None

    exports: dict[str, Any] = {}
    for name, params in (("print", ()), ("print_i32", (I32,)), ("print_i64", (I64,)),
                         ("print_f32", (F32,)), ("print_f64", (F64,)),
                         ("print_i32_f32", (I32, F32)), ("print_f64_f64", (F64, F64))):
        ft = FuncType(params, ())
        exports[name] = host_function(ft, ft, noop, name=f"spectest.{name}", raw=True)
    exports["global_i32"] = GlobalInstance(GlobalType(I32), 666)
    exports["global_i64"] = GlobalInstance(GlobalType(I64), 666)
    exports["global_f32"] = GlobalInstance(GlobalType(F32), f32_value(0x4426A666))
    exports["global_f64"] = GlobalInstance(GlobalType(F64), f64_value(0x4084D4CCCCCCCCCD))
    exports["table"] = TableInstance(TableType(Limits(10, 20), FUNCREF))
    exports["table64"] = TableInstance(TableType(Limits(10, 20), FUNCREF, I64))  # type: ignore[arg-type]
    exports["memory"] = LinearMemory(MemoryType(Limits(1, 2)))
    return exports
