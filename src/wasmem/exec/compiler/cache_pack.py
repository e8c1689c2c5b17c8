"""A module's disk-cache entries in one file: the *pack*, read with one open.

Each translated function is its own entry (``f<index>.bin``, :mod:`.cache`), written when
it is translated. A later process that loads the module reads each entry it reaches: for
a large module that is hundreds of files (SQLite: 500-600), each opened, authenticated
and closed, a fifth of a short warm run in a fresh process. So the entries a process
read one by one or wrote are also gathered, when the process exits, into the module's
pack (``pack.all`` beside them: a marshalled ``{entry name: entry payload}``,
authenticated as a whole with the user's key, as every entry is, :mod:`.cache_trust`),
and later processes read that one file first and the entries' own files only for what
it lacks. The pack adds to what an earlier one held (it is read again, authenticated,
before it is replaced), so it follows what the module's runs reach; writing it is best
effort, after the program's results, and a pack that fails authentication or does not
decode is ignored (with the warning of a damaged entry): the entries' files remain, and
the next pack written replaces it. :data:`PACKS` off (tests, measurements) reads and
writes no pack.
"""

from __future__ import annotations

import atexit
import marshal
import os
import threading
from typing import Protocol

from ..collector import collector_paused


class CodeCache(Protocol):
    """What a pack needs of a module's cache (:class:`.cache.CodeCache`)."""

    unpacked: set[str]
    """Entries read from or written to their own files in this process."""

    @property
    def directory(self) -> os.PathLike[str]:
        """The module's directory of entries."""

    def read_file(self, filename: str, name: str, warn: bool = True) -> bytes | None:
        """The authenticated payload of a file of the module's directory, or None."""

    def write_file(self, filename: str, name: str, payload: bytes) -> bool:
        """Write an authenticated payload to a file of the module's directory."""

__all__ = ["PACK_FILE", "PACKS", "pack_later", "read_pack", "write_pack", "write_packs"]

PACKS = True
"""Whether module caches read and write packs."""

PACK_FILE = "pack.all"
"""The pack's file name in a module's cache directory (authenticated as entry ``pack``)."""

MAX_PACK_BYTES = 48 << 20
"""A larger pack is not written (the entries' files serve; a read bounds files at
:data:`.cache.MAX_ENTRY_BYTES`)."""

_pending: list[CodeCache] = []  # caches whose pack is written at exit
_lock = threading.Lock()
_registered = [False]


def read_pack(cache: CodeCache, warn: bool = True) -> dict[str, bytes]:
    """The entries of ``cache``'s pack by name (empty: none, or not authentic, then,
    ``warn``, with a :class:`~wasmem.errors.CacheWarning` once, or not a pack). Raises
    nothing."""
    if not PACKS:
        return {}
    payload = cache.read_file(PACK_FILE, "pack", warn)
    if payload is None:
        return {}
    try:
        with collector_paused():  # (what it holds lives as long as the module)
            entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if not (isinstance(entries, dict) and all(
            type(name) is str and type(data) is bytes for name, data in entries.items())):
        return {}
    return entries


def pack_later(cache: CodeCache) -> None:
    """Have ``cache``'s pack written at the process's exit (:func:`write_packs`): it read
    or wrote an entry the pack lacks (its ``unpacked`` names). Raises nothing."""
    if not PACKS:
        return
    with _lock:
        if not any(pending is cache for pending in _pending):
            _pending.append(cache)
        if not _registered[0]:
            _registered[0] = True
            atexit.register(write_packs)


def write_packs() -> None:
    """Write the pack of every cache :func:`pack_later` named (at exit). Raises nothing."""
    with _lock:
        caches = list(_pending)
        _pending.clear()
    for cache in caches:
        try:
            write_pack(cache)
        except Exception:  # (best effort, at the process's exit: never its failure)
            continue


def write_pack(cache: CodeCache) -> bool:
    """Write ``cache``'s pack: the one on disk with the entries of its ``unpacked`` names
    added (read again from their files, authenticated); return whether it was written.
    Failures to read or write are ignored (False)."""
    names = sorted(cache.unpacked)
    cache.unpacked.clear()
    if not os.path.isdir(cache.directory):  # (removed meanwhile: not made again)
        return False
    entries = read_pack(cache, warn=False)  # (at exit: what fails is left out quietly)
    added = False
    for name in names:
        if name not in entries:
            payload = cache.read_file(f"{name}.bin", name, warn=False)
            if payload is not None:
                entries[name] = payload
                added = True
    if not added:
        return False
    try:
        data = marshal.dumps(entries)
    except ValueError:
        return False
    if len(data) > MAX_PACK_BYTES:
        return False
    return cache.write_file(PACK_FILE, "pack", data)


def pack_path(cache: CodeCache) -> str:
    """The path of ``cache``'s pack (for tests and tools). Raises nothing."""
    return os.path.join(os.fspath(cache.directory), PACK_FILE)
