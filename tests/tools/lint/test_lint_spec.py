"""No false positives: ``wasmem lint`` finds nothing in any module of the spec suite's
tiers 1 (memory) and 2 (core), nor in the corrected chapter 5 examples.

The suite is vendored in ``tests/data/spec-testsuite``; the modules are
the script's top-level ``(module ...)`` commands (the ones meant to be valid).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _data import ROOT
from _data import SPEC_SUITE as SUITE
from _data import tier_files

from wasmem.errors import WasmError
from wasmem.tools.lint import lint_file, lint_module
from wasmem.text import parse_module_source, parse_script
EXAMPLES = sorted((ROOT / "src" / "wasmem" / "examples" / "chapter5").glob("*.wat"))


SPEC_FILES = tier_files("1-memory.txt", "2-core.txt")


@pytest.mark.parametrize("path", SPEC_FILES, ids=[Path(p).stem for p in SPEC_FILES])
def test_no_findings_in_spec_modules(path: str) -> None:
    from wasmem.script.commands import ModuleCommand
    source = (SUITE / path).read_text(encoding="utf-8")
    commands = parse_script(source, file=path)
    checked = 0
    findings = []
    for command in commands:
        if not isinstance(command, ModuleCommand):
            continue
        try:
            module = parse_module_source(command.source, file=path)
        except WasmError:  # unsupported proposal (GC): not ours to lint
            continue
        checked += 1
        findings += [f"{path}:{command.line}: {f.format()}" for f in lint_module(module)]
    assert not findings, "\n".join(findings)
    assert checked or not any(isinstance(c, ModuleCommand) for c in commands)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_no_findings_in_corrected_examples(path: Path) -> None:
    findings = lint_file(path)
    assert findings == [], "\n".join(f.format(str(path)) for f in findings)
