"""Emitters of structured control: ``block``, ``loop``, ``if``, ``try_table``, frame ends.

See :mod:`.frames` for how WebAssembly's structured control maps onto Python. Each
function takes the :class:`~.codegen.FunctionCompiler` as its first argument ``c``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import Op
from ...syntax.types import ValType
from ..fuel import straight_count
from .bulk import BulkLoop, match_bulk_loop
from .emit_branches import jump, move_values
from .frames import MAX_PY_BLOCKS, Frame, block_facts
from .joins import facts_at_end, join_facts
from .loop_facts import header_facts
from .slots import forget_slots
from .ranges import MAX_FACTS, Range, assigned_locals
from .stack import CannotCompile, Entry, const_entry, var_entry

if TYPE_CHECKING:
    from .codegen import FunctionCompiler

__all__ = ["charge", "close_target", "emit_block", "emit_one_shot", "finish_frame_body",
           "place_results", "result_entries"]


def emit_block(c: FunctionCompiler, block: Block, tail: bool) -> None:
    """Translate block, loop, if or try_table."""
    params: tuple[ValType, ...] = ()
    results: tuple[ValType, ...] = ()
    if block.immediates[0] is not None:  # (none: the commonest block type)
        params, results = c.block_signature(block)
    op = block.opcode
    targeted = id(block) in c.targeted
    depth = len(c.frames)
    if len(c.local_ranges) > MAX_FACTS:
        c.local_ranges = {}  # copied at each construct: keep that cost bounded
    if op == Op.IF:
        cond = c.stack.pop()
        c.stack.flush_all(force_from=len(c.stack) - len(params))
        height = len(c.stack) - len(params)
        frame = Frame("if", depth, height, params, results, False, tail, targeted, False,
                      block)
        entry_facts = dict(c.local_ranges)
        c.learn(cond, True)
        arms = emit_if(c, frame, block, cond, entry_facts)
        c.local_ranges = facts_at_end(frame, block, arms, c.facts_after(entry_facts, block),
                                      c.edge_cache, c.function.body)
        return
    if op == Op.TRY_TABLE:
        forget_slots(c)
        c.stack.flush_all()
        height = len(c.stack) - len(params)
        frame = Frame("try", depth, height, params, results, False, tail, targeted, False,
                      block)
        entry_facts = dict(c.local_ranges)
        emit_try(c, frame, block)
        c.local_ranges = c.facts_after(entry_facts, block)
        return
    after_facts = c.facts_after(c.local_ranges, block)
    kind = "loop" if op == Op.LOOP else "block"
    py_loop = kind == "loop" and targeted
    guarded = kind == "block" and c.guards_allowed and id(block) in c.guardable
    one_shot = kind == "block" and targeted and not guarded and one_shot_ok(c, block)
    if py_loop:
        c.local_ranges = header_facts(block, c.local_ranges, after_facts,
                                      assigned_locals(block, c.assigned_cache))
        if c.local_ranges is after_facts:
            c.local_ranges = dict(after_facts)
    if targeted:
        c.stack.flush_all(force_from=len(c.stack) - len(params) if py_loop else None)
    height = len(c.stack) - len(params)
    frame = Frame(kind, depth, height, params, results, py_loop or one_shot, tail, targeted,
                  False, block)  # (positional: no keyword dict per construct)
    c.push_frame(frame)
    fell: dict[int, Range] | None = None  # the facts where the body falls through
    if guarded:
        frame.guarded = True
        base = c.ind
        c.emit_sequence(frame, block.body)
        fell = None if c.unreachable else c.local_ranges
        if frame.guards and c.lines[-1].endswith(":"):
            c.emit("pass")  # a guard with nothing after it (its condition still runs)
        c.frames.pop()
        c.ind = base
        if frame.guards:  # where a guard's condition held, the block's end is reached
            c.unreachable = False
    elif one_shot:
        fell = emit_one_shot(c, frame, block.body)
    elif py_loop:
        c.py_blocks += 1
        if c.py_blocks > MAX_PY_BLOCKS:
            raise CannotCompile("too many nested loops for Python")
        forget_slots(c)  # a loop's body is entered from its back edges too (.slots)
        bulk = None if c.fuel or params or results else match_bulk_loop(block)
        if bulk is not None and not c.ctx.memory64(bulk.memory):
            emit_bulk_guard(c, bulk)  # the loop below is its ``else`` branch
        header = len(c.lines)
        c.emit("while True:")
        c.indent()
        if c.fuel:
            charge(c, block.body, loop_label=block)
        c.emit_sequence(frame, block.body)
        if bulk is None and not c.unreachable:  # the loop's end: reached by falling only
            after_facts = facts_at_end(frame, block, c.local_ranges, after_facts,
                                       c.edge_cache, loop=True)
        finish_frame_body(c, frame)
        if not c.unreachable:
            c.emit("break")
        c.dedent()
        tidy_loop(c, header)
        if bulk is not None and not c.ctx.memory64(bulk.memory):
            c.dedent()
            c.unreachable = False  # the fast path falls through
        c.py_blocks -= 1
        c.frames.pop()
        # after the while: reachable by falling off the body, or pending escapes
        c.pending = set(frame.escapes)
        c.unreachable = c.unreachable and not frame.tail_break
    else:
        c.emit_sequence(frame, block.body)
        fell = None if c.unreachable else c.local_ranges
        finish_frame_body(c, frame)
        c.frames.pop()
        close_target(c, frame)
    c.stack.items[frame.height:] = result_entries(c, frame)
    if not py_loop:  # (a loop's end: above; a loop no branch targets is a block)
        after_facts = facts_at_end(frame, block, fell, after_facts, c.edge_cache,
                                   c.function.body)
    c.local_ranges = after_facts


def one_shot_ok(c: FunctionCompiler, block: Block) -> bool:
    """Whether a targeted ``block`` may become a one-shot ``while True: ...; break``.

    Not when its nested ``while``/``try`` statements would then exceed Python's limit
    of statically nested blocks, nor when a branch inside leaves it for an enclosing
    loop (that ``continue`` would have to escape the one-shot ``while`` first), nor
    when every branch to it comes from a loop inside it (nothing to gain), nor when
    it is a case of a switch (:attr:`~.frames.BlockFacts.switch`).
    """
    if c.facts_pending:
        # (``targeted`` may since have grown, by blocks of other bodies only)
        done = c.facts_done
        for body in c.facts_pending:
            if id(body) not in done:  # (a callee inlined again: its facts are known)
                done.add(id(body))
                c.block_facts.update(block_facts(body, c.targeted))
        c.facts_pending.clear()
    facts = c.block_facts.get(id(block))
    if facts is None or facts.loop_exits or not facts.direct or facts.switch:
        return False
    return c.py_blocks + 1 + facts.nesting <= MAX_PY_BLOCKS


def emit_one_shot(c: FunctionCompiler, frame: Frame, body: tuple[Instruction, ...]
                  ) -> dict[int, Range] | None:
    """Translate a targeted block as ``while True: <body>; break``; returns the range
    facts where the body falls through its end (None where it does not).

    A branch to the block is ``break`` (or, from inside a nested ``while``, a pending
    ``_b`` that the nested loop's exit turns into ``_b = 0; break``); the values it
    carries are in the block's result slots on every path, as in the ``_b`` scheme.
    """
    c.py_blocks += 1
    c.emit("while True:")
    c.indent()
    c.emit_sequence(frame, body)
    fell = None if c.unreachable else c.local_ranges
    finish_frame_body(c, frame)
    if not c.unreachable:
        c.emit("break")
        frame.tail_break = True
    c.dedent()
    c.py_blocks -= 1
    c.frames.pop()
    c.pending = set(frame.escapes)
    c.unreachable = not frame.tail_break
    return fell


def tidy_loop(c: FunctionCompiler, header: int) -> None:
    """Polish a just-emitted ``while True:``: drop a ``continue`` that ends the body.

    (A leading ``if c: break`` is deliberately *not* turned into ``while not c:``:
    CPython 3.11 fuses a comparison with a forward conditional jump but not with the
    backward jump a ``while`` condition compiles to, so ``while True`` is faster.)
    """
    lines = c.lines
    head = lines[header]
    inner = head[:len(head) - len(head.lstrip())] + "    "
    if lines[-1] == inner + "continue" and len(lines) > header + 2:
        lines.pop()
        c.levels.pop()
        c.sites.delete(len(lines))


def emit_if(c: FunctionCompiler, frame: Frame, block: Block, cond: Entry,
            entry_facts: dict[int, Range]) -> dict[int, Range] | None:
    """Translate ``if`` as a Python if/else; returns the range facts where either arm
    falls through to the end (their join; None where neither does)."""
    c.push_frame(frame)
    c.emit(f"if {cond.expr}:")
    c.slot_loads.clear()
    entry_slots = dict(c.slot_values)  # what the else body starts with (.slots)
    entry_views = dict(c.view_records)  # (and .view_records)
    entry_stack = list(c.stack.items)
    _indented_body(c, frame, block.body)
    then_unreachable, then_pending = c.unreachable, c.pending
    fell = None if then_unreachable else c.local_ranges
    c.unreachable, c.pending = False, set()
    c.stack.items = list(entry_stack)
    c.local_ranges = dict(entry_facts)
    c.learn(cond, False)
    if block.else_body:
        c.emit("else:")
        c.slot_values = entry_slots
        c.view_records = entry_views
        _indented_body(c, frame, block.else_body)
    else:
        finish_frame_body(c, frame)  # params already sit in the result slots
    if not c.unreachable:
        fell = c.local_ranges if fell is None else join_facts(fell, c.local_ranges)
    c.unreachable = c.unreachable and then_unreachable
    c.pending |= then_pending
    c.frames.pop()
    close_target(c, frame)
    c.stack.items[frame.height:] = result_entries(c, frame)
    return fell


def _indented_body(c: FunctionCompiler, frame: Frame, body: tuple[Instruction, ...]) -> None:
    """Translate one body of an ``if``/``else``/``try`` one level deeper (``pass`` if empty)."""
    c.indent()
    start = len(c.lines)
    c.emit_sequence(frame, body)
    finish_frame_body(c, frame)
    if len(c.lines) == start:
        c.emit("pass")
    c.dedent()


def emit_try(c: FunctionCompiler, frame: Frame, block: Block) -> None:
    """Translate ``try_table`` as try/except WasmThrow with branching handlers."""
    c.py_blocks += 1
    if c.py_blocks > MAX_PY_BLOCKS:
        raise CannotCompile("too many nested try blocks for Python")
    c.push_frame(frame)
    entry_stack = list(c.stack.items)
    c.emit("try:")
    _indented_body(c, frame, block.body)
    c.py_blocks -= 1
    c.frames.pop()
    body_unreachable, body_pending = c.unreachable, c.pending
    # handlers run with the stack as it was below the try_table's parameters
    c.stack.items = entry_stack[:frame.height]
    c.unreachable, c.pending = False, set()
    exc = f"_e{frame.depth}"
    c.emit(f"except WasmThrow as {exc}:")
    c.indent()
    emit_catches(c, block, exc)
    c.dedent()
    c.unreachable = body_unreachable
    c.pending |= body_pending
    close_target(c, frame)
    c.stack.items[frame.height:] = result_entries(c, frame)


def emit_catches(c: FunctionCompiler, block: Block, exc: str) -> None:
    """Emit the dispatch of an exception to the try_table's catch clauses."""
    first = True
    for catch in block.immediates[1]:
        if catch.kind in (0, 1):
            keyword = "if" if first else "elif"
            c.emit(f"{keyword} {exc}.tag is TAG{catch.tag}:")
            first = False
        else:
            if not first:
                c.emit("else:")
        c.indent()
        saved = list(c.stack.items)
        values: list[Entry] = []
        if catch.kind in (0, 1):
            count = len(c.ctx.tag_types[catch.tag].params)
            values = [Entry(f"{exc}.values[{i}]", frozenset((exc,)), depth=1)
                      for i in range(count)]
        if catch.kind in (1, 3):
            values.append(var_entry(exc))
        for v in values:
            c.stack.push(v)
        jump(c, catch.label, len(values))
        c.stack.items = saved
        c.unreachable = False
        c.dedent()
        if catch.kind in (2, 3):
            return
    if first:
        c.emit("raise")
    else:
        c.emit("else:")
        c.indent()
        c.emit("raise")
        c.dedent()


def needs_merge(c: FunctionCompiler, frame: Frame) -> bool:
    """Whether results must sit in their slot variables at the frame's end."""
    return frame.kind in ("if", "try") or (frame.targeted and frame.kind != "loop")


def place_results(c: FunctionCompiler, frame: Frame) -> None:
    """On the fallthrough path, move the frame's results into their slots."""
    if c.unreachable or not needs_merge(c, frame) or frame.kind == "func":
        return
    n = len(frame.results)
    move_values(c, frame.height, c.stack.top_n(n))
    frame_stack = c.stack.items
    for k in range(n):
        frame_stack[len(frame_stack) - n + k] = var_entry(f"s{frame.height + k}")


def finish_frame_body(c: FunctionCompiler, frame: Frame) -> None:
    """End of a body: place fallthrough results (idempotent after emit_sequence)."""
    if frame.kind != "func":
        place_results(c, frame)


def close_target(c: FunctionCompiler, frame: Frame) -> None:
    """At the end of a block/if/try: clear ``_b`` if branches to it are pending."""
    if frame.depth in c.pending:
        if c.pending == {frame.depth}:
            c.emit("_b = 0")
        else:
            if c.unreachable:
                # nothing falls through (a plain ``break`` out of a ``while`` that ends
                # here would have left it reachable): code after the end runs only when
                # this branch lands (emit_sequence may make this ``if`` its guard)
                c.landing = len(c.lines)
            c.emit(f"if _b == {frame.depth}:")
            c.indent()
            c.emit("_b = 0")
            c.dedent()
        c.pending.discard(frame.depth)
        c.unreachable = False
    elif frame.tail_break:
        c.unreachable = False


def result_entries(c: FunctionCompiler, frame: Frame) -> list[Entry]:
    """Stack entries for the frame's results after its end."""
    n = len(frame.results)
    if needs_merge(c, frame):
        return [var_entry(f"s{frame.height + k}") for k in range(n)]
    current = c.stack.items
    if len(current) - n < frame.height:  # unreachable end: any placeholder will do
        return [const_entry(0, "None") for _ in range(n)]
    return current[len(current) - n:] if n else []


def charge(c: FunctionCompiler, body: tuple[Instruction, ...], loop_label: Block | None) -> None:
    """Emit the fuel charge for one entry into ``body`` (function or loop iteration)."""
    count = straight_count(body, c.targeted)
    label = "None"
    where = "None"
    if loop_label is not None:
        name = loop_label.label
        label = repr(f"${name}" if name else f"loop@{loop_label.position}")
        where = repr(loop_label.position)
    c.emit(f"FUEL.remaining -= {count}")
    c.emit("if FUEL.remaining < 0:")
    c.indent()
    c.emit(f"raise n_out_of_fuel({c.name!r}, {label}, {where})")
    c.dedent()


_PYTHON_COMPARE = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "ne": "!="}
"""A bulk loop's exit comparison (unsigned, on values in [0, 2**32)) as Python's."""


def emit_bulk_guard(c: FunctionCompiler, loop: BulkLoop) -> None:
    """Emit ``if <the loop's work as one slice assignment succeeded>: <final values of
    its induction variables>`` and ``else:``, and indent: the translated loop follows
    as the ``else`` branch (the caller dedents after it)."""
    names = {index: f"{c.local_prefix}{index}" for index, _step in loop.steps}
    for name in names.values():
        c.stack.flush_refs(name)  # stack entries reading their values before the loop
    step = dict(loop.steps)
    counter = names[loop.counter]
    first = counter if not loop.counter_delta else \
        f"(({counter} + {loop.counter_delta}) & 0xFFFFFFFF)"
    if loop.bound[0] == "const":
        bound = str(loop.bound[1])
    else:
        name = f"{c.local_prefix}{loop.bound[1]}"
        bound = name if not loop.bound[2] else f"(({name} + {loop.bound[2]}) & 0xFFFFFFFF)"
    memory = f"M{loop.memory}"
    length = f"_k * {loop.chunk}"
    dest = names[loop.dest]
    if loop.fill is None:
        work = (f"n_bulk_copy({memory}, {dest}, {loop.dest_low}, {loop.dest_start}, "
                f"{names[loop.source]}, {loop.source_low}, {loop.source_start}, {length})")
    else:
        value = str(loop.fill[1]) if loop.fill[0] == "const" else \
            f"{c.local_prefix}{loop.fill[1]}"
        work = (f"n_bulk_fill({memory}, {dest}, {loop.dest_low}, {loop.dest_start}, "
                f"{length}, {value}, {loop.width})")
    # A loop that ends after its first iteration (a short copy: memcpy's 32-byte loop
    # for 32 to 63 bytes) runs as translated: cheaper than the two helper calls.
    again = f"{first} {_PYTHON_COMPARE[loop.compare]} {bound}"
    c.emit(f"if {again} and (_k := n_bulk_trips({first}, {step[loop.counter]}, "
           f"'{loop.compare}', {bound})) and {work}:")
    c.indent()
    for index, name in names.items():
        c.emit(f"{name} = ({name} + _k * {step[index]}) & 0xFFFFFFFF")
    c.dedent()
    c.emit("else:")
    c.indent()
