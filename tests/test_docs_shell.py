"""The shell examples of the README, ``docs/`` and the chapter's examples README run, and
print what the page shows (the Python snippets are checked by ``chapter5/test_chapter5_docs``).

How a page writes them (``sh``, ``console`` or plain fences):

* A *transcript* has commands on ``$ `` lines, each followed by its output (stdout and
  stderr as a terminal shows them). A line ``...`` stands for any number of lines.
* Any other ``sh`` block is a list of commands, one a line (``# comments`` allowed), each
  of which must succeed: exit status 0, or the one its comment names as ``(exit N)``.
  Installing (``pip install``) is not run: the tests run this checkout.
* A block that is not meant to be run (a synopsis, an install-and-test line, a long
  benchmark) is preceded by ``<!-- not run: REASON -->``.

Commands are ``wasmem ...`` or ``python3 -m wasmem ...``, run from the repository root
with this checkout's ``src`` first on the path; arguments with ``*`` are expanded as a
shell would.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from _data import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")),
         ROOT / "src" / "wasmem" / "examples" / "chapter5" / "README.md"]
SHELL = ("sh", "shell", "console", "")
NOT_RUN = re.compile(r"<!-- not run: (.*?) -->$")


@dataclass(frozen=True)
class Example:
    """One command of a page, with the output the page shows (None: only exit status 0)."""

    page: Path
    line: int
    command: str
    expected: str | None
    status: int = 0

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _split_comment(line: str) -> tuple[str, str]:
    """``(command, comment)`` of a line of commands."""
    if line.lstrip().startswith("#"):
        return "", line
    command, _, comment = line.partition(" #")
    return command.strip(), comment


def blocks(page: Path) -> list[tuple[int, str, list[str], str | None]]:
    """``(line of the first body line, language, body lines, not-run reason)`` of each
    fenced block of a page."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found = []
    k = 0
    while k < len(lines):
        if lines[k].startswith("```"):
            language = lines[k][3:].strip()
            end = k + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            marker = NOT_RUN.match(lines[k - 1]) if k else None
            found.append((k + 2, language, lines[k + 1:end], marker.group(1) if marker else None))
            k = end
        k += 1
    return found


def examples(page: Path) -> list[Example]:
    """The runnable shell commands of a page, in order."""
    found: list[Example] = []
    for first, language, lines, not_run in blocks(page):
        if not_run is not None or language not in SHELL:
            continue
        if any(line.startswith("$ ") for line in lines):
            command, start, output = None, 0, []  # type: ignore[var-annotated]
            for k, line in enumerate(lines):
                if line.startswith("$ "):
                    if command is not None:
                        found.append(Example(page, start, command, "\n".join(output)))
                    command, start, output = line[2:], first + k, []
                else:
                    output.append(line)
            if command is not None:
                found.append(Example(page, start, command, "\n".join(output)))
        elif language in ("sh", "shell"):
            for k, line in enumerate(lines):
                command, comment = _split_comment(line)
                status = re.search(r"\(exit (\d+)\)", comment)
                if command and "pip install" not in command:
                    found.append(Example(page, first + k, command, None,
                                         int(status.group(1)) if status else 0))
    return found


CASES = [example for page in PAGES for example in examples(page)]


def argv(command: str) -> list[str]:
    """The command as arguments for this Python, globs expanded.

    Raises:
        AssertionError: not a ``wasmem`` command, or one a shell would have to run.
    """
    assert not re.search(r"[|;&<>`$]", command), f"needs a shell: {command}"
    words = shlex.split(command)
    if words[:3] == ["python3", "-m", "wasmem"] or words[:3] == ["python", "-m", "wasmem"]:
        words = words[3:]
    elif words[:1] == ["wasmem"]:
        words = words[1:]
    else:
        raise AssertionError(f"not a wasmem command: {command}")
    expanded: list[str] = []
    for word in words:
        expanded.extend(sorted(glob.glob(word, root_dir=ROOT)) if "*" in word else [word])
    return [sys.executable, "-m", "wasmem", *expanded]


def matches(expected: str, actual: str) -> bool:
    """True if ``actual`` has the lines of ``expected``, where a ``...`` line stands for
    any number of lines."""
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + "\n"
                      for line in expected.splitlines())
    text = actual.rstrip("\n")
    return re.fullmatch(pattern, text + "\n" if text else "") is not None


def test_pages_have_shell_examples() -> None:
    assert len(CASES) >= 8
    for page in PAGES:
        for _line, _language, _body, reason in blocks(page):
            assert reason is None or reason.strip(), f"{page}: a not-run block needs a reason"


@pytest.mark.parametrize("example", CASES, ids=[c.id for c in CASES])
def test_shell_example(example: Example) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      env.get("PYTHONPATH")]))
    env["COLUMNS"] = "80"
    result = subprocess.run(argv(example.command), cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=120, check=False)
    if example.expected is None:
        assert result.returncode == example.status, result.stdout
    else:
        assert matches(example.expected, result.stdout), result.stdout


def test_transcript_matching() -> None:
    assert matches("a\n...\nd", "a\nb\nc\nd\n")
    assert matches("a\n...", "a\nb\nc")
    assert matches("a\n...", "a")
    assert matches("...\nc", "a\nb\nc")
    assert not matches("a\nb", "a\nc")
    assert not matches("a", "a\nb")
