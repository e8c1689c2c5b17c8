"""The loop of the ``regenerate`` commands (:func:`wasmem.exec.generated.sync_generated`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmem.exec.generated import sync_generated


def test_check_reports_and_writing_fixes(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    same, stale, missing = tmp_path / "same.py", tmp_path / "stale.py", tmp_path / "new.py"
    same.write_text("a\n", encoding="utf-8")
    stale.write_text("old\n", encoding="utf-8")
    files = {same: "a\n", stale: "b\n", missing: "c\n"}
    assert sync_generated(files, ["--check"]) == 1
    assert capsys.readouterr().out.splitlines() == ["out of date: stale.py",
                                                    "out of date: new.py"]
    assert stale.read_text(encoding="utf-8") == "old\n" and not missing.exists()
    assert sync_generated(files, []) == 0
    assert capsys.readouterr().out.splitlines() == ["wrote: stale.py", "wrote: new.py"]
    assert {path.read_text(encoding="utf-8") for path in files} == {"a\n", "b\n", "c\n"}
    assert sync_generated(files, ["--check"]) == 0
