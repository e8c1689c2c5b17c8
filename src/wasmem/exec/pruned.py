"""Whole-function translations that leave out the blocks the interpreter never entered.

A big function promoted by its calls (:mod:`.tiering`) is translated whole, though a run
may use a small part of it: a dispatcher's arms for the opcodes a program uses (QuickJS's
``JS_CallInternal``: 14% of its translated lines ran, ``bench/tiering.md``). The
interpreter links a big function's closures as control first reaches them
(:mod:`.interpreter.linking`), so at promotion it knows which parts never ran in this
instance. With :data:`.exits.COLD_EXITS` (``WASMEM_COLD_EXITS=1``), such a function's
*unit* is the function with each part never entered replaced by an *exit*:

* the then-arm or else-arm of an ``if`` whose first closure is still unlinked;
* what follows a ``block``, ``loop`` or ``if`` in its sequence when the closure after its
  ``end`` is still unlinked (a ``switch``'s cases are the code after the ends of nested
  blocks that a ``br_table`` leaves);

each only where the operand stack is empty there (the decoder records those pcs:
``DecodedFunction.cuts``), so the locals are all the state an exit hands over. The unit
is WebAssembly translated by the unchanged compiler, in the protocol of the loop-only
continuations (:mod:`.exits`): its parameters are the function's parameters and locals,
its results the function's results, the exit's number (-1: returned) and every local::

    block $X
      block $R (result <results>)
        <the body: each return a br to $R, each left-out part
         i32.const k  local.set tag  br $X>
      end
      i32.const -1  local.get 0 .. n-1  return
    end
    <defaults of the results>  local.get tag  local.get 0 .. n-1

It is entered at the interpreter's first closure (the function's interpreted entry stays
bound: callers, call depth and fuel-free accounting are the interpreter's), and an exit
continues the interpreter's activation at the left-out part's pc with the unit's locals
(:func:`.exits.replace_stack`, whose frame backtraces skip). So results, traps and their
backtrace positions (translated code where the unit ran, the interpreter where it
resumed) and the order of effects are the two tiers'. After :data:`EXITS_TO_RETRANSLATE`
exits the function is translated again from what its linking says now (the parts exits
ran are linked by then); after :data:`MAX_UNITS` units it is promoted whole.

Not for: functions with fuel, a disk cache (its translations are stored whole and serve
later runs), ``try_table`` (a throw out of the unit would meet the interpreter's regions
at its entry), tail calls, a loop at the entry (its back edges re-enter the first
closure), results without defaults, or fewer than :data:`MIN_CLOSURES` closures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..syntax.instructions import Block, Instruction
from ..syntax.opcodes import Op
from ..syntax.record import replace
from ..syntax.types import I32, FuncType, RefType
from . import exits

if TYPE_CHECKING:
    from .compiler.context import ModuleContext

__all__ = ["EXITS_TO_RETRANSLATE", "MAX_UNITS", "MIN_CLOSURES", "MIN_LEFT_OUT", "Plan",
           "install", "plan"]

MIN_CLOSURES = 250
"""Interpreter closures a function needs for a unit (a smaller one is translated whole:
its exits would cost more than what leaving parts out saves)."""

MIN_LEFT_OUT = 0.25
"""The share of its instructions a unit must leave out (else the function is translated
whole)."""

EXITS_TO_RETRANSLATE = 16
"""Exits a unit takes before its function is translated again (with what ran since)."""

MAX_UNITS = 3
"""Units made of one function in an instance; then it is translated whole."""

_KEY_BASE = -(1 << 20)  # units' keys among the continuations' (-1 - ordinal: loop-only)


class Plan:
    """A unit's body (module docstring) and the pc each exit resumes at (exit ``k``:
    ``pcs[k]``); ``left_out``: the share of the function's instructions left out."""

    __slots__ = ("body", "left_out", "pcs")

    def __init__(self, body: tuple[Instruction, ...], pcs: tuple[int, ...],
                 left_out: float) -> None:
        self.body = body
        self.pcs = pcs
        self.left_out = left_out

    def context(self, ctx: ModuleContext, index: int) -> tuple[ModuleContext, int]:
        """A module context holding the unit of function ``index`` (its index there), as
        :func:`.osr.continuation_context`. Raises nothing."""
        from .osr import synthetic_context
        module = ctx.module
        function = module.functions[index - ctx.imported_functions]
        ftype = ctx.function_types[index]
        results = tuple(ftype.results)
        local_types = (*ftype.params, *function.locals)
        n = len(local_types)
        types = module.types
        if len(results) > 1:
            types = (*types, FuncType((), results))
            bt: Any = len(types) - 1
        else:
            bt = results[0] if results else None
        returned = Block(Op.BLOCK, (bt,), body=self.body)
        out = Block(Op.BLOCK, (None,), body=(
            returned, Instruction(Op.I32_CONST, (-1,)), *_gets(range(n)),
            Instruction(Op.RETURN, ())))
        body = (out, *_gets(range(n + 1, n + 1 + len(results))), *_gets((n,)),
                *_gets(range(n)))
        return synthetic_context(ctx, index, types, (*results, I32, *local_types),
                                 (I32, *results), body)


def _gets(indices: range | tuple[int, ...]) -> list[Instruction]:
    return [Instruction(Op.LOCAL_GET, (i,)) for i in indices]


def plan(body: tuple[Instruction, ...], cuts: dict[int, list[int]], tag: int,
         reached: Any) -> Plan:
    """The unit of a function of ``body`` (module docstring): ``cuts`` its decoder's
    (``DecodedFunction.cuts``), ``tag`` its count of parameters and locals,
    ``reached(pc)`` whether the interpreter reached closure ``pc``. Raises nothing."""
    pcs: list[int] = []
    left = [0]

    def exit_to(pc: int, depth: int) -> list[Instruction]:
        if pc not in pcs:
            pcs.append(pc)
        return [Instruction(Op.I32_CONST, (pcs.index(pc),)),
                Instruction(Op.LOCAL_SET, (tag,)), Instruction(Op.BR, (depth + 1,))]

    def prune(seq: tuple[Instruction, ...], depth: int) -> tuple[Instruction, ...]:
        out: list[Instruction] = []
        for i, ins in enumerate(seq):
            if isinstance(ins, Block):
                cut = cuts.get(ins.position)  # type: ignore[arg-type]
                arms = []
                for k, arm in ((0, ins.body), (1, ins.else_body)):
                    if (cut is not None and ins.opcode == Op.IF and cut[k] and arm
                            and not reached(cut[k])):
                        left[0] += _count(arm)
                        arms.append(tuple(exit_to(cut[k], depth + 1)))
                    else:
                        arms.append(prune(arm, depth + 1))
                out.append(replace(ins, body=arms[0], else_body=arms[1]))
                rest = seq[i + 1:]
                if cut is not None and cut[2] and rest and not reached(cut[2]):
                    left[0] += _count(rest)
                    out += exit_to(cut[2], depth)
                    return tuple(out)
            elif ins.opcode == Op.RETURN:
                out.append(replace(ins, opcode=Op.BR, immediates=(depth,)))
            else:
                out.append(ins)
        return tuple(out)

    pruned = prune(body, 0)
    return Plan(pruned, tuple(pcs), left[0] / max(1, _count(body)))


def _count(seq: tuple[Instruction, ...]) -> int:
    """Instructions in ``seq`` (at any depth)."""
    total = 0
    work = [seq]
    while work:
        for ins in work.pop():
            total += 1
            if isinstance(ins, Block):
                work += [ins.body, ins.else_body]
    return total


def install(tier: Any, index: int, decoded: Any, code: Any) -> bool:
    """Make the unit of function ``index`` (the tiered ``tier``'s, interpreted as
    ``decoded``, linked as ``code``) and enter it at the function's interpreted entry,
    if the function qualifies (module docstring); return whether it did (else the
    caller translates it whole). Raises what translating raises (nothing expected:
    a unit that cannot be translated is not made)."""
    if (tier.fuel or tier.compiled.cache is not None or code.pending is None
            or decoded.regions or not decoded.cuts or len(decoded.makes) < MIN_CLOSURES
            or any(pc == 1 for pc, _height, _loop in decoded.loops)):
        return False
    from .osr import _tail_calls
    tier.translating()  # (the compiler, imported and bound at the first translation)
    context = tier.compiled.context
    function = context.module.functions[index - context.imported_functions]
    if any(isinstance(t, RefType) and not t.nullable
           for t in context.function_types[index].results) or _tail_calls(function.body):
        return False
    return _Unit(tier, index, decoded, code, function.body).make()


class _Unit:
    """The units of one function in one instance, and the hook that enters them."""

    def __init__(self, tier: Any, index: int, decoded: Any, code: Any,
                 body: tuple[Instruction, ...]) -> None:
        self.tier, self.index, self.decoded, self.code, self.body = \
            tier, index, decoded, code, body
        self.original = code.ops[1]
        self.made = 0

    def make(self) -> bool:
        """Make a unit from what the function's linking says now and enter it from the
        function's first closure; False if it would leave out too little or cannot be
        translated (the first closure is then as it was)."""
        from .interpreter.linking import unlinked
        from .interpreter.ops import op_br, op_exit
        ops, makes = self.code.ops, self.decoded.makes
        jumps = (op_br, op_exit)

        def reached(pc: int) -> bool:  # (a jump is threaded over: never linked)
            return pc >= len(ops) or ops[pc] is not unlinked or makes[pc - 1] in jumps
        made = plan(self.body, self.decoded.cuts, self.decoded.base, reached)
        if made.left_out < MIN_LEFT_OUT:
            return False
        key = _key(self.tier.compiled, self.index, made.pcs)
        enter = self.tier.continuation(self.index, made, key)
        if enter is None:
            return False
        self.made += 1
        pcs, code, base = made.pcs, self.code, self.decoded.base
        taken = 0

        def to_unit(R: list[Any]) -> int:
            nonlocal taken
            pc = exits.replace_stack(enter, R, base, code, pcs)
            if pc:
                taken += 1
                if taken == EXITS_TO_RETRANSLATE:
                    self.again()
            return pc
        if ops[1] is self.original or ops[1].__name__ == "to_unit":
            ops[1] = to_unit
        if not any(pc == 1 for pc, _ in self.tier.hooks.get(self.index, ())):
            self.tier.hooks.setdefault(self.index, []).append((1, self.original))
        return True

    def again(self) -> None:
        """Exits were taken often: a new unit, or (after :data:`MAX_UNITS`, or if the
        new one would leave out too little) the function translated whole."""
        if self.made < MAX_UNITS and self.make():
            return
        if self.code.ops[1].__name__ == "to_unit":
            self.code.ops[1] = self.original
        self.tier.promote(self.index)


def _key(compiled: Any, index: int, pcs: tuple[int, ...]) -> int:
    """The continuation key of a unit of function ``index`` with exits to ``pcs``: the
    same for the same parts left out (units are kept per module, by key)."""
    keys: dict[tuple[int, tuple[int, ...]], int] = compiled.__dict__.setdefault(
        "pruned_keys", {})
    found = keys.get((index, pcs))
    if found is None:
        found = keys[index, pcs] = _KEY_BASE - sum(1 for i, _ in keys if i == index)
    return found
