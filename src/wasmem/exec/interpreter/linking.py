"""Linking an interpreted function's closures as control first reaches them.

A big function runs a fraction of its code in a typical call sequence (measured on the
real-world modules of ``bench/c/realworld``, all interpreted: 46% of SQLite's closures
ever run, 40% of QuickJS's, 30% of cmark's). Making every closure at a function's first
call costs the rest for nothing: the factory calls, and the objects every later
collection of Python's cyclic garbage collector walks.

So :meth:`~wasmem.exec.interpreter.InstanceCode.build` fills a function's closure list
with one shared placeholder, :func:`unlinked`, and the placeholder links closures when
one is first run: the *run* of closures from there to the next leader (a closure control
reaches other than by falling through, :attr:`~.program.DecodedFunction.leaders`), since
control entering a run goes through all of it. It finds which closure it stands for in
its caller's frame: every loop that runs closures (``_run`` and the entries of
:mod:`.entries`) keeps the function's :class:`~wasmem.exec.interpreter.FunctionCode` in
``code`` and the closure's index in ``pc``. Every closure is the one eager linking makes,
so what runs (and what the debugger, traces and fuel see) is the same; instrumented
copies (:mod:`wasmem.observe`) link eagerly, as they wrap every closure.
"""

from __future__ import annotations

from bisect import bisect_right
import sys
from typing import Any

from .ops import Closure, LinkContext
from .program import DecodedFunction

__all__ = ["Pending", "leaders_of", "unlinked"]


class Pending:
    """What linking the rest of one function's closures for one instance needs.

    ``shared`` is the module's list of the function's closures that no instance state
    reaches (filled as they are made, for all instances); ``free`` tells whether a
    factory makes such closures (see :func:`wasmem.exec.interpreter._context_free`);
    ``fuse``: None, or :func:`.pairs.fuse` to run on each run of closures linked.
    """

    __slots__ = ("ctx", "decoded", "free", "fuse", "shared")

    def __init__(self, ctx: LinkContext, decoded: DecodedFunction,
                 shared: list[Closure | None], free: Any, fuse: Any = None) -> None:
        self.ctx = ctx
        self.decoded = decoded
        self.shared = shared
        self.free = free
        self.fuse = fuse

    def link(self, ops: list[Any], pc: int) -> Closure:
        """Link the closures of ``ops`` from ``pc`` to the next leader (those still
        unlinked); return closure ``pc``. Raises what a factory raises (nothing for
        valid modules: linking reads the instance's runtime objects, made already)."""
        decoded = self.decoded
        leaders = decoded.leaders
        if leaders is None:
            leaders = decoded.leaders = leaders_of(decoded)
        end = len(ops)
        at = bisect_right(leaders, pc)
        if at < len(leaders) and leaders[at] < end:
            end = leaders[at]
        makes, dests, args, threaded = decoded.makes, decoded.dests, decoded.args, \
            decoded.successors
        shared, free, ctx = self.shared, self.free, self.ctx
        for at in range(pc, end):
            if ops[at] is not unlinked:
                continue
            closure = shared[at]
            if closure is None:
                make = makes[at - 1]
                if free(make):
                    closure = shared[at] = make(None, threaded[at], dests[at - 1],
                                                *args[at - 1])
                else:
                    closure = make(ctx, threaded[at], dests[at - 1], *args[at - 1])
            ops[at] = closure
        if self.fuse is not None:  # (pairs never span a leader: this run holds both)
            self.fuse(ops, decoded, ctx, pc, end)
        return ops[pc]  # type: ignore[no-any-return]


def leaders_of(decoded: DecodedFunction) -> list[int]:
    """Where runs of closures linked together start or end, in order: the entry, every
    branch target, where a jump leads, the closure after a conditional branch (the
    closures control reaches other than by falling through, and a few more)."""
    successors = decoded.successors
    leaders = {label.pc for label in decoded.labels if label.pc is not None}
    leaders.update(decoded.splits)
    leaders.update([following for pc, following in enumerate(successors)
                    if following != pc + 1])
    leaders.add(1)
    leaders.discard(0)
    return sorted(leaders)


def unlinked(R: list[Any]) -> int:
    """The placeholder of a closure not linked yet: link it (and the closures after it
    up to the next leader) and run it.

    Raises:
        RuntimeError: when not called by a run loop (an interpreter bug);
        what the closure raises.
    """
    caller = sys._getframe(1).f_locals
    code = caller.get("code")
    pc = caller.get("pc")
    pending = getattr(code, "pending", None)
    if pending is None or type(pc) is not int:
        raise RuntimeError("interpreter: an unlinked closure run outside its run loop")
    ops = code.ops  # type: ignore[union-attr]
    closure = ops[pc]
    if closure is unlinked:  # (else another thread linked it meanwhile)
        closure = pending.link(ops, pc)
    return closure(R)  # type: ignore[no-any-return]
