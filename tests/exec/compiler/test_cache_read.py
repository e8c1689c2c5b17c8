"""How the disk cache reads an entry's bytes (``cache._read_all``, ``CodeCache._read``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wasmem.errors import CacheWarning
from wasmem.exec.compiler import cache as cache_module
from wasmem.exec.compiler import cache_trust
from wasmem.exec.compiler.cache import CodeCache, _read_all


def _read(path: Path, size: int) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        return _read_all(fd, size)
    finally:
        os.close(fd)


@pytest.mark.parametrize("length", [0, 1, 4096, (1 << 16) + 3, 300_000])
def test_a_file_is_read_whole(tmp_path: Path, length: int) -> None:
    path = tmp_path / "entry.bin"
    data = os.urandom(length)
    path.write_bytes(data)
    assert _read(path, length) == data


def test_a_file_that_grew_after_its_size_was_taken_is_read_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "entry.bin"
    data = os.urandom(200_000)
    path.write_bytes(data)
    assert _read(path, 10) == data  # (then the tag does not verify: not an entry)


def test_a_file_beyond_the_bound_is_cut_one_byte_past_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", 100)
    path = tmp_path / "entry.bin"
    path.write_bytes(bytes(1000))
    assert len(_read(path, 50)) == 101


def test_entries_round_trip_through_the_disk(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_trust, "_warned", set())
    cache = CodeCache(tmp_path, b"\0asm\1\0\0\0", b"k" * 32)
    for size in (0, 5, 70_000):
        payload = os.urandom(size)
        path = os.path.join(tmp_path, f"e{size}")
        assert cache._write(path, f"e{size}", payload)
        assert cache._read(path, f"e{size}") == payload
        cache_trust._warned.clear()  # (each kind of warning comes once a process)
        with pytest.warns(CacheWarning):
            assert cache._read(path, "another name") is None
