"""``wasi_unstable`` (snapshot 0): the functions whose records differ from preview 1
(``fd_seek``'s whence, the 56-byte ``filestat`` and ``subscription``), and a module
importing it run end to end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _guest import RESULT, Guest

import wasmem
from wasmem.wasi import WasiConfig
from wasmem.wasi.abi import EVENT, Errno, EventType, FileType
from wasmem.wasi.preview0 import FILESTAT, SUBSCRIPTION


@pytest.fixture()
def guest(tmp_path: Path) -> Iterator[Guest]:
    (tmp_path / "data.txt").write_bytes(b"0123456789")
    g = Guest(WasiConfig(preopens={".": str(tmp_path)}, stdout="capture"))
    yield g
    g.close()


def call0(guest: Guest, name: str, *args: int) -> int:
    return int(guest.link.preview0[name].call(*args))


def test_the_functions_are_preview_1s_but_sock_accept() -> None:
    g = Guest(WasiConfig())
    assert "sock_accept" not in g.link.preview0
    assert set(g.link.preview0) == set(g.link.functions) - {"sock_accept"}
    assert g.link.preview0["fd_write"] is g.link.functions["fd_write"]
    g.close()


def test_whence_is_cur_end_set(guest: Guest) -> None:
    errno, fd = guest.open("data.txt")
    assert errno == 0 and fd is not None
    assert call0(guest, "fd_seek", fd, 4, 2, RESULT) == 0 and guest.u32() == 4  # set
    assert call0(guest, "fd_seek", fd, 1, 0, RESULT) == 0 and guest.u32() == 5  # cur
    assert call0(guest, "fd_seek", fd, (-2) & (2**64 - 1), 1, RESULT) == 0  # end
    assert guest.u32() == 8
    assert call0(guest, "fd_seek", fd, 0, 3, RESULT) == Errno.INVAL


def test_filestat_is_56_bytes_with_a_32_bit_nlink(guest: Guest, tmp_path: Path) -> None:
    errno, fd = guest.open("data.txt")
    assert errno == 0 and fd is not None
    guest.memory.write(500, b"\xaa" * 64)
    assert call0(guest, "fd_filestat_get", fd, 500) == 0
    _dev, ino, kind, nlink, size, _a, mtim, _c = FILESTAT.unpack(guest.memory.read(500, 56))
    host = (tmp_path / "data.txt").stat()
    assert (ino, kind, nlink, size, mtim) == (host.st_ino, FileType.REGULAR_FILE, 1, 10,
                                              host.st_mtime_ns)
    assert guest.memory.read(556, 8) == b"\xaa" * 8  # nothing written past the record
    address, length = guest.put(b"data.txt")
    assert call0(guest, "path_filestat_get", 3, 0, address, length, 600) == 0
    assert FILESTAT.unpack(guest.memory.read(600, 56))[4] == 10


def test_poll_oneoff_reads_56_byte_subscriptions(guest: Guest) -> None:
    guest.memory.write(1000, SUBSCRIPTION.pack(5, EventType.CLOCK, 0, 1, 10_000_000, 0, 0))
    guest.memory.write(1056, SUBSCRIPTION.pack(6, EventType.FD_WRITE, 1, 0, 0, 0, 0))
    start = time.monotonic()
    assert call0(guest, "poll_oneoff", 1000, 2000, 1, RESULT) == 0
    assert time.monotonic() - start >= 0.008
    assert guest.u32() == 1 and EVENT.unpack(guest.memory.read(2000, 32))[:3] == (
        5, 0, EventType.CLOCK)
    assert call0(guest, "poll_oneoff", 1056, 2000, 1, RESULT) == 0
    assert EVENT.unpack(guest.memory.read(2000, 32))[:3] == (6, 0, EventType.FD_WRITE)


def test_a_wasi_unstable_module_runs(tmp_path: Path) -> None:
    source = """(module
      (import "wasi_unstable" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "old\\n")
      (data (i32.const 0) "\\10\\00\\00\\00\\04\\00\\00\\00")
      (func (export "_start")
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (call $exit (i32.const 7))))"""
    config = WasiConfig(stdout="capture")
    instance = wasmem.Instance(wasmem.Module(source), wasi=config)
    with pytest.raises(wasmem.Exit) as exited:
        instance.exports._start()
    assert exited.value.code == 7 and config.captured_stdout == b"old\n"
    path = tmp_path / "old.wat"
    path.write_text(source)
    from wasmem.cli import main
    assert main(["run", str(path)]) == 7
