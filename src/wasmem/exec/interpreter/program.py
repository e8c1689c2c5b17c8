"""The interpreter's decoded program (:mod:`.decode` makes it): per function a
:class:`DecodedFunction` of parallel lists, viewed as :class:`IROp` objects on demand, and
the views the decoder's handlers read while it is made."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from ...syntax.instructions import Block, Instruction, Position
from ...syntax.module import Function
from .ops import Factory, Label

Fusion = tuple[str, str, tuple[Any, ...]]


class Emitting(Protocol):
    """What :class:`Program` reads of a decoder: the program emitted so far."""

    makes: list[Factory]
    dests: list[int]
    args: list[tuple[Any, ...]]
    fusions: list[Fusion | None]

__all__ = ["DecodedFunction", "IROp", "IRView", "Program", "Region"]


class IROp:
    """One instruction of the flat program: ``make(ctx, nxt, dest, *args)`` builds it.

    ``fusion`` is ``(name, shape, operands)`` for a comparison that a following branch
    may absorb.
    """

    __slots__ = ("args", "dest", "fusion", "make")

    def __init__(self, make: Factory, dest: int, args: tuple[Any, ...],
                 fusion: tuple[str, str, tuple[Any, ...]] | None = None) -> None:
        self.make = make
        self.dest = dest
        self.args = args
        self.fusion = fusion


class Region:
    """A try_table body: closures ``start <= pc < end`` are covered by ``catches``,
    each ``(kind, tag index or None, label, destination register, arity)``."""

    __slots__ = ("catches", "end", "start")

    def __init__(self, start: int, end: int = 0,
                 catches: tuple[tuple[int, int | None, Label, int, int], ...] = ()) -> None:
        self.start = start
        self.end = end
        self.catches = catches


class DecodedFunction:
    """A decoded function, shared by all instances of its module.

    ``template`` is what follows the arguments in a fresh register file (declared
    locals, stack registers, the tail-call slot); results end at ``base``.
    ``positions[pc - 1]`` is where the instruction that closure ``pc`` runs came from,
    ``instructions[pc - 1]`` that instruction (for instrumentation, :mod:`wasmem.observe`);
    ``loops`` holds ``(header pc, operand stack height below the loop, the loop)`` of each
    loop (the tiered mode counts iterations there, :mod:`wasmem.exec.tiering`), ``exits``
    per loop the pc after the end of the outermost loop around it (or its own) and the
    pcs of the labels around that, innermost last (where a continuation's exits resume,
    :mod:`wasmem.exec.exits`).
    ``labels`` are the function's bound branch targets and ``splits`` the closures that
    follow a conditional branch (:mod:`.linking` links a function's closures in runs
    between those, found when first needed: ``leaders``, None until then).

    The program is kept as three parallel lists, ``makes``, ``dests`` and ``args``
    (closure ``pc``'s are at ``pc - 1``), not as one :class:`IROp` per closure: decoded
    functions live as long as their module, and every object that holds references is
    one more for each of Python's full garbage collections to walk. ``ir`` views them as
    IROps (made on demand, for instrumentation and tests).
    """

    __slots__ = ("_function", "_instructions", "_positions", "args", "base", "cuts", "dests",
                 "exits", "fuel_count", "labels", "leader_set", "leaders", "loops", "makes",
                 "name", "regions", "results", "splits", "successors", "template")

    def __init__(self, name: str, makes: list[Factory], dests: list[int],
                 args: list[tuple[Any, ...]], template: tuple[Any, ...], base: int,
                 results: int, fuel_count: int, regions: list[Region] | None = None,
                 successors: list[int] | None = None, positions: list[Position] | None = None,
                 instructions: list[Instruction | None] | None = None,
                 loops: tuple[tuple[int, int, Block], ...] = ()) -> None:
        self.name = name
        self.makes = makes
        self.dests = dests
        self.args = args
        self.template = template
        self.base = base
        self.results = results
        self.fuel_count = fuel_count
        self.regions = [] if regions is None else regions
        self.successors = [] if successors is None else successors
        self._positions = positions  # None: derived from the instructions when asked
        # None: found in the body's tree by position when asked (see .stream)
        self._instructions = instructions if instructions is not None or positions is not None \
            else []
        self._function: Function | None = None  # whose tree has the instructions
        self.loops = loops
        # per loop: (the pc after its nest's end, the pcs of the labels around that)
        self.exits: tuple[tuple[int, tuple[int, ...]], ...] = ()
        # with WASMEM_COLD_EXITS: per construct's position, the pcs where its arms and
        # what follows it start (0: not with an empty stack; .decode FunctionDecoder.cuts)
        self.cuts: dict[int, list[int]] | None = None
        self.labels: list[Label] = []
        self.splits: list[int] = []
        self.leaders: list[int] | None = None
        self.leader_set: frozenset[int] | None = None  # the same as a set (.pairs)

    @property
    def ir(self) -> IRView:
        """The program as a sequence of :class:`IROp` (made when read)."""
        return IRView(self)

    @property
    def instructions(self) -> list[Instruction | None]:
        """``instructions[pc - 1]``: the instruction closure ``pc`` runs (for
        instrumentation; a program decoded from the bytes finds them in the body's tree,
        decoded then, by their positions)."""
        instructions = self._instructions
        if instructions is None:
            instructions = self._instructions = _by_position(
                self._function, self._positions)  # type: ignore[arg-type]
        return instructions

    @property
    def positions(self) -> list[Position]:
        """``positions[pc - 1]``: where closure ``pc``'s instruction came from (made on
        first use, from the instructions: only backtraces and debuggers ask)."""
        positions = self._positions
        if positions is None:
            positions = self._positions = [
                None if ins is None else ins.position for ins in self.instructions]
        return positions


def _by_position(function: Function, positions: list[Position]) -> list[Instruction | None]:
    """The instructions of ``function``'s body at ``positions`` (None stays None)."""
    found: dict[Position, Instruction] = {}
    pending: list[tuple[Instruction, ...]] = [function.body]
    while pending:
        for ins in pending.pop():
            found[ins.position] = ins
            if isinstance(ins, Block):
                pending.append(ins.body)
                pending.append(ins.else_body)
    return [None if position is None else found[position] for position in positions]


class IRView:
    """A decoded function's program as a read-only sequence of :class:`IROp`."""

    __slots__ = ("_function",)

    def __init__(self, function: DecodedFunction) -> None:
        self._function = function

    def __len__(self) -> int:
        return len(self._function.makes)

    def __getitem__(self, index: int) -> IROp:
        """Closure ``index + 1``'s op (negative indices count from the end).

        Raises:
            IndexError: past either end.
        """
        f = self._function
        return IROp(f.makes[index], f.dests[index], f.args[index])

    def __iter__(self) -> Iterator[IROp]:
        f = self._function
        return map(IROp, f.makes, f.dests, f.args)


class Program:
    """The program a :class:`~.decode.FunctionDecoder` has emitted, as its handlers read
    it: ``program[-1]`` is the last op (see :class:`Emitted`)."""

    __slots__ = ("_decoder",)

    def __init__(self, decoder: Emitting) -> None:
        self._decoder = decoder

    def __getitem__(self, index: int) -> Emitted:
        """Op ``index + 1`` (negative indices count from the end).

        Raises:
            IndexError: past either end.
        """
        return Emitted(self._decoder, index)


class Emitted:
    """An emitted op as a handler reads it: ``make``, ``args`` and ``fusion`` as they were
    when read (still there after :meth:`~.decode.FunctionDecoder.retract`), and ``dest``,
    which a handler may redirect (``local.set`` right after the op computing its value)."""

    __slots__ = ("_decoder", "_index", "args", "fusion", "make")

    def __init__(self, decoder: Emitting, index: int) -> None:
        if index < 0:
            index += len(decoder.makes)
        self.make = decoder.makes[index]
        self.args = decoder.args[index]
        self.fusion = decoder.fusions[index]
        self._decoder = decoder
        self._index = index

    @property
    def dest(self) -> int:
        return self._decoder.dests[self._index]

    @dest.setter
    def dest(self, register: int) -> None:
        self._decoder.dests[self._index] = register
