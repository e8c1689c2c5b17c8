"""A WASI guest driven from Python: calls the preview 1 imports as a module would,
with its arguments in a real linear memory, and returns errno values and results."""

from __future__ import annotations

import struct
from typing import Any

from wasmem.memory.linear import LinearMemory
from wasmem.syntax.types import Limits, MemoryType, NumType
from wasmem.wasi import WasiConfig
from wasmem.wasi.abi import ALL_RIGHTS, FDSTAT, FILESTAT, OFlags
from wasmem.wasi.imports import WasiLink

SCRATCH = 1024
"""Where arguments go in memory; results are read back from RESULT."""
RESULT = 64


class Guest:
    """Preview 1 calls with Python values (paths as str, results unpacked)."""

    def __init__(self, config: WasiConfig) -> None:
        self.link = WasiLink(config)
        self.memory = LinearMemory(MemoryType(Limits(1, None), NumType.I32))
        self.link.context.memory = self.memory
        self.ctx = self.link.context

    def call(self, name: str, *args: int) -> int:
        """Call an import with raw arguments; return its errno."""
        return int(self.link.functions[name].call(*args))

    def put(self, data: bytes, address: int = SCRATCH) -> tuple[int, int]:
        self.memory.write(address, data)
        return address, len(data)

    def u32(self, address: int = RESULT) -> int:
        return int(struct.unpack("<I", self.memory.read(address, 4))[0])

    def open(self, path: str, *, dirfd: int = 3, follow: bool = True, oflags: int = 0,
             rights: int = ALL_RIGHTS, inheriting: int = ALL_RIGHTS,
             fdflags: int = 0) -> tuple[int, int | None]:
        """``path_open``: ``(errno, fd or None)``."""
        address, length = self.put(path.encode())
        errno = self.call("path_open", dirfd, int(follow), address, length, oflags, rights,
                          inheriting, fdflags, RESULT)
        return errno, (self.u32() if errno == 0 else None)

    def create(self, path: str, **options: Any) -> tuple[int, int | None]:
        return self.open(path, oflags=OFlags.CREAT, **options)

    def read(self, fd: int, size: int = 256) -> tuple[int, bytes]:
        """``fd_read`` into one buffer: ``(errno, data)``."""
        self.memory.write(128, struct.pack("<II", 2048, size))
        errno = self.call("fd_read", fd, 128, 1, RESULT)
        return errno, (self.memory.read(2048, self.u32()) if errno == 0 else b"")

    def write(self, fd: int, data: bytes) -> tuple[int, int]:
        """``fd_write`` from one buffer: ``(errno, bytes written)``."""
        self.memory.write(2048, data)
        self.memory.write(128, struct.pack("<II", 2048, len(data)))
        errno = self.call("fd_write", fd, 128, 1, RESULT)
        return errno, (self.u32() if errno == 0 else 0)

    def path_call(self, name: str, path: str, *before: int, dirfd: int = 3,
                  after: tuple[int, ...] = ()) -> int:
        """A ``path_*`` call taking ``(fd, [before...], path, len, [after...])``."""
        address, length = self.put(path.encode())
        return self.call(name, dirfd, *before, address, length, *after)

    def two_paths(self, name: str, old: str, new: str, *, old_fd: int = 3,
                  new_fd: int = 3, flags: int | None = None) -> int:
        """``path_rename`` / ``path_link``."""
        a, alen = self.put(old.encode(), SCRATCH)
        b, blen = self.put(new.encode(), SCRATCH + 512)
        if flags is None:
            return self.call(name, old_fd, a, alen, new_fd, b, blen)
        return self.call(name, old_fd, flags, a, alen, new_fd, b, blen)

    def symlink(self, target: str, path: str, dirfd: int = 3) -> int:
        a, alen = self.put(target.encode(), SCRATCH)
        b, blen = self.put(path.encode(), SCRATCH + 512)
        return self.call("path_symlink", a, alen, dirfd, b, blen)

    def stat(self, path: str, *, follow: bool = True, dirfd: int = 3) -> tuple[int, tuple]:
        errno = self.path_call("path_filestat_get", path, int(follow), dirfd=dirfd,
                               after=(256,))
        return errno, (FILESTAT.unpack(self.memory.read(256, 64)) if errno == 0 else ())

    def fdstat(self, fd: int) -> tuple[int, tuple]:
        errno = self.call("fd_fdstat_get", fd, 256)
        return errno, (FDSTAT.unpack(self.memory.read(256, 24)) if errno == 0 else ())

    def close(self) -> None:
        self.ctx.close()
