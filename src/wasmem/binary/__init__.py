"""Binary format (spec "Binary Format"): LEB128 reader, decoder (one function per section), encoder.

``decode_module(data)`` turns ``.wasm`` bytes into the module AST of
:mod:`wasmem.syntax.module`; ``encode_module(module)`` writes the canonical encoding back.
"""

from __future__ import annotations

from typing import Any

from .decode import decode_module

__all__ = ["decode_module", "encode_module"]


def __getattr__(name: str) -> Any:
    """Import the encoder on first use (loading and running a module never encode)."""
    if name == "encode_module":
        from .encode import encode_module
        return encode_module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
