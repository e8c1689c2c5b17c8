"""wasmem: a WebAssembly engine in pure Python, built around an inspectable linear memory.

The facade: :class:`Module`, :class:`Instance`, :class:`Memory` and the error family.
"""

from .errors import (
    DecodeError,
    Exhaustion,
    FuelExhausted,
    LinkError,
    ParseError,
    Trap,
    UnsupportedFeature,
    ValidationError,
    WasmError,
)

__version__ = "0.1.0"

__all__ = [
    "WasmError",
    "ParseError",
    "DecodeError",
    "ValidationError",
    "LinkError",
    "Trap",
    "FuelExhausted",
    "Exhaustion",
    "UnsupportedFeature",
]
