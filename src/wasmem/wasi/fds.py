"""The guest's file descriptor table: numbers -> open files, directories and streams.

Each :class:`Descriptor` holds its preview 1 rights (``base`` for operations on the
descriptor, ``inheriting`` for descriptors opened through it); an operation names the
rights it needs and :meth:`FdTable.get` refuses with ``notcapable`` when one is missing.
"""

from __future__ import annotations

import os
from typing import Any

from .abi import DIRECTORY_RIGHTS, FILE_RIGHTS, STDIN_RIGHTS, STDOUT_RIGHTS, Errno, FileType
from .oserrors import WasiError

__all__ = ["Descriptor", "FdTable"]


class Descriptor:
    """One open descriptor.

    Attributes:
        filetype: the preview 1 file type.
        rights_base, rights_inheriting: preview 1 rights.
        flags: ``fdflags`` (append, nonblock, ...).
        host_fd: the host file descriptor (files and directories), else None.
        stream: an input or output stream (fds 0-2), else None.
        preopen: the guest name of a preopened directory, else None.
        listing: directory entries cached for ``fd_readdir`` cookies.
    """

    __slots__ = ("filetype", "flags", "host_fd", "listing", "preopen", "rights_base",
                 "rights_inheriting", "stream")

    def __init__(self, filetype: FileType, rights_base: int, rights_inheriting: int, *,
                 host_fd: int | None = None, stream: Any = None, flags: int = 0,
                 preopen: str | None = None) -> None:
        self.filetype = filetype
        self.rights_base = rights_base
        self.rights_inheriting = rights_inheriting
        self.host_fd = host_fd
        self.stream = stream
        self.flags = flags
        self.preopen = preopen
        self.listing: list[tuple[bytes, int, FileType]] | None = None

    @property
    def applicable_rights(self) -> int:
        """The rights that make sense for this kind of descriptor at all."""
        if self.stream is not None:
            return STDIN_RIGHTS | STDOUT_RIGHTS
        return DIRECTORY_RIGHTS if self.is_directory else FILE_RIGHTS

    @property
    def is_directory(self) -> bool:
        """True for a directory."""
        return self.filetype == FileType.DIRECTORY

    def close(self) -> None:
        """Close the host descriptor, if any (errors on close are ignored)."""
        if self.host_fd is not None:
            try:
                os.close(self.host_fd)
            except OSError:
                pass
            self.host_fd = None


class FdTable:
    """The numbers the guest uses, and what they refer to."""

    def __init__(self) -> None:
        self.entries: dict[int, Descriptor] = {}

    def get(self, fd: int, rights: int = 0) -> Descriptor:
        """The descriptor ``fd``, which must hold every right in ``rights``.

        Raises:
            WasiError: ``badf`` for a number that is not open or an operation that does
                not apply to its kind (``fd_readdir`` on a file, as wasmtime answers),
                ``notcapable`` for a right the descriptor was opened without or dropped.
        """
        entry = self.entries.get(fd)
        if entry is None:
            raise WasiError(Errno.BADF)
        missing = rights & ~entry.rights_base
        if missing:
            if missing & ~entry.applicable_rights:
                raise WasiError(Errno.BADF)
            raise WasiError(Errno.NOTCAPABLE)
        return entry

    def directory(self, fd: int, rights: int = 0) -> Descriptor:
        """Like :meth:`get` for an operation that needs a directory.

        Raises:
            WasiError: ``badf``, ``notdir`` or ``notcapable``.
        """
        entry = self.entries.get(fd)
        if entry is None:
            raise WasiError(Errno.BADF)
        if not entry.is_directory or entry.host_fd is None:
            raise WasiError(Errno.NOTDIR)
        if rights & ~entry.rights_base:
            raise WasiError(Errno.NOTCAPABLE)
        return entry

    def add(self, entry: Descriptor) -> int:
        """Give ``entry`` the lowest free number and return it.

        Raises:
            WasiError: ``mfile`` when every number below 2**31 is taken.
        """
        fd = 0
        while fd in self.entries:
            fd += 1
        if fd >= 1 << 31:  # pragma: no cover - needs two billion open files
            raise WasiError(Errno.MFILE)
        self.entries[fd] = entry
        return fd

    def close(self, fd: int) -> None:
        """Close ``fd``.

        Raises:
            WasiError: ``badf`` when it is not open.
        """
        entry = self.entries.pop(fd, None)
        if entry is None:
            raise WasiError(Errno.BADF)
        entry.close()

    def renumber(self, fd: int, to: int) -> None:
        """Move ``fd`` to number ``to``, closing what ``to`` referred to.

        Raises:
            WasiError: ``badf`` when either number is not open.
        """
        if fd not in self.entries or to not in self.entries:
            raise WasiError(Errno.BADF)
        if fd == to:
            return
        self.entries.pop(to).close()
        self.entries[to] = self.entries.pop(fd)

    def close_all(self) -> None:
        """Close every host descriptor (when the instance goes away)."""
        for entry in self.entries.values():
            entry.close()
        self.entries.clear()
