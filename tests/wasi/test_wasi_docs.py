"""The command lines of ``docs/wasi.md`` and the README's WASI section: each ``$ wasmem ...``
line of a ``console`` block runs (from the repository root) and prints what follows it.
(The Python snippets of ``docs/`` are run by ``tests/chapter5/test_chapter5_docs.py``.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "docs" / "wasi.md", ROOT / "README.md"]
CONSOLE = re.compile(r"```console\n(.*?)```", re.S)


def sessions() -> list[tuple[str, str, str]]:
    """``(page, command, expected output)`` of every ``$ wasmem`` line."""
    found = []
    for page in PAGES:
        for block in CONSOLE.findall(page.read_text(encoding="utf-8")):
            command = None
            output: list[str] = []
            for line in block.splitlines():
                if line.startswith("$ "):
                    if command is not None:
                        found.append((page.name, command, "".join(output)))
                    command, output = line[2:], []
                else:
                    output.append(line + "\n")
            if command is not None:
                found.append((page.name, command, "".join(output)))
    return found


CASES = sessions()


def test_the_pages_show_commands() -> None:
    assert sum(page == "wasi.md" for page, _, _ in CASES) >= 2
    assert any(page == "README.md" for page, _, _ in CASES)


@pytest.mark.parametrize(("page", "command", "expected"), CASES,
                         ids=[f"{c[0]}:{c[1][:40]}" for c in CASES])
def test_command_prints_what_the_page_says(page: str, command: str, expected: str) -> None:
    assert command.startswith("wasmem ")
    wasmem = f'"{sys.executable}" -m wasmem'
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run(wasmem + command[len("wasmem"):], shell=True, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.stdout == expected, done.stderr


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split(
        "## WASI programs", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code
    monkeypatch.chdir(ROOT)
    exec(compile(code.group(1), "README.md", "exec"), {})  # our own README
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "b'Hello, Ada!\\n'"
    assert out[1].endswith("|Ada.............|") and out[2].startswith("000")
