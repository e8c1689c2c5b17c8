"""Names under which execution tiers find the numeric library (``n_i32_div_s``, ...)."""

from __future__ import annotations

import functools
import math
import struct
from typing import Any

from .bulk import bulk_copy, bulk_fill, bulk_trips
from .known_libm import musl_trig
from ..numeric import NUMERIC_OPS, f32_pack_into, f32_round, f32_unpack

__all__ = ["numeric_name", "numeric_namespace"]


def _scratch_views() -> dict[str, memoryview[Any]]:
    """Two views of one 8-byte buffer, as an ``f64`` (``n_SD``) and as an unsigned ``i64``
    (``n_SQ``): what :mod:`.numeric_inline`'s reinterpretations write and read back; and
    two views of one 4-byte buffer, as an ``f32`` (``n_SF``, which :mod:`.f32_scratch`
    rounds through) and as an unsigned ``i32`` (``n_SI``)."""
    scratch, single = bytearray(8), bytearray(4)
    return {"n_SD": memoryview(scratch).cast("d"), "n_SQ": memoryview(scratch).cast("Q"),
            "n_SF": memoryview(single).cast("f"), "n_SI": memoryview(single).cast("I")}


SCRATCH_VIEWS = _scratch_views()
"""The process's scratch views (see :data:`.numeric_inline.SCRATCH_EXACT`)."""


def numeric_name(op_name: str) -> str:
    """Return the namespace name under which the numeric library function is bound."""
    return "n_" + op_name.replace(".", "_")


@functools.lru_cache(maxsize=1)
def numeric_namespace() -> dict[str, Any]:
    """Return ``{namespace name: function}`` for every numeric operation and helper (one
    dict, built once: callers copy from it and must not change it)."""
    names: dict[str, Any] = {numeric_name(name): fn for name, fn in NUMERIC_OPS.items()}
    names["n_f32_round"] = f32_round
    names["n_f32_load"] = f32_unpack
    names["n_f32_store"] = f32_pack_into
    names.update(n_bulk_trips=bulk_trips, n_bulk_fill=bulk_fill, n_bulk_copy=bulk_copy)
    # used by the inline forms of .numeric_inline
    names.update(n_int_from_bytes=int.from_bytes, n_pack_f64=struct.Struct("<d").pack,
                 n_unpack_f64=struct.Struct("<d").unpack, n_pack_u64=struct.Struct("<Q").pack,
                 n_sqrt=math.sqrt, n_copysign=math.copysign)
    names.update(n_musl_trig=musl_trig, n_fmod=math.fmod)  # (.known_libm)
    names.update(SCRATCH_VIEWS)
    return names
