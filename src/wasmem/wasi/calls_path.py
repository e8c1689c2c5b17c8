"""Preview 1 functions on paths: ``path_*``.

Every path is resolved by :func:`wasmem.wasi.sandbox.resolve` below the directory
descriptor the guest names, and the final operation uses the resolved parent directory's
descriptor and one name, never following a symlink on the host's side.
"""

from __future__ import annotations

import os
import stat

from .abi import (
    DIRECTORY_RIGHTS,
    FILE_RIGHTS,
    FILESTAT,
    LOOKUP_SYMLINK_FOLLOW,
    Errno,
    FdFlags,
    FileType,
    OFlags,
    Rights,
)
from .calls_fd import Filestat, filestat_fields, timestamps
from .context import WasiContext, filetype_of
from .fds import Descriptor
from .oserrors import WasiError
from .sandbox import Resolved, guest_path, resolve

__all__ = [
    "path_create_directory", "path_filestat", "path_filestat_get", "path_filestat_set_times",
    "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename",
    "path_symlink", "path_unlink_file",
]

OK = Errno.SUCCESS

_WRITE_RIGHTS = int(Rights.FD_WRITE | Rights.FD_DATASYNC | Rights.FD_ALLOCATE
                    | Rights.FD_FILESTAT_SET_SIZE)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _resolve(ctx: WasiContext, fd: int, rights: int, path: int, path_len: int, *,
             follow: bool) -> Resolved:
    directory = ctx.fds.directory(fd, rights)
    raw = ctx.path(path, path_len)
    assert directory.host_fd is not None
    return resolve(directory.host_fd, raw, follow=follow)


def path_create_directory(ctx: WasiContext, fd: int, path: int, path_len: int) -> Errno:
    """``path_create_directory`` (``mkdirat``)."""
    with _resolve(ctx, fd, Rights.PATH_CREATE_DIRECTORY, path, path_len,
                  follow=False) as target:
        os.mkdir(target.name, dir_fd=target.dir_fd)
    return OK


def path_filestat(ctx: WasiContext, fd: int, flags: int, path: int,
                  path_len: int) -> Filestat:
    """The ``filestat`` fields of a path (raises WasiError, OSError)."""
    with _resolve(ctx, fd, Rights.PATH_FILESTAT_GET, path, path_len,
                  follow=bool(flags & LOOKUP_SYMLINK_FOLLOW)) as target:
        st = os.stat(target.name, dir_fd=target.dir_fd, follow_symlinks=False)
        if target.trailing_slash and not stat.S_ISDIR(st.st_mode):
            raise WasiError(Errno.NOTDIR)
    return filestat_fields(st)


def path_filestat_get(ctx: WasiContext, fd: int, flags: int, path: int, path_len: int,
                      buf: int) -> Errno:
    """``path_filestat_get`` (``fstatat``)."""
    ctx.write(buf, FILESTAT.pack(*path_filestat(ctx, fd, flags, path, path_len)))
    return OK


def path_filestat_set_times(ctx: WasiContext, fd: int, flags: int, path: int,
                            path_len: int, atim: int, mtim: int, fst_flags: int) -> Errno:
    """``path_filestat_set_times`` (``utimensat``)."""
    with _resolve(ctx, fd, Rights.PATH_FILESTAT_SET_TIMES, path, path_len,
                  follow=bool(flags & LOOKUP_SYMLINK_FOLLOW)) as target:
        target.check_trailing_slash()
        current = os.stat(target.name, dir_fd=target.dir_fd, follow_symlinks=False)
        os.utime(target.name, ns=timestamps(current, atim, mtim, fst_flags),
                 dir_fd=target.dir_fd, follow_symlinks=False)
    return OK


def path_link(ctx: WasiContext, old_fd: int, old_flags: int, old_path: int,
              old_path_len: int, new_fd: int, new_path: int, new_path_len: int) -> Errno:
    """``path_link`` (``linkat``): both paths stay inside their directories; a followed
    source symlink is resolved by the sandbox, so the link is never to a file outside."""
    with _resolve(ctx, old_fd, Rights.PATH_LINK_SOURCE, old_path, old_path_len,
                  follow=bool(old_flags & LOOKUP_SYMLINK_FOLLOW)) as source, \
            _resolve(ctx, new_fd, Rights.PATH_LINK_TARGET, new_path, new_path_len,
                     follow=False) as destination:
        source.check_trailing_slash()
        if destination.trailing_slash:
            existing = destination.lstat()
            raise WasiError(Errno.NOENT if existing is None else Errno.EXIST)
        os.link(source.name, destination.name, src_dir_fd=source.dir_fd,
                dst_dir_fd=destination.dir_fd, follow_symlinks=False)
    return OK


def _access_mode(base: int, fdflags: int, oflags: int) -> int:
    """``O_RDONLY`` / ``O_WRONLY`` / ``O_RDWR`` from the rights asked for."""
    if oflags & OFlags.DIRECTORY:
        return os.O_RDONLY
    read = bool(base & (Rights.FD_READ | Rights.FD_READDIR))
    write = bool(base & _WRITE_RIGHTS) or bool(fdflags & FdFlags.APPEND)
    if read and write:
        return os.O_RDWR
    if write:
        return os.O_WRONLY
    return os.O_RDONLY


def path_open(ctx: WasiContext, fd: int, dirflags: int, path: int, path_len: int,
              oflags: int, rights_base: int, rights_inheriting: int, fdflags: int,
              opened: int) -> Errno:
    """``path_open`` (``openat``): open a file or directory below ``fd``; store the new
    descriptor's number at ``opened``.

    The rights asked for must be within ``fd``'s inheriting rights (``notcapable``); the new
    descriptor keeps those that apply to what was opened.
    """
    needed = Rights.PATH_OPEN
    if oflags & OFlags.CREAT:
        needed |= Rights.PATH_CREATE_FILE
    if oflags & OFlags.TRUNC:
        needed |= Rights.PATH_FILESTAT_SET_SIZE
    parent = ctx.fds.directory(fd, needed)
    if oflags & ~0xF or fdflags & ~0x1F:
        raise WasiError(Errno.INVAL)
    if (rights_base | rights_inheriting) & ~parent.rights_inheriting:
        raise WasiError(Errno.NOTCAPABLE)
    flags = os.O_NOFOLLOW | _CLOEXEC | _access_mode(rights_base, fdflags, oflags)
    for bit, host in ((OFlags.CREAT, os.O_CREAT), (OFlags.EXCL, os.O_EXCL),
                      (OFlags.TRUNC, os.O_TRUNC), (OFlags.DIRECTORY, os.O_DIRECTORY)):
        if oflags & bit:
            flags |= host
    for bit, name in ((FdFlags.APPEND, "O_APPEND"), (FdFlags.NONBLOCK, "O_NONBLOCK"),
                      (FdFlags.DSYNC, "O_DSYNC"), (FdFlags.SYNC, "O_SYNC"),
                      (FdFlags.RSYNC, "O_RSYNC")):
        if fdflags & bit:
            flags |= getattr(os, name, 0)
    raw = ctx.path(path, path_len)
    assert parent.host_fd is not None
    follow = bool(dirflags & LOOKUP_SYMLINK_FOLLOW)
    with resolve(parent.host_fd, raw, follow=follow) as target:
        if target.trailing_slash:
            if oflags & OFlags.CREAT and target.lstat() is None:
                raise WasiError(Errno.ISDIR)
            flags |= os.O_DIRECTORY
        try:
            host = os.open(target.name, flags, 0o666, dir_fd=target.dir_fd)
        except NotADirectoryError:
            st = target.lstat()
            if st is not None and stat.S_ISLNK(st.st_mode):
                raise WasiError(Errno.LOOP) from None  # O_NOFOLLOW met a symlink
            raise
    try:
        kind = filetype_of(os.fstat(host).st_mode)
        if kind == FileType.DIRECTORY and rights_base & Rights.FD_WRITE:
            raise WasiError(Errno.ISDIR)  # a directory is not opened for writing
        applicable = DIRECTORY_RIGHTS if kind == FileType.DIRECTORY else FILE_RIGHTS
        entry = Descriptor(kind, rights_base & applicable, rights_inheriting,
                           host_fd=host, flags=fdflags)
        number = ctx.fds.add(entry)
    except BaseException:
        os.close(host)
        raise
    try:
        ctx.write_u32(opened, number)
    except BaseException:
        ctx.fds.close(number)
        raise
    return OK


def path_readlink(ctx: WasiContext, fd: int, path: int, path_len: int, buf: int,
                  buf_len: int, bufused: int) -> Errno:
    """``path_readlink``: the target of a symlink (cut to ``buf_len`` bytes)."""
    with _resolve(ctx, fd, Rights.PATH_READLINK, path, path_len, follow=False) as target:
        if target.trailing_slash:
            raise WasiError(Errno.NOTDIR if target.lstat() is not None else Errno.NOENT)
        contents = os.fsencode(os.readlink(target.name, dir_fd=target.dir_fd))
    contents = contents[:buf_len]
    ctx.write(buf, contents)
    ctx.write_u32(bufused, len(contents))
    return OK


def path_remove_directory(ctx: WasiContext, fd: int, path: int, path_len: int) -> Errno:
    """``path_remove_directory`` (``unlinkat(AT_REMOVEDIR)``)."""
    with _resolve(ctx, fd, Rights.PATH_REMOVE_DIRECTORY, path, path_len,
                  follow=False) as target:
        os.rmdir(target.name, dir_fd=target.dir_fd)
    return OK


def path_rename(ctx: WasiContext, fd: int, old_path: int, old_path_len: int, new_fd: int,
                new_path: int, new_path_len: int) -> Errno:
    """``path_rename`` (``renameat``)."""
    with _resolve(ctx, fd, Rights.PATH_RENAME_SOURCE, old_path, old_path_len,
                  follow=False) as source, \
            _resolve(ctx, new_fd, Rights.PATH_RENAME_TARGET, new_path, new_path_len,
                     follow=False) as destination:
        if source.trailing_slash or destination.trailing_slash:
            st = source.lstat()
            if st is not None and not stat.S_ISDIR(st.st_mode):
                raise WasiError(Errno.NOTDIR)
        os.rename(source.name, destination.name, src_dir_fd=source.dir_fd,
                  dst_dir_fd=destination.dir_fd)
    return OK


def path_symlink(ctx: WasiContext, old_path: int, old_path_len: int, fd: int,
                 new_path: int, new_path_len: int) -> Errno:
    """``path_symlink`` (``symlinkat``). An absolute target is refused (``perm``):
    no guest can follow it, and it would point host programs outside the sandbox."""
    contents = guest_path(ctx.path(old_path, old_path_len))
    with _resolve(ctx, fd, Rights.PATH_SYMLINK, new_path, new_path_len,
                  follow=False) as target:
        if target.trailing_slash:
            raise WasiError(Errno.NOENT if target.lstat() is None else Errno.EXIST)
        os.symlink(contents, target.name, dir_fd=target.dir_fd)
    return OK


def path_unlink_file(ctx: WasiContext, fd: int, path: int, path_len: int) -> Errno:
    """``path_unlink_file`` (``unlinkat``): ``isdir`` for a directory."""
    with _resolve(ctx, fd, Rights.PATH_UNLINK_FILE, path, path_len, follow=False) as target:
        if target.trailing_slash:
            st = target.lstat()
            if st is None:
                raise WasiError(Errno.NOENT)
            raise WasiError(Errno.ISDIR if stat.S_ISDIR(st.st_mode) else Errno.NOTDIR)
        os.unlink(target.name, dir_fd=target.dir_fd)
    return OK
