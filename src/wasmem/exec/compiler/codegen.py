"""Translate one validated function into Python source (the compiling execution tier).

See :mod:`.frames` for how control flow maps onto Python and :mod:`.stack` for how the
operand stack becomes Python variables. The emitters of the instructions live in one
module per family (:mod:`.emit_blocks`, :mod:`.emit_branches`, :mod:`.emit_calls`,
:mod:`.emit_memory`, :mod:`.emit_numeric`, :mod:`.emit_variables`); each is a function
taking this compiler as its first argument. The result is the text of
``def F<index>(l0, l1, ...):``.

Raises :class:`CannotCompile` when the function would exceed a limit of Python's own
compiler (indentation depth, nested loops); the tier then uses the interpreter.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.opcodes import OPCODES
from ...syntax.types import I32, I64, FuncType, ValType
from ..callstack import ENTRY_DEPTH, FRAME_SLOTS, frame_weight
from . import emit_branches, emit_calls, emit_memory, emit_numeric, emit_variables
from .entry_alignment import (ENTRY_STRAIGHT_MAX, PARAM_RANGE, function_alignments,
                              parameter_bases, parameter_test, stack_test)
from .assignment import locals_read_before_written
from .constants import constant_locals
from .context import ModuleContext
from .depth import prologue
from .emit_blocks import charge, emit_block, finish_frame_body, place_results
from .emit_branches import emit_return
from .emit_calls import INLINE_MAX, INLINE_TOTAL, default_literal
from .frames import MAX_INDENT, MAX_PY_BLOCKS, BlockFacts, Frame, scan_targets
from .known_copies import entry_lines, known_copy_of
from .known_libm import entry_lines as libm_entry, known_libm
from .numeric_inline import SCRATCH_EXACT
from .landings import MIN_RUN, plan_landings
from .lines import LineEntry, SiteRecorder
from .local_facts import LocalFacts
from .ranges import Range
from .quiet import quiet_call
from .tails import duplicate_tails
from .slots import SLOT_ENTERED, SLOT_SAFE, forget_slots
from .stack import CannotCompile, Entry, SymbolicStack, const_entry, var_entry

__all__ = ["CannotCompile", "FunctionCompiler", "MAX_INDENT", "MAX_PY_BLOCKS"]

FACTS_BUDGET = 4_000_000
"""Largest nesting depth times local count translated: the locals assigned in each
nested construct are collected per level, so more is left to the interpreter."""


ALIGNMENT_MAX = 1500
"""Largest function (in instructions) whose locals get the alignment pre-pass: loop
kernels are small, and in large functions (an allocator, an interpreter's main loop)
pointers come from memory, where the pass finds nothing for its cost."""


_SLOT = r"\b(?:[lst]\d+|i\d+_\d+)\b"
"""The Python variables of generated code: locals, stack slots, temporaries, inlined locals
(compiled by :mod:`re` when first needed, not at import)."""
_WORD = r"[lsti](?<!\w[lsti])[\d_]+\b"
"""Whole words of the form of :data:`_SLOT`'s (a superset: filtered with it). Found 3-4x
faster: starting with a character set, :mod:`re` skips to the candidates, where ``\b``
first makes it try every position."""



Handler = Callable[["FunctionCompiler", Instruction], None]


def _detached(text: str) -> None:
    """The stack's ``emit`` once a translation is over (nothing is emitted then).

    Raises:
        AssertionError: always (a translator bug).
    """
    raise AssertionError(f"emitted after the translation: {text!r}")


_PADS = tuple("    " * level for level in range(MAX_INDENT + 2))
"""The indentation of each level (:meth:`FunctionCompiler.indent` stops at MAX_INDENT)."""


class FunctionCompiler(LocalFacts):
    """Translate one function. Use :meth:`compile` once per object."""

    HANDLERS: dict[int, Handler] = {
        **emit_numeric.HANDLERS, **emit_variables.HANDLERS, **emit_memory.HANDLERS,
        **emit_calls.HANDLERS, **emit_branches.HANDLERS}
    """The emitter of each unstructured instruction, by opcode key."""

    def __init__(self, ctx: ModuleContext, function_index: int, *, fuel: bool = False,
                 name: str | None = None) -> None:
        self.ctx = ctx
        self.index = function_index
        self.function: Function = ctx.module.functions[function_index - ctx.imported_functions]
        self.type: FuncType = ctx.function_types[function_index]
        self.fuel = fuel
        self.name = name or f"func[{function_index}]"
        self.lines: list[str] = []
        self.levels: list[int] = []  # the indentation level of each line (for .tails)
        self.ind = 1
        self.stack = SymbolicStack(self.emit)
        self.frames: list[Frame] = []
        self.unreachable = False
        self.pending: set[int] = set()
        self.uses_b = False
        # index of an ``if _b == k:`` line just emitted at a block end that nothing
        # falls through to (see close_target), or -1
        self.landing = -1
        self.landings = 0  # guards made of such lines (see .landings)
        self.calls = False  # set by emit_call: the function needs its call depth
        # (line index, slot, expression) of the last single result assign_result emitted
        self.result_line: tuple[int, str, str, str] = (-1, "", "", "")
        self.set_globals: set[int] = set()
        self.py_blocks = 0
        self.temp_count = 0
        self.targeted: set[int] = set()
        # blocks translated with ``if not`` guards (see Frame.guarded), unless a first
        # translation with them went too deep for Python's indentation limit
        self.guardable: set[int] = set()
        self.guards_allowed = True
        self.guards_used = False
        self.block_facts: dict[int, BlockFacts] = {}
        # bodies whose block facts are still to be found: only targeted ``block``s need
        # them, so the walk waits for the first one
        self.facts_pending: list[tuple[Instruction, ...]] = []
        self.facts_done: set[int] = set()  # ids of the bodies whose facts were found
        # value ranges known for locals here (see .ranges); declared locals start at 0,
        # which :meth:`compile` records for those some path reads before writing (only
        # those: the value of the others is known from their first write on)
        self.local_ranges: dict[int, Range] = {}
        self.assigned_cache: dict[int, frozenset[int]] = {}
        self.edge_cache: dict[int, frozenset[int]] = {}  # (see .joins)
        # powers of two dividing every value of some locals (see .alignment)
        self.local_align: dict[int, int] = {}
        # set by the tier: the stack pointer may be tested at entry (.alignment)
        self.aligned_entry = False
        self.entry_guard: int | None = None
        self.stack_floor = False  # the entry test bounds the stack pointer below too
        self.entry_reads: frozenset[int] = frozenset()
        self.entry_params: dict[int, int] = {}  # parameter -> alignment tested at entry
        self.entry_gets: dict[int, int] = {}  # local.get id -> alignment (.entry_values)
        # locals only ever holding one constant, read as that literal (.constants)
        self.const_locals: dict[int, int] = {}
        # inlining: the local-name prefix of the current scope, and the frames that stand
        # for inlined functions (a `return` inside one branches to its end)
        self.local_prefix = "l"
        # per local of the current scope: its variable name and that name as ``refs``
        self.local_refs: dict[int, tuple[str, frozenset[str]]] = {}
        # the entry of a variable read with nothing known of it, by its local_refs value
        self.plain_entries: dict[tuple[str, frozenset[str]], Entry] = {}
        # and with a known range (lo, hi) and/or alignment
        self.known_entries: dict[tuple[tuple[str, frozenset[str]], tuple[int, int] | None,
                                       int | None], Entry] = {}
        self.inline_frames: list[Frame] = []
        self.inline_count = 0
        self.inline_locals = 0  # Python variables of inlined callees' locals
        self.inline_budget = INLINE_TOTAL
        # the line table (see .lines): where each emitted line comes from
        self.sites = SiteRecorder(function_index)
        self.header_lines = 0
        self.stack.sites = self.sites  # impure entries pushed are recorded
        # what full-width stores just wrote at <local> + offset (see .slots)
        self.slot_values: dict[tuple[int, str, int], tuple[str, int, str]] = {}
        self.slot_loads: dict[int, tuple[Entry, tuple[int, str, int], str, int]] = {}
        # shifted views selected once per base local (see .view_records)
        self.view_records: dict[tuple[str, str], str] = {}
        self.view_count = 0
        self.sequence: tuple[Instruction, ...] = ()  # the body being translated
        self.sequence_at = 0  # and the index of its instruction being translated

    # ------------------------------------------------------------------ output
    def emit(self, text: str) -> None:
        """Append one line at the current indentation."""
        ind = self.ind
        line = _PADS[ind] + text
        self.lines.append(line)
        self.levels.append(ind)
        sites = self.sites  # sites.line(line), inline
        sites.events.append((line, sites.function, sites.position, sites.outer))

    @property
    def line_table(self) -> list[LineEntry | None]:
        """The line table of the source :meth:`compile` returned (see :mod:`.lines`),
        built when first asked for."""
        return self.sites.table(self.header_lines)

    def indent(self) -> None:
        self.ind += 1
        if self.ind > MAX_INDENT:
            raise CannotCompile("nesting too deep for Python")

    def dedent(self) -> None:
        self.ind -= 1

    # ------------------------------------------------------------------ driver
    def compile(self) -> str:
        """Return the Python source of the function.

        Raises:
            CannotCompile: if Python's limits would be exceeded, or the function makes
                tail calls (``return_call*``).
        """
        try:
            try:
                return self.translate()
            except CannotCompile:
                if not self.guards_used:
                    raise
            # the guards of blocks indent: translate again without them
            again = FunctionCompiler(self.ctx, self.index, fuel=self.fuel, name=self.name)
            again.aligned_entry = self.aligned_entry
            again.guards_allowed = False
            try:
                source = again.translate()
            finally:
                again.stack.emit = _detached
            self.__dict__.update(again.__dict__)
            return source
        finally:
            # the stack's ``emit`` is this object's: without that reference cycle, what
            # the translation leaves is freed at once, not by a later collection (which
            # would walk it first: thousands of objects for a big function)
            self.stack.emit = _detached

    def translate(self) -> str:
        """Translate the function once (see :meth:`compile`)."""
        scan = scan_targets(self.function.body)
        if scan.max_loop_nesting > MAX_PY_BLOCKS:
            raise CannotCompile("too many nested loops for Python")
        if scan.max_depth * (len(self.type.params) + len(self.function.locals)) > FACTS_BUDGET:
            raise CannotCompile("nesting times locals too large for range facts")
        if scan.tail_calls:
            # Python has no tail calls: the interpreter runs these in constant stack, and
            # leaves the caller's try_table handlers before the callee runs
            raise CannotCompile("tail calls run on the interpreter")
        self.ctx.note_size(self.index, scan.instruction_count)
        if self.ctx.memories and scan.instruction_count <= ALIGNMENT_MAX:
            # (what it finds pays off in loops, and in frames off the stack pointer)
            facts = function_alignments(self.ctx, self.function, self.type,
                                        scan.max_loop_nesting > 0,
                                        self.aligned_entry and not self.fuel
                                        and (scan.max_loop_nesting > 0
                                             or scan.instruction_count <= ENTRY_STRAIGHT_MAX))
            self.local_align, self.entry_guard, self.entry_reads = \
                facts.locals, facts.guard, facts.reads
            self.entry_params, self.entry_gets = facts.params, facts.gets
        elif self.ctx.memories and self.aligned_entry and not self.fuel:
            # (too large for the walks: pointer parameters never assigned, tested)
            facts = parameter_bases(self.function, self.type, self.ctx)
            self.local_align, self.entry_guard, self.entry_reads = \
                facts.locals, facts.guard, facts.reads
            self.entry_params, self.entry_gets = facts.params, facts.gets
        for k in self.entry_params:  # (the entry test bounds them too: .entry_alignment)
            self.local_ranges[k] = PARAM_RANGE
        # (musl's sin and cos mostly return before their frame: no floor, see .known_libm)
        self.stack_floor = self.entry_guard is not None and not known_libm(self.ctx, self.index)
        self.targeted = scan.targeted
        self.guardable = scan.guardable
        # inlining takes in at most twice the function's own size (a small function is
        # not worth a big translation), at most INLINE_TOTAL, but at least three full
        # callees: a small recursive function (fib) runs a quarter faster with its
        # recursion unrolled a few levels (fib(27): 57.5 -> 43.8 ms; pwasm 44.3 ms)
        self.inline_budget = min(INLINE_TOTAL, max(3 * INLINE_MAX, 2 * scan.instruction_count))
        self.facts_pending.append(self.function.body)
        params = len(self.type.params)
        local_types = self.function.locals
        # declared locals start at zero: only those some path reads before writing
        # need that zero in Python (see .assignment)
        # (both walks are about declared locals only)
        zeroed = sorted(locals_read_before_written(self.function.body, params,
                                                   len(local_types))) if local_types else []
        for index in zeroed:
            if local_types[index - params] in (I32, I64):
                self.local_ranges[index] = (0, 0)
        if local_types:
            self.const_locals = constant_locals(self.function.body, params, set(zeroed))
        body_frame = Frame("func", 0, 0, (), self.type.results, targeted=True)
        self.push_frame(body_frame)
        if self.fuel:
            charge(self, self.function.body, loop_label=None)
        self.emit_sequence(body_frame, self.function.body)
        finish_frame_body(self, body_frame)
        if not self.unreachable:
            emit_return(self, self.stack.top_n(len(self.type.results)))
        header = [f"def F{self.index}({''.join(f'l{i}, ' for i in range(params))}"
                  f"_d={ENTRY_DEPTH}):"]
        if self.set_globals:
            header.append("    global " + ", ".join(f"G{i}" for i in sorted(self.set_globals)))
        if not self.fuel and (known := known_copy_of(self.ctx, self.index)):
            header += entry_lines(known)  # a known memcpy body (see .known_copies)
        if self.entry_guard is not None or self.entry_params:  # (see .alignment)
            tests = [stack_test(self.entry_guard, self.stack_floor)] \
                if self.entry_guard is not None else []
            tests += [parameter_test(k, a) for k, a in sorted(self.entry_params.items())]
            header.append(f"    if {' or '.join(tests)}: return n_unaligned("
                          f"{self.index})({''.join(f'l{i}, ' for i in range(params))}_d)")
        # the call depth: passed by direct callers, else read from the thread's counters
        # (exec/callstack.py); leaves cannot deepen the stack and skip the check
        weight = frame_weight(self.python_variables(params)) if self.calls else 1
        if self.calls:
            header += prologue(weight)
        if weight == 1 and not self.fuel and (libm := known_libm(self.ctx, self.index)) \
                and (SCRATCH_EXACT or libm == "fmod"):  # (musl_trig reads a scratch view)
            header += libm_entry(libm, emit_variables.global_expr(self, 0))  # .known_libm
        for index in zeroed:
            header.append(f"    l{index} = {default_literal(local_types[index - params])}")
        if self.uses_b:
            header.append("    _b = 0")
        if not self.lines:
            self.emit("pass")
        if self.landings >= MIN_RUN:
            # a switch: its cases' exits first (.tails; the line table follows when
            # asked for), then its landings (elsewhere the pass costs more than it saves)
            self.lines, self.sites.rewrites = duplicate_tails(self.lines, levels=self.levels)
            self.lines, rewrites = plan_landings(self.lines)
            self.sites.rewrites = self.sites.rewrites + rewrites
        elif self.uses_b:  # escapes to a short return (.tails)
            self.lines, self.sites.rewrites = duplicate_tails(self.lines, escapes_only=True,
                                                              levels=self.levels)
        self.header_lines = len(header)
        return "\n".join(header + self.lines) + "\n"

    def python_variables(self, params: int) -> int:
        """The number of parameters plus the distinct variables (locals, slots,
        temporaries, inlined locals) the generated body uses: counted in its text only
        when a bound from what the generator made reaches :data:`FRAME_SLOTS` (below it,
        every count gives the same frame weight)."""
        # (the text count includes the parameters' names: they are counted twice)
        bound = (2 * params + len(self.function.locals) + self.stack.slots + self.temp_count
                 + self.inline_locals)
        if bound < FRAME_SLOTS:
            return bound
        # (at least the function's own locals, as the interpreter counts its frame)
        return max(params + len(self.function.locals),
                   params + sum(1 for word in set(re.findall(_WORD, "\n".join(self.lines)))
                                if re.fullmatch(_SLOT, word)))

    # ------------------------------------------------------------------ sequences
    def push_frame(self, frame: Frame) -> None:
        """Open ``frame`` (its ``loop`` is the innermost ``while`` frame from there on)."""
        frames = self.frames
        frame.loop = frame if frame.py_loop else frames[-1].loop if frames else None
        frames.append(frame)

    def innermost_loop(self) -> Frame | None:
        """The innermost frame translated as a Python ``while``."""
        frames = self.frames
        return frames[-1].loop if frames else None

    def emit_sequence(self, frame: Frame, body: tuple[Instruction, ...]) -> None:
        """Translate the instructions of one body, with guards after pending branches."""
        base = self.ind
        saved_pending: set[int] = set()
        guard_at = -1  # index of the open guard's line, or -1
        last = len(body) - 1
        handlers = self.HANDLERS
        guards = frame.guards
        sites = self.sites  # (the same recorder for the whole translation)
        safe = SLOT_SAFE
        outer, outer_at = self.sequence, self.sequence_at
        self.sequence = body  # (with .sequence_at: what .view_records looks ahead in)
        for k, ins in enumerate(body):
            if self.unreachable:
                break
            self.sequence_at = k
            if self.pending:
                if not self.resolve_in_loop():
                    if guard_at >= 0:
                        self.close_guard(base, guard_at)
                    saved_pending |= self.pending
                    self.pending = set()
                    guard_at = self.open_guard(base)
            self.landing = -1
            sites.position = ins.position
            op = ins.opcode
            handler = handlers.get(op)  # structured instructions have none
            if op in safe:  # (the commonest case: records kept, see .slots)
                if handler is not None:
                    handler(self, ins)
                    if frame.guards != guards:  # a br_if opened ``if not <condition>:``
                        guards = frame.guards  # (see Frame.guarded): the rest of the body
                        base = self.ind  # and its guards go inside it
                else:
                    self.emit_instruction(ins, k == last)
                continue
            unsafe = True
            kept = None  # the records a call of a quiet function keeps (.quiet)
            if (self.slot_values or self.slot_loads) and quiet_call(self.ctx, ins):
                unsafe, kept = False, (self.slot_values.copy(), self.slot_loads.copy())
            if self.view_records and op not in SLOT_ENTERED:
                self.view_records.clear()  # (even at a quiet call: .view_records)
            if unsafe and op not in SLOT_ENTERED and (self.slot_values or self.slot_loads):
                forget_slots(self)  # records end at control flow, calls (.slots)
            if handler is not None:
                handler(self, ins)
                if frame.guards != guards:
                    guards = frame.guards
                    base = self.ind
            else:
                self.emit_instruction(ins, k == last)
            if unsafe:
                if self.slot_values or self.slot_loads or self.view_records:
                    forget_slots(self)
            elif kept is not None:
                self.slot_values, self.slot_loads = kept
                self.view_records.clear()
        self.sequence, self.sequence_at = outer, outer_at
        if self.pending and not self.unreachable and not self.resolve_in_loop():
            # branches pending here must skip the fallthrough's result moves
            if guard_at >= 0:
                self.close_guard(base, guard_at)
            saved_pending |= self.pending
            self.pending = set()
            guard_at = self.open_guard(base)
        self.landing = -1
        if self.pending and self.unreachable and frame.py_loop:
            # escapes from an inner ``while`` still pending: pass them on
            if not self.resolve_in_loop():
                raise CannotCompile("pending branch lost at the end of a loop")
        if guard_at >= 0:
            # the fallthrough results must be placed before leaving the guard
            place_results(self, frame)
            self.close_guard(base, guard_at)
            self.pending |= saved_pending

    def open_guard(self, base: int) -> int:
        """Open the guard of the code after a pending branch; return its line's index.

        That is ``if not _b:``, or the ``if _b == k:`` just emitted at the end of a block
        nothing falls through to (``_b`` is never 0 there: the code runs when ``k``
        is the target, one test instead of two for the paths that skip it).
        """
        landing = self.landing
        if landing >= 0 and landing == len(self.lines) - 2 \
                and self.lines[landing].startswith("    " * base + "if"):
            # (at this sequence's level: not inside the guard just closed)
            self.indent()
            self.landings += 1
            return landing
        at = len(self.lines)
        self.emit("if not _b:")
        self.indent()
        return at

    def close_guard(self, base: int, guard_at: int) -> None:
        """Leave an ``if not _b:`` guard; drop it if nothing was emitted inside."""
        self.ind = base
        if len(self.lines) == guard_at + 1:
            del self.lines[guard_at]
            del self.levels[guard_at]
            self.sites.delete(guard_at)

    def resolve_in_loop(self) -> bool:
        """Handle pending branches that can leave or restart the innermost ``while``.

        Returns True if every pending target was handled (no guard needed).
        """
        loop = self.innermost_loop()
        if loop is None:
            return False
        if any(t > loop.depth for t in self.pending):
            return False
        outer = {t for t in self.pending if t < loop.depth}
        again = loop.depth in self.pending
        self.emit("if _b:")
        self.indent()
        if loop.kind != "loop":
            # a one-shot ``while`` standing for a block: its end is after the ``while``
            if again:
                if outer:
                    self.emit(f"if _b == {loop.depth}:")
                    self.indent()
                    self.emit("_b = 0")
                    self.dedent()
                else:
                    self.emit("_b = 0")
                loop.tail_break = True
            self.emit("break")
        elif again and outer:
            self.emit(f"if _b == {loop.depth}:")
            self.indent()
            self.emit("_b = 0")
            self.emit("continue")
            self.dedent()
            self.emit("break")
        elif again:
            self.emit("_b = 0")
            self.emit("continue")
        else:
            self.emit("break")
        self.dedent()
        loop.escapes |= outer
        self.pending = set()
        return True

    def emit_instruction(self, ins: Instruction, tail: bool) -> None:
        """Translate one instruction."""
        if isinstance(ins, Block):
            emit_block(self, ins, tail)
            return
        handler = self.HANDLERS.get(ins.opcode)
        if handler is None:
            info = OPCODES.get(ins.opcode)
            raise CannotCompile(f"no translation for {info.name if info else ins.opcode}")
        handler(self, ins)

    # ------------------------------------------------------------------ block types
    def block_signature(self, block: Block) -> tuple[tuple[ValType, ...], tuple[ValType, ...]]:
        """Return (params, results) of a block type."""
        bt = block.immediates[0]
        if bt is None:
            return (), ()
        if isinstance(bt, int):
            ft = self.ctx.module.types[bt]
            return ft.params, ft.results
        return (), (bt,)

    # ------------------------------------------------------------------ helpers
    def new_temp(self) -> str:
        self.temp_count += 1
        return f"t{self.temp_count}"

    def push_const(self, value: int | float, text: str | None = None) -> None:
        self.stack.push(const_entry(value, text))

    def push_aligned(self, entry: Entry, align: int) -> None:
        """Push ``entry`` recording a known power-of-two divisor (capped at 2**16)."""
        entry.align = min(align, 1 << 16)
        self.stack.push(entry)

    def assign_result(self, expr: str, count: int = 1, head: str = "") -> None:
        """Emit ``s<h>.. = expr`` for a side-effecting expression with ``count`` results
        (after statement text ``head`` on the same line, if given)."""
        base = len(self.stack)
        names = [f"s{base + k}" for k in range(count)]
        if base + count > self.stack.slots:
            self.stack.slots = base + count
        for name in names:
            self.stack.flush_refs(name)
        if count == 0:
            self.emit(expr)
            return
        self.emit(f"{head}{', '.join(names)} = {expr}")
        for name in names:
            self.stack.push(var_entry(name))
        if count == 1:
            self.result_line = (len(self.lines) - 1, names[0], expr, head)

    def assign_to_local(self, name: str, value: Entry) -> bool:
        """Make the line just emitted by :meth:`assign_result` assign ``name`` (a local)
        instead of its slot, when ``value`` (just popped) is that slot and nothing else
        reads it: ``l3 = F5(...)`` rather than ``s0 = F5(...)`` then ``l3 = s0``."""
        at, slot, expr, head = self.result_line
        if value.expr != slot or at != len(self.lines) - 1 \
                or self.lines[at] != "    " * self.ind + f"{head}{slot} = {expr}" \
                or any(slot in entry.refs for entry in self.stack.items):
            return False
        self.lines[at] = line = "    " * self.ind + f"{head}{name} = {expr}"
        self.sites.replace_last(line)
        return True
