"""Why the disk cache can trust what it reads: a per-user secret key and checked directories.

The cache (:mod:`.cache`) holds code that wasmem executes, so anyone who can write into
the cache directory could otherwise run code in every process that loads a cached
module. Two defences, as ssh and pip use:

* **Authentication.** Every entry (a marshalled code object, a "validated" marker) is
  written with a tag over its bytes, the module's digest, the entry's name and the
  fingerprint of wasmem and Python: keyed BLAKE2b (RFC 7693's MAC mode, 32-byte tags)
  with a secret key of the user (32 random bytes). BLAKE2b is built into Python:
  the cache does not load OpenSSL (``hashlib``'s SHA-256 and ``hmac`` cost 3-6 ms to
  import, more than a small module's warm start). Entries whose tag does not verify
  are ignored. The key lives *outside* the cache, in ``$XDG_CONFIG_HOME/wasmem/cache-key`` (else
  ``~/.config/wasmem/cache-key``), created atomically with mode 0600; a key file that
  is not a regular file of the current user with mode 0600 (or 0400) is refused.
* **Ownership.** A cache directory owned by another user, or writable by the group or
  by others, is refused (the cache is then off for that directory).

On systems without POSIX ownership (Windows), the ownership and mode checks are skipped;
authentication still applies. Each refusal warns once per process
(:class:`~wasmem.errors.CacheWarning`).
"""

from __future__ import annotations

import os
import stat
import warnings
from typing import TYPE_CHECKING, Any

from ...errors import CacheWarning

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["KEY_BYTES", "blake2b", "digest", "key_path", "secret_key", "trusted_directory",
           "sign", "verify", "warn_once"]

KEY_BYTES = 32
TAG_BYTES = 32
_DOMAIN = b"wasmem cache entry v2\0"

try:  # the built-in BLAKE2 (what hashlib.blake2b is), without importing hashlib/OpenSSL
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
    from hashlib import blake2b

try:  # constant-time comparison, as hmac.compare_digest (which imports OpenSSL)
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover - not CPython
    from hmac import compare_digest  # type: ignore[no-redef]


def digest(data: bytes) -> Any:
    """A BLAKE2b hash object (32-byte digest) of ``data``, to update further."""
    return blake2b(data, digest_size=32)

_keys: dict[str, bytes | None] = {}
_warned: set[str] = set()


def warn_once(kind: str, message: str) -> None:
    """Warn with :class:`CacheWarning` the first time a ``kind`` of problem occurs."""
    if kind not in _warned:
        _warned.add(kind)
        warnings.warn(message, CacheWarning, stacklevel=4)


def _posix() -> bool:
    return hasattr(os, "geteuid")


def key_path() -> Path:
    """Where the user's secret key lives (outside any cache directory)."""
    from pathlib import Path  # (the cache itself works on strings: see _key_file)
    return Path(_key_file())


def _key_file() -> str:
    """:func:`key_path` as a string (loading from the cache never imports :mod:`pathlib`,
    several milliseconds in a process whose ``site`` did not import it)."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: relative paths are ignored
        base = os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "wasmem", "cache-key")


def _unsafe(info: os.stat_result, *, private: bool) -> str | None:
    """Why a file or directory's owner or mode is not safe, or None."""
    if not _posix():
        return None
    if info.st_uid != os.geteuid():
        return "it belongs to another user"
    mask = 0o077 if private else 0o022
    if info.st_mode & mask:
        return f"its mode {stat.S_IMODE(info.st_mode):o} lets others " + (
            "read or write it" if private else "write to it")
    return None


def _folder_problem(info: os.stat_result) -> str | None:
    problem = _unsafe(info, private=False)
    return None if problem is None else f"its directory is not safe: {problem}"


def _read_key(path: str) -> bytes | None:
    """The key at ``path``, or None (after a warning) if it is not safe to use.

    Raises:
        FileNotFoundError: there is no key yet.
    """
    # O_NONBLOCK: opening a FIFO planted there must not wait for a writer
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        warn_once("key", f"wasmem cache off: cannot read the key {path}: {exc}")
        return None
    key = b""
    try:  # (not os.fdopen: it raises for a directory)
        info = os.fstat(fd)
        problem = None if stat.S_ISREG(info.st_mode) else "it is not a regular file"
        problem = problem or _unsafe(info, private=True)
        try:  # who can write its directory can replace it
            problem = problem or _folder_problem(os.stat(os.path.dirname(path)))
        except OSError as exc:
            problem = problem or str(exc)
        if problem is None:
            key = os.read(fd, KEY_BYTES + 1)
    except OSError as exc:
        problem = str(exc)
    finally:
        os.close(fd)
    if problem is None and len(key) != KEY_BYTES:
        problem = f"it does not hold {KEY_BYTES} bytes"
    if problem is not None:
        warn_once("key", f"wasmem cache off: the key {path} is not safe: {problem}")
        return None
    return key


def _create_key(path: str) -> None:
    """Write a new random key at ``path`` unless one exists (atomically: link(2) of a
    complete private file, so readers never see a partial key)."""
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    temporary = os.path.join(folder, f".cache-key-{os.urandom(8).hex()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                 | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))  # (what secrets.token_bytes returns)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made one first: use it
        except OSError:  # no hard links here
            if not os.path.exists(path):
                os.replace(temporary, path)
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def secret_key() -> bytes | None:
    """The user's cache key, created on first use; None (after a warning) if it cannot
    be created or is not safe."""
    path = name = _key_file()
    if name in _keys:
        return _keys[name]
    key: bytes | None
    try:
        key = _read_key(path)
    except FileNotFoundError:
        try:
            _create_key(path)
            key = _read_key(path)
        except OSError as exc:
            warn_once("key", f"wasmem cache off: cannot create the key {path}: {exc}")
            key = None
    _keys[name] = key
    return key


def trusted_directory(directory: str | os.PathLike[str]) -> bool:
    """Create ``directory`` (mode 0700) if missing; return False (after a warning) if it
    is not a directory of the current user that only the user can write to."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        info = os.stat(directory)  # a symbolic link to a safe directory is fine
    except OSError as exc:
        warn_once(f"dir:{directory}", f"wasmem cache off: cannot use {directory}: {exc}")
        return False
    problem = None if stat.S_ISDIR(info.st_mode) else "it is not a directory"
    problem = problem or _unsafe(info, private=False)
    if problem is not None:
        warn_once(f"dir:{directory}",
                  f"wasmem cache off: {directory} is not safe to run code from: {problem}")
        return False
    return True


def _tag(key: bytes, context: bytes, payload: bytes) -> bytes:
    tag = blake2b(_DOMAIN, digest_size=TAG_BYTES, key=key)
    tag.update(context)
    tag.update(b"\0")
    tag.update(payload)
    return tag.digest()


def sign(key: bytes, context: bytes, payload: bytes) -> bytes:
    """The bytes to store for ``payload``: its tag, then the payload."""
    return _tag(key, context, payload) + payload


def verify(key: bytes, context: bytes, stored: bytes) -> bytes | None:
    """The payload of stored bytes if their tag verifies for ``context``, else None."""
    if len(stored) < TAG_BYTES:
        return None
    tag, payload = stored[:TAG_BYTES], stored[TAG_BYTES:]
    return payload if compare_digest(tag, _tag(key, context, payload)) else None
