"""Validation of modules (spec "Validation / Modules").

:func:`validate_module` checks, in order: the type section, imports, function
declarations, tags, globals (each initialiser sees the imported globals and the
globals defined before it), memories, tables (initialisers see imported globals
only), function bodies, data segments, element segments, the start function and
the exports.
"""

from __future__ import annotations

from ..errors import ValidationError
from ..syntax.instructions import Expr, Position
from ..syntax.module import (
    ActiveData,
    ActiveElement,
    DeclarativeElement,
    Module,
    PassiveData,
    PassiveElement,
)
from ..syntax.opcodes import Op
from ..syntax.types import (
    AbsHeapType,
    ExternKind,
    GlobalType,
    MemoryType,
    RefType,
    TableType,
    ValType,
)
from .code import BodyChecker, validate_const_expr, validate_function
from .context import Context, locate, make_error
from .limits import check_module_limits
from .types import (
    TypeContext,
    check_global_type,
    check_memory_type,
    check_ref_type,
    check_table_type,
    check_types,
    is_defaultable,
    match_ref_type,
)
from ..syntax.building import without_collector

__all__ = ["build_context", "declared_functions", "validate_module"]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def declared_functions(module: Module) -> set[int]:
    """Return the function indices ``ref.func`` may use (spec ``C.refs``).

    These are the indices referenced by ``ref.func`` anywhere in the module outside
    function bodies (global and table initialisers, element segments, data offsets)
    and by function exports.
    """
    refs: set[int] = set()
    exprs: list[Expr] = [g.init for g in module.globals]
    exprs.extend(t.init for t in module.tables if t.init is not None)
    for segment in module.elements:
        exprs.extend(segment.init)
        if isinstance(segment.mode, ActiveElement):
            exprs.append(segment.mode.offset)
    for data in module.datas:
        if isinstance(data.mode, ActiveData):
            exprs.append(data.mode.offset)
    for expr in exprs:
        for ins in expr:
            if ins.opcode == Op.REF_FUNC and ins.immediates:
                refs.add(ins.immediates[0])
    for export in module.exports:
        if export.kind is ExternKind.FUNC:
            refs.add(export.index)
    return refs


def _fail(message: str, position: Position, file: str | None) -> ValidationError:
    return make_error(message, position, file=file)


def build_context(module: Module) -> Context:
    """Check types, imports and declarations; return the context for code validation.

    The returned context has every global, table, memory, tag, element and data
    segment of the module, whether or not their initialisers are valid.

    Raises:
        ValidationError: for invalid types, imports and declarations.
        UnsupportedFeature: shared memories, custom page sizes.
    """
    file = module.source
    try:
        check_types(module.types)
    except ValidationError as error:
        raise locate(error, None, file) from None
    types = TypeContext(module.types)
    type_count = len(types)
    context = Context(types, file=file, names=dict(module.names.functions))
    for imported in module.imports:
        try:
            _import(context, imported.kind, imported.desc, type_count)
        except ValidationError as error:
            error.message = f"{error.message} (import \"{imported.module}\" \"{imported.name}\")"
            error.args = (error.message,)
            raise locate(error, imported.position, file) from None
    for function in module.functions:
        context.functions.append(function.type_index)
        if not (isinstance(function.type_index, int) and 0 <= function.type_index < type_count):
            function_index = len(context.functions) - 1
            raise make_error(f"unknown type {function.type_index}: the module defines "
                             f"{_plural(type_count, 'type')}", function.position, file=file,
                             function=context.function_name(function_index))
    for tag in module.tags:
        try:
            _tag_type(context, tag.type_index)
        except ValidationError as error:
            raise locate(error, tag.position, file) from None
        context.tags.append(tag.type_index)
    for global_ in module.globals:
        try:
            check_global_type(global_.type, type_count)
        except ValidationError as error:
            raise locate(error, global_.position, file) from None
    for memory in module.memories:
        try:
            check_memory_type(memory.type)
        except ValidationError as error:
            raise locate(error, memory.position, file) from None
        context.memories.append(memory.type)
    for table in module.tables:
        try:
            check_table_type(table.type, type_count)
        except ValidationError as error:
            raise locate(error, table.position, file) from None
        context.tables.append(table.type)
    for segment in module.elements:
        try:
            if not isinstance(segment.type, RefType):
                raise ValidationError(f"invalid elem segment type {segment.type!r}")
            check_ref_type(segment.type, type_count)
        except ValidationError as error:
            raise locate(error, segment.position, file) from None
        context.elems.append(segment.type)
    context.data_count = len(module.datas)
    context.refs = declared_functions(module)
    return context


def _tag_type(context: Context, type_index: object) -> None:
    func_type = context.types.func_type(type_index)  # type: ignore[arg-type]
    if func_type.results:
        raise ValidationError(f"non-empty tag result type: a tag's type must have no results, "
                              f"but type {type_index} is {func_type}")


def _import(context: Context, kind: ExternKind, desc: object, type_count: int) -> None:
    if kind is ExternKind.FUNC:
        if not isinstance(desc, int):
            raise ValidationError(f"invalid function import description {desc!r}")
        context.types.func_type(desc)
        context.functions.append(desc)
    elif kind is ExternKind.TAG:
        if not isinstance(desc, int):
            raise ValidationError(f"invalid tag import description {desc!r}")
        _tag_type(context, desc)
        context.tags.append(desc)
    elif kind is ExternKind.TABLE:
        if not isinstance(desc, TableType):
            raise ValidationError(f"invalid table import description {desc!r}")
        check_table_type(desc, type_count)
        context.tables.append(desc)
    elif kind is ExternKind.MEMORY:
        if not isinstance(desc, MemoryType):
            raise ValidationError(f"invalid memory import description {desc!r}")
        check_memory_type(desc)
        context.memories.append(desc)
    elif kind is ExternKind.GLOBAL:
        if not isinstance(desc, GlobalType):
            raise ValidationError(f"invalid global import description {desc!r}")
        check_global_type(desc, type_count)
        context.globals.append(desc)
    else:
        raise ValidationError(f"invalid import kind {kind!r}")


def _check_exports(module: Module, context: Context) -> None:
    file = module.source
    spaces: dict[ExternKind, tuple[int, str]] = {
        ExternKind.FUNC: (len(context.functions), "function"),
        ExternKind.TABLE: (len(context.tables), "table"),
        ExternKind.MEMORY: (len(context.memories), "memory"),
        ExternKind.GLOBAL: (len(context.globals), "global"),
        ExternKind.TAG: (len(context.tags), "tag"),
    }
    seen: set[str] = set()
    for export in module.exports:
        space = spaces.get(export.kind)
        if space is None:
            raise _fail(f"invalid export kind {export.kind!r}", export.position, file)
        count, what = space
        if not (isinstance(export.index, int) and 0 <= export.index < count):
            raise _fail(f"unknown {what} {export.index}: the module has "
                        f"{_plural(count, what)} (export \"{export.name}\")",
                        export.position, file)
        if export.name in seen:
            raise _fail(f"duplicate export name \"{export.name}\"", export.position, file)
        seen.add(export.name)


def _check_start(module: Module, context: Context) -> None:
    index = module.start
    if index is None:
        return
    count = len(context.functions)
    if not (isinstance(index, int) and 0 <= index < count):
        raise _fail(f"unknown function {index}: the module has {_plural(count, 'function')} "
                    f"(start function)", module.start_position, module.source)
    func_type = context.types.types[context.functions[index]]
    if func_type.params or func_type.results:
        raise _fail(f"start function must have type [] -> [], but "
                    f"{context.function_name(index)} has type {func_type}",
                    module.start_position, module.source)


_REF_FUNC = Op.REF_FUNC


def _check_segments(module: Module, context: Context) -> None:
    file = module.source
    for index, data in enumerate(module.datas):
        mode = data.mode
        if isinstance(mode, ActiveData):
            memories = context.memories
            if not (isinstance(mode.memory_index, int) and 0 <= mode.memory_index < len(memories)):
                raise _fail(f"unknown memory {mode.memory_index}: the module has "
                            f"{_plural(len(memories), 'memory')} (data segment {index})",
                            data.position, file)
            address = memories[mode.memory_index].address_type
            validate_const_expr(context, mode.offset, address,
                                f"offset of data segment {index}", data.position)
        elif not isinstance(mode, PassiveData):
            raise _fail(f"invalid data segment mode {mode!r}", data.position, file)
    function_count = len(context.functions)
    refs = context.refs
    for index, segment in enumerate(module.elements):
        of_functions = getattr(segment.type, "heap_type", None) is AbsHeapType.FUNC
        for expr in segment.init:
            if of_functions and len(expr) == 1 and expr[0].opcode == _REF_FUNC:
                # the common element (ref.func i), of type (ref func): checked in place
                function = expr[0].immediates[0]
                if isinstance(function, int) and 0 <= function < function_count \
                        and function in refs:
                    continue
            validate_const_expr(context, expr, segment.type,
                                f"element of elem segment {index}", segment.position)
        element_mode = segment.mode
        if isinstance(element_mode, ActiveElement):
            tables = context.tables
            table_index = element_mode.table_index
            if not (isinstance(table_index, int) and 0 <= table_index < len(tables)):
                raise _fail(f"unknown table {table_index}: the module has "
                            f"{_plural(len(tables), 'table')} (elem segment {index})",
                            segment.position, file)
            table = tables[table_index]
            if not match_ref_type(segment.type, table.element, context.types):
                raise _fail(f"type mismatch: elem segment {index} of type {segment.type} "
                            f"does not fit table {table_index} of {table.element}",
                            segment.position, file)
            validate_const_expr(context, element_mode.offset, table.address_type,
                                f"offset of elem segment {index}", segment.position)
        elif not isinstance(element_mode, (PassiveElement, DeclarativeElement)):
            raise _fail(f"invalid elem segment mode {element_mode!r}", segment.position, file)


def _check_initialisers(module: Module, context: Context, imported_globals: int) -> None:
    file = module.source
    # each initialiser sees the globals before its own: one copy that grows (a copy per
    # global was quadratic: 200,000 globals took minutes)
    visible = context.with_globals(imported_globals)
    for offset, global_ in enumerate(module.globals):
        index = imported_globals + offset
        validate_const_expr(visible, global_.init, global_.type.value_type,
                            f"initializer of global {index}", global_.position)
        visible.globals.append(context.globals[index])
    imported_only = context.with_globals(imported_globals)
    first_table = len(context.tables) - len(module.tables)
    for offset, table in enumerate(module.tables):
        index = first_table + offset
        element: ValType = table.type.element
        if table.init is not None:
            validate_const_expr(imported_only, table.init, element,
                                f"initializer of table {index}", table.position)
        elif not is_defaultable(element):
            raise _fail(f"type mismatch: table {index} of non-nullable {element} needs an "
                        f"initializer expression", table.position, file)


@without_collector
def validate_module(module: Module, *, check_body: BodyChecker | None = None) -> None:
    """Validate a module (spec "Validation / Modules / Modules").

    Returns None when the module is valid. ``check_body`` may check function bodies in
    another form than trees (see :data:`~wasmem.valid.code.BodyChecker`).

    Raises:
        ValidationError: the first rule broken, with the spec test suite's message
            first ("type mismatch", "unknown global", ...), then details; ``function``,
            ``instruction``, ``line``/``column`` or ``offset`` and ``file`` are set
            where known.
        UnsupportedFeature: "gc" for GC instructions, "threads" for shared memories,
            "custom-page-sizes".
    """
    check_module_limits(module)
    context = build_context(module)
    imported_globals = len(context.globals)
    context.globals.extend(g.type for g in module.globals)
    _check_initialisers(module, context, imported_globals)
    first_function = len(context.functions) - len(module.functions)
    has_data_count = module.data_count is not None
    for offset, function in enumerate(module.functions):
        validate_function(context, first_function + offset, function, has_data_count,
                          check_body)
    _check_segments(module, context)
    _check_start(module, context)
    _check_exports(module, context)
