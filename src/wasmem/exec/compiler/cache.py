"""A disk cache of translated functions, shared across processes (on by default).

Translating a function into Python and compiling it costs far more than running it once
(about 0.15 s for a libc-sized C program, seconds for a megabyte of code). So, like
Python's ``__pycache__``, each translated function's code object is written to disk
with :mod:`marshal` and read back by later processes that load the same module. The
directory is ``wasmem.Module(..., cache_dir=DIR)``, else the ``WASMEM_CACHE_DIR``
environment variable (empty: no cache), else the per-user ``$XDG_CACHE_HOME/wasmem``
(``~/.cache/wasmem``); ``cache_dir=False`` turns it off.

An entry is keyed by:

* the module's digest (SHA-256 of its binary or text, as given to ``wasmem.Module``),
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
``C<k>`` names bound per module) are not cached: their names depend on translation order.
Everything about the cache is best effort: an unreadable, unwritable or corrupt cache
only means translating again; it never changes results.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
import stat
import sys
import tempfile
import types
from pathlib import Path
from typing import Union

from ...errors import InvocationError
from .cache_trust import secret_key, sign, trusted_directory, verify, warn_once

__all__ = ["CodeCache", "ENVIRONMENT_VARIABLE", "fingerprint", "default_directory",
           "CacheSetting"]

ENVIRONMENT_VARIABLE = "WASMEM_CACHE_DIR"
"""Where the cache lives when ``wasmem.Module`` is not given ``cache_dir``."""

MAX_ENTRY_BYTES = 64 << 20
"""Larger files are not entries (wasmem's functions stay far below)."""

_PACKAGE = Path(__file__).resolve().parents[2]
_CONSTANT_NAME = re.compile(r"C\d+\Z")


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of this Python (version, bytecode tag) and of wasmem's source files."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{sys.implementation.cache_tag}".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()[:24]


def _uses_constants(code: types.CodeType) -> bool:
    if any(_CONSTANT_NAME.match(name) for name in code.co_names):
        return True
    return any(isinstance(c, types.CodeType) and _uses_constants(c) for c in code.co_consts)


def default_directory() -> Path:
    """The per-user cache directory: ``$XDG_CACHE_HOME/wasmem``, else ``~/.cache/wasmem``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: relative paths are ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wasmem"


CacheSetting = Union[str, "os.PathLike[str]", bool, None]
"""What ``cache_dir=`` takes: a directory, None (the default) or False (no cache)."""


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
        module_digest = hashlib.sha256(kind + data).hexdigest()
        self.root = Path(directory)
        self.directory = self.root / fingerprint() / module_digest[:32]
        self._key = key
        self._context = f"{module_digest}\0{fingerprint()}".encode()
        self.seen_before = False
        """Set by :meth:`known_valid`: an earlier process loaded this module (the tiered
        mode then translates functions on their first call, :mod:`wasmem.exec.tiering`)."""

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
        if directory is False:
            return None
        if directory is None or directory is True:
            configured = os.environ.get(ENVIRONMENT_VARIABLE)
            if configured is not None:
                if not configured.strip():
                    return None
                directory = os.path.expanduser(configured)
            else:
                directory = default_directory()
        if isinstance(directory, str) and not directory.strip():
            return None  # as WASMEM_CACHE_DIR=""
        if not isinstance(directory, (str, os.PathLike)):
            raise InvocationError("cache_dir is a directory, None (the default) or False, "
                                  f"not {type(directory).__name__}")
        root = Path(directory)
        if not trusted_directory(root):
            return None
        key = secret_key()
        if key is None:
            return None
        return cls(root, source, key)

    def _read(self, path: Path, name: str) -> bytes | None:
        """The authenticated payload of an entry, or None (missing or not authentic)."""
        try:  # a regular file only: not a FIFO, a device or a symbolic link
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                    return None
                stored = handle.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        payload = verify(self._key, self._context + f"\0{name}".encode(), stored)
        if payload is None:
            warn_once("entry", f"wasmem cache: ignored {path}: it fails authentication "
                      "(corrupt, truncated or not written by you)")
        return payload

    def _write(self, path: Path, name: str, payload: bytes) -> bool:
        temporary: str | None = None
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            stored = sign(self._key, self._context + f"\0{name}".encode(), payload)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-",
                                             delete=False) as handle:
                temporary = handle.name
                handle.write(stored)
            os.replace(temporary, path)  # readers never see a partial entry
        except (OSError, ValueError):
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            return False
        return True

    def known_valid(self) -> bool:
        """True if this module was validated before (by this wasmem, on this Python)."""
        self.seen_before = self._read(self.directory / "valid", "valid") == b"valid"
        return self.seen_before

    def remember_valid(self) -> None:
        """Record that the module is valid (best effort)."""
        self._write(self.directory / "valid", "valid", b"valid")

    def _name(self, index: int, fuel: bool, part: str = "") -> str:
        return f"f{index}{part}{'-fuel' if fuel else ''}"

    def load(self, index: int, fuel: bool, part: str = "") -> types.CodeType | None:
        """The cached code object of function ``index`` (``part``: of a piece of it, such
        as a loop's continuation, ``exec/osr.py``), or None if there is none (or it is
        not authentic)."""
        name = self._name(index, fuel, part)
        payload = self._read(self.directory / f"{name}.bin", name)
        if payload is None:
            return None
        try:
            code = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        return code if isinstance(code, types.CodeType) else None

    def store(self, index: int, fuel: bool, code: types.CodeType, part: str = "") -> bool:
        """Write the code object of function ``index`` (or of a ``part`` of it, as for
        :meth:`load`); return True if it was written.

        Code that uses per-module float constants is not written (see the module
        docstring); failures to write are ignored.
        """
        if _uses_constants(code):
            return False
        name = self._name(index, fuel, part)
        try:
            payload = marshal.dumps(code)
        except ValueError:
            return False
        return self._write(self.directory / f"{name}.bin", name, payload)
