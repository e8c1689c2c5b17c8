"""Fill and copy loops: find them, and run them as one slice assignment when that is exact.

C libraries fill and copy memory with unrolled word loops (musl's ``memset`` and
``memcpy``, which every wasi-libc program contains, and the loops clang writes for
``for (i = 0; i < n; i++) a[i] = 0``). Such a loop, translated store by store, costs a
``struct`` call per word. :func:`match_bulk_loop` recognises a ``loop`` whose body
does nothing but

* store a loop-invariant value (a local the loop never assigns, or a constant) at
  ``p + k`` for offsets ``k`` that tile ``[e, e + S)`` exactly, or copy the same-width
  value loaded from ``q + k + shift`` (an integer load of the same width), where the
  locals ``p`` (and ``q``) advance by ``S`` bytes per iteration,
* advance some locals by constants (induction variables: ``x = x + c``), and
* end with ``br_if 0`` on an unsigned comparison of an induction variable with a
  constant or a loop-invariant local (or on the variable itself: not zero).

The generator then emits, before the translated loop, a test that computes the
number of iterations (:func:`bulk_trips`: exact only when no induction value of the
test wraps around) and checks every byte the loop would touch lies inside the memory
(and, for a copy, that source and destination do not overlap); when it holds, one
slice assignment does what the loop would do (:func:`bulk_fill`, :func:`bulk_copy`) and
the induction variables get their final values (``emit_blocks.emit_bulk_guard``).
Otherwise the loop runs as translated, so traps happen exactly where the loop would
raise them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import BY_NAME

__all__ = ["BulkLoop", "bulk_copy", "bulk_fill", "bulk_trips", "match_bulk_loop"]

MASK32 = 0xFFFFFFFF

_OP = {name: BY_NAME[name].key for name in (
    "local.get", "local.set", "local.tee", "i32.const", "i64.const", "i32.add",
    "i32.sub", "br_if", "nop")}
_LOADS = {BY_NAME[name].key: size for name, size in (
    ("i32.load", 4), ("i64.load", 8), ("i32.load8_u", 1), ("i32.load8_s", 1),
    ("i32.load16_u", 2), ("i32.load16_s", 2), ("i64.load8_u", 1), ("i64.load8_s", 1),
    ("i64.load16_u", 2), ("i64.load16_s", 2), ("i64.load32_u", 4), ("i64.load32_s", 4))}
"""Integer loads (a float would not carry a NaN's bits unchanged): opcode -> width."""
_STORES = {BY_NAME[name].key: size for name, size in (
    ("i32.store", 4), ("i64.store", 8), ("i32.store8", 1), ("i32.store16", 2),
    ("i64.store8", 1), ("i64.store16", 2), ("i64.store32", 4))}
"""Integer stores: opcode -> width."""
_COMPARES = {BY_NAME[name].key: op for name, op in (
    ("i32.gt_u", "gt"), ("i32.ge_u", "ge"), ("i32.lt_u", "lt"), ("i32.le_u", "le"),
    ("i32.ne", "ne"))}
_FLIPPED = {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge", "ne": "ne"}

MAX_BODY = 200
"""Longest loop body (instructions) examined."""


class BulkLoop:
    """A loop that :func:`match_bulk_loop` found to fill or copy memory.

    Attributes:
        memory: the memory index of every access.
        steps: ``(local, step)`` for every local the loop assigns (step signed, per
            iteration).
        dest: the local holding the destination pointer.
        dest_low: the least constant added to ``dest`` before an access's offset.
        dest_start: where the bytes written in the first iteration start, from ``dest``.
        width: bytes per store.
        chunk: bytes written per iteration (the step of ``dest``).
        fill: ``("local", index)`` or ``("const", value)`` for a fill; None for a copy.
        source, source_low, source_start: as ``dest``'s, for a copy (else -1, 0, 0).
        counter, counter_delta: the induction variable the exit test reads, and the
            constant added to its value at the start of the iteration.
        compare: ``"gt"``, ``"ge"``, ``"lt"``, ``"le"`` or ``"ne"`` (unsigned): the loop
            goes on while ``counter + counter_delta <compare> bound``.
        bound: ``("const", value)`` or ``("local", index, delta)`` (loop-invariant).
    """

    __slots__ = ("memory", "steps", "dest", "dest_low", "dest_start", "width", "chunk", "fill",
                 "source", "source_low", "source_start", "counter", "counter_delta",
                 "compare", "bound")

    def __init__(self, memory: int, steps: tuple[tuple[int, int], ...], dest: int,
                 dest_low: int, dest_start: int, width: int, chunk: int,
                 fill: tuple[str, int] | None, source: int, source_low: int,
                 source_start: int, counter: int, counter_delta: int, compare: str,
                 bound: tuple[Any, ...]) -> None:
        self.memory, self.steps, self.dest = memory, steps, dest
        self.dest_low, self.dest_start, self.width, self.chunk = dest_low, dest_start, width, chunk
        self.fill, self.source, self.source_low = fill, source, source_low
        self.source_start, self.counter, self.counter_delta = source_start, counter, counter_delta
        self.compare, self.bound = compare, bound


def _signed(value: int) -> int:
    value &= MASK32
    return value - (1 << 32) if value >= 1 << 31 else value


def _evaluate(body: Sequence[Instruction]) -> tuple[dict[int, Any], list[Any], Any] | None:
    """Run the body symbolically: (locals assigned -> value, stores, exit condition).

    Values: ``("lin", local, delta)`` (the local's value at the start of the iteration
    plus a constant, modulo 2**32), ``("const", c)``, ``("load", width, memory, local,
    delta, offset)``, ``("cmp", op, a, b)``. None when the body does anything else.
    """
    env: dict[int, Any] = {}
    stack: list[Any] = []
    stores: list[Any] = []
    last = len(body) - 1
    for position, ins in enumerate(body):
        op = ins.opcode
        if type(ins) is not Instruction:
            return None
        if op == _OP["local.get"]:
            index = ins.immediates[0]
            stack.append(env.get(index, ("lin", index, 0)))
        elif op == _OP["local.set"] or op == _OP["local.tee"]:
            index = ins.immediates[0]
            value = stack.pop() if stack else None
            if value is None or value[0] != "lin" or value[1] != index or index in env:
                return None
            env[index] = value
            if op == _OP["local.tee"]:
                stack.append(value)
        elif op == _OP["i32.const"] or op == _OP["i64.const"]:
            stack.append(("const", ins.immediates[0]))
        elif op == _OP["i32.add"] or op == _OP["i32.sub"]:
            if len(stack) < 2:
                return None
            b, a = stack.pop(), stack.pop()
            sign = 1 if op == _OP["i32.add"] else -1
            if a[0] == "lin" and b[0] == "const":
                stack.append(("lin", a[1], (a[2] + sign * b[1]) & MASK32))
            elif sign == 1 and a[0] == "const" and b[0] == "lin":
                stack.append(("lin", b[1], (b[2] + a[1]) & MASK32))
            else:
                return None
        elif op in _LOADS:
            address = stack.pop() if stack else None
            if address is None or address[0] != "lin":
                return None
            _align, offset, memory = ins.immediates
            stack.append(("load", _LOADS[op], memory, address[1], address[2], offset))
        elif op in _STORES:
            if len(stack) < 2:
                return None
            value, address = stack.pop(), stack.pop()
            if address[0] != "lin" or value[0] not in ("lin", "const", "load"):
                return None
            _align, offset, memory = ins.immediates
            stores.append((_STORES[op], memory, address[1], address[2], offset, value))
        elif op in _COMPARES:
            if len(stack) < 2:
                return None
            b, a = stack.pop(), stack.pop()
            stack.append(("cmp", _COMPARES[op], a, b))
        elif op == _OP["br_if"]:
            if position != last or ins.immediates[0] != 0 or len(stack) != 1:
                return None
            return env, stores, stack.pop()
        elif op != _OP["nop"]:
            return None
    return None


def _test(env: dict[int, Any], cond: Any) -> tuple[int, int, str, tuple[Any, ...]] | None:
    """The exit test as (counter, delta, compare, bound), or None."""
    if cond[0] == "lin":
        cond = ("cmp", "ne", cond, ("const", 0))
    if cond[0] != "cmp":
        return None
    _, op, a, b = cond
    if a[0] != "lin" or a[1] not in env:
        a, b, op = b, a, _FLIPPED[op]
    if a[0] != "lin" or a[1] not in env:
        return None
    if b[0] == "const":
        bound: tuple[Any, ...] = ("const", b[1] & MASK32)
    elif b[0] == "lin" and b[1] not in env:
        bound = ("local", b[1], b[2])
    else:
        return None
    return a[1], a[2], op, bound


def _span(accesses: list[tuple[int, int]], width: int, chunk: int) -> int | None:
    """Where ``accesses`` ((delta, offset) pairs of ``width``-byte accesses) start if
    they tile ``chunk`` bytes exactly, else None."""
    starts = sorted(((delta if delta < 1 << 31 else delta - (1 << 32)) + offset
                     for delta, offset in accesses))
    first = starts[0]
    if starts != list(range(first, first + chunk, width)):
        return None
    return first


def match_bulk_loop(block: Block) -> BulkLoop | None:
    """The fill or copy that ``block`` (a ``loop`` with no parameters or results) does,
    or None when it is not one (see the module's description)."""
    body = block.body
    if not 3 <= len(body) <= MAX_BODY:
        return None
    found = _evaluate(body)
    if found is None:
        return None
    env, stores, cond = found
    if not stores:
        return None
    steps = {index: _signed(value[2]) for index, value in env.items()}
    width, memory, dest = stores[0][0], stores[0][1], stores[0][2]
    chunk = steps.get(dest, 0)
    if chunk <= 0 or chunk % width or len(stores) != chunk // width:
        return None
    if any(s[0] != width or s[1] != memory or s[2] != dest for s in stores):
        return None
    dest_start = _span([(s[3], s[4]) for s in stores], width, chunk)
    if dest_start is None:
        return None
    dest_low = min(_signed(s[3]) for s in stores)
    values = [s[5] for s in stores]
    fill: tuple[str, int] | None = None
    source, source_low, source_start = -1, 0, 0
    if values[0][0] == "load":
        source = values[0][3]
        if any(v[0] != "load" or v[1] != width or v[2] != memory or v[3] != source
               for v in values) or steps.get(source) != chunk:
            return None
        shifts = {_signed(v[4]) + v[5] - (_signed(s[3]) + s[4])
                  for v, s in zip(values, stores)}
        if len(shifts) != 1:
            return None
        source_low = min(_signed(v[4]) for v in values)
        source_start = dest_start + shifts.pop()
    elif values[0][0] == "const":
        if any(v != values[0] for v in values):
            return None
        fill = ("const", values[0][1])
    else:
        if values[0][2] or values[0][1] in env or any(v != values[0] for v in values):
            return None
        fill = ("local", values[0][1])
    test = _test(env, cond)
    if test is None:
        return None
    counter, delta, compare, bound = test
    return BulkLoop(memory, tuple(sorted(steps.items())), dest, dest_low, dest_start, width,
                    chunk, fill, source, source_low, source_start, counter, delta, compare,
                    bound)


# ----------------------------------------------------------------------------------------
# run time (bound in compiled code's namespace as n_bulk_trips, n_bulk_fill, n_bulk_copy)

def bulk_trips(first: int, step: int, compare: str, bound: int) -> int:
    """Iterations of a do-while loop whose i-th exit test (i >= 1) is ``first + (i - 1) *
    step <compare> bound`` (unsigned; the loop goes on while it holds): 0 when some
    tested value would leave ``[0, 2**32)`` (wrap around) or the loop would not end.
    """
    if compare == "ge":
        if bound == 0:
            return 0
        compare, bound = "gt", bound - 1
    elif compare == "le":
        compare, bound = "lt", bound + 1
    if compare == "gt":
        if first <= bound:
            return 1
        if step >= 0:
            return 0
        trips = 1 - (first - bound) // step  # ceil((first - bound) / -step) + 1
        return trips if first + (trips - 1) * step >= 0 else 0
    if compare == "lt":
        if first >= bound:
            return 1
        if step <= 0:
            return 0
        trips = 1 + -((first - bound) // step)
        return trips if first + (trips - 1) * step <= MASK32 else 0
    if first == bound:  # "ne"
        return 1
    if step == 0 or (bound - first) % step or (bound - first) // step < 0:
        return 0
    return 1 + (bound - first) // step


def bulk_fill(memory: Any, base: int, low: int, start: int, length: int, value: int,
              width: int) -> bool:
    """Store ``value`` (``width`` bytes, little-endian) over ``length`` bytes from
    ``base + start`` and return True, unless some access's address (``base + low``
    and on) would wrap or leave the memory: then change nothing and return False."""
    begin = base + start
    if base + low < 0 or begin < 0 or begin + length > len(memory):
        return False
    unit = (value & ((1 << 8 * width) - 1)).to_bytes(width, "little")
    memory[begin:begin + length] = unit * (length // width)
    return True


def bulk_copy(memory: Any, dest: int, dest_low: int, dest_start: int, source: int,
              source_low: int, source_start: int, length: int) -> bool:
    """Copy ``length`` bytes from ``source + source_start`` to ``dest + dest_start`` and
    return True, unless an address would wrap or leave the memory or the two ranges
    overlap (the loop's order of accesses would then matter): then return False."""
    to, frm = dest + dest_start, source + source_start
    size = len(memory)
    if (dest + dest_low < 0 or source + source_low < 0 or to < 0 or frm < 0
            or to + length > size or frm + length > size
            or (to < frm + length and frm < to + length)):
        return False
    memory[to:to + length] = memory[frm:frm + length]
    return True
