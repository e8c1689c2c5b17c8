"""Estimates of what translating a function costs, from the size of its binary encoding.

The tiered mode (:mod:`.tiering`) weighs these against what interpreting would cost: a
function whose translation is cheap is translated early, a costly one waits for more
calls; until a process imports the interpreter, small programs are translated whole;
and a translation whose cost would take an instance's translations past their share of
its run waits (:mod:`.spending`).
"""

from __future__ import annotations

from ..runtime.instances import ModuleInstance
from ..syntax.instructions import Block
from ..syntax.opcodes import BY_NAME

__all__ = ["BUILDS_MUCH", "CALLS", "TRANSLATION_FIXED", "TRANSLATION_PER_BYTE", "builds_much",
           "encoded_size", "module_fits", "reach_fits", "translation_estimate"]

TRANSLATION_FIXED = 1e-4
"""Seconds translating any function costs (fitted on the functions of ``bench/c``, on an
idle machine, in a warm loop). Estimates are in these units, not in this machine's
seconds: measured in the tier on 7,155 functions of 61 modules (``bench/c``'s, its
real-world programs, two rounds of hold-out modules; ``bench/estimates_fit.py``), on the
machine of ``bench/README.md`` under load, a translation took 0.17 ms + 10.4 us a byte,
2.5-3.8x the estimate at every size (median 3.0), the process's first one 15-40 ms
whatever its size. The rules that weigh estimates against measured time were tuned with
these units (the shares and the hold of :mod:`.spending`, the interpreter's allowance of
:mod:`.tiering`), and the rent of :mod:`.rent` scales them by the process's measured
speed (:func:`.spending.rent_speed`): kept as they are (``bench/tiering.md``, helper
"est12")."""

TRANSLATION_PER_BYTE = 4e-6
"""Seconds translating costs per byte of a function's binary encoding (same fit, and
the same units: :data:`TRANSLATION_FIXED`)."""


BUILDS_MUCH = 512
"""Bytes of binary encoding from which building a function's code (decoding it for the
interpreter, translating it) counts as a big step (:func:`builds_much`)."""


def encoded_size(instance: ModuleInstance, index: int) -> int | None:
    """The size in bytes of function ``index``'s binary encoding; None for an imported
    function or one that does not come from a binary. Raises nothing."""
    defined = instance.module.functions
    at = index - (len(instance.functions) - len(defined))
    if not 0 <= at < len(defined):
        return None
    function = defined[at]
    start, end = function.position, function.end_position
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    return end - start


def builds_much(instance: ModuleInstance, index: int) -> bool:
    """Whether building code for function ``index`` of ``instance`` is a big step: its
    encoding has at least :data:`BUILDS_MUCH` bytes (what such a step makes for the
    module is moved past the young generations, :mod:`.collector`). Raises nothing."""
    size = encoded_size(instance, index)
    return size is not None and size >= BUILDS_MUCH


def translation_estimate(instance: ModuleInstance, index: int) -> float | None:
    """Estimated seconds translating function ``index`` of ``instance`` takes, from the
    size of its binary encoding (:data:`TRANSLATION_FIXED`, :data:`TRANSLATION_PER_BYTE`);
    None for an imported function or one that does not come from a binary (its size in
    bytes is not known)."""
    size = encoded_size(instance, index)
    return None if size is None else TRANSLATION_FIXED + TRANSLATION_PER_BYTE * size


def module_fits(instance: ModuleInstance, limit: float) -> bool:
    """Whether the estimated translations of every defined function of ``instance``
    add up to at most ``limit`` seconds (False if one's size is not known). Decodes
    nothing; stops at the limit. Raises nothing."""
    first = len(instance.functions) - len(instance.module.functions)  # (imports first)
    total = 0.0
    for cost in map(translation_estimate, [instance] * (len(instance.functions) - first),
                    range(first, len(instance.functions))):
        if cost is None or (total := total + cost) > limit:
            return False
    return True


CALLS = frozenset((BY_NAME["call"].key, BY_NAME["return_call"].key))
"""The opcodes of direct calls (a callee named by its index)."""


def reach_fits(instance: ModuleInstance, index: int, limit: float) -> bool:
    """Whether the estimated translations of function ``index`` and of the defined
    functions it reaches by direct calls (``call``, ``return_call``; not through tables)
    add up to at most ``limit`` seconds. Decodes the bodies of those it walks, which
    stay small: the walk stops at the limit."""
    imported = len(instance.functions) - len(instance.module.functions)
    total = 0.0
    seen = {index}
    pending = [index]
    while pending:
        function = pending.pop()
        cost = translation_estimate(instance, function)
        if cost is None:
            return False
        total += cost
        if total > limit:
            return False
        blocks = [instance.module.functions[function - imported].body]
        while blocks:
            for ins in blocks.pop():
                if ins.opcode in CALLS:
                    callee = ins.immediates[0]
                    if callee >= imported and callee not in seen:
                        seen.add(callee)
                        pending.append(callee)
                elif isinstance(ins, Block):
                    blocks.append(ins.body)
                    if ins.else_body:
                        blocks.append(ins.else_body)
    return True
