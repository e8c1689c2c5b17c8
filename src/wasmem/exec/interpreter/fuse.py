"""Closures that do the work of several consecutive instructions (the decoder's fusions).

Every closure the interpreter runs costs a dispatch (``pc = ops[pc](R)``: a Python call,
about 55 ns) on top of its work, so consecutive closures whose work is small are worth
merging when compiled C makes them often (``bench/interpreter.md``, "Fused closures"):

* **moves**: copies into locals and constants (``local.get $a; local.set $b``,
  ``i32.const 0; local.set $i``: the phi moves clang leaves before branches) and the
  materialised stack positions at block boundaries come in runs; consecutive ones
  become one :func:`op_moves` closure doing them in order.

* **the stack pointer**: clang keeps it in a global; a function with a frame moves it
  down on entry (``global.get``, ``i32.sub`` of a constant) and back on exit
  (``i32.add`` of a constant, ``global.set``): each pair is one closure
  (:func:`op_global_add`, :func:`op_global_set_add`).
* **operator pairs**: see :data:`PAIRS`.
* **a value set and tested**: ``local.tee`` of an operator's result, then ``br_if`` or
  ``if`` on that local (``if ((n -= 1) != 0)``, ``while ((x &= x - 1))``): the operator's
  closure writes the local and branches (:data:`TESTED`).

A merge never crosses a label (a branch may enter between the two closures) nor the
start of a ``try_table`` body; :meth:`.decode.FunctionDecoder.bind` records where the
last one was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .inline import HOT, HotOp, hot_forms
from .ops import Closure, Const, Label, LinkContext, op_copy, op_global_get, op_set_const

if TYPE_CHECKING:
    from .decode import FunctionDecoder

__all__ = ["Move", "op_moves", "merge_move", "PAIRS", "FUSED", "FUSE_STARTS", "fused", "fuse_pair",
           "op_global_add", "op_global_set_add", "fuse_global_set", "TESTED", "fuse_tested"]

_MASK32 = 0xFFFFFFFF

Move = tuple[int, Any, bool]
"""``(destination register, source register or constant value, is a constant)``."""


def op_moves(ctx: LinkContext, nxt: int, dest: int, moves: tuple[Move, ...]) -> Closure:
    """``R[d] = R[s]`` (or ``R[d] = value``) for each move, in order."""
    if len(moves) == 2:
        (d0, s0, k0), (d1, s1, k1) = moves
        if not k0 and not k1:
            def copy_copy(R: list[Any], d0: int = d0, s0: int = s0, d1: int = d1,
                          s1: int = s1, nxt: int = nxt) -> int:
                R[d0] = R[s0]
                R[d1] = R[s1]
                return nxt
            return copy_copy
        if not k0:
            def copy_set(R: list[Any], d0: int = d0, s0: int = s0, d1: int = d1,
                         s1: Any = s1, nxt: int = nxt) -> int:
                R[d0] = R[s0]
                R[d1] = s1
                return nxt
            return copy_set
        if not k1:
            def set_copy(R: list[Any], d0: int = d0, s0: Any = s0, d1: int = d1,
                         s1: int = s1, nxt: int = nxt) -> int:
                R[d0] = s0
                R[d1] = R[s1]
                return nxt
            return set_copy

        def set_set(R: list[Any], d0: int = d0, s0: Any = s0, d1: int = d1, s1: Any = s1,
                    nxt: int = nxt) -> int:
            R[d0] = s0
            R[d1] = s1
            return nxt
        return set_set
    if len(moves) == 3 and not any(k for _, _, k in moves):
        (d0, s0, _), (d1, s1, _), (d2, s2, _) = moves

        def copy3(R: list[Any], d0: int = d0, s0: int = s0, d1: int = d1, s1: int = s1,
                  d2: int = d2, s2: int = s2, nxt: int = nxt) -> int:
            R[d0] = R[s0]
            R[d1] = R[s1]
            R[d2] = R[s2]
            return nxt
        return copy3

    def many(R: list[Any], moves: tuple[Move, ...] = moves, nxt: int = nxt) -> int:
        for d, s, constant in moves:
            R[d] = s if constant else R[s]
        return nxt
    return many


def merge_move(d: FunctionDecoder, constant: bool, dest: int, value: Any) -> bool:
    """Append the move ``R[dest] = value`` (a constant) or ``R[dest] = R[value]`` to the
    last closure if that one only moves and no label or ``try_table`` starts between
    them; return whether it did (else the caller emits the move alone)."""
    makes = d.makes
    if not makes or d.barrier == len(makes) + 1:
        return False
    previous = makes[-1]
    if previous is op_moves:
        moves: tuple[Move, ...] = d.args[-1][0]
    elif previous is op_copy or previous is op_set_const:
        moves = ((d.dests[-1], d.args[-1][0], previous is op_set_const),)
    else:
        return False
    position = d.instructions[-1]
    d.retract()  # (a decoder recording per closure keeps the first one's record)
    d.emit_plain(op_moves, -1, ((*moves, (dest, value, constant)),))
    d.instructions[-1] = position  # where the first move came from
    return True


# ---------------------------------------------------------------- operator pairs
#
# * **operator pairs**: an inline operator whose result only the next one reads (a stack
#   temporary: ``base + (i << 2)``, ``(c - 48) < 10``, ``(flags & MASK) != 0``) is
#   computed inside the closure of that next operator (:data:`PAIRS`). The expressions
#   are the compiler's templates, as for the single operators (:mod:`.inline`).

PAIRS: tuple[tuple[str, str], ...] = (
    # address arithmetic: an index scaled, then added to a base
    ("i32.shl", "i32.add"), ("i32.mul", "i32.add"), ("i32.add", "i32.add"),
    # bit fields and hashing
    ("i32.shr_u", "i32.and"), ("i32.and", "i32.xor"), ("i32.xor", "i32.mul"),
    ("i64.shr_u", "i32.wrap_i64"),
    # range checks (``c - '0' < 10`` is an add of -48), masks and tags tested
    ("i32.add", "i32.lt_u"), ("i32.add", "i32.gt_u"), ("i32.sub", "i32.lt_u"),
    ("i32.and", "i32.eq"), ("i32.and", "i32.ne"), ("i32.wrap_i64", "i32.lt_u"),
    ("i64.and", "i64.eq"), ("i64.and", "i64.ne"),
)
"""``(producer, consumer)``: the inline operators whose pairs are fused. Shapes: the
producer's (``"rr"``, ``"rc"``; ``"r"`` if unary), then where the consumer reads it:
``"x"`` (unary consumer), ``"xr"``/``"xc"`` (first operand; the other a register or a
constant), ``"rx"`` (second operand, the first a register; not for commutative
consumers, whose operands are swapped instead). The fused shape is ``"rc.xr"`` and so
on; the factory takes the producer's operands then the consumer's other one."""


TESTED: tuple[str, ...] = (
    "i32.add", "i32.sub", "i32.and", "i32.or", "i32.xor", "i32.shl", "i32.shr_u")
"""Operators whose value, written to a local, a following ``br_if``/``if`` on that local
may test in the same closure (i32 ones: a branch tests an i32; pair name ``"i32.add>br"``,
shapes ``"rr"``, ``"rc"``)."""


def _pairs_source() -> str:
    """The source of the fused pairs' factories; it ends with ``FORMS``, a tuple of
    ``(pair name, kind, fused shape, factory name)`` (pair name ``"i32.shl>i32.add"``)."""
    from .inline import (COMMUTATIVE, TESTED_VALUES, _hot_table,  # (only to write it)
                         branch_sources, forms_source)
    values, conditions = _hot_table()
    templates = {**values, **conditions}
    producer_shapes = {"r": ("p0", ("R[p0]",)), "rr": ("p0, p1", ("R[p0]", "R[p1]")),
                       "rc": ("p0, p1", ("R[p0]", "p1"))}
    lines: list[str] = []
    forms: list[tuple[str, str, str, str]] = []
    for number, (producer, consumer) in enumerate(PAIRS):
        pair = f"{producer}>{consumer}"
        p_template, c_template = templates[producer], templates[consumer]
        p_unary = "{1}" not in p_template
        c_unary = "{1}" not in c_template
        condition = consumer in conditions
        branches = condition or consumer in TESTED_VALUES
        c_shapes = {"x": ("", ("x",))} if c_unary else {
            "xr": (", c", ("x", "R[c]")), "xc": (", c", ("x", "c")),
            **({} if consumer in COMMUTATIVE else {"rx": (", c", ("R[c]", "x"))})}
        for p_shape, (p_params, p_operands) in producer_shapes.items():
            if (p_shape == "r") != p_unary:
                continue
            produced = p_template.format(*p_operands)
            for c_shape, (c_params, c_operands) in c_shapes.items():
                shape = f"{p_shape}.{c_shape}"
                text = c_template.format(*c_operands)
                params = f"{p_params}{c_params}"
                tag = f"{number}_{p_shape}_{c_shape}"
                value = f"1 if {text} else 0" if condition else text
                lines += [f"def v{tag}(ctx, nxt, dest, {params}):",
                          "    def op(R):",
                          f"        x = {produced}",
                          f"        R[dest] = {value}",
                          "        return nxt",
                          "    return op"]
                forms.append((pair, "value", shape, f"v{tag}"))
                if not branches:
                    continue
                for kind, name, written in branch_sources(
                        tag, params, text, [f"        x = {produced}"]):
                    lines += written
                    forms.append((pair, kind, shape, name))
    for number, name in enumerate(TESTED):
        for shape, (params, operands) in producer_shapes.items():
            if shape == "r":
                continue
            text = templates[name].format(*operands)
            for kind, fname, written in branch_sources(
                    f"t{number}_{shape}", params, "x", [f"        R[dest] = x = {text}"]):
                lines += written
                forms.append((f"{name}>br", kind, shape, fname))
    return forms_source(lines, forms)


def _build_pairs() -> dict[str, HotOp]:
    """The fused pairs' factories by pair name (from the committed module)."""
    return hot_forms(_pairs_source, "operator pairs")


FUSED: dict[str, HotOp] = {}
"""Pair name (``"i32.shl>i32.add"``) -> its factories, as :data:`.inline.HOT` by operator;
filled by :func:`fused` when a decoder first fuses a pair (a process whose functions
have none does not import the module of their factories, ``gen_fused.py``)."""


def fused(name: str) -> HotOp:
    """The factories of pair ``name`` (:data:`FUSED`). Raises KeyError for another name."""
    if not FUSED:
        FUSED.update(_build_pairs())
    return FUSED[name]

_PRODUCERS: dict[Any, tuple[str, str]] = {
    factory: (name, shape) for name in {producer for producer, _ in PAIRS}
    for shape, factory in HOT[name].value.items() if shape in ("r", "rr", "rc")}
"""The inline operators' value factories that may start a pair -> (operator, shape)."""

_PRODUCERS_ALL: dict[Any, tuple[str, str]] = {
    HOT[name].value[shape]: (name, shape) for name in ("i32.add", "i32.sub")
    for shape in ("rr", "rc")}
"""The ``i32.add``/``i32.sub`` factories -> (operator, shape), for the stack pointer."""

FUSE_STARTS = frozenset((*_PRODUCERS, op_global_get))
"""The factories that may start a fusion of :func:`fuse_pair` (a decoder asks it only
after one of these)."""

_CONSUMERS: dict[str, frozenset[str]] = {}
for _producer, _consumer in PAIRS:
    _CONSUMERS[_consumer] = _CONSUMERS.get(_consumer, frozenset()) | {_producer}


def op_global_add(ctx: LinkContext, nxt: int, dest: int, index: int, addend: int) -> Closure:
    """``global.get`` then ``i32.add`` of a constant: ``R[dest] = global + addend``."""
    g = ctx.globals[index]

    def op(R: list[Any], addend: int = addend, dest: int = dest, g: Any = g,
           nxt: int = nxt) -> int:
        R[dest] = (g.value + addend) & 0xFFFFFFFF
        return nxt
    return op


def op_global_set_add(ctx: LinkContext, nxt: int, dest: int, index: int, source: int,
                      addend: int) -> Closure:
    """``i32.add`` of a register and a constant, then ``global.set`` of the sum."""
    g = ctx.globals[index]

    def op(R: list[Any], addend: int = addend, g: Any = g, nxt: int = nxt,
           source: int = source) -> int:
        g.value = (R[source] + addend) & 0xFFFFFFFF
        return nxt
    return op


def _addend(name: str, constant: int) -> int:
    """What ``i32.add`` adds for ``name`` (``i32.add`` or ``i32.sub``) of ``constant``."""
    return constant if name == "i32.add" else -constant & _MASK32


def fuse_global_set(d: FunctionDecoder, index: int, entry: Any) -> bool:
    """Emit ``global.set`` of ``entry`` fused with the ``i32.add``/``i32.sub`` of a
    constant just emitted that computed it (retracted), and return True; else False."""
    if not d.makes or isinstance(entry, Const) or not d.redirectable(entry):
        return False
    found = _PRODUCERS_ALL.get(d.makes[-1])
    if found is None or found[1] != "rc" or found[0] not in ("i32.add", "i32.sub"):
        return False
    source, constant = d.args[-1]
    d.retract()
    d.emit_plain(op_global_set_add, -1, (index, source, _addend(found[0], constant)))
    return True


_TESTED_VALUES: dict[Any, tuple[str, str]] = {
    HOT[name].value[shape]: (name, shape) for name in TESTED for shape in ("rr", "rc")}
"""The value factories of :data:`TESTED` -> (operator, shape)."""


def fuse_tested(d: FunctionDecoder, condition: int, label: Label, negate: bool) -> bool:
    """Make the closure just emitted, an operator of :data:`TESTED` that wrote local
    ``condition``, also branch on it (to ``label``; with ``negate``, the jump of ``if``)
    and return True, if nothing starts between them; else False."""
    makes = d.makes
    if not makes or d.dests[-1] != condition or d.barrier == len(makes) + 1:
        return False
    found = _TESTED_VALUES.get(makes[-1])
    if found is None:
        return False
    pair = fused(f"{found[0]}>br")
    makes[-1] = (pair.skip if negate else pair.branch)[found[1]]
    d.args[-1] = (label, *d.args[-1])
    d.fusions[-1] = None
    d.last = -1
    return True


def fuse_pair(d: FunctionDecoder, name: str, shape: str, operands: tuple[Any, ...]
              ) -> tuple[Any, str, tuple[Any, ...], tuple[str, str, tuple[Any, ...]] | None] | None:
    """When the inline operator ``name`` (``shape``, ``operands``, about to be emitted)
    reads the result of the closure just emitted, and the two are a pair of :data:`PAIRS`:
    retract that closure and return ``(factory, fused shape, fused operands, fusion)``
    (``fusion`` for a following branch, or None); else None."""
    last = d.makes[-1] if d.makes else None
    if (last is op_global_get and shape == "rc" and (name == "i32.add" or name == "i32.sub")
            and operands[0] == d.dests[-1] and d.redirectable(operands[0])):
        index = d.args[-1][0]
        d.retract()
        return op_global_add, shape, (index, _addend(name, operands[1])), None
    producers = _CONSUMERS.get(name)
    if producers is None:
        return None
    found = _PRODUCERS.get(last)
    if found is None or found[0] not in producers:
        return None
    produced = d.dests[-1]
    other: tuple[Any, ...]
    if shape == "r":
        slot, other = "x", ()
        if operands[0] != produced:
            return None
    elif shape == "rc":
        slot, other = "xc", (operands[1],)
        if operands[0] != produced:
            return None
    elif shape == "rr":
        if operands[0] == produced:
            slot, other = "xr", (operands[1],)
        elif operands[1] == produced:
            slot, other = "rx", (operands[0],)
        else:
            return None
    else:
        return None
    if not d.redirectable(produced):
        return None
    pair = fused(f"{found[0]}>{name}")
    fused_shape = f"{found[1]}.{slot}"
    make = pair.value.get(fused_shape)
    if make is None and slot == "rx":  # a commutative consumer: operands swapped
        fused_shape = f"{found[1]}.xr"
        make = pair.value.get(fused_shape)
    if make is None:
        return None
    operands = (*d.args[-1], *other)
    d.retract()
    fusion = (f"{found[0]}>{name}", fused_shape, operands) if pair.branch else None
    return make, fused_shape, operands, fusion
