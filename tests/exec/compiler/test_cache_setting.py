"""``cache_dir=`` settings that turn the disk cache off, decided without importing it
(:mod:`wasmem.exec.compiler.cache_setting`), and the same verdicts from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmem.exec.compiler.cache import CodeCache
from wasmem.exec.compiler.cache_setting import ENVIRONMENT_VARIABLE, cache_disabled


@pytest.mark.parametrize("setting", [False, "", "  ", "\t"])
def test_settings_that_turn_the_cache_off(setting: object) -> None:
    assert cache_disabled(setting)
    assert CodeCache.configured(setting, b"\0asm\1\0\0\0") is None  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["", "   "])
def test_a_blank_environment_variable_turns_the_default_off(
        value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, value)
    assert cache_disabled(None) and cache_disabled(True)
    assert CodeCache.configured(None, b"\0asm\1\0\0\0") is None


def test_settings_left_to_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(tmp_path / "cache"))
    assert not cache_disabled(None)
    assert not cache_disabled(str(tmp_path))
    assert not cache_disabled(tmp_path)
    assert not cache_disabled(7)  # refused by the cache itself (InvocationError)
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    assert not cache_disabled(None)  # the per-user default directory
