"""Loading a binary module: decode, then validate (spec "Binary Format" + "Validation").

Function bodies are first checked straight from their bytes (:mod:`wasmem.load.encoded`)
and decoded into trees only when they first run; any failure of that fast path is
answered by the ordinary decode + validate, so errors are exactly theirs.
"""

from __future__ import annotations

from ..binary.decode import decode_module
from ..errors import DecodeError, UnsupportedFeature, ValidationError
from ..syntax.building import collector_paused
from ..syntax.module import Module
from ..valid import validate_module
from .encoded import check_encoded_body

__all__ = ["load_binary", "load_text", "load_tree"]


def load_binary(data: bytes | bytearray | memoryview, *, file: str | None = None) -> Module:
    """Decode and validate a binary module; function bodies stay encoded until first use.

    Returns a valid :class:`~wasmem.syntax.module.Module` whose functions are
    :class:`~wasmem.binary.encoded.EncodedFunction` objects (equal to the eagerly
    decoded ones). When the fast path rejects the module, the module is decoded and
    validated again the ordinary way, which raises the precise error.

    Raises:
        DecodeError, ValidationError, UnsupportedFeature: exactly as
            ``validate_module(decode_module(data))`` would.
    """
    raw = bytes(data)
    try:
        with collector_paused():
            module = decode_module(raw, file=file, lazy_bodies=True)
            validate_module(module, check_body=check_encoded_body)
        return module
    except (DecodeError, ValidationError, UnsupportedFeature):
        pass
    module = decode_module(raw, file=file)
    validate_module(module)
    return module  # the fast path was wrong to refuse it: trust the full check


def load_text(text: str, *, file: str | None = None) -> Module:
    """Parse and validate a module in the text format.

    Raises:
        ParseError: malformed text. ValidationError, UnsupportedFeature: as
            :func:`~wasmem.valid.validate_module`.
    """
    from ..text import parse_module
    return load_tree(parse_module(text, file=file))


def load_tree(module: Module) -> Module:
    """Validate a module in abstract syntax (parsed from a script, built by hand) and
    return it.

    Raises:
        ValidationError, UnsupportedFeature: as :func:`~wasmem.valid.validate_module`.
    """
    validate_module(module)
    return module
