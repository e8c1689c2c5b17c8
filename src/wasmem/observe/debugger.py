"""The engine side of ``wasmem debug``: instrumented code that calls back before every
step, the debugger's own call stack, breakpoints, watchpoints and stepping modes.

While a :class:`Debugger` is attached, every function the instance defines runs on the
interpreter's linked program (as for a trace, :mod:`.instrument`) with each closure of
the program wrapped: before it runs, the wrapper records where the function is and asks
the debugger whether to stop; a stop calls ``on_stop`` (the command loop of
:mod:`.cli_debug`) on the same thread, which returns when the user resumes. Detaching
gives the functions their own code back, so nothing runs slower without a debugger.

A *step* is one closure of the interpreter's program: instructions that only name a
value (``local.get``, constants) are folded into the instruction that uses them, so a
step stops at each instruction that does work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import Frame, InvocationError
from ..exec import interpreter
from ..exec.backtrace import make_frame
from ..exec.interpreter.decode import FunctionDecoder
from ..exec.interpreter.ops import Const, op_exit
from ..exec.invoke import to_host
from .events import show_value
from ..runtime.instances import ModuleInstance
from ..syntax.instructions import Instruction
from ..syntax.types import ExternKind, ValType
from .events import TraceEvent
from .instrument import TracedCode
from .session import session_of

__all__ = ["Debugger", "DebugFrame", "Breakpoint", "Quit"]

_WRITES = frozenset({"store", "fill", "copy", "init"})


class Quit(BaseException):
    """Raised from a stop to end the debugging session (passes through the wasm call)."""


@dataclass
class DebugFrame:
    """One active call of a defined function: where it is (``pc``, the closure about
    to run) and its register file ``R`` (locals first)."""

    index: int
    pc: int = 1
    R: list[Any] | None = None


@dataclass
class Breakpoint:
    """A breakpoint: ``spots`` are the ``(function index, pc)`` pairs it stops at;
    ``watch`` is ``(memory, start, stop, kind)`` for a watchpoint (kind: ``"write"``,
    ``"read"`` or ``"access"``)."""

    number: int
    description: str
    spots: frozenset[tuple[int, int]] = frozenset()
    watch: tuple[int, int, int, str] | None = None  # memory, start, stop, kind
    hits: int = 0


@dataclass
class _Function:
    """What the debugger knows of one decoded function."""

    positions: list[Any]
    instructions: list[Instruction | None]
    exits: frozenset[int]
    stacks: list[tuple[Any, ...]] = field(default_factory=list)


class _StackDecoder(FunctionDecoder):
    """The interpreter's decoder, also keeping each closure's symbolic operand stack as
    it was before the instruction that emitted it (decoding is deterministic, so the
    closures match the interpreter's own decoding one for one)."""

    def __init__(self, *args: Any) -> None:
        self.stacks: list[tuple[Any, ...]] = []
        self._before: tuple[Any, ...] = ()
        self._retracted: tuple[Any, ...] | None = None
        super().__init__(*args)

    @property  # type: ignore[override]
    def instruction(self) -> Instruction | None:
        return self._instruction

    @instruction.setter
    def instruction(self, value: Instruction | None) -> None:
        self._instruction = value
        self._before = tuple(getattr(self, "stack", ()))
        self._retracted = None

    def emit(self, *args: Any, **kwargs: Any) -> None:
        # a closure that absorbs the one retracted just before (an access absorbing the
        # i32.add of its address) keeps that one's stack: the stack before the first
        # instruction it runs (the absorbed result is in no register)
        retracted, self._retracted = self._retracted, None
        self.stacks.append(self._before if retracted is None else retracted)
        super().emit(*args, **kwargs)

    def retract(self) -> None:
        """Remove the last closure and its stack (kept for the closure absorbing it)."""
        super().retract()
        self._retracted = self.stacks.pop()


class _DebugCode(TracedCode):
    """Instrumented code whose every closure calls ``hook(index, pc, R)`` first."""

    def __init__(self, debugger: Debugger) -> None:
        super().__init__(debugger.instance, debugger.sink, True, [0], old=True,
                         wants=debugger.wants)
        self.hook = debugger.hook

    def build(self, index: int) -> Any:
        code = super().build(index)
        hook = self.hook
        for pc in range(1, len(code.ops)):
            run = code.ops[pc]
            if run is None:
                continue

            def step(R: list[Any], run: Any = run, pc: int = pc) -> int:
                hook(index, pc, R)
                return run(R)  # type: ignore[no-any-return]
            code.ops[pc] = step
        return code


class Debugger:
    """Debugs one instance; see the module docstring.

    ``on_stop(reason)`` is called at each stop (reason: a line of text or None) and
    returns when execution should go on (after :meth:`resume`); ``on_event(text)``
    prints what happens between stops (watchpoint hits, values ``finish`` returns).
    Exceptions ``on_stop`` raises (:class:`Quit`) end the wasm call.

    Raises:
        InvocationError: the instance is already traced or watched.
    """

    def __init__(self, instance: ModuleInstance, on_stop: Callable[[str | None], None],
                 on_event: Callable[[str], None]) -> None:
        self.instance = instance
        self.on_stop = on_stop
        self.say = on_event
        self.frames: list[DebugFrame] = []
        self.breakpoints: dict[int, Breakpoint] = {}
        self.numbers = 0
        self.mode = "continue"  # step, next, finish, continue
        self.target = 0  # the call depth next/finish compare with
        self.last: tuple[int, int, Any] | None = None  # depth, pc, position of last stop
        self.pending: list[str] = []  # watchpoint hits to stop for
        self.interrupted = False  # set by a Ctrl-C handler: stop at the next step
        self.spots: set[tuple[int, int]] = set()
        self.fuel = instance.fuel is not None
        self.code = _DebugCode(self)
        self.functions: dict[int, _Function] = {}
        self.imported = len(instance.module.imports_of(ExternKind.FUNC))
        self.session = session_of(instance)
        with self.session.lock:
            if self.session.saved:
                raise InvocationError("the instance is already traced or watched")
            self.session.install(self.entry, self.code.host)

    def adopt(self, other: Debugger) -> None:
        """Take the breakpoints and watchpoints of ``other`` (a debugger of another
        instance of the same module: places are the same)."""
        self.breakpoints, self.numbers, self.spots = other.breakpoints, other.numbers, \
            other.spots

    def detach(self) -> None:
        """Give the instance's functions their own code back."""
        with self.session.lock:
            self.session.restore()

    # ------------------------------------------------------------------ running
    def entry(self, index: int) -> Callable[..., Any]:
        """The callable of defined function ``index``: keeps the debugger's frames."""
        run = interpreter._entry(self.code, index)
        if self.code.host is not None:
            run = self.code.host.reentered(run)
        frames = self.frames
        results = self.instance.functions[index].type.results

        def call(*args: Any) -> Any:
            frames.append(DebugFrame(index))
            depth = len(frames)
            try:
                value = run(*args)
            finally:
                del frames[depth - 1:]
            if self.mode == "finish" and depth == self.target:
                values = () if not results else (value,) if len(results) == 1 else value
                shown = ", ".join(show_value(to_host(t, v)) for t, v in zip(results, values))
                self.say(f"Value returned: {shown or '()'}")
            return value
        return call

    def hook(self, index: int, pc: int, R: list[Any]) -> None:
        """Before closure ``pc`` of function ``index`` runs: record it, maybe stop."""
        frames = self.frames
        frame = frames[-1]
        frame.pc, frame.R = pc, R
        reason = None
        if self.pending:
            reason = "\n".join(self.pending)
            self.pending.clear()
        elif (index, pc) in self.spots:
            hit = [b for b in self.breakpoints.values() if (index, pc) in b.spots]
            for b in hit:
                b.hits += 1
            reason = f"Breakpoint {hit[0].number}, {hit[0].description}"
        elif self.interrupted:
            self.interrupted = False
            reason = "Interrupted (Ctrl-C)"
        else:
            mode = self.mode
            if mode == "continue":
                return
            depth = len(frames)
            if (mode == "next" and depth > self.target) or \
                    (mode == "finish" and depth >= self.target):
                return
            if mode in ("step", "next") and self.last is not None:
                last_depth, last_pc, last_position = self.last
                if last_depth == depth and pc > last_pc and \
                        self.function(index).positions[pc - 1] == last_position:
                    return  # another closure of the same instruction
        self.last = (len(frames), pc, self.function(index).positions[pc - 1])
        self.mode = "continue"
        self.on_stop(reason)

    def resume(self, mode: str) -> None:
        """Go on in ``mode``: ``step``, ``next``, ``finish`` or ``continue``."""
        self.mode = mode
        depth = len(self.frames)
        self.target = depth
        if mode == "finish" and depth:
            frame = self.where(0)
            self.say(f"Run till exit from #0 {self.describe(frame)}")
        if mode == "continue":
            self.last = None

    # ------------------------------------------------------------------ watchpoints
    def wants(self, memory: int, address: int, size: int) -> bool:
        """Whether an access touches a watched range."""
        for b in self.breakpoints.values():
            if b.watch is not None:
                m, start, stop, _kind = b.watch
                if m == memory and address < stop and start < address + size:
                    return True
        return False

    def sink(self, event: TraceEvent) -> None:
        """A memory event from the instrumentation: an access a watchpoint wants is a
        hit, reported at once and stopped at before the next step."""
        for b in list(self.breakpoints.values()):
            if b.watch is None:
                continue
            m, start, stop, kind = b.watch
            if kind != "write" and event.kind in ("load", "copy"):
                address, memory = event.address, event.memory
                if event.kind == "copy":
                    address = event.source if event.source is not None else 0
                    memory = event.source_memory if event.source_memory is not None \
                        else event.memory
                if memory == m and address < stop and start < address + event.size:
                    self.hit(b, event, "read", address, None)
            if kind != "read" and event.kind in _WRITES and event.memory == m and \
                    event.address < stop and start < event.address + event.size:
                self.hit(b, event, "written", event.address, event.old)

    def hit(self, b: Breakpoint, event: TraceEvent, verb: str, address: int,
            old: bytes | None) -> None:
        """Report an access of watchpoint ``b``'s bytes (``old``: the bytes the event's
        range held before a write)."""
        m, start, stop, _kind = b.watch  # type: ignore[misc]
        b.hits += 1
        lo, hi = max(start, address), min(stop, address + event.size)
        now = self.instance.memories[m].read(lo, hi - lo)
        name = event.function_name or f"func[{event.function_index}]"
        text = f"Watchpoint {b.number}: {b.description} {verb} by {event.instruction} " \
               f"in {name} at {event.where}\n"
        if verb == "read":
            text += f"Value = {_hex(now)}"
        else:
            before = old[lo - address:hi - address] if old is not None else None
            text += f"Old value = {_hex(before) if before is not None else '?'}\n" \
                    f"New value = {_hex(now)}"
        self.pending.append(text)

    # ------------------------------------------------------------------ places
    def function(self, index: int) -> _Function:
        """The decoded function ``index`` (with its operand stacks).

        Raises:
            UnsupportedFeature: it uses instructions the interpreter lacks.
        """
        known = self.functions.get(index)
        if known is None:
            decoder = _StackDecoder(self.code.module.info, index, self.fuel)
            decoded = decoder.decode()
            exits = frozenset(pc for pc, op in enumerate(decoded.ir, 1) if op.make is op_exit)
            known = _Function(decoded.positions, decoded.instructions, exits, decoder.stacks)
            self.functions[index] = known
        return known

    def defined(self) -> range:
        """Indices of the functions the module defines."""
        return range(self.imported, len(self.instance.functions))

    def where(self, level: int) -> tuple[int, int]:
        """``(function index, pc)`` of frame ``level`` (0 = innermost).

        Raises:
            InvocationError: no such frame.
        """
        frames = self.visible()
        if not 0 <= level < len(frames):
            raise InvocationError(f"no frame {level}")
        return frames[level].index, frames[level].pc

    def visible(self) -> list[DebugFrame]:
        """The frames, innermost first, without those that ended with a tail call
        (``return_call``): as the spec says, their callee replaced them."""
        frames = self.frames
        return [frame for k, frame in enumerate(reversed(frames))
                if k == 0 or not self.instruction((frame.index, frame.pc))
                .startswith("return_call")]

    def place(self, spot: tuple[int, int]) -> Frame:
        """The :class:`Frame` (name and position) of a ``(function, pc)`` spot."""
        index, pc = spot
        return make_frame(self.instance, index, self.function(index).positions[pc - 1])

    def instruction(self, spot: tuple[int, int]) -> str:
        """The text of the instruction at a spot (``end`` for the function's end)."""
        from ..text.printer import format_instruction
        index, pc = spot
        function = self.function(index)
        ins = function.instructions[pc - 1]
        if pc in function.exits or ins is None:
            return "end"
        return format_instruction(ins)

    def describe(self, spot: tuple[int, int]) -> str:
        """``name (func N) at PLACE``."""
        frame = self.place(spot)
        name = frame.function_name or f"func[{frame.function_index}]"
        where = f"{frame.line}:{frame.column}" if frame.line is not None else \
            f"@0x{frame.offset:x}" if frame.offset is not None else "?"
        return f"{name} (func {frame.function_index}) at {where}"

    # ------------------------------------------------------------------ values
    def local_types(self, index: int) -> list[ValType]:
        """Types of function ``index``'s parameters and locals."""
        function = self.instance.module.functions[index - self.imported]
        return [*self.instance.functions[index].type.params, *function.locals]

    def local_names(self, index: int) -> dict[int, str]:
        """Names of function ``index``'s locals (``$id`` or name section)."""
        return self.instance.module.names.locals.get(index, {})

    def locals(self, level: int) -> list[tuple[int, str | None, ValType, Any]]:
        """``(index, name, type, value)`` of each local of frame ``level``.

        Raises:
            InvocationError: no such frame.
        """
        index, _pc = self.where(level)
        R = self.visible()[level].R or []
        names = self.local_names(index)
        return [(k, names.get(k), t, to_host(t, R[k]) if k < len(R) else None)
                for k, t in enumerate(self.local_types(index))]

    def stack(self, level: int) -> list[Any]:
        """The operand stack of frame ``level`` before its current instruction, bottom
        first.

        Raises:
            InvocationError: no such frame.
        """
        index, pc = self.where(level)
        R = self.visible()[level].R or []
        entries = self.function(index).stacks[pc - 1]
        return [e.value if isinstance(e, Const) else R[e] for e in entries]

    # ------------------------------------------------------------------ breakpoints
    def add(self, description: str, spots: frozenset[tuple[int, int]] = frozenset(),
            watch: tuple[int, int, int, str] | None = None) -> Breakpoint:
        """Add a breakpoint (``spots``) or a watchpoint (``watch``)."""
        self.numbers += 1
        b = Breakpoint(self.numbers, description, spots, watch)
        self.breakpoints[b.number] = b
        self.spots |= spots
        return b

    def delete(self, number: int) -> None:
        """Remove breakpoint ``number``.

        Raises:
            InvocationError: there is none.
        """
        if self.breakpoints.pop(number, None) is None:
            raise InvocationError(f"no breakpoint number {number}")
        self.spots = set().union(*(b.spots for b in self.breakpoints.values()))

    def function_spots(self, index: int) -> frozenset[tuple[int, int]]:
        """Where a breakpoint on function ``index`` stops: its first step."""
        self.function(index)
        return frozenset({(index, 1)})

    def line_spots(self, line: int) -> frozenset[tuple[int, int]]:
        """The first step of each run of steps on source ``line``."""
        spots = set()
        for index in self.defined():
            previous = None
            for pc, position in enumerate(self.function(index).positions, 1):
                current = position[0] if isinstance(position, tuple) else None
                if current == line and previous != line:
                    spots.add((index, pc))
                previous = current
        return frozenset(spots)

    def offset_spots(self, offset: int) -> frozenset[tuple[int, int]]:
        """The step at byte ``offset``, else the first step after it in its function."""
        best: tuple[int, int, int] | None = None
        for index in self.defined():
            function = self.instance.module.functions[index - self.imported]
            start, end = function.position, getattr(function, "end_position", None)
            if not isinstance(start, int) or not isinstance(end, int) \
                    or not start <= offset <= end:
                continue
            for pc, position in enumerate(self.function(index).positions, 1):
                if isinstance(position, int) and position >= offset and \
                        (best is None or position < best[0]):
                    best = (position, index, pc)
        return frozenset() if best is None else frozenset({(best[1], best[2])})


def _hex(data: bytes) -> str:
    return " ".join(f"{b:02x}" for b in data)
