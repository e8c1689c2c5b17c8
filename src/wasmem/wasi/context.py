"""The state of one WASI guest: its descriptors, its memory and how it ended.

:class:`WasiContext` is created for each :class:`wasmem.Instance` made with ``wasi=``;
the preview 1 functions (``calls_*`` modules) receive it first. Every byte they read or
write goes through the instance's :class:`~wasmem.memory.linear.LinearMemory` (bounds
checked; an out-of-range pointer becomes ``errno::fault``).
"""

from __future__ import annotations

import os
import stat
import weakref
from collections.abc import Callable

from ..errors import LinkError, Trap
from ..memory.linear import LinearMemory
from .abi import (
    ALL_RIGHTS,
    DIRECTORY_RIGHTS,
    IOVEC,
    STDIN_RIGHTS,
    STDOUT_RIGHTS,
    U32,
    U64,
    FileType,
)
from .config import WasiConfig
from .fds import Descriptor, FdTable
from .streams import input_stream

__all__ = ["WasiContext"]


class WasiContext:
    """Descriptors, memory and exit status of one guest.

    Args:
        config: what the guest is given.

    Raises:
        LinkError: a preopened host directory cannot be opened.
    """

    def __init__(self, config: WasiConfig) -> None:
        self.config = config
        self.fds = FdTable()
        self.memory: LinearMemory | None = None
        self.exit_code: int | None = None
        self.on_exit: Callable[[int], None] | None = None
        """Called by ``proc_exit`` before it raises (finishes the instance)."""
        stdin = input_stream(config.stdin)
        self.fds.add(Descriptor(stdin.filetype, STDIN_RIGHTS, 0, stream=stdin))
        self.fds.add(Descriptor(config.stdout.filetype, STDOUT_RIGHTS, 0,
                                stream=config.stdout))
        self.fds.add(Descriptor(config.stderr.filetype, STDOUT_RIGHTS, 0,
                                stream=config.stderr))
        self._finalizer = weakref.finalize(self, FdTable.close_all, self.fds)
        for guest, host in config.preopens.items():
            try:
                fd = os.open(host, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
            except OSError as exc:
                self.close()
                raise LinkError(f"cannot preopen {host!r} as {guest!r}: "
                                f"{exc.strerror or exc}") from None
            self.fds.add(Descriptor(FileType.DIRECTORY, DIRECTORY_RIGHTS, ALL_RIGHTS,
                                    host_fd=fd, preopen=guest))

    def close(self) -> None:
        """Close every host descriptor the guest holds."""
        self.fds.close_all()

    # ------------------------------------------------------------ memory access
    def _memory(self) -> LinearMemory:
        memory = self.memory
        if memory is None:
            raise Trap("a WASI function was called but the module exports no memory "
                       "named \"memory\"")
        return memory

    def read(self, address: int, length: int) -> bytes:
        """``length`` bytes at ``address``. Raises OutOfBounds (a Trap) when outside."""
        return self._memory().read(address, length)

    def write(self, address: int, data: bytes | bytearray | memoryview) -> None:
        """Write ``data`` at ``address``. Raises OutOfBounds when outside (nothing written)."""
        self._memory().write(address, data)

    def check(self, address: int, length: int) -> None:
        """Raise OutOfBounds unless ``length`` bytes at ``address`` lie in memory."""
        self._memory().check(address, length)

    def write_u32(self, address: int, value: int) -> None:
        """Store a little-endian u32 result. Raises OutOfBounds."""
        memory = self.memory
        if memory is None:
            memory = self._memory()  # raises
        memory.write(address, U32.pack(value & 0xFFFFFFFF))

    def write_u64(self, address: int, value: int) -> None:
        """Store a little-endian u64 result. Raises OutOfBounds."""
        self._memory().write(address, U64.pack(value & 0xFFFFFFFFFFFFFFFF))

    def iovecs(self, address: int, count: int) -> list[tuple[int, int]]:
        """The ``(buf, buf_len)`` pairs of an ``iovec`` array. Raises OutOfBounds."""
        raw = self.read(address, count * IOVEC.size)
        return list(IOVEC.iter_unpack(raw))

    def gather(self, address: int, count: int) -> bytes:
        """The bytes a ``ciovec`` array points at, concatenated. Raises OutOfBounds."""
        if count == 1:  # the common case (an unbuffered or flushed stdio write)
            memory = self._memory()
            buf, length = IOVEC.unpack(memory.read(address, IOVEC.size))
            return memory.read(buf, length)
        vectors = self.iovecs(address, count)
        return b"".join([self.read(buf, length) for buf, length in vectors])

    def scatter(self, address: int, count: int, data: bytes) -> None:
        """Spread ``data`` over an ``iovec`` array, in order. Raises OutOfBounds."""
        offset = 0
        for buf, length in self.iovecs(address, count):
            if offset >= len(data):
                break
            piece = data[offset:offset + length]
            self.write(buf, piece)
            offset += len(piece)

    def capacity(self, address: int, count: int) -> int:
        """Total length of an ``iovec`` array's buffers (each checked against memory).

        Raises:
            OutOfBounds: a buffer lies outside memory.
        """
        memory = self._memory()
        total = 0
        for buf, length in self.iovecs(address, count):
            memory.check(buf, length)
            total += length
        return total

    def path(self, address: int, length: int) -> bytes:
        """The bytes of a path argument. Raises OutOfBounds."""
        return self.read(address, length)


_FILE_TYPES = ((stat.S_ISREG, FileType.REGULAR_FILE), (stat.S_ISDIR, FileType.DIRECTORY),
               (stat.S_ISLNK, FileType.SYMBOLIC_LINK), (stat.S_ISCHR, FileType.CHARACTER_DEVICE),
               (stat.S_ISBLK, FileType.BLOCK_DEVICE), (stat.S_ISSOCK, FileType.SOCKET_STREAM))


def filetype_of(mode: int) -> FileType:
    """The preview 1 file type of a host ``st_mode``."""
    for test, kind in _FILE_TYPES:
        if test(mode):
            return kind
    return FileType.UNKNOWN
