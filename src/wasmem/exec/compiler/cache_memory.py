"""The disk cache's entries kept in memory for the process (a bounded LRU layer).

Each ``wasmem.Module(source)`` makes a new :class:`~.cache.CodeCache` for its bytes, and
each function it runs was read from disk, authenticated and unmarshalled again: for a
large module loaded many times in one process (SQLite: 623 entries), that is tens of
milliseconds a load. This layer keeps what the process read from disk (after the
authentication of :mod:`.cache_trust`) or wrote there, by the entry's full identity:
the cache's root directory, the user's key, the module's digest and wasmem's fingerprint
(the authentication context) and the entry's name (function index, part, fuel). So an
entry is reused exactly where the disk entry would be, and never across a changed
option, module, key, cache directory or wasmem.

What is kept is immutable: the unmarshalled ``(code object, constants table)`` of an
entry (code objects cannot change; each load still renames the code's constants into its
own module's numbering and each instance binds its own namespace), or the validity
marker. The layer is bounded by the size of the entries' marshalled bytes,
``WASMEM_CACHE_MEMORY_MB`` (MiB, default :data:`DEFAULT_MEMORY_MB`; ``0`` turns the
layer off), least recently used first out. It exists only where the disk cache is on.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from .cache_prune import megabytes_setting

__all__ = ["DEFAULT_MEMORY_MB", "MEMORY_VARIABLE", "MemoryLayer", "MEMORY"]

MEMORY_VARIABLE = "WASMEM_CACHE_MEMORY_MB"
"""The environment variable bounding the layer (MiB of marshalled entries; 0: off)."""

DEFAULT_MEMORY_MB = 64
"""The bound when ``WASMEM_CACHE_MEMORY_MB`` is not set."""

EntryKey = tuple[str, bytes, bytes, str]
"""(cache root, user's key, authentication context, entry name)."""


def memory_limit() -> int:
    """The layer's bound in bytes from ``WASMEM_CACHE_MEMORY_MB`` (0: off). A value
    that is not a non-negative number warns once (:class:`~wasmem.errors.CacheWarning`)
    and the default applies. Raises nothing."""
    return megabytes_setting(MEMORY_VARIABLE, DEFAULT_MEMORY_MB)


class MemoryLayer:
    """A thread-safe map of entries, least recently used out beyond ``limit`` bytes
    (``limit`` None: read from the environment at each insertion)."""

    def __init__(self, limit: int | None = None) -> None:
        self._entries: OrderedDict[EntryKey, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit
        self.size = 0
        """Total size (marshalled bytes) of the entries kept."""
        self.hits = 0
        """Lookups answered from memory (for tests and measurements)."""

    def get(self, key: EntryKey) -> Any:
        """The value kept for ``key``, or None. Raises nothing."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: EntryKey, value: Any, size: int) -> None:
        """Keep ``value`` (immutable; ``size`` bytes on disk) for ``key``, dropping the
        least recently used entries beyond the bound. Raises nothing."""
        limit = memory_limit() if self._limit is None else self._limit
        if size > limit or limit <= 0:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._entries[key] = (value, size)
            self.size += size
            while self.size > limit:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def clear(self) -> None:
        """Forget every entry. Raises nothing."""
        with self._lock:
            self._entries.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._entries)


MEMORY = MemoryLayer()
"""The process's layer, used by every :class:`~.cache.CodeCache`."""
