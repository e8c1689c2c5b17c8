"""The symbolic operand stack of the code generator.

During translation each operand-stack slot holds an :class:`Entry`: a Python expression
that computes the value, plus what it depends on. Pure expressions are folded into their
consumers (``local.get 0; i32.const 1; i32.add; local.set 0`` becomes
``l0 = (l0 + 1) & 0xFFFFFFFF``). An entry is *materialised* into the canonical slot
variable ``s<i>`` (``i`` = its stack position) when that is needed to keep the spec's
evaluation order: before a variable it reads is overwritten, before side effects if it
reads state or may trap, and at control-flow joins.

Evaluation order: an impure entry is never evaluated (materialised or consumed) while an
impure entry below it is still pending, so the first trap in execution order is the one
raised. :meth:`SymbolicStack.materialize` keeps this for every entry it assigns; consumers
that evaluate a popped impure operand call :meth:`SymbolicStack.flush_impure` first.

Invariant: an entry at position ``i`` only refers to slot variables ``s<j>`` with
``j >= i``, so materialising never cycles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["CannotCompile", "Entry", "INT_CONSTANTS", "MAX_EXPR_DEPTH", "MAX_STACK_HEIGHT",
           "NO_REFS", "const_entry", "int_constant", "refs_of", "var_entry"]

MAX_EXPR_DEPTH = 24
"""Entries nested deeper than this are materialised (Python's parser limits nesting)."""

MAX_STACK_HEIGHT = 128
"""Tallest operand stack the generator scans; a function that needs more (real code stays
far below) runs on the interpreter, whose bookkeeping does not rescan the stack, so a
hostile body cannot make translation quadratic."""


class CannotCompile(Exception):
    """The function cannot be translated to Python; use the interpreter for it."""


def _check_height(items: list[Entry]) -> None:
    if len(items) > MAX_STACK_HEIGHT:
        raise CannotCompile(f"operand stack taller than {MAX_STACK_HEIGHT}")


class Entry:
    """One symbolic operand.

    Attributes:
        expr: Python expression text.
        refs: variable names the expression reads (``l3``, ``s5``).
        impure: reads mutable state (memory, globals, tables) or may trap; such entries
            are evaluated before any side effect and never dropped silently.
        const: the value, when the entry is a known constant.
        boolean: the value is a Python bool (an i32 0/1).
        depth: nesting depth of the expression.
        lo, hi: known bounds of an integer value (unsigned), or None when unknown;
            they let the generator drop wrap-around masks (see :mod:`.ranges`).
        compare: for an integer comparison, ``(operator, left, right)`` so that a branch
            on it can teach the generator facts about locals.
        align: a power of two known to divide the value (1 if nothing is known); loads
            and stores at such addresses use the aligned fast path.
        scaled: for ``x << k``, ``(x expression, k, mask applied to x or None)``, so an
            aligned access of size ``2**k`` can index its typed view with ``x`` directly.
        shifted: for an exact ``x >> k`` (unsigned, constant ``k``), ``(x expression,
            k)``, so that a mask applied to it can fold the two shifts into one.
        raw: for integer ``add``/``sub``/``mul``/``and``/``or``/``xor``/``shl``, an
            expression equal to the value modulo ``2**bits`` but not reduced (it may be
            negative or too large): an operand of another of these operations may use it
            and leave the reduction to the end of the chain, one ``& mask`` for all.
            Everything else reads ``expr``, the exact value.
    """

    __slots__ = ("align", "boolean", "compare", "const", "depth", "expr", "hi", "impure", "lo",
                 "raw", "refs", "scaled", "shifted")

    def __init__(self, expr: str, refs: frozenset[str] = frozenset(), impure: bool = False,
                 const: int | float | None = None, boolean: bool = False,
                 depth: int = 0, lo: int | None = None, hi: int | None = None,
                 compare: tuple[str, Entry, Entry] | None = None) -> None:
        self.expr = expr
        self.refs = refs
        self.impure = impure
        self.const = const
        self.boolean = boolean
        self.depth = depth
        self.align = 1
        self.scaled: tuple[str, int, int | None] | None = None
        self.shifted: tuple[str, int] | None = None
        self.raw: str | None = None
        if const is None:
            if boolean:
                lo, hi = 0, 1
        elif isinstance(const, int) and not isinstance(const, bool):
            lo = hi = const
            self.align = (const & -const) if const else 1 << 16
        elif boolean:
            lo, hi = 0, 1
        self.lo = lo
        self.hi = hi
        self.compare = compare

    @property
    def simple(self) -> bool:
        """True for a variable name or a literal: free to evaluate more than once."""
        return self.depth == 0

    def __repr__(self) -> str:
        return f"Entry({self.expr!r}{' impure' if self.impure else ''})"


_EMPTY: frozenset[str] = frozenset()
NO_REFS = _EMPTY
"""The ``refs`` of an entry that reads no variable."""


def refs_of(*entries: Entry) -> frozenset[str]:
    """The variables any of ``entries`` reads."""
    out: frozenset[str] = _EMPTY
    for e in entries:
        if e.refs:
            out = out | e.refs
    return out


def const_entry(value: int | float, text: str | None = None) -> Entry:
    """Return an entry for a literal constant."""
    return Entry(text if text is not None else repr(value), _EMPTY, False, value)


INT_CONSTANTS: dict[int, Entry] = {}
"""Shared entries of integer literals (``i32.const``/``i64.const``), by value: an entry
is never changed once made (the emitters make new ones), so one object serves every
push of the same literal, in every translation."""
_MAX_INT_CONSTANTS = 4096


def int_constant(value: int) -> Entry:
    """The shared entry of integer literal ``value`` (see :data:`INT_CONSTANTS`)."""
    entry = INT_CONSTANTS.get(value)
    if entry is None:
        entry = Entry(repr(value), _EMPTY, False, value)
        if len(INT_CONSTANTS) < _MAX_INT_CONSTANTS:  # (a bounded cache, for the process)
            INT_CONSTANTS[value] = entry
    return entry


def var_entry(name: str) -> Entry:
    """Return an entry that reads one variable."""
    return Entry(name, frozenset((name,)))


class SymbolicStack:
    """The operand stack plus materialisation, writing statements through ``emit``."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self.items: list[Entry] = []
        self.emit = emit
        self.slots = 0  # above every slot variable ``s<i>`` assigned so far
        # the line-table recorder (see .lines) told of impure entries pushed, if any
        self.sites: Any = None

    def __len__(self) -> int:
        return len(self.items)

    def push(self, entry: Entry) -> None:
        """Push an entry, materialising it first if it nests too deeply."""
        if entry.impure and self.sites is not None:
            self.sites.deferred(entry)  # it may trap: remember where it was made
        items = self.items
        items.append(entry)
        if entry.depth > MAX_EXPR_DEPTH:
            self.materialize(len(items) - 1)

    def pop(self) -> Entry:
        """Pop the top entry."""
        return self.items.pop()

    def pop_n(self, n: int) -> list[Entry]:
        """Pop ``n`` entries, returned bottom first."""
        if n == 0:
            return []
        out = self.items[-n:]
        del self.items[-n:]
        return out

    def top_n(self, n: int) -> list[Entry]:
        """Return the top ``n`` entries (bottom first) without popping."""
        return self.items[len(self.items) - n:] if n else []

    def materialize(self, position: int, force: bool = False) -> None:
        """Assign entry ``position`` to its slot variable ``s<position>`` (if not already).

        Constants stay symbolic unless ``force`` (a join point that reads the slot).
        """
        entry = self.items[position]
        name = f"s{position}"
        if entry.expr == name or (entry.const is not None and not force):
            return
        if entry.impure:
            # the first trap in execution order: impure entries below run first
            self.flush_impure(keep_top=len(self.items) - position)
        self.flush_refs(name, skip=position)
        if position >= self.slots:
            self.slots = position + 1
        self.emit(f"{name} = {entry.expr}")
        replacement = Entry(name, frozenset((name,)), False, None, entry.boolean, 0,
                            entry.lo, entry.hi)  # (positional: no keyword dict)
        replacement.align = entry.align
        self.items[position] = replacement

    def flush_refs(self, name: str, skip: int = -1) -> None:
        """Materialise every entry that reads variable ``name`` (before it is assigned).

        Raises:
            CannotCompile: when the stack is taller than :data:`MAX_STACK_HEIGHT`.
        """
        items = self.items
        if len(items) > MAX_STACK_HEIGHT:
            _check_height(items)
        for i, entry in enumerate(items):
            if name in entry.refs and i != skip and entry.expr != f"s{i}":
                self.materialize(i)

    def flush_impure(self, keep_top: int = 0) -> None:
        """Materialise impure entries, bottom first, except the top ``keep_top`` ones.

        Raises:
            CannotCompile: when the stack is taller than :data:`MAX_STACK_HEIGHT`.
        """
        items = self.items
        if len(items) > MAX_STACK_HEIGHT:
            _check_height(items)
        for i in range(len(items) - keep_top):
            if items[i].impure:
                self.materialize(i)

    def flush_all(self, force_from: int | None = None) -> None:
        """Materialise every non-constant entry (at control-flow boundaries).

        Entries at ``force_from`` and above are put in their slots even if constant.

        Raises:
            CannotCompile: when the stack is taller than :data:`MAX_STACK_HEIGHT`.
        """
        _check_height(self.items)
        for i in range(len(self.items)):
            self.materialize(i, force=force_from is not None and i >= force_from)

    def make_simple(self, position: int) -> Entry:
        """Make entry ``position`` a variable or constant and return it."""
        if self.items[position].depth:  # (not .simple, inline)
            self.materialize(position)
        return self.items[position]
