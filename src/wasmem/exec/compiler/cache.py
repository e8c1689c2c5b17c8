"""A disk cache of translated functions, shared across processes (on by default).

Translating a function into Python and compiling it costs far more than running it once
(about 0.15 s for a libc-sized C program, seconds for a megabyte of code). So, like
Python's ``__pycache__``, each translated function's code object is written to disk
with :mod:`marshal` and read back by later processes that load the same module. The
directory is ``wasmem.Module(..., cache_dir=DIR)``, else the ``WASMEM_CACHE_DIR``
environment variable (empty: no cache), else the per-user ``$XDG_CACHE_HOME/wasmem``
(``~/.cache/wasmem``); ``cache_dir=False`` turns it off.

An entry is keyed by:

* the module's digest (BLAKE2b of its binary or text, as given to ``wasmem.Module``),
* the function index and whether fuel is metered,
* the *fingerprint* of this wasmem and Python: the interpreter's version and the
  contents of every source file of the wasmem package, so that any change to the
  translator (or to the names generated code relies on) starts a fresh cache.

The cache also records that the module validated, so later loads of the same module
skip validation (the verdict is a function of the exact bytes and of wasmem).

Every entry is authenticated with the user's secret key, and the directory must belong
to the user and be writable only by them (:mod:`.cache_trust`): code or markers planted
by someone else are ignored, never run.

Functions that use float constants without a Python literal (NaN payloads, infinities:
``C<k>`` names bound per module, numbered in translation order) are stored with the
values of the constants they use; loading appends them to the module's constants and
renames the code's names to their new numbers.
Everything about the cache is best effort: an unreadable, unwritable or corrupt cache
only means translating again; it never changes results. Its size is bounded
(``WASMEM_CACHE_MAX_MB``, least recently used modules removed first: :mod:`.cache_prune`).
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import re
import stat
import sys
import threading
import types
from typing import TYPE_CHECKING, Any

from ...errors import InvocationError
from ..collector import collector_paused
from .cache_memory import MEMORY
from .cache_pack import pack_later, read_pack
from .cache_prune import after_new_module, mark_used
from .cache_setting import ENVIRONMENT_VARIABLE, CacheSetting, cache_disabled
from .cache_trust import digest, secret_key, sign, trusted_directory, verify, warn_once

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["CodeCache", "ENVIRONMENT_VARIABLE", "fingerprint", "default_directory",
           "CacheSetting"]

MARKER_BYTES = 64
"""What a validity marker counts for in the memory layer (:mod:`.cache_memory`)."""
MAX_ENTRY_BYTES = 64 << 20
"""Larger files are not entries (wasmem's functions stay far below)."""

_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
"""The ``wasmem`` package directory. (The cache works on strings: :mod:`pathlib` costs
several milliseconds to import in a process whose ``site`` did not import it.)"""
_CONSTANT_NAME = re.compile(r"C\d+\Z")


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of this Python (version, bytecode tag) and of wasmem's source files.

    A source file counts by its path, size and modification time (in nanoseconds), as
    Python's own ``__pycache__`` judges whether a source changed: reading every source
    file in each process would cost more than the cache saves on a small module.
    """
    found = digest(f"{sys.version}|{sys.implementation.cache_tag}".encode())
    found.update("".join([f"{relative}\0{size}\0{mtime}\0" for relative, size, mtime
                          in sorted(_source_stamps(str(_PACKAGE), ""))]).encode())
    return found.hexdigest()[:24]  # type: ignore[no-any-return]


def _source_stamps(directory: str, prefix: str) -> list[tuple[str, int, int]]:
    """``(relative path, size, mtime_ns)`` of every ``.py`` file below ``directory``
    (``(path, -1, -1)`` for one that cannot be listed or stat'ed). Every fresh process
    with a cache runs this once (about 300 directory entries); it walks iteratively and
    tests a name before asking for its type. Raises nothing."""
    stamps: list[tuple[str, int, int]] = []
    pending = [(directory, prefix)]
    while pending:
        folder, base = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            stamps.append((base or ".", -1, -1))
            continue
        for entry in entries:
            name = entry.name
            try:
                if name.endswith(".py") and not entry.is_dir(follow_symlinks=False):
                    info = entry.stat()
                    stamps.append((base + name, info.st_size, info.st_mtime_ns))
                elif name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{base}{name}/"))
            except OSError:
                stamps.append((base + name, -1, -1))
    return stamps


def _constant_names(code: types.CodeType) -> set[str]:
    """The per-module constant names (``C<k>``) that ``code`` (or code nested in it) uses."""
    found = {name for name in code.co_names if _CONSTANT_NAME.match(name)}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _constant_names(const)
    return found


def _renamed(code: types.CodeType, mapping: dict[str, str]) -> types.CodeType:
    """``code`` with the global names of ``mapping`` renamed (nested code included)."""
    return code.replace(
        co_names=tuple(mapping.get(name, name) for name in code.co_names),
        co_consts=tuple(_renamed(c, mapping) if isinstance(c, types.CodeType) else c
                        for c in code.co_consts))


_constants_lock = threading.Lock()


def default_directory() -> Path:
    """The per-user cache directory: ``$XDG_CACHE_HOME/wasmem``, else ``~/.cache/wasmem``."""
    from pathlib import Path
    return Path(_default_directory_name())


def _default_directory_name() -> str:
    """:func:`default_directory` as a string."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: relative paths are ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "wasmem")


def _read_all(fd: int, size: int) -> bytes:
    """The bytes of the open file ``fd`` (``size`` by its ``fstat``; a file that grew
    meanwhile is read to at most :data:`MAX_ENTRY_BYTES` + 1 bytes, so that it fails
    authentication). Unlike a buffered ``read(MAX_ENTRY_BYTES + 1)``, which allocates
    the whole bound for each entry (~20 us an entry), this reads what is there.

    Raises:
        OSError: the read fails.
    """
    parts: list[bytes] = []
    total = 0
    want = size + 1  # one byte more: the end of the file shows as a short read
    while total <= MAX_ENTRY_BYTES:
        chunk = os.read(fd, min(want, MAX_ENTRY_BYTES + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        want = max(want - len(chunk), 1 << 16)
    return parts[0] if len(parts) == 1 else b"".join(parts)  # (b"" for none)


class CodeCache:
    """The cache entries of one module.

    Args:
        directory: the cache's root directory (created, mode 0700, when first written).
        source: the module as given to ``wasmem.Module`` (binary or text).
        key: the user's secret key (:func:`.cache_trust.secret_key`).
    """

    def __init__(self, directory: str | os.PathLike[str], source: bytes | str,
                 key: bytes) -> None:
        data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
        kind = b"text:" if isinstance(source, str) else b"wasm:"
        found = digest(kind)
        found.update(data)  # (the digest of kind + data, without copying the module)
        module_digest = found.hexdigest()
        self._root = os.fspath(directory)
        self._directory = os.path.join(self._root, fingerprint(), module_digest[:32])
        self._key = key
        self._context = f"{module_digest}\0{fingerprint()}".encode()
        self.seen_before = False
        """Set by :meth:`known_valid`: an earlier process loaded this module."""
        self._memory_key = (self._root, key, self._context)
        self._pack: dict[str, bytes] | None = None  # read at the first entry read
        self.unpacked: set[str] = set()
        """Entries read from or written to their own files, for the pack
        (:mod:`.cache_pack`)."""

    @property
    def root(self) -> Path:
        """The cache's root directory."""
        from pathlib import Path
        return Path(self._root)

    @property
    def directory(self) -> Path:
        """The directory of this module's entries (below :attr:`root`)."""
        from pathlib import Path
        return Path(self._directory)

    @classmethod
    def configured(cls, directory: CacheSetting, source: bytes | str) -> CodeCache | None:
        """The cache for ``source``, or None (no cache).

        ``directory`` False: no cache. None: ``$WASMEM_CACHE_DIR`` when set (empty: no
        cache), else :func:`default_directory`. Otherwise the directory to use. The
        cache is also off (with a :class:`~wasmem.errors.CacheWarning`) when the
        directory or the user's key is not safe (see :mod:`.cache_trust`).

        Raises:
            InvocationError: ``directory`` is not a path, None or False.
        """
        if cache_disabled(directory):
            return None
        if directory is None or directory is True:
            configured = os.environ.get(ENVIRONMENT_VARIABLE)
            if configured is not None:
                directory = os.path.expanduser(configured)
            else:
                directory = _default_directory_name()
        if not isinstance(directory, (str, os.PathLike)):
            raise InvocationError("cache_dir is a directory, None (the default) or False, "
                                  f"not {type(directory).__name__}")
        root = os.fspath(directory)
        if not trusted_directory(root):
            return None
        key = secret_key()
        if key is None:
            return None
        return cls(root, source, key)

    def _read(self, path: str, name: str, warn: bool = True) -> bytes | None:
        """The authenticated payload of an entry, or None (missing or not authentic:
        then, ``warn``, a :class:`~wasmem.errors.CacheWarning` once)."""
        try:  # a regular file only: not a FIFO, a device or a symbolic link
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                    return None
                stored = _read_all(fd, info.st_size)
            finally:
                os.close(fd)
        except OSError:
            return None
        payload = verify(self._key, self._context + f"\0{name}".encode(), stored)
        if payload is None and warn:
            warn_once("entry", f"wasmem cache: ignored {path}: it fails authentication "
                      "(corrupt, truncated or not written by you)")
        return payload

    def read_file(self, filename: str, name: str, warn: bool = True) -> bytes | None:
        """The authenticated payload of file ``filename`` of this module's directory,
        stored as ``name``, or None (missing or not authentic: then, ``warn``, a
        :class:`~wasmem.errors.CacheWarning` once). Raises nothing."""
        return self._read(os.path.join(self._directory, filename), name, warn)

    def write_file(self, filename: str, name: str, payload: bytes) -> bool:
        """Write ``payload`` (authenticated as ``name``) to file ``filename`` of this
        module's directory; return whether it was written. Raises nothing."""
        return self._write(os.path.join(self._directory, filename), name, payload)

    def _write(self, path: str, name: str, payload: bytes) -> bool:
        temporary: str | None = None
        try:
            folder = os.path.dirname(path)
            os.makedirs(folder, mode=0o700, exist_ok=True)
            stored = sign(self._key, self._context + f"\0{name}".encode(), payload)
            # a private new file of a random name (what tempfile.NamedTemporaryFile makes,
            # without importing tempfile and with it random, shutil, bz2, lzma...)
            temporary = os.path.join(folder, f".tmp-{os.urandom(8).hex()}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(stored)
            os.replace(temporary, path)  # readers never see a partial entry
        except (OSError, ValueError):
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            return False
        return True

    def known_valid(self) -> bool:
        """True if this module was validated before (by this wasmem, on this Python);
        the module's entries are then marked as used (see :mod:`.cache_prune`)."""
        self.seen_before = MEMORY.get((*self._memory_key, "valid")) is not None or \
            self._read(os.path.join(self._directory, "valid"), "valid") == b"valid"
        if self.seen_before:
            MEMORY.put((*self._memory_key, "valid"), True, MARKER_BYTES)
        if self.seen_before:
            mark_used(self._directory)
        return self.seen_before

    def remember_valid(self) -> None:
        """Record that the module is valid (best effort); the cache is pruned to its
        size limit if it is over it (see :mod:`.cache_prune`)."""
        if self._write(os.path.join(self._directory, "valid"), "valid", b"valid"):
            MEMORY.put((*self._memory_key, "valid"), True, MARKER_BYTES)
            after_new_module(self._root, self._directory)

    def _name(self, index: int, fuel: bool, part: str = "") -> str:
        return f"f{index}{part}{'-fuel' if fuel else ''}"

    def load(self, index: int, fuel: bool, constants: list[float] | None = None, *,
             part: str = "") -> types.CodeType | None:
        """The cached code object of function ``index`` (``part``: of a piece of it, such
        as a loop's continuation, ``exec/osr.py``), or None if there is none (or it is
        not authentic).

        ``constants`` is the module's list of per-module float constants (bound as
        ``C<k>`` in instance namespaces): the entry's constants are appended to it and
        the code's names renamed to their new places. Without it, code that uses such
        constants is not returned.
        """
        name = self._name(index, fuel, part)
        stored = MEMORY.get((*self._memory_key, name))
        if stored is None:
            stored = self._load_entry(name)
            if stored is None:
                return None
        code, table = stored
        if not table:
            return code  # type: ignore[no-any-return]
        if constants is None or not all(
                isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
                and _CONSTANT_NAME.match(item[0]) and isinstance(item[1], float)
                for item in table):
            return None
        with _constants_lock:  # translations of other threads append too
            mapping = {}
            for constant, value in table:
                mapping[constant] = f"C{len(constants)}"
                constants.append(value)
        return _renamed(code, mapping)

    def _load_entry(self, name: str) -> tuple[types.CodeType, tuple[Any, ...]] | None:
        """The ``(code, constants table)`` of entry ``name`` read from disk (and kept in
        memory, :mod:`.cache_memory`), or None (missing, not authentic, malformed). The
        module's pack (:mod:`.cache_pack`) is read first, once."""
        if self._pack is None:
            self._pack = read_pack(self)
        payload = self._pack.pop(name, None)  # (taken: what is left of it is unused)
        if payload is None:
            payload = self._read(os.path.join(self._directory, f"{name}.bin"), name)
            if payload is None:
                return None
            self.unpacked.add(name)
            pack_later(self)
        try:
            with collector_paused():  # code objects and their constants: long-lived
                stored = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        if not (isinstance(stored, tuple) and len(stored) == 2
                and isinstance(stored[0], types.CodeType) and isinstance(stored[1], tuple)):
            return None
        MEMORY.put((*self._memory_key, name), stored, len(payload))
        return stored  # type: ignore[return-value]

    def store(self, index: int, fuel: bool, code: types.CodeType,
              constants: list[float] | None = None, *, part: str = "") -> bool:
        """Write the code object of function ``index`` (or of a ``part`` of it, as for
        :meth:`load`); return True if it was written.

        ``constants`` is the module's list of per-module float constants: the values of
        those the code uses are stored with it (the code is not written without them).
        Failures to write are ignored.
        """
        used = _constant_names(code)
        try:
            table = tuple(sorted((constant, float((constants or [])[int(constant[1:])]))
                                 for constant in used))
        except IndexError:
            return False
        name = self._name(index, fuel, part)
        try:
            payload = marshal.dumps((code, table))
        except ValueError:
            return False
        if not self._write(os.path.join(self._directory, f"{name}.bin"), name, payload):
            return False
        self.unpacked.add(name)
        pack_later(self)
        MEMORY.put((*self._memory_key, name), (code, table), len(payload))
        return True
