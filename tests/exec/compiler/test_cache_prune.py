"""The disk cache stays under its size bound, least recently used modules removed first."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

import wasmem
from wasmem.exec.compiler import cache_prune
from wasmem.exec.compiler.cache_prune import (
    DEFAULT_MAX_MB,
    LIMIT_VARIABLE,
    cache_limit,
    cache_size,
    prune_cache,
)

KIB = 4096  # sizes count disk blocks: the files here are whole blocks of this size


def _module_dir(root: Path, version: str, name: str, size: int, used: float) -> Path:
    directory = root / version / name
    directory.mkdir(parents=True)
    (directory / "valid").write_bytes(b"v" * KIB)
    (directory / "f0.bin").write_bytes(b"x" * (size - KIB))
    os.utime(directory, (used, used))
    return directory


def test_nothing_is_removed_under_the_limit(tmp_path: Path) -> None:
    for k in range(3):
        _module_dir(tmp_path, "fp", f"m{k}", 10 * KIB, 1000 + k)
    assert cache_size(tmp_path) == 30 * KIB
    assert prune_cache(tmp_path, 30 * KIB) == 0
    assert cache_size(tmp_path) == 30 * KIB


def test_least_recently_used_go_first_down_to_three_quarters(tmp_path: Path) -> None:
    ages = {"old": 1000, "older": 900, "new": 3000, "newer": 4000, "mid": 2000}
    for name, used in ages.items():
        _module_dir(tmp_path, "fp", name, 10 * KIB, used)
    removed = prune_cache(tmp_path, 40 * KIB)  # 50 KiB > 40: down to 30 KiB
    assert removed == 20 * KIB
    assert sorted(p.name for p in (tmp_path / "fp").iterdir()) == ["mid", "new", "newer"]
    assert cache_size(tmp_path) <= 30 * KIB


def test_the_module_in_use_and_other_versions(tmp_path: Path) -> None:
    in_use = _module_dir(tmp_path, "fp-now", "current", 10 * KIB, 100)  # oldest, kept
    _module_dir(tmp_path, "fp-old", "stale", 10 * KIB, 200)
    _module_dir(tmp_path, "fp-now", "recent", 10 * KIB, 5000)
    prune_cache(tmp_path, 25 * KIB, keep=in_use)
    assert in_use.is_dir()
    assert not (tmp_path / "fp-old").exists()  # its last module gone, the version too
    assert not (tmp_path / "fp-now" / "recent").exists()  # 30 KiB > 25: down to 18.75
    assert cache_size(tmp_path) == 10 * KIB


def test_links_are_removed_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    precious = outside / "precious"
    precious.write_bytes(b"keep me")
    root = tmp_path / "cache"
    directory = _module_dir(root, "fp", "m", 10 * KIB, 100)
    (directory / "link").symlink_to(precious)
    _module_dir(root, "fp", "n", 10 * KIB, 200)
    prune_cache(root, 12 * KIB)
    assert not directory.exists()
    assert precious.read_bytes() == b"keep me"


@pytest.mark.parametrize(("value", "expected"), [
    (None, DEFAULT_MAX_MB << 20), ("", DEFAULT_MAX_MB << 20), ("0", None),
    ("1.5", 3 << 19), ("64", 64 << 20)])
def test_the_limit_comes_from_the_environment(value: str | None, expected: int | None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if value is None:
        monkeypatch.delenv(LIMIT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(LIMIT_VARIABLE, value)
    assert cache_limit() == expected


@pytest.mark.parametrize("value", ["lots", "-3", "nan", "inf"])
def test_a_bad_limit_warns_and_the_default_applies(value: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIMIT_VARIABLE, value)
    monkeypatch.setattr("wasmem.exec.compiler.cache_trust._warned", set())
    with pytest.warns(wasmem.CacheWarning, match=LIMIT_VARIABLE):
        assert cache_limit() == DEFAULT_MAX_MB << 20


def _module(k: int) -> bytes:
    text = f'(module (func (export "f") (result i32) (i32.const {k})))'
    return wasmem.Module(text, cache_dir=False).to_bytes()


def test_loading_keeps_the_cache_bounded_and_used_modules_stay(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_prune, "CHECK_EVERY", 1)
    monkeypatch.setattr(cache_prune, "CHECK_INTERVAL", 0.0)
    monkeypatch.setattr(cache_prune, "_new_modules", 0)
    sources = [_module(k) for k in range(12)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", wasmem.CacheWarning)
        first = wasmem.Module(sources[0], cache_dir=tmp_path)
        assert wasmem.Instance(first).exports["f"]() == 0
        per_module = cache_size(tmp_path)
        assert per_module > 0
        limit = per_module * 4
        monkeypatch.setenv(LIMIT_VARIABLE, str(limit / (1 << 20)))
        for k, data in enumerate(sources[1:], 1):
            module = wasmem.Module(data, cache_dir=tmp_path)
            assert wasmem.Instance(module).exports["f"]() == k
            wasmem.Module(sources[0], cache_dir=tmp_path)  # used again: most recent
            assert cache_size(tmp_path) <= limit
    # the module used all along is still there, validated from the cache
    remembered = wasmem.Module(sources[0], cache_dir=tmp_path)
    assert wasmem.Instance(remembered).exports["f"]() == 0
    assert len(list(tmp_path.rglob("valid"))) <= 4


def test_small_files_count_for_the_disk_space_they_take(tmp_path: Path) -> None:
    directory = tmp_path / "fp" / "m"
    directory.mkdir(parents=True)
    for k in range(10):
        (directory / f"f{k}.bin").write_bytes(b"x" * 10)
    on_disk = sum(max(p.stat().st_size, getattr(p.stat(), "st_blocks", 0) * 512)
                  for p in directory.iterdir())
    assert cache_size(tmp_path) == on_disk >= 100


def test_a_recent_check_spares_the_next_processes_the_walk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first new module of a process walks the cache only when no process did in
    the last CHECK_INTERVAL seconds (the walk takes seconds on a large cache)."""
    walks: list[Path] = []
    monkeypatch.setattr(cache_prune, "prune_cache",
                        lambda root, limit, keep=None: walks.append(Path(root)) or 0)
    for _process in range(3):
        monkeypatch.setattr(cache_prune, "_new_modules", 0)
        cache_prune.after_new_module(tmp_path, tmp_path / "fp" / "m")
    assert walks == [tmp_path]
    marker = tmp_path / cache_prune.CHECKED_MARKER
    old = marker.stat().st_mtime - 2 * cache_prune.CHECK_INTERVAL
    os.utime(marker, (old, old))
    monkeypatch.setattr(cache_prune, "_new_modules", 0)
    cache_prune.after_new_module(tmp_path, tmp_path / "fp" / "m")
    assert walks == [tmp_path, tmp_path]


def test_a_planted_link_as_the_marker_is_not_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "elsewhere"
    target.write_bytes(b"keep")
    root = tmp_path / "cache"
    root.mkdir()
    (root / cache_prune.CHECKED_MARKER).symlink_to(target)
    before = target.stat().st_mtime
    monkeypatch.setattr(cache_prune, "_new_modules", 0)
    monkeypatch.setattr(cache_prune, "prune_cache", lambda *a, **k: 0)
    cache_prune.after_new_module(root, root / "fp" / "m")
    assert target.read_bytes() == b"keep" and target.stat().st_mtime == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_in_place_of_the_check_marker_does_not_block(tmp_path: Path) -> None:
    import threading
    marker = tmp_path / cache_prune.CHECKED_MARKER
    os.mkfifo(marker, 0o600)
    os.utime(marker, (0, 0), follow_symlinks=False)  # due for a check long ago
    answers: list[bool] = []
    checking = threading.Thread(target=lambda: answers.append(cache_prune._check_due(tmp_path)),
                                daemon=True)
    checking.start()
    checking.join(timeout=20)
    if checking.is_alive():  # unblock the open so the thread ends, then fail
        os.close(os.open(marker, os.O_RDONLY | os.O_NONBLOCK))
        pytest.fail("opening the marker waits for a reader")
    assert answers == [False]
