"""Unreduced chains of integer arithmetic (``Entry.raw`` in ``exec/compiler/stack.py``).

``add``/``sub``/``mul``/``and``/``or``/``xor``/``shl`` are exact modulo ``2**bits`` on
unreduced operands, so a chain of them is reduced once, where its value is used; every
other consumer must see the reduced value (a comparison of a sum that wrapped).
"""

from __future__ import annotations

import wasmem
from wasmem.exec.compiler.tier import CompiledModule


CHAINS = """
(module
  (func (export "dot") (param i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.mul (local.get 0) (local.get 1))
             (i32.add (i32.mul (local.get 2) (local.get 3)) (local.get 4))))
  (func (export "mixed") (param i64 i64) (result i64)
    (i64.xor (i64.shl (i64.sub (local.get 0) (local.get 1)) (i64.const 7))
             (i64.and (i64.mul (local.get 0) (local.get 1)) (i64.const 0xFFFF))))
  (func (export "compare") (param i32 i32) (result i32)
    ;; the sum wraps before the comparison: 0xFFFFFFFF + 2 is 1, not above 5
    (i32.gt_u (i32.add (i32.mul (local.get 0) (i32.const 1)) (local.get 1)) (i32.const 5))))
"""

_M32, _M64 = 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF


def test_unreduced_chain_is_reduced_once_where_it_is_used() -> None:
    """``a*b + (c*d + e)`` is one expression with one mask (``Entry.raw``); what
    consumes it (a comparison) reads the reduced value."""
    module = wasmem.Module(CHAINS)
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None and source.count("4294967295") == 1, source
    instance = wasmem.Instance(module, tier="compile")
    big = [0xFFFFFFFF, 0xFFFFFFF1, 0x80000001, 0x7FFFFFFF, 0xFFFFFFFE]
    a, b, c, d, e = big
    assert instance.exports["dot"](*big) & _M32 == (a * b + c * d + e) & _M32
    x, y = 0x8000000000000001, 0xFFFFFFFFFFFFFFF0
    expected = ((((x - y) << 7) & _M64) ^ ((x * y) & 0xFFFF)) & _M64
    assert instance.exports["mixed"](x - (1 << 64), y - (1 << 64)) & _M64 == expected
    assert instance.exports["compare"](0xFFFFFFFF - (1 << 32), 2) == 0
    assert instance.exports["compare"](3, 3) == 1
