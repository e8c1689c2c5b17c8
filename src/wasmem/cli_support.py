"""What the ``wasmem`` commands share: the usage error, loading a module, reading
arguments from the command line and printing results.

:mod:`wasmem.cli` and the commands defined beside their features
(:mod:`wasmem.observe.cli_trace`, :mod:`wasmem.observe.cli_debug`) import these from
here, so the command modules do not import each other.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["UsageError", "format_value", "load_module", "parse_argument"]


class UsageError(Exception):
    """Bad command-line input (exit status 2)."""


def load_module(path: str) -> Any:
    """Return the :class:`wasmem.Module` of the ``.wasm`` or ``.wat`` file ``path``.

    Raises:
        OSError: the file cannot be read.
        WasmError: it does not parse, decode or validate.
    """
    from .embedding import Module
    return Module.from_file(path)


def parse_argument(text: str, value_type: Any) -> Any:
    """Return the value of command-line argument ``text`` for a parameter of
    ``value_type`` (integers in any base Python reads, floats with ``nan``/``inf`` and
    hexadecimal floats).

    Raises:
        UsageError: ``text`` is not a value of that type, or the type (a reference or
            a vector) cannot be given on the command line.
    """
    from .syntax.types import F32, F64, I32, I64
    try:
        if value_type in (I32, I64):
            return int(text.replace("_", ""), 0)
        if value_type in (F32, F64):
            lowered = text.lower()
            if lowered in ("nan", "+nan", "-nan"):
                return math.copysign(math.nan, -1.0 if lowered.startswith("-") else 1.0)
            if lowered.startswith(("0x", "-0x", "+0x")):
                return float.fromhex(text)
            return float(text)
    except ValueError:
        raise UsageError(f"argument {text!r} is not a valid {value_type}") from None
    raise UsageError(f"cannot pass arguments of type {value_type} from the command line")


def format_value(value: Any) -> str:
    """Return a result as the commands print it (``nan``, ``null``, Python's float repr)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value)
    if value is None:
        return "null"
    return str(value)
