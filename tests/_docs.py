"""The runnable examples of the docs pages: a section's first Python block and the text
block after it (what the block prints), for tests that run them."""

from __future__ import annotations

import pathlib
import re

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"


def example(page: str, marker: str) -> tuple[str, str]:
    """(code, printed) of the first ```python block after ``marker`` in ``docs/page``
    and the ```text block that follows it. Raises ValueError when the marker is not on
    the page, AssertionError when no such pair of blocks follows it."""
    text = (DOCS / page).read_text(encoding="utf-8")
    section = text[text.index(marker):]
    found = re.search(r"```python\n(.*?)```\n\n```text\n(.*?)```", section, re.S)
    assert found is not None, f"{page}: no example after {marker!r}"
    return found.group(1), found.group(2)


def run_example(page: str, marker: str) -> tuple[str, str]:
    """Run :func:`example`'s code (its own globals); return (code, printed text it
    promises). The caller compares the promise with what it captured. Raises what the
    code raises."""
    code, printed = example(page, marker)
    exec(compile(code, page, "exec"), {})
    return code, printed
