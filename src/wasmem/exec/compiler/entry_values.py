"""Reads of a parameter's entry value in functions that assign the parameter elsewhere.

:mod:`.entry_alignment` tests pointer parameters at entry (``if l0 & 3: return
n_unaligned(...)``) so that accesses through them index typed views; its facts hold for
every read of a local, so a parameter that the function also assigns (compilers reuse a
dead parameter's local for another value: libyaml's ``yaml_parser_fetch_more_tokens``
loads a new value into its ``parser`` local on one path) got none. But the reads that
can only see the value the function was entered with still have the tested alignment.

In structured control flow a read of local ``p`` at position ``x`` (program order) can
see an assignment at position ``a`` only if ``a < x`` or some loop encloses both (a path
from ``a`` back to ``x`` must take a branch to a loop head at or before ``x``, from inside
that loop, which therefore spans ``a`` too). So a read sees only the entry value when no
assignment of ``p`` comes before it and none lies in a loop enclosing it: one pass.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.opcodes import OPCODES, STRUCTURED, Imm, Op
from ...syntax.types import I32, FuncType

__all__ = ["SINGLE_PUSH", "SIZES", "entry_valued_bases"]

ALIGN_MAX = 8
"""Largest alignment a parameter is tested for (an ``i64``/``f64`` access's)."""

SIZES = {key: (bool(info.results), info.memory_size) for key, info in OPCODES.items()
          if info.imm is Imm.MEMARG and info.feature == "core" and info.memory_size > 1}
"""Loads and stores of more than one byte: opcode -> (a load, access size)."""
SINGLE_PUSH = frozenset((Op.LOCAL_GET, Op.I32_CONST, Op.I64_CONST, Op.F32_CONST,
                          Op.F64_CONST, Op.GLOBAL_GET))
"""Instructions that push one value and pop none (a store's value, after its address)."""
_NOTABLE = frozenset((Op.LOCAL_GET, Op.LOCAL_SET, Op.LOCAL_TEE, *SIZES, *STRUCTURED))
"""What the walk of :func:`entry_valued_bases` looks at (the rest: one set test)."""


def entry_valued_bases(function: Function, ftype: FuncType, skip: Collection[int]
                       ) -> tuple[dict[int, int], dict[int, int]]:
    """For the ``i32`` parameters that ``function`` assigns somewhere (except those in
    ``skip``): ``(parameter -> alignment to test it for at entry, id of each read of its
    entry value -> that alignment)``, for the parameters whose entry value is the direct
    address of a load or store declared naturally aligned (memarg alignment at least the
    access size, offset a multiple of it; the largest such size, at most
    :data:`ALIGN_MAX`). Empty when there are none. Never raises.

    One pass in program order (a stack of positions, not recursion: nesting may be
    deep): a read counts while its parameter has no assignment before it; the reads made
    inside a loop are dropped when the loop turns out to assign their parameter."""
    candidates = {k for k, t in enumerate(ftype.params) if t is I32 and k not in skip}
    if not candidates:
        return {}, {}
    local_get, local_set, local_tee, loop = Op.LOCAL_GET, Op.LOCAL_SET, Op.LOCAL_TEE, Op.LOOP
    notable = _NOTABLE
    seen: set[int] = set()  # parameters assigned before the current position
    reads: list[tuple[int, int]] = []  # (id of a read of an entry value, its parameter)
    sizes: dict[int, int] = {}  # id of such a read -> largest access it is the address of
    # (sequence, next position) to resume, or (None, 0, (a loop's first read, what was
    # assigned before it)) when the loop ends
    stack: list[tuple[Sequence[Instruction] | None, int, Any]] = [(function.body, 0, None)]
    while stack:
        sequence, start, loop_start = stack.pop()
        if sequence is None:  # a loop ends: drop its reads of what it assigns
            first, before_loop = loop_start
            assigned = seen - before_loop
            if assigned:
                reads[first:] = [r for r in reads[first:] if r[1] not in assigned]
            continue
        # (the instructions before an access are looked up by position: one before a
        # resumed position is the block just done, which is neither a local.get nor
        # a single push, as if there were none)
        for position in range(start, len(sequence)):
            ins = sequence[position]
            op = ins.opcode
            if op not in notable:
                continue
            if op == local_get:
                index = ins.immediates[0]
                if index in candidates and index not in seen:
                    reads.append((id(ins), index))
            elif op == local_set or op == local_tee:
                seen.add(ins.immediates[0])
            elif op in SIZES:
                if not position:
                    continue
                load, size = SIZES[op]
                previous = sequence[position - 1]
                if load:
                    base = previous
                elif position > 1 and previous.opcode in SINGLE_PUSH:
                    base = sequence[position - 2]
                else:
                    continue
                if base.opcode == local_get:
                    align_log2, offset, _memory = ins.immediates
                    if 1 << align_log2 >= size and not offset % size:
                        sizes[id(base)] = max(sizes.get(id(base), 1), size)
            elif type(ins) is Block:
                stack.append((sequence, position + 1, None))  # (resumed after the block)
                if op == loop:
                    stack.append((None, 0, (len(reads), set(seen))))
                if ins.else_body:
                    stack.append((ins.else_body, 0, None))
                stack.append((ins.body, 0, None))
                break
    wants: dict[int, int] = {}
    for read, param in reads:
        widest = sizes.get(read)
        if widest is not None and param in seen:
            wants[param] = max(wants.get(param, 1), min(widest, ALIGN_MAX))
    if not wants:
        return {}, {}
    return wants, {read: wants[param] for read, param in reads if param in wants}
