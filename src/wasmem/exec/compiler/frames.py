"""Control frames of the code generator and the pre-pass that finds branch targets.

WebAssembly's structured control flow is mapped onto Python like this:

* a ``loop`` that some branch targets becomes ``while True:`` (a branch to it is
  ``continue``; falling off its end is ``break``); a loop nobody targets is inlined;
* ``block``/``if``/``try_table`` never become Python loops: a branch to their end sets the
  pending-branch variable ``_b`` to the target's nesting depth, and the code between the
  branch and the target's end is skipped by flat ``if not _b:`` guards; at the target's
  end ``_b`` is cleared. Leaving a ``while`` on the way is ``break``;
* a branch to the function's own label is ``return``.

This keeps Python's indentation and static-block limits (100 levels, 20 nested loops)
out of reach for all but pathological code; the pre-pass measures the nesting and the
tier falls back to the interpreter when a function would exceed them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import BRANCHES, STRUCTURED, TAIL_CALLS, Op
from ...syntax.types import ValType

__all__ = ["BlockFacts", "Frame", "MAX_INDENT", "MAX_PY_BLOCKS", "TargetScan", "block_facts",
           "count_instructions", "count_up_to", "scan_targets"]

MAX_INDENT = 80
"""Deepest Python indentation we generate (the tokenizer allows 100)."""
MAX_PY_BLOCKS = 18
"""Most nested ``while``/``try`` statements (CPython allows 20)."""


class Frame:
    """A control frame during translation.

    Attributes:
        kind: "func", "block", "loop", "if" or "try".
        depth: nesting depth (function = 0); the value ``_b`` holds for this target.
        height: operand stack height below the frame's parameters.
        params, results: the frame's block type.
        py_loop: translated as ``while True``.
        tail: the frame is the last instruction of its parent's body.
        escapes: depths of targets outside this ``while`` that are left pending by a
            ``break`` out of it.
        targeted: some branch targets this frame.
        node: the Block (None for the function).
        guarded: a ``block`` whose branches are all ``br_if`` in its own body (see
            :class:`TargetScan`): each is ``if not <condition>:`` around the rest of
            the body, no ``while`` or ``_b`` needed; ``guards`` counts them.

    (A plain class: a dataclass would import :mod:`dataclasses` with the translator.)
    """

    __slots__ = ("kind", "depth", "height", "params", "results", "py_loop", "tail",
                 "targeted", "tail_break", "node", "escapes", "guarded", "guards", "loop",
                 "edges", "joined")

    def __init__(self, kind: str, depth: int, height: int, params: tuple[ValType, ...],
                 results: tuple[ValType, ...], py_loop: bool = False, tail: bool = False,
                 targeted: bool = False, tail_break: bool = False, node: Block | None = None,
                 escapes: set[int] | None = None, guarded: bool = False,
                 guards: int = 0) -> None:
        self.kind = kind
        self.depth = depth
        self.height = height
        self.params = params
        self.results = results
        self.py_loop = py_loop
        self.tail = tail
        self.targeted = targeted
        self.tail_break = tail_break
        self.node = node
        self.escapes: set[int] = set() if escapes is None else escapes
        self.guarded = guarded
        self.guards = guards
        self.loop: Frame | None = None  # the innermost ``while`` frame, set when pushed
        self.edges: set[int] | None = None  # branches seen to its end (see .joins)
        self.joined: dict[int, tuple[int, int]] = {}  # the facts on those edges

    def __repr__(self) -> str:
        return (f"Frame({self.kind!r}, depth={self.depth}, height={self.height}, "
                f"params={self.params}, results={self.results})")

    @property
    def label_arity(self) -> int:
        """Values a branch to this frame carries."""
        return len(self.params) if self.kind == "loop" else len(self.results)


_BRANCHES = BRANCHES - {Op.BR_TABLE}


class TargetScan:
    """What the pre-pass learned about one function body.

    ``guardable``: ids of the targeted ``block``s without parameters and results whose
    every incoming branch is a ``br_if`` directly in their own body (not nested in
    another construct): the commonest shape of compiled ``if`` statements.
    """

    def __init__(self, targeted: set[int], max_depth: int, max_loop_nesting: int,
                 instruction_count: int, tail_calls: bool = False,
                 guardable: set[int] | None = None) -> None:
        self.targeted = targeted
        self.max_depth = max_depth
        self.max_loop_nesting = max_loop_nesting
        self.instruction_count = instruction_count
        self.tail_calls = tail_calls
        self.guardable: set[int] = set() if guardable is None else guardable


_TAIL_CALLS = TAIL_CALLS
_STRUCTURED = STRUCTURED
_SCANNED = _BRANCHES | _STRUCTURED | {Op.BR_TABLE, *_TAIL_CALLS}
"""Opcodes the pre-passes look at; the rest are skipped with one set test."""


def scan_targets(body: tuple[Instruction, ...]) -> TargetScan:
    """Find which Blocks are branch targets, and how deep the body nests.

    Iterative, so any nesting depth is safe. Returns ids (``id(block)``) of targeted
    Blocks in ``targeted``.
    """
    targeted: set[int] = set()
    labels: list[Block] = []
    candidates: list[Block] = []  # blocks that may be guardable (see TargetScan)
    other: set[int] = set()  # targets of some branch other than a br_if in their body
    max_depth = 0
    max_loops = 0
    loops = 0  # open loop/try_table labels
    count = len(body)
    tail_calls = False
    branches = _BRANCHES
    notable = _SCANNED
    # work items: (iterator over a sequence, whether the sequence's end pops a label)
    work: list[tuple[Iterator[Instruction], bool]] = [(iter(body), False)]
    while work:
        it, pushed = work[-1]
        for ins in it:
            op = ins.opcode
            if op not in notable:
                continue
            if op in branches:
                relative = ins.immediates[0]
                if relative < len(labels):
                    targeted.add(id(labels[-1 - relative]))
                    if relative or op != Op.BR_IF:
                        other.add(id(labels[-1 - relative]))
            elif isinstance(ins, Block):
                labels.append(ins)
                if op == Op.BLOCK and ins.immediates[0] is None:
                    candidates.append(ins)
                if op == Op.LOOP or op == Op.TRY_TABLE:
                    loops += 1
                    if loops > max_loops:
                        max_loops = loops
                if len(labels) > max_depth:
                    max_depth = len(labels)
                if op == Op.TRY_TABLE:
                    for catch in ins.immediates[1]:
                        _mark(labels, catch.label + 1, targeted)
                        _mark(labels, catch.label + 1, other)
                count += len(ins.body) + len(ins.else_body)
                if op == Op.IF and ins.else_body:
                    # the then-arm runs first and keeps the label; the else-arm pops it
                    work.append((iter(ins.else_body), True))
                    work.append((iter(ins.body), False))
                else:
                    work.append((iter(ins.body), True))
                break
            elif op == Op.BR_TABLE:
                for depth in (*ins.immediates[0], ins.immediates[1]):
                    _mark(labels, depth, targeted)
                    _mark(labels, depth, other)
            elif op in _TAIL_CALLS:
                tail_calls = True
        else:
            work.pop()
            if pushed:
                block = labels.pop()
                if block.opcode == Op.LOOP or block.opcode == Op.TRY_TABLE:
                    loops -= 1
    guardable = {id(b) for b in candidates if id(b) in targeted and id(b) not in other}
    return TargetScan(targeted, max_depth, max_loops, count, tail_calls, guardable)


def count_instructions(body: tuple[Instruction, ...]) -> int:
    """The number of instructions in ``body``, nested ones included.

    The same count as :func:`wasmem.syntax.module.instruction_count`, found with one set
    test per instruction. Raises nothing.
    """
    return count_up_to(body, _NO_LIMIT)


_NO_LIMIT = 1 << 62  # (more instructions than any module can hold)


def count_up_to(body: tuple[Instruction, ...], limit: int) -> int:
    """:func:`count_instructions` of ``body`` when it is at most ``limit``, else some
    number above ``limit`` (the walk stops there: a caller asking whether a callee of
    thousands of instructions is small reads a few of its sequences, not all of it).
    Raises nothing."""
    total = 0
    structured = _STRUCTURED
    work = [body]
    while work:
        seq = work.pop()
        total += len(seq)
        if total > limit:
            return total
        for ins in seq:
            if ins.opcode in structured and isinstance(ins, Block):
                work.append(ins.body)
                if ins.else_body:
                    work.append(ins.else_body)
    return total


def _mark(labels: list[Block], relative: int, targeted: set[int]) -> None:
    if relative < len(labels):
        targeted.add(id(labels[len(labels) - 1 - relative]))


class BlockFacts:
    """What the one-shot translation of a ``block`` needs to know (see :func:`block_facts`).

    Attributes:
        nesting: most Python ``while``/``try`` statements nested inside the block's body
            (targeted loops and try_tables; blocks are not counted, they can fall back).
        loop_exits: some branch inside leaves the block and a ``while`` around it (or
            restarts that loop); as a ``while True`` the block would turn such a
            ``break``/``continue`` into a two-step escape through ``_b``.
        direct: some branch to the block lies in no ``while`` inside it (otherwise
            every branch to it leaves a loop anyway, and a one-shot ``while`` gains
            nothing).
        switch: a ``br_table`` of :data:`SWITCH_TARGETS` or more targets branches to
            the block (a switch: its cases are cheaper in the ``_b`` scheme, where
            :mod:`.landings` reaches them in a logarithmic number of tests).
    """

    def __init__(self) -> None:
        self.nesting = 0
        self.loop_exits = False
        self.direct = False
        self.switch = False


SWITCH_TARGETS = 6
"""Distinct targets that make a ``br_table`` a switch (see :attr:`BlockFacts.switch`)."""


def block_facts(body: tuple[Instruction, ...], targeted: set[int]) -> dict[int, BlockFacts]:
    """Return :class:`BlockFacts` for every ``block`` in ``body``, keyed by ``id(block)``.

    Iterative, so any nesting depth is safe.
    """
    facts: dict[int, BlockFacts] = {}
    labels: list[Block] = []
    tails: list[bool] = []  # each open label is the last instruction of its sequence
    inner: list[int] = [0]  # deepest nesting seen inside each open label (and the body)
    loops: list[int] = []  # positions in ``labels`` of the open targeted loops
    # per open label: the lowest position from which some branch inside it marks the
    # open labels ``loop_exits`` (marked when they close: one step per branch, not one
    # per label between the branch and its target); len(labels) when none
    exits: list[int] = []
    branches = _BRANCHES
    br_table = Op.BR_TABLE
    notable = _SCANNED
    # work items: (enumeration of a sequence, its last index, whether its end pops a label)
    work: list[tuple[Iterator[tuple[int, Instruction]], int, bool]] = [
        (enumerate(body), len(body) - 1, False)]
    while work:
        it, last, pushed = work[-1]
        for i, ins in it:
            op = ins.opcode
            if op not in notable:
                continue
            if op in branches:
                relatives: tuple[int, ...] = (ins.immediates[0],)
            elif op == br_table:
                relatives = tuple({*ins.immediates[0], ins.immediates[1]})
                if len(relatives) >= SWITCH_TARGETS:
                    for relative in relatives:
                        if relative < len(labels):
                            target = labels[len(labels) - 1 - relative]
                            if target.opcode == Op.BLOCK:
                                _facts(facts, target).switch = True
            elif isinstance(ins, Block):
                if op == Op.LOOP and id(ins) in targeted:
                    loops.append(len(labels))
                exits.append(len(labels) + 1)
                labels.append(ins)
                tails.append(i == last)
                inner.append(0)
                if op == Op.IF and ins.else_body:
                    work.append((enumerate(ins.else_body), len(ins.else_body) - 1, True))
                    work.append((enumerate(ins.body), len(ins.body) - 1, False))
                else:
                    work.append((enumerate(ins.body), len(ins.body) - 1, True))
                break
            else:
                continue
            innermost = loops[-1] if loops else -1  # the innermost targeted loop
            for relative in relatives:
                if relative >= len(labels):
                    continue
                position = len(labels) - 1 - relative
                target = labels[position]
                if target.opcode == Op.BLOCK and innermost <= position:
                    # no targeted loop inside the target encloses the branch
                    _facts(facts, target).direct = True
                first = _plain_exit(labels, tails, position, innermost)
                if first < exits[-1]:  # the labels from ``first`` on (see ``exits``)
                    exits[-1] = first
        else:
            work.pop()
            if pushed:
                block = labels.pop()
                first = exits.pop()
                if first <= len(labels):  # a branch inside marked this label
                    if block.opcode == Op.BLOCK:
                        _facts(facts, block).loop_exits = True
                    if exits and first < exits[-1]:  # (and the enclosing ones down to first)
                        exits[-1] = first
                if loops and loops[-1] == len(labels):
                    loops.pop()
                tails.pop()
                depth = inner.pop()
                py = block.opcode == Op.TRY_TABLE or (
                    block.opcode == Op.LOOP and id(block) in targeted)
                inner[-1] = max(inner[-1], depth + py)
                if block.opcode == Op.BLOCK:
                    _facts(facts, block).nesting = depth
    return facts


def _facts(facts: dict[int, BlockFacts], block: Block) -> BlockFacts:
    """The facts of ``block`` in ``facts``, added if missing."""
    found = facts.get(id(block))
    if found is None:
        found = facts[id(block)] = BlockFacts()
    return found


def _plain_exit(labels: list[Block], tails: list[bool], position: int, innermost: int) -> int:
    """Where blocks stop being one-shot candidates for a branch to ``labels[position]``.

    A branch to a loop is a ``continue`` from anywhere inside it; a branch out of a loop
    is a plain ``break`` when the loop ends where the target ends (see
    ``FunctionCompiler.tail_break_ok``). One-shot ``while`` statements between the
    branch and that loop would turn these into two-step escapes, so the blocks from the
    returned index on should stay in the ``_b`` scheme. Returns ``len(labels)`` when
    nothing is lost. ``innermost`` is the position of the innermost targeted loop among
    ``labels`` (-1 if none).
    """
    target = labels[position]
    if target.opcode == Op.LOOP:
        return position + 1
    if innermost <= position:  # no targeted loop between the branch and the target
        return len(labels)
    for k in (position, *range(position + 1, innermost + 1)):
        frame = labels[k]
        if frame.immediates[0] is not None or frame.opcode == Op.TRY_TABLE:
            return len(labels)
        if k > position and not tails[k]:
            return len(labels)
    return innermost + 1
