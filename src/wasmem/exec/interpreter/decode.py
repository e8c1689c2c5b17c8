"""Decoding a function body for the interpreter: from the instruction tree to a flat program.

The body (a tree of :class:`~wasmem.syntax.instructions.Block` nodes) is walked once,
iteratively (any nesting depth is fine), into a flat program (:mod:`.program`) whose
branches point at :class:`~.ops.Label` positions; :mod:`.stream` reads a body still in
its binary encoding the same way, from its bytes. Operand-stack heights
are static in valid code, so every stack position gets a fixed register (see
:mod:`.ops`); the decoder keeps a *symbolic* stack of what each position
holds:

* a register index: the position's own register, or a local whose value it is
  (``local.get`` emits nothing; the consumer reads the local directly);
* a :class:`~.ops.Const` (``i32.const`` and friends emit nothing either).

A position is *materialised* (copied into its own register) before the local it names
is assigned, and at every control-flow boundary (block entry, block end, else), so at
every label all positions hold their own registers. Two more rewrites keep the common
patterns to one closure: a ``local.set`` right after the instruction that computed its
value redirects that instruction's result into the local, and a comparison right
before ``br_if``/``if`` fuses with it. Neither crosses a label.

Code after an unconditional branch is never run and is not decoded.
The result is cached per module and linked per instance by :mod:`wasmem.exec.interpreter`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ...errors import UnsupportedFeature
from ..exits import COLD_EXITS
from ..fuel import straight_count
from ...syntax.instructions import Block, Expr, Instruction
from ...syntax.opcodes import OPCODES, Op
from . import ops
from .inline import HOT
from .ops import Const, Factory, Label
from .decode_state import Entry, ModuleInfo, default_value
from .decode_state import Frame as _Frame
from .decode_state import SymbolicStack as _Stack
from .program import DecodedFunction, IROp, IRView, Program, Region

__all__ = [
    "IROp", "IRView", "NEGATED", "Region", "DecodedFunction", "ModuleInfo",
    "FunctionDecoder", "decode_function", "straight_count",
]



NEGATED = "!"
"""The name in an ``i32.eqz``/``i64.eqz`` closure's ``fusion`` when the closure before it
is a comparison or a tested value only it reads: ``(NEGATED, "", that closure's fusion)``;
a following branch then absorbs both, testing the other way."""


_IF, _LOOP = Op.IF, Op.LOOP
_list_setitem = list.__setitem__


class FunctionDecoder:
    """Decodes one function; see the module docstring."""

    handlers: ClassVar[dict[int, Callable[[FunctionDecoder, Instruction], None]]] = {}
    """Opcode key -> handler. :mod:`.handlers` installs its table when imported (the
    package imports it), so this module does not depend on the handlers."""

    from_bytes: ClassVar[Callable[[ModuleInfo, int], DecodedFunction | None] | None] = None
    """Decodes a function without fuel from its bytes, if it can (None: it cannot, the
    tree is walked); :mod:`.stream` installs it when imported (the package imports it)."""

    def __init__(self, info: ModuleInfo, index: int, fuel: bool) -> None:
        module = info.module
        self.info = info
        self.function = module.functions[index - info.imported_functions]
        self.type = info.function_types[index]
        self.name = module.function_name(index)
        self.fuel = fuel
        params = len(self.type.params)
        self.base = params + len(self.function.locals)
        # the program so far, as the parallel lists DecodedFunction keeps (``fusions``:
        # each op's IROp.fusion); ``ir`` shows the handlers its last op
        self.makes: list[Factory] = []
        self.dests: list[int] = []
        self.args: list[tuple[Any, ...]] = []
        self.fusions: list[tuple[str, str, tuple[Any, ...]] | None] = []
        self.ir = Program(self)
        self.instruction: Instruction | None = None
        self.instructions: list[Instruction | None] = []
        self.stack = _Stack(self.base)
        self.local_refs: dict[int, list[int]] = {}  # local -> positions that pushed it
        self.max_height = 0
        self.frames: list[_Frame] = []
        self.unreachable = False
        self.last = -1  # index of an IR op whose result may be redirected or fused
        self.regions: list[Region] = []
        self.targeted: set[int] = set()
        self.labels: list[Label] = []
        self.splits: list[int] = []  # where closures after a conditional branch start
        self.loops: list[tuple[Label, int, Block]] = []
        # per loop, of the outermost loop around it (or itself): the labels around that
        # (innermost last) and, once it ended, the pc after its end (where an exit of
        # the continuation resumes: wasmem.exec.exits)
        self.loop_exits: list[list[Any]] = []
        # with WASMEM_COLD_EXITS, per block, loop and if (by its position): the pcs where
        # its then-arm and else-arm start and where the code after its end starts, each
        # where the operand stack is empty there (else 0): where a translation that
        # leaves those parts out resumes the interpreter (wasmem.exec.pruned)
        self.cuts: dict[int, list[int]] | None = {} if COLD_EXITS else None

    # ------------------------------------------------------------------ output
    @property
    def pc(self) -> int:
        """The index the next emitted closure will have."""
        return len(self.makes) + 1

    def emit(self, make: Factory, dest: int, *args: Any, reusable: bool = False,
             fusion: tuple[str, str, tuple[Any, ...]] | None = None) -> None:
        makes = self.makes
        makes.append(make)
        self.dests.append(dest)
        self.args.append(args)
        self.fusions.append(fusion)
        self.instructions.append(self.instruction)  # (its position: backtraces)
        self.last = len(makes) - 1 if reusable else -1

    def emit_value(self, make: Factory, dest: int, args: tuple[Any, ...],
                   fusion: tuple[str, str, tuple[Any, ...]] | None = None) -> None:
        """``emit(make, dest, *args, reusable=True, fusion=fusion)``, for the commonest
        closures: a call with keywords and ``*args`` costs CPython about a microsecond
        more (a subclass that overrides :meth:`emit` gets this through its ``emit``)."""
        makes = self.makes
        makes.append(make)
        self.dests.append(dest)
        self.args.append(args)
        self.fusions.append(fusion)
        self.instructions.append(self.instruction)
        self.last = len(makes) - 1

    def emit_plain(self, make: Factory, dest: int, args: tuple[Any, ...]) -> None:
        """``emit(make, dest, *args)``, for the commonest closures that compute nothing
        a later one may redirect (stores, branches, copies), without the cost of
        ``*args`` (a subclass that overrides :meth:`emit` gets this through its ``emit``)."""
        self.makes.append(make)
        self.dests.append(dest)
        self.args.append(args)
        self.fusions.append(None)
        self.instructions.append(self.instruction)
        self.last = -1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "emit" in cls.__dict__ and "emit_value" not in cls.__dict__:
            cls.emit_value = _emit_value_through_emit  # type: ignore[method-assign]
        if "emit" in cls.__dict__ and "emit_plain" not in cls.__dict__:
            cls.emit_plain = _emit_plain_through_emit  # type: ignore[method-assign]

    def retract(self) -> None:
        """Remove the last emitted closure (the closure after it absorbs its work);
        a decoder that records something per closure removes its record too."""
        del self.makes[-1], self.dests[-1], self.args[-1], self.fusions[-1]
        del self.instructions[-1]  # (positions follow the instructions)
        self.last = -1

    def bind(self, label: Label) -> None:
        label.pc = len(self.makes) + 1  # (self.pc)
        self.labels.append(label)
        self.last = -1

    # ------------------------------------------------------------------ symbolic stack
    def push(self) -> int:
        """Push a value computed into its own register; return the register."""
        stack = self.stack
        height = len(stack)
        register = self.base + height
        stack.append(register)
        if height >= self.max_height:
            self.max_height = height + 1
        return register

    def push_entry(self, entry: Entry) -> None:
        if not isinstance(entry, Const) and entry < self.base:  # a local, read lazily
            refs = self.local_refs.get(entry)
            if refs is None:
                self.local_refs[entry] = [len(self.stack)]
            else:
                refs.append(len(self.stack))
        self.stack.append(entry)
        if len(self.stack) > self.max_height:
            self.max_height = len(self.stack)

    def pop_registers(self, n: int) -> list[int]:
        """Pop ``n`` entries as register indices (constants are stored first)."""
        height = len(self.stack) - n
        stack = self.stack
        entries = stack[height:]
        del stack[height:]
        for entry in entries:
            if isinstance(entry, Const):
                return [self.register(e, height + k) for k, e in enumerate(entries)]
        return entries

    def register(self, entry: Entry, position: int) -> int:
        """A register holding ``entry`` (popped from ``position``)."""
        if isinstance(entry, Const):
            register = self.base + position
            self.emit_plain(ops.op_set_const, register, (entry.value,))
            return register
        return entry  # type: ignore[no-any-return]

    def materialize(self, position: int) -> None:
        entry = self.stack[position]
        register = self.base + position
        if isinstance(entry, Const):
            self.emit_plain(ops.op_set_const, register, (entry.value,))
        elif entry != register:
            self.emit_plain(ops.op_copy, register, (entry,))
        else:
            return
        self.stack[position] = register

    def materialize_all(self) -> None:
        stack = self.stack
        for position in range(stack.low, len(stack)):  # the rest is materialised already
            self.materialize(position)
        stack.low = len(stack)

    def spill_local(self, index: int) -> None:
        """Materialise the positions that name local ``index`` (before it is assigned).

        Only the positions recorded when the local was pushed are looked at, so a long
        stack is not scanned at every ``local.set``.
        """
        positions = self.local_refs.pop(index, None)
        if not positions:
            return
        stack = self.stack
        height = len(stack)
        for position in positions:
            if position < height:
                entry = stack[position]
                if entry == index and not isinstance(entry, Const):
                    self.materialize(position)

    def redirectable(self, register: int) -> bool:
        """True if the last op computed ``register`` and may write elsewhere instead."""
        return (self.last == len(self.makes) - 1 and register >= self.base
                and self.dests[-1] == register)

    # ------------------------------------------------------------------ driver
    def decode(self) -> DecodedFunction:
        body = self.function.body
        if self.fuel:  # only metering needs the loops that branches target
            from ..compiler.frames import scan_targets  # only with fuel
            self.targeted = scan_targets(body).targeted
        self.frames.append(_Frame("func", Label(0), 0, 0, len(self.type.results)))
        work: list[list[Any]] = [[body, 0, "func"]]
        handler_of = self.handlers.get
        while work:
            item = work[-1]
            seq, i = item[0], item[1]
            count = len(seq)
            while i < count and not self.unreachable:
                ins = seq[i]
                i += 1
                self.instruction = ins
                handler = handler_of(ins.opcode)
                if handler is not None:  # (no handler for the block instructions)
                    handler(self, ins)
                    continue
                if isinstance(ins, Block):
                    item[1] = i
                    self.enter(ins)
                    then = "then" if ins.opcode == Op.IF and ins.else_body else "end"
                    work.append([ins.body, 0, then, ins])
                    break
                info = OPCODES.get(ins.opcode)
                raise UnsupportedFeature(
                    info.feature if info else "unknown",
                    f"instruction {info.name if info else hex(ins.opcode)} is not "
                    f"supported by the interpreter")
            else:
                work.pop()
                self.finish(item, work)
        return self.result(body)

    def result(self, body: Expr | None) -> DecodedFunction:
        """The decoded function, once the whole ``body`` has been decoded (``body`` is
        only read with fuel)."""
        template = (*[default_value(t) for t in self.function.locals],
                    *([None] * self.max_height), None)
        fuel_count = straight_count(body, self.targeted) if self.fuel and body is not None else 0
        successors = self.thread()
        loops = tuple((label.target(), h0, block) for label, h0, block in self.loops)
        exits = tuple((after, tuple(label.target() for label in around))
                      for around, after in self.loop_exits)
        decoded = DecodedFunction(self.name, self.makes, self.dests, self.args, template,
                                  self.base, len(self.type.results),
                                  fuel_count, self.regions, successors, None,
                                  self.instructions, loops)
        decoded.labels = self.labels  # (what .linking finds its runs of closures by)
        decoded.splits = self.splits
        decoded.exits = exits
        decoded.cuts = self.cuts
        return decoded

    def thread(self) -> list[int]:
        """Skip plain jumps: retarget labels, and return each closure's successor.

        Falling or branching into a ``br`` that moves nothing goes straight to its target,
        and into the function's exit returns 0 at once: one dispatch fewer per loop
        iteration and per function end. Returns ``successor[pc]`` (index 0 unused).
        """
        makes, args = self.makes, self.args
        count = len(makes)
        exit_, br = ops.op_exit, ops.op_br
        ends: dict[int, int] = {}  # where a chain of jumps from pc ends, once walked

        def skip(pc: int) -> int:
            if 0 < pc <= count:
                make = makes[pc - 1]
                if make is not exit_ and make is not br:
                    return pc  # the common case: not a jump
            seen: dict[int, None] = {}
            end = None
            while 0 < pc <= count and pc not in seen:
                if pc in ends:  # (nested ifs: each then-part's jump leads into the next)
                    end = ends[pc]
                    break
                seen[pc] = None
                make = makes[pc - 1]
                if make is exit_:
                    end = 0
                    break
                if make is not br or args[pc - 1][1]:
                    end = pc
                    break
                pc = args[pc - 1][0].target()
            if end is None:
                if pc in seen:
                    return pc  # (a cycle of jumps: not recorded)
                end = pc
            for walked in seen:
                ends[walked] = end
            return end

        moved = []  # (labels are bound: their pc is set; most lead to no jump)
        for label in self.labels:
            pc = label.pc
            if 0 < pc <= count:  # type: ignore[operator]
                make = makes[pc - 1]  # type: ignore[operator]
                if make is not exit_ and make is not br:
                    continue
            moved.append((label, skip(pc)))  # type: ignore[arg-type]
        for label, pc in moved:  # (retargeted once all are known)
            label.pc = pc
        successors = list(range(1, count + 2))  # successors[pc] = pc + 1, but for jumps
        successors[0] = 0
        for pc, make in enumerate(makes):  # closure pc + 1, which closure pc falls into
            if (make is exit_ or make is br) and pc:
                successors[pc] = skip(pc + 1)
        return successors

    def signature(self, block: Block) -> tuple[int, int]:
        bt = block.immediates[0]
        if bt is None:
            return 0, 0
        if isinstance(bt, int):
            ft = self.info.module.types[bt]
            return len(ft.params), len(ft.results)
        return 0, 1

    def enter(self, block: Block) -> None:
        params, results = self.signature(block)
        op = block.opcode
        condition: Entry = None
        if op == _IF:
            condition = self.stack.pop()
        self.materialize_all()
        h0 = len(self.stack) - params
        if op == _LOOP:
            frame = _Frame("loop", Label(), h0, params, results)
            self.bind(frame.label)
            self.loops.append((frame.label, h0, self.loop_reference(block)))
            frame.exits = [[f.label for f in self.frames[1:]], 0]
            # (a continuation holds the loop's outermost loop: .exits, its exits)
            outer = next((f for f in self.frames if f.kind == "loop"), frame)
            self.loop_exits.append(outer.exits)  # type: ignore[arg-type]
            if self.fuel and id(block) in self.targeted:
                name = f"${block.label}" if block.label else f"loop@{block.position}"
                self.emit(ops.op_fuel, -1, straight_count(block.body, self.targeted), name,
                          block.position)
        elif op == _IF:
            frame = _Frame("if", Label(), h0, params, results)
            frame.else_label = Label()
            self.branch_on(condition, frame.else_label, negate=True)
        elif op == Op.TRY_TABLE:
            frame = _Frame("try", Label(), h0, params, results)
            catches = []
            for catch in block.immediates[1]:
                target = self.frames[-1 - catch.label]
                catches.append((catch.kind, catch.tag, target.label, self.base + target.h0,
                                target.arity))
            frame.region = Region(self.pc, catches=tuple(catches))
        else:
            frame = _Frame("block", Label(), h0, params, results)
        self.frames.append(frame)
        if self.cuts is not None and op != Op.TRY_TABLE:
            frame.cut = self.cuts[block.position] = [  # type: ignore[index]
                self.pc if op == _IF and not h0 and not params else 0, 0, 0]

    def loop_reference(self, block: Block) -> Block:
        """What :attr:`DecodedFunction.loops` names ``block`` by (the tiered mode hands
        it to :func:`wasmem.exec.osr.continuation_context`)."""
        return block

    def place_results(self, frame: _Frame) -> None:
        for position in range(frame.h0, frame.h0 + frame.results):
            self.materialize(position)

    def reset_stack(self, h0: int, count: int) -> None:
        """After a label: positions from ``h0`` hold ``count`` values in their registers."""
        stack = self.stack
        if h0 < stack.low:
            stack.low = h0
        first = self.base + h0
        _list_setitem(stack, slice(h0, None), range(first, first + count))
        if h0 + count > self.max_height:
            self.max_height = h0 + count

    def finish(self, item: list[Any], work: list[list[Any]]) -> None:
        """A body ended: the function's, an if's then-arm, or a block's."""
        what = item[2]
        if what == "func":
            self.end_function()
        elif what == "then":
            self.end_then()
            work.append([item[3].else_body, 0, "end", item[3]])
        else:
            self.end_block()

    def end_function(self) -> None:
        """The function's body ended."""
        if not self.unreachable:
            self.place_results(self.frames[-1])
        self.emit(ops.op_exit, -1)

    def end_then(self) -> None:
        """An if's then-arm ended and an else-arm follows."""
        frame = self.frames[-1]
        if not self.unreachable:
            self.place_results(frame)
            self.emit_plain(ops.op_br, -1, (frame.label, ()))
        self.bind(frame.else_label)  # type: ignore[arg-type]
        self.reset_stack(frame.h0, frame.params)
        self.unreachable = False
        if frame.cut is not None and not frame.h0 and not frame.params:
            frame.cut[1] = self.pc

    def end_block(self) -> None:
        """A block, loop, try_table or if ended."""
        frame = self.frames[-1]
        if not self.unreachable:
            self.place_results(frame)
        self.frames.pop()
        if frame.region is not None:
            frame.region.end = self.pc
            self.regions.append(frame.region)
        if frame.else_label is not None and frame.else_label.pc is None:
            self.bind(frame.else_label)
        if frame.kind != "loop":
            self.bind(frame.label)
        elif frame.exits is not None:
            frame.exits[1] = self.pc
            self.last = -1  # (nothing fuses across the pc an exit resumes at)
        self.reset_stack(frame.h0, frame.results)
        self.unreachable = False
        if frame.cut is not None and not frame.h0 and not frame.results:
            frame.cut[2] = self.pc

    # ------------------------------------------------------------------ branches
    def moves(self, frame: _Frame) -> tuple[tuple[int, Any], ...]:
        """The moves that carry the top ``frame.arity`` values to the frame's registers."""
        n = frame.arity
        if not n:
            return ()
        values = self.stack[len(self.stack) - n:]
        base = self.base + frame.h0
        out = []
        for k, entry in enumerate(values):
            if isinstance(entry, Const) or entry != base + k:
                out.append((base + k, entry))
        return tuple(out)

    def branch_on(self, condition: Entry, label: Label, *, negate: bool,
                  moves: tuple[tuple[int, Any], ...] = ()) -> None:
        """Emit ``br_if`` (or, with ``negate``, the jump of ``if``) on a popped condition."""
        if (not moves and not isinstance(condition, Const) and self.redirectable(condition)
                and self.fusions[-1] is not None):
            name, shape, operands = self.fusions[-1]
            if name == NEGATED:  # eqz of the op before it: branch on that op, negated
                self.retract()
                name, shape, operands = operands
                negate = not negate
            hot = HOT[name]
            make = hot.skip[shape] if negate else hot.branch[shape]
            self.makes[-1] = make
            self.dests[-1] = -1
            self.args[-1] = (label, *operands)
            self.fusions[-1] = None
            self.last = -1
            # (what follows a branch starts a linking run: self.pc)
            self.splits.append(len(self.makes) + 1)
            return
        register = self.register(condition, len(self.stack)) \
            if isinstance(condition, Const) else condition
        if negate:
            self.emit_plain(ops.op_if, -1, (register, label))
        else:
            self.emit_plain(ops.op_br_if, -1, (register, label, moves))
        self.splits.append(len(self.makes) + 1)  # (self.pc)


def _emit_plain_through_emit(self: FunctionDecoder, make: Factory, dest: int,
                             args: tuple[Any, ...]) -> None:
    self.emit(make, dest, *args)


def _emit_value_through_emit(self: FunctionDecoder, make: Factory, dest: int,
                             args: tuple[Any, ...],
                             fusion: tuple[str, str, tuple[Any, ...]] | None = None) -> None:
    self.emit(make, dest, *args, reusable=True, fusion=fusion)


def decode_function(info: ModuleInfo, index: int, *, fuel: bool) -> DecodedFunction:
    """Decode defined function ``index`` (in the function index space).

    Returns:
        The flat program; with ``fuel``, charging instructions the way the compiling
        tier does (the function's straight-line count on entry, a targeted loop's on
        each iteration).

    Raises:
        UnsupportedFeature: for instructions the interpreter does not run (GC).
    """
    if not fuel and FunctionDecoder.from_bytes is not None:
        decoded = FunctionDecoder.from_bytes(info, index)
        if decoded is not None:
            return decoded
    decoder = FunctionDecoder(info, index, fuel)
    try:
        return decoder.decode()
    finally:  # the decoder and its Program refer to each other: freed now, not collected
        decoder.ir = None  # type: ignore[assignment]
