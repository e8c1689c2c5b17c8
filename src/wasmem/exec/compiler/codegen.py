"""Translate one validated function into Python source (the compiling execution tier).

See :mod:`.frames` for how control flow maps onto Python and :mod:`.stack` for how the
operand stack becomes Python variables. Instruction emitters other than control flow
live in :mod:`.emit_ops`. The result is the text of ``def F<index>(l0, l1, ...):``.

Raises :class:`CannotCompile` when the function would exceed a limit of Python's own
compiler (indentation depth, nested loops); the tier then uses the interpreter.
"""

from __future__ import annotations

import re

from ..fuel import straight_count
from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.opcodes import OPCODES, Op
from ...syntax.types import F32, F64, I32, I64, FuncType, RefType, ValType
from ..callstack import DEEP, ENTRY_DEPTH, MAX_CALL_DEPTH, frame_weight
from .context import ModuleContext
from .emit_ops import OpsEmitter
from .assignment import locals_read_before_written
from .frames import BlockFacts, Frame, block_facts, scan_targets
from .lines import LineEntry, SiteRecorder
from .ranges import Range, assigned_locals, condition_facts
from .stack import CannotCompile, Entry, SymbolicStack, const_entry, var_entry

__all__ = ["CannotCompile", "FunctionCompiler", "MAX_INDENT", "MAX_PY_BLOCKS"]

MAX_INDENT = 80
"""Deepest Python indentation we generate (the tokenizer allows 100)."""
MAX_PY_BLOCKS = 18
"""Most nested ``while``/``try`` statements (CPython allows 20)."""
MAX_FACTS = 256
"""Most local range facts carried into a construct (they are copied at each one); beyond
it the facts are dropped, which only costs some wrap-around masks."""
FACTS_BUDGET = 4_000_000
"""Largest nesting depth times local count translated: the locals assigned in each
nested construct are collected per level, so more is left to the interpreter."""
INLINE_MAX = 40
"""Functions with at most this many instructions are inlined at direct call sites."""
INLINE_TOTAL = 400
"""Instructions one function may take in by inlining, in all."""


_SLOT = re.compile(r"\b(?:[lst]\d+|i\d+_\d+)\b")
"""The Python variables of generated code: locals, stack slots, temporaries, inlined locals."""


def _default_literal(t: ValType) -> str:
    if t is F32 or t is F64:
        return "0.0"
    if isinstance(t, RefType):
        return "None"
    return "0"


class FunctionCompiler(OpsEmitter):
    """Translate one function. Use :meth:`compile` once per object."""

    def __init__(self, ctx: ModuleContext, function_index: int, *, fuel: bool = False,
                 name: str | None = None) -> None:
        self.ctx = ctx
        self.index = function_index
        self.function: Function = ctx.module.functions[function_index - ctx.imported_functions]
        self.type: FuncType = ctx.function_types[function_index]
        self.fuel = fuel
        self.name = name or f"func[{function_index}]"
        self.lines: list[str] = []
        self.ind = 1
        self.stack = SymbolicStack(self.emit)
        self.frames: list[Frame] = []
        self.unreachable = False
        self.pending: set[int] = set()
        self.uses_b = False
        self.calls = False  # set by emit_call: the function needs its call depth
        self.set_globals: set[int] = set()
        self.py_blocks = 0
        self.temp_count = 0
        self.targeted: set[int] = set()
        self.block_facts: dict[int, BlockFacts] = {}
        # bodies whose block facts are still to be found: only targeted ``block``s need
        # them, so the walk waits for the first one
        self.facts_pending: list[tuple[Instruction, ...]] = []
        # value ranges known for locals here (see .ranges); declared locals start at 0
        params = len(self.type.params)
        self.local_ranges: dict[int, Range] = {
            params + k: (0, 0) for k, t in enumerate(self.function.locals)
            if t is I32 or t is I64}
        self.assigned_cache: dict[int, frozenset[int]] = {}
        # inlining: the local-name prefix of the current scope, and the frames that stand
        # for inlined functions (a `return` inside one branches to its end)
        self.local_prefix = "l"
        # per local of the current scope: its variable name and that name as ``refs``
        self.local_refs: dict[int, tuple[str, frozenset[str]]] = {}
        self.inline_frames: list[Frame] = []
        self.inline_count = 0
        self.inline_budget = INLINE_TOTAL
        # the line table (see .lines): where each emitted line comes from
        self.sites = SiteRecorder(function_index)
        self.line_table: list[LineEntry | None] = []
        self.stack.push = self.sites.tracking(self.stack.push)  # type: ignore[method-assign, assignment]

    # ------------------------------------------------------------------ output
    def emit(self, text: str) -> None:
        """Append one line at the current indentation."""
        line = "    " * self.ind + text
        self.lines.append(line)
        self.sites.line(line)

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
        self.targeted = scan.targeted
        self.facts_pending.append(self.function.body)
        params = len(self.type.params)
        local_types = self.function.locals
        body_frame = Frame("func", 0, 0, (), self.type.results, targeted=True)
        self.frames.append(body_frame)
        if self.fuel:
            self.charge(self.function.body, loop_label=None)
        self.emit_sequence(body_frame, self.function.body)
        self.finish_frame_body(body_frame)
        if not self.unreachable:
            self.emit_return(self.stack.top_n(len(self.type.results)))
        header = [f"def F{self.index}({''.join(f'l{i}, ' for i in range(params))}"
                  f"_d={ENTRY_DEPTH}):"]
        if self.set_globals:
            header.append("    global " + ", ".join(f"G{i}" for i in sorted(self.set_globals)))
        # the call depth: passed by direct callers, else read from the thread's counters
        # (exec/callstack.py); leaves cannot deepen the stack and skip the check
        if self.calls:
            weight = frame_weight(params + len(set(_SLOT.findall("\n".join(self.lines)))))
            # (one comparison when shallow; ENTRY_DEPTH: called from outside compiled code)
            if weight == 1:  # depth grows by 1-3 here (emit_call): n_deeper on crossing DEEP
                header += [f"    if _d >= {DEEP}:",
                           f"        if _d == {ENTRY_DEPTH}:", "            _d = n_enter()",
                           f"        elif _d > {MAX_CALL_DEPTH} or _d <= {DEEP + 2}:",
                           "            n_deeper(_d)"]
            else:  # a large frame counts for several calls
                header += [f"    if _d == {ENTRY_DEPTH}:", f"        _d = n_enter({weight})",
                           "    else:", f"        _d += {weight - 1}",
                           f"        if _d >= {DEEP}:", "            n_deeper(_d)"]
        # declared locals start at zero: only those some path reads before writing
        # need that zero in Python (see .assignment)
        for index in sorted(locals_read_before_written(self.function.body, params,
                                                       len(local_types))):
            header.append(f"    l{index} = {_default_literal(local_types[index - params])}")
        if self.uses_b:
            header.append("    _b = 0")
        if not self.lines:
            self.emit("pass")
        self.line_table = self.sites.table(len(header))
        return "\n".join(header + self.lines) + "\n"

    # ------------------------------------------------------------------ sequences
    def innermost_loop(self) -> Frame | None:
        """The innermost frame translated as a Python ``while``."""
        for frame in reversed(self.frames):
            if frame.py_loop:
                return frame
        return None

    def emit_sequence(self, frame: Frame, body: tuple[Instruction, ...]) -> None:
        """Translate the instructions of one body, with guards after pending branches."""
        base = self.ind
        saved_pending: set[int] = set()
        guard_at = -1  # index of the open guard's line, or -1
        last = len(body) - 1
        handlers = self.HANDLERS
        for k, ins in enumerate(body):
            if self.unreachable:
                break
            if self.pending:
                if not self.resolve_in_loop():
                    if guard_at >= 0:
                        self.close_guard(base, guard_at)
                    saved_pending |= self.pending
                    self.pending = set()
                    guard_at = len(self.lines)
                    self.emit("if not _b:")
                    self.indent()
            self.sites.position = ins.position
            handler = handlers.get(ins.opcode)  # structured instructions have none
            if handler is not None:
                handler(self, ins)
            else:
                self.emit_instruction(ins, k == last)
        if self.pending and not self.unreachable and not self.resolve_in_loop():
            # branches pending here must skip the fallthrough's result moves
            if guard_at >= 0:
                self.close_guard(base, guard_at)
            saved_pending |= self.pending
            self.pending = set()
            guard_at = len(self.lines)
            self.emit("if not _b:")
            self.indent()
        if self.pending and self.unreachable and frame.py_loop:
            # escapes from an inner ``while`` still pending: pass them on
            if not self.resolve_in_loop():
                raise CannotCompile("pending branch lost at the end of a loop")
        if guard_at >= 0:
            # the fallthrough results must be placed before leaving the guard
            self.place_results(frame)
            self.close_guard(base, guard_at)
            self.pending |= saved_pending

    def close_guard(self, base: int, guard_at: int) -> None:
        """Leave an ``if not _b:`` guard; drop it if nothing was emitted inside."""
        self.ind = base
        if len(self.lines) == guard_at + 1:
            del self.lines[guard_at]
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
            self.emit_block(ins, tail)
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

    # ------------------------------------------------------------------ structured
    def emit_block(self, block: Block, tail: bool) -> None:
        """Translate block, loop, if or try_table."""
        params, results = self.block_signature(block)
        op = block.opcode
        targeted = id(block) in self.targeted
        depth = len(self.frames)
        if len(self.local_ranges) > MAX_FACTS:
            self.local_ranges = {}  # copied at each construct: keep that cost bounded
        if op == Op.IF:
            cond = self.stack.pop()
            self.stack.flush_all(force_from=len(self.stack) - len(params))
            height = len(self.stack) - len(params)
            frame = Frame("if", depth, height, params, results, tail=tail, targeted=targeted,
                          node=block)
            entry_facts = dict(self.local_ranges)
            self.learn(cond, True)
            self.emit_if(frame, block, cond, entry_facts)
            self.local_ranges = self.facts_after(entry_facts, block)
            return
        if op == Op.TRY_TABLE:
            self.stack.flush_all()
            height = len(self.stack) - len(params)
            frame = Frame("try", depth, height, params, results, tail=tail, targeted=targeted,
                          node=block)
            entry_facts = dict(self.local_ranges)
            self.emit_try(frame, block)
            self.local_ranges = self.facts_after(entry_facts, block)
            return
        entry_facts = dict(self.local_ranges)
        after_facts = self.facts_after(entry_facts, block)
        kind = "loop" if op == Op.LOOP else "block"
        py_loop = kind == "loop" and targeted
        one_shot = kind == "block" and targeted and self.one_shot_ok(block)
        if py_loop:
            self.local_ranges = dict(after_facts)
        if targeted:
            self.stack.flush_all(force_from=len(self.stack) - len(params) if py_loop else None)
        height = len(self.stack) - len(params)
        frame = Frame(kind, depth, height, params, results, py_loop=py_loop or one_shot,
                      tail=tail, targeted=targeted, node=block)
        self.frames.append(frame)
        if one_shot:
            self.emit_one_shot(frame, block.body)
        elif py_loop:
            self.py_blocks += 1
            if self.py_blocks > MAX_PY_BLOCKS:
                raise CannotCompile("too many nested loops for Python")
            header = len(self.lines)
            self.emit("while True:")
            self.indent()
            if self.fuel:
                self.charge(block.body, loop_label=block)
            self.emit_sequence(frame, block.body)
            self.finish_frame_body(frame)
            if not self.unreachable:
                self.emit("break")
            self.dedent()
            self.tidy_loop(header)
            self.py_blocks -= 1
            self.frames.pop()
            # after the while: reachable by falling off the body, or pending escapes
            self.pending = set(frame.escapes)
            self.unreachable = self.unreachable and not frame.tail_break
        else:
            self.emit_sequence(frame, block.body)
            self.finish_frame_body(frame)
            self.frames.pop()
            self.close_target(frame)
        self.stack.items[frame.height:] = self.result_entries(frame)
        self.local_ranges = after_facts

    def one_shot_ok(self, block: Block) -> bool:
        """Whether a targeted ``block`` may become a one-shot ``while True: ...; break``.

        Not when its nested ``while``/``try`` statements would then exceed Python's limit
        of statically nested blocks, nor when a branch inside leaves it for an enclosing
        loop (that ``continue`` would have to escape the one-shot ``while`` first), nor
        when every branch to it comes from a loop inside it (nothing to gain).
        """
        if self.facts_pending:
            # (``targeted`` may since have grown, by blocks of other bodies only)
            for body in self.facts_pending:
                self.block_facts.update(block_facts(body, self.targeted))
            self.facts_pending.clear()
        facts = self.block_facts.get(id(block))
        if facts is None or facts.loop_exits or not facts.direct:
            return False
        return self.py_blocks + 1 + facts.nesting <= MAX_PY_BLOCKS

    def emit_one_shot(self, frame: Frame, body: tuple[Instruction, ...]) -> None:
        """Translate a targeted block as ``while True: <body>; break``.

        A branch to the block is ``break`` (or, from inside a nested ``while``, a pending
        ``_b`` that the nested loop's exit turns into ``_b = 0; break``); the values it
        carries are in the block's result slots on every path, as in the ``_b`` scheme.
        """
        self.py_blocks += 1
        self.emit("while True:")
        self.indent()
        self.emit_sequence(frame, body)
        self.finish_frame_body(frame)
        if not self.unreachable:
            self.emit("break")
            frame.tail_break = True
        self.dedent()
        self.py_blocks -= 1
        self.frames.pop()
        self.pending = set(frame.escapes)
        self.unreachable = not frame.tail_break

    def tidy_loop(self, header: int) -> None:
        """Polish a just-emitted ``while True:``: drop a ``continue`` that ends the body.

        (A leading ``if c: break`` is deliberately *not* turned into ``while not c:``:
        CPython 3.11 fuses a comparison with a forward conditional jump but not with the
        backward jump a ``while`` condition compiles to, so ``while True`` is faster.)
        """
        lines = self.lines
        head = lines[header]
        inner = head[:len(head) - len(head.lstrip())] + "    "
        if lines[-1] == inner + "continue" and len(lines) > header + 2:
            lines.pop()
            self.sites.delete(len(lines))

    def emit_if(self, frame: Frame, block: Block, cond: Entry,
                entry_facts: dict[int, Range]) -> None:
        """Translate ``if`` as a Python if/else."""
        self.frames.append(frame)
        self.emit(f"if {cond.expr}:")
        entry_stack = list(self.stack.items)
        self.indent()
        start = len(self.lines)
        self.emit_sequence(frame, block.body)
        self.finish_frame_body(frame)
        if len(self.lines) == start:
            self.emit("pass")
        self.dedent()
        then_unreachable, then_pending = self.unreachable, self.pending
        self.unreachable, self.pending = False, set()
        self.stack.items = list(entry_stack)
        self.local_ranges = dict(entry_facts)
        self.learn(cond, False)
        if block.else_body:
            self.emit("else:")
            self.indent()
            start = len(self.lines)
            self.emit_sequence(frame, block.else_body)
            self.finish_frame_body(frame)
            if len(self.lines) == start:
                self.emit("pass")
            self.dedent()
        else:
            self.finish_frame_body(frame)  # params already sit in the result slots
        self.unreachable = self.unreachable and then_unreachable
        self.pending |= then_pending
        self.frames.pop()
        self.close_target(frame)
        self.stack.items[frame.height:] = self.result_entries(frame)

    def emit_try(self, frame: Frame, block: Block) -> None:
        """Translate ``try_table`` as try/except WasmThrow with branching handlers."""
        self.py_blocks += 1
        if self.py_blocks > MAX_PY_BLOCKS:
            raise CannotCompile("too many nested try blocks for Python")
        self.frames.append(frame)
        entry_stack = list(self.stack.items)
        self.emit("try:")
        self.indent()
        start = len(self.lines)
        self.emit_sequence(frame, block.body)
        self.finish_frame_body(frame)
        if len(self.lines) == start:
            self.emit("pass")
        self.dedent()
        self.py_blocks -= 1
        self.frames.pop()
        body_unreachable, body_pending = self.unreachable, self.pending
        # handlers run with the stack as it was below the try_table's parameters
        self.stack.items = entry_stack[:frame.height]
        self.unreachable, self.pending = False, set()
        exc = f"_e{frame.depth}"
        self.emit(f"except WasmThrow as {exc}:")
        self.indent()
        self.emit_catches(block, exc)
        self.dedent()
        self.unreachable = body_unreachable
        self.pending |= body_pending
        self.close_target(frame)
        self.stack.items[frame.height:] = self.result_entries(frame)

    def emit_catches(self, block: Block, exc: str) -> None:
        """Emit the dispatch of an exception to the try_table's catch clauses."""
        first = True
        for catch in block.immediates[1]:
            if catch.kind in (0, 1):
                keyword = "if" if first else "elif"
                self.emit(f"{keyword} {exc}.tag is TAG{catch.tag}:")
                first = False
            else:
                if not first:
                    self.emit("else:")
            self.indent()
            saved = list(self.stack.items)
            values: list[Entry] = []
            if catch.kind in (0, 1):
                count = len(self.ctx.tag_types[catch.tag].params)
                values = [Entry(f"{exc}.values[{i}]", frozenset((exc,)), depth=1)
                          for i in range(count)]
            if catch.kind in (1, 3):
                values.append(var_entry(exc))
            for v in values:
                self.stack.push(v)
            self.jump(catch.label, len(values))
            self.stack.items = saved
            self.unreachable = False
            self.dedent()
            if catch.kind in (2, 3):
                return
        if first:
            self.emit("raise")
        else:
            self.emit("else:")
            self.indent()
            self.emit("raise")
            self.dedent()

    # ------------------------------------------------------------------ frame ends
    def needs_merge(self, frame: Frame) -> bool:
        """Whether results must sit in their slot variables at the frame's end."""
        return frame.kind in ("if", "try") or (frame.targeted and frame.kind != "loop")

    def place_results(self, frame: Frame) -> None:
        """On the fallthrough path, move the frame's results into their slots."""
        if self.unreachable or not self.needs_merge(frame) or frame.kind == "func":
            return
        n = len(frame.results)
        self.move_values(frame.height, self.stack.top_n(n))
        frame_stack = self.stack.items
        for k in range(n):
            frame_stack[len(frame_stack) - n + k] = var_entry(f"s{frame.height + k}")

    def finish_frame_body(self, frame: Frame) -> None:
        """End of a body: place fallthrough results (idempotent after emit_sequence)."""
        if frame.kind != "func":
            self.place_results(frame)

    def close_target(self, frame: Frame) -> None:
        """At the end of a block/if/try: clear ``_b`` if branches to it are pending."""
        if frame.depth in self.pending:
            if self.pending == {frame.depth}:
                self.emit("_b = 0")
            else:
                self.emit(f"if _b == {frame.depth}:")
                self.indent()
                self.emit("_b = 0")
                self.dedent()
            self.pending.discard(frame.depth)
            self.unreachable = False
        elif frame.tail_break:
            self.unreachable = False

    def result_entries(self, frame: Frame) -> list[Entry]:
        """Stack entries for the frame's results after its end."""
        n = len(frame.results)
        if self.needs_merge(frame):
            return [var_entry(f"s{frame.height + k}") for k in range(n)]
        current = self.stack.items
        if len(current) - n < frame.height:  # unreachable end: any placeholder will do
            return [const_entry(0, "None") for _ in range(n)]
        return current[len(current) - n:] if n else []

    # ------------------------------------------------------------------ branches
    def move_values(self, base: int, values: list[Entry]) -> None:
        """Assign ``values`` to slots ``s<base>``, ``s<base+1>``, ... (parallel assignment).

        Only used on a taken branch, after which the current stack is dead, so no other
        entry needs protecting from the assignment.
        """
        targets, sources = [], []
        for k, value in enumerate(values):
            name = f"s{base + k}"
            if value.expr != name:
                targets.append(name)
                sources.append(value.expr)
        if targets:
            self.emit(f"{', '.join(targets)} = {', '.join(sources)}")

    def jump(self, relative: int, arity: int) -> None:
        """Emit a branch to label ``relative`` carrying the top ``arity`` stack values.

        Leaves the stack unchanged; the caller marks the code after it unreachable
        when the branch is unconditional.
        """
        target = self.frames[-1 - relative]
        values = self.stack.top_n(arity)
        if target.kind == "func":
            self.emit_return(values)
            return
        self.move_values(target.height, values)
        loop = self.innermost_loop()
        if target.kind == "loop":
            if target is loop:
                self.emit("continue")
            else:
                self.uses_b = True
                self.emit(f"_b = {target.depth}")
                self.emit("break")
                if loop is not None:
                    loop.escapes.add(target.depth)
            return
        if target is loop:  # a one-shot block
            self.emit("break")
            target.tail_break = True
            return
        if loop is None or target.depth > loop.depth:
            self.uses_b = True
            self.emit(f"_b = {target.depth}")
            self.pending.add(target.depth)
            return
        if self.tail_break_ok(loop, target):
            self.emit("break")
            for frame in self.frames[self.frames.index(target):]:
                frame.tail_break = True
            return
        self.uses_b = True
        self.emit(f"_b = {target.depth}")
        self.emit("break")
        loop.escapes.add(target.depth)

    def tail_break_ok(self, loop: Frame, target: Frame) -> bool:
        """A plain ``break`` reaches ``target``'s end if everything between is a tail."""
        if target.results or target.kind == "try":
            return False
        chain = self.frames[self.frames.index(target) + 1:]
        start = chain.index(loop)
        if any(f.py_loop for f in chain[start + 1:]):
            return False
        for frame in chain[:start + 1]:
            if not frame.tail or frame.results or frame.kind == "try":
                return False
        return True

    def emit_return(self, values: list[Entry]) -> None:
        """Emit ``return`` with the function's results."""
        if not values:
            self.emit("return")
        elif len(values) == 1:
            self.emit(f"return {values[0].expr}")
        else:
            self.emit(f"return ({', '.join(v.expr for v in values)})")

    # ------------------------------------------------------------------ fuel
    def charge(self, body: tuple[Instruction, ...], loop_label: Block | None) -> None:
        """Emit the fuel charge for one entry into ``body`` (function or loop iteration)."""
        count = straight_count(body, self.targeted)
        label = "None"
        where = "None"
        if loop_label is not None:
            name = loop_label.label
            label = repr(f"${name}" if name else f"loop@{loop_label.position}")
            where = repr(loop_label.position)
        self.emit(f"FUEL.remaining -= {count}")
        self.emit("if FUEL.remaining < 0:")
        self.indent()
        self.emit(f"raise n_out_of_fuel({self.name!r}, {label}, {where})")
        self.dedent()

    # ------------------------------------------------------------------ inlining
    def try_inline(self, index: int) -> bool:
        """Inline a direct call to a small defined function; return False to call it.

        The callee's body becomes a block whose label stands for its function label
        (``return`` inside branches to its end); its locals get fresh Python names. A
        function is inlined into itself at most once (recursion), and nowhere deeper than
        two levels, so translation stays bounded.
        """
        ctx = self.ctx
        if index < ctx.imported_functions or len(self.inline_frames) >= 2:
            return False
        size = ctx.function_size(index, INLINE_MAX)
        if size > INLINE_MAX or size > self.inline_budget:
            return False
        callee = ctx.module.functions[index - ctx.imported_functions]
        known = ctx.inline_facts.get(index)
        if known is None:
            # what the callee's body allows, the same at every call site
            known = ctx.inline_facts[index] = (
                scan_targets(callee.body),
                _uses(callee.body, (Op.TRY_TABLE, Op.RETURN_CALL, Op.RETURN_CALL_INDIRECT,
                                    Op.RETURN_CALL_REF)),
                _uses(callee.body, (Op.RETURN,)) or _branches_out(callee.body))
        scan, excluded, targeted = known
        if (scan.max_loop_nesting + self.py_blocks > MAX_PY_BLOCKS - 2
                or self.ind + 2 * scan.max_depth > MAX_INDENT - 10 or excluded):
            return False
        self.inline_budget -= size
        ft = ctx.function_types[index]
        args = self.stack.pop_n(len(ft.params))
        self.stack.flush_impure()
        self.inline_count += 1
        prefix = f"i{self.inline_count}_"
        names = [f"{prefix}{k}" for k in range(len(ft.params))]
        if names:
            self.emit(f"{', '.join(names)} = {', '.join(a.expr for a in args)}")
        callee_ranges: dict[int, Range] = {}
        for k, arg in enumerate(args):
            if arg.lo is not None and arg.hi is not None:
                callee_ranges[k] = (arg.lo, arg.hi)
        for k, t in enumerate(callee.locals):
            position = len(ft.params) + k
            self.emit(f"{prefix}{position} = {_default_literal(t)}")
            if t is I32 or t is I64:
                callee_ranges[position] = (0, 0)
        saved = (self.local_prefix, self.local_ranges, self.local_refs, self.type, self.name,
                 self.function)
        self.local_prefix, self.local_ranges, self.local_refs = prefix, callee_ranges, {}
        self.type, self.function = ft, callee
        self.name = ctx.module.function_name(index)
        self.targeted |= scan.targeted
        self.facts_pending.append(callee.body)
        height = len(self.stack)
        # a callee with returns becomes a one-shot ``while`` (``return`` is ``break``)
        # when Python's block limit leaves room for it
        one_shot = targeted and scan.max_loop_nesting + self.py_blocks + 1 <= MAX_PY_BLOCKS
        frame = Frame("block", len(self.frames), height, (), ft.results, py_loop=one_shot,
                      targeted=targeted)
        self.frames.append(frame)
        self.inline_frames.append(frame)
        self.sites.enter(index)
        if self.fuel:
            self.charge(callee.body, loop_label=None)
        if one_shot:
            self.emit_one_shot(frame, callee.body)  # pops the frame
        else:
            self.emit_sequence(frame, callee.body)
            self.finish_frame_body(frame)
            self.frames.pop()
        self.inline_frames.pop()
        self.sites.leave()
        self.close_target(frame)
        self.stack.items[height:] = self.result_entries(frame)
        (self.local_prefix, self.local_ranges, self.local_refs, self.type, self.name,
         self.function) = saved
        return True

    # ------------------------------------------------------------------ ranges
    def local_name(self, index: int) -> str:
        """The Python variable of local ``index`` in the current (possibly inlined) scope."""
        return f"{self.local_prefix}{index}"

    def local_entry(self, index: int) -> Entry:
        """A stack entry reading local ``index``, with what is known of its range."""
        name = f"{self.local_prefix}{index}"
        known = self.local_ranges.get(index)
        if known is None:
            return Entry(name, frozenset((name,)))
        return Entry(name, frozenset((name,)), lo=known[0], hi=known[1])

    def set_local_range(self, index: int, value: Entry) -> None:
        """Record the range of the value just assigned to local ``index``."""
        if value.lo is not None and value.hi is not None:
            self.local_ranges[index] = (value.lo, value.hi)
        else:
            self.local_ranges.pop(index, None)

    def learn(self, cond: Entry, truth: bool) -> None:
        """Narrow local ranges with what holds where ``cond`` is ``truth``."""
        prefix = self.local_prefix
        for name, (lo, hi) in condition_facts(cond, truth):
            if not name.startswith(prefix) or not name[len(prefix):].isdigit():
                continue
            index = int(name[len(prefix):])
            old = self.local_ranges.get(index)
            if old is not None:
                lo, hi = max(lo, old[0]), min(hi, old[1])
            if lo <= hi:
                self.local_ranges[index] = (lo, hi)

    def facts_after(self, entry_facts: dict[int, Range], block: Block) -> dict[int, Range]:
        """Facts valid after a construct: those from its entry about locals it never sets."""
        assigned = assigned_locals(block, self.assigned_cache)
        return {k: v for k, v in entry_facts.items() if k not in assigned}

    # ------------------------------------------------------------------ helpers
    def new_temp(self) -> str:
        self.temp_count += 1
        return f"t{self.temp_count}"

    def push_const(self, value: int | float, text: str | None = None) -> None:
        self.stack.push(const_entry(value, text))




def _uses(body: tuple[Instruction, ...], opcodes: tuple[int, ...]) -> bool:
    """True if any instruction in ``body`` (nested included) has one of ``opcodes``."""
    work = [body]
    while work:
        for ins in work.pop():
            if ins.opcode in opcodes:
                return True
            if isinstance(ins, Block):
                work.append(ins.body)
                if ins.else_body:
                    work.append(ins.else_body)
    return False


def _branches_out(body: tuple[Instruction, ...]) -> bool:
    """True if a branch in ``body`` targets the function's own label."""
    work: list[tuple[tuple[Instruction, ...], int]] = [(body, 0)]
    while work:
        seq, depth = work.pop()
        for ins in seq:
            op = ins.opcode
            if isinstance(ins, Block):
                work.append((ins.body, depth + 1))
                if ins.else_body:
                    work.append((ins.else_body, depth + 1))
                if op == Op.TRY_TABLE and any(c.label == depth for c in ins.immediates[1]):
                    return True
            elif op in (Op.BR, Op.BR_IF, Op.BR_ON_NULL, Op.BR_ON_NON_NULL):
                if ins.immediates[0] == depth:
                    return True
            elif op == Op.BR_TABLE:
                if depth in ins.immediates[0] or ins.immediates[1] == depth:
                    return True
    return False
