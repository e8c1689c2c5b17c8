"""One walk over a function body that resolves labels and collects control-flow facts.

The body is a tree of :class:`~wasmem.syntax.instructions.Block` nodes; the walk keeps
an explicit stack of frames (one per label, as the spec's control stack), never
recursion, so deep nesting cannot exhaust the Python stack. For every ``loop`` it
records whether anything leaves it (a branch to an outer label, ``return``, a trap,
an exception), whether its body can fall through its end, and which conditional
branches jump back to its start.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...syntax.instructions import Block, Instruction, Position
from ...syntax.module import Function, Module
from ...syntax.opcodes import BRANCHES, CALLS, OPCODES, STRUCTURED, TAIL_CALLS, TERMINATORS, Imm, Op
from ...syntax.types import ExternKind

__all__ = ["LoopFacts", "FunctionFacts", "walk_function", "walk_module", "label_name",
           "MEMORY_ACCESS"]

_BLOCKS = STRUCTURED
_LEAVE_FUNCTION = TERMINATORS - BRANCHES  # return, unreachable, throws, tail calls
_TERMINATORS = TERMINATORS
_CALLS = CALLS - TAIL_CALLS

MEMORY_ACCESS = frozenset(
    {key for key, info in OPCODES.items() if info.memory_size}
    | {Op.MEMORY_INIT, Op.MEMORY_COPY, Op.MEMORY_FILL})
"""Instructions that read or write linear memory."""


def label_name(block: Block) -> str:
    """``$name`` of a block's label, or ``loop@line:col`` when it has none."""
    if block.label:
        return block.label if block.label.startswith("$") else f"${block.label}"
    kind = OPCODES[block.opcode].name
    position = block.position
    if isinstance(position, tuple):
        return f"{kind}@{position[0]}:{position[1]}"
    if isinstance(position, int):
        return f"{kind}@0x{position:x}"
    return kind


@dataclass
class LoopFacts:
    """What the walk learnt about one ``loop``.

    Only code reachable once the loop is entered counts: a branch after an unconditional
    ``br`` is dead.

    Attributes:
        loop: the loop node.
        live: the loop itself is reachable (it is analysed as if entered either way).
        exits: a reachable branch to an outer label, return, trap or exception leaves it.
        completes: its body can fall through its end (which leaves the loop).
        restarts: conditional branches to the loop's own label that look like exit
            tests: ``br_if $loop`` and ``(if (then (br $loop)))`` (the ``br``).
        dead_exits: the first branch that would leave the loop but can never run
            (none if there is none).
        tests: the loop contains a conditional (``if``, ``br_if``, ``br_table``...).
    """

    loop: Block
    live: bool = True
    exits: bool = False
    completes: bool = False
    restarts: list[Instruction] = field(default_factory=list)
    dead_exits: list[Instruction] = field(default_factory=list)
    tests: bool = False

    @property
    def no_way_out(self) -> bool:
        """True if the loop, once entered, can only run forever (or until fuel runs out)."""
        return not self.exits and not self.completes


@dataclass
class FunctionFacts:
    """Facts about one defined function.

    ``ordered`` holds every instruction in text order (a block before its body).
    """

    index: int
    name: str
    function: Function
    loops: list[LoopFacts] = field(default_factory=list)
    ordered: list[Instruction] = field(default_factory=list)


@dataclass
class _Frame:
    block: Block | None
    items: Iterator[Instruction]
    loop: LoopFacts | None = None
    reachable: bool = True
    entry_reachable: bool = True
    then_reachable: bool = False
    in_else: bool = False
    targeted: bool = False


def _block_completes(frame: _Frame) -> bool:
    block = frame.block
    if block is None:
        return True
    if block.opcode == Op.LOOP:
        return frame.reachable
    if block.opcode == Op.IF:
        return frame.then_reachable or frame.reachable or frame.targeted
    if block.opcode == Op.TRY_TABLE:
        return True  # an exception caught inside may continue after it
    return frame.reachable or frame.targeted


def walk_function(module: Module, index: int, function: Function) -> FunctionFacts:
    """Walk one function body; return its :class:`FunctionFacts`. Raises nothing.

    ``index`` is the function's index in the function index space (for its name).
    Label depths that point outside the function (invalid code) are ignored.
    """
    facts = FunctionFacts(index, module.function_name(index), function)
    calls_may_throw = bool(module.tags) or any(i.kind is ExternKind.TAG for i in module.imports)
    frames = [_Frame(None, iter(function.body))]
    # the open loops, outer first: (position in frames, facts, [the loops open inside
    # this frame position are marked as exiting up to this one; the same for dead
    # exits]; the loop's own position while it is not marked), and their positions
    open_loops: list[tuple[int, LoopFacts, list[int]]] = []
    loop_positions: list[int] = []

    def branch(depth: int, instruction: Instruction, conditional: bool, live: bool) -> None:
        target = len(frames) - 1 - depth
        if not (isinstance(depth, int) and 0 <= target < len(frames)):
            return
        if conditional:
            note_test()
        if live:
            frames[target].targeted = True
        leave(target, instruction, live)
        loop = frames[target].loop
        if live and conditional and loop is not None and instruction.opcode == Op.BR_IF:
            loop.restarts.append(instruction)

    def leave_all(instruction: Instruction, live: bool) -> None:
        if live or instruction.opcode != Op.UNREACHABLE:
            leave(-1, instruction, live)

    def leave(target: int, instruction: Instruction, live: bool) -> None:
        # the open loops inside frame ``target`` are left: they exit (live), or get their
        # first dead exit. A loop once marked down to ``t`` has every open loop between
        # it and ``t`` marked too (they enclosed it then and still do), so
        # the walk skips those: deep nesting with branches out of every level stays
        # linear, not quadratic in the depth.
        key = 0 if live else 1
        i = len(open_loops) - 1
        while i >= 0:
            position, loop, floors = open_loops[i]
            floor = floors[key]
            if position <= target or floor <= target:
                return
            if live:
                loop.exits = True
            elif not loop.dead_exits:  # (only the first is reported)
                loop.dead_exits.append(instruction)
            floors[key] = target
            # on to the next loop out that is not known to be marked
            i = bisect_right(loop_positions, floor) - 1 if floor < position else i - 1

    def note_test() -> None:
        # every loop open when a loop was marked encloses it and was marked with it: stop
        # there (so a test costs O(1) amortised, not O(depth): 50,000 nested ifs)
        for _position, loop, _floors in reversed(open_loops):
            if loop.tests:
                break
            loop.tests = True

    while frames:
        frame = frames[-1]
        instruction = next(frame.items, None)
        if instruction is None:
            block = frame.block
            if block is not None and block.opcode == Op.IF and not frame.in_else:
                frame.then_reachable, frame.reachable = frame.reachable, frame.entry_reachable
                frame.in_else = True
                frame.items = iter(block.else_body)
                continue
            frames.pop()
            if block is None:
                break
            if frame.loop is not None:
                frame.loop.completes = frame.reachable
                open_loops.pop()
                loop_positions.pop()
            if not _block_completes(frame):
                frames[-1].reachable = False
            continue
        facts.ordered.append(instruction)
        op = instruction.opcode
        live = frame.reachable
        if op in _BLOCKS and isinstance(instruction, Block):
            if op == Op.TRY_TABLE:
                for catch in instruction.immediates[1]:
                    branch(catch.label, instruction, True, live)
            # a loop is analysed as if entered, even after a runaway loop
            entered = live or op == Op.LOOP
            child = _Frame(instruction, iter(instruction.body), reachable=entered,
                           entry_reachable=entered)
            if op == Op.LOOP:
                child.loop = LoopFacts(instruction, live=live)
                facts.loops.append(child.loop)
                open_loops.append((len(frames), child.loop, [len(frames), len(frames)]))
                loop_positions.append(len(frames))
            elif op == Op.IF:
                note_test()
                if live:
                    _note_if_restart(frames, instruction)
            frames.append(child)
            continue
        info = OPCODES.get(op)
        if info is not None and info.imm in (Imm.LABEL, Imm.BR_ON_CAST):
            branch(instruction.immediates[0], instruction, op != Op.BR, live)
        elif op == Op.BR_TABLE:
            labels, default = instruction.immediates
            if len({*labels, default}) > 1:
                note_test()
            for depth in {*labels, default}:
                branch(depth, instruction, False, live)
        elif op in _LEAVE_FUNCTION or (calls_may_throw and op in _CALLS):
            leave_all(instruction, live)
        if op in _TERMINATORS:
            frame.reachable = False
    return facts


def _note_if_restart(frames: list[_Frame], block: Block) -> None:
    """Record ``(if C (then (br $loop)))`` as a restart of ``$loop``: an exit test."""
    if block.else_body or len(block.body) != 1 or block.body[0].opcode != Op.BR:
        return
    depth = block.body[0].immediates[0]
    # inside the then-branch the if's own label is depth 0
    target = len(frames) - depth
    if isinstance(depth, int) and 0 <= target < len(frames):
        loop = frames[target].loop
        if loop is not None:
            loop.restarts.append(block.body[0] if block.body[0].position is not None
                                 else block)


def walk_module(module: Module) -> list[FunctionFacts]:
    """Walk every defined function of a module. Raises nothing."""
    imported = sum(1 for i in module.imports if i.kind is ExternKind.FUNC)
    return [walk_function(module, imported + k, f) for k, f in enumerate(module.functions)]


def position_of(instruction: Instruction, fallback: Position = None) -> Position:
    """The instruction's position, or ``fallback`` when it has none."""
    return instruction.position if instruction.position is not None else fallback
