"""The disk cache's in-memory layer (``exec/compiler/cache_memory.py``)."""

from __future__ import annotations

import marshal
import os
import threading
from pathlib import Path
from typing import Any

import pytest

import wasmem
from wasmem.exec.compiler import cache_trust, codegen
from wasmem.exec.compiler.cache import ENVIRONMENT_VARIABLE, CodeCache
from wasmem.exec.compiler.cache_memory import MEMORY, MEMORY_VARIABLE, MemoryLayer

TEXT = """(module
  (memory (export "memory") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $sum (export "sum") (param $n i32) (result i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $s))
  (func $bump (export "bump") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (i32.store (i32.const 16) (global.get $g))
    (global.get $g))
  (func $nan (export "nan") (result i64)
    (i64.reinterpret_f64 (f64.add (f64.const nan:0x4) (f64.const 0)))))"""


@pytest.fixture(autouse=True)
def translate_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every function is translated (and its entry written) at its first call."""
    from wasmem.exec import tiering
    monkeypatch.setattr(tiering, "CALL_BUDGET", 0)
    monkeypatch.setenv("WASMEM_TIER_BUDGETS", "0,0")
    monkeypatch.delenv(MEMORY_VARIABLE, raising=False)
    monkeypatch.setattr(cache_trust, "_warned", set())


@pytest.fixture
def data() -> bytes:
    return wasmem.Module(TEXT).to_bytes()


def _run(data: bytes, cache: Path | bool, **options: Any) -> tuple[int, int, int, int]:
    instance = wasmem.Instance(wasmem.Module(data, cache_dir=cache), **options)
    e = instance.exports
    return e["sum"](100), e["bump"](3), e["bump"](4), e["nan"]()


def _count_opens(monkeypatch: pytest.MonkeyPatch, below: Path) -> list[str]:
    """The files below ``below`` that ``os.open`` opens from now on."""
    opened: list[str] = []
    real = os.open

    def counting(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(below)):
            opened.append(str(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", counting)
    return opened


def _no_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: object) -> str:
        raise AssertionError("translated although the code was in the cache")
    monkeypatch.setattr(codegen.FunctionCompiler, "compile", refuse)


def test_a_second_module_of_the_same_bytes_reads_no_file(
        data: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(data, tmp_path)
    assert len(list(tmp_path.rglob("*.bin"))) == 3
    opened = _count_opens(monkeypatch, tmp_path)
    _no_translation(monkeypatch)
    hits = MEMORY.hits
    assert _run(data, tmp_path) == first
    assert first[:3] == (5050, 3, 7)
    assert opened == []
    assert MEMORY.hits - hits == 4  # the validity marker and three functions


def test_entries_read_from_disk_are_kept(data: bytes, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(data, tmp_path)
    MEMORY.clear()  # as in a new process: the next load reads the disk (and keeps it)
    opened = _count_opens(monkeypatch, tmp_path)
    assert _run(data, tmp_path) == first
    # the validity marker, the module's pack (none yet: written at exit, cache_pack.py)
    # and three entries
    assert len(opened) == 5
    assert _run(data, tmp_path) == first
    assert len(opened) == 5


def test_instances_share_code_but_not_state(data: bytes, tmp_path: Path) -> None:
    a = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    b = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    assert (a.exports["bump"](5), a.exports["bump"](5)) == (5, 10)
    assert b.exports["bump"](1) == 1
    assert (a.exports["g"].value, b.exports["g"].value) == (10, 1)
    assert (a.exports["memory"].u32[16], b.exports["memory"].u32[16]) == (10, 1)


def test_a_changed_option_does_not_reuse_entries(data: bytes, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _run(data, tmp_path)
    opened = _count_opens(monkeypatch, tmp_path)
    metered = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path), fuel=50)
    with pytest.raises(wasmem.FuelExhausted):
        metered.exports["sum"](1000)
    assert [os.path.basename(p) for p in opened if p.endswith(".bin")] == ["f0-fuel.bin"]
    assert any(p.name == "f0-fuel.bin" for p in tmp_path.rglob("*.bin"))
    # another cache directory: its own entries, translated and written there
    other = tmp_path / "other"
    assert _run(data, other) == _run(data, tmp_path)
    assert len(list(other.rglob("*.bin"))) == 3
    # another module (other bytes): nothing of this one's is used
    changed = wasmem.Module(TEXT.replace("i32.const 16", "i32.const 20")).to_bytes()
    assert _run(changed, tmp_path)[:3] == (5050, 3, 7)


def test_another_key_does_not_reuse_entries(data: bytes, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "someone-else"))
    _run(data, tmp_path / "cache")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "me"))
    with pytest.warns(wasmem.CacheWarning, match="fails authentication"):
        _run(data, tmp_path / "cache")


def test_what_the_process_verified_stays_what_runs(data: bytes, tmp_path: Path) -> None:
    """An entry replaced on disk after this process read it is not read again: the
    process keeps running what it verified (new processes check the disk's entry)."""
    first = _run(data, tmp_path)
    planted = marshal.dumps((compile("def F0(*a): return 42", "x", "exec").co_consts[0], ()))
    for entry in tmp_path.rglob("*.bin"):
        entry.write_bytes(entry.read_bytes()[:cache_trust.TAG_BYTES] + planted)
    assert _run(data, tmp_path) == first


def test_no_cache_means_no_layer(data: bytes, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    MEMORY.clear()
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "")
    assert CodeCache.configured(None, data) is None
    assert _run(data, None)[0] == 5050  # type: ignore[arg-type]
    assert _run(data, False)[0] == 5050
    assert len(MEMORY) == 0


def test_the_layer_can_be_turned_off(data: bytes, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    MEMORY.clear()
    monkeypatch.setenv(MEMORY_VARIABLE, "0")
    first = _run(data, tmp_path)
    assert len(MEMORY) == 0
    opened = _count_opens(monkeypatch, tmp_path)
    assert _run(data, tmp_path) == first
    assert len(opened) == 5  # (as in test_entries_read_from_disk_are_kept)


def test_a_bad_bound_warns_and_uses_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from wasmem.exec.compiler.cache_memory import DEFAULT_MEMORY_MB, memory_limit
    for bad in ("lots", "-1", "nan", "inf"):
        monkeypatch.setattr(cache_trust, "_warned", set())
        monkeypatch.setenv(MEMORY_VARIABLE, bad)
        with pytest.warns(wasmem.CacheWarning, match=MEMORY_VARIABLE):
            assert memory_limit() == DEFAULT_MEMORY_MB << 20
    monkeypatch.setenv(MEMORY_VARIABLE, "0.5")
    assert memory_limit() == 1 << 19


def test_the_layer_is_bounded_least_recently_used_first() -> None:
    layer = MemoryLayer(limit=100)
    for number in range(5):
        layer.put(("root", b"k", b"c", f"f{number}"), number, 30)
        assert layer.size <= 100
    assert len(layer) == 3 and layer.size == 90
    assert layer.get(("root", b"k", b"c", "f0")) is None
    assert layer.get(("root", b"k", b"c", "f2")) == 2  # now the most recently used
    layer.put(("root", b"k", b"c", "f5"), 5, 30)
    assert layer.get(("root", b"k", b"c", "f3")) is None
    assert layer.get(("root", b"k", b"c", "f2")) == 2
    layer.put(("root", b"k", b"c", "big"), "too big", 101)  # larger than the bound: not kept
    assert layer.get(("root", b"k", b"c", "big")) is None and layer.size == 90
    layer.put(("root", b"k", b"c", "f2"), 2, 30)  # again: counted once
    assert layer.size == 90


def test_the_process_layer_stays_within_its_bound(data: bytes, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    MEMORY.clear()
    monkeypatch.setenv(MEMORY_VARIABLE, str(200 / (1 << 20)))  # 200 bytes: a few entries
    for number in range(4):
        _run(data, tmp_path / str(number))
        assert 0 < MEMORY.size <= 200


def test_two_instances_in_two_threads(data: bytes, tmp_path: Path) -> None:
    expected = _run(data, tmp_path)
    results: list[tuple[int, int, int, int]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                results.append(_run(data, tmp_path))
        except BaseException as exc:  # reported below
            errors.append(exc)
    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and results == [expected] * 40
