"""Memory checks: ignored ``memory.grow`` results, ``align=`` larger than natural,
constant addresses beyond the memory a module can have.

The address and ``memory.grow`` checks follow values through a small model of the
operand stack (which instruction pushed each value), sequence by sequence. Where the
model does not know an instruction's stack effect it stops for that sequence, so an
unusual instruction can hide a finding but never invent one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ...syntax.instructions import Block, Instruction
from ...syntax.module import ActiveData, Module
from ...syntax.opcodes import OPCODES, STRUCTURED, TERMINATORS, Imm, Op
from ...syntax.types import ExternKind, FuncType, MemoryType
from .findings import Finding
from .walk import MEMORY_ACCESS, FunctionFacts

__all__ = ["check_alignment", "check_function_memory", "check_data_segments", "MemoryFacts"]

_BLOCKS = STRUCTURED
_TERMINATORS = TERMINATORS
_FIXED_EFFECTS: dict[int, tuple[int, int]] = {
    Op.NOP: (0, 0), Op.DROP: (1, 0), Op.SELECT: (3, 1), Op.SELECT_T: (3, 1),
    Op.LOCAL_GET: (0, 1), Op.LOCAL_SET: (1, 0), Op.LOCAL_TEE: (1, 1),
    Op.GLOBAL_GET: (0, 1), Op.GLOBAL_SET: (1, 0), Op.TABLE_GET: (1, 1),
    Op.TABLE_SET: (2, 0), Op.TABLE_SIZE: (0, 1), Op.TABLE_GROW: (2, 1),
    Op.TABLE_FILL: (3, 0), Op.TABLE_COPY: (3, 0), Op.TABLE_INIT: (3, 0),
    Op.ELEM_DROP: (0, 0), Op.DATA_DROP: (0, 0), Op.MEMORY_SIZE: (0, 1),
    Op.MEMORY_GROW: (1, 1), Op.MEMORY_INIT: (3, 0), Op.MEMORY_COPY: (3, 0),
    Op.MEMORY_FILL: (3, 0), Op.REF_NULL: (0, 1), Op.REF_IS_NULL: (1, 1),
    Op.REF_FUNC: (0, 1), Op.REF_AS_NON_NULL: (1, 1), Op.BR_IF: (1, 0),
}
_PAGE = 65536


@dataclass
class MemoryFacts:
    """What the module says about its memories: types, and which can grow past ``min``.

    A memory can be bigger than its declared minimum when it is imported (the host may
    pass a bigger one), exported (the host may grow it) or grown by the module itself.
    """

    types: list[MemoryType] = field(default_factory=list)
    may_exceed_min: list[bool] = field(default_factory=list)

    @classmethod
    def of(cls, module: Module) -> MemoryFacts:
        """Collect the facts of ``module``. Raises nothing."""
        facts = cls()
        for imp in module.imports:
            if imp.kind is ExternKind.MEMORY and isinstance(imp.desc, MemoryType):
                facts.types.append(imp.desc)
                facts.may_exceed_min.append(True)
        for memory in module.memories:
            facts.types.append(memory.type)
            facts.may_exceed_min.append(False)
        for export in module.exports:
            if export.kind is ExternKind.MEMORY and 0 <= export.index < len(facts.types):
                facts.may_exceed_min[export.index] = True
        for function in module.functions:
            for ins in _all_instructions(function.body):
                if ins.opcode == Op.MEMORY_GROW:
                    index = ins.immediates[0] if ins.immediates else 0
                    if isinstance(index, int) and 0 <= index < len(facts.types):
                        facts.may_exceed_min[index] = True
        return facts

    def limit(self, index: int) -> tuple[int, str] | None:
        """Bytes every access to memory ``index`` must stay below and why, or None."""
        if not 0 <= index < len(self.types):
            return None
        memory = self.types[index]
        page = 1 << memory.page_size_log2
        if not self.may_exceed_min[index]:
            limit = memory.limits.min * page
            return limit, (f"memory {index} has {memory.limits.min} page(s) = {limit} bytes "
                           "and nothing can grow it")
        if memory.limits.max is not None:
            limit = memory.limits.max * page
            return limit, (f"memory {index} can have at most {memory.limits.max} page(s) = "
                           f"{limit} bytes")
        return None


def _all_instructions(body: tuple[Instruction, ...]) -> Iterator[Instruction]:
    stack = [iter(body)]
    while stack:
        for ins in stack[-1]:
            yield ins
            if isinstance(ins, Block):
                stack.append(iter(ins.else_body))
                stack.append(iter(ins.body))
                break
        else:
            stack.pop()


def check_alignment(facts: FunctionFacts) -> list[Finding]:
    """``align-too-large``: a load or store whose ``align=`` exceeds the access width.

    Validation rejects such modules ("alignment must not be larger than natural").
    """
    out: list[Finding] = []
    for ins in facts.ordered:
        info = OPCODES.get(ins.opcode)
        if info is None or not info.memory_size or info.imm not in (Imm.MEMARG, Imm.MEMARG_LANE):
            continue
        align = ins.immediates[0]
        if isinstance(align, int) and align > info.natural_alignment:
            out.append(Finding(
                "align-too-large", ins.position,
                f"{info.name} align={1 << align} is larger than its natural alignment "
                f"(a {info.memory_size}-byte access, align={info.memory_size} at most): "
                "the module does not validate",
                f"write align={info.memory_size} or less, or leave align= out "
                "(alignment is only a hint; unaligned addresses still work)",
                facts.name))
    return out


@dataclass
class _Frame:
    block: Block | None
    items: Iterator[Instruction]
    stack: list[Instruction | None] | None
    params: int
    results: int
    in_else: bool = False


def _block_arity(module: Module, block: Block) -> tuple[int, int] | None:
    block_type = block.immediates[0] if block.immediates else None
    if block_type is None:
        return 0, 0
    if isinstance(block_type, int):
        if 0 <= block_type < len(module.types) and isinstance(module.types[block_type],
                                                              FuncType):
            t = module.types[block_type]
            return len(t.params), len(t.results)
        return None
    return 0, 1


def _effect(module: Module, ins: Instruction) -> tuple[int, int] | None:
    op = ins.opcode
    fixed = _FIXED_EFFECTS.get(op)
    if fixed is not None:
        return fixed
    info = OPCODES.get(op)
    if info is None:
        return None
    if info.params is not None and info.results is not None:
        return len(info.params), len(info.results)
    if info.memory_size and info.imm == Imm.MEMARG:
        return (1, 1) if info.results else (2, 0)
    try:
        if op == Op.CALL:
            t = module.function_type(ins.immediates[0])
            return len(t.params), len(t.results)
        if op == Op.CALL_INDIRECT:
            t = module.types[ins.immediates[0]]
            return len(t.params) + 1, len(t.results)
    except (IndexError, TypeError, AttributeError):
        return None
    return None


def check_function_memory(module: Module, facts: FunctionFacts,
                          memories: MemoryFacts) -> list[Finding]:
    """``grow-result-ignored`` and ``address-out-of-range`` in one function.

    A ``memory.grow`` result left on the operand stack (never used) is always reported;
    a dropped one is reported when the function then accesses memory before any
    ``memory.size``, i.e. it assumes the grow worked. Raises nothing.
    """
    out: list[Finding] = []
    dropped: list[Instruction] = []
    try:
        function_type = module.types[facts.function.type_index]
        results = len(function_type.results)
    except (IndexError, AttributeError):
        return out
    frames = [_Frame(None, iter(facts.function.body), [], 0, results)]
    while frames:
        frame = frames[-1]
        ins = next(frame.items, None)
        if ins is None:
            _end_sequence(frame, out, facts.name)
            block = frame.block
            if block is not None and block.opcode == Op.IF and not frame.in_else:
                frame.in_else = True
                frame.items = iter(block.else_body)
                frame.stack = [None] * frame.params
                continue
            frames.pop()
            if frames and frames[-1].stack is not None:
                frames[-1].stack.extend([None] * frame.results)
            continue
        stack = frame.stack
        if ins.opcode in _BLOCKS and isinstance(ins, Block):
            arity = _block_arity(module, ins)
            params, block_results = arity if arity is not None else (0, 0)
            taken = params + (1 if ins.opcode == Op.IF else 0)
            if stack is not None:
                if arity is None or len(stack) < taken:
                    frame.stack = None
                else:
                    del stack[len(stack) - taken:]
            child_stack: list[Instruction | None] | None = [None] * params
            if arity is None:
                child_stack = None
            frames.append(_Frame(ins, iter(ins.body), child_stack, params, block_results))
            continue
        if stack is None:
            continue
        effect = _effect(module, ins)
        if effect is None or len(stack) < effect[0]:
            frame.stack = None
            continue
        popped = stack[len(stack) - effect[0]:]
        del stack[len(stack) - effect[0]:]
        op = ins.opcode
        if op == Op.DROP and popped and _is_grow(popped[0]):
            dropped.append(popped[0])  # type: ignore[arg-type]
        info = OPCODES.get(op)
        if info is not None and info.memory_size and info.imm == Imm.MEMARG and popped:
            address = popped[0]
            if address is not None and address.opcode in (Op.I32_CONST, Op.I64_CONST):
                finding = _address_finding(ins, address, memories, facts.name)
                if finding is not None:
                    out.append(finding)
        if op in (Op.MEMORY_GROW, Op.I32_CONST, Op.I64_CONST):
            stack.append(ins)
        else:
            stack.extend([None] * effect[1])
        if op in _TERMINATORS:
            frame.stack = None
    out.extend(_dropped_grow_findings(facts, dropped))
    return out


def _is_grow(value: Instruction | None) -> bool:
    return value is not None and value.opcode == Op.MEMORY_GROW


def _end_sequence(frame: _Frame, out: list[Finding], function: str | None) -> None:
    """Report grow results still on the stack below the sequence's results."""
    stack = frame.stack
    if stack is None or len(stack) <= frame.results:
        return
    for value in stack[:len(stack) - frame.results]:
        if value is not None and value.opcode == Op.MEMORY_GROW:
            out.append(Finding(
                "grow-result-ignored", value.position,
                "the result of memory.grow (the old size in pages, or -1 when memory cannot "
                "grow) is left on the stack and never checked",
                "test it: (if (i32.eq (memory.grow ...) (i32.const -1)) (then ...failure...)),"
                " or drop it explicitly if failure does not matter",
                function))


def _dropped_grow_findings(facts: FunctionFacts, dropped: list[Instruction]) -> list[Finding]:
    if not dropped:
        return []
    order = {id(ins): k for k, ins in enumerate(facts.ordered)}
    out: list[Finding] = []
    for grow in dropped:
        start = order.get(id(grow))
        if start is None:
            continue
        for later in facts.ordered[start + 1:]:
            if later.opcode == Op.MEMORY_SIZE:
                break
            if later.opcode in MEMORY_ACCESS:
                name = OPCODES[later.opcode].name
                out.append(Finding(
                    "grow-result-ignored", grow.position,
                    f"the result of memory.grow is dropped, yet the function goes on to use "
                    f"memory ({name}) as if the grow had worked; it returns -1 on failure",
                    "check it: (if (i32.eq (memory.grow ...) (i32.const -1)) "
                    "(then ...handle the failure...))",
                    facts.name))
                break
    return out


def _address_finding(ins: Instruction, address: Instruction, memories: MemoryFacts,
                     function: str | None) -> Finding | None:
    info = OPCODES[ins.opcode]
    _align, offset, memory_index = (*ins.immediates, 0, 0, 0)[:3]
    limit = memories.limit(memory_index if isinstance(memory_index, int) else 0)
    if limit is None or not isinstance(offset, int):
        return None
    value = address.immediates[0]
    if not isinstance(value, int):
        return None
    end = value + offset + info.memory_size
    # Only the constant itself is judged: a huge offset= on address 0 is how the spec
    # tests spell "largest offset", and a memory of 0 pages that nothing grows is a
    # placeholder there; neither is the chapter's mistake.
    if value + info.memory_size <= limit[0] or limit[0] == 0:
        return None
    where = f"0x{value:x}" + (f" + offset {offset}" if offset else "")
    return Finding(
        "address-out-of-range", ins.position or address.position,
        f"{info.name} at constant address {where} needs bytes up to 0x{end:x}, but "
        f"{limit[1]}: it always traps",
        "use an address inside the memory, or declare a larger minimum: (memory N)",
        function)


def check_data_segments(module: Module, memories: MemoryFacts) -> list[Finding]:
    """``address-out-of-range`` for active data segments that cannot fit at instantiation.

    Instantiation copies them into memories of their *minimum* size (defined memories)
    and fails with "out of bounds memory access" when they do not fit. Raises nothing.
    """
    out: list[Finding] = []
    imported = sum(1 for i in module.imports if i.kind is ExternKind.MEMORY)
    for k, segment in enumerate(module.datas):
        mode = segment.mode
        if not isinstance(mode, ActiveData) or len(mode.offset) != 1:
            continue
        constant = mode.offset[0]
        if constant.opcode not in (Op.I32_CONST, Op.I64_CONST):
            continue
        index = mode.memory_index
        if not (isinstance(index, int) and imported <= index < len(memories.types)):
            continue
        memory = memories.types[index]
        size = memory.limits.min << memory.page_size_log2
        start = constant.immediates[0]
        if not isinstance(start, int) or start + len(segment.data) <= size:
            continue
        name = module.names.datas.get(k)
        label = f"${name}" if name else f"data segment {k}"
        out.append(Finding(
            "address-out-of-range", segment.position or constant.position,
            f"{label} writes {len(segment.data)} bytes at 0x{start:x}, past the end of "
            f"memory {index} ({memory.limits.min} page(s) = {size} bytes): instantiation "
            "fails with \"out of bounds memory access\"",
            "move the segment to a lower offset or declare a larger minimum: (memory N)"))
    return out

