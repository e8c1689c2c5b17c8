"""wasmem: a WebAssembly engine in pure Python, built around an inspectable linear memory.

The facade: :class:`Module`, :class:`Instance`, :class:`Memory` and the error family.
"""

from typing import Any

from . import import_bundle as _import_bundle

_import_bundle.install(__name__, __file__)  # before any other of wasmem's modules

from .embedding import Exports, Function, Global, Instance, Memory, Module, Table, Tag  # noqa: E402
from .errors import (  # noqa: E402
    CacheWarning,
    DecodeError,
    Exhaustion,
    ExportNotFound,
    Exit,
    FuelExhausted,
    LinkError,
    ModuleFileError,
    ModuleFileNotFound,
    ParseError,
    ResourceLimitError,
    Trap,
    TrapCode,
    Frame,
    InvocationError,
    UncaughtException,
    UnsupportedFeature,
    ValidationError,
    WasmError,
)
from .exit_collector import install as _exit_collector  # noqa: E402

_exit_collector()  # (the interpreter's last collections skip wasmem's modules)


def __getattr__(name: str) -> Any:
    """``wasmem.wasi`` without a separate import, imported on first use (a plain run of
    a module without WASI imports never needs it)."""
    if name == "wasi":
        import importlib
        return importlib.import_module(".wasi", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Module",
    "Instance",
    "Memory",
    "Function",
    "Global",
    "Table",
    "Tag",
    "Exports",
    "WasmError",
    "ParseError",
    "DecodeError",
    "ValidationError",
    "LinkError",
    "ResourceLimitError",
    "Trap",
    "TrapCode",
    "Frame",
    "FuelExhausted",
    "Exhaustion",
    "UnsupportedFeature",
    "UncaughtException",
    "InvocationError",
    "CacheWarning",
    "ExportNotFound",
    "ModuleFileError",
    "ModuleFileNotFound",
    "Exit",
    "wasi",
]
