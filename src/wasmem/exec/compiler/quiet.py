"""Functions that write no memory: what a call to them leaves of the frame-slot records.

Store-to-load forwarding (:mod:`.slots`) forgets its records at every call, since a
callee may write anywhere (it can read ``__stack_pointer`` and write the caller's
frame). A callee that writes no memory at all cannot: then a load after the call reads
what the store before it wrote. This is -O0 code calling ``strlen``, ``strcmp`` or a
comparator, then reloading its slots. A function is *quiet* if every instruction of its
body is a local, global, numeric or control instruction, a plain load, ``memory.size``
or ``memory.grow`` (which adds zero bytes and changes none), or a direct call of a quiet
function of the module; imported functions (the host may write memory), indirect calls,
stores, bulk memory, atomics and anything else make it not quiet. Calls are followed at
most :data:`DEPTH` levels deep; a cycle is not quiet.
"""

from __future__ import annotations

import weakref
from typing import Any

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import BY_NAME, OPCODES, Op
from .slots import SLOT_SAFE

__all__ = ["DEPTH", "QUIET_MAX", "quiet_call"]

DEPTH = 3
"""How many levels of direct calls a callee's summary follows."""
QUIET_MAX = 100
"""Largest callee (in instructions) looked at: the quiet ones are small (``strlen``,
``strcmp``, comparators), and a bigger one is judged not quiet without walking its body
(nor decoding it, when its byte length already rules it out: see
``ModuleContext.function_size``) at a caller's translation. Judging a quiet function not
quiet only costs the records (loads read memory again)."""

_QUIET: frozenset[int] = frozenset(
    {key for key in SLOT_SAFE if "store" not in OPCODES[key].name}
    | {BY_NAME[name].key for name in ("block", "loop", "if", "br", "br_table", "return",
                                      "unreachable", "memory.size", "memory.grow")})
"""Instructions that write no memory (``call`` is judged by its callee)."""

_SUMMARIES: weakref.WeakKeyDictionary[Any, dict[int, bool]] = weakref.WeakKeyDictionary()
"""Per module context: function index -> quiet."""


def quiet_call(ctx: Any, ins: Instruction) -> bool:
    """True if ``ins`` is a ``call`` of a function that writes no memory. Never raises."""
    if ins.opcode != Op.CALL:
        return False
    try:
        summaries = _SUMMARIES.setdefault(ctx, {})
    except TypeError:  # (a context that takes no weak reference)
        return False
    return _quiet(ctx, ins.immediates[0], summaries, DEPTH, set())


def _quiet(ctx: Any, index: int, summaries: dict[int, bool], depth: int,
           visiting: set[int]) -> bool:
    known = summaries.get(index)
    if known is not None:
        return known
    if index < ctx.imported_functions or depth == 0 or index in visiting:
        return False  # (not cached: a deeper or other path may still find it quiet)
    visiting.add(index)
    try:
        if ctx.function_size(index, QUIET_MAX) > QUIET_MAX:
            result = False  # (judged without its body: see QUIET_MAX)
        else:
            body = ctx.module.functions[index - ctx.imported_functions].body
            result = _body_quiet(ctx, body, summaries, depth, visiting)
    except (IndexError, AttributeError):
        result = False
    visiting.discard(index)
    if result or depth == DEPTH:
        summaries[index] = result
    return result


def _body_quiet(ctx: Any, body: tuple[Instruction, ...], summaries: dict[int, bool],
                depth: int, visiting: set[int]) -> bool:
    for ins in body:
        op = ins.opcode
        if isinstance(ins, Block):
            if op == Op.TRY_TABLE or not _body_quiet(ctx, ins.body, summaries, depth,
                                                     visiting):
                return False
            if ins.else_body and not _body_quiet(ctx, ins.else_body, summaries, depth,
                                                 visiting):
                return False
        elif op == Op.CALL:
            if not _quiet(ctx, ins.immediates[0], summaries, depth - 1, visiting):
                return False
        elif op not in _QUIET:
            return False
    return True
