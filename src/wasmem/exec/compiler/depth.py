"""The call depth in generated code (see :mod:`wasmem.exec.callstack`): the prologue of a
function that calls, the depth argument of direct calls, and the depth published in the
thread's counters before a call that leaves compiled code.

A compiled function's last parameter ``_d`` is its caller's depth value plus one (plus
one for each callee inlined around the call site); ``ENTRY_DEPTH`` when called from
outside compiled code. From :data:`~wasmem.exec.callstack.DEEP` on, the value carries
:data:`~wasmem.exec.callstack.HELD`: the prologue of the first function that deep makes
the thread hold the raised recursion limit (``n_held``), and the functions it calls know
from their argument that it does.
"""

from __future__ import annotations

from ..callstack import DEEP, HELD, MAX_CALL_DEPTH

__all__ = ["MAX_STEP", "argument", "prologue", "published"]

MAX_STEP = HELD
"""The most a call site may add to its own depth value (one for the call, one for each
callee inlined around it): more would let a value not yet held pass for a held one."""


def prologue(weight: int) -> list[str]:
    """The lines (indented for a function body) taking the depth value ``_d`` a
    function of ``weight`` (:func:`~wasmem.exec.callstack.frame_weight`) was passed to
    its own depth value: one comparison when shallow, three when held, ``n_held`` when
    called from outside, on first reaching ``DEEP`` and beyond the limit.

    The choices are conditional expressions rather than ``if``/``else`` statements: the
    same comparisons in the same order, the same bytecode on every path, in fewer lines
    and tokens, which is what CPython's ``compile()`` of a small function spends most on
    (``bench/codegen.md``, trsmall11)."""
    if weight == 1:  # (first reaching DEEP: held at once while the limit is raised)
        return [f"    if _d >= {DEEP} and (_d < {DEEP + HELD} or _d > {MAX_CALL_DEPTH + HELD}):",
                f"        _d = _d + {HELD} if _d < {DEEP + HELD} and n_limit.raised "
                "else n_held(_d)"]
    # a large frame counts for several calls (the value it was passed is its caller's
    # plus one): held and staying within the limit, or staying shallow, add the rest
    step = weight - 1
    return [f"    _d = _d + {step} if {DEEP + HELD} <= _d <= {MAX_CALL_DEPTH + HELD - step} "
            f"or _d < {DEEP - step} else n_held(_d, {weight})"]


def argument(inlined: int) -> str:
    """The depth argument of a direct call made inside ``inlined`` inlined callees.

    Raises:
        ValueError: when that adds more than :data:`MAX_STEP` (a translator bug).
    """
    step = 1 + inlined
    if step > MAX_STEP:
        raise ValueError(f"a call site {inlined} inlined callees deep adds more than "
                         f"{MAX_STEP} to the depth")
    return f"_d + {step}"


def published(inlined: int) -> str:
    """The line publishing the depth in the thread's counters before a call that leaves
    compiled code, made inside ``inlined`` inlined callees (the value less ``HELD``
    once held)."""
    if inlined:
        return (f"n_local.counters.depth = _d - {HELD - inlined} if _d >= {DEEP} "
                f"else _d + {inlined}")
    return f"n_local.counters.depth = _d - {HELD} if _d >= {DEEP} else _d"
