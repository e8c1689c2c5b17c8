"""The README's WASI example. (The shell examples of ``docs/wasi.md`` and the README are run
by ``tests/test_docs_shell.py``, the Python snippets of ``docs/`` by
``tests/chapter5/test_chapter5_docs.py``.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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
