"""An optional disk cache of translated functions, shared across processes.

Translating a function into Python and compiling it costs far more than running it once
(about 0.15 s for a libc-sized C program, seconds for a megabyte of code). With a cache
directory (``wasmem.Module(..., cache_dir=DIR)`` or the ``WASMEM_CACHE_DIR`` environment
variable) each translated function's code object is written to disk with
:mod:`marshal` and read back by later processes that load the same module.

An entry is keyed by:

* the module's digest (SHA-256 of its binary or text, as given to ``wasmem.Module``),
* the function index and whether fuel is metered,
* the *fingerprint* of this wasmem and Python: the interpreter's version and the
  contents of every source file of the wasmem package, so that any change to the
  translator (or to the names generated code relies on) starts a fresh cache.

The cache also records that the module validated, so later loads of the same module
skip validation (the verdict is a function of the exact bytes and of wasmem).

Functions that use float constants without a Python literal (NaN payloads, infinities:
``C<k>`` names bound per module) are not cached: their names depend on translation order.
Everything about the cache is best effort: an unreadable, unwritable or corrupt cache
only means translating again; it never changes results.

The cache holds code that wasmem will execute: point it only at a directory you trust.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
import sys
import tempfile
import types
from pathlib import Path

__all__ = ["CodeCache", "ENVIRONMENT_VARIABLE", "fingerprint"]

ENVIRONMENT_VARIABLE = "WASMEM_CACHE_DIR"
"""Where the cache lives when ``wasmem.Module`` is not given ``cache_dir``."""

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


class CodeCache:
    """The cache entries of one module.

    Args:
        directory: the cache's root directory (created when first written).
        source: the module as given to ``wasmem.Module`` (binary or text).
    """

    def __init__(self, directory: str | os.PathLike[str], source: bytes | str) -> None:
        data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
        kind = b"text:" if isinstance(source, str) else b"wasm:"
        module_digest = hashlib.sha256(kind + data).hexdigest()[:32]
        self.directory = Path(directory) / fingerprint() / module_digest

    @classmethod
    def configured(cls, directory: str | os.PathLike[str] | None,
                   source: bytes | str) -> CodeCache | None:
        """The cache for ``source`` in ``directory``, else in ``$WASMEM_CACHE_DIR``, else
        None (no cache)."""
        if directory is None:
            directory = os.environ.get(ENVIRONMENT_VARIABLE) or None
        if directory is None:
            return None
        return cls(directory, source)

    def known_valid(self) -> bool:
        """True if this module was validated before (by this wasmem, on this Python)."""
        return (self.directory / "valid").is_file()

    def remember_valid(self) -> None:
        """Record that the module is valid (best effort)."""
        with contextlib.suppress(OSError):
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / "valid").touch()

    def _path(self, index: int, fuel: bool) -> Path:
        return self.directory / f"f{index}{'-fuel' if fuel else ''}.bin"

    def load(self, index: int, fuel: bool) -> types.CodeType | None:
        """The cached code object of function ``index``, or None if there is none."""
        try:
            code = marshal.loads(self._path(index, fuel).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return code if isinstance(code, types.CodeType) else None

    def store(self, index: int, fuel: bool, code: types.CodeType) -> bool:
        """Write the code object of function ``index``; return True if it was written.

        Code that uses per-module float constants is not written (see the module
        docstring); failures to write are ignored.
        """
        if _uses_constants(code):
            return False
        path = self._path(index, fuel)
        temporary: str | None = None
        try:
            payload = marshal.dumps(code)
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-",
                                             delete=False) as handle:
                temporary = handle.name
                handle.write(payload)
            os.replace(temporary, path)  # readers never see a partial entry
        except (OSError, ValueError):
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            return False
        return True
