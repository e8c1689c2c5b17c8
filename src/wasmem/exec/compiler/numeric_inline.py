"""Inline forms of numeric operators that the templates of :mod:`.ops` leave as library calls.

Each emitter here has the signature of :mod:`.emit_numeric`'s special emitters: it looks at
the operands on the stack of the :class:`~.codegen.FunctionCompiler` ``c``, and either
pushes the result entry (returning True) or leaves the stack alone (returning False, and
the generic template, a call into :mod:`wasmem.exec.numeric`, is used).  Every inline
form computes exactly what the library function it replaces computes, bit for bit:

* constant operands: the library function runs at translation time and its result is
  the literal (unless it traps: then the call stays, to trap at run time);
* ``f32/f64.abs`` and ``.neg`` as Python's ``abs(x)`` and ``-x``, which only clear or
  flip the sign bit (NaN payloads, signalling NaNs included, unchanged) on the platforms
  where :data:`SIGN_OPS_EXACT` finds so at import; elsewhere the calls stay;
* ``i64.reinterpret_f64`` / ``f64.reinterpret_i64`` as a store into and a load from two
  views of one 8-byte scratch buffer, on one line (``n_SD[0] = x; s0 = n_SQ[0]``: two
  subscripts instead of two calls, about half the time), where :data:`SCRATCH_EXACT`
  holds; else as one ``struct`` pack and one conversion (the 8 bytes copied as they are);
* the trapping truncations as ``int(x)`` inside the exact range test of the library
  function, which the expression calls (and which traps) only outside the range;
* ``f64.div`` by a non-zero operand as Python's ``/`` and ``f64.sqrt`` of a non-negative
  operand as :func:`math.sqrt` (both correctly rounded IEEE operations);
* ``div_u``/``rem_u`` by a non-zero constant: no zero test (a shift or mask for a power
  of two);
* the saturating truncations as ``int(x)`` inside the same range tests (the call, which
  clamps, outside them);
* ``nearest`` as the library's own sums (see ``_NEAREST``), inline;
* ``floor``/``ceil``/``trunc`` of a finite operand (``x - x == 0.0``) as Python's float
  floor division by 1.0 (``x // 1.0``: exact, and a zero result takes the sign of ``x``,
  as the spec's does; ``ceil(x)`` is ``-(-x // 1.0)``), ``min``/``max`` of operands that
  compare unequal as the smaller/larger one, ``copysign`` of non-NaN operands as
  :func:`math.copysign` (the library function's own fast path); an infinite, NaN or
  equal operand (``min(-0.0, 0.0)``) takes the library call;
* ``eqz`` as ``not``;
* integer to float conversions and ``i64.extend_i32_s`` of values known to be
  non-negative (:mod:`.ranges`): ``float(x)`` and ``x``.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ...errors import Trap
from ..numeric import NUMERIC_OPS
from ..numeric.bits import f64_to_bits
from .numeric_bindings import SCRATCH_VIEWS, numeric_name
from .context import ModuleContext
from .stack import Entry, SymbolicStack, refs_of
from .tested_truncs import range_tested


if TYPE_CHECKING:  # (a Protocol class costs 0.1 ms to create at import; only the type
    # checker needs it)
    from ...syntax.instructions import Instruction

    class FunctionCompiler(Protocol):
        """What these emitters use of :class:`.codegen.FunctionCompiler` (named here by its
        parts, so that this module does not import the driver)."""

        stack: SymbolicStack
        ctx: ModuleContext
        sequence: tuple[Instruction, ...]  # (with sequence_at, local_prefix: .tested_truncs)
        sequence_at: int
        local_prefix: str

        def push_const(self, value: int | float, text: str | None = None) -> None: ...

        def assign_result(self, expr: str, count: int = 1, head: str = "") -> None: ...
else:
    FunctionCompiler = Any

__all__ = ["INLINE_SPECIAL", "SCRATCH_EXACT", "SIGN_OPS_EXACT", "TRUNC_RANGES", "fold_constants"]


def _sign_ops_exact() -> bool:
    """Whether ``-x`` and ``abs(x)`` touch only the sign bit of NaNs here (they do on
    x86-64 and AArch64, where they are an xor/and of the sign bit)."""
    pack, unpack = struct.Struct("<Q").pack, struct.Struct("<d").unpack
    to_bits = struct.Struct("<d").pack
    for bits in (0x7FF0_0000_0000_0001, 0xFFF4_0000_DEAD_BEEF, 0x7FF8_0000_0000_0001,
                 0xFFFF_FFFF_FFFF_FFFF):
        x = unpack(pack(bits))[0]
        if (struct.unpack("<Q", to_bits(-x))[0] != bits ^ (1 << 63)
                or struct.unpack("<Q", to_bits(abs(x)))[0] != bits & ~(1 << 63)):
            return False
    return True


SIGN_OPS_EXACT = _sign_ops_exact()
"""``-x`` and ``abs(x)`` are bit-exact sign operations on this platform."""


def _scratch_exact() -> bool:
    """Whether the scratch views may carry reinterpretations: a Python with a global
    interpreter lock (the store and the load back, two subscripts of C-implemented
    memoryviews on one line, then run with no thread switch, signal handler or line
    trace between them: CPython checks for those only at calls, backward jumps and
    new lines), and views that keep every bit pattern, signalling NaNs included."""
    free_threaded = ("t" in getattr(sys, "abiflags", "") or "free-threading" in sys.version
                     or not getattr(sys, "_is_gil_enabled", lambda: True)())
    if free_threaded or sys.implementation.name != "cpython":
        return False
    as_f64, as_u64 = SCRATCH_VIEWS["n_SD"], SCRATCH_VIEWS["n_SQ"]
    unpack = struct.Struct("<d").unpack
    for bits in (0x7FF0_0000_0000_0001, 0xFFF4_0000_DEAD_BEEF, 0x7FF8_0000_0000_0001,
                 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 1):
        as_u64[0] = bits
        x = as_f64[0]
        if struct.pack("<d", x) != struct.pack("<Q", bits):
            return False
        as_f64[0] = unpack(struct.pack("<Q", bits))[0]
        if as_u64[0] != bits:
            return False
    return True


SCRATCH_EXACT = _scratch_exact()
"""Reinterpretations go through the scratch views (:data:`.numeric_bindings.SCRATCH_VIEWS`)."""

TRUNC_RANGES: dict[str, tuple[str, str, str]] = {
    # name: (lower test, upper bound (exclusive), mask or "")
    **{f"i32.trunc_{f}_s": ("-2147483649.0 <", "2147483648.0", " & 0xFFFFFFFF")
       for f in ("f32", "f64")},
    **{f"i32.trunc_{f}_u": ("-1.0 <", "4294967296.0", "") for f in ("f32", "f64")},
    **{f"i64.trunc_{f}_s": ("-9223372036854775808.0 <=", "9223372036854775808.0",
                            " & 0xFFFFFFFFFFFFFFFF") for f in ("f32", "f64")},
    **{f"i64.trunc_{f}_u": ("-1.0 <", "18446744073709551616.0", "") for f in ("f32", "f64")},
}
"""Per trapping truncation, the range test (on the real value) within which ``int(x)``
(masked to the width) is its result; outside it the library function traps."""

_FLOAT_RESULT = {name for name in NUMERIC_OPS if name.startswith(("f32.", "f64."))
                 and not name.endswith(("eq", "ne", "lt", "gt", "le", "ge"))}


def fold_constants(c: FunctionCompiler, name: str, operands: list[Entry]) -> bool:
    """Push the result of ``name`` on constant ``operands`` (the top of the stack,
    replaced by it) computed now by the library function; False (stack
    unchanged) when an operand is not a constant or the operation traps on them."""
    function = NUMERIC_OPS.get(name)
    values = [int(e.const) if isinstance(e.const, bool) else e.const for e in operands]
    if function is None or any(v is None for v in values):
        return False
    try:
        value = function(*values)
    except Trap:
        return False  # trap at run time, where the instruction is
    c.stack.pop_n(len(operands))
    if name in _FLOAT_RESULT:
        c.push_const(float(value), c.ctx.float_literal(float(value), f64_to_bits(value)))
    else:
        c.push_const(int(value))
    return True


def _unary(c: FunctionCompiler, expr: str, x: Entry, impure: bool = False,
           lo: int | None = None, hi: int | None = None) -> bool:
    c.stack.pop_n(1)
    c.stack.push(Entry(expr, x.refs, impure or x.impure, None, False, x.depth + 1,
                       lo=lo, hi=hi))
    return True


def _binary(stack: SymbolicStack, expr: str, a: Entry, b: Entry) -> bool:
    """Replace the two operands ``a``, ``b`` on top of ``stack`` by the float ``expr``."""
    stack.pop_n(2)
    stack.push(Entry(expr, refs_of(a, b), a.impure or b.impure, None, False,
                     1 + max(a.depth, b.depth)))
    return True


def _sign(c: FunctionCompiler, name: str) -> bool:
    """``abs``/``neg``: Python's operators, exact on the sign bit (see above)."""
    x = c.stack.items[-1]
    if x.const is not None:
        return fold_constants(c, name, [x])
    if not SIGN_OPS_EXACT:
        return False
    return _unary(c, f"abs({x.expr})" if name.endswith("abs") else f"(-{x.expr})", x)


def _reinterpret(c: FunctionCompiler, name: str) -> bool:
    """``i64.reinterpret_f64`` and ``f64.reinterpret_i64``: the 8 bytes as they are."""
    x = c.stack.items[-1]
    if x.const is not None:
        return fold_constants(c, name, [x])
    to_int = name == "i64.reinterpret_f64"
    if SCRATCH_EXACT:
        c.stack.pop_n(1)
        c.stack.flush_impure()  # (x itself is evaluated on the result's line)
        store, load = ("n_SD", "n_SQ") if to_int else ("n_SQ", "n_SD")
        c.assign_result(f"{load}[0]", head=f"{store}[0] = {x.expr}; ")
        if to_int:
            result = c.stack.items[-1]
            result.lo, result.hi = 0, (1 << 64) - 1
        return True
    if to_int:
        return _unary(c, f"n_int_from_bytes(n_pack_f64({x.expr}), 'little')", x,
                      lo=0, hi=(1 << 64) - 1)
    return _unary(c, f"n_unpack_f64(n_pack_u64({x.expr}))[0]", x)


def _truncate(c: FunctionCompiler, name: str) -> bool:
    """Trapping ``trunc``: ``int(x)`` in range, else the library call, which traps."""
    x = c.stack.items[-1]
    if x.const is not None and fold_constants(c, name, [x]):
        return True
    x = c.stack.make_simple(len(c.stack.items) - 1)
    low, high, mask = TRUNC_RANGES[name]
    bits = 32 if name.startswith("i32") else 64
    if range_tested(c, name, x.expr):  # (clang's own test just before: .tested_truncs)
        return _unary(c, f"(int({x.expr}){mask})", x, lo=0, hi=(1 << bits) - 1)
    expr = (f"(int({x.expr}){mask} if {low} {x.expr} < {high} else "
            f"{numeric_name(name)}({x.expr}))")
    return _unary(c, expr, x, impure=True, lo=0, hi=(1 << bits) - 1)


def _saturate(c: FunctionCompiler, name: str) -> bool:
    """Saturating ``trunc_sat``: ``int(x)`` in range, else the library call (which
    clamps, and gives 0 for a NaN); the range tests are the trapping forms' (and the
    library's)."""
    x = c.stack.items[-1]
    if x.const is not None:
        return fold_constants(c, name, [x])
    x = c.stack.make_simple(len(c.stack.items) - 1)
    low, high, mask = TRUNC_RANGES[name.replace("_sat", "")]
    expr = (f"(int({x.expr}){mask} if {low} {x.expr} < {high} else "
            f"{numeric_name(name)}({x.expr}))")
    bits = 32 if name.startswith("i32") else 64
    return _unary(c, expr, x, lo=0, hi=(1 << bits) - 1)


_INTEGRAL_FORMS = {"floor": "{0} // 1.0", "ceil": "-(-{0} // 1.0)",
                   "trunc": "({0} // 1.0 if {0} >= 0.0 else -(-{0} // 1.0))"}
"""``floor``/``ceil``/``trunc`` of a finite double ``{0}``: CPython's float floor division
by 1.0 is ``x - fmod(x, 1.0)``, less 1.0 for a negative non-integer (exact: the integral
part of a double is a double), and its zero result has the sign of ``x`` (``-0.0 // 1.0``
and ``-(0.5 // 1.0)`` are -0.0), which is the spec's result for each (a result rounded to
zero keeps the operand's sign)."""


_NEAREST = ("({0} + 4503599627370496.0 - 4503599627370496.0 if 0.0 < {0} < 4503599627370496.0"
            " else ({0} - 4503599627370496.0 + 4503599627370496.0 or -0.0)"
            " if -4503599627370496.0 < {0} < 0.0 else {1})")
"""``nearest`` of ``{0}`` (the library call ``{1}`` for zeros, magnitudes of 2**52 and
above, infinities and NaNs): the library function's own sums, adding and taking away
2**52 rounds to an integer, ties to even; a negative operand rounded to zero is -0.0."""


def _integral(c: FunctionCompiler, name: str) -> bool:
    """``floor``/``ceil``/``trunc`` (f32 and f64: the f32 operand is a double whose
    integral part is an f32 too): :data:`_INTEGRAL_FORMS` for a finite operand, else the
    library call (infinities stay, NaNs are quieted); ``nearest``: :data:`_NEAREST`."""
    x = c.stack.items[-1]
    if x.const is not None:
        return fold_constants(c, name, [x])
    x = c.stack.make_simple(len(c.stack.items) - 1)
    v, call = x.expr, f"{numeric_name(name)}({x.expr})"
    if name.endswith("nearest"):
        return _unary(c, _NEAREST.format(v, call), x)
    fast = _INTEGRAL_FORMS[name.split(".")[1]].format(v)
    return _unary(c, f"({fast} if {v} - {v} == 0.0 else {call})", x)


_BINARY_FORMS = {"min": "({0} if {0} < {1} else {1} if {1} < {0} else {2}({0}, {1}))",
                 "max": "({0} if {0} > {1} else {1} if {1} > {0} else {2}({0}, {1}))",
                 "copysign": "(n_copysign({0}, {1}) if {0} == {0} and {1} == {1} else "
                             "{2}({0}, {1}))"}
"""``min``/``max``: the smaller/larger operand when they compare unequal (equal operands,
``-0.0`` and ``0.0``, and NaNs take the call ``{2}``); ``copysign`` of two non-NaN
operands: :func:`math.copysign`, as the library function computes it (a NaN operand takes
the call, which copies its bits)."""


def _min_max_copysign(c: FunctionCompiler, name: str) -> bool:
    """``min``/``max``/``copysign`` (f32 and f64) as :data:`_BINARY_FORMS`."""
    stack = c.stack
    a, b = stack.items[-2], stack.items[-1]
    if a.const is not None and b.const is not None:
        return fold_constants(c, name, [a, b])
    a = stack.make_simple(len(stack.items) - 2)
    b = stack.make_simple(len(stack.items) - 1)
    form = _BINARY_FORMS[name.split(".")[1]]
    known = [isinstance(e.const, float) and e.const == e.const for e in (a, b)]
    if name.endswith("copysign") and any(known):
        # (one operand is a constant, not a NaN: only the other is tested)
        form = form.replace("{0} == {0} and {1} == {1}", "{1} == {1}" if known[0] else "{0} == {0}")
    return _binary(stack, form.format(a.expr, b.expr, numeric_name(name)), a, b)


def _divide_f64(c: FunctionCompiler, name: str) -> bool:
    """``f64.div``: ``a / b`` when ``b`` is not zero, else the library call."""
    stack = c.stack
    a, b = stack.items[-2], stack.items[-1]
    if a.const is not None and b.const is not None:
        return fold_constants(c, name, [a, b])
    if isinstance(b.const, float) and b.const:
        expr = f"({a.expr} / {b.expr})"
    else:
        a = stack.make_simple(len(stack.items) - 2)
        b = stack.make_simple(len(stack.items) - 1)
        expr = f"({a.expr} / {b.expr} if {b.expr} else {numeric_name(name)}({a.expr}, {b.expr}))"
    return _binary(stack, expr, a, b)


def _sqrt_f64(c: FunctionCompiler, name: str) -> bool:
    """``f64.sqrt``: :func:`math.sqrt` of a non-negative operand, else the library call."""
    x = c.stack.items[-1]
    if x.const is not None:
        return fold_constants(c, name, [x])
    x = c.stack.make_simple(len(c.stack.items) - 1)
    return _unary(c, f"(n_sqrt({x.expr}) if {x.expr} >= 0.0 else "
                     f"{numeric_name(name)}({x.expr}))", x)


def _divide_unsigned(c: FunctionCompiler, name: str) -> bool:
    """``div_u``/``rem_u`` by a non-zero constant: cannot trap, so no zero test."""
    a, b = c.stack.items[-2], c.stack.items[-1]
    k = b.const
    if a.const is not None and k is not None:
        return fold_constants(c, name, [a, b])
    if not isinstance(k, int) or isinstance(k, bool) or k <= 0:
        return False
    bits = 32 if name.startswith("i32") else 64
    a_hi = (1 << bits) - 1 if a.hi is None else a.hi
    power = k & (k - 1) == 0
    if name.endswith("div_u"):
        shift = k.bit_length() - 1
        expr = (f"({a.expr} >> {shift})" if power and shift else a.expr if k == 1
                else f"({a.expr} // {k})")
        lo, hi = ((a.lo or 0) // k), a_hi // k
    else:
        expr = f"({a.expr} & {k - 1})" if power else f"({a.expr} % {k})"
        lo, hi = 0, min(a_hi, k - 1)
    c.stack.pop_n(2)
    c.stack.push(Entry(expr, a.refs, a.impure, None, False, a.depth + 1, lo=lo, hi=hi))
    return True


def _convert(c: FunctionCompiler, name: str) -> bool:
    """Integer to float: ``float(x)`` when ``x`` is known to be non-negative as a signed
    value and (for an f32 result) below 2**24, where the conversion is exact; CPython's
    int-to-float conversion is correctly rounded, so ``f64.convert_i64`` needs no call."""
    x = c.stack.items[-1]
    if x.const is not None:
        return fold_constants(c, name, [x])
    hi = x.hi
    if name.startswith("f32"):
        if hi is None or hi >= 1 << 24:
            return False
        return _unary(c, f"float({x.expr})", x)
    if name == "f64.convert_i64_u" or (hi is not None and hi < 1 << (31 if "i32" in name
                                                                      else 63)):
        return _unary(c, f"float({x.expr})", x)
    if name == "f64.convert_i64_s":
        sign = 0x8000_0000_0000_0000
        return _unary(c, f"float(({x.expr} ^ {sign}) - {sign})", x)
    return False


def _extend_signed(c: FunctionCompiler, name: str) -> bool:
    """``i64.extend_i32_s`` of a value known below 2**31 is the value itself (without
    its ``raw`` form, which is only congruent modulo 2**32)."""
    x = c.stack.items[-1]
    if x.const is not None or x.hi is None or x.hi >= 1 << 31:
        return False
    c.stack.pop_n(1)
    entry = Entry(x.expr, x.refs, x.impure, None, x.boolean, x.depth, lo=x.lo, hi=x.hi)
    entry.align = x.align
    c.stack.push(entry)
    return True


def _eqz(c: FunctionCompiler, name: str) -> bool:
    """``eqz`` is ``not x`` (exact for every integer): one operation less than ``== 0``,
    and a branch on it tests ``x`` itself (or the comparison ``x`` is)."""
    x = c.stack.items[-1]
    if x.const is not None:
        return False
    c.stack.pop_n(1)
    entry = Entry(f"(not {x.expr})", x.refs, x.impure, None, True, x.depth + 1)
    entry.compare = (name, x, x)  # as emit_numeric records comparisons
    c.stack.push(entry)
    return True


INLINE_SPECIAL: dict[str, Callable[[FunctionCompiler, str], bool]] = {
    **{f"{t}.{op}": _sign for t in ("f32", "f64") for op in ("abs", "neg")},
    "i64.reinterpret_f64": _reinterpret, "f64.reinterpret_i64": _reinterpret,
    **{name: _truncate for name in TRUNC_RANGES},
    **{name.replace("trunc", "trunc_sat"): _saturate for name in TRUNC_RANGES},
    **{f"{t}.{op}": _integral for t in ("f32", "f64") for op in (*_INTEGRAL_FORMS, "nearest")},
    **{f"{t}.{op}": _min_max_copysign for t in ("f32", "f64") for op in _BINARY_FORMS},
    "f64.div": _divide_f64, "f64.sqrt": _sqrt_f64,
    **{f"{t}.{op}": _divide_unsigned for t in ("i32", "i64") for op in ("div_u", "rem_u")},
    **{f"{f}.convert_{t}_{s}": _convert for f in ("f32", "f64") for t in ("i32", "i64")
       for s in ("s", "u")},
    "i64.extend_i32_s": _extend_signed, "i32.eqz": _eqz, "i64.eqz": _eqz,
}
"""Special emitters of this module by operator name (merged into emit_numeric's)."""
