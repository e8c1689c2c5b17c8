"""Trapping truncations that the code before them has already range-tested.

C's ``(int)x`` cannot trap in WebAssembly, so clang guards each ``i32.trunc_f64_s`` with
a test of its own that branches around the truncation when the value is out of range
or a NaN::

    block
      local.get 6        ;; (or local.tee 6 after computing it)
      f64.abs
      f64.const 0x1p+31
      f64.lt
      i32.eqz
      br_if 0
      local.get 6
      i32.trunc_f64_s
      ...

The truncation's translation (:func:`.numeric_inline._truncate`) tests the range again
before ``int(x)`` (``-2147483649.0 < x < 2147483648.0``, else the library call that
traps); after such a test of the same local, unchanged since, ``int(x)`` alone is
exact: ``|x| < 2**31`` (false for a NaN) puts the truncation in range. The same holds
for the ``f32`` operands and for the ``i64`` truncations with bounds up to ``2**63``.
"""

from __future__ import annotations

import math
import struct
from typing import TYPE_CHECKING, Any, Protocol

from ...syntax.instructions import Block, Instruction
from ...syntax.opcodes import BY_NAME, Op

if TYPE_CHECKING:
    class FunctionCompiler(Protocol):
        """What :func:`range_tested` reads of :class:`.codegen.FunctionCompiler`."""

        sequence: tuple[Instruction, ...]
        sequence_at: int
        local_prefix: str
else:
    FunctionCompiler = Any

__all__ = ["range_tested"]

_BOUNDS = {"i32.trunc_f64_s": 2.0 ** 31, "i32.trunc_f32_s": 2.0 ** 31,
           "i64.trunc_f64_s": 2.0 ** 63, "i64.trunc_f32_s": 2.0 ** 63}
"""Per signed truncation: the largest bound ``C`` for which ``|x| < C`` puts it in range."""
_TESTS = {  # operand type's (abs, const, lt), and how the constant's bits read
    t: (BY_NAME[f"{t}.abs"].key, BY_NAME[f"{t}.const"].key, BY_NAME[f"{t}.lt"].key,
        struct.Struct(bits), struct.Struct(value))
    for t, bits, value in (("f64", "<Q", "<d"), ("f32", "<I", "<f"))}
_EQZ = BY_NAME["i32.eqz"].key
_READS = (Op.LOCAL_GET, Op.LOCAL_TEE)
_WRITES = (Op.LOCAL_SET, Op.LOCAL_TEE)


def range_tested(c: FunctionCompiler, name: str, operand: str) -> bool:
    """Whether the truncation ``name`` being translated (at ``c.sequence_at`` of
    ``c.sequence``) truncates a local (``operand``, its text, as ``local.get`` right
    before it reads it) that the same straight-line sequence tested to be in its range
    (the module's docstring) with nothing assigning it since: then ``int(x)`` cannot
    leave the range and the translation needs no test of its own. Raises nothing."""
    bound = _BOUNDS.get(name)
    body, at = c.sequence, c.sequence_at
    if bound is None or at < 2 or at >= len(body) or body[at].opcode != _OPCODE[name]:
        return False
    get = body[at - 1]
    if get.opcode != Op.LOCAL_GET:
        return False
    local = get.immediates[0]
    if operand != f"{c.local_prefix}{local}":
        return False
    abs_op, const_op, lt_op, bits, value = _TESTS[name[-5:-2]]
    for j in range(at - 2, 4, -1):
        ins = body[j]
        if isinstance(ins, Block):
            return False  # (keep to straight-line code: no assignment hides in a body)
        op = ins.opcode
        if op in _WRITES and ins.immediates[0] == local:
            return False
        if op != Op.BR_IF:
            continue
        read, absolute, const, less, eqz = body[j - 5:j]
        if not (read.opcode in _READS and read.immediates[0] == local
                and absolute.opcode == abs_op and const.opcode == const_op
                and less.opcode == lt_op and eqz.opcode == _EQZ):
            return False
        limit = value.unpack(bits.pack(const.immediates[0]))[0]
        return not math.isnan(limit) and 0.0 < limit <= bound
    return False


_OPCODE = {name: BY_NAME[name].key for name in _BOUNDS}
"""The truncations' opcodes (the sequence's instruction must be the one translated)."""
