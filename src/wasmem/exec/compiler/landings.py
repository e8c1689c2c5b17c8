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
"""

from __future__ import annotations

from .lines import LineEntry

__all__ = ["MIN_RUN", "group_landings"]

MIN_RUN = 6
"""Shortest run of landing statements worth a tree of range tests."""

_PREFIX = "if _b == "
_ROOM = 95
"""Deepest indentation (in levels) the wrapped code may reach (Python allows 100)."""


def _indent(line: str) -> int:
    return (len(line) - len(line.lstrip(" "))) // 4


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
    start = 0
    while True:
        found = _next_run(lines, start)
        if found is None:
            return lines, entries
        begin, statements, end = found
        level = _indent(lines[begin])
        depth = max(_indent(line) for line in lines[begin:end])
        levels = (len(statements) - 1).bit_length()
        if depth + levels > _ROOM:
            start = end
            continue
        new_lines: list[str] = []
        new_entries: list[LineEntry | None] = []
        _emit(lines, entries, statements, level, 0, new_lines, new_entries)
        lines = lines[:begin] + new_lines + lines[end:]
        entries = entries[:begin] + new_entries + entries[end:]
        start = begin + 1


def _next_run(lines: list[str], start: int
              ) -> tuple[int, list[tuple[int, int, int]], int] | None:
    """The first run of :data:`MIN_RUN` or more sibling landing statements at or after
    line ``start``: (first line, [(first line, end line, K)], end line)."""
    i = start
    count = len(lines)
    while i < count:
        if _landing(lines[i]) is None:
            i += 1
            continue
        level = _indent(lines[i])
        statements: list[tuple[int, int, int]] = []
        j = i
        while j < count:
            k = _landing(lines[j])
            if k is None or _indent(lines[j]) != level:
                break
            end = j + 1
            while end < count and _indent(lines[end]) > level:
                end += 1
            if end < count and _indent(lines[end]) == level and \
                    lines[end].lstrip(" ").startswith(("elif ", "else:")):
                break  # an if with more arms: not a plain landing
            if end == j + 1:
                break  # (no body: not valid Python anyway)
            statements.append((j, end, k))
            j = end
        if len(statements) >= MIN_RUN:
            return i, statements, statements[-1][1]
        i += 1
    return None


def _emit(lines: list[str], entries: list[LineEntry | None],
          statements: list[tuple[int, int, int]], level: int, extra: int, out: list[str],
          out_entries: list[LineEntry | None]) -> None:
    """Append ``statements`` (shifted ``extra`` levels) to ``out``, split in halves each
    behind ``if _b >= <least K of the half>:`` while more than three remain."""
    if len(statements) <= 3:
        shift = "    " * extra
        for first, end, _k in statements:
            for n in range(first, end):
                out.append(shift + lines[n])
                entry = entries[n]
                if entry is None:
                    out_entries.append(None)
                    continue
                site, spans = entry
                if extra and spans:
                    spans = tuple((low + 4 * extra, high + 4 * extra, s)
                                  for low, high, s in spans)
                out_entries.append((site, spans))
        return
    half = (len(statements) + 1) // 2
    for part in (statements[:half], statements[half:]):
        if len(part) == 1:
            _emit(lines, entries, part, level, extra, out, out_entries)
            continue
        least = min(k for _first, _end, k in part)
        out.append("    " * (level + extra) + f"if _b >= {least}:")
        opening = entries[part[0][0]]
        out_entries.append(None if opening is None else (opening[0], ()))
        _emit(lines, entries, part, level, extra + 1, out, out_entries)
