"""Logarithmic skipping over runs of branch landings (a ``br_table`` over many blocks).

A ``switch`` that clang lowers to a ``br_table`` over nested blocks becomes, in the
``_b`` scheme of :mod:`.frames`, a run of sibling statements after the dispatch::

    if _b == 27:        # the end of the innermost block: case 0
        _b = 0
        ...             # ends by setting _b to an outer target (or leaves the loop)
    if _b == 26:
        ...

so reaching a case, and leaving it, tests ``_b`` once per case. This pass wraps such a
run into a balanced tree of range tests::

    if _b >= 22:
        if _b >= 25:
            if _b == 27: ...
            ...

A group of statements that are all ``if _b == K:`` (with no ``elif``/``else``) does
nothing when ``_b`` is below every ``K`` in it, so skipping it then is exact, whatever
the statements' bodies do; entering it is always exact (it is the original code).

A case whose code can fall through to the next one's leaves that code after its landing
in an ``if not _b:`` guard (the next case runs when the previous one fell into it or
when it is the target)::

    if _b == 26:
        _b = 0
        ...
    if not _b:          # reached with _b == 0 only
        ...

Such guards join the run, attached to the landing before them: a group holding one does
nothing when ``_b`` is neither 0 nor at least its least ``K``, so its test is
``if _b >= K or not _b:`` (one more comparison on the paths that skip it; a dispatch,
where ``_b`` is never 0, still skips it).
"""

from __future__ import annotations

import re
from collections import Counter

from .lines import LineEntry, Rewrite, remap_entries

__all__ = ["MIN_RUN", "group_landings", "plan_landings"]

MIN_RUN = 6
"""Shortest run of landing statements worth a tree of range tests."""

_PREFIX = "if _b == "
_ZERO = "if not _b:"
_JUMPS = ("continue", "break", "return", "raise")
_SETS_B = r"_b = (?:(\d+)|\(([\d, ]+)\)\[\w+\](?: if \w+ < \d+ else (\d+))?)"
"""``_b = K``, or ``_b = (K, ...)[t]``, optionally ``if t < N else K`` (a ``br_table``);
compiled by :mod:`re` (and kept in its cache) when first matched, not at import."""
_ROOM = 95
"""Deepest indentation (in levels) the wrapped code may reach (Python allows 100)."""


def _landing(line: str) -> int | None:
    """The ``K`` of a line ``if _b == K:``, else None."""
    text = line.lstrip(" ")
    if text.startswith(_PREFIX) and text.endswith(":"):
        number = text[len(_PREFIX):-1]
        if number.isdigit():
            return int(number)
    return None


def group_landings(lines: list[str], entries: list[LineEntry | None]) -> tuple[list[str],
                                                                        list[LineEntry | None]]:
    """Return ``lines`` (the function body) and their line-table ``entries`` with every
    run of at least :data:`MIN_RUN` sibling ``if _b == K:`` statements wrapped in
    range tests (see the module docstring). Raises nothing."""
    new_lines, rewrites = plan_landings(lines)
    return new_lines, remap_entries(entries, rewrites)


def plan_landings(lines: list[str]) -> tuple[list[str], list[Rewrite]]:
    """The rewritten ``lines`` (see :func:`group_landings`) and the rewrites made, in
    order, for :func:`.lines.remap_entries` (only backtraces need the line table: it
    follows when asked for). Raises nothing."""
    rewrites: list[Rewrite] = []
    indents = [(len(line) - len(line.lstrip(" "))) >> 2 for line in lines]
    keys = [_landing(line) if _PREFIX in line else None for line in lines]
    start = 0
    while True:
        found = _next_run(lines, indents, keys, start)
        if found is None:
            return lines, rewrites
        begin, statements, end = found
        level = indents[begin]
        depth = max(indents[begin:end])
        levels = (len(statements) - 1).bit_length()
        if depth + levels > _ROOM:
            start = end
            continue
        pieces: list[Piece] = []
        exits = {first: _exit_values(lines, indents, first, end)
                 for first, end, _k, _zero in statements}
        _emit(statements, 0, pieces, exits, False, _exit_split(statements, exits))
        new_lines: list[str] = []
        new_indents: list[int] = []
        new_keys: list[int | None] = []
        for first, last, extra, test in pieces:
            if test is None:  # lines first..last-1, shifted right
                if extra:
                    shift = "    " * extra
                    new_lines += [shift + line for line in lines[first:last]]
                    new_indents += [n + extra for n in indents[first:last]]
                else:
                    new_lines += lines[first:last]
                    new_indents += indents[first:last]
                new_keys += keys[first:last]
            else:  # a range test (or ``else:``) before line ``first``
                new_lines.append("    " * (level + extra) + test)
                new_indents.append(level + extra)
                new_keys.append(None)
        rewrites.append((begin, end, [(first, last, extra, test is not None)
                                      for first, last, extra, test in pieces]))
        lines = lines[:begin] + new_lines + lines[end:]
        indents = indents[:begin] + new_indents + indents[end:]
        keys = keys[:begin] + new_keys + keys[end:]
        start = begin + 1


Statement = tuple[int, int, int, bool]
"""A landing and the ``if not _b:`` guards after it: first line, end line, its ``K``
(negative when it holds guards), whether ``_b`` may be 0 before it."""

Exit = tuple["frozenset[int] | None", bool]
"""What a landing statement may leave in ``_b`` (see :func:`_exit_values`)."""

Piece = tuple[int, int, int, "str | None"]
"""Lines ``first..last-1`` shifted by ``extra`` levels (``test`` None), or the line
``test`` before line ``first`` at ``extra`` levels: a range test ``if _b >= K:`` (``if _b
>= K or not _b:`` when the group holds ``if not _b:`` guards), its ``elif`` form, or
``else:`` (see :func:`_emit`)."""


def _nonzero(text: str) -> bool:
    """Whether the statement ``text`` (stripped) jumps, or sets ``_b`` to a value that is
    never 0 (a target's number, or a tuple of them: a ``br_table``)."""
    if text.startswith(_JUMPS):
        return True
    match = re.fullmatch(_SETS_B, text)
    return match is not None and all(
        int(number) for group in match.groups() if group for number in group.split(",")
        if number.strip())


def _ends_in_jump(lines: list[str], indents: list[int], first: int, end: int) -> bool:
    """Whether the body of the statement on lines ``first..end-1`` never completes
    normally with ``_b == 0``: its last statement jumps (``continue``, ``break``,
    ``return``, ``raise``) or sets ``_b`` to a target."""
    level = indents[first] + 1
    for at in range(end - 1, first, -1):
        if indents[at] == level:
            return _nonzero(lines[at][4 * level:])
    return False


def _nonzero_before(lines: list[str], indents: list[int], begin: int) -> bool:
    """Whether ``_b`` is never 0 when line ``begin`` is reached from the statement
    before it at its level: an assignment of targets, an ``if``/``else`` whose arms
    both end in one, or a ``br_table``'s ``if _b <= N: break`` after one."""
    level = indents[begin]
    at = begin - 1
    while at >= 0 and indents[at] > level:
        at -= 1
    if at < 0 or indents[at] != level:
        return False
    text = lines[at][4 * level:]
    if text.startswith("if _b <= ") and at + 2 == begin and \
            lines[at + 1].endswith("break") and indents[at + 1] == level + 1:
        return True  # (_b <= N left the loop)
    if text == "else:":
        head = at - 1
        while head >= 0 and indents[head] > level:
            head -= 1
        return head >= 0 and indents[head] == level and \
            lines[head].startswith("if ", 4 * level) and \
            _ends_in_jump(lines, indents, head, at) and _ends_in_jump(lines, indents, at, begin)
    return _nonzero(text)


def _next_run(lines: list[str], indents: list[int], keys: list[int | None], start: int
              ) -> tuple[int, list[Statement], int] | None:
    """The first run of :data:`MIN_RUN` or more sibling landing statements at or after
    line ``start``: (first line, its statements, end line)."""
    count = len(lines)
    for i in range(start, count):
        if keys[i] is None:
            continue
        level = indents[i]
        statements: list[tuple[int, int, int, bool]] = []
        zero_in = not _nonzero_before(lines, indents, i)
        j = i
        while j < count:
            k = keys[j]
            if k is None or indents[j] != level:
                break
            end = j + 1
            while end < count and indents[end] > level:
                end += 1
            if end < count and indents[end] == level and \
                    lines[end].startswith(("elif ", "else:"), 4 * level):
                break  # an if with more arms: not a plain landing
            if end == j + 1:
                break  # (no body: not valid Python anyway)
            # the guards of the case's code after its landing (see the module docstring)
            zero = False
            last = j  # the group's last statement
            while end + 1 < count and indents[end] == level and indents[end + 1] > level \
                    and lines[end].endswith(_ZERO) and len(lines[end]) == 4 * level + 10:
                after = end + 1
                while after < count and indents[after] > level:
                    after += 1
                if after < count and indents[after] == level and \
                        lines[after].startswith(("elif ", "else:"), 4 * level):
                    break
                last, end, zero = end, after, True
            statements.append((j, end, -k if zero else k, zero_in))
            # _b may be 0 after the group: it was 0 before and no guard of it ran, or
            # the body of its last statement can end without a jump
            ends_in_jump = _ends_in_jump(lines, indents, last, end)
            zero_in = not ends_in_jump or (zero_in and not zero)
            j = end
        if len(statements) >= MIN_RUN:
            return i, statements, statements[-1][1]
    return None


def _emit(statements: list[Statement], extra: int, pieces: list[Piece],
          exits: dict[int, Exit], bounded: bool,
          split: int | None = None) -> None:
    """Append to ``pieces`` the lines of ``statements`` shifted by ``extra`` levels,
    split in halves (the first at ``split`` if given) each behind a range test while
    more than three remain.

    The second half's test becomes ``else:`` (``bounded``: the group is only entered
    with ``_b`` at least its least ``K``, or 0 if it holds guards) or an ``elif`` when
    the first half cannot complete with a ``_b`` that the second would act on (see
    :func:`_first_half_settles`)."""
    if len(statements) <= 3:
        pieces.append((statements[0][0], statements[-1][1], extra, None))
        return
    half = (len(statements) + 1) // 2 if split is None else split
    first_half, second_half = statements[:half], statements[half:]
    entered_at_zero = first_half[0][3] and any(k < 0 for _first, _end, k, _zero in first_half)
    settles = _first_half_settles(first_half, second_half, exits, entered_at_zero)
    for part in (first_half, second_half):
        if len(part) == 1:
            _emit(part, extra, pieces, exits, False)
            continue
        least = min(abs(k) for _first, _end, k, _zero in part)
        # (a group with guards may run with _b == 0, if _b can be 0 there)
        zero = part[0][3] and any(k < 0 for _first, _end, k, _zero in part)
        test = f"if _b >= {least} or not _b:" if zero else f"if _b >= {least}:"
        if part is second_half and settles:
            test = "else:" if bounded else "el" + test
        pieces.append((part[0][0], part[0][0] + 1, extra, test))
        _emit(part, extra + 1, pieces, exits, True)


def _exit_split(statements: list[Statement], exits: dict[int, Exit]
                ) -> int | None:
    """Where to split a run at the top (None: in halves): before the landings that the
    cases leave for (a ``switch``'s ``break`` and shared tails, at the run's end), when
    that lets more statements of the first part settle (:func:`_first_half_settles`:
    their exits are then outside it) than a split in halves would give the tree below.
    The split is chosen in the second half of the run."""
    count = len(statements)
    if count < 8:
        return None
    position = {abs(k): i for i, (_first, _end, k, _zero) in enumerate(statements)}
    # lowest position among a statement's targets in the run (count: none there)
    lowest = []
    for first, _end, _k, _zero in statements:
        values, _jumps = exits[first]
        if values is None:
            lowest.append(-1)
        else:
            lowest.append(min((position[v] for v in values if v in position), default=count))
    best, best_score = None, lowest.count(count)
    # the score of a split: the statements before it whose lowest target is at or after
    # it, counted in one sweep (each split's from the previous one's)
    first = count // 2
    score = sum(1 for low in lowest[:first] if low >= first)
    at = Counter(lowest[:first])  # statements before the split, by lowest target
    for split in range(first, count - 1):
        if split > first:  # (statement split - 1 joins; those ending there leave)
            low = lowest[split - 1]
            score += (low >= split) - at[split - 1]
            at[low] += 1
        if score > best_score:
            best, best_score = split, score
    return best


def _first_half_settles(first_half: list[Statement], second_half: list[Statement],
                        exits: dict[int, Exit], entered_at_zero: bool) -> bool:
    """Whether the statements of ``second_half`` do nothing after ``first_half`` ran
    (entered with ``_b`` at least its least ``K``, or 0 when ``entered_at_zero``: its
    test is ``if _b >= K or not _b:``).

    Each statement of the first half sets ``_b`` only to targets that are no landing of
    the second half (see :func:`_exit_values`), so it completes with ``_b`` as it came
    in (above every ``K`` of the second half, as the group's test let it in: the keys
    decrease along a run of nested blocks' landings, checked here), as set in
    it, or 0: 0 only when its last statement (its landing, or the last ``if not _b:``
    guard after it) can complete normally, or when it came in at 0 and holds no guard.
    Followed in order, the first half must leave ``_b`` nonzero. Then ``_b`` is left
    at no ``K`` of the second half and never 0, and skipping the second half is
    exact."""
    if len(first_half) == 1:
        return False  # (emitted bare: an ``else`` would bind to the landing's ``if``)
    keys = {abs(k) for _first, _end, k, _zero in second_half}
    if max(keys) >= min(abs(k) for _first, _end, k, _zero in first_half):
        return False  # (a K of the second half could pass the first half's test)
    zero = entered_at_zero
    for first, _end, k, _zero in first_half:
        values, jumps = exits[first]
        if values is None or not values.isdisjoint(keys):
            return False
        zero = not jumps or (zero and k > 0)
    return not zero


def _exit_values(lines: list[str], indents: list[int], first: int, end: int) -> Exit:
    """The values ``_b`` may be set to (other than 0) in the landing statement on lines
    ``first..end-1`` with the ``if not _b:`` guards after it (None when ``_b`` is
    assigned anything but targets' numbers: a ``br_table`` tuple may hold 0), and
    whether its last statement at its level ends in a jump or a ``_b = K`` (so that it
    never completes with ``_b`` 0 after clearing it)."""
    level = indents[first]
    last = first
    for at in range(end - 1, first, -1):
        if indents[at] == level:
            last = at
            break
    jumps = _ends_in_jump(lines, indents, last, end)
    values: set[int] = set()
    for at in range(first, end):
        line = lines[at]
        if "_b" not in line:
            continue
        text = line[4 * indents[at]:]
        if text.startswith(("if _b == ", "if _b >= ", "if not _b:", "if _b:", "elif _b",
                            "if _b <= ")) or text == "_b = 0":
            continue
        match = re.fullmatch(_SETS_B, text)
        if match is None:
            if re.search(r"\b_b\b\s*(?::=|=[^=])", text):
                return None, jumps
            continue
        numbers = [int(number) for group in match.groups() if group
                   for number in group.split(",") if number.strip()]
        if 0 in numbers:
            return None, jumps
        values.update(numbers)
    return frozenset(values), jumps
