"""``call_indirect`` specialised on its likely targets: their bodies inlined behind a test.

A ``call_indirect`` whose type only a few small functions of the module's element
segments have (a ``qsort`` comparator, a callback, a vtable slot with one override)
becomes, after the usual lookup and type check (which trap exactly as before)::

    t2 = t1.call
    if t2 is F5:
        <the body of function 5, inlined as a direct call would be>
    else:
        <the general indirect call>

The test is on the table element's ``call``, not on the element itself: it holds only
while function 5 of this instance runs its own translation (``F5`` is bound to the
same function object there and in the ``FunctionInstance`` once translated). Before
that, when the function runs on the interpreter, and while it is instrumented (a
trace, watchpoints: :mod:`wasmem.observe` rebinds ``call``) the general path calls
whatever ``call`` is. Another instance's function, or a host function, never passes
the test. An inlined body counts for a call frame in the call depth and in backtraces
as a direct call's does (:func:`.emit_calls.try_inline`).

The candidates are chosen per module (the translation is shared by its instances and
kept on disk): the defined functions that element segments (active, passive or
declarative) refer to, of the call's exact function type, small enough to inline;
at most :data:`MAX_TARGETS` of them, else the site stays general.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...syntax.opcodes import Op
from .frames import MAX_INDENT, Frame
from .slots import forget_slots

if TYPE_CHECKING:
    from .context import ModuleContext

FunctionCompiler = Any
"""The translator (:class:`.codegen.FunctionCompiler`; not imported, even for types:
the emitter modules and it import each other)."""

__all__ = ["MAX_TARGETS", "Emitters", "element_functions", "emit_specialised",
           "targets_of_type"]

MAX_TARGETS = 3
"""Most functions of the call's type a site may have to be specialised (each candidate
is a test on the general path, and its body is translated again at every such site:
with 6, short cold runs of call_indirect-heavy programs paid 2-9% more translation than
the inlined calls saved; see bench/codegen.md)."""



class Emitters:
    """The translator's functions this module uses (passed in: the emitter modules and
    the translator import each other, this module imports none of them). A plain class
    (a ``NamedTuple`` cost 0.3 ms to create at every translating process's import)."""

    __slots__ = ("facts", "inline", "general", "finish_body", "close_target",
                 "result_entries")

    facts: Callable[[FunctionCompiler, int], Any]
    """``facts(c, f)``: None if function ``f`` may not be inlined here
    (:func:`.emit_calls.inline_facts`)."""
    inline: Callable[[FunctionCompiler, int], bool]
    """``inline(c, f)``: inline ``f``, popping its arguments, pushing its results."""
    general: Callable[..., None]
    """``general(c, element, params, results, loaded)``: the general call
    (:func:`.emit_calls.emit_indirect_call`)."""
    finish_body: Callable[[FunctionCompiler, Frame], None]
    """:func:`.emit_blocks.finish_frame_body`"""
    close_target: Callable[[FunctionCompiler, Frame], None]
    """:func:`.emit_blocks.close_target`"""
    result_entries: Callable[[FunctionCompiler, Frame], list[Any]]
    """:func:`.emit_blocks.result_entries`"""

    def __init__(self, facts: Callable[[FunctionCompiler, int], Any],
                 inline: Callable[[FunctionCompiler, int], bool], general: Callable[..., None],
                 finish_body: Callable[[FunctionCompiler, Frame], None],
                 close_target: Callable[[FunctionCompiler, Frame], None],
                 result_entries: Callable[[FunctionCompiler, Frame], list[Any]]) -> None:
        self.facts = facts
        self.inline = inline
        self.general = general
        self.finish_body = finish_body
        self.close_target = close_target
        self.result_entries = result_entries


def element_functions(ctx: ModuleContext) -> tuple[int, ...]:
    """The defined functions that the module's element segments refer to (``ref.func``
    in their initial expressions), in order of first appearance; found once per module."""
    found = ctx.__dict__.get("_element_functions")
    if found is None:
        seen: dict[int, None] = {}
        for segment in ctx.module.elements:
            for expr in segment.init:
                for ins in expr:
                    if ins.opcode == Op.REF_FUNC:
                        index = ins.immediates[0]
                        if index >= ctx.imported_functions:
                            seen.setdefault(index, None)
        found = ctx.__dict__["_element_functions"] = tuple(seen)
    return found  # type: ignore[no-any-return]


def targets_of_type(ctx: ModuleContext, type_index: int, limit: int) -> tuple[int, ...]:
    """The element segments' defined functions of exactly the type ``type_index`` whose
    size is at most ``limit`` instructions; empty when more than :data:`MAX_TARGETS`
    functions of that type are referred to (small or not: a site with many possible
    targets is left general)."""
    cache: dict[int, tuple[int, ...]] = ctx.__dict__.setdefault("_indirect_targets", {})
    found = cache.get(type_index)
    if found is None:
        wanted = ctx.module.types[type_index]
        same = [f for f in element_functions(ctx) if ctx.function_types[f] == wanted]
        found = () if len(same) > MAX_TARGETS else tuple(
            f for f in same if ctx.function_size(f, limit) <= limit)
        cache[type_index] = found
    return found


def emit_specialised(c: FunctionCompiler, element: str, type_index: int, limit: int,
                     emitters: Emitters) -> bool:
    """Emit the call of the checked table element ``element`` (a Python variable) with
    its likely targets (of at most ``limit`` instructions) inlined; return False
    (nothing emitted) if there are none here.

    Raises:
        CannotCompile: if Python's limits would be exceeded (as any emitter).
    """
    if c.fuel:
        return False  # (fuel charges per call: keep one place that does it)
    chosen = _fitting(c, targets_of_type(c.ctx, type_index, limit), limit, emitters)
    if not chosen:
        return False
    ft = c.ctx.module.types[type_index]
    params, results = len(ft.params), len(ft.results)
    _settle(c)
    c.calls = True  # (the general path calls)
    height = len(c.stack) - params
    c.stack.slots = max(c.stack.slots, height + results)
    frame = Frame("if", len(c.frames), height, ft.params, ft.results)
    c.push_frame(frame)
    entry = list(c.stack.items)
    loaded = c.new_temp()
    c.emit(f"{loaded} = {element}.call")
    pending: set[int] = set()
    for k, index in enumerate(chosen):
        c.emit(f"{'if' if k == 0 else 'elif'} {loaded} is F{index}:")
        c.indent()
        forget_slots(c)
        c.inline_budget += c.ctx.function_size(index, limit)  # (reserved by _fitting)
        start = len(c.lines)
        if not emitters.inline(c, index):  # (facts said it could: a translator bug)
            raise AssertionError(f"function {index} could not be inlined")
        emitters.finish_body(c, frame)
        if len(c.lines) == start:
            c.emit("pass")  # (an empty body)
        c.dedent()
        pending |= c.pending
        c.stack.items = list(entry)
        c.unreachable, c.pending = False, set()
    c.emit("else:")
    c.indent()
    forget_slots(c)
    emitters.general(c, element, params, results, loaded)
    emitters.finish_body(c, frame)
    c.dedent()
    forget_slots(c)
    c.unreachable = False  # (the general path returns)
    c.pending |= pending
    c.frames.pop()
    emitters.close_target(c, frame)
    c.stack.items[height:] = emitters.result_entries(c, frame)
    c.landing = -1  # (an ``if _b == k:`` inside a branch is no landing after it)
    return True


def _fitting(c: FunctionCompiler, targets: tuple[int, ...], limit: int,
             emitters: Emitters) -> list[int]:
    """The ``targets`` that can be inlined here, one after the other, within what is
    left of the function's inlining budget (each branch is one level deeper); their
    sizes are taken from the budget."""
    chosen: list[int] = []
    if not targets or c.ind + 3 > MAX_INDENT:  # (the general path nests two deeper)
        return chosen
    budget = c.inline_budget
    c.ind += 1
    try:
        for index in targets:
            size = c.ctx.function_size(index, limit)
            if size <= budget and emitters.facts(c, index) is not None:
                chosen.append(index)
                budget -= size
                c.inline_budget -= size  # (what facts compares the next one with)
    finally:
        c.ind -= 1
    # (the budget stays reserved for them: each gets its share back just before it is
    # inlined, so that what the ones before take in by nested inlining cannot starve it)
    return chosen


def _settle(c: FunctionCompiler) -> None:
    """Put in their slots the stack entries that the branches could disturb.

    Every branch runs with the stack as it is here and may assign slots and temporaries
    (and materialise entries inside itself only), but none assigns a local of the
    current scope (an inlined body has its own names): an entry reading only those
    locals, or a constant, stays as it is; every other one gets its slot.
    """
    prefix = c.local_prefix
    cut = len(prefix)
    items = c.stack.items
    for position, entry in enumerate(items):
        if entry.const is not None:
            continue
        refs = entry.refs
        if refs and all(name.startswith(prefix) and name[cut:].isdigit() for name in refs):
            continue
        c.stack.materialize(position)
