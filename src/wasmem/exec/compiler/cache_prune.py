"""Bounding the disk cache: least recently used modules go first.

The cache (:mod:`.cache`) holds one directory per module (and wasmem fingerprint):
``<root>/<fingerprint>/<module digest>/``, with the module's "valid" marker and its
translated functions. Each load of a module through the cache marks its directory as
used (its modification time is set to now). When a process adds a module to the cache
(its first new module, then every :data:`CHECK_EVERY`-th), it checks the cache's total
size (:func:`after_new_module`), unless some process checked it less than
:data:`CHECK_INTERVAL` seconds ago (the cache's marker file says when): the check walks
every entry, which takes seconds for a cache of many modules, and a process should not
pay that for each new module it loads. Above the limit, whole module directories are
removed, least recently used first, until the total is at most three quarters of the
limit (so that pruning is not needed again at the next new module). Sizes count the
disk space files take (allocated blocks, at least their length): a cache of small
translated functions takes several times their length on disk. The directory of
the module being loaded is never removed; directories of other wasmem versions are
ordinary candidates, so they age out.

The limit is ``WASMEM_CACHE_MAX_MB`` (MiB, default :data:`DEFAULT_MAX_MB`); ``0``
means no limit. Only regular files and empty directories inside the cache are removed,
never symbolic links' targets; removal is best effort (another process may be using or
pruning the same cache: a missing file is not an error).
"""

from __future__ import annotations

import contextlib
import os
import time

from .cache_trust import warn_once

__all__ = ["CHECK_EVERY", "CHECK_INTERVAL", "CHECKED_MARKER", "DEFAULT_MAX_MB",
           "LIMIT_VARIABLE", "after_new_module", "cache_limit", "cache_size", "mark_used",
           "megabytes_setting",
           "prune_cache"]

LIMIT_VARIABLE = "WASMEM_CACHE_MAX_MB"
"""The environment variable bounding the cache's size, in MiB (0: no bound)."""

DEFAULT_MAX_MB = 256
"""The bound when ``WASMEM_CACHE_MAX_MB`` is not set."""

CHECK_EVERY = 64
"""A process checks the cache's size at its first new module, then every this many."""

CHECK_INTERVAL = 600.0
"""Seconds after a size check of a cache during which no process checks it again."""

CHECKED_MARKER = "last-size-check"
"""The file in the cache's root whose modification time is the last size check."""

_MIB = 1 << 20
_new_modules = 0


def cache_limit() -> int | None:
    """The cache's size bound in bytes (None: unbounded), from ``WASMEM_CACHE_MAX_MB``.

    A value that is not a non-negative number warns once
    (:class:`~wasmem.errors.CacheWarning`) and the default applies.
    """
    limit = megabytes_setting(LIMIT_VARIABLE, DEFAULT_MAX_MB)
    return None if limit == 0 else limit


def megabytes_setting(variable: str, default: float) -> int:
    """The size in bytes that environment variable ``variable`` gives in MiB (not set:
    ``default``). A value that is not a non-negative number warns once
    (:class:`~wasmem.errors.CacheWarning`) and the default applies. Raises nothing."""
    configured = os.environ.get(variable, "").strip()
    if not configured:
        return int(default * _MIB)
    try:
        megabytes = float(configured)
        if not megabytes >= 0 or megabytes == float("inf"):
            raise ValueError(configured)
    except ValueError:
        kind = "limit" if variable == LIMIT_VARIABLE else variable
        warn_once(kind, f"wasmem cache: {variable}={configured!r} is not a "
                  f"size in MiB; using {default}")
        return int(default * _MIB)
    return int(megabytes * _MIB)


def mark_used(module_directory: str | os.PathLike[str]) -> None:
    """Record that a module's entries were just used (best effort)."""
    with contextlib.suppress(OSError):
        os.utime(module_directory)


def _entries(root: str | os.PathLike[str]) -> list[tuple[float, int, str]]:
    """``(last use, bytes, path)`` of every module directory under ``root``."""
    found: list[tuple[float, int, str]] = []
    try:
        versions = [e for e in os.scandir(root) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return found
    for version in versions:
        try:
            modules = [e for e in os.scandir(version.path) if e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        for module in modules:
            size = 0
            try:
                used = module.stat(follow_symlinks=False).st_mtime
                for item in os.scandir(module.path):
                    if item.is_file(follow_symlinks=False):
                        size += _on_disk(item.stat(follow_symlinks=False))
            except OSError:
                continue
            found.append((used, size, module.path))
    return found


def _on_disk(status: os.stat_result) -> int:
    """The disk space a file takes: its allocated blocks where the system reports them
    (a 100-byte file takes a whole block), never less than its length."""
    blocks = getattr(status, "st_blocks", None)
    return max(status.st_size, blocks * 512 if blocks is not None else 0)


def cache_size(root: str | os.PathLike[str]) -> int:
    """The disk space in bytes the module entries under the cache ``root`` take."""
    return sum(size for _, size, _ in _entries(os.fspath(root)))


def _remove(module_directory: str) -> None:
    with contextlib.suppress(OSError):
        for item in os.scandir(module_directory):
            if not item.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(item.path)
        os.rmdir(module_directory)
    with contextlib.suppress(OSError):
        os.rmdir(os.path.dirname(module_directory))  # only if that version is now empty


def prune_cache(root: str | os.PathLike[str], max_bytes: int,
                keep: str | os.PathLike[str] | None = None) -> int:
    """Remove least recently used module directories under the cache ``root`` until the
    total is at most ``max_bytes`` (when it is above, down to three quarters of it).

    ``keep`` is a module directory never removed (the one in use). Returns the number of
    bytes removed. Never raises for file-system errors (best effort).
    """
    entries = _entries(os.fspath(root))
    total = sum(size for _, size, _ in entries)
    if total <= max_bytes:
        return 0
    target = max_bytes * 3 // 4
    kept = os.path.realpath(keep) if keep is not None else None
    removed = 0
    for _used, size, path in sorted(entries):
        if total - removed <= target:
            break
        if kept is not None and os.path.realpath(path) == kept:
            continue
        _remove(path)
        removed += size
    return removed


def after_new_module(root: str | os.PathLike[str],
                     module_directory: str | os.PathLike[str]) -> None:
    """Called when a module was added to the cache under ``root``: prune the cache if it
    is over its limit (checked at the process's first new module, then every
    :data:`CHECK_EVERY`-th, and only if no process checked this cache in the last
    :data:`CHECK_INTERVAL` seconds). Never raises for file-system errors."""
    global _new_modules
    count = _new_modules
    _new_modules = count + 1
    if count % CHECK_EVERY:
        return
    limit = cache_limit()
    if limit is not None and _check_due(root):
        prune_cache(root, limit, keep=module_directory)


def _check_due(root: str | os.PathLike[str]) -> bool:
    """Whether the cache under ``root`` is due for a size check; if so, record that one
    starts now (the marker's modification time). False when the marker cannot be read
    or written (best effort: an unwritable cache is not checked at every module)."""
    marker = os.path.join(root, CHECKED_MARKER)
    now = time.time()
    try:
        if now - os.stat(marker, follow_symlinks=False).st_mtime < CHECK_INTERVAL:
            return False
    except FileNotFoundError:
        pass
    except OSError:
        return False
    try:
        # O_NONBLOCK: a FIFO planted there fails (ENXIO) instead of waiting for a reader
        descriptor = os.open(marker, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                             | getattr(os, "O_NONBLOCK", 0), 0o600)
        try:
            os.utime(descriptor, (now, now))
        finally:
            os.close(descriptor)
    except (OSError, NotImplementedError):
        return False
    return True
