"""Validation (spec "Validation"): types, code and modules.

:func:`validate_module` is the entry point for a module in abstract syntax;
:func:`load_binary` decodes and validates a binary module, checking function bodies
straight from their bytes (they are decoded into trees when first run).
Import matching lives with the linker, on closed types (:mod:`wasmem.runtime.types`).
"""

from .load import load_binary
from .module import validate_module
from .types import TypeContext

__all__ = ["TypeContext", "load_binary", "validate_module"]
