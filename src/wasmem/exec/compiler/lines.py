"""The line table of a translated function: which WebAssembly instruction each line of
the generated Python source comes from (for backtraces, :mod:`wasmem.exec.backtrace`).

It is built while translating and costs nothing at run time: when a trap propagates
out of generated code, the traceback's line number (and the column range of the Python
instruction that failed, from ``code.co_positions()``) is looked up here.

A *site* is a tuple of ``(function index, position)`` pairs, innermost first: the
instruction being translated and, for code of an inlined callee, the call instructions
it was inlined at. Because the generator defers pure and trapping expressions (see
:mod:`.stack`), a line can hold an expression of an earlier instruction
(``l2 = n_i32_div_s(l0, l1)`` is emitted by ``local.set`` but traps in ``i32.div_s``):
each line also keeps the column spans of such expressions with their own site.
"""

from __future__ import annotations

from typing import Any

from ...syntax.instructions import Position

__all__ = ["LineEntry", "Rewrite", "Site", "SiteRecorder", "remap_entries"]

Site = tuple[tuple[int, Position], ...]
"""Innermost first: ``(function index, instruction position)`` pairs."""
LineEntry = tuple[Site, tuple[tuple[int, int, Site], ...]]
"""A line's site, and ``(start column, end column, site)`` of deferred expressions in it."""

Rewrite = tuple[int, int, list[tuple[int, int, int, bool]]]
"""A pass replaced lines ``begin..end-1`` of the body by pieces ``(first, last, extra,
inserted)``: lines ``first..last-1`` of the replaced body shifted right by ``extra``
levels of four spaces, or (``inserted``) one new line with the site of line ``first``
and no column spans."""

PENDING_LIMIT = 256
"""Deferred expressions remembered at once (the oldest are forgotten beyond this)."""


class SiteRecorder:
    """Records the site of every emitted line; see the module docstring.

    ``position`` is set by the generator before each instruction it translates.
    Recording is a log of cheap events (a line, a deferred expression, a deletion);
    :meth:`table` replays it into the table, which only backtraces need, so the cost
    of matching deferred expressions to lines is paid when a table is asked for.
    """

    def __init__(self, function_index: int) -> None:
        self.function = function_index
        self.position: Position = None
        self.outer: tuple[tuple[int, Position], ...] = ()  # innermost call site first
        # events: (text, function, position, outer) for a line, (function, position,
        # outer, expression text, None) for a deferred expression (its text only: the
        # log outlives the translation while its code runs, see .tier), an int for a
        # deleted line
        self.events: list[Any] = []
        self.built: list[LineEntry | None] | None = None
        # what a pass over the finished lines changed (see .landings.plan_landings)
        self.rewrites: list[Rewrite] = []

    def site(self) -> Site:
        """The site of the instruction being translated."""
        return ((self.function, self.position), *self.outer)

    def enter(self, index: int) -> None:
        """Start translating the body of function ``index``, inlined at the current call."""
        self.outer = ((self.function, self.position), *self.outer)
        self.function, self.position = index, None

    def leave(self) -> None:
        """End an inlined body: back to the call instruction."""
        (self.function, self.position), *rest = self.outer
        self.outer = tuple(rest)

    def deferred(self, entry: Any) -> None:
        """Remember the site of an expression that may trap, not yet emitted."""
        self.events.append((self.function, self.position, self.outer, entry.expr, None))

    def line(self, text: str) -> None:
        """Record one emitted line."""
        self.events.append((text, self.function, self.position, self.outer))

    def replace_last(self, text: str) -> None:
        """The generator rewrote the line it emitted last as ``text``."""
        events = self.events
        for k in range(len(events) - 1, -1, -1):
            if type(events[k]) is tuple and type(events[k][0]) is str:
                events[k] = (text, *events[k][1:])
                return

    def delete(self, index: int) -> None:
        """The generator removed line ``index`` (of the body)."""
        self.events.append(index)

    @property
    def entries(self) -> list[LineEntry | None]:
        """The entries of the body's lines (built from the log when first asked for; a
        pass that rewrites the lines may set new ones)."""
        if self.built is None:
            self.built = self._replay()
            if self.rewrites:
                self.built = remap_entries(self.built, self.rewrites)
        return self.built

    @entries.setter
    def entries(self, entries: list[LineEntry | None]) -> None:
        self.built = entries

    def table(self, header_lines: int) -> list[LineEntry | None]:
        """The table indexed by line number (1-based) of the whole source, whose first
        ``header_lines`` lines (the ``def`` and prologue) have no site."""
        return [None] * (header_lines + 1) + self.entries

    def _replay(self) -> list[LineEntry | None]:
        """Build the entries of the body's lines from the event log.

        Deferred expressions are matched to lines oldest first. An expression deferred
        later cannot be part of one deferred earlier (operands are made before their
        consumer), so an occurrence of its text inside a span already matched on the line
        (``SX8_64[M0[a]]`` of an earlier load, holding the text ``M0[a]`` of a later one)
        is not it: the later expression waits for its own line. Every other occurrence of
        the text on the line is the expression's too: ``M0[l0] = M0[l0]`` (a byte copied
        onto itself) evaluates the load on the right first, the store's target (the same
        access) cannot fail after it."""
        entries: list[LineEntry | None] = []
        # (expression text, site) of each pending expression, in the order deferred
        pending: dict[tuple[str, Site], None] = {}
        sites: dict[tuple[Any, ...], Site] = {}
        for event in self.events:
            if type(event) is int:
                del entries[event]
                continue
            if len(event) == 5:  # a deferred expression
                function, position, outer, expr, _ = event
                key = (function, position, outer)
                site = sites.get(key)
                if site is None:
                    site = sites[key] = ((function, position), *outer)
                if (expr, site) not in pending:
                    if len(pending) >= PENDING_LIMIT:
                        del pending[next(iter(pending))]
                    pending[expr, site] = None
                continue
            item, function, position, outer = event
            key = (function, position, outer)
            site = sites.get(key)
            if site is None:
                site = sites[key] = ((function, position), *outer)
            spans: list[tuple[int, int, Site]] = []
            if pending:
                for pair in list(pending):
                    expr = pair[0]
                    column = item.find(expr)
                    older = len(spans)  # (the spans of expressions deferred before it)
                    while column >= 0:
                        end = column + len(expr)
                        if not any(low <= column and end <= high
                                   for low, high, _ in spans[:older]):
                            spans.append((column, end, pair[1]))
                        column = item.find(expr, column + len(expr))
                    if len(spans) > older:
                        del pending[pair]
            entries.append((site, tuple(spans)))
        return entries

    @staticmethod
    def lookup(table: list[LineEntry | None], line: int,
               columns: tuple[int | None, int | None]) -> Site | None:
        """The site of the Python instruction at ``line`` spanning ``columns``: the
        narrowest deferred expression containing it, else the line's own site."""
        if not 0 <= line < len(table):
            return None
        entry = table[line]
        if entry is None:
            return None
        site, spans = entry
        start, end = columns
        best: tuple[int, Site] | None = None
        if start is not None and end is not None:
            for low, high, span_site in spans:
                if low <= start and end <= high and (best is None or high - low < best[0]):
                    best = (high - low, span_site)
        return best[1] if best is not None else site


def remap_entries(entries: list[LineEntry | None],
                  rewrites: list[Rewrite]) -> list[LineEntry | None]:
    """The line-table entries of a body after ``rewrites`` (in order), from those of the
    body before (the columns of deferred expressions shift with the indentation).
    Raises nothing."""
    for begin, end, pieces in rewrites:
        out: list[LineEntry | None] = []
        for first, last, extra, inserted in pieces:
            if inserted:
                entry = entries[first]
                out.append(None if entry is None else (entry[0], ()))
                continue
            for entry in entries[first:last]:
                if entry is not None and extra and entry[1]:
                    site, spans = entry
                    entry = (site, tuple((low + 4 * extra, high + 4 * extra, s)
                                         for low, high, s in spans))
                out.append(entry)
        entries = entries[:begin] + out + entries[end:]
    return entries
