"""Tail duplication of short branch landings (a ``switch``'s cases leaving for the loop).

In the ``_b`` scheme of :mod:`.frames`, a branch to the end of an enclosing block inside
the same ``while`` sets ``_b`` and falls through every statement up to the block's
landing, each skipped by a test of ``_b``::

    while True:
        ...                     # the dispatch of a switch
        if _b == 27:            # case 0
            _b = 0
            ...
            _b = 7              # ``break`` out of the switch (br to depth 7)
        if _b == 26:            # case 1: skipped by a test
            ...
        ...                     # one test per case (or per level of .landings' tree)
        if _b == 7:
            _b = 0
        l11 = l11 + 20          # the loop's back edge

When the code the landing leads to is short and straight, and runs to the end of the
innermost ``while`` body, this pass replaces such a ``_b = K`` by a copy of that code and
a ``continue`` (what compilers call tail duplication)::

        if _b == 27:
            _b = 0
            ...
            l11 = l11 + 20
            continue

The copy is found by a static walk over the generated lines: from the branch to its
landing every statement met must be a test of ``_b`` whose outcome is known (``_b`` is
``K``; the landing is ``if _b == K:``, or a plain ``_b = 0`` where ``K`` is the only
target pending), and from the landing on (``_b`` is 0) every statement is either such a test, a
clear of ``_b``, or code without ``_b`` that is copied. A branch whose walk meets anything
else (a ``while``, a ``try``, code whose effect on ``_b`` is unknown, more than
:data:`MAX_TAIL` lines to copy) is left alone, so the result always runs exactly the
statements the original ran, in the same order, and leaves ``_b`` as it did.

Escapes (:meth:`_Walk.escape`): a branch out of nested one-shot ``while`` blocks is
``_b = K; break`` followed, at each level, by ``if _b:`` / ``if _b == J:`` / ``break``
(clang's ``goto out``: a function's error exits). When the code its landing leads to is
short and straight and ends in ``return`` or ``raise``, the pair becomes a copy of that
code: the walk follows every ``break`` out of its ``while`` (never out of a ``try``),
and a copy that would end in ``continue`` or ``break`` (another loop, at the branch) or
hold a compound statement with ``break``, ``continue`` or ``_b`` is refused. This runs
in every function that uses ``_b`` (``escapes_only``), the rest only in switches.
"""

from __future__ import annotations

import re

from .lines import Rewrite

__all__ = ["MAX_TAIL", "duplicate_tails"]

MAX_TAIL = 8
"""Most lines copied for one branch."""
MAX_STEPS = 400
"""Most statements one branch's walk may look at (the walk is linear in the distance to
the landing: this bounds a function's pass to a multiple of its branches)."""
_ROOM = 95
"""Deepest indentation (in levels) a copy may reach (Python allows 100)."""

# patterns compiled at their first use (by ``re``'s cache), not at import: only a body
# that uses ``_b`` needs them (compiling the three costs 0.2-0.5 ms of a first result)
_SET = r"_b = (\d+)"
_RANGE = r"if _b >= (\d+)( or not _b)?:"
_NAME = r"\b_b\b"
_JUMPS = ("continue", "break", "return", "raise")
_REFUSED = ("while ", "try:", "except", "for ", "with ", "def ", "class ", "elif ", "else:",
            "finally:", "async ", "match ")

_FAIL, _LANDING, _ENTER, _SKIP = range(4)
"""What a walk does at a test of ``_b`` (see :meth:`_Walk._test`)."""

Piece = tuple[int, int, int]
"""Lines ``first..last-1`` copied, shifted by ``extra`` levels (may be negative)."""


def duplicate_tails(lines: list[str], escapes_only: bool = False,
                    levels: list[int] | None = None) -> tuple[list[str], list[Rewrite]]:
    """Return ``lines`` (a function body) with each ``_b = K`` whose landing leads to a
    short straight tail replaced by a copy of it (see the module docstring), and each
    escape ``_b = K; break`` whose landing leads to a short straight tail ending in
    ``return`` or ``raise`` replaced by a copy of it (only these with ``escapes_only``),
    and the rewrite made, for :func:`.lines.remap_entries` (none if nothing changed).
    ``levels``: the indentation level of each line, if known (else found from the text).
    Raises nothing."""
    sites: list[tuple[int, int, bool]] = []  # (line, K, escape) of each ``_b = K`` (K > 0)
    loops = False
    count = len(lines)
    for at, line in enumerate(lines):
        if "_b = " in line:
            match = re.search(_SET, line)
            if match is not None and match.group(1) != "0" and match.end() == len(line) \
                    and line[:match.start()].isspace():
                escape = at + 1 < count and lines[at + 1].endswith(" break") \
                    and len(lines[at + 1]) == match.start() + 5
                if escape or not escapes_only:
                    sites.append((at, int(match.group(1)), escape))
        elif not loops and line.endswith("while True:"):
            loops = True
    if not sites or not loops:
        return lines, []
    walk = _Walk(lines, levels)
    plans: dict[int, tuple[list[Piece], bool, int]] = {}
    budget = len(lines) // 4 + 64  # lines added at most
    for at, target, escape in sites:
        found = walk.escape(at, target) if escape else walk.tail(at, target)
        if found is None:
            continue
        pieces, closing = found
        replaced = 1 + escape
        added = sum(last - first for first, last, _ in pieces) + closing - replaced
        if added > budget:
            break
        budget -= added
        plans[at] = (pieces, closing, replaced)
    if not plans:
        return lines, []
    new_lines: list[str] = []
    out: list[tuple[int, int, int, bool]] = []  # the pieces of one Rewrite of the body
    start = 0
    for at in sorted(plans):
        if start < at:
            new_lines += lines[start:at]
            out.append((start, at, 0, False))
        pieces, closing, replaced = plans[at]
        level = walk.levels[at]
        for first, last, extra in pieces:
            pad = "    " * extra if extra > 0 else ""
            for line in lines[first:last]:
                new_lines.append(pad + line if extra >= 0 else line[-4 * extra:])
            out.append((first, last, extra, False))
        if closing:
            new_lines.append("    " * level + "continue")
            out.append((at, at + 1, 0, True))
        start = at + replaced
    new_lines += lines[start:]
    out.append((start, len(lines), 0, False))
    return new_lines, [(0, len(lines), out)]


class _Walk:
    """The statement structure of a body's lines, and the walk of :meth:`tail`."""

    def __init__(self, lines: list[str], levels: list[int] | None = None) -> None:
        self.lines = lines
        count = len(lines)
        if levels is None:
            levels = [(len(line) - len(line.lstrip(" "))) >> 2 for line in lines]
        self.levels = levels
        # end[i]: the line after the statement that starts at line i (its body included);
        # parent[i]: the header of the body line i is in (-1 at the top)
        self.end = end = [count] * count
        self.parent = parent = [-1] * count
        open_lines: list[int] = []
        for i, level in enumerate(levels):
            while open_lines and levels[open_lines[-1]] >= level:
                end[open_lines.pop()] = i
            if open_lines:
                parent[i] = open_lines[-1]
            open_lines.append(i)
        # the walk from each landing (see :meth:`tail`), by its line
        self.memo: dict[int, tuple[list[Piece], bool, int] | None] = {}
        # the walks to landings (see :meth:`_landing`): per state passed, the landing
        # found (None: the walk failed) and the steps taken from there
        self.known: dict[tuple[int, int, int, int, int, bool], tuple[int | None, int]] = {}

    def _chain_end(self, at: int) -> int:
        """The line after the ``if`` statement at ``at`` with its ``elif``/``else`` arms."""
        lines, levels, end = self.lines, self.levels, self.end
        level = levels[at]
        after = end[at]
        while after < len(levels) and levels[after] == level and \
                lines[after].startswith(("elif ", "else:"), 4 * level):
            after = end[after]
        return after

    def _loop(self, at: int) -> int:
        """The innermost ``while`` header around line ``at``, or -1."""
        header = self.parent[at]
        while header >= 0:
            if self.lines[header].startswith("while ", 4 * self.levels[header]):
                return header
            header = self.parent[header]
        return -1

    def _exit(self, at: int) -> int:
        """The innermost ``while`` header around line ``at`` when only ``if``/``elif``/
        ``else`` bodies lie between them (a ``break`` at ``at`` leaves that ``while``
        and no handler), else -1."""
        lines, levels, header = self.lines, self.levels, self.parent[at]
        while header >= 0:
            text = lines[header][4 * levels[header]:]
            if text.startswith("while "):
                return header
            if not text.startswith(("if ", "elif ", "else:")):
                return -1
            header = self.parent[header]
        return -1

    def _copyable(self, first: int, last: int, crossed: bool = False) -> bool:
        """Whether the compound statement on lines ``first..last-1`` (no ``_b`` in its
        header) can be copied: no loop or handler inside, and ``_b`` only set right
        before a ``break`` (so it completes with ``_b`` still 0, or leaves the loop);
        when the copy goes outside the ``while`` it was in (``crossed``), no ``break``,
        ``continue`` or ``_b`` at all."""
        lines, levels = self.lines, self.levels
        for at in range(first, last):
            text = lines[at][4 * levels[at]:]
            if text.startswith(("while ", "try:", "except", "for ", "with ", "def ")):
                return False
            if crossed and (text in ("break", "continue") or "_b" in text):
                return False
            if "_b" in text and re.search(_NAME, text):
                if at == first or re.fullmatch(_SET, text) is None or text == "_b = 0":
                    return False
                if at + 1 >= last or levels[at + 1] != levels[at] or \
                        lines[at + 1][4 * levels[at]:] != "break":
                    return False
        return True

    def tail(self, site: int, target: int) -> tuple[list[Piece], bool] | None:
        """The copy that replaces ``_b = target`` on line ``site``: its pieces, and
        whether a ``continue`` ends it; None if the walk fails (see the module
        docstring)."""
        loop = self._loop(site)
        if loop < 0:
            return None
        landing = self._walk(site + 1, self.levels[site], self.parent[site], loop, target)
        return self._finish(site, landing, loop, False)

    def escape(self, site: int, target: int) -> tuple[list[Piece], bool] | None:
        """The copy that replaces ``_b = target`` and the ``break`` after it on lines
        ``site`` and ``site + 1``: the walk follows the ``break`` (and every ``break``
        met on the way) out of its ``while``, and the copy must end in ``return`` or
        ``raise`` (a ``continue`` or ``break`` would mean another loop at the site).
        None if the walk fails."""
        loop = self._exit(site)
        if loop < 0:
            return None
        landing = self._walk(self.end[loop], self.levels[loop], self.parent[loop], -2,
                             target, True)
        return self._finish(site, landing, -2, True)

    def _finish(self, site: int, landing: int | tuple[list[Piece], bool, int] | None,
                loop: int, crossed: bool) -> tuple[list[Piece], bool] | None:
        """The copy for the branch at ``site`` whose walk met ``landing`` (see
        :meth:`tail`); None if there is none."""
        if landing is None or isinstance(landing, tuple):
            return None  # (no landing: a tuple is a finished walk, never with _b set)
        key = -2 - landing if crossed else landing
        if key in self.memo:  # (the walk from a landing is the same for every branch)
            rest = self.memo[key]
        else:
            at, level, header = landing + 1, self.levels[landing] + 1, landing
            if self.lines[landing].endswith("_b = 0"):  # a plain landing
                at, level, header = landing + 1, level - 1, self.parent[landing]
            found = self._walk(at, level, header, loop, 0, crossed)
            rest = self.memo[key] = found if isinstance(found, tuple) else None
        if rest is None:
            return None
        pieces, closing, depth = rest
        base = self.levels[site]
        if base + depth > _ROOM:
            return None
        return [(first, last, base - level) for first, last, level in pieces], closing

    def _up(self, header: int) -> tuple[int, int, int] | None:
        """Where a walk goes at the end of the body of ``header`` (not its loop): the
        ``(line, level, header)`` after the ``if`` statement and its arms; None when
        ``header`` is not an ``if``/``elif``/``else`` (the top, or a try/except body:
        a copy would change handlers)."""
        if header < 0 or not self.lines[header].startswith(("if ", "elif ", "else:"),
                                                           4 * self.levels[header]):
            return None
        return self._chain_end(header), self.levels[header], self.parent[header]

    def _test(self, at: int, level: int, text: str, k: int) -> int:
        """What a walk with ``_b == k`` does at the test of ``_b`` ``text`` (line ``at``,
        at ``level``): :data:`_LANDING` (``if _b == k:``, ``k`` > 0), :data:`_ENTER`
        its body, :data:`_SKIP` it, or :data:`_FAIL` (not a test of this scheme)."""
        after = self.end[at]
        if after < len(self.lines) and self.levels[after] == level and \
                self.lines[after].startswith(("elif ", "else:"), 4 * level):
            return _FAIL  # a test of _b with other arms: not of this scheme
        if text.startswith("if _b == ") and text[9:-1].isdigit():
            return _LANDING if k and k == int(text[9:-1]) else _SKIP
        if text == "if not _b:":
            return _SKIP if k else _ENTER
        if text == "if _b:":
            return _ENTER if k else _SKIP
        match = re.fullmatch(_RANGE, text)
        if match is None:
            return _FAIL
        return _ENTER if k >= int(match.group(1)) or (not k and match.group(2)) else _SKIP

    def _move(self, at: int, level: int, header: int, text: str, k: int, crossed: bool
              ) -> tuple[int, int, int] | int | None:
        """The next state ``(line, level, header)`` of a walk with ``_b == k`` at line
        ``at`` (statement ``text``) when it is a test of ``_b`` or (``crossed``, see
        :meth:`escape`) a ``break``, which the walk follows; where it stops there, the
        landing's line (``if _b == k:``, ``k`` > 0) or -1 (the walk fails); None for any
        other statement."""
        if text.startswith("if ") and "_b" in text:
            test = self._test(at, level, text, k)
            if test == _ENTER:
                return at + 1, level + 1, at
            if test == _SKIP:
                return self.end[at], level, header
            return at if test == _LANDING else -1
        if crossed and text == "break":
            loop_at = self._exit(at)  # on after that loop, with the same _b
            if loop_at < 0:
                return -1
            return self.end[loop_at], self.levels[loop_at], self.parent[loop_at]
        return None

    def _landing(self, at: int, level: int, header: int, loop: int, k: int,
                 crossed: bool) -> int | None:
        """The walk of :meth:`_walk` with ``_b == k`` (``k`` > 0): the line of the landing
        that clears ``_b``, or None if the walk fails.

        Walks from different branches to the same target meet (the branches of one case
        pass the same later tests), so every state a walk passes is remembered with its
        outcome and the steps it took from there: a later walk that reaches the state
        after ``j`` steps of its own ends as that one did if it has the steps left
        (:data:`MAX_STEPS` bounds each walk), else fails, as the walk itself would."""
        lines, levels = self.lines, self.levels
        known = self.known
        count = len(lines)
        path: list[tuple[int, int, int, int, int, bool]] = []
        found: int | None = None
        for step in range(MAX_STEPS):
            key = (at, level, header, loop, k, crossed)
            hit = known.get(key)
            if hit is not None:
                found, rest = hit
                if found is not None and step + rest >= MAX_STEPS:
                    return None  # (this walk runs out of steps before it gets there)
                step += rest
                break
            path.append(key)
            if at >= count or levels[at] < level:  # the end of the body of ``header``
                up = None if header == loop else self._up(header)
                if up is None:
                    break
                at, level, header = up
                continue
            text = lines[at][4 * level:]
            moved = self._move(at, level, header, text, k, crossed)
            if moved is None:
                # a landing without a test (the only target pending there), or code that
                # the branch would not skip: not this scheme
                if text == "_b = 0":
                    found = at
                break
            if isinstance(moved, int):  # the landing (its first line clears _b), or -1
                if moved >= 0:
                    found = moved
                break
            at, level, header = moved
        else:
            return None  # (out of steps: nothing learnt for a walk that starts later)
        for taken_steps, key in enumerate(path):  # (the outcome from each state passed)
            known[key] = (found, step - taken_steps)
        return found

    def _walk(self, at: int, level: int, header: int, loop: int, k: int,
              crossed: bool = False) -> int | tuple[list[Piece], bool, int] | None:
        """Walk from line ``at`` (in the body at ``level`` of line ``header``) with
        ``_b == k``: for ``k`` > 0, the line of the landing that clears it; for 0, the
        statements to copy (``(first, last, level)``), whether a ``continue`` ends them
        and their deepest relative indentation. None if the walk fails. ``crossed``:
        the walk has left the branch's ``while`` (see :meth:`escape`): it follows
        ``break`` statements, and only ``return``/``raise`` may end the copy."""
        if k:
            return self._landing(at, level, header, loop, k, crossed)
        lines, levels, end, parent = self.lines, self.levels, self.end, self.parent
        pieces: list[Piece] = []
        copied = 0
        depth = 0  # the deepest relative indentation among the copied lines
        count = len(lines)
        for _step in range(MAX_STEPS):
            if at >= count or levels[at] < level:  # the end of the body of ``header``
                if header == loop:
                    return pieces, True, depth
                up = self._up(header)
                if up is None:
                    return None
                at, level, header = up
                continue
            text = lines[at][4 * level:]
            moved = self._move(at, level, header, text, 0, crossed)
            if moved is not None:
                if isinstance(moved, int):  # (-1: with _b 0 there is no landing)
                    return None
                at, level, header = moved
                continue
            if text.startswith(_REFUSED):
                return None
            if "_b" in text and re.search(_NAME, text):
                match = re.fullmatch(_SET, text)
                if match is None:
                    return None
                target = int(match.group(1))
                escape = target and at + 1 < count and levels[at + 1] == level and \
                    lines[at + 1][4 * level:] == "break"
                if escape and not crossed:
                    pieces.append((at, at + 2, level))
                    return (pieces, False, depth) if copied + 2 <= MAX_TAIL else None
                if target:  # on to that landing, and from there on
                    if escape:  # (crossed: out of this loop too)
                        loop_at = self._exit(at)
                        if loop_at < 0:
                            return None
                        landing = self._walk(end[loop_at], levels[loop_at],
                                             parent[loop_at], loop, target, True)
                    else:
                        landing = self._walk(at + 1, level, header, loop, target, crossed)
                    if landing is None or isinstance(landing, tuple):
                        return None
                    if lines[landing].endswith("_b = 0"):
                        at, header = landing + 1, parent[landing]
                        level = levels[landing]
                    else:
                        at, level, header = landing + 1, levels[landing] + 1, landing
                    continue
                at += 1
                continue
            after = self._chain_end(at) if text.startswith("if ") else end[at]
            if after != at + 1 and (not text.startswith("if ") or
                                    not self._copyable(at, after, crossed)):
                return None
            copied += after - at
            if copied > MAX_TAIL:
                return None
            depth = max(depth, max(levels[at:after]) - level)
            pieces.append((at, after, level))
            if text.startswith(_JUMPS):
                if crossed and not text.startswith(("return", "raise")):
                    return None
                return pieces, False, depth
            at = after
        return None
