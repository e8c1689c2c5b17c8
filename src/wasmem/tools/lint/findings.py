"""Lint findings: where, what rule, a one-line explanation and a suggested fix."""

from __future__ import annotations

from dataclasses import dataclass

from ...syntax.instructions import Position

__all__ = ["Finding", "RULES", "format_position"]

RULES: dict[str, str] = {
    "loop-exit-restarts": "an exit test branches to its loop's label, which restarts the loop",
    "loop-no-exit": "a loop with no way out",
    "grow-result-ignored": "the result of memory.grow (-1 on failure) is not checked",
    "align-too-large": "align= larger than the access's natural alignment",
    "address-out-of-range": "a constant address beyond the memory the module can have",
    "parse-error": "the text does not parse",
    "invalid": "the module does not validate",
    "decode-error": "the binary does not decode",
}
"""Rule names and what each one catches."""


def format_position(position: Position) -> str:
    """Return ``line:col`` for text, ``@0x1f`` for a binary offset, ``?`` when unknown."""
    if isinstance(position, tuple):
        return f"{position[0]}:{position[1]}"
    if isinstance(position, int):
        return f"@0x{position:x}"
    return "?"


@dataclass(frozen=True)
class Finding:
    """One problem the linter found.

    Attributes:
        rule: a key of :data:`RULES`.
        position: ``(line, column)`` in text, a byte offset in a binary, or None.
        message: one line saying what is wrong.
        fix: one line saying what to do about it.
        function: ``$name`` or ``func[i]`` of the function it is in, if any.
    """

    rule: str
    position: Position
    message: str
    fix: str
    function: str | None = None

    @property
    def line(self) -> int | None:
        """The 1-based line, for text input."""
        return self.position[0] if isinstance(self.position, tuple) else None

    @property
    def column(self) -> int | None:
        """The 1-based column, for text input."""
        return self.position[1] if isinstance(self.position, tuple) else None

    def format(self, file: str | None = None) -> str:
        """Return ``file:line:col: rule: message`` and an indented ``fix:`` line."""
        where = format_position(self.position)
        head = f"{file}:{where}" if file else where
        return f"{head}: {self.rule}: {self.message}\n    fix: {self.fix}"

    def sort_key(self) -> tuple[int, int, str]:
        """Order by place in the input, then rule."""
        if isinstance(self.position, tuple):
            return (self.position[0], self.position[1], self.rule)
        if isinstance(self.position, int):
            return (self.position, 0, self.rule)
        return (1 << 62, 0, self.rule)
