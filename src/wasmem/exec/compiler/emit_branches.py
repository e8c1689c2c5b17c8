"""Emitters of branches and other unstructured control: ``br``, ``br_if``, ``br_table``,
``br_on_null``, ``return``, ``unreachable``, ``throw``.

A branch assigns the values it carries to the target's result slots, then leaves
(``continue``/``break``/``return``) or marks itself pending in ``_b`` (see
:mod:`.frames`). Each function takes the :class:`~.codegen.FunctionCompiler` first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ...syntax.instructions import Instruction
from ...syntax.opcodes import BY_NAME
from .frames import Frame
from .joins import record_edge
from .stack import Entry, var_entry

if TYPE_CHECKING:
    from .codegen import FunctionCompiler

__all__ = ["HANDLERS", "emit_return", "jump", "move_values"]

Handler = Callable[["FunctionCompiler", Instruction], None]


def move_values(c: FunctionCompiler, base: int, values: list[Entry]) -> None:
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
        c.stack.slots = max(c.stack.slots, base + len(values))
        c.emit(f"{', '.join(targets)} = {', '.join(sources)}")


def jump(c: FunctionCompiler, relative: int, arity: int) -> None:
    """Emit a branch to label ``relative`` carrying the top ``arity`` stack values.

    Leaves the stack unchanged; the caller marks the code after it unreachable
    when the branch is unconditional.
    """
    frames = c.frames
    target = frames[-1 - relative]
    values = c.stack.top_n(arity)
    if target.kind == "func":
        emit_return(c, values)
        return
    if values:
        move_values(c, target.height, values)
    loop = frames[-1].loop  # (c.innermost_loop(), inline)
    if target.kind == "loop":
        if target is loop:
            c.emit("continue")
        else:
            c.uses_b = True
            c.emit(f"_b = {target.depth}")
            c.emit("break")
            if loop is not None:
                loop.escapes.add(target.depth)
        return
    if target is loop:  # a one-shot block
        c.emit("break")
        target.tail_break = True
        return
    if loop is None or target.depth > loop.depth:
        c.uses_b = True
        c.emit(f"_b = {target.depth}")
        c.pending.add(target.depth)
        return
    if tail_break_ok(c, loop, target):
        c.emit("break")
        for frame in c.frames[c.frames.index(target):]:
            frame.tail_break = True
        return
    c.uses_b = True
    c.emit(f"_b = {target.depth}")
    c.emit("break")
    loop.escapes.add(target.depth)


def tail_break_ok(c: FunctionCompiler, loop: Frame, target: Frame) -> bool:
    """A plain ``break`` reaches ``target``'s end if everything between is a tail."""
    if target.results or target.kind == "try":
        return False
    chain = c.frames[c.frames.index(target) + 1:]
    start = chain.index(loop)
    if any(f.py_loop for f in chain[start + 1:]):
        return False
    for frame in chain[:start + 1]:
        if not frame.tail or frame.results or frame.kind == "try":
            return False
    return True


def emit_return(c: FunctionCompiler, values: list[Entry]) -> None:
    """Emit ``return`` with the function's results."""
    if not values:
        c.emit("return")
    elif len(values) == 1:
        c.emit(f"return {values[0].expr}")
    else:
        c.emit(f"return ({', '.join(v.expr for v in values)})")


def op_nop(c: FunctionCompiler, ins: Instruction) -> None:
    pass


def op_unreachable(c: FunctionCompiler, ins: Instruction) -> None:
    c.stack.flush_impure()
    c.emit("raise n_unreachable()")
    c.unreachable = True


def op_return(c: FunctionCompiler, ins: Instruction) -> None:
    n = len(c.type.results)
    c.stack.flush_impure(keep_top=n)
    if c.inline_frames:
        target = c.inline_frames[-1]
        jump(c, len(c.frames) - 1 - c.frames.index(target), n)
    else:
        emit_return(c, c.stack.top_n(n))
    c.unreachable = True


def label_arity(c: FunctionCompiler, relative: int) -> int:
    return c.frames[-1 - relative].label_arity


def _edge(c: FunctionCompiler, target: Frame, ins: Instruction, cond: Entry | None = None
          ) -> None:
    """Record the range facts on the edge from ``ins`` to ``target``'s end (see .joins);
    ``cond``: the edge is taken where it is nonzero."""
    if target.node is None or target.kind == "loop" or target.kind == "try":
        return
    if cond is None:
        record_edge(target, ins, c.local_ranges)
        return
    facts = c.local_ranges
    c.local_ranges = dict(facts)
    c.learn(cond, True)
    record_edge(target, ins, c.local_ranges)
    c.local_ranges = facts


def op_br(c: FunctionCompiler, ins: Instruction) -> None:
    relative = ins.immediates[0]
    arity = label_arity(c, relative)
    _edge(c, c.frames[-1 - relative], ins)
    c.stack.flush_impure(keep_top=arity)
    jump(c, relative, arity)
    c.unreachable = True


def op_br_if(c: FunctionCompiler, ins: Instruction) -> None:
    relative = ins.immediates[0]
    target = c.frames[-1 - relative]
    cond = c.stack.items.pop()
    c.stack.flush_impure()
    _edge(c, target, ins, cond)
    if target.guarded and not relative:
        # the rest of the block runs where the branch is not taken (see Frame.guarded)
        c.guards_used = True
        c.emit(f"if not ({cond.expr}):")
        c.indent()
        target.guards += 1
    else:
        _branch_if(c, cond.expr, relative, target.label_arity)
    c.learn(cond, False)


def _branch_if(c: FunctionCompiler, test: str | Callable[[], str], relative: int,
               arity: int) -> None:
    """Emit ``if <test>:`` branching to label ``relative`` with the top ``arity`` values
    (made variables or constants first: they are read on both paths). A callable
    ``test`` is called after that, so it can name the top value's new variable."""
    top = len(c.stack)
    for position in range(top - arity, top):
        c.stack.make_simple(position)
    c.emit(f"if {test if isinstance(test, str) else test()}:")
    c.indent()
    jump(c, relative, arity)
    c.dedent()


def op_br_table(c: FunctionCompiler, ins: Instruction) -> None:
    labels, default = ins.immediates
    arity = label_arity(c, default)
    for relative in {*labels, default}:
        _edge(c, c.frames[-1 - relative], ins)
    index = c.stack.pop()
    c.stack.flush_impure()
    top = len(c.stack)
    for position in range(top - arity, top):
        c.stack.make_simple(position)
    tuples = arity == 0 and len(set(labels)) > 4
    offset = _offset_index(index.expr) if tuples and not index.simple and (
        all(_pending_kind(c, r) for r in (*labels, default)) or
        _exits_shape(c, (*labels, default))) else None
    if offset is not None:  # ``x - d``: index the tuple with ``x``, ``d`` defaults first
        base, shift = offset
        if not base.isidentifier():
            temp = c.new_temp()
            c.emit(f"{temp} = {base}")
            base = temp
        index = var_entry(base)
        labels = (default,) * shift + tuple(labels)
    elif not index.simple:
        temp = c.new_temp()
        c.emit(f"{temp} = {index.expr}")
        index = var_entry(temp)
    if tuples:
        if all(_pending_kind(c, r) for r in labels):
            # many blocks: ``_b`` from a tuple (one test and a subscript, not a search)
            depths = [c.frames[-1 - r].depth for r in labels]
            c.uses_b = True
            c.pending.update(depths)
            c.emit(f"if {index.expr} < {len(labels)}:")
            c.indent()
            c.emit(f"_b = {tuple(depths)!r}[{index.expr}]")
            c.dedent()
            c.emit("else:")
            c.indent()
            jump(c, default, arity)
            c.dedent()
            c.unreachable = True
            return
        if _table_with_exits(c, index.expr, labels, default):
            return
        if offset is not None:
            raise AssertionError("br_table: an offset index outside the tuple forms")
    runs: list[tuple[int, int]] = []  # (first index, label); a run lasts to the next
    for i, label in enumerate(labels):
        if not runs or runs[-1][1] != label:
            runs.append((i, label))
    if not runs or runs[-1][1] != default:
        runs.append((len(labels), default))
    emit_runs(c, index.expr, runs, arity)
    c.unreachable = True


MAX_OFFSET = 64
"""Largest ``d`` of a ``br_table`` index ``x - d`` folded into its tuple (``d`` more
entries, all the default's)."""

_MODULUS = 1 << 32


def _offset_index(expr: str) -> tuple[str, int] | None:
    """``(x, d)`` when the i32 expression ``expr`` is ``x - d`` wrapped modulo 2**32 as
    :func:`.emit_numeric._wrapping` writes it (``x + (2**32 - d)`` or ``x - d`` by a
    constant ``d``, 0 < ``d`` <= :data:`MAX_OFFSET`), ``x`` the text of the exact
    operand: then ``x - d`` is a table's index ``i`` < ``n`` exactly when ``d <= x < n +
    d`` (for ``x < d`` it wraps to at least ``2**32 - d``, past any table), and the
    table shifted by ``d`` entries of the default can be indexed by ``x``. None for any
    other expression. Raises nothing."""
    if " if " not in expr:
        return None
    if expr.startswith("(") and expr.endswith(")"):
        expr = expr[1:-1]  # (the forms below are whole conditional expressions)
    found = re.fullmatch(_NAMED_WRAP, expr)
    if found is not None:  # ``_w if (_w := x + k) < 2**32 else _w - 2**32`` or ``- d``
        text, sign, constant, compare, bound, back = found.groups()
        if sign == "+" and compare == "<" and int(bound) == _MODULUS and back == "-":
            shift = _MODULUS - int(constant)
        elif sign == "-" and compare == ">=" and bound == "0" and back == "+":
            shift = int(constant)
        else:
            return None
    else:  # ``x - d if x >= d else x + (2**32 - d)``, ``x`` a name
        found = re.fullmatch(_NAME_WRAP, expr)
        if found is None:
            return None
        text, constant, added = found.group(1), found.group(2), found.group(3)
        shift = int(constant)
        if int(added) != _MODULUS - shift:
            return None
    if not 0 < shift <= MAX_OFFSET:
        return None
    return text, shift


# the two forms :func:`.emit_numeric._wrapping` writes for ``x - d`` (an operand's text
# is an atom or parenthesised, so the last `` + k)`` before the test is the top-level
# addition); matched as text: the ``ast`` module is not imported on a first result's path,
# and the patterns are compiled at their first use (by ``re``'s cache), not at import
# (0.5-1 ms of a first result that translates no such ``br_table``)
_NAMED_WRAP = r"_w if \(_w := (.+) ([+-]) (\d+)\) (<|>=) (\d+) else _w ([+-]) 4294967296"
_NAME_WRAP = r"([A-Za-z_]\w*) - (\d+) if \1 >= \2 else \1 \+ (\d+)"


def _table_with_exits(c: FunctionCompiler, index: str, labels: tuple[int, ...],
                      default: int) -> bool:
    """A ``br_table`` (no values carried) whose targets are ``_b`` targets inside the
    innermost ``while`` and blocks it leaves for: ``_b`` from a tuple, then one test
    for the targets outside (``_b = depth; break``, or ``_b = 0; break`` for the
    one-shot ``while`` itself). Returns False (nothing emitted) for other shapes."""
    loop = c.innermost_loop()
    if loop is None or not _exits_shape(c, (*labels, default)):
        return False
    values: list[int] = []
    for relative in (*labels, default):
        target = c.frames[-1 - relative]
        values.append(0 if target is loop else target.depth)
    inside = {v for v in values if v > loop.depth}
    outside = {v for v in values if v <= loop.depth}
    c.uses_b = True
    c.emit(f"_b = {tuple(values[:-1])!r}[{index}] if {index} < {len(labels)} "
           f"else {values[-1]}")
    if inside:
        c.emit(f"if _b <= {loop.depth}:")
        c.indent()
    c.emit("break")
    if inside:
        c.dedent()
    if 0 in outside:
        loop.tail_break = True
    loop.escapes |= outside - {0}
    c.pending |= inside
    c.unreachable = True
    return True


def _exits_shape(c: FunctionCompiler, targets: tuple[int, ...]) -> bool:
    """Whether :func:`_table_with_exits` applies to a table of these labels: an
    innermost ``while`` and no target that is a loop or the function."""
    return c.innermost_loop() is not None and all(
        c.frames[-1 - relative].kind not in ("func", "loop") for relative in targets)


def _pending_kind(c: FunctionCompiler, relative: int) -> bool:
    """Whether a branch to label ``relative`` is only ``_b = depth`` (see :func:`jump`)."""
    target = c.frames[-1 - relative]
    if target.kind in ("func", "loop"):
        return False
    loop = c.innermost_loop()
    return target is not loop and (loop is None or target.depth > loop.depth)


def emit_runs(c: FunctionCompiler, index: str, runs: list[tuple[int, int]],
              arity: int) -> None:
    """Binary search over the runs of equal targets; the last run is open-ended."""
    if len(runs) == 1:
        jump(c, runs[0][1], arity)
        return
    if len(runs) <= 4:
        for k, (_start, label) in enumerate(runs):
            if k < len(runs) - 1:
                c.emit(f"{'if' if k == 0 else 'elif'} {index} < {runs[k + 1][0]}:")
            else:
                c.emit("else:")
            c.indent()
            jump(c, label, arity)
            c.dedent()
        return
    middle = len(runs) // 2
    c.emit(f"if {index} < {runs[middle][0]}:")
    c.indent()
    emit_runs(c, index, runs[:middle], arity)
    c.dedent()
    c.emit("else:")
    c.indent()
    emit_runs(c, index, runs[middle:], arity)
    c.dedent()


def op_br_on_null(c: FunctionCompiler, ins: Instruction) -> None:
    relative = ins.immediates[0]
    arity = label_arity(c, relative)
    c.stack.flush_impure()
    ref = c.stack.make_simple(len(c.stack) - 1)
    c.stack.pop()
    _branch_if(c, f"{ref.expr} is None", relative, arity)
    c.stack.push(ref)


def op_br_on_non_null(c: FunctionCompiler, ins: Instruction) -> None:
    relative = ins.immediates[0]
    arity = label_arity(c, relative)
    c.stack.flush_impure()
    _branch_if(c, lambda: f"{c.stack.items[-1].expr} is not None", relative, arity)
    c.stack.pop()


def op_throw(c: FunctionCompiler, ins: Instruction) -> None:
    tag = ins.immediates[0]
    count = len(c.ctx.tag_types[tag].params)
    values = c.stack.pop_n(count)
    c.stack.flush_impure()
    payload = "".join(f"{v.expr}, " for v in values)
    c.emit(f"raise WasmThrow(TAG{tag}, ({payload}))")
    c.unreachable = True


def op_throw_ref(c: FunctionCompiler, ins: Instruction) -> None:
    ref = c.stack.pop()
    c.stack.flush_impure()
    c.emit(f"raise n_throw_ref({ref.expr})")
    c.unreachable = True


HANDLERS: dict[int, Handler] = {BY_NAME[name].key: handler for name, handler in {
    "nop": op_nop, "unreachable": op_unreachable, "return": op_return, "br": op_br,
    "br_if": op_br_if, "br_table": op_br_table, "br_on_null": op_br_on_null,
    "br_on_non_null": op_br_on_non_null, "throw": op_throw, "throw_ref": op_throw_ref,
}.items()}
"""Emitters of this family by opcode key."""
