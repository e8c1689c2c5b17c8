"""A module's disk-cache entries in one file (``exec/compiler/cache_pack.py``)."""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

import pytest

import wasmem
from wasmem.exec.compiler import cache_pack, cache_trust, codegen
from wasmem.exec.compiler.cache_memory import MEMORY, MEMORY_VARIABLE
from wasmem.exec.compiler.cache_pack import PACK_FILE, write_packs

TEXT = """(module
  (memory (export "memory") 1)
  (func $sum (export "sum") (param $n i32) (result i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $s))
  (func $nan (export "nan") (result i64)
    (i64.reinterpret_f64 (f64.add (f64.const nan:0x4) (f64.const 0))))
  (func $store (export "store") (param i32) (result i32)
    (i32.store (i32.const 16) (local.get 0))
    (i32.load (i32.const 16))))"""


@pytest.fixture(autouse=True)
def translate_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every function is translated (and its entry written) at its first call; packs
    are written when a test says (not at the test process's exit)."""
    from wasmem.exec import tiering
    monkeypatch.setattr(tiering, "CALL_BUDGET", 0)
    monkeypatch.setenv("WASMEM_TIER_BUDGETS", "0,0")
    monkeypatch.delenv(MEMORY_VARIABLE, raising=False)
    monkeypatch.setattr(cache_trust, "_warned", set())
    monkeypatch.setattr(cache_pack, "_pending", [])
    MEMORY.clear()


@pytest.fixture
def data() -> bytes:
    return wasmem.Module(TEXT).to_bytes()


def _run(data: bytes, cache: Path, *names: str) -> list[Any]:
    exports = wasmem.Instance(wasmem.Module(data, cache_dir=cache)).exports
    arguments = {"sum": (100,), "nan": (), "store": (7,)}
    return [exports[name](*arguments[name]) for name in names]


def _opened(monkeypatch: pytest.MonkeyPatch, below: Path) -> list[str]:
    """The names of the files below ``below`` that ``os.open`` opens from now on."""
    opened: list[str] = []
    real = os.open

    def counting(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(below)):
            opened.append(os.path.basename(str(path)))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", counting)
    return opened


def _no_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: object) -> str:
        raise AssertionError("translated although the code was in the cache")
    monkeypatch.setattr(codegen.FunctionCompiler, "compile", refuse)


def _pack(tmp_path: Path) -> dict[str, bytes]:
    (path,) = tmp_path.rglob(PACK_FILE)
    entries = marshal.loads(path.read_bytes()[cache_trust.TAG_BYTES:])
    assert isinstance(entries, dict)
    return entries


def test_a_process_reads_the_pack_instead_of_each_entry(
        data: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(data, tmp_path, "sum", "nan", "store")
    assert first == [5050, 0x7FF8000000000004, 7]
    assert list(tmp_path.rglob(PACK_FILE)) == []  # (written at exit)
    write_packs()
    assert sorted(_pack(tmp_path)) == ["f0", "f1", "f2"]
    for name, payload in _pack(tmp_path).items():  # each as its own file holds it
        (entry,) = tmp_path.rglob(f"{name}.bin")
        assert entry.read_bytes()[cache_trust.TAG_BYTES:] == payload
    MEMORY.clear()  # as in a new process
    opened = _opened(monkeypatch, tmp_path)
    _no_translation(monkeypatch)
    assert _run(data, tmp_path, "sum", "nan", "store") == first
    assert opened == ["valid", PACK_FILE]
    write_packs()
    assert opened == ["valid", PACK_FILE]  # (nothing new: not written again)


def test_the_pack_grows_with_what_later_runs_reach(data: bytes, tmp_path: Path) -> None:
    _run(data, tmp_path, "sum")
    write_packs()
    assert sorted(_pack(tmp_path)) == ["f0"]
    MEMORY.clear()
    assert _run(data, tmp_path, "sum", "store") == [5050, 7]
    write_packs()
    assert sorted(_pack(tmp_path)) == ["f0", "f2"]


def test_a_damaged_pack_is_ignored(data: bytes, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(data, tmp_path, "sum", "nan")
    write_packs()
    (path,) = tmp_path.rglob(PACK_FILE)
    damaged = bytearray(path.read_bytes())
    damaged[-3] ^= 1
    path.write_bytes(bytes(damaged))
    MEMORY.clear()
    _no_translation(monkeypatch)  # (the entries' own files serve)
    with pytest.warns(wasmem.CacheWarning, match="fails authentication"):
        assert _run(data, tmp_path, "sum", "nan") == first
    write_packs()  # replaced by a good one
    assert sorted(_pack(tmp_path)) == ["f0", "f1"]


def test_an_authentic_pack_that_is_no_pack_is_ignored(data: bytes, tmp_path: Path) -> None:
    first = _run(data, tmp_path, "sum")
    module = wasmem.Module(data, cache_dir=tmp_path)
    cache = wasmem.Instance(module)._instance.tier.compiled.cache
    assert cache is not None
    assert cache.write_file(PACK_FILE, "pack", marshal.dumps({"f0": "not bytes"}))
    assert cache_pack.read_pack(cache) == {}
    MEMORY.clear()
    assert _run(data, tmp_path, "sum") == first


def test_a_pack_of_another_entry_name_is_not_authentic(data: bytes, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _run(data, tmp_path, "sum")
    (entry,) = tmp_path.rglob("f0.bin")  # an authentic entry moved to the pack's place
    entry.with_name(PACK_FILE).write_bytes(entry.read_bytes())
    module = wasmem.Module(data, cache_dir=tmp_path)
    cache = wasmem.Instance(module)._instance.tier.compiled.cache
    assert cache is not None
    with pytest.warns(wasmem.CacheWarning, match="fails authentication"):
        assert cache_pack.read_pack(cache) == {}


def test_packs_can_be_turned_off(data: bytes, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_pack, "PACKS", False)
    first = _run(data, tmp_path, "sum", "nan")
    write_packs()
    assert list(tmp_path.rglob(PACK_FILE)) == []
    MEMORY.clear()
    opened = _opened(monkeypatch, tmp_path)
    assert _run(data, tmp_path, "sum", "nan") == first
    assert sorted(opened) == ["f0.bin", "f1.bin", "valid"]


def test_no_pack_for_a_directory_removed_meanwhile(data: bytes, tmp_path: Path) -> None:
    import shutil
    _run(data, tmp_path / "cache", "sum")
    shutil.rmtree(tmp_path / "cache")  # (a temporary cache, gone before the exit)
    write_packs()
    assert not (tmp_path / "cache").exists()  # not made again
