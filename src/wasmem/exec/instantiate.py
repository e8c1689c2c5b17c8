"""Instantiation (spec "Execution / Modules / Instantiation").

Resolves imports against what the embedder provides, allocates functions, tables,
memories, globals and tags, evaluates constant expressions, applies active element and
data segments in order (a trap stops there; what was already written stays, as the spec
says), and runs the start function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import LinkError, Trap, UnsupportedFeature
from ..memory.linear import LinearMemory
from ..runtime.exceptions import TagInstance
from ..runtime.functions import FunctionInstance
from ..runtime.globals import GlobalInstance
from ..runtime.instances import ExternValue, Fuel, ModuleInstance, extern_kind
from ..runtime.tables import TableInstance
from ..runtime.types import (
    func_subtype,
    global_type_match,
    memory_type_match,
    table_type_match,
)
from ..syntax.instructions import Instruction
from ..syntax.module import (
    ActiveData,
    ActiveElement,
    DeclarativeElement,
    Import,
    Module,
)
from ..syntax.opcodes import OPCODES, Op
from ..syntax.types import ExternKind, GlobalType, Limits, MemoryType, TableType
from .collector import collector_paused
from .invoke import host_function, invoke_raw
from .numeric import f32_from_bits, f64_from_bits
from .resources import admit
from .support import table_init
from .tier_names import DEFAULT_TIER, TIERS

if TYPE_CHECKING:
    from .compiler.tier import CompilingTier
    from .tiering import TieredTier

__all__ = ["instantiate", "Resolver", "evaluate_constant", "TIERS", "DEFAULT_TIER"]

Resolver = Callable[[Import], Any]
"""Given an import, return the runtime object (or a Python callable for a function)."""

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF


def instantiate(module: Module, resolve: Resolver, *, fuel: int | None = None,
                max_memory_pages: int | None = None, tier: str = DEFAULT_TIER,
                start: bool = True, max_memory_bytes: int | None = None,
                max_table_elements: int | None = None) -> ModuleInstance:
    """Instantiate a validated module.

    Args:
        module: the module (validated).
        resolve: import resolver; returns None for a missing import.
        fuel: instruction budget for the instance's code (None = unlimited).
        max_memory_pages: host cap on the size of memories the instance creates.
        tier: "tiered" (interpret, translate what gets hot: :mod:`.tiering`), "compile"
            (translate every function to Python on its first call) or "interpret".
        start: run the start function.
        max_memory_bytes, max_table_elements: caps on the total of all memories / tables
            the instance creates or imports (None: the defaults of
            :mod:`wasmem.runtime.caps`), see :func:`wasmem.exec.resources.admit`.

    Raises:
        LinkError: a missing or mismatched import ("unknown import", "incompatible
            import type").
        ResourceLimitError: the memories or tables would pass a cap (nothing allocated).
        Trap: a trap while applying segments or running the start function.
    """
    inst = ModuleInstance(module)
    if fuel is not None:
        inst.fuel = Fuel(fuel)
    with collector_paused():  # thousands of long-lived objects (see .collector)
        _build(inst, resolve, max_memory_pages, tier, max_memory_bytes, max_table_elements)
    if start and module.start is not None:
        invoke_raw(inst.functions[module.start], [])
    return inst


def _build(inst: ModuleInstance, resolve: Resolver, max_memory_pages: int | None,
           tier: str, max_memory_bytes: int | None, max_table_elements: int | None) -> None:
    """:func:`instantiate` up to the start function: link, allocate, bind the tier and
    apply the segments (raises as :func:`instantiate`)."""
    module = inst.module
    _link_imports(inst, resolve)
    caps = inst.caps = admit(inst, module, max_memory_bytes, max_table_elements,
                             max_memory_pages)
    closer = inst.closer
    imported_functions = len(inst.functions)
    for offset, function in enumerate(module.functions):
        index = imported_functions + offset
        inst.functions.append(FunctionInstance(
            module.types[function.type_index], closer.function(function.type_index),
            _unbound, instance=inst, index=index, name=module.function_name(index)))
    for g in module.globals:
        value = evaluate_constant(g.init, inst)
        inst.globals.append(GlobalInstance(closer.extern(g.type), value))
    for t in module.tables:
        init = evaluate_constant(t.init, inst) if t.init is not None else None
        inst.tables.append(TableInstance(closer.extern(t.type), init, caps=caps))
    for m in module.memories:
        inst.memories.append(LinearMemory(m.type, max_pages_cap=max_memory_pages, caps=caps))
    for k, tag in enumerate(module.tags):
        inst.tags.append(TagInstance(module.types[tag.type_index],
                                     closer.function(tag.type_index), name=f"tag[{k}]"))
    for export in module.exports:
        inst.exports[export.name] = _export_value(inst, export.kind, export.index)
    functions = inst.functions
    for segment in module.elements:  # (ref.func i), the common element, read in place
        inst.elements.append([
            functions[e[0].immediates[0]] if e is not None and len(e) == 1
            and e[0].opcode == _REF_FUNC else evaluate_constant(e, inst)
            for e in segment.init])
    for data in module.datas:
        inst.datas.append(data.data)
    _bind_tier(inst, tier)
    _apply_segments(inst)


def describe_import(imp: Import) -> str:
    """Return ``"module" "name" (kind)`` for messages."""
    return f'"{imp.module}" "{imp.name}" ({imp.kind})'


def _unbound(*args: Any) -> Any:
    raise Trap("function called before its instance was ready")


def _interpreter_fallback(inst: ModuleInstance, index: int) -> Any:
    """The compiler's fallback: an interpreter callable (imported on first need only, as
    the interpreter's modules take a noticeable part of a second to import)."""
    from .interpreter import interpreter_callable
    return interpreter_callable(inst, index)


def _bind_tier(inst: ModuleInstance, tier: str) -> None:
    if tier == "interpret":
        from .interpreter import interpreter_callable
        for index in range(len(inst.functions)):
            function = inst.functions[index]
            if function.instance is inst:
                function.call = interpreter_callable(inst, index)
        inst.tier = "interpret"
        return
    compiling: CompilingTier | TieredTier
    if tier == "tiered":  # (imports the compiler at its first translation only)
        from .tiering import TieredTier
        compiling = TieredTier(inst, fallback=_interpreter_fallback)
    else:
        from .compiler.tier import CompilingTier
        compiling = CompilingTier(inst, fallback=_interpreter_fallback)
    inst.tier = compiling
    compiling.bind()


def _link_imports(inst: ModuleInstance, resolve: Resolver) -> None:
    module = inst.module
    closer = inst.closer
    for imp in module.imports:
        value = resolve(imp)
        if value is None:
            raise LinkError(f"unknown import {describe_import(imp)}")
        if imp.kind is ExternKind.FUNC:
            expected = closer.function(imp.desc)  # type: ignore[arg-type]
            if callable(value) and not isinstance(value, FunctionInstance):
                value = host_function(module.types[imp.desc], expected, value,  # type: ignore[index]
                                      name=f"{imp.module}.{imp.name}")
        kind = extern_kind(value)
        if kind is not imp.kind:  # (the messages made on these paths only)
            raise LinkError(f"incompatible import type for {describe_import(imp)}: expected "
                            f"{imp.kind}, got {kind or type(value).__name__}")
        if not _matches(inst, imp, value):
            actual, wanted = _describe_actual(value), _describe_expected(inst, imp)
            raise LinkError(f"incompatible import type for {describe_import(imp)}: "
                            f"{actual} does not match {wanted}")
        if kind is ExternKind.FUNC:
            inst.functions.append(value)
        elif kind is ExternKind.TABLE:
            inst.tables.append(value)
        elif kind is ExternKind.MEMORY:
            inst.memories.append(value)
        elif kind is ExternKind.GLOBAL:
            inst.globals.append(value)
        else:
            inst.tags.append(value)


def _matches(inst: ModuleInstance, imp: Import, value: ExternValue) -> bool:
    closer = inst.closer
    desc = imp.desc
    if imp.kind is ExternKind.FUNC:
        return func_subtype(value.key, closer.function(desc))  # type: ignore[union-attr,arg-type]
    if imp.kind is ExternKind.TAG:
        return value.key == closer.function(desc)  # type: ignore[union-attr,arg-type]
    if imp.kind is ExternKind.TABLE:
        table: TableInstance = value  # type: ignore[assignment]
        actual = TableType(Limits(table.size, table.type.limits.max), table.type.element,
                           table.type.address_type)
        return table_type_match(actual, closer.extern(desc))
    if imp.kind is ExternKind.MEMORY:
        memory: LinearMemory = value  # type: ignore[assignment]
        actual_memory = MemoryType(Limits(memory.pages, memory.type.limits.max),
                                   memory.type.address_type, memory.type.shared,
                                   memory.type.page_size_log2)
        return memory_type_match(actual_memory, desc)  # type: ignore[arg-type]
    global_: GlobalInstance = value  # type: ignore[assignment]
    return global_type_match(global_.type, closer.extern(desc))


def _describe_actual(value: Any) -> str:
    if isinstance(value, FunctionInstance):
        return f"function {value.key}"
    if isinstance(value, TableInstance):
        return f"table of {value.size} {value.type.element}"
    if isinstance(value, LinearMemory):
        return f"memory of {value.pages} page(s), max {value.type.limits.max}"
    if isinstance(value, GlobalInstance):
        t = value.type
        return f"global {'mut ' if t.mutable else ''}{t.value_type}"
    return f"tag {getattr(value, 'key', '?')}"


def _describe_expected(inst: ModuleInstance, imp: Import) -> str:
    desc = imp.desc
    if isinstance(desc, int):
        return f"{imp.kind} {inst.closer.function(desc)}"
    if isinstance(desc, GlobalType):
        return f"global {'mut ' if desc.mutable else ''}{desc.value_type}"
    if isinstance(desc, TableType):
        return f"table {desc.limits.min}..{desc.limits.max} {desc.element}"
    return f"memory {desc.limits.min}..{desc.limits.max} page(s)"


def _export_value(inst: ModuleInstance, kind: ExternKind, index: int) -> ExternValue:
    if kind is ExternKind.FUNC:
        return inst.functions[index]
    if kind is ExternKind.TABLE:
        return inst.tables[index]
    if kind is ExternKind.MEMORY:
        return inst.memories[index]
    if kind is ExternKind.GLOBAL:
        return inst.globals[index]
    return inst.tags[index]


def _apply_segments(inst: ModuleInstance) -> None:
    """Apply active element then data segments in order; drop active and declared ones."""
    module = inst.module
    for k, segment in enumerate(module.elements):
        mode = segment.mode
        if isinstance(mode, ActiveElement):
            offset = evaluate_constant(mode.offset, inst)
            items = inst.elements[k]
            table_init(inst.tables[mode.table_index], items, offset, 0, len(items))
            inst.elements[k] = []
        elif isinstance(mode, DeclarativeElement):
            inst.elements[k] = []
    for k, data in enumerate(module.datas):
        data_mode = data.mode
        if isinstance(data_mode, ActiveData):
            offset = evaluate_constant(data_mode.offset, inst)
            inst.memories[data_mode.memory_index].init(offset, data.data, 0, len(data.data))
            inst.datas[k] = b""


_REF_FUNC = Op.REF_FUNC


def evaluate_constant(expr: tuple[Instruction, ...] | None, inst: ModuleInstance) -> Any:
    """Evaluate a constant expression (spec "Validation / Constant Expressions").

    Raises:
        UnsupportedFeature: for GC or SIMD constant instructions not supported here.
    """
    if expr is None:
        return None
    stack: list[Any] = []
    for ins in expr:
        op = ins.opcode
        if op == Op.I32_CONST or op == Op.I64_CONST:
            stack.append(ins.immediates[0])
        elif op == Op.F32_CONST:
            stack.append(f32_from_bits(ins.immediates[0]))
        elif op == Op.F64_CONST:
            stack.append(f64_from_bits(ins.immediates[0]))
        elif op == Op.V128_CONST:
            stack.append(ins.immediates[0])
        elif op == Op.REF_NULL:
            stack.append(None)
        elif op == Op.REF_FUNC:
            stack.append(inst.functions[ins.immediates[0]])
        elif op == Op.GLOBAL_GET:
            stack.append(inst.globals[ins.immediates[0]].value)
        elif op in _EXTENDED:
            b = stack.pop()
            a = stack.pop()
            mask = _M32 if op < Op.I64_ADD else _M64
            stack.append(_EXTENDED[op](a, b) & mask)
        else:
            info = OPCODES.get(op)
            raise UnsupportedFeature(info.feature if info else "unknown",
                                     f"constant instruction {info.name if info else op}")
    return stack[-1] if stack else None


_EXTENDED: dict[int, Callable[[int, int], int]] = {
    Op.I32_ADD: lambda a, b: a + b,
    Op.I32_SUB: lambda a, b: a - b,
    Op.I32_MUL: lambda a, b: a * b,
    Op.I64_ADD: lambda a, b: a + b,
    Op.I64_SUB: lambda a, b: a - b,
    Op.I64_MUL: lambda a, b: a * b,
}
