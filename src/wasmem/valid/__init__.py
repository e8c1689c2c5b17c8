"""Validation (spec "Validation"): types, code and modules.

:func:`validate_module` is the entry point for a module in abstract syntax. This layer
depends only on :mod:`wasmem.syntax` (and the error family): loading a binary, with
function bodies checked straight from their bytes, is :mod:`wasmem.load`'s.
Import matching lives with the linker, on closed types (:mod:`wasmem.runtime.types`).
"""

from .module import validate_module
from .types import TypeContext

__all__ = ["TypeContext", "validate_module"]
