"""Pairs of closures run as one (superinstructions), made when a function is linked.

The interpreter's loop pays one dispatch per closure (``pc = ops[pc](R)``: a list index,
a Python call and its frame): for an inline operator that is most of its cost. Compiler
output runs its operators in short chains (``i32.add`` of a constant then another,
an ``i64.mul`` then an ``i64.add``, an address computed then compared and branched on,
a register copied then operated on), so a closure that runs two consecutive ones saves a
dispatch each time it runs. The second part cannot trap (an inline operator of
:data:`.inline.HOT` whose expression reads each operand once, a register copy or a
constant; or a fused compare-and-branch, which ends the pair), so no trap ever needs its
position; the first may also be a scalar load or store (round 16), whose trap is
reported at the pair's position, which is its own, before the second part runs.

:data:`PAIRS` lists the pairs that have a factory (written by
``python -m wasmem.exec.interpreter.regenerate`` as ``gen_pairs.py``): the commonest
adjacent pairs of such closures in interpreted runs of clang -O2/-Os/-Oz output of
programs of others (``bench/interpreter.md``, rounds 15 and 16; round 17 added the
commonest of -Os/-Oz builds). :func:`fuse` replaces closure
``pc`` of a linked function by its pair's closure when closure ``pc + 1`` is reached
only by falling through from it (not a :attr:`~.program.DecodedFunction.leaders` entry);
closure ``pc + 1`` stays linked as it was, so whatever reads or enters the program at
any position (backtraces, the tiered mode's loop hooks, lazy linking) sees the same
program. Only the plain interpreter fuses: instrumented copies (:mod:`wasmem.observe`)
and metered functions (fuel) run every closure as decoded.
"""

from __future__ import annotations

import os
from typing import Any

from .. import support
from ...memory.linear import OutOfBounds
from ...syntax.opcodes import BY_NAME
from . import inline, memory, ops
from .linking import leaders_of
from .program import DecodedFunction

__all__ = ["FUSING", "PAIRS", "build_pairs", "fuse", "pair_factories"]

FUSING = os.environ.get("WASMEM_INTERPRETER_PAIRS", "1") != "0"
"""Whether linking fuses pairs (``WASMEM_INTERPRETER_PAIRS=0``: not, to compare)."""

Form = tuple[str, str, str]  # (operator name or "copy"/"const", kind, shape)

PAIRS: tuple[tuple[Form, Form], ...] = ()
"""The pairs that get a factory (filled below from :data:`_PAIR_TEXT`)."""


def _form(text: str) -> Form:
    """``"i32.add rc"`` -> ``("i32.add", "value", "rc")``; ``"br i32.lt_s rr"`` -> a fused
    branch (``"skip ..."``: the branch taken when the condition is false); ``"copy"``,
    ``"const"``; ``"load i32.load8_u ar"``: a load, its address computed as
    :data:`.memory._ADDRESS_FORMS` says (``"-"``: a register plus the offset); ``"store
    i32.store c_k"``: a store of a register (``r``) or a constant (``c``). Raises
    ValueError for text of another shape (a bug in the table)."""
    words = text.split()
    if words in (["copy"], ["const"]):
        return (words[0], "move", "")
    if words[0] == "load":
        return (words[1], "load", "" if words[2] == "-" else words[2])
    if words[0] == "store":  # "store i32.store r_ac": the value a register, address fused
        return (words[1], "store", words[2])
    if words[0] in ("br", "skip"):
        return (words[1], "branch" if words[0] == "br" else "skip", words[2])
    name, shape = words
    return (name, "value", shape)


def _statement(form: Form, k: int) -> tuple[list[str], list[str], list[str]]:
    """(parameters, lines before the closure, lines of the closure) of ``form`` as
    part ``k`` of a pair (its variables suffixed with ``k``).

    Raises:
        KeyError: for an operator without an inline form;
        RuntimeError: for one whose expression reads an operand twice.
    """
    name, kind, shape = form
    if kind in ("load", "store"):
        return _access_statement(name, kind, shape, k)
    if kind == "move":
        if name == "copy":
            return [f"d{k}", f"s{k}"], [], [f"R[d{k}] = R[s{k}]"]
        return [f"d{k}", f"v{k}"], [], [f"R[d{k}] = v{k}"]
    values, conditions = inline._hot_table()
    expr = values.get(name) or conditions[name]
    if expr.count("{0}") > 1 or expr.count("{1}") > 1:
        raise RuntimeError(f"{name} reads an operand twice")
    operands = {"r": (f"R[a{k}]",), "rr": (f"R[a{k}]", f"R[b{k}]"),
                "rc": (f"R[a{k}]", f"b{k}"), "cr": (f"a{k}", f"R[b{k}]")}[shape]
    params = [f"a{k}"] if shape == "r" else [f"a{k}", f"b{k}"]
    text = expr.format(*operands)
    if kind == "value":
        value = f"1 if {text} else 0" if name in conditions else text
        return [f"d{k}", *params], [], [f"R[d{k}] = {value}"]
    body = f"return t{k} if {text} else nxt" if kind == "branch" \
        else f"return nxt if {text} else t{k}"
    return [f"d{k}", f"label{k}", *params], [f"t{k} = label{k}.target()"], [body]


_ADDRESSES = {
    "": "ea = R[a{k}] + o{k}", "k": "ea = at{k}",
    "ac": "ea = ((R[a{k}] + e{k}) & 0xFFFFFFFF) + o{k}",
    "ar": "ea = ((R[a{k}] + R[e{k}]) & 0xFFFFFFFF) + o{k}"}
"""An access's effective address by address form, as :data:`.memory._ADDRESS_FORMS`."""


def _access_statement(name: str, kind: str, shape: str, k: int
                      ) -> tuple[list[str], list[str], list[str]]:
    """:func:`_statement` of a load or a store (only a pair's first part: the pair's
    position is the access's, where its trap is reported; the access checks its bounds
    before it writes anything, as :mod:`.memory`'s closures do). Raises KeyError for a
    name that is not a scalar access of ``kind`` or an unknown form."""
    value, _, form = shape.partition("_") if kind == "store" else ("", "", shape)
    size = BY_NAME[name].memory_size
    params = [f"d{k}", f"m{k}", f"a{k}", f"o{k}", *([f"v{k}"] if kind == "store" else []),
              *([f"e{k}"] if form in ("ac", "ar") else [])]
    pre = [f"mem{k} = ctx.memories[m{k}]", *([f"at{k} = a{k} + o{k}"] if form == "k" else [])]
    access = (f"R[d{k}] = {memory._LOAD_EXPRESSIONS[name]}" if kind == "load" else
              memory._STORE_STATEMENTS[name].format(
                  v={"r": f"R[v{k}]", "c": f"v{k}"}[value]))
    body = [_ADDRESSES[form].format(k=k), f"data = mem{k}.data", "try:", f"    {access}",
            "except ACCESS_ERRORS:", f"    if ea > len(data) - {size}:",
            f"        raise OutOfBounds(ea, {size}, len(data)) from None", "    raise"]
    return params, pre, body


_GLOBALS = {**support.STRUCTS, "OutOfBounds": OutOfBounds,
            "ACCESS_ERRORS": support.MEMORY_ACCESS_ERRORS}
"""The generated pairs' globals (what the loads' statements read)."""


def _pairs_source() -> str:
    """The source of the pairs' factories ``p0``, ``p1``, ... (in :data:`PAIRS` order).
    Raises what :func:`_statement` raises."""
    lines: list[str] = []
    for number, (first, second) in enumerate(PAIRS):
        p1, pre1, body1 = _statement(first, 1)
        p2, pre2, body2 = _statement(second, 2)
        if first[1] not in ("value", "move", "load", "store"):
            raise RuntimeError(f"pair {number}: a branch cannot come first")
        if second[1] in ("load", "store"):
            raise RuntimeError(f"pair {number}: an access comes first or not at all")
        tail = ["return nxt"] if second[1] in ("value", "move") else []
        lines += [f"def p{number}(ctx, nxt, {', '.join(p1 + p2)}):",
                  *(f"    {line}" for line in pre1 + pre2),
                  "    def op(R):",
                  *(f"        {line}" for line in body1 + body2 + tail),
                  "    return op"]
    return "\n".join(lines) + "\n"


def _factory_of(form: Form) -> Any:
    """The decoder's factory of one part of a pair. Raises KeyError as :func:`_statement`."""
    name, kind, shape = form
    if kind == "load":
        return memory.ADDRESSED[name, "", shape] if shape else memory.LOADS[name]
    if kind == "store":
        value, _, address = shape.partition("_")
        return (memory.ADDRESSED[name, value, address] if address else
                (memory.STORES if value == "r" else memory.STORES_CONST)[name])
    if kind == "move":
        return ops.op_copy if name == "copy" else ops.op_set_const
    return getattr(inline.HOT[name], kind)[shape]


_table: dict[tuple[Any, Any], Any] | None = None
_namespace: dict[str, Any] | None = None
_by_names: dict[tuple[str, str], int] | None = None
_fused: dict[tuple[Any, Any], Any] = {}
"""(first factory, second factory) -> the pair's factory or None, for the pairs
:func:`fuse` met (made one at a time: a process pays only for the pairs its code has)."""
_UNSEEN = object()


def _pairs_namespace() -> dict[str, Any]:
    """The generated pairs' namespace, made once. Raises what :func:`build_pairs` raises."""
    global _namespace
    if _namespace is None:
        _namespace = inline.generate(_pairs_source, dict(_GLOBALS), "pairs")
    return _namespace


def _name_of(form: Form) -> str:
    """The ``__name__`` of the decoder's factory of ``form`` (without making it)."""
    name, kind, shape = form
    if kind == "load":
        return f"load{list(memory._LOAD_EXPRESSIONS).index(name)}{'_' + shape if shape else ''}"
    if kind == "store":
        return f"store{list(memory._STORE_STATEMENTS).index(name)}_{shape}"
    if kind == "move":
        return "op_copy" if name == "copy" else "op_set_const"
    return inline.HOT_FACTORY_NAMES[name, kind, shape]


def _pair_of(first: Any, second: Any) -> Any:
    """The pair's factory for decoder factories ``first`` then ``second``, or None when
    they are not a pair of :data:`PAIRS`; remembered in :data:`_fused`. A name that
    matches is confirmed by the factories themselves (names of generated factories
    need not be unique). Raises what :func:`build_pairs` raises."""
    global _by_names
    if _by_names is None:
        _by_names = {(_name_of(a), _name_of(b)): number for number, (a, b) in enumerate(PAIRS)}
    number = _by_names.get((getattr(first, "__name__", ""), getattr(second, "__name__", "")))
    pair = None
    if number is not None:
        a, b = PAIRS[number]
        if _factory_of(a) is first and _factory_of(b) is second:
            pair = inline.factory(_pairs_namespace(), f"p{number}")
    _fused[first, second] = pair
    return pair


def pair_factories() -> dict[tuple[Any, Any], Any]:
    """(first factory, second factory) -> the pair's factory, made on first use.

    Raises what :func:`build_pairs` raises."""
    global _table
    if _table is None:
        _table = build_pairs()
    return _table


def build_pairs() -> dict[tuple[Any, Any], Any]:
    """A new table of :func:`pair_factories` (:mod:`.regenerate` records its source).

    Raises what compiling the pairs' source raises (a bug in :data:`PAIRS`)."""
    namespace = inline.generate(_pairs_source, dict(_GLOBALS), "pairs")
    return {(_factory_of(first), _factory_of(second)): inline.factory(namespace, f"p{number}")
            for number, (first, second) in enumerate(PAIRS)}


def fuse(closures: list[Any], decoded: DecodedFunction, ctx: Any, start: int,
         end: int) -> None:
    """Replace closures ``start`` .. ``end - 1`` of ``closures`` (a linked function's
    list, closure ``pc`` linked from ``decoded.makes[pc - 1]``) that begin a pair of
    :data:`PAIRS` by the pair's closure, the second closure reached only from the first
    (module docstring). Raises what a pair's factory raises (nothing for valid modules:
    the same arguments make the two closures)."""
    fused = _fused
    leaders = decoded.leader_set
    if leaders is None:
        leaders = decoded.leader_set = frozenset(leaders_of(decoded))
    makes, dests, args, threaded = decoded.makes, decoded.dests, decoded.args, \
        decoded.successors
    pc = start
    last = min(end - 2, len(makes) - 1)  # the last closure that can begin a pair
    while pc <= last:
        if threaded[pc] == pc + 1 and pc + 1 not in leaders:
            first, second = makes[pc - 1], makes[pc]
            pair = fused.get((first, second), _UNSEEN)
            if pair is _UNSEEN:
                pair = _pair_of(first, second)
            if pair is not None:
                closures[pc] = pair(ctx, threaded[pc + 1], dests[pc - 1], *args[pc - 1],
                                    dests[pc], *args[pc])
                pc += 2
                continue
        pc += 1


_PAIR_TEXT = """
i32.add rc / i32.add rc
i32.add rr / i32.shl rc
i32.xor rr / i32.mul rc
const / const
copy / copy
i32.add rc / br i32.eq rc
i32.xor rr / i32.xor rr
i32.add rc / i32.and rc
i32.shr_u rc / i32.and rc
i32.mul rc / i32.shr_u rc
i32.add rc / i32.add rr
i32.shl rc / i32.shr_s rc
i64.mul rr / i64.add rr
i32.add rc / br i32.gt_u rc
i32.and rc / i32.xor rr
i32.add rc / copy
i32.sub rr / br i32.ge_u rr
i32.add rr / i32.add rc
i32.xor rr / i32.shl rc
i64.add rr / i64.shr_u rc
i32.add rc / br i32.ne rr
i32.shl rc / i32.add rr
copy / i32.add rc
copy / i32.add rr
i32.add rc / const
i32.add rc / br i32.lt_u rc
const / i32.add rc
i32.add rc / skip i32.and rc
i32.shl rc / i32.xor rr
i32.add rc / br i32.lt_s rr
i32.shr_s rc / i32.shr_u rc
i32.mul rc / i32.add rc
copy / i32.and rc
i64.shr_u rc / i64.mul rr
i32.and rc / br i32.lt_u rc
const / copy
i64.and rc / i64.mul rr
i64.add rr / i64.and rc
i64.shr_u rc / i64.add rr
i32.sub cr / br i32.gt_s rr
i32.and rc / br i32.eq rc
copy / br i32.eq rr
i64.mul rc / i64.add rr
i64.and rc / i64.mul rc
i32.add rc / br i32.ge_u rr
i32.and rc / i32.shl rc
i32.and rc / br i32.eqz r
i64.and rc / br i64.eq rc
i64.extend_i32_u r / i64.and rc
i32.and rc / br i32.ne rc
i32.and rc / br i32.ne rr
i32.add rr / i32.sub rr
i32.shr_u rc / i32.shl rc
const / br i32.eq rc
i64.shl rc / i64.xor rr
i32.and rc / br i32.eq rr
copy / const
i64.add rr / i64.add rc
i32.and rc / br i32.gt_u rc
i32.shr_u rc / i32.xor rr
i32.add rr / copy
i32.mul rc / i32.sub rr
i64.mul rr / i64.shr_u rc
i64.shl rc / i64.and rc
i32.and rc / i32.add rc
i64.and rc / i64.or rr
i64.shr_u rc / i64.shr_u rc
i64.add rc / br i32.ne rr
copy / i64.and rc
i64.mul rr / i64.mul rr
i64.and rc / i64.and rc
i32.shr_s rc / i32.add rr
i32.shr_s rc / i32.add rc
i32.add rr / br i32.ne rr
i64.shr_u rc / i32.wrap_i64 r
i32.add rc / i32.and rr
i64.xor rr / i64.shr_u rc
i32.gt_u rc / copy
i32.add rr / i32.add rr
copy / i32.sub cr
i32.sub rr / i32.or rc
i32.mul rc / i32.add rr
f64.mul rr / f64.mul rr
i32.wrap_i64 r / i32.and rc
i32.xor rc / i32.add rc
i32.or rc / i32.add rc
copy / skip i32.and rc
copy / br i32.ge_u rr
i32.eq rc / br i32.eqz r
i32.add rc / i32.or rc
i32.and rc / br i32.ge_u rr
i64.xor rr / i64.shl rc
i32.and rc / const
copy / br i32.lt_u rr
copy / i32.shl rc
i32.add rc / i32.mul rc
i64.shr_u rc / i64.xor rr
i32.eq rc / const
i32.sub rr / i32.sub cr
const / br i32.ge_u rc
i64.extend_i32_u r / i64.add rr
f64.mul rc / f64.add rc
f64.mul rr / f64.mul rc
i32.sub rr / br i32.le_s rr
i32.add rc / i32.eq rc
i32.and rr / skip i32.and rc
i64.lt_u rr / i64.extend_i32_u r
i32.sub rr / br i32.le_u rc
copy / br i32.ne rc
copy / br i32.eqz r
i32.add rc / i32.sub cr
i32.add rc / br i32.gt_s rr
i32.shr_u rc / i32.add rc
i32.and rc / i32.and rc
const / i32.and rc
i64.add rr / i32.add rc
i32.add rr / br i32.gt_u rr
i32.sub cr / i32.add rc
const / br i32.eqz r
i32.add rr / const
f64.add rc / f64.mul rr
i32.add rc / br i32.gt_u rr
i32.and rc / i32.add rr
i32.sub rr / i32.add rc
i32.shl rc / i32.add rc
i32.add rc / i32.wrap_i64 r
i32.add rc / br i32.le_u rr
i32.add rc / i32.sub rr
i64.gt_u rc / i64.shr_u rc
i32.add rc / br i32.le_u rc
i64.add rr / i64.lt_u rr
const / i32.add rr
i32.add rc / i32.shl rc
i32.and rr / i32.mul rr
i32.xor rr / i32.add rc
i64.extend_i32_u r / i64.shl rc
i64.and rc / br i64.ne rc
i32.add rr / i32.sub cr
i32.sub rr / i32.shl rc
i32.gt_u rr / const
i32.add rc / br i32.ne rc
i32.add rc / br i32.lt_u rr
i32.sub rr / i32.add rr
const / br i32.gt_u rc
i32.xor rc / i32.add rr
const / br i32.ge_u rr
f64.add rr / f64.add rr
const / br i32.lt_s rc
copy / i32.sub rr
copy / i64.extend_i32_u r
i64.add rr / i64.add rr
i32.sub rr / i32.and rc
i32.add rc / br i32.ge_u rc
i32.mul rr / i32.add rc
i32.add rc / br i32.and rc
i32.shr_u rr / i32.add rr
i32.and rc / i32.eq rr
i32.shl rc / i32.sub cr
i64.and rc / i64.add rr
i32.mul rr / i32.add rr
load i32.load - / i32.add rr
load i32.load8_u ar / br i32.ne rr
load i32.load8_u k / br i32.eqz r
load i64.load k / br i64.eqz r
load i32.load - / br i32.ge_u rr
load i32.load8_u - / br i32.eqz r
load i32.load8_u - / i32.xor rr
load i32.load - / i32.add rc
load i32.load8_s ar / i32.add rc
load i32.load8_s - / i32.add rc
load i32.load ar / i32.add rc
load i32.load ar / i32.gt_s rr
load i64.load - / i64.add rc
load i32.load - / i32.shl rc
load i32.load8_u - / i32.add rc
load i32.load - / i32.sub rr
load i32.load8_u ac / i32.xor rr
load i32.load - / br i32.eq rr
load i32.load8_u ar / copy
load i32.load8_u - / br i32.and rc
load i32.load8_u - / skip i32.and rc
load i32.load - / br i32.eqz r
load i64.load - / i64.add rr
load i32.load - / br i32.ge_s rc
load i32.load8_u - / i32.shl rc
load i32.load8_u - / br i32.eq rc
load i32.load8_u ar / br i32.lt_u rc
load f32.load ac / i32.add rr
load i32.load - / br i32.ne rr
load i32.load - / copy
load i32.load8_u - / br i32.ne rc
load i32.load - / i32.xor rc
load i32.load8_u ac / br i32.ne rc
load i32.load8_s - / br i32.gt_s rc
load i32.load - / const
load i32.load8_u - / br i32.ne rr
load i64.load ac / const
load i32.load8_u ac / i32.add rc
load i32.load - / br i32.lt_u rr
load i32.load8_u ar / br i32.ne rc
load i32.load8_u ac / i32.or rr
load i32.load8_u - / i32.eq rc
load i32.load8_u - / i32.and rc
load i64.load - / i32.add rc
load i32.load8_s - / br i32.eq rr
load i32.load8_s ac / br i32.eq rr
load i32.load - / i32.mul rc
load i64.load - / i64.lt_s rr
load f32.load - / i32.add rr
load i32.load k / i32.add rc
load i32.load8_u ar / i32.add rc
load i32.load - / i32.ge_u rr
load i32.load8_u - / i32.sub rr
load i32.load - / i32.and rc
load i32.load - / skip i32.and rc
load i32.load8_s ar / br i32.eq rc
load i32.load8_s ac / i32.and rc
load i32.load - / i32.wrap_i64 r
load i64.load ac / br i64.ne rr
load i32.load - / br i32.gt_u rr
store i64.store r_ac / i32.add rc
store i32.store c / i32.add rc
store i32.store8 r / i32.add rc
store i32.store r / i32.add rc
store i32.store r_ar / i32.add rc
store i32.store r / const
store f32.store r / i32.add rr
store f32.store r / i32.add rc
store i64.store r / copy
store i32.store r_k / i32.add rc
store i32.store r / i32.add rr
store i64.store r / i64.shl rc
store i64.store r / i32.add rc
store i32.store8 r / i32.gt_u rc
store i32.store r / br i32.lt_u rr
store i32.store8 r_ar / i32.add rc
store i32.store8 r / i64.gt_u rc
store i32.store8 r_ac / br i32.lt_u rc
store i32.store r / br i32.eqz r
store i32.store8 c / i32.add rc
store i32.store16 r / i32.add rc
i64.add rr / i64.mul rr
i64.extend_i32_s r / i64.mul rr
i64.and rc / i64.sub rr
store i32.store r / i32.shl rc
i64.shr_s rc / i64.add rr
i32.mul rc / i64.extend_i32_s r
load i32.load - / br i32.gt_u rc
i32.shl rc / i64.extend_i32_s r
load i32.load - / br i32.ge_u rc
store i64.store32 r / i64.mul rr
i64.add rc / copy
i64.add rr / i32.mul rc
store i64.store32 r / i64.and rc
i64.add rr / i64.extend_i32_s r
i64.add rc / i64.shr_s rc
load i32.load - / i64.extend_i32_s r
i64.add rr / i64.shr_s rc
load i64.load32_s - / i64.mul rr
i64.add rc / i64.shr_u rc
i64.sub rr / i64.shr_s rc
i64.sub rr / i64.add rr
i64.mul rr / i64.extend_i32_s r
i64.extend_i32_s r / i64.extend_i32_s r
i32.gt_s rc / const
i64.add rc / i64.and rc
i32.eq rc / i32.add rr
i32.eqz r / i32.and rr
i32.eq rr / i32.eqz r
copy / i32.shr_u rr
load i32.load8_u ar / br i32.eqz r
i64.shr_s rc / i64.mul rc
i64.shr_s rc / i64.and rc
i64.mul rc / i64.and rc
store i32.store r_ar / i32.or rc
load i32.load k / br i32.ne rr
i32.lt_u rc / const
load i32.load - / i32.xor rr
i32.shl rc / i32.or rr
load i32.load8_s - / i32.and rc
i64.add rr / i32.shl rc
i32.xor rr / i32.xor rc
i32.and rr / br i32.and rc
i32.and rc / i32.or rr
i32.wrap_i64 r / i32.shl rc
store i32.store r / copy
load i32.load k / br i32.lt_u rr
store i32.store r / i32.xor rr
load i64.load ac / i64.add rr
"""
"""The pairs, one a line: ``first / second`` in :func:`_form`'s notation."""

PAIRS = tuple((_form(a), _form(b)) for a, b in
              (line.split(" / ") for line in _PAIR_TEXT.strip().splitlines()))
