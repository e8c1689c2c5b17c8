"""Exits from compiled code back to the interpreter: loop-only continuations.

A continuation (:mod:`.osr`) runs the rest of an interpreted activation compiled from a
hot loop's header on, so the whole rest of the function is translated, though a run
may spend all its time in that loop (a driver's set-up and tear-down, a dispatcher's
other arms). With :data:`LOOP_ONLY`, a continuation holds the loop alone: when control
leaves the loop (falls out of its end, or branches to a label around it), the
continuation *exits*: it returns the activation's locals and where the interpreter
resumes, and the interpreter's activation continues there with those locals. The
operand stack is empty at every exit (the loop and the constructs around it have no
parameters or results, and the loop's header had an empty stack), so the locals are the
whole state. A ``return`` in the loop returns from the continuation as before. The
loop a continuation holds is the outermost loop around the hot one (the hot loop
itself if none): an inner loop gets hot first, and exiting it at the end of every
iteration of the loops around it would cost an exit and an entry each time; inside that
nest the continuation is entered at the hot loop as :mod:`.osr` enters one.

The continuation is still WebAssembly, translated by the unchanged compiler (so traps,
their positions, and the order of effects are the translated code's as everywhere).
For a loop at depth ``d`` (constructs ``C_1 .. C_d`` around it, outermost first) its
body is::

    block $X
      block $R (result <the function's results>)
        block E_1 ... block E_d
          <the loop, each return in it a br to $R>
          exit 0 (after the loop's end)
        end                                 ;; E_d: what branched to C_d
        exit d
        ...
        end                                 ;; E_1
        exit 1
      end
      i32.const -1  local.get 0 .. n-1  return    ;; returned: results, -1, locals
    end
    <defaults of the results>  local.get tag  local.get 0 .. n-1

where ``exit k`` is ``i32.const k  local.set tag  br $X``: the continuation's results
are the function's results, the exit's number (-1: returned), and the ``n`` locals.
Branch depths inside the loop are unchanged (``E_j`` stands where ``C_j`` stood, ``$R``
where the function's label stood). Exit 0 resumes after the loop's end, exit ``j`` at
``C_j``'s label (after its end, or the header of a loop): the interpreter's decoder
records both per loop (:attr:`~.interpreter.program.DecodedFunction.exits`).

Off by default (``WASMEM_LOOP_EXITS=1`` turns it on): measured in ``bench/tiering.md``
("Exits from translated code back to the interpreter").
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..syntax.instructions import Block, Instruction
from ..syntax.opcodes import Op
from ..syntax.record import replace
from ..syntax.types import I32, FuncType, ValType
from . import callstack

__all__ = ["COLD_EXITS", "LOOP_ONLY", "MAX_LOOP_ONLY", "key", "loop_only_body", "replace_stack"]

LOOP_ONLY = os.environ.get("WASMEM_LOOP_EXITS", "") == "1"
"""Whether continuations hold their loop only and exit to the interpreter when it ends
(where :func:`.osr.loop_only` allows; otherwise the whole rest of the function)."""


COLD_EXITS = os.environ.get("WASMEM_COLD_EXITS", "") == "1"
"""Whether a big function's translation by calls leaves out the blocks the interpreter
never entered, with an exit back to it at each edge into one (:mod:`.pruned`)."""


MAX_LOOP_ONLY = 8
"""Loop-only continuations made of one function (its loops that get hot one after the
other each get one; a second hot loop does not make the whole function translated, as
it does without :data:`LOOP_ONLY`: :data:`.tiering.MAX_CONTINUATIONS`)."""


def key(ordinal: int) -> int:
    """The ordinal a continuation of a function's ``ordinal``-th loop is kept by (in the
    module and its disk cache): negative for the loop-only form, whose code differs."""
    return -1 - ordinal if LOOP_ONLY else ordinal


Path = list[tuple[int, str]]


def loop_only_body(body: tuple[Instruction, ...], path: Path, results: tuple[ValType, ...],
                   local_types: tuple[ValType, ...], types: tuple[FuncType, ...],
                   rewrite: Callable[..., tuple[Instruction, ...]]
                   ) -> tuple[tuple[FuncType, ...], tuple[ValType, ...], tuple[Instruction, ...]]:
    """The loop-only continuation of the loop at the end of ``path`` (module docstring),
    in a function of ``results`` whose parameters and locals are ``local_types``: the
    module's ``types`` (one added if the results need a type index), the continuation's
    results, its body. The loop it holds is the outermost loop of the path (the nest the
    hot loop is in), entered at the hot loop as :mod:`.osr` enters a continuation
    (``rewrite``: its ``_rewrite``, inside a loop). Its locals after those: ``tag`` and
    ``entered`` (i32s), then one per result (their defaults). Raises nothing."""
    tag = len(local_types)
    if len(results) > 1:
        types = (*types, FuncType((), results))
        bt: Any = len(types) - 1
    else:
        bt = results[0] if results else None
    levels: list[Block] = []
    seq = body
    for i, arm in path:
        child = seq[i]
        assert isinstance(child, Block)
        levels.append(child)
        seq = child.body if arm == "body" else child.else_body
    depth = next(k for k, level in enumerate(levels) if level.opcode == Op.LOOP)
    loop = levels[depth]  # (depth: the constructs around it)
    nested = loop.body if depth == len(levels) - 1 else rewrite(
        loop.body, path[depth + 1:], tag + 1, types, True)
    inner: tuple[Instruction, ...] = (
        replace(loop, body=_returns_as_branches(nested, depth + 1)),
        *_exit(0, tag, depth + 1))
    for j in range(depth, 0, -1):  # E_j around what is inside it, then exit j
        inner = (Block(Op.BLOCK, (None,), body=inner), *_exit(j, tag, j))
    locals_count = tag
    returned = Block(Op.BLOCK, (bt,), body=inner)
    out = Block(Op.BLOCK, (None,), body=(
        returned, Instruction(Op.I32_CONST, (-1,)), *_locals(range(locals_count)),
        Instruction(Op.RETURN, ())))
    defaults = _locals(range(tag + 2, tag + 2 + len(results)))
    return types, (*results, I32, *local_types), (
        out, *defaults, *_locals((tag,)), *_locals(range(locals_count)))


def _locals(indices: range | tuple[int, ...]) -> list[Instruction]:
    return [Instruction(Op.LOCAL_GET, (i,)) for i in indices]


def _exit(number: int, tag: int, depth: int) -> list[Instruction]:
    """``i32.const number; local.set tag; br depth`` (``depth``: to ``$X``)."""
    return [Instruction(Op.I32_CONST, (number,)), Instruction(Op.LOCAL_SET, (tag,)),
            Instruction(Op.BR, (depth,))]


def _returns_as_branches(seq: tuple[Instruction, ...], to_r: int) -> tuple[Instruction, ...]:
    """``seq`` with each ``return`` a ``br`` to ``$R`` (``to_r`` labels out from
    ``seq``)."""
    out: list[Instruction] = []
    for ins in seq:
        if isinstance(ins, Block):
            ins = replace(ins, body=_returns_as_branches(ins.body, to_r + 1),
                          else_body=_returns_as_branches(ins.else_body, to_r + 1))
        elif ins.opcode == Op.RETURN:
            ins = replace(ins, opcode=Op.BR, immediates=(to_r,))
        out.append(ins)
    return tuple(out)


def replace_stack(enter: Any, R: list[Any], locals_count: int, code: Any,
                  pcs: tuple[int, ...]) -> int:
    """Run an interpreted activation's loop in its loop-only continuation ``enter``
    (locals ``R[:locals_count]``); if it returned, leave its results where the
    interpreter returns them from and return 0 (the activation's end); if it exited,
    put its locals in ``R`` and return the pc to resume at, ``pcs[exit]``
    (:attr:`~.interpreter.program.DecodedFunction.exits` of the loop, after the loop's
    end first). Raises what the continuation raises."""
    out = enter(*R[:locals_count], callstack.passed_depth(callstack.LOCAL.counters.depth))
    n = code.results
    if n + locals_count == 0:
        out = (out,)
    number = out[n]
    if number < 0:
        if n == 1:
            R[code.base] = out[0]
        elif n:
            R[code.base:code.base + n] = out[:n]
        return 0
    R[:locals_count] = out[n + 1:]
    return pcs[number]
