"""Binary format (spec "Binary Format"): LEB128 reader, decoder (one function per section), encoder.

``decode_module(data)`` turns ``.wasm`` bytes into the module AST of
:mod:`wasmem.syntax.module`; ``encode_module(module)`` writes the canonical encoding back.
"""

from .decode import decode_module
from .encode import encode_module

__all__ = ["decode_module", "encode_module"]
