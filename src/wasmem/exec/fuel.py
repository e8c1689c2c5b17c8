"""The fuel model both execution tiers share (``fuel=N`` counts executed instructions).

Entering a sequence charges every instruction in it, nested blocks included, except the
bodies of loops that branches target: such a loop charges its own body on every
iteration, so a runaway loop runs out of fuel in proportion to the work it does.
"""

from __future__ import annotations

from ..syntax.instructions import Block, Instruction
from ..syntax.opcodes import Op

__all__ = ["straight_count"]


def straight_count(body: tuple[Instruction, ...], targeted: set[int]) -> int:
    """Return the fuel one entry into ``body`` costs: its instructions, nested ones
    included, except inside targeted loops (``targeted`` holds their ``id``)."""
    total = 0
    work = [body]
    while work:
        seq = work.pop()
        total += len(seq)
        for ins in seq:
            if isinstance(ins, Block):
                if ins.opcode == Op.LOOP and id(ins) in targeted:
                    continue
                work.append(ins.body)
                if ins.else_body:
                    work.append(ins.else_body)
    return total
