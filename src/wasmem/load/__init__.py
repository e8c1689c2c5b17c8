"""Loading: module sources (text or binary) to valid modules, with the disk cache.

The layer between the spec's chapters and their users (:mod:`wasmem.embedding`, the
spec-script runner, the CLI):

- :func:`load_module` is what ``wasmem.Module(source)`` does: consult the disk cache
  (a module that validated before, authenticated for exactly these bytes, is only
  decoded again), else parse or decode and validate, and remember the verdict;
- :func:`load_binary` decodes a binary and validates it, checking function bodies
  straight from their bytes (:mod:`wasmem.load.encoded`, the fused validator);
- :func:`load_text` parses and validates the text format, :func:`load_tree` validates a
  module already in abstract syntax.

Validation itself (:mod:`wasmem.valid`) depends only on the abstract syntax.
``load_binary`` and ``load_text`` are imported on first use: a load that the cache
answers never imports the validator.
"""

from __future__ import annotations

from typing import Any

from .cached import load_module

__all__ = ["load_binary", "load_module", "load_text", "load_tree"]


def __getattr__(name: str) -> Any:
    """Import :mod:`.binary` (and with it the validator) on first use."""
    if name in ("load_binary", "load_text", "load_tree"):
        from . import binary
        return getattr(binary, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
