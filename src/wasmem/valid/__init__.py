"""Validation (spec "Validation"): types, code and modules.

:func:`validate_module` is the entry point for a module in abstract syntax;
:func:`load_binary` decodes and validates a binary module, checking function bodies
straight from their bytes (they are decoded into trees when first run).
:mod:`wasmem.valid.types` also offers the type-matching helpers the linker uses to check
imports (:func:`match_extern_type`).
"""

from .encoded import load_binary
from .module import validate_module
from .types import TypeContext, match_extern_type

__all__ = ["TypeContext", "load_binary", "match_extern_type", "validate_module"]
