"""Locals that only ever hold one constant (clang ``-O0``'s ``i32.const 1; local.set 12``).

Unoptimised compiler output gives each constant its own local: ``l12 = 1`` then
``l13 = (l11 & l12)``, one more Python statement and a variable where a literal would
do, and a literal the generator cannot fold (masks, ranges, alignment of ``l3 + l4``).
This pre-pass finds the declared locals whose every ``local.set``/``local.tee`` assigns
the same constant (the instruction just before it is that ``i32.const``/``i64.const``)
and that no path reads before writing (:mod:`.assignment`): every read of such a local
sees that constant, so the generator reads the literal and drops the assignments.
"""

from __future__ import annotations

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import STRUCTURED, Op

__all__ = ["constant_locals"]

_CONSTS = frozenset((Op.I32_CONST, Op.I64_CONST))
_SETS = frozenset((Op.LOCAL_SET, Op.LOCAL_TEE))
_NOTABLE = _SETS | STRUCTURED  # (the rest is skipped with one set test)


def constant_locals(body: tuple[Instruction, ...], params: int,
                    read_early: set[int] | frozenset[int]) -> dict[int, int]:
    """Map local index -> the constant every read of it gives, for the declared locals
    (index ``>= params``) only ever assigned that one integer constant and not in
    ``read_early`` (the locals some path reads before writing). Never raises."""
    values: dict[int, int] = {}
    other: set[int] = set()
    _collect(body, params, values, other)
    return {index: value for index, value in values.items()
            if index not in other and index not in read_early}


def _collect(body: tuple[Instruction, ...], params: int, values: dict[int, int],
             other: set[int]) -> None:
    notable = _NOTABLE
    for k, ins in enumerate(body):
        op = ins.opcode
        if op not in notable:
            continue
        if isinstance(ins, Block):
            _collect(ins.body, params, values, other)
            if ins.else_body:
                _collect(ins.else_body, params, values, other)
        elif op in _SETS:
            index = ins.immediates[0]
            if index >= params and index not in other:
                previous = body[k - 1] if k else None  # (in the same sequence)
                if previous is not None and previous.opcode in _CONSTS \
                        and values.setdefault(index, previous.immediates[0]) \
                        == previous.immediates[0]:
                    pass
                else:
                    other.add(index)
