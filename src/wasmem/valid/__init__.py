"""Validation (spec "Validation"): types, code and modules.

:func:`validate_module` is the entry point. :mod:`wasmem.valid.types` also offers the
type-matching helpers the linker uses to check imports (:func:`match_extern_type`).
"""

from .module import validate_module
from .types import TypeContext, match_extern_type

__all__ = ["TypeContext", "match_extern_type", "validate_module"]
