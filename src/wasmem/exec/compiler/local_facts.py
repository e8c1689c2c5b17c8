"""What a translation knows about its locals: their Python names, ranges and alignment.

:class:`LocalFacts` is the part of :class:`.codegen.FunctionCompiler` that reads and
narrows the facts about locals (:mod:`.ranges` computes them; the emitters ask through
these methods). The compiler sets the attributes declared here.
"""

from __future__ import annotations

from ...syntax.instructions import Block
from .ranges import Range, assigned_locals, condition_facts
from .stack import Entry

__all__ = ["LocalFacts"]


class LocalFacts:
    """Local names and the facts known about locals at the current point of a translation."""

    local_prefix: str
    """The prefix of the current scope's locals (``l``, or ``i<k>_`` inside an inlined callee)."""
    local_ranges: dict[int, Range]
    """The range known of each local here (absent: unknown)."""
    local_align: dict[int, int]
    """A power-of-two divisor known of each local over the whole function."""
    assigned_cache: dict[int, frozenset[int]]
    """The locals each construct assigns, by its ``id`` (see :func:`.ranges.assigned_locals`)."""

    def local_name(self, index: int) -> str:
        """The Python variable of local ``index`` in the current (possibly inlined) scope."""
        return f"{self.local_prefix}{index}"

    def local_entry(self, index: int) -> Entry:
        """A stack entry reading local ``index``, with what is known of its range."""
        name = f"{self.local_prefix}{index}"
        known = self.local_ranges.get(index)
        if known is None:
            entry = Entry(name, frozenset((name,)))
        else:
            entry = Entry(name, frozenset((name,)), False, None, False, 0, known[0], known[1])
        entry.align = self.local_align.get(index, 1)
        return entry

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
        if not entry_facts:
            return {}
        dropped = entry_facts.keys() & assigned_locals(block, self.assigned_cache)
        if not dropped:
            return entry_facts.copy()
        if 2 * len(dropped) < len(entry_facts):
            after = entry_facts.copy()  # (a copy in C, then the few assigned dropped)
            for k in dropped:
                del after[k]
            return after
        return {k: v for k, v in entry_facts.items() if k not in dropped}
