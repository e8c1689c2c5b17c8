"""Loop checks: exit tests that restart their loop, and loops with no way out.

In WebAssembly a branch to a ``loop`` label jumps back to the loop's *start*; only a
branch to an enclosing ``block`` (or falling off the loop's end) leaves it. The
classic mistake, made by every runaway loop of chapter 5::

    (loop $copy_loop
      (if (i32.ge_u (local.get $i) (local.get $size))
        (then (br $copy_loop)))          ;; meant "exit", does "start again"
      ...
      (br $copy_loop))

Both checks only report loops that provably never end: nothing in them branches to
an outer label, returns, traps or throws, and their end is never reached.
"""

from __future__ import annotations

from ...syntax.opcodes import OPCODES, Op
from .findings import Finding, format_position
from .walk import FunctionFacts, label_name, position_of

__all__ = ["check_loops"]

_EXIT_FIX = ("put the loop in a block and leave it: (block $done (loop {label} "
             "(br_if $done <exit condition>) ... (br {label})))")


def check_loops(facts: FunctionFacts) -> list[Finding]:
    """Return the loop findings of one function. Raises nothing.

    Only loops that have no way out once entered are reported:

    - ``loop-exit-restarts`` at each ``br_if $loop`` / ``(if (then (br $loop)))``: the
      exit test that jumps back to the loop head.
    - ``loop-no-exit`` at the loop, when its only exits are unreachable (after an
      unconditional ``br``), or when it tests conditions but no test leaves it.

    A loop without any condition, such as ``(loop (br 0))``, is taken as meant to spin.
    """
    out: list[Finding] = []
    for loop in facts.loops:
        if not loop.no_way_out:
            continue
        label = label_name(loop.loop)
        fix = _EXIT_FIX.format(label=label)
        if loop.restarts:
            for branch in loop.restarts:
                name = OPCODES[branch.opcode].name if branch.opcode in OPCODES else "br"
                if branch.opcode == Op.IF:
                    name = "br"
                out.append(Finding(
                    "loop-exit-restarts", position_of(branch, loop.loop.position),
                    f"`{name} {label}` jumps back to the start of loop {label}, so this exit "
                    "test never leaves the loop (nothing else does either): it runs forever",
                    fix, facts.name))
        elif loop.dead_exits:
            exit_ = loop.dead_exits[0]
            name = OPCODES[exit_.opcode].name if exit_.opcode in OPCODES else "branch"
            out.append(Finding(
                "loop-no-exit", loop.loop.position,
                f"loop {label} never ends: its exit `{name}` at "
                f"{format_position(exit_.position)} is unreachable (an unconditional branch "
                "comes before it)",
                "move the exit test before the unconditional `br` that restarts the loop",
                facts.name))
        elif loop.tests:
            out.append(Finding(
                "loop-no-exit", loop.loop.position,
                f"loop {label} has no way out: it tests conditions, but no branch leaves it "
                "and its end is never reached, so it runs forever",
                fix, facts.name))
    return out
