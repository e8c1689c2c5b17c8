"""How much of its body one call of a function runs: the longest path of its decoded program.

The tiered mode (:mod:`.tiering`) gives a big function more interpreted calls before it
translates it, on the assumption that a big function is mostly branches of which one call
runs a few (a ``switch``, ``malloc``). Kernels whose calls run nearly all of their body
(unrolled cipher rounds, hash compression functions, field arithmetic, inlined codec
loops) break it. :func:`longest_path` tells them apart, from the interpreter's decoded
program (closures in order; branches hold :class:`~.interpreter.ops.Label` targets): the
most closures one call can run without repeating a loop iteration. Forward branches may
be taken or not (the longer way counts); a ``br``, a ``br_table`` (its longest case) and
the jump over an ``else`` arm go where they jump; a backward jump (a loop's next
iteration) and the function's exits end the path. A ``switch`` or ``malloc`` has a
longest path far shorter than its body (``dlmalloc``: 441 of 1,226 closures), AES's
unrolled rounds or SHA-256's compression function one as long as their body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .interpreter.ops import Label, op_br, op_br_table, op_exit, op_throw, op_throw_ref, \
    op_unreachable

if TYPE_CHECKING:
    from .interpreter.program import DecodedFunction

__all__ = ["STRAIGHT_SHARE", "longest_path", "straight_line"]

_ENDS = frozenset((op_exit, op_unreachable, op_throw, op_throw_ref))
_JUMPS = frozenset((op_br, op_br_table))


def _targets(arguments: tuple[object, ...], end: int) -> list[int]:
    """The closure indices of the labels among an op's ``arguments`` (a label, or tuples
    holding labels: ``br_table``'s cases), the function's exit as ``end``."""
    found: list[int] = []
    pending = list(arguments)
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind is Label:
            pc = value.pc  # type: ignore[attr-defined]
            if isinstance(pc, int):
                found.append(pc or end)
        elif isinstance(value, tuple):
            pending.extend(value)
    return found


def longest_path(decoded: DecodedFunction) -> int:
    """The most closures of ``decoded`` one call runs, each loop iteration counted once
    (module docstring). Raises nothing: a label never bound counts as no branch."""
    makes, args = decoded.makes, decoded.args
    count = len(makes)
    end = count + 1
    longest = [0] * (count + 2)  # longest[pc]: from closure pc on; longest[end] = 0
    for pc in range(count, 0, -1):
        make = makes[pc - 1]
        if make in _ENDS:
            longest[pc] = 1
            continue
        arguments = args[pc - 1]
        targets = _targets(arguments, end) if arguments else ()
        best = 0 if make in _JUMPS else longest[pc + 1]
        for target in targets:
            if target > pc and longest[target] > best:
                best = longest[target]
        longest[pc] = 1 + best
    return longest[1] if count else 0


STRAIGHT_SHARE = 0.7
"""A function whose longest path (:func:`longest_path`) runs at least this share of its
closures is *straight-line*: each call runs about all of it, so its interpreted calls cost
in proportion to its size, as its translation does. 0.9 until round 8 of issue 15; 0.7
also takes the -O0 functions of recursive code (a stack frame set up and torn down
around a few branches: rdesc-O0's ``primary``/``term``/``expr`` at 0.73-0.87, trees-O0's
``build`` and ``height``), whose size-scaled budgets kept them interpreted 2.5-3 times as
long (CPU time: rdesc-O0(20) -13%, rdesc-O0(250) -5%, trees-O0(1) -8%; branchy
functions such as ``dlmalloc`` 0.36, ``printf_core`` 0.41 and json's parser 0.35-0.40
are not concerned; ``bench/tiering.md``)."""


def straight_line(decoded: DecodedFunction) -> bool:
    """Whether ``decoded`` is straight-line: its longest path runs at least
    :data:`STRAIGHT_SHARE` of its closures. Raises nothing."""
    return longest_path(decoded) >= STRAIGHT_SHARE * len(decoded.makes)
