"""On-stack replacement: continue a running interpreted function in compiled code at a loop.

A function called once that spends its time in a loop (a C ``main``) never gets a next
call to run compiled. So, when the tiered mode (:mod:`.tiering`) finds a loop hot, the
interpreter's activation hands its locals to a *continuation*: a function that does what
the rest of the original function would do, entered at that loop's header. It is built
as WebAssembly, not as Python, and translated by the unchanged compiler:

* its parameters are the original function's parameters and declared locals (so the
  interpreter's registers are its arguments, at the same local indices), its results
  the original's; one more local, ``entered``, starts at 0;
* on the path from the function body down to the loop, whatever precedes the next
  construct of the path in its sequence (already run by the interpreter) is wrapped in
  ``if (local.get entered) ... end``: skipped now, run as usual when an enclosing loop
  comes round again; an ``if`` of the path gets the condition that selects the arm
  holding the loop; ``entered`` is set to 1 just before the loop;
* branch depths inside a wrapped part that leave it grow by one (the new ``if`` label);
* on the levels no loop of the path encloses, nothing needs wrapping: what precedes the
  path there cannot run again, nor can an ``if``'s other arm, so they are left out
  (with :data:`DEAD_PARTS_DROPPED`).

This needs an empty operand stack at the loop (where compilers' loops start) and no
``try_table`` around it (a handler's code would run outside its region in the
continuation but inside it in the interpreter); otherwise the loop keeps running on
the interpreter. Continuations are made without fuel metering only (the tiered mode does
not replace stacks of metered instances, so fuel is charged exactly as elsewhere).
"""

from __future__ import annotations

import copy
from ..syntax.instructions import Block, Catch, Instruction
from ..syntax.module import Function
from ..syntax.record import replace
from ..syntax.opcodes import OPCODES, TAIL_CALLS, Imm, Op
from ..syntax.types import I32, FuncType, RefType, ValType
from .compiler.context import ModuleContext

__all__ = ["DEAD_PARTS_DROPPED", "continuation_context", "loop_only", "NoContinuation",
           "synthetic_context"]

DEAD_PARTS_DROPPED = False
"""Whether a continuation leaves out what cannot run in it: on the path's levels that no
loop of the path encloses, the code before the next construct of the path (run by the
interpreter already, and never again) and the other arm of an ``if`` (its condition was
taken); such an ``if`` becomes a ``block`` of its arm. False: every part is kept behind
``entered`` as above (the translator then generates, and ``compile()`` compiles, code
that never runs: a driver's set-up before its main loop, say). Off by default: it
translates fewer instructions in every continuation measured, but its run times were
not yet told apart from the noise of a loaded machine (``bench/tiering.md``, region10)."""


class NoContinuation(Exception):
    """The loop cannot be entered from outside (see the module docstring)."""


def continuation_context(ctx: ModuleContext, index: int, loop: Block,
                         exits: bool = False) -> tuple[ModuleContext, int]:
    """Return a module context holding the continuation of function ``index`` entered at
    ``loop`` (a node of its body), and the continuation's function index in it; with
    ``exits`` and if :func:`loop_only` allows, the loop-only form (:mod:`.exits`).

    Raises:
        NoContinuation: if ``loop`` is not reachable that way.
    """
    module = ctx.module
    function = module.functions[index - ctx.imported_functions]
    ftype = ctx.function_types[index]
    if not isinstance(loop, Block):  # named by its offset (interpreter/stream.py: LoopAt)
        loop = loop.block(function.body)
    path = _path(function.body, loop)
    if path is None:
        raise NoContinuation("loop not found")
    entered = len(ftype.params) + len(function.locals)
    types = module.types
    if exits and _loop_only(function.body, path, tuple(ftype.results), types):
        from .exits import loop_only_body  # (only with the switch)
        types, results, body = loop_only_body(
            function.body, path, tuple(ftype.results),
            (*ftype.params, *function.locals), types, _rewrite)
        extra: tuple[ValType, ...] = (I32, I32, *ftype.results)
    else:
        body = _rewrite(function.body, path, entered, module.types)
        results, extra = tuple(ftype.results), (I32,)
    return synthetic_context(ctx, index, types, results, extra, body)


def synthetic_context(ctx: ModuleContext, index: int, types: tuple[FuncType, ...],
                      results: tuple[ValType, ...], extra: tuple[ValType, ...],
                      body: tuple[Instruction, ...]) -> tuple[ModuleContext, int]:
    """A module context like ``ctx`` with one function added, made of function
    ``index``: its parameters are that function's parameters and declared locals, its
    ``results``, its locals after those ``extra``, its ``body`` (``types``: the module's,
    with any the body needs); and that function's index. Raises nothing."""
    module = ctx.module
    function = module.functions[index - ctx.imported_functions]
    ftype = ctx.function_types[index]
    gtype = FuncType(tuple(ftype.params) + tuple(function.locals), results)
    types = (*types, gtype)
    gfunction = Function(len(types) - 1, extra, body, function.position,
                         function.end_position)
    synthetic = replace(module, types=types, functions=(*module.functions, gfunction))
    context = copy.copy(ctx)  # shares the constants (C<k> names) with the module's own
    context.module = synthetic
    context.function_types = [*ctx.function_types, gtype]
    return context, len(context.function_types) - 1


Path = list[tuple[int, str]]  # (index in the sequence, "body" or "else") per level


def loop_only(ctx: ModuleContext, index: int, loop: Block) -> bool:
    """Whether the continuation of function ``index`` at ``loop`` can be loop-only
    (:mod:`.exits`): every construct around the loop and the loop itself are a
    ``block``, ``loop`` or ``if`` without parameters or results, the loop makes no tail
    call, and the function's results have defaults. Raises nothing."""
    function = ctx.module.functions[index - ctx.imported_functions]
    if not isinstance(loop, Block):
        loop = loop.block(function.body)
    try:
        path = _path(function.body, loop)
    except NoContinuation:
        return False
    results = tuple(ctx.function_types[index].results)
    return path is not None and _loop_only(function.body, path, results, ctx.module.types)


def _loop_only(body: tuple[Instruction, ...], path: Path, results: tuple[ValType, ...],
               types: tuple[FuncType, ...]) -> bool:
    if any(isinstance(t, RefType) and not t.nullable for t in results):
        return False  # (its exits return a default of each result)
    seq = body
    nest = None
    for i, arm in path:
        child = seq[i]
        if child.opcode not in _PLAIN or child.immediates[0] is not None:
            return False
        assert isinstance(child, Block)
        seq = child.body if arm == "body" else child.else_body
        if child.opcode == Op.LOOP and nest is None:
            nest = seq  # (the outermost loop's body: what the continuation holds)
    return not _tail_calls(nest or seq)


_PLAIN = (Op.BLOCK, Op.LOOP, Op.IF)


def _tail_calls(seq: tuple[Instruction, ...]) -> bool:
    """Whether ``seq`` holds a tail call (at any depth)."""
    work = [seq]
    while work:
        for ins in work.pop():
            if ins.opcode in TAIL_CALLS:
                return True
            if isinstance(ins, Block):
                work += [ins.body, ins.else_body]
    return False


def _path(body: tuple[Instruction, ...], loop: Block) -> Path | None:
    """The steps from ``body`` down to ``loop`` (the loop itself last)."""
    for i, ins in enumerate(body):
        if ins is loop:
            return [(i, "body")]
        if isinstance(ins, Block):
            for arm, seq in (("body", ins.body), ("else", ins.else_body)):
                inner = _path(seq, loop)
                if inner is not None:
                    if ins.opcode == Op.TRY_TABLE:
                        raise NoContinuation("loop inside try_table")
                    return [(i, arm), *inner]
    return None


def _rewrite(seq: tuple[Instruction, ...], path: Path, entered: int,
             types: tuple[FuncType, ...], looped: bool = False) -> tuple[Instruction, ...]:
    """``seq`` with the step ``path[0]`` rewritten (module docstring); ``looped``: whether
    a loop of the path encloses ``seq`` (else nothing before the step can run again)."""
    i, arm = path[0]
    child = seq[i]
    assert isinstance(child, Block)
    prefix, suffix = seq[:i], seq[i + 1:]
    bt = child.immediates[0]
    if isinstance(bt, int) and types[bt].params:
        raise NoContinuation("a construct with parameters on the way to the loop")
    out: list[Instruction] = []
    if len(path) == 1:  # the loop itself: mark the entry, keep the loop as it is
        if prefix and (looped or not DEAD_PARTS_DROPPED):
            out += _guard(prefix, entered, None)
        out += [Instruction(Op.I32_CONST, (1,)), Instruction(Op.LOCAL_SET, (entered,))]
        return (*out, child, *suffix)
    rest, inner = path[1:], looped or child.opcode == Op.LOOP
    if arm == "body":
        new = replace(child, body=_rewrite(child.body, rest, entered, types, inner))
    else:
        new = replace(child, else_body=_rewrite(child.else_body, rest, entered, types, inner))
    if not looped and DEAD_PARTS_DROPPED:
        # run once, entered at the loop: the prefix (the interpreter ran it) and an
        # ``if``'s other arm cannot run; the ``if`` becomes a block of its arm (the same
        # label, so branch depths stay)
        if child.opcode == Op.IF:
            new = replace(new, opcode=Op.BLOCK, else_body=(), else_position=None,
                          body=new.body if arm == "body" else new.else_body)
        return (new, *suffix)
    if child.opcode == Op.IF:
        # the prefix leaves the condition; skipped, the condition selects the arm
        out += _guard(prefix, entered, 1 if arm == "body" else 0)
    elif prefix:
        out += _guard(prefix, entered, None)
    return (*out, new, *suffix)


def _guard(prefix: tuple[Instruction, ...], entered: int,
           condition: int | None) -> list[Instruction]:
    """``local.get entered; if prefix [else i32.const condition] end``."""
    body = _deepen(prefix, 0)
    if condition is None:
        guard = Block(Op.IF, (None,), body=body)
    else:
        guard = Block(Op.IF, (I32,), body=body,
                      else_body=(Instruction(Op.I32_CONST, (condition,)),))
    return [Instruction(Op.LOCAL_GET, (entered,)), guard]


def _deepen(seq: tuple[Instruction, ...], depth: int) -> tuple[Instruction, ...]:
    """Add one to every label index in ``seq`` that leaves it (``depth``: constructs
    opened inside ``seq`` around the instruction)."""
    out: list[Instruction] = []
    for ins in seq:
        if isinstance(ins, Block):
            immediates = ins.immediates
            if ins.opcode == Op.TRY_TABLE:
                catches = tuple(Catch(c.kind, c.tag, c.label + 1 if c.label >= depth else c.label)
                                for c in immediates[1])
                immediates = (immediates[0], catches)
            out.append(replace(ins, immediates=immediates, body=_deepen(ins.body, depth + 1),
                               else_body=_deepen(ins.else_body, depth + 1)))
            continue
        kind = OPCODES[ins.opcode].imm
        if kind in (Imm.LABEL, Imm.BR_ON_CAST):
            label = ins.immediates[0]
            if label >= depth:
                ins = replace(ins, immediates=(label + 1, *ins.immediates[1:]))
        elif kind is Imm.BR_TABLE:
            labels, default = ins.immediates
            ins = replace(ins, immediates=(
                tuple(x + 1 if x >= depth else x for x in labels),
                default + 1 if default >= depth else default))
        out.append(ins)
    return tuple(out)
