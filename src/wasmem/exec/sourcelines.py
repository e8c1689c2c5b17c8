"""Generated Python source registered for tracebacks, without importing :mod:`linecache`.

wasmem compiles Python source it writes (export and host-call boundaries, translated
functions, interpreter factories) under file names such as ``<wasm module F1 func[1]>``;
registering the text in :mod:`linecache` lets tracebacks, debuggers and wasmem's own
backtraces show those lines. Importing :mod:`linecache` imports :mod:`tokenize`, about
a millisecond and a half that a short run never needs (nothing prints a traceback).

:func:`remember` therefore stores the lines in :mod:`linecache` when it is already
imported, and otherwise keeps them here until something imports it: a finder at the
front of ``sys.meta_path`` watches for that one import and hands the kept lines over as
soon as the module has run. Every reader of :mod:`linecache` sees the same entries as if
they had been stored directly (without a modification time, so
``linecache.checkcache`` keeps them).
"""

from __future__ import annotations

import sys
import threading
from typing import Any

__all__ = ["remember"]

_pending: dict[str, tuple[int, None, list[str], str]] = {}
_lock = threading.Lock()


def remember(filename: str, source: str) -> None:
    """Make ``source`` the lines of ``filename`` for :mod:`linecache` (now if it is
    imported, else when it is). Raises nothing."""
    entry = (len(source), None, source.splitlines(True), filename)
    module = sys.modules.get("linecache")
    if getattr(module, "cache", None) is not None and not _pending:
        module.cache[filename] = entry  # type: ignore[union-attr]
        return
    with _lock:
        module = sys.modules.get("linecache")
        _pending[filename] = entry
        if getattr(module, "cache", None) is None:  # not imported, or still running
            if module is None and _Watcher not in sys.meta_path:
                sys.meta_path.insert(0, _Watcher)  # type: ignore[arg-type]
            return
    _hand_over(module)  # (lines kept while linecache was being imported by another thread)


def _hand_over(module: Any) -> None:
    """Store the kept lines in ``module`` (:mod:`linecache`, just imported)."""
    with _lock:
        for filename, entry in _pending.items():
            module.cache[filename] = entry
        _pending.clear()


class _Loader:
    """The real loader of :mod:`linecache`, handing the kept lines over once the module
    has run (then the module's spec and ``__loader__`` are the real loader again)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        """Run the module, then hand the kept lines over. Raises what running it raises."""
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        _hand_over(module)
        try:
            sys.meta_path.remove(_Watcher)  # type: ignore[arg-type]
        except ValueError:
            pass


class _Watcher:
    """A ``sys.meta_path`` finder that answers only for :mod:`linecache`: it asks the
    other finders for the module's spec and wraps its loader (which removes this finder
    once the module has run; a spec asked for without an import changes nothing)."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> Any:
        if name != "linecache":
            return None
        for finder in sys.meta_path:
            if finder is _Watcher:
                continue
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader)
                return spec
        return None
