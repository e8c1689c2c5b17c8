"""Emitters of calls: ``call`` (inlining small callees), ``call_indirect``, ``call_ref``.

Direct calls to this module's functions pass the call depth ``_d + 1`` as an extra
argument (``_d + 2`` or ``_d + 3`` from the body of one or two inlined callees; see
:mod:`wasmem.exec.callstack`). Each function takes the :class:`~.codegen.FunctionCompiler`
as its first argument ``c``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import BY_NAME, OPCODES, Imm, Op
from ...syntax.types import F32, F64, I32, I64, RefType, ValType
from .alignment import inlined_alignments
from .assignment import locals_read_before_written
from .depth import argument, published
from .emit_blocks import charge, close_target, emit_one_shot, finish_frame_body, result_entries
from .known_copies import fast_path, known_copy_of
from .frames import MAX_INDENT, MAX_PY_BLOCKS, Frame, TargetScan, scan_targets
from .ranges import Range
from .stack import Entry, var_entry

if TYPE_CHECKING:
    from .codegen import FunctionCompiler
    from .context import ModuleContext
    from .indirect_inline import Emitters

__all__ = ["HANDLERS", "INLINE_MAX", "INLINE_TOTAL", "default_literal", "emit_indirect_call",
           "body_facts", "enters_recursion", "inline_facts", "try_inline", "unrolls_itself"]

Handler = Callable[["FunctionCompiler", Instruction], None]
InlineFacts = tuple[TargetScan, bool, bool, frozenset[int], frozenset[int]]

INLINE_MAX = 40
"""Functions with at most this many instructions are inlined at direct call sites."""
INLINE_TOTAL = 400
"""Instructions one function may take in by inlining, in all."""


def default_literal(t: ValType) -> str:
    """Python text of the zero value of type ``t`` (a declared local's start value)."""
    if t is F32 or t is F64:
        return "0.0"
    if isinstance(t, RefType):
        return "None"
    return "0"


def emit_call(c: FunctionCompiler, callee: str, params: int, results: int,
              tail: bool, extra: list[Entry] | None = None, direct: bool = False) -> None:
    args = c.stack.pop_n(params)
    c.stack.flush_impure()
    c.calls = True
    # the call depth (exec/callstack.py): an argument of direct calls to this
    # module's functions; published in the thread's counters for any other callee
    # (calls inlined around this one count too: each stands for a frame)
    inlined = len(c.inline_frames)
    if direct:
        text = f"{callee}({''.join(a.expr + ', ' for a in args)}{argument(inlined)})"
    else:
        c.emit(published(inlined))
        text = f"{callee}({', '.join(a.expr for a in args)})"
    if tail:
        c.emit(f"return {text}")
        c.unreachable = True
        return
    c.assign_result(text, results)


def op_call(c: FunctionCompiler, ins: Instruction) -> None:
    index = ins.immediates[0]
    ft = c.ctx.function_types[index]
    if ins.opcode == Op.CALL:
        if index >= c.ctx.imported_functions and not c.fuel \
                and (kind := known_copy_of(c.ctx, index)) is not None:
            emit_known_copy(c, index, kind)
            return
        if try_inline(c, index):
            return
    emit_call(c, f"F{index}", len(ft.params), len(ft.results), ins.opcode == Op.RETURN_CALL,
              direct=index >= c.ctx.imported_functions)


def emit_known_copy(c: FunctionCompiler, index: int, kind: str) -> None:
    """Call defined function ``index``, a ``kind`` of :mod:`.known_copies`, with its
    fast path in front: when it holds, the call's whole effect is one slice of ``M0``
    (a leaf: no frame, as the callee's own translation, which runs otherwise, would
    not check the depth either). Its result is the destination, the first argument,
    whichever way it runs (the known bodies return it). Saves a Python call per small
    ``memcpy`` (qsort's element moves, struct copies). Raises nothing."""
    args = c.stack.pop_n(3)
    c.stack.flush_impure()
    c.calls = True
    # each argument evaluated once, in order (the test reads them again)
    temps = [a.expr if a.simple and not a.impure else c.new_temp() for a in args]
    moved = [(t, a.expr) for t, a in zip(temps, args) if t != a.expr]
    if moved:
        c.emit(f"{', '.join(t for t, _ in moved)} = {', '.join(e for _, e in moved)}")
    test, statement = fast_path(kind, temps[0], temps[1], temps[2],
                                (c.new_temp(), c.new_temp(), c.new_temp()))
    c.emit(f"if {test}:")
    c.indent()
    c.emit(statement)
    c.dedent()
    c.emit("else:")
    c.indent()
    c.emit(f"F{index}({''.join(t + ', ' for t in temps)}{argument(len(c.inline_frames))})")
    c.dedent()
    # the result is the destination whichever way (the C function returns it)
    c.stack.push(args[0] if temps[0] == args[0].expr else var_entry(temps[0]))


def op_call_indirect(c: FunctionCompiler, ins: Instruction) -> None:
    type_index, table = ins.immediates
    ft = c.ctx.module.types[type_index]
    index = c.stack.pop()
    # arguments are evaluated before the callee is looked up
    top = len(c.stack)
    for position in range(top - len(ft.params), top):
        if c.stack.items[position].impure:
            c.stack.materialize(position)
    c.stack.flush_impure()
    if ins.opcode == Op.RETURN_CALL_INDIRECT:
        callee = f"n_indirect(TI{table}, {index.expr}, K{type_index})"
        emit_call(c, callee, len(ft.params), len(ft.results), True)
        return
    # inline lookup: bounds, null and type checks, then the call
    temp = c.new_temp()
    if index.simple:
        slot = index.expr
    else:
        slot = c.new_temp()
        c.emit(f"{slot} = {index.expr}")
    limits = c.ctx.tables[table].limits
    # a table whose maximum is its minimum never changes size (an imported one too:
    # its actual limits lie within the declared ones)
    size = str(limits.min) if limits.max == limits.min else f"len(T{table})"
    c.emit(f"{temp} = T{table}[{slot}] if {slot} < {size} else "
           f"n_indirect(TI{table}, {slot}, K{type_index})")
    c.emit(f"if {temp} is None or {temp}.key is not K{type_index}:")
    c.indent()
    c.emit(f"{temp} = n_indirect_check({temp}, K{type_index}, {slot})")
    c.dedent()
    from .indirect_inline import emit_specialised  # (at the first call_indirect: see below)
    if not emit_specialised(c, temp, type_index, INLINE_MAX, _emitters()):
        emit_indirect_call(c, temp, len(ft.params), len(ft.results))


def emit_indirect_call(c: FunctionCompiler, function: str, params: int, results: int,
                       loaded: str | None = None) -> None:
    """Call the checked table element ``function`` (a FunctionInstance).

    Compiled code (a function whose ``__defaults__`` is ``n_dd``, see
    :data:`~wasmem.exec.callstack.ENTRY_DEFAULTS`) takes the call depth as its last
    argument, as a direct call passes it; anything else (host functions, the
    interpreter, instrumented code) reads it from the thread's counters.
    """
    args = c.stack.pop_n(params)
    c.stack.flush_impure()
    c.calls = True
    inlined = len(c.inline_frames)
    base = len(c.stack)
    names = [f"s{base + k}" for k in range(results)]
    for name in names:
        c.stack.flush_refs(name)
    target = f"{', '.join(names)} = " if names else ""
    if loaded is None:
        callee = c.new_temp()
        c.emit(f"{callee} = {function}.call")
    else:  # (``loaded`` holds ``function.call`` already)
        callee = loaded
    c.emit(f"if type({callee}) is n_fn and {callee}.__defaults__ is n_dd:")
    c.indent()
    c.emit(f"{target}{callee}({''.join(a.expr + ', ' for a in args)}{argument(inlined)})")
    c.dedent()
    c.emit("else:")
    c.indent()
    c.emit(published(inlined))
    c.emit(f"{target}{callee}({', '.join(a.expr for a in args)})")
    c.dedent()
    for name in names:
        c.stack.push(var_entry(name))


def op_call_ref(c: FunctionCompiler, ins: Instruction) -> None:
    ft = c.ctx.module.types[ins.immediates[0]]
    ref = c.stack.pop()
    top = len(c.stack)
    for position in range(top - len(ft.params), top):
        if c.stack.items[position].impure:
            c.stack.materialize(position)
    emit_call(c, f"n_call_ref({ref.expr})", len(ft.params), len(ft.results),
              ins.opcode == Op.RETURN_CALL_REF)


def inline_facts(c: FunctionCompiler, index: int) -> InlineFacts | None:
    """What inlining defined function ``index`` here needs, or None when it may not be
    inlined here (imported, too large for the budget left, too deep, or constructs
    that rule it out)."""
    ctx = c.ctx
    if index < ctx.imported_functions or len(c.inline_frames) >= 2:
        return None
    size = ctx.function_size(index, INLINE_MAX)
    if size > INLINE_MAX or size > c.inline_budget:
        return None
    if index == c.index:
        if not unrolls_itself(ctx, index):
            return None
    elif not c.inline_frames and enters_recursion(ctx, c.index, index):
        return None
    callee = ctx.module.functions[index - ctx.imported_functions]
    known = ctx.inline_facts.get(index)
    if known is None:
        # what the callee's body allows, the same at every call site
        known = ctx.inline_facts[index] = (
            scan_targets(callee.body),
            _uses(callee.body, (Op.TRY_TABLE, Op.RETURN_CALL, Op.RETURN_CALL_INDIRECT,
                                Op.RETURN_CALL_REF)),
            _uses(callee.body, (Op.RETURN,)) or _branches_out(callee.body),
            frozenset(locals_read_before_written(
                callee.body, len(ctx.function_types[index].params), len(callee.locals))),
            _assigned(callee.body))
    scan, excluded = known[0], known[1]
    if (scan.max_loop_nesting + c.py_blocks > MAX_PY_BLOCKS - 2
            or c.ind + 2 * scan.max_depth > MAX_INDENT - 10 or excluded):
        return None
    return known


_MEMORY_ACCESSES: frozenset[int] = frozenset()
"""The opcodes that read or write a memory (made at the first :func:`body_facts`)."""


def body_facts(ctx: ModuleContext, index: int) -> tuple[bool, frozenset[int]]:
    """Whether the body of defined function ``index`` accesses memory, and the functions
    it calls directly (remembered in ``ctx.call_facts``). Raises nothing."""
    known = ctx.call_facts.get(index)
    if known is None:
        global _MEMORY_ACCESSES
        if not _MEMORY_ACCESSES:
            _MEMORY_ACCESSES = frozenset(
                key for key, info in OPCODES.items()
                if info.memory_size or info.imm in (Imm.MEMORY, Imm.MEMORY_MEMORY,
                                                    Imm.DATA_MEMORY))
        memory, callees = False, set()
        work = [ctx.module.functions[index - ctx.imported_functions].body]
        while work:
            for ins in work.pop():
                op = ins.opcode
                if op in _MEMORY_ACCESSES:
                    memory = True
                elif op == Op.CALL:
                    callees.add(ins.immediates[0])
                elif isinstance(ins, Block):
                    work.append(ins.body)
                    if ins.else_body:
                        work.append(ins.else_body)
        known = ctx.call_facts[index] = (memory, frozenset(callees))
    return known


def unrolls_itself(ctx: ModuleContext, index: int) -> bool:
    """Whether a recursive call of defined function ``index`` to itself may be inlined
    (unrolling its recursion): only when its body accesses no memory. Unrolling saves a
    Python call per level, which pays where calls are most of the work (Ackermann,
    tak, Hofstadter's F/M: ``bench/c/recursion`` mutual-O2(70) 420 -> 363 ms); a body
    with loads and stores (tree walks, -O0 code keeping locals in memory) gains nothing
    on long runs and its translation costs 3-4x as much (``bench/recursion.md``).
    Raises nothing."""
    return not body_facts(ctx, index)[0]


def enters_recursion(ctx: ModuleContext, caller: int, index: int) -> bool:
    """Whether a call from function ``caller`` (its own body, not an inlined callee's)
    to defined function ``index`` enters a recursion from outside: ``index`` calls
    itself, and not ``caller`` (which would make the call part of a mutual recursion,
    unrolled like a function's recursion into itself). Such a call is not inlined:
    that saves one call per entry into the recursion, and costs the callee's body with
    its own unrolled recursion (up to seven copies) in every caller (``bench/c/recursion``
    mutual-O2: translation 3.9x pwasm's -> 2.8x; ``bench/recursion.md``). Raises
    nothing."""
    callees = body_facts(ctx, index)[1]
    return index in callees and caller not in callees


def try_inline(c: FunctionCompiler, index: int) -> bool:
    """Inline a direct call to a small defined function; return False to call it.

    The callee's body becomes a block whose label stands for its function label
    (``return`` inside branches to its end); its locals get fresh Python names. A
    function is inlined into itself (recursion) only when :func:`unrolls_itself`, a
    call that :func:`enters_recursion` is not inlined, and nothing is inlined deeper
    than two levels, so translation stays bounded.
    """
    known = inline_facts(c, index)
    if known is None:
        return False
    ctx = c.ctx
    scan, _excluded, targeted, zeroed, assigned = known
    callee = ctx.module.functions[index - ctx.imported_functions]
    c.inline_budget -= ctx.function_size(index, INLINE_MAX)
    ft = ctx.function_types[index]
    args = c.stack.pop_n(len(ft.params))
    c.stack.flush_impure()
    c.inline_count += 1
    c.inline_locals += len(ft.params) + len(callee.locals)
    prefix = f"i{c.inline_count}_"
    # arguments go to the callee's parameters, except a variable of the caller's scope
    # passed to a parameter the callee never assigns: the callee reads that variable
    # (nothing assigns it while the callee's body runs)
    local_refs: dict[int, tuple[str, frozenset[str]]] = {}
    names, values = [], []
    caller = c.local_prefix
    for k, arg in enumerate(args):
        text = arg.expr
        if (k not in assigned and arg.depth == 0 and arg.const is None
                and text.startswith(caller) and text[len(caller):].isdigit()):
            local_refs[k] = (text, arg.refs)
        else:
            names.append(f"{prefix}{k}")
            values.append(text)
    if names:
        c.emit(f"{', '.join(names)} = {', '.join(values)}")
    callee_ranges: dict[int, Range] = {}
    for k, arg in enumerate(args):
        if arg.lo is not None and arg.hi is not None:
            callee_ranges[k] = (arg.lo, arg.hi)
    for k, t in enumerate(callee.locals):
        position = len(ft.params) + k
        if position in zeroed:  # (the others are written before any read)
            c.emit(f"{prefix}{position} = {default_literal(t)}")
            if t is I32 or t is I64:
                callee_ranges[position] = (0, 0)
    saved = (c.local_prefix, c.local_ranges, c.local_refs, c.type, c.name,
             c.function, c.local_align)
    aligns = tuple(arg.align for arg in args)
    callee_align: dict[int, int] = {}
    if max(aligns, default=1) > 1:  # (the same at every site with these alignments)
        known_align = ctx.inline_alignments.get((index, aligns))
        if known_align is None:
            known_align = ctx.inline_alignments[index, aligns] = \
                inlined_alignments(ctx, callee, ft, aligns)
        callee_align = dict(known_align)
    c.local_prefix, c.local_ranges, c.local_refs, c.local_align = (
        prefix, callee_ranges, local_refs, callee_align)
    c.type, c.function = ft, callee
    c.name = ctx.module.function_name(index)
    c.targeted |= scan.targeted
    c.guardable |= scan.guardable
    c.facts_pending.append(callee.body)
    height = len(c.stack)
    # a callee with returns becomes a one-shot ``while`` (``return`` is ``break``)
    # when Python's block limit leaves room for it
    one_shot = targeted and scan.max_loop_nesting + c.py_blocks + 1 <= MAX_PY_BLOCKS
    frame = Frame("block", len(c.frames), height, (), ft.results, py_loop=one_shot,
                  targeted=targeted)
    c.push_frame(frame)
    c.inline_frames.append(frame)
    c.sites.enter(index)
    if c.fuel:
        charge(c, callee.body, loop_label=None)
    if one_shot:
        emit_one_shot(c, frame, callee.body)  # pops the frame
    else:
        c.emit_sequence(frame, callee.body)
        finish_frame_body(c, frame)
        c.frames.pop()
    c.inline_frames.pop()
    c.sites.leave()
    close_target(c, frame)
    c.stack.items[height:] = result_entries(c, frame)
    (c.local_prefix, c.local_ranges, c.local_refs, c.type, c.name,
     c.function, c.local_align) = saved
    return True


def _uses(body: tuple[Instruction, ...], opcodes: tuple[int, ...]) -> bool:
    """True if any instruction in ``body`` (nested included) has one of ``opcodes``."""
    work = [body]
    while work:
        for ins in work.pop():
            if ins.opcode in opcodes:
                return True
            if isinstance(ins, Block):
                work.append(ins.body)
                if ins.else_body:
                    work.append(ins.else_body)
    return False


def _assigned(body: tuple[Instruction, ...]) -> frozenset[int]:
    """The locals that ``local.set``/``local.tee`` in ``body`` (nested included) assign."""
    found: set[int] = set()
    work = [body]
    while work:
        for ins in work.pop():
            if ins.opcode == Op.LOCAL_SET or ins.opcode == Op.LOCAL_TEE:
                found.add(ins.immediates[0])
            elif isinstance(ins, Block):
                work.append(ins.body)
                if ins.else_body:
                    work.append(ins.else_body)
    return frozenset(found)


def _branches_out(body: tuple[Instruction, ...]) -> bool:
    """True if a branch in ``body`` targets the function's own label."""
    work: list[tuple[tuple[Instruction, ...], int]] = [(body, 0)]
    while work:
        seq, depth = work.pop()
        for ins in seq:
            op = ins.opcode
            if isinstance(ins, Block):
                work.append((ins.body, depth + 1))
                if ins.else_body:
                    work.append((ins.else_body, depth + 1))
                if op == Op.TRY_TABLE and any(c.label == depth for c in ins.immediates[1]):
                    return True
            elif op in (Op.BR, Op.BR_IF, Op.BR_ON_NULL, Op.BR_ON_NON_NULL):
                if ins.immediates[0] == depth:
                    return True
            elif op == Op.BR_TABLE:
                if depth in ins.immediates[0] or ins.immediates[1] == depth:
                    return True
    return False


_EMITTERS: list[Emitters] = []
"""What ``call_indirect`` specialised on its targets needs (see .indirect_inline): made,
and that module imported, at the first ``call_indirect`` translated (many processes'
translations have none: ~0.1 ms of import saved there)."""


def _emitters() -> Emitters:
    """:data:`_EMITTERS`' one element, made at the first call."""
    if not _EMITTERS:
        from .indirect_inline import Emitters
        _EMITTERS.append(Emitters(inline_facts, try_inline, emit_indirect_call,
                                  finish_frame_body, close_target, result_entries))
    return _EMITTERS[0]

HANDLERS: dict[int, Handler] = {BY_NAME[name].key: handler for name, handler in {
    "call": op_call, "return_call": op_call, "call_indirect": op_call_indirect,
    "return_call_indirect": op_call_indirect, "call_ref": op_call_ref,
    "return_call_ref": op_call_ref,
}.items()}
"""Emitters of this family by opcode key."""
