"""The numeric semantics of WebAssembly (spec "Execution / Numerics"), for the execution tiers.

One function per numeric instruction, named after its text name with ``.`` replaced by
``_`` (``i32.div_s`` -> :func:`i32_div_s`, ``f32.convert_i64_u`` -> :func:`f32_convert_i64_u`),
plus the bit-pattern helpers of :mod:`wasmem.exec.numeric.bits`.  The code lives in

* :mod:`.bits`: f32/f64 representation, bit patterns, memory packing, ``f32_round``,
  NaN classes;
* :mod:`.integer`: integer operators;
* :mod:`.floating`: floating-point operators;
* :mod:`.convert`: conversions;

and everything is re-exported here.  :data:`NUMERIC_OPS` maps the text name of every numeric
instruction (opcodes 0x45..0xC4 and the saturating truncations 0xFC 0..7, taken from
:data:`wasmem.syntax.opcodes.OPCODES`) to its function, trivial ones included;
:data:`NUMERIC_BY_KEY` maps the opcode key instead.  The SIMD lane operators are in
:mod:`.simd` (:data:`~wasmem.exec.numeric.simd.SIMD_OPS`).

Runtime values: i32/i64 are unsigned ints, f64 a float with any bit pattern, f32 a float as
described in :mod:`.bits`.  Functions that trap raise :class:`wasmem.errors.Trap`
with a :class:`wasmem.errors.TrapMessage` message; nothing else raises on valid operands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...syntax.opcodes import OPCODES, prefixed
from . import convert as numeric_convert
from . import floating as numeric_float
from . import integer as numeric_int
from .bits import (
    F32_CANONICAL_NAN,
    F64_CANONICAL_NAN,
    f32_from_bits,
    f32_is_arithmetic_nan,
    f32_is_canonical_nan,
    f32_pack,
    f32_pack_into,
    f32_round,
    f32_to_bits,
    f32_unpack,
    f64_from_bits,
    f64_is_arithmetic_nan,
    f64_is_canonical_nan,
    f64_pack,
    f64_pack_into,
    f64_to_bits,
    f64_unpack,
    quiet_nan,
)
from .convert import *  # noqa: F403 - this module re-exports the library
from .floating import *  # noqa: F403
from .integer import *  # noqa: F403

__all__ = [
    "F32_CANONICAL_NAN",
    "F64_CANONICAL_NAN",
    "NUMERIC_BY_KEY",
    "NUMERIC_OPS",
    "f32_from_bits",
    "f32_is_arithmetic_nan",
    "f32_is_canonical_nan",
    "f32_pack",
    "f32_pack_into",
    "f32_round",
    "f32_to_bits",
    "f32_unpack",
    "f64_from_bits",
    "f64_is_arithmetic_nan",
    "f64_is_canonical_nan",
    "f64_pack",
    "f64_pack_into",
    "f64_to_bits",
    "f64_unpack",
    "numeric_keys",
    "quiet_nan",
]
__all__ += numeric_int.__all__
__all__ += numeric_float.__all__
__all__ += numeric_convert.__all__

NumericFunction = Callable[..., Any]
"""A numeric operator: takes the operand values, returns the result value."""


def numeric_keys() -> list[int]:
    """Return the opcode keys of the numeric instructions, in table order.

    Those are the rows 0x45..0xC4 (MVP comparisons, arithmetic, conversions and the
    sign-extension operators) and 0xFC 0..7 (saturating truncation) of
    :data:`wasmem.syntax.opcodes.OPCODES`.
    """
    saturating = range(prefixed(0xFC, 0), prefixed(0xFC, 8))
    return [key for key in OPCODES if 0x45 <= key <= 0xC4 or key in saturating]


def _build_table() -> dict[str, NumericFunction]:
    functions = {**vars(numeric_int), **vars(numeric_float), **vars(numeric_convert)}
    table: dict[str, NumericFunction] = {}
    for key in numeric_keys():
        name = OPCODES[key].name
        function = functions.get(name.replace(".", "_"))
        if function is None:
            raise RuntimeError(f"no numeric function for {name} ({key:#x})")
        table[name] = function
    return table


NUMERIC_OPS: dict[str, NumericFunction] = _build_table()
"""Text name of each numeric instruction -> the function computing it."""

NUMERIC_BY_KEY: dict[int, NumericFunction] = {
    key: NUMERIC_OPS[OPCODES[key].name] for key in numeric_keys()
}
"""Opcode key of each numeric instruction -> the function computing it."""
