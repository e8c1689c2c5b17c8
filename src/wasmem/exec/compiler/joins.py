"""Range facts at the end of a ``block`` or ``if``: the join of the paths that reach it.

Without this, a local keeps a fact past a construct's end only if the construct never
assigns it (:meth:`~.codegen.FunctionCompiler.facts_after`), and what was learnt on the
paths inside is lost. The commonest guard clause of compiled code is such a path::

    block                      ;; if (n == 0) { r = 1; goto done; }
      local.get $n
      br_if 0                  ;; the only way to the end: n != 0 there
      ...; br 1
    end
    local.get $n  local.set $i ;; i >= 1: the count-down loop below needs no wrap-around
    loop ... local.get $i  i32.const -1  i32.add  local.tee $i  br_if 0 end

So each branch to a construct (``br``, ``br_if`` where taken, each target of a
``br_table``) records the facts that hold on its edge (:func:`record_edge`), the body's
fall-through adds those at its end, and the facts after the construct are the join
(per local: the hull of its ranges; a local unknown on some path is unknown).

The join is used only when every path was seen: the ids of the branch instructions that
recorded an edge must be exactly those in the construct's body that target it
(:func:`incoming_branches`). A branch the translator skipped (dead code) or emitted by
a path that does not record, a ``br_on_*`` (GC) or a ``try_table`` catch clause aimed at
the construct leave the old facts in place: missing a path could only drop facts, never
invent one, when the sets agree.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import BRANCHES, Op
from .ranges import Range

__all__ = ["incoming_branches", "join_facts", "record_edge", "facts_at_end"]

_BR, _BR_IF, _BR_TABLE = Op.BR, Op.BR_IF, Op.BR_TABLE
_OTHER_BRANCHES = BRANCHES - {_BR, _BR_IF, _BR_TABLE}
_POISONED: frozenset[int] = frozenset((-1,))
"""Stands for a path no instruction records (a catch clause, a ``br_on_*``): never equal
to a set of recorded instruction ids."""


def incoming_branches(block: Block, cache: dict[int, frozenset[int]],
                      root: tuple[Instruction, ...] = ()) -> frozenset[int]:
    """ids of the branch instructions in ``block``'s bodies whose target is ``block``
    (for a ``br_table``, any of its labels); ``_POISONED`` members mark paths that no
    branch instruction records (a ``try_table`` catch clause, ``br_on_*``).

    Memoised in ``cache`` by ``id()`` of the Block. One walk fills in the answer for
    every construct nested in what it walks: ``root`` (the function's body, walked
    first when given and ``block`` is not yet known: one walk for all of its
    constructs), else ``block`` itself (a construct of an inlined callee). Raises
    nothing.
    """
    known = cache.get(id(block))
    if known is not None:
        return known
    if root:
        _walk(object(), root, (), cache)
        known = cache.get(id(block))
        if known is not None:
            return known
    _walk(block, block.body, block.else_body, cache)
    return cache[id(block)]


def _walk(label: object, body: tuple[Instruction, ...], else_body: tuple[Instruction, ...],
          cache: dict[int, frozenset[int]]) -> None:
    """Fill ``cache`` for ``label`` (a Block, or a stand-in for a function's body) and
    every construct nested in its bodies. Raises nothing."""
    found: dict[int, set[int]] = {id(label): set()}
    labels: list[object] = [label]
    work: list[tuple[Iterator[Instruction], bool]] = []
    if else_body:  # (the label stays over both arms of an ``if``)
        work.append((iter(else_body), False))
    work.append((iter(body), False))
    while work:
        it, pushed = work[-1]
        for ins in it:
            op = ins.opcode
            if op == _BR or op == _BR_IF:
                relative = ins.immediates[0]
                if relative < len(labels):
                    found[id(labels[-1 - relative])].add(id(ins))
            elif op == _BR_TABLE:
                for relative in {*ins.immediates[0], ins.immediates[1]}:
                    if relative < len(labels):
                        found[id(labels[-1 - relative])].add(id(ins))
            elif op in _OTHER_BRANCHES:
                for outer in labels:  # (label immediates not read here: all poisoned)
                    found[id(outer)].add(-1)
            elif isinstance(ins, Block):
                if op == Op.TRY_TABLE:
                    for catch in ins.immediates[1]:
                        if catch.label < len(labels):
                            found[id(labels[-1 - catch.label])].add(-1)
                labels.append(ins)
                found[id(ins)] = set()
                work.append((iter(ins.body), True))
                if ins.else_body:
                    work[-1] = (iter(ins.else_body), True)
                    work.append((iter(ins.body), False))
                break
        else:
            work.pop()
            if pushed:
                labels.pop()
    for key, ids in found.items():
        cache[key] = frozenset(ids)


def join_facts(a: dict[int, Range], b: dict[int, Range]) -> dict[int, Range]:
    """Facts holding on either of two paths: per local known on both, the hull of the two
    ranges. Raises nothing."""
    if len(b) < len(a):
        a, b = b, a
    joined = {}
    for k, (lo, hi) in a.items():
        other = b.get(k)
        if other is not None:
            joined[k] = (lo if lo < other[0] else other[0], hi if hi > other[1] else other[1])
    return joined


def record_edge(target: object, ins: Instruction, facts: dict[int, Range]) -> None:
    """Add the facts on a branch edge from ``ins`` to the ``target`` frame (see
    :class:`~.frames.Frame`: ``edges`` and ``joined``). ``facts`` is not kept (a copy
    or a join of it is). Raises nothing."""
    edges = target.edges  # type: ignore[attr-defined]
    if edges is None:
        target.edges = {id(ins)}  # type: ignore[attr-defined]
        target.joined = dict(facts)  # type: ignore[attr-defined]
    else:
        edges.add(id(ins))
        target.joined = join_facts(target.joined, facts)  # type: ignore[attr-defined]


def facts_at_end(frame: object, block: Block, fell: dict[int, Range] | None,
                 after: dict[int, Range], cache: dict[int, frozenset[int]],
                 root: tuple[Instruction, ...] = (), loop: bool = False
                 ) -> dict[int, Range]:
    """Facts after ``block`` (translated in ``frame``): the join of its recorded edges
    and ``fell`` (the facts where the body falls through its end; None where it does
    not), met with ``after`` (the facts before it about locals it never assigns), when
    every branch to it recorded its edge (checked against :func:`incoming_branches`,
    ``root`` the function's body, only where the join adds a fact); else ``after``. A
    ``loop`` (``loop=True``)'s end is reached only by falling through its body (its
    branches go to its start); so is a construct no branch targets
    (``frame.targeted`` false). ``after`` may be returned as it is. Raises nothing."""
    edges = frame.edges  # type: ignore[attr-defined]
    if loop or not frame.targeted:  # type: ignore[attr-defined]
        if fell is None:
            return after
        joined = fell
    elif edges is None:
        return after  # (branches to it, none of them seen)
    else:
        joined = frame.joined  # type: ignore[attr-defined]
        if fell is not None:
            joined = join_facts(joined, fell)
    if not joined:
        return after
    result = None
    for k, (lo, hi) in joined.items():
        old = after.get(k)
        if old is not None:
            if lo <= old[0] and hi >= old[1]:
                continue
            lo, hi = max(lo, old[0]), min(hi, old[1])
            if lo > hi:
                continue
        if result is None:
            result = dict(after)
        result[k] = (lo, hi)
    if result is None:
        return after
    if edges is not None and not loop and incoming_branches(block, cache, root) != edges:
        return after
    return result
