"""The guides in ``docs/``: every Python snippet runs and prints exactly the ``text`` block
that follows it; every example of chapter 5 is linked, and every relative link resolves.

Snippets run from the repository root, each in a fresh namespace (as a reader would paste
them). Set ``WASMEM_DOCS_UPDATE=1`` to rewrite the output blocks from an actual run.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
from _chapter5 import EXAMPLES, NAMES, ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
SNIPPET = re.compile(r"```python\n(.*?)```\n(?:\n```text\n(.*?)```\n)?", re.S)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def links(page: Path) -> list[str]:
    """Relative link targets of a page, outside code."""
    prose = CODE.sub("", page.read_text(encoding="utf-8"))
    return [t for t in LINK.findall(prose) if "://" not in t]


def snippets(page: Path) -> list[tuple[int, str, str | None]]:
    text = page.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2))
            for m in SNIPPET.finditer(text)]


def run_snippet(code: str, name: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, name, "exec"), {"__name__": "__docs__"})  # our own docs
    return out.getvalue()


CASES = [(page, line, code, expected) for page in PAGES
         for line, code, expected in snippets(page)]


def test_there_are_guides_in_english_and_chinese() -> None:
    assert (DOCS / "guide.md").exists() and (DOCS / "zh" / "guide.md").exists()
    assert len(CASES) >= 20


@pytest.mark.parametrize(("page", "line", "code", "expected"), CASES,
                         ids=[f"{c[0].relative_to(DOCS)}:{c[1]}" for c in CASES])
def test_snippet_runs_and_prints_what_the_page_says(
        page: Path, line: int, code: str, expected: str | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    output = run_snippet(code, f"{page.relative_to(ROOT)}:{line}")
    if expected is None:
        return
    if os.environ.get("WASMEM_DOCS_UPDATE") and output != expected:
        text = page.read_text(encoding="utf-8")
        old = f"```python\n{code}```\n\n```text\n{expected}```\n"
        page.write_text(text.replace(old, f"```python\n{code}```\n\n```text\n{output}```\n"),
                        encoding="utf-8")
        return
    assert output == expected


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_links_resolve(page: Path) -> None:
    for target in links(page):
        assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


@pytest.mark.parametrize("page", [DOCS / "guide.md", DOCS / "zh" / "guide.md"],
                         ids=["en", "zh"])
def test_every_example_is_linked(page: Path) -> None:
    targets = {(page.parent / t).resolve() for t in links(page)}
    for name in NAMES:
        assert (EXAMPLES / f"{name}.wat").resolve() in targets, f"{page}: no link to {name}"
