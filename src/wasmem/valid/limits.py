"""Checking a module against the implementation limits of :mod:`wasmem.syntax.limits`.

The binary decoder already refuses an oversized vector when it reads its length; this
check covers every module however it was built (text format, hand-made ASTs) and the
totals a single section cannot see (imported plus defined functions, parameters plus
locals). It runs first in :func:`~wasmem.valid.module.validate_module`, in time linear in
the module's size, so the rest of validation only ever sees bounded shapes.
"""

from __future__ import annotations

from collections.abc import Sized

from ..errors import ValidationError
from ..syntax.instructions import Position
from ..syntax.limits import (
    MAX_BR_TABLE_TARGETS,
    MAX_DATA_SEGMENTS,
    MAX_ELEMENT_SEGMENTS,
    MAX_EXPORTS,
    MAX_FUNCTIONS,
    MAX_GLOBALS,
    MAX_IMPORTS,
    MAX_LOCALS,
    MAX_MEMORIES,
    MAX_NAME_BYTES,
    MAX_PARAMS,
    MAX_RESULTS,
    MAX_SEGMENT_ELEMENTS,
    MAX_TABLES,
    MAX_TAGS,
    MAX_TYPES,
    limit_message,
)
from ..syntax.module import Module
from ..syntax.types import ExternKind, FuncType
from .context import make_error

__all__ = ["check_br_table", "check_module_limits"]


def _check(what: str, items: Sized | int, limit: int, position: Position = None,
           file: str | None = None, function: str | None = None) -> None:
    count = items if isinstance(items, int) else len(items)
    if count > limit:
        raise make_error(limit_message(what, count, limit), position, file=file,
                         function=function)


def _check_name(name: str, position: Position, file: str | None) -> None:
    # a str of n characters has between n and 4n UTF-8 bytes: encode only when in doubt
    if len(name) * 4 > MAX_NAME_BYTES:
        _check("name length", len(name.encode("utf-8", "surrogatepass")), MAX_NAME_BYTES,
               position, file)


def check_module_limits(module: Module) -> None:
    """Check every count of ``module`` against its implementation limit.

    Raises:
        ValidationError: "too many <what>: N > limit (implementation limit)" (or
            "<measure> too large: ...") for the first limit exceeded, placed at the item
            that exceeds it where there is one.
    """
    file = module.source
    _check("types", module.types, MAX_TYPES, None, file)
    _check("imports", module.imports, MAX_IMPORTS, None, file)
    _check("exports", module.exports, MAX_EXPORTS, None, file)
    _check("data segments", module.datas, MAX_DATA_SEGMENTS, None, file)
    _check("element segments", module.elements, MAX_ELEMENT_SEGMENTS, None, file)
    imported = {kind: 0 for kind in ExternKind}
    for item in module.imports:
        imported[item.kind] = imported.get(item.kind, 0) + 1
        _check_name(item.module, item.position, file)
        _check_name(item.name, item.position, file)
    for export in module.exports:
        _check_name(export.name, export.position, file)
    for kind, defined, limit, what in (
            (ExternKind.FUNC, module.functions, MAX_FUNCTIONS, "functions"),
            (ExternKind.TABLE, module.tables, MAX_TABLES, "tables"),
            (ExternKind.MEMORY, module.memories, MAX_MEMORIES, "memories"),
            (ExternKind.GLOBAL, module.globals, MAX_GLOBALS, "globals"),
            (ExternKind.TAG, module.tags, MAX_TAGS, "tags")):
        _check(what, imported.get(kind, 0) + len(defined), limit, None, file)
    for index, func_type in enumerate(module.types):
        if isinstance(func_type, FuncType):
            _check("params", func_type.params, MAX_PARAMS, None, file, f"type {index}")
            _check("results", func_type.results, MAX_RESULTS, None, file, f"type {index}")
    types = module.types
    first = imported.get(ExternKind.FUNC, 0)
    for offset, function in enumerate(module.functions):
        params = 0
        type_index = function.type_index
        if isinstance(type_index, int) and 0 <= type_index < len(types) \
                and isinstance(types[type_index], FuncType):
            params = len(types[type_index].params)
        if params + len(function.locals) > MAX_LOCALS:
            _check("locals", params + len(function.locals), MAX_LOCALS, function.position,
                   file, f"func[{first + offset}]")
    for segment in module.elements:
        _check("elements in a segment", segment.init, MAX_SEGMENT_ELEMENTS, segment.position,
               file)


def check_br_table(targets: Sized) -> None:
    """Check the label count of one ``br_table``.

    Raises:
        ValidationError: "too many br_table targets: N > 65520 (implementation limit)",
            without a position (the caller places it).
    """
    if len(targets) > MAX_BR_TABLE_TARGETS:
        raise ValidationError(
            limit_message("br_table targets", len(targets), MAX_BR_TABLE_TARGETS))
