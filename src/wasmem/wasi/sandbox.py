"""Path resolution that cannot leave a directory descriptor.

Every guest path is resolved relative to an open directory descriptor, one component at a
time: each directory is opened with ``O_DIRECTORY | O_NOFOLLOW`` relative to the previous
one (``os.open(..., dir_fd=...)``), so a component swapped for a symlink after a check
fails instead of being followed. Symlinks are followed by this module, not by the host:
their targets are resolved the same way, starting at the directory holding the link, and
``..`` may never climb above the descriptor resolution started from. Absolute paths and
absolute symlink targets are refused. A resolved path is never turned back into a host
path string: callers get the open parent directory and a single name in it, and use
``*at``-style calls with it (``dir_fd=``, ``follow_symlinks=False``).
"""

from __future__ import annotations

import errno as host_errno
import os
import stat

from .abi import Errno
from .oserrors import WasiError

__all__ = ["Resolved", "resolve", "MAX_SYMLINKS", "guest_path", "open_directory"]

MAX_SYMLINKS = 40
"""Symlinks followed while resolving one path before giving ``loop`` (Linux's limit)."""

_DIRECTORY_FLAGS = (os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                    | getattr(os, "O_CLOEXEC", 0))


def guest_path(raw: bytes) -> str:
    """Decode a path the guest passed (bytes, any encoding) to a host ``str`` name.

    Raises:
        WasiError: ``inval`` for a NUL byte, ``noent`` for an empty path, ``perm`` for
            an absolute path.
    """
    if b"\0" in raw:
        raise WasiError(Errno.INVAL)
    if not raw:
        raise WasiError(Errno.NOENT)
    if raw.startswith(b"/"):
        raise WasiError(Errno.PERM)
    return os.fsdecode(raw)


def open_directory(name: str, dir_fd: int | None = None) -> int:
    """Open a directory (not through a final symlink) and return the host descriptor.

    Raises:
        OSError: from the host.
    """
    return os.open(name, _DIRECTORY_FLAGS, dir_fd=dir_fd)


class Resolved:
    """The directory holding a path's last component (an open descriptor) and its name.

    Attributes:
        dir_fd: host descriptor of the directory (owned when ``owned``).
        name: one component (no ``/``), or ``"."`` for the directory itself.
        trailing_slash: the path ended with ``/`` (the target must be a directory).
    """

    __slots__ = ("dir_fd", "name", "owned", "trailing_slash")

    def __init__(self, dir_fd: int, name: str, owned: bool, trailing_slash: bool) -> None:
        self.dir_fd = dir_fd
        self.name = name
        self.owned = owned
        self.trailing_slash = trailing_slash

    def close(self) -> None:
        """Close the directory descriptor if this object opened it."""
        if self.owned:
            self.owned = False
            os.close(self.dir_fd)

    def __enter__(self) -> Resolved:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lstat(self) -> os.stat_result | None:
        """``lstat`` of the final component, or None when it does not exist.

        Raises:
            OSError: other host errors.
        """
        try:
            return os.stat(self.name, dir_fd=self.dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def check_trailing_slash(self) -> None:
        """With a trailing ``/``, an existing target must be a directory.

        Raises:
            WasiError: ``notdir`` otherwise.
        """
        if self.trailing_slash:
            st = self.lstat()
            if st is not None and not stat.S_ISDIR(st.st_mode):
                raise WasiError(Errno.NOTDIR)


def _components(text: str) -> list[str]:
    return [part for part in text.split("/") if part not in ("", ".")]


def _readlink(dir_fd: int, name: str) -> str | None:
    """The target of ``name`` if it is a symlink; None if it is something else or absent."""
    try:
        return os.readlink(name, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (host_errno.EINVAL, host_errno.ENOENT):
            return None
        raise


def resolve(base_fd: int, raw_path: bytes, *, follow: bool) -> Resolved:
    """Resolve ``raw_path`` below the directory ``base_fd``.

    Args:
        base_fd: host descriptor of the directory the path is relative to.
        raw_path: the guest's path bytes.
        follow: follow a symlink in the last component too (intermediate ones always are).

    Returns:
        A :class:`Resolved` (close it, or use it as a context manager).

    Raises:
        WasiError: ``perm`` for an escape (absolute path or target, ``..`` above
            ``base_fd``: the errno wasmtime gives), ``loop`` after :data:`MAX_SYMLINKS`
            links, ``noent`` / ``notdir`` / ``inval`` as the path demands.
        OSError: host errors on the way (mapped to errno by the caller).
    """
    text = guest_path(raw_path)
    trailing = text.endswith("/") or text.endswith("/.") or text == "."
    pending = _components(text)
    pending.reverse()
    opened: list[int] = []  # directories opened below base_fd, innermost last
    links = 0
    try:
        while True:
            current = opened[-1] if opened else base_fd
            if not pending:
                return _result(opened, base_fd, ".", trailing)
            part = pending.pop()
            last = not pending
            if part == "..":
                if not opened:
                    raise WasiError(Errno.PERM)
                os.close(opened.pop())
                if last:
                    return _result(opened, base_fd, ".", True)
                continue
            if last:
                if not (follow or trailing):
                    return _result(opened, base_fd, part, trailing)
                target = _readlink(current, part)
                if target is None:
                    return _result(opened, base_fd, part, trailing)
            else:
                try:
                    opened.append(open_directory(part, current))
                    continue
                except OSError as exc:
                    if exc.errno not in (host_errno.ELOOP, host_errno.ENOTDIR):
                        raise
                    target = _readlink(current, part)
                    if target is None:
                        raise
            links += 1
            if links > MAX_SYMLINKS:
                raise WasiError(Errno.LOOP)
            if target.startswith("/"):
                raise WasiError(Errno.PERM)
            if not target:
                raise WasiError(Errno.NOENT)
            if last and (target.endswith("/") or target.endswith("/.") or target == "."):
                trailing = True
            expansion = _components(target)
            expansion.reverse()
            pending.extend(expansion)
    except BaseException:
        for fd in opened:
            os.close(fd)
        raise


def _result(opened: list[int], base_fd: int, name: str, trailing: bool) -> Resolved:
    """Keep the innermost opened directory (if any) for the result; close the others."""
    if not opened:
        return Resolved(base_fd, name, False, trailing)
    keep = opened.pop()
    for fd in opened:
        os.close(fd)
    opened.clear()
    return Resolved(keep, name, True, trailing)
