"""The vendored test data: complete, found through ``tests/_data.py`` only, refreshable."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _data import DATA, ROOT, SPEC_SUITE, tier_files

BESIDE = re.compile(r'/\s*"shared"|\.\./shared|/shared/|/work/|"spec-testsuite"')
"""A path to a folder beside the checkout (or of the development machine)."""
TIERS = sorted(p.stem for p in (SPEC_SUITE / "tiers").glob("*.txt"))


def _refresh_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("refresh", DATA / "refresh.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("tier", TIERS)
def test_every_tier_entry_is_vendored(tier: str) -> None:
    files = tier_files(tier)
    assert files
    missing = [f for f in files if not (SPEC_SUITE / f).is_file()]
    assert not missing


def test_suite_readme_names_commit_and_license() -> None:
    readme = (SPEC_SUITE / "README.md").read_text(encoding="utf-8")
    assert "193e551ff22663995b1ac95dc62344133669e14b" in readme
    assert "Apache" in readme
    assert "Apache License" in (SPEC_SUITE / "core" / "LICENSE").read_text(encoding="utf-8")


def test_tier_files_accepts_both_spellings_and_fails_loudly() -> None:
    assert tier_files("1-memory") == tier_files("1-memory.txt")
    with pytest.raises(FileNotFoundError):
        tier_files("9-nothing")


def test_only_data_module_knows_where_data_lives() -> None:
    """No test or source file names a folder beside the checkout but ``_data.py``."""
    offenders = []
    for path in [*ROOT.joinpath("tests").rglob("*.py"), *ROOT.joinpath("src").rglob("*.py"),
                 *ROOT.joinpath("bench").rglob("*.py")]:
        if DATA in path.parents or path.name in ("_data.py", "test_data.py"):
            continue
        if BESIDE.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_refresh_copies_byte_for_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refresh = _refresh_module()
    upstream = tmp_path / "testsuite"
    (upstream / "proposals" / "threads").mkdir(parents=True)
    (upstream / "LICENSE").write_text("Apache License\n")
    (upstream / "address.wast").write_bytes(b"(module)\r\n;; bytes kept\n")
    (upstream / "proposals" / "threads" / "atomic.wast").write_bytes(b"(module)\n")
    git = ["git", "-C", str(upstream), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "suite"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                            text=True).stdout.strip()
    suite = tmp_path / "spec-testsuite"
    (suite / "core").mkdir(parents=True)
    (suite / "core" / "old.wast").write_text("(module)")
    (suite / "tiers").mkdir()
    (suite / "tiers" / "1-memory.txt").write_text("# memory\ncore/address.wast\ncore/old.wast\n")
    shutil.copyfile(SPEC_SUITE / "README.md", suite / "README.md")

    assert refresh.refresh_spec(upstream, suite) == 1  # core/old.wast is gone upstream
    assert (suite / "core" / "address.wast").read_bytes() == b"(module)\r\n;; bytes kept\n"
    assert (suite / "core" / "LICENSE").read_text() == "Apache License\n"
    assert not (suite / "core" / "old.wast").exists()
    assert (suite / "proposals" / "threads" / "atomic.wast").is_file()
    assert f"`{commit}`" in (suite / "README.md").read_text(encoding="utf-8")
    assert "gone upstream: tiers/1-memory.txt: core/old.wast" in capsys.readouterr().out
    assert refresh.main(["spec", str(tmp_path / "nothing")]) == 2
