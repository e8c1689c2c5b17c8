"""Preview 1 functions on open descriptors: ``fd_*``.

Each function takes the :class:`~wasmem.wasi.context.WasiContext` and the guest's raw
arguments (i32/i64 as unsigned ints), returns ``Errno.SUCCESS`` and raises
:class:`~wasmem.wasi.oserrors.WasiError` (or lets an ``OSError`` or an out-of-bounds
trap escape) on failure; :mod:`wasmem.wasi.imports` turns those into errno values.
"""

from __future__ import annotations

import errno
import os
import time

from .abi import (
    DIRENT,
    FDSTAT,
    FILESTAT,
    PRESTAT,
    Errno,
    FdFlags,
    FileType,
    FstFlags,
    Rights,
    Whence,
)
from .context import WasiContext, filetype_of
from .fds import Descriptor
from .oserrors import WasiError

__all__ = [
    "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get",
    "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size",
    "fd_filestat_set_times", "fd_pread", "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite",
    "fd_read", "fd_readdir", "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write",
    "Filestat", "fd_filestat", "filestat_fields", "timestamps",
]

OK = Errno.SUCCESS
_MAX_FILESIZE = (1 << 63) - 1


def _signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _host_fd(entry: Descriptor) -> int:
    """The host descriptor of a file or directory (streams have none: ``spipe``)."""
    if entry.host_fd is None:
        raise WasiError(Errno.SPIPE)
    return entry.host_fd


def _io_rights(ctx: WasiContext, fd: int, right: int) -> Descriptor:
    """The descriptor for a read or write; a missing read/write right is ``badf``, as
    POSIX says for a descriptor not open for it."""
    entry = ctx.fds.get(fd)
    if not entry.rights_base & right:
        raise WasiError(Errno.BADF)
    return entry


def _positioned(ctx: WasiContext, fd: int, right: int, offset: int) -> Descriptor:
    """The descriptor for ``fd_pread`` / ``fd_pwrite``: it must also be seekable."""
    entry = _io_rights(ctx, fd, right)
    if not entry.rights_base & Rights.FD_SEEK:
        raise WasiError(Errno.SPIPE if entry.stream is not None else Errno.NOTCAPABLE)
    if offset > _MAX_FILESIZE:
        raise WasiError(Errno.INVAL)
    return entry


Filestat = tuple[int, int, int, int, int, int, int, int]
"""``filestat`` fields: dev, ino, filetype, nlink, size, atim, mtim, ctim."""


def filestat_fields(st: os.stat_result) -> Filestat:
    """The ``filestat`` fields of a host ``stat`` result."""
    return (st.st_dev & (2**64 - 1), st.st_ino & (2**64 - 1), filetype_of(st.st_mode),
            st.st_nlink, max(st.st_size, 0), max(st.st_atime_ns, 0),
            max(st.st_mtime_ns, 0), max(st.st_ctime_ns, 0))


def timestamps(current: os.stat_result, atim: int, mtim: int, flags: int) -> tuple[int, int]:
    """The ``(atime, mtime)`` in ns that ``fstflags`` asks for (others kept as they are).

    Raises:
        WasiError: ``inval`` when a time is both given and ``now``, or flags are unknown.
    """
    if flags & ~0xF or (flags & FstFlags.ATIM and flags & FstFlags.ATIM_NOW) or (
            flags & FstFlags.MTIM and flags & FstFlags.MTIM_NOW):
        raise WasiError(Errno.INVAL)
    now = time.time_ns()
    access = current.st_atime_ns
    modify = current.st_mtime_ns
    if flags & FstFlags.ATIM:
        access = atim
    elif flags & FstFlags.ATIM_NOW:
        access = now
    if flags & FstFlags.MTIM:
        modify = mtim
    elif flags & FstFlags.MTIM_NOW:
        modify = now
    return access, modify


# ------------------------------------------------------------------ reading and writing
def fd_read(ctx: WasiContext, fd: int, iovs: int, iovs_len: int, nread: int) -> Errno:
    """``fd_read``: read into the ``iovec`` buffers; store the byte count at ``nread``."""
    entry = _io_rights(ctx, fd, Rights.FD_READ)
    size = ctx.capacity(iovs, iovs_len)
    if entry.stream is not None:
        data = entry.stream.read(size) if size else b""
    else:
        data = os.read(_host_fd(entry), size) if size else b""
    ctx.scatter(iovs, iovs_len, data)
    ctx.write_u32(nread, len(data))
    return OK


def fd_write(ctx: WasiContext, fd: int, iovs: int, iovs_len: int, nwritten: int) -> Errno:
    """``fd_write``: write the ``ciovec`` buffers; store the byte count at ``nwritten``."""
    entry = _io_rights(ctx, fd, Rights.FD_WRITE)
    data = ctx.gather(iovs, iovs_len)
    if entry.stream is not None:
        written = entry.stream.write(data)
    else:
        host = _host_fd(entry)
        written = 0
        view = memoryview(data)
        while written < len(data):
            count = os.write(host, view[written:])
            if count <= 0:
                break
            written += count
    ctx.write_u32(nwritten, written)
    return OK


def fd_pread(ctx: WasiContext, fd: int, iovs: int, iovs_len: int, offset: int,
             nread: int) -> Errno:
    """``fd_pread``: read at ``offset`` without moving the file position."""
    entry = _positioned(ctx, fd, Rights.FD_READ, offset)
    size = ctx.capacity(iovs, iovs_len)
    data = os.pread(_host_fd(entry), size, offset) if size else b""
    ctx.scatter(iovs, iovs_len, data)
    ctx.write_u32(nread, len(data))
    return OK


def fd_pwrite(ctx: WasiContext, fd: int, iovs: int, iovs_len: int, offset: int,
              nwritten: int) -> Errno:
    """``fd_pwrite``: write at ``offset`` without moving the file position."""
    entry = _positioned(ctx, fd, Rights.FD_WRITE, offset)
    data = ctx.gather(iovs, iovs_len)
    ctx.write_u32(nwritten, os.pwrite(_host_fd(entry), data, offset) if data else 0)
    return OK


def fd_seek(ctx: WasiContext, fd: int, offset: int, whence: int, newoffset: int) -> Errno:
    """``fd_seek``: move the file position; store the new one at ``newoffset``."""
    entry = ctx.fds.get(fd)
    if entry.stream is not None:
        raise WasiError(Errno.SPIPE)
    needed = Rights.FD_TELL if offset == 0 and whence == Whence.CUR else Rights.FD_SEEK
    if entry.is_directory:
        raise WasiError(Errno.BADF)
    if not entry.rights_base & (needed | Rights.FD_SEEK):
        raise WasiError(Errno.NOTCAPABLE)
    modes: dict[int, int] = {Whence.SET: os.SEEK_SET, Whence.CUR: os.SEEK_CUR,
                             Whence.END: os.SEEK_END}
    if whence not in modes:
        raise WasiError(Errno.INVAL)
    ctx.write_u64(newoffset, os.lseek(_host_fd(entry), _signed64(offset), modes[whence]))
    return OK


def fd_tell(ctx: WasiContext, fd: int, offset: int) -> Errno:
    """``fd_tell``: store the file position at ``offset``."""
    entry = ctx.fds.get(fd)
    if entry.stream is not None:
        raise WasiError(Errno.SPIPE)
    if entry.is_directory:
        raise WasiError(Errno.BADF)
    if not entry.rights_base & Rights.FD_TELL:
        raise WasiError(Errno.NOTCAPABLE)
    ctx.write_u64(offset, os.lseek(_host_fd(entry), 0, os.SEEK_CUR))
    return OK


# ------------------------------------------------------------------ descriptor management
def fd_close(ctx: WasiContext, fd: int) -> Errno:
    """``fd_close``."""
    ctx.fds.close(fd)
    return OK


def fd_renumber(ctx: WasiContext, fd: int, to: int) -> Errno:
    """``fd_renumber``: move ``fd`` to ``to`` (which must be open; it is closed)."""
    ctx.fds.renumber(fd, to)
    return OK


def fd_sync(ctx: WasiContext, fd: int) -> Errno:
    """``fd_sync``: flush data and metadata to the device."""
    entry = ctx.fds.get(fd, Rights.FD_SYNC)
    os.fsync(_host_fd(entry))
    return OK


def fd_datasync(ctx: WasiContext, fd: int) -> Errno:
    """``fd_datasync``: flush data to the device."""
    entry = ctx.fds.get(fd, Rights.FD_DATASYNC)
    getattr(os, "fdatasync", os.fsync)(_host_fd(entry))
    return OK


def fd_advise(ctx: WasiContext, fd: int, offset: int, length: int, advice: int) -> Errno:
    """``fd_advise``: pass access-pattern advice to the host (a hint)."""
    entry = ctx.fds.get(fd, Rights.FD_ADVISE)
    if advice > 5:
        raise WasiError(Errno.INVAL)
    if offset > _MAX_FILESIZE or length > _MAX_FILESIZE:
        raise WasiError(Errno.INVAL)
    if entry.is_directory:
        return OK
    host = _host_fd(entry)
    fadvise = getattr(os, "posix_fadvise", None)
    if fadvise is not None:
        codes = [getattr(os, "POSIX_FADV_" + name, 0) for name in
                 ("NORMAL", "SEQUENTIAL", "RANDOM", "WILLNEED", "DONTNEED", "NOREUSE")]
        fadvise(host, offset, length, codes[advice])
    return OK


def fd_allocate(ctx: WasiContext, fd: int, offset: int, length: int) -> Errno:
    """``fd_allocate``: make the file at least ``offset + length`` bytes long."""
    entry = ctx.fds.get(fd, Rights.FD_ALLOCATE)
    if offset > _MAX_FILESIZE or length > _MAX_FILESIZE or offset + length > _MAX_FILESIZE:
        raise WasiError(Errno.FBIG)
    if length == 0:
        raise WasiError(Errno.INVAL)
    host = _host_fd(entry)
    try:
        os.posix_fallocate(host, offset, length)
    except OSError as exc:
        if exc.errno not in (errno.EOPNOTSUPP, errno.ENOSYS):  # not on this filesystem
            raise
        if os.fstat(host).st_size < offset + length:
            os.ftruncate(host, offset + length)
    return OK


def fd_fdstat_get(ctx: WasiContext, fd: int, buf: int) -> Errno:
    """``fd_fdstat_get``: file type, flags and rights of a descriptor."""
    entry = ctx.fds.get(fd)
    ctx.write(buf, FDSTAT.pack(entry.filetype, entry.flags, entry.rights_base,
                               entry.rights_inheriting))
    return OK


def fd_fdstat_set_flags(ctx: WasiContext, fd: int, flags: int) -> Errno:
    """``fd_fdstat_set_flags``: change ``append`` and ``nonblock`` (the others cannot be
    changed after opening: ``inval``, as wasmtime answers)."""
    entry = ctx.fds.get(fd, Rights.FD_FDSTAT_SET_FLAGS)
    if flags & ~0x1F:
        raise WasiError(Errno.INVAL)
    changeable = FdFlags.APPEND | FdFlags.NONBLOCK
    if (flags ^ entry.flags) & ~changeable:
        raise WasiError(Errno.INVAL)
    if entry.host_fd is not None:
        import fcntl
        current = fcntl.fcntl(entry.host_fd, fcntl.F_GETFL)
        current &= ~(os.O_APPEND | os.O_NONBLOCK)
        if flags & FdFlags.APPEND:
            current |= os.O_APPEND
        if flags & FdFlags.NONBLOCK:
            current |= os.O_NONBLOCK
        fcntl.fcntl(entry.host_fd, fcntl.F_SETFL, current)
    entry.flags = flags
    return OK


def fd_fdstat_set_rights(ctx: WasiContext, fd: int, base: int, inheriting: int) -> Errno:
    """``fd_fdstat_set_rights``: drop rights (asking for more is ``notcapable``)."""
    entry = ctx.fds.get(fd)
    if base & ~entry.rights_base or inheriting & ~entry.rights_inheriting:
        raise WasiError(Errno.NOTCAPABLE)
    entry.rights_base = base
    entry.rights_inheriting = inheriting
    return OK


# ------------------------------------------------------------------ attributes
def fd_filestat(ctx: WasiContext, fd: int) -> Filestat:
    """The ``filestat`` fields of an open descriptor (raises WasiError, OSError)."""
    entry = ctx.fds.get(fd, Rights.FD_FILESTAT_GET)
    if entry.stream is not None:
        return (0, 0, entry.filetype, 1, 0, 0, 0, 0)
    return filestat_fields(os.fstat(_host_fd(entry)))


def fd_filestat_get(ctx: WasiContext, fd: int, buf: int) -> Errno:
    """``fd_filestat_get``: the attributes of an open file."""
    ctx.write(buf, FILESTAT.pack(*fd_filestat(ctx, fd)))
    return OK


def fd_filestat_set_size(ctx: WasiContext, fd: int, size: int) -> Errno:
    """``fd_filestat_set_size``: truncate or extend (with zeros) an open file."""
    entry = ctx.fds.get(fd, Rights.FD_FILESTAT_SET_SIZE)
    if size > _MAX_FILESIZE:
        raise WasiError(Errno.FBIG)
    os.ftruncate(_host_fd(entry), size)
    return OK


def fd_filestat_set_times(ctx: WasiContext, fd: int, atim: int, mtim: int,
                          flags: int) -> Errno:
    """``fd_filestat_set_times``: set access and modification times of an open file."""
    entry = ctx.fds.get(fd, Rights.FD_FILESTAT_SET_TIMES)
    host = _host_fd(entry)
    os.utime(host, ns=timestamps(os.fstat(host), atim, mtim, flags))
    return OK


# ------------------------------------------------------------------ preopens and listings
def fd_prestat_get(ctx: WasiContext, fd: int, buf: int) -> Errno:
    """``fd_prestat_get``: describe a preopened directory (``badf`` for other fds)."""
    entry = ctx.fds.get(fd)
    if entry.preopen is None:
        raise WasiError(Errno.BADF)
    ctx.write(buf, PRESTAT.pack(0, len(os.fsencode(entry.preopen))))
    return OK


def fd_prestat_dir_name(ctx: WasiContext, fd: int, path: int, path_len: int) -> Errno:
    """``fd_prestat_dir_name``: the guest name of a preopened directory (no NUL)."""
    entry = ctx.fds.get(fd)
    if entry.preopen is None:
        raise WasiError(Errno.BADF)
    name = os.fsencode(entry.preopen)
    if path_len < len(name):
        raise WasiError(Errno.NAMETOOLONG)
    ctx.write(path, name)
    return OK


def _listing(entry: Descriptor) -> list[tuple[bytes, int, FileType]]:
    """``(name, inode, type)`` of every entry, ``.`` and ``..`` first, names sorted.

    ``..`` gets the directory's own inode, as in wasmtime: its parent may be outside the
    sandbox, and nothing about it is looked at."""
    host = _host_fd(entry)
    here = os.fstat(host).st_ino
    items = [(b".", here, FileType.DIRECTORY), (b"..", here, FileType.DIRECTORY)]
    found = []
    with os.scandir(host) as entries:
        for item in entries:
            try:
                mode = item.stat(follow_symlinks=False).st_mode
                kind = filetype_of(mode)
            except OSError:
                kind = FileType.UNKNOWN
            found.append((os.fsencode(item.name), item.inode(), kind))
    found.sort()
    return items + found


def fd_readdir(ctx: WasiContext, fd: int, buf: int, buf_len: int, cookie: int,
               bufused: int) -> Errno:
    """``fd_readdir``: fill ``buf`` with ``dirent`` records and names from ``cookie`` on
    (the last one may be cut short); store the bytes used at ``bufused``."""
    entry = ctx.fds.get(fd, Rights.FD_READDIR)
    if not entry.is_directory:
        raise WasiError(Errno.NOTDIR)
    if cookie == 0 or entry.listing is None:
        entry.listing = _listing(entry)
    out = bytearray()
    for index in range(cookie, len(entry.listing)):
        if len(out) >= buf_len:
            break
        name, inode, kind = entry.listing[index]
        out += DIRENT.pack(index + 1, inode & (2**64 - 1), len(name), kind)
        out += name
    del out[buf_len:]
    ctx.write(buf, out)
    ctx.write_u32(bufused, len(out))
    return OK

