"""Which declared locals a function may read before writing them (definite assignment).

A WebAssembly local starts at zero; a Python local starts unbound. The generated code
therefore begins with ``l5 = 0`` for each declared local, one statement per local per
call. Most of those are dead: compilers' output writes a local before reading it. This
pass finds the locals for which some path from the function's entry reaches a
``local.get`` without a ``local.set``/``local.tee`` on the way; only those need their
initial value.

Sets of locals are Python ints used as bit masks. Along straight-line code the set of
*definitely assigned* locals only grows; at a join (the end of a block, an ``if``'s two
arms, a branch target) it is the intersection of the sets that arrive there. Code after
an unconditional branch is unreachable: its set is "everything" (``-1``), the neutral
element of intersection. A loop's header is reached first from its entry, and a path
around the loop only adds assignments, so the set at the header is the set at the entry.
A ``try_table``'s handlers may run from any point of its body: their branches carry the
set at the ``try_table``'s entry.
"""

from __future__ import annotations

from ...syntax.instructions import Block, Expr
from ...syntax.opcodes import BRANCHES, STRUCTURED, TERMINATORS, Op

__all__ = ["locals_read_before_written"]

_EVERYTHING = -1

_LOCAL_GET = Op.LOCAL_GET
_LOCAL_SET = Op.LOCAL_SET
_LOCAL_TEE = Op.LOCAL_TEE
_BR = Op.BR
_BR_IF = Op.BR_IF
_BR_TABLE = Op.BR_TABLE
_LOOP = Op.LOOP
_IF = Op.IF
_TRY_TABLE = Op.TRY_TABLE
_CONDITIONAL_BRANCHES = BRANCHES - TERMINATORS
_ENDS_CONTROL = TERMINATORS - BRANCHES
_NOTABLE = frozenset((_LOCAL_GET, _LOCAL_SET, _LOCAL_TEE, *STRUCTURED, *BRANCHES, *TERMINATORS))
"""The instructions the walk looks at; the rest (most) are skipped with one set test."""


class _Walk:
    """State of one analysis: the labels' incoming sets and the locals found."""

    def __init__(self, first_declared: int) -> None:
        self.first_declared = first_declared
        self.needed = 0
        # per open label (innermost last): the intersection of the sets branching there,
        # or None for a loop (its branches go back to a header already analysed)
        self.labels: list[int | None] = []

    def branch(self, depth: int, assigned: int) -> None:
        index = len(self.labels) - 1 - depth
        if 0 <= index < len(self.labels):
            incoming = self.labels[index]
            if incoming is not None:
                self.labels[index] = incoming & assigned

    def sequence(self, body: Expr, assigned: int) -> int:
        """Walk ``body`` entered with ``assigned``; return the set at its end."""
        notable = _NOTABLE
        for ins in body:
            op = ins.opcode
            if op not in notable:
                continue
            if op == _LOCAL_GET:
                index = ins.immediates[0]
                if not assigned >> index & 1:
                    self.needed |= 1 << index
            elif op == _LOCAL_SET or op == _LOCAL_TEE:
                assigned |= 1 << ins.immediates[0]
            elif isinstance(ins, Block):
                assigned = self.block(ins, assigned)
            elif op == _BR:
                self.branch(ins.immediates[0], assigned)
                assigned = _EVERYTHING
            elif op in _CONDITIONAL_BRANCHES:
                self.branch(ins.immediates[0], assigned)
            elif op == _BR_TABLE:
                labels, default = ins.immediates
                for depth in (*labels, default):
                    self.branch(depth, assigned)
                assigned = _EVERYTHING
            elif op in _ENDS_CONTROL:
                assigned = _EVERYTHING
        return assigned

    def block(self, block: Block, assigned: int) -> int:
        op = block.opcode
        if op == _TRY_TABLE:
            for catch in block.immediates[1]:
                self.branch(getattr(catch, "label", 0), assigned)
        self.labels.append(None if op == _LOOP else _EVERYTHING)
        if op == _IF:
            end = self.sequence(block.body, assigned) & self.sequence(block.else_body, assigned)
        else:
            end = self.sequence(block.body, assigned)
        incoming = self.labels.pop()
        return end if incoming is None else end & incoming


def locals_read_before_written(body: Expr, params: int, declared: int) -> set[int]:
    """Return the declared locals (indices ``params`` .. ``params + declared - 1``) that
    some path may read before any write, so they need their initial zero.

    Parameters always have values and are never returned.
    """
    walk = _Walk(params)
    walk.labels.append(_EVERYTHING)  # the function's own label (its end)
    walk.sequence(body, (1 << params) - 1)
    needed = walk.needed
    return {i for i in range(params, params + declared) if needed >> i & 1}
