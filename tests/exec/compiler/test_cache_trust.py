"""The disk cache trusts only what its user wrote (issue 10, defect 1; issue 15: on by
default): authenticated entries, a private key outside the cache, safe directories."""

from __future__ import annotations

import marshal
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import wasmem
from wasmem.exec.compiler import cache_trust
from wasmem.exec.compiler.cache import ENVIRONMENT_VARIABLE, CodeCache
from wasmem.exec.compiler.cache_memory import MEMORY

TEXT = """(module
  (func (export "f") (result i32) (i32.const 7))
  (func (export "g") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))"""

EVIL = "def F():\n    open({marker!r}, 'w').close()\n    return 1337\n"


@pytest.fixture(autouse=True)
def translate_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the entries translations leave: the tiered mode (the
    default) translates every function before its first call here, also in child
    processes."""
    from wasmem.exec import tiering
    monkeypatch.setattr(tiering, "CALL_BUDGET", 0)
    monkeypatch.setenv("WASMEM_TIER_BUDGETS", "0,0")


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key of this test's own, and the once-per-process warnings anew."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(cache_trust, "_warned", set())


def _fill(cache: Path) -> None:
    instance = wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache))
    assert (instance.exports["f"](), instance.exports["g"](1)) == (7, 2)
    assert len(list(cache.rglob("*.bin"))) == 2
    MEMORY.clear()  # later loads read the disk, as a new process does (.cache_memory)


def test_planted_code_does_not_run(tmp_path: Path) -> None:
    """The reproducer: every cached code object replaced by the attacker's."""
    cache, marker = tmp_path / "cache", tmp_path / "PWNED"
    _fill(cache)
    planted = marshal.dumps(compile(EVIL.format(marker=str(marker)), "x", "exec").co_consts[0])
    for entry in cache.rglob("*.bin"):
        tag = entry.read_bytes()[:cache_trust.TAG_BYTES]
        entry.write_bytes(planted if entry.name == "f0.bin" else tag + planted)
    with pytest.warns(wasmem.CacheWarning, match="fails authentication"):
        instance = wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache))
        assert (instance.exports["f"](), instance.exports["g"](1)) == (7, 2)
    assert not marker.exists()


def test_planted_code_does_not_run_in_a_new_process(tmp_path: Path) -> None:
    cache, marker = tmp_path / "cache", tmp_path / "PWNED"
    _fill(cache)
    planted = marshal.dumps(compile(EVIL.format(marker=str(marker)), "x", "exec").co_consts[0])
    for entry in cache.rglob("*.bin"):
        entry.write_bytes(planted)
    script = textwrap.dedent(f"""
        import wasmem
        print(wasmem.Instance(wasmem.Module({TEXT!r})).exports["f"]())
    """)
    env = {**os.environ, ENVIRONMENT_VARIABLE: str(cache)}
    done = subprocess.run([sys.executable, "-W", "error::wasmem.CacheWarning", "-c", script],
                          capture_output=True, text=True, env=env, check=False)
    assert "CacheWarning" in done.stderr and not marker.exists()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=False)
    assert done.stdout == "7\n" and not marker.exists()


@pytest.mark.parametrize("content", [b"", b"valid", b"x" * 64], ids=["empty", "bare", "forged"])
def test_a_planted_valid_marker_does_not_make_an_invalid_module_load(
        tmp_path: Path, content: bytes) -> None:
    invalid = "(module (func (result i32) (i64.const 0)))"
    cache = tmp_path / "cache"
    marker = CodeCache.configured(cache, invalid).directory / "valid"  # type: ignore[union-attr]
    marker.parent.mkdir(parents=True)
    marker.write_bytes(content)
    with pytest.warns(wasmem.CacheWarning), pytest.raises(wasmem.ValidationError):
        wasmem.Module(invalid, cache_dir=cache)


def test_a_marker_of_another_module_does_not_transfer(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    valid = "(module)"
    invalid = "(module (func (result i32) (i64.const 0)))"
    wasmem.Module(valid, cache_dir=cache)
    (source,) = cache.rglob("valid")
    target = CodeCache.configured(cache, invalid).directory / "valid"  # type: ignore[union-attr]
    target.parent.mkdir(parents=True)
    target.write_bytes(source.read_bytes())
    with pytest.warns(wasmem.CacheWarning), pytest.raises(wasmem.ValidationError):
        wasmem.Module(invalid, cache_dir=cache)


def test_swapped_entries_are_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _fill(cache)
    (f0,) = cache.rglob("f0.bin")
    f1 = f0.with_name("f1.bin")
    first, second = f0.read_bytes(), f1.read_bytes()
    f0.write_bytes(second)
    f1.write_bytes(first)
    with pytest.warns(wasmem.CacheWarning):
        instance = wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache))
        assert (instance.exports["f"](), instance.exports["g"](1)) == (7, 2)


def test_entries_written_with_another_key_are_ignored(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "someone-else"))
    _fill(cache)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "me"))
    with pytest.warns(wasmem.CacheWarning, match="fails authentication"):
        assert wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache)).exports["f"]() == 7


def test_truncated_entries_are_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _fill(cache)
    for entry in cache.rglob("*.bin"):
        entry.write_bytes(entry.read_bytes()[:-5])
    with pytest.warns(wasmem.CacheWarning):
        assert wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache)).exports["g"](5) == 6


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX ownership")
@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757], ids=["world", "group", "others"])
def test_a_directory_others_can_write_is_refused(tmp_path: Path, mode: int) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(mode)
    with pytest.warns(wasmem.CacheWarning, match="not safe"):
        assert wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache)).exports["f"]() == 7
    assert not list(cache.rglob("*"))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="changing a directory's owner needs root")
def test_a_directory_of_another_user_is_refused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.chown(cache, 4242, 4242)
    with pytest.warns(wasmem.CacheWarning, match="another user"):
        assert wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache)).exports["f"]() == 7
    assert not list(cache.rglob("*"))


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX modes")
def test_the_key_is_private_and_outside_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _fill(cache)
    key = cache_trust.key_path()
    assert key.is_relative_to(tmp_path / "config") and not key.is_relative_to(cache)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == cache_trust.KEY_BYTES
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX modes")
@pytest.mark.parametrize("problem", ["readable", "short", "symlink", "fifo", "directory"])
def test_an_unsafe_key_turns_the_cache_off(tmp_path: Path, problem: str) -> None:
    key = cache_trust.key_path()
    key.parent.mkdir(parents=True)
    if problem == "fifo":  # opening it must not wait for a writer
        os.mkfifo(key, 0o600)
    elif problem == "directory":  # not a raw IsADirectoryError
        key.mkdir(mode=0o700)
    elif problem == "readable":
        key.write_bytes(b"k" * cache_trust.KEY_BYTES)
        key.chmod(0o644)
    elif problem == "short":
        key.write_bytes(b"k")
        key.chmod(0o600)
    else:
        real = tmp_path / "elsewhere"
        real.write_bytes(b"k" * cache_trust.KEY_BYTES)
        real.chmod(0o600)
        key.symlink_to(real)
    cache = tmp_path / "cache"
    unblocked: list[bool] = []
    if problem == "fifo":  # should the open wait, a writer ends the wait after 20 s
        import threading
        timer = threading.Timer(20, lambda: unblocked.append(True) or os.close(
            os.open(key, os.O_WRONLY | os.O_NONBLOCK)))
        timer.start()
    with pytest.warns(wasmem.CacheWarning, match="key"):
        assert wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache)).exports["f"]() == 7
    if problem == "fifo":
        timer.cancel()
    assert not unblocked, "reading the key waited for a writer"
    assert not list(cache.rglob("*.bin"))


def test_the_cache_is_on_by_default_in_the_user_cache_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert wasmem.Instance(wasmem.Module(TEXT)).exports["f"]() == 7
    assert len(list((tmp_path / "xdg" / "wasmem").rglob("f0.bin"))) == 1
    if hasattr(os, "geteuid"):
        assert stat.S_IMODE((tmp_path / "xdg" / "wasmem").stat().st_mode) == 0o700


@pytest.mark.parametrize("how", ["False", "empty string", "empty variable", "blank variable"])
def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     how: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if how in ("False", "empty string"):
        monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(tmp_path / "xdg"))
        module = wasmem.Module(TEXT, cache_dir=False if how == "False" else "")
    else:
        monkeypatch.setenv(ENVIRONMENT_VARIABLE, "" if how == "empty variable" else "  ")
        module = wasmem.Module(TEXT)
    assert wasmem.Instance(module).exports["f"]() == 7
    assert not (tmp_path / "xdg").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
def test_special_files_in_place_of_entries_are_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _fill(cache)
    (f0,) = cache.rglob("f0.bin")
    f0.unlink()
    os.mkfifo(f0)  # reading it would block for ever
    f1 = f0.with_name("f1.bin")
    f1.unlink()
    f1.symlink_to("/dev/zero")  # reading it would never end
    instance = wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache))
    assert (instance.exports["f"](), instance.exports["g"](1)) == (7, 2)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX modes")
def test_a_key_in_a_directory_others_can_write_is_refused(tmp_path: Path) -> None:
    key = cache_trust.key_path()
    key.parent.mkdir(parents=True)
    key.write_bytes(b"k" * cache_trust.KEY_BYTES)
    key.chmod(0o600)
    key.parent.chmod(0o777)
    cache = tmp_path / "cache"
    with pytest.warns(wasmem.CacheWarning, match="directory is not safe"):
        assert wasmem.Instance(wasmem.Module(TEXT, cache_dir=cache)).exports["f"]() == 7
    assert not list(cache.rglob("*.bin"))


@pytest.mark.parametrize("setting", [1, 2.5, b"dir"], ids=["int", "float", "bytes"])
def test_a_cache_dir_that_is_not_a_path_is_an_error(setting: object) -> None:
    with pytest.raises(wasmem.InvocationError, match="cache_dir"):
        wasmem.Module(TEXT, cache_dir=setting)  # type: ignore[arg-type]
