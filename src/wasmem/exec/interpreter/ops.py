"""Instruction closures of the interpreter: control, variables, references, numbers.

The interpreter (:mod:`wasmem.exec.interpreter`) runs a function as a flat list of closures over
one Python list ``R``, the function's *register file*: its locals first, then one slot
per operand-stack position (heights are static in valid code, so every instruction
knows which slots it reads and writes), then one last slot for a pending tail call.
Each closure does its work and returns the index of the next closure to run (0 ends
the function).

A *factory* builds one closure when a function is linked to an instance:
``factory(ctx, nxt, dest, *args)`` with the instance context, the index of the
following closure, the register the result goes to (-1 if none) and the arguments the
decoder (:mod:`.decode`) recorded. Operands are register indices, or
:class:`Const` for constants the decoder folded into the instruction. The commonest
closures take what they read as defaults rather than from cells (fewer objects for the
collector; see :func:`.inline._bind_free_variables`, which does so for generated ones).

Memory and table instructions are in :mod:`.memory`, calls and the inline
numeric operators in :mod:`.inline`. The semantics of every numeric
instruction is the numeric library's (:mod:`wasmem.exec.numeric`, :mod:`wasmem.exec.numeric.simd`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...runtime.exceptions import WasmThrow
from .. import support

if TYPE_CHECKING:
    from ...runtime.instances import ModuleInstance

__all__ = [
    "Const",
    "Label",
    "LinkContext",
    "Closure",
    "Factory",
    "op_exit",
    "op_copy",
    "op_set_const",
    "op_br",
    "op_br_if",
    "op_if",
    "op_br_table",
    "op_br_on_null",
    "op_br_on_non_null",
    "op_fuel",
    "op_unreachable",
    "op_throw",
    "op_throw_ref",
    "op_select",
    "op_global_get",
    "op_global_set",
    "op_global_set_const",
    "op_ref_func",
    "op_ref_is_null",
    "op_ref_as_non_null",
    "op_unary",
    "op_binary",
    "op_binary_const",
    "op_ternary",
    "op_unary_imm",
    "op_binary_imm",
]

Closure = Callable[[list[Any]], int]
"""One instruction: runs on the register file, returns the index of the next one."""
Factory = Callable[..., Closure]
"""``factory(ctx, nxt, dest, *args)``: builds the closure of one instruction."""
Moves = tuple[tuple[int, Any], ...]
"""Branch moves: ``(destination register, source register or Const)``, in order."""


class Const:
    """A constant operand folded into the instruction that uses it."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Const({self.value!r})"


class Label:
    """A branch target: the index of the closure to continue with, once known.

    The function's own label has ``pc`` 0 (leaving the function).
    """

    __slots__ = ("pc",)

    def __init__(self, pc: int | None = None) -> None:
        self.pc = pc

    def target(self) -> int:
        """Return the bound index.

        Raises:
            RuntimeError: if the label was never bound (a decoder bug).
        """
        if self.pc is None:
            raise RuntimeError("interpreter: branch to an unbound label")
        return self.pc


class LinkContext:
    """What closures of one instance capture: its runtime objects, and the function name."""

    __slots__ = ("datas", "elements", "fuel", "functions", "globals", "instance", "memories",
                 "entries", "name", "tables", "tags")

    def __init__(self, instance: ModuleInstance, name: str, entries: Any = None) -> None:
        self.instance = instance
        # the linking state's entries, then the state (direct calls run the entries)
        self.entries = entries
        self.memories = instance.memories
        self.tables = instance.tables
        self.globals = instance.globals
        self.functions = instance.functions
        self.tags = instance.tags
        self.datas = instance.datas
        self.elements = instance.elements
        self.fuel = instance.fuel
        self.name = name


def _mover(moves: Moves) -> Callable[[list[Any]], None] | None:
    """Return a function doing a branch's moves, or None when there are none.

    Register moves run first, in order (sources never sit below their destinations, so
    this is a parallel move), then constants.
    """
    if not moves:
        return None
    registers = tuple((d, s) for d, s in moves if not isinstance(s, Const))
    constants = tuple((d, s.value) for d, s in moves if isinstance(s, Const))
    if len(registers) == 1 and not constants:
        (d0, s0), = registers

        def move_one(R: list[Any], d0: Any = d0, s0: Any = s0) -> None:
            R[d0] = R[s0]
        return move_one

    def move(R: list[Any], constants: Any = constants, registers: Any = registers) -> None:
        for d, s in registers:
            R[d] = R[s]
        for d, v in constants:
            R[d] = v
    return move


# ---------------------------------------------------------------- control

def op_exit(ctx: LinkContext, nxt: int, dest: int) -> Closure:
    """Leave the function (its results are already in place)."""
    def op(R: list[Any]) -> int:
        return 0
    return op


def op_copy(ctx: LinkContext, nxt: int, dest: int, source: int) -> Closure:
    """``R[dest] = R[source]`` (materialise a local, or set a local)."""
    def op(R: list[Any], dest: int = dest, source: int = source, nxt: int = nxt) -> int:
        R[dest] = R[source]
        return nxt
    return op


def op_set_const(ctx: LinkContext, nxt: int, dest: int, value: Any) -> Closure:
    """``R[dest] = value``."""
    def op(R: list[Any], dest: int = dest, value: Any = value, nxt: int = nxt) -> int:
        R[dest] = value
        return nxt
    return op


def op_br(ctx: LinkContext, nxt: int, dest: int, label: Label, moves: Moves) -> Closure:
    """``br``: move the carried values, continue at the label."""
    target = label.target()
    move = _mover(moves)
    if move is None:
        def jump(R: list[Any], target: int = target) -> int:
            return target
        return jump

    def op(R: list[Any], move: Any = move, target: Any = target) -> int:
        move(R)
        return target
    return op


def op_br_if(ctx: LinkContext, nxt: int, dest: int, condition: int, label: Label,
             moves: Moves) -> Closure:
    """``br_if``: branch if ``R[condition]`` is not zero."""
    target = label.target()
    move = _mover(moves)
    if move is None:
        def jump(R: list[Any], condition: int = condition, target: int = target,
                 nxt: int = nxt) -> int:
            return target if R[condition] else nxt
        return jump

    def op(R: list[Any], condition: Any = condition, move: Any = move, nxt: Any = nxt,
           target: Any = target) -> int:
        if R[condition]:
            move(R)
            return target
        return nxt
    return op


def op_if(ctx: LinkContext, nxt: int, dest: int, condition: int, otherwise: Label) -> Closure:
    """``if``: run the next closure if ``R[condition]`` is not zero, else the else-arm."""
    target = otherwise.target()

    def op(R: list[Any], condition: int = condition, nxt: int = nxt,
           target: int = target) -> int:
        return nxt if R[condition] else target
    return op


def op_br_table(ctx: LinkContext, nxt: int, dest: int, index: int,
                targets: tuple[tuple[Label, Moves], ...],
                default: tuple[Label, Moves]) -> Closure:
    """``br_table``: branch to ``targets[R[index]]``, or ``default`` when out of range."""
    made: dict[int, tuple[int, Any]] = {}  # the decoder shares a target's tuple: link once
    linked = tuple(made.get(id(target)) or made.setdefault(
        id(target), (target[0].target(), _mover(target[1]))) for target in targets)
    fallback = (default[0].target(), _mover(default[1]))
    count = len(linked)
    if all(move is None for _, move in linked) and fallback[1] is None:
        pcs = tuple(pc for pc, _ in linked)
        other = fallback[0]

        def plain(R: list[Any], count: Any = count, index: Any = index, other: Any = other,
                  pcs: Any = pcs) -> int:
            i = R[index]
            return pcs[i] if i < count else other
        return plain

    def op(R: list[Any], count: Any = count, fallback: Any = fallback, index: Any = index,
           linked: Any = linked) -> int:
        i = R[index]
        pc, move = linked[i] if i < count else fallback
        if move is not None:
            move(R)
        return pc
    return op


def op_br_on_null(ctx: LinkContext, nxt: int, dest: int, ref: int, label: Label,
                  moves: Moves) -> Closure:
    """``br_on_null``: branch if ``R[ref]`` is null (the reference stays otherwise)."""
    target = label.target()
    move = _mover(moves)

    def op(R: list[Any], move: Any = move, nxt: Any = nxt, ref: Any = ref,
           target: Any = target) -> int:
        if R[ref] is None:
            if move is not None:
                move(R)
            return target
        return nxt
    return op


def op_br_on_non_null(ctx: LinkContext, nxt: int, dest: int, ref: int, label: Label,
                      moves: Moves) -> Closure:
    """``br_on_non_null``: branch, carrying the reference, if ``R[ref]`` is not null."""
    target = label.target()
    move = _mover(moves)

    def op(R: list[Any], move: Any = move, nxt: Any = nxt, ref: Any = ref,
           target: Any = target) -> int:
        if R[ref] is not None:
            if move is not None:
                move(R)
            return target
        return nxt
    return op


def op_fuel(ctx: LinkContext, nxt: int, dest: int, count: int, loop: str,
            position: Any) -> Closure:
    """Charge one iteration of a loop; raise FuelExhausted when fuel runs out."""
    fuel = ctx.fuel
    name = ctx.name
    if fuel is None:  # pragma: no cover - decoded with fuel only for fuelled instances
        def free(R: list[Any], nxt: Any = nxt) -> int:
            return nxt
        return free

    def op(R: list[Any], count: Any = count, fuel: Any = fuel, loop: Any = loop, name: Any = name,
           nxt: Any = nxt, position: Any = position) -> int:
        fuel.remaining -= count
        if fuel.remaining < 0:
            raise support.out_of_fuel(name, loop, position)
        return nxt
    return op


def op_unreachable(ctx: LinkContext, nxt: int, dest: int) -> Closure:
    """``unreachable``: trap."""
    def op(R: list[Any]) -> int:
        raise support.unreachable()
    return op


def op_throw(ctx: LinkContext, nxt: int, dest: int, tag: int, values: tuple[int, ...]) -> Closure:
    """``throw``: raise a WasmThrow of the tag with the values of ``values`` registers."""
    instance_tag = ctx.tags[tag]

    def op(R: list[Any], instance_tag: Any = instance_tag, values: Any = values) -> int:
        raise WasmThrow(instance_tag, tuple([R[i] for i in values]))
    return op


def op_throw_ref(ctx: LinkContext, nxt: int, dest: int, ref: int) -> Closure:
    """``throw_ref``: re-raise an exception reference (trap on null)."""
    def op(R: list[Any], ref: Any = ref) -> int:
        raise support.throw_ref(R[ref])
    return op


# ---------------------------------------------------------------- parametric, variables

def op_select(ctx: LinkContext, nxt: int, dest: int, a: int, b: int, condition: int) -> Closure:
    """``select``: ``R[a]`` if ``R[condition]`` else ``R[b]``."""
    def op(R: list[Any], dest: int = dest, a: int = a, b: int = b, condition: int = condition,
           nxt: int = nxt) -> int:
        R[dest] = R[a] if R[condition] else R[b]
        return nxt
    return op


def op_global_get(ctx: LinkContext, nxt: int, dest: int, index: int) -> Closure:
    """``global.get``."""
    g = ctx.globals[index]

    def op(R: list[Any], dest: int = dest, g: Any = g, nxt: int = nxt) -> int:
        R[dest] = g.value
        return nxt
    return op


def op_global_set(ctx: LinkContext, nxt: int, dest: int, index: int, source: int) -> Closure:
    """``global.set`` from a register."""
    g = ctx.globals[index]

    def op(R: list[Any], g: Any = g, source: int = source, nxt: int = nxt) -> int:
        g.value = R[source]
        return nxt
    return op


def op_global_set_const(ctx: LinkContext, nxt: int, dest: int, index: int, value: Any) -> Closure:
    """``global.set`` of a constant."""
    g = ctx.globals[index]

    def op(R: list[Any], g: Any = g, nxt: Any = nxt, value: Any = value) -> int:
        g.value = value
        return nxt
    return op


# ---------------------------------------------------------------- references

def op_ref_func(ctx: LinkContext, nxt: int, dest: int, index: int) -> Closure:
    """``ref.func``: the function instance itself is the reference."""
    function = ctx.functions[index]

    def op(R: list[Any], dest: Any = dest, function: Any = function, nxt: Any = nxt) -> int:
        R[dest] = function
        return nxt
    return op


def op_ref_is_null(ctx: LinkContext, nxt: int, dest: int, ref: int) -> Closure:
    """``ref.is_null``."""
    def op(R: list[Any], dest: Any = dest, nxt: Any = nxt, ref: Any = ref) -> int:
        R[dest] = 1 if R[ref] is None else 0
        return nxt
    return op


def op_ref_as_non_null(ctx: LinkContext, nxt: int, dest: int, ref: int) -> Closure:
    """``ref.as_non_null``: trap on null."""
    check = support.ref_as_non_null

    def op(R: list[Any], check: Any = check, dest: Any = dest, nxt: Any = nxt,
           ref: Any = ref) -> int:
        R[dest] = check(R[ref])
        return nxt
    return op


# ---------------------------------------------------------------- numbers (library calls)

def op_unary(ctx: LinkContext, nxt: int, dest: int, fn: Callable[[Any], Any], a: int) -> Closure:
    """``R[dest] = fn(R[a])``."""
    def op(R: list[Any], a: Any = a, dest: Any = dest, fn: Any = fn, nxt: Any = nxt) -> int:
        R[dest] = fn(R[a])
        return nxt
    return op


def op_binary(ctx: LinkContext, nxt: int, dest: int, fn: Callable[[Any, Any], Any], a: int,
              b: int) -> Closure:
    """``R[dest] = fn(R[a], R[b])``."""
    def op(R: list[Any], a: Any = a, b: Any = b, dest: Any = dest, fn: Any = fn,
           nxt: Any = nxt) -> int:
        R[dest] = fn(R[a], R[b])
        return nxt
    return op


def op_binary_const(ctx: LinkContext, nxt: int, dest: int, fn: Callable[[Any, Any], Any],
                    a: int, b: Any) -> Closure:
    """``R[dest] = fn(R[a], b)`` for a constant ``b``."""
    def op(R: list[Any], a: Any = a, b: Any = b, dest: Any = dest, fn: Any = fn,
           nxt: Any = nxt) -> int:
        R[dest] = fn(R[a], b)
        return nxt
    return op


def op_ternary(ctx: LinkContext, nxt: int, dest: int, fn: Callable[[Any, Any, Any], Any], a: int,
               b: int, c: int) -> Closure:
    """``R[dest] = fn(R[a], R[b], R[c])``."""
    def op(R: list[Any], a: Any = a, b: Any = b, c: Any = c, dest: Any = dest, fn: Any = fn,
           nxt: Any = nxt) -> int:
        R[dest] = fn(R[a], R[b], R[c])
        return nxt
    return op


def op_unary_imm(ctx: LinkContext, nxt: int, dest: int, fn: Callable[[Any, Any], Any], a: int,
                 immediate: Any) -> Closure:
    """``R[dest] = fn(R[a], immediate)`` (SIMD lane extraction)."""
    def op(R: list[Any], a: Any = a, dest: Any = dest, fn: Any = fn, immediate: Any = immediate,
           nxt: Any = nxt) -> int:
        R[dest] = fn(R[a], immediate)
        return nxt
    return op


def op_binary_imm(ctx: LinkContext, nxt: int, dest: int, fn: Callable[[Any, Any, Any], Any],
                  a: int, b: int, immediate: Any) -> Closure:
    """``R[dest] = fn(R[a], R[b], immediate)`` (SIMD lane replacement, shuffle)."""
    def op(R: list[Any], a: Any = a, b: Any = b, dest: Any = dest, fn: Any = fn,
           immediate: Any = immediate, nxt: Any = nxt) -> int:
        R[dest] = fn(R[a], R[b], immediate)
        return nxt
    return op
