"""The README's promises: the Quick start block, CI running its test command, and the
Python example actually running."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "Quick start has no code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands() -> None:
    assert len(quick_start_commands()) == 2


def test_ci_runs_the_second_quick_start_command_first() -> None:
    """The README's test command is the first test run of .ci/run (only the installation
    of a system package the browser test needs may come before it)."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = ci.replace("\\\n", " ").splitlines()
    commands = [line for line in lines if line.strip()
                and not line.startswith(("#", "set ", "cd ", "command -v chromium"))]
    assert commands[0] == quick_start_commands()[1]


def test_ci_also_runs_other_python_versions() -> None:
    """After the README's command, .ci/run repeats the suite on the other CPythons."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pyenv" in ci and "-m venv" in ci and "-n 2" in ci
    assert subprocess.run(["sh", "-n", str(ROOT / ".ci" / "run")], check=False).returncode == 0


def test_test_command_prints_the_closing_summary() -> None:
    """pytest's ``N passed`` line shows: no ``-q`` in the configured addopts on top of the
    command's own ``-q`` (``-qq`` hides it)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = config["tool"]["pytest"]["ini_options"].get("addopts", "")
    quiet = quick_start_commands()[1].split().count("-q") + str(addopts).split().count("-q")
    assert quiet <= 1


def test_python_example_runs(capsys) -> None:  # type: ignore[no-untyped-def]
    section = README.split("## Using it from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code
    exec(compile(code.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "500"
    assert out[1] == "Hello, WebAssembly!"
    assert out[2] == "[255, 255, 255, 255]"
