"""Emitters of numeric instructions: constants and the operators of :mod:`.ops`.

An operator's expression comes from its template in :data:`.ops.TEMPLATES`, folded into
its consumer; some operators have a specialised emitter that uses what is known of the
operands' ranges (see :mod:`.ranges`) to drop wrap-around masks and sign fix-ups.
Each function takes the :class:`~.codegen.FunctionCompiler` as its first argument ``c``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...syntax.instructions import Instruction
from ...syntax.opcodes import BY_NAME, OPCODES
from ..numeric.bits import f32_from_bits, f64_from_bits
from .f32_scratch import F32_SPECIAL
from .numeric_inline import INLINE_SPECIAL, fold_constants
from .signed_loads import SIGNED_SPECIAL
from .ops import TEMPLATES, OpTemplate
from .ranges import bounds, width_of
from .stack import INT_CONSTANTS, MAX_EXPR_DEPTH, Entry, int_constant, refs_of

if TYPE_CHECKING:
    from .codegen import FunctionCompiler

__all__ = ["HANDLERS"]

Handler = Callable[["FunctionCompiler", Instruction], None]


def op_numeric(c: FunctionCompiler, ins: Instruction) -> None:
    name, special, template, arity, foldable, ranged = _NUMERIC[ins.opcode]
    stack = c.stack
    items = stack.items
    if (items[-1].const is not None and (arity == 1 or items[-2].const is not None)
            and fold_constants(c, name, items[-arity:])):
        return
    if special is not None and special(c, name):
        return
    for i in template.simple:
        stack.make_simple(len(items) - arity + i)
    if arity == 2:
        a, b = items[-2], items[-1]
        del items[-2:]
        operands = [a, b]
        expr = template.template.format(a.expr, b.expr)
        consts = isinstance(a.const, int) and isinstance(b.const, int)
        depth = 1 + (a.depth if a.depth > b.depth else b.depth)
        impure = template.traps or a.impure or b.impure
        refs = a.refs | b.refs if a.refs and b.refs else a.refs or b.refs
    else:
        a = items.pop()
        operands = [a]
        expr = template.template.format(a.expr)
        consts = isinstance(a.const, int)
        depth = 1 + a.depth
        impure = template.traps or a.impure
        refs = a.refs
    if consts and foldable:
        value = eval(expr, {"__builtins__": {"float": float}})
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, int):
            c.push_const(value)
            return
    raw = None
    symbol = _RAW_OPS.get(name)
    if symbol is not None:
        raw, expr = _raw_chain(name, symbol, a, operands[-1], expr)
    entry = Entry(expr, refs, impure, None, template.boolean, depth)
    entry.raw = raw
    if ranged == _COMPARE:
        entry.compare = (name, operands[0], operands[-1])  # as _result_range does
    elif ranged:
        _result_range(name, entry, operands)
        if arity == 2 and name.endswith(".and"):
            _mask_index(entry, a, operands[-1])
    items.append(entry)  # stack.push, inline
    if template.traps:
        c.sites.deferred(entry)  # its own place, for backtraces
    if depth > MAX_EXPR_DEPTH:
        stack.materialize(len(items) - 1)


_RAW_OPS = {f"{t}.{op}": symbol for t in ("i32", "i64")
            for op, symbol in (("mul", "*"), ("and", "&"), ("or", "|"), ("xor", "^"))}
"""Operators whose unreduced result may feed another (see ``Entry.raw``)."""


def _raw_chain(name: str, symbol: str, a: Entry, b: Entry,
               expr: str) -> tuple[str | None, str]:
    """``(raw or None, exact)`` expressions of ``a <symbol> b`` (``expr``: the
    template's); raw is None when the exact expression reduces nothing.

    ``mul`` multiplies exact operands (so unreduced values grow by at most one word per
    product); the bitwise operators take unreduced operands, and reduce only if one was
    (``x & c`` with an exact ``c`` needs no reduction: it is within ``c``).
    """
    if symbol == "*":
        return f"({a.expr} * {b.expr})", expr
    if a.raw is None and b.raw is None:
        return None, expr  # exact operands: the bitwise result is exact
    raw = f"({a.raw or a.expr} {symbol} {b.raw or b.expr})"
    if symbol == "&" and (a.raw is None or b.raw is None):
        return None, raw  # within the exact operand, which is in range
    return raw, f"({raw} & {_MASKS[name[:3]]})"


_MASKS = {"i32": "0xFFFFFFFF", "i64": "0xFFFFFFFFFFFFFFFF"}


def _mask_index(entry: Entry, a: Entry, b: Entry) -> None:
    """``(x >> j) & m`` with ``m = n << k`` (``1 <= k <= 3``) is ``((x >> (j + k)) & n)
    << k``: record that as ``entry.scaled``, so that an aligned access of size ``2**k``
    at it (a table lookup: ``T[(x >> 14) & 1020]``) indexes its typed view with
    ``(x >> (j + k)) & n``, without the shift back."""
    if isinstance(b.const, int):
        value, m = a, b.const
    elif isinstance(a.const, int):
        value, m = b, a.const
    else:
        return
    if value.shifted is None or m <= 0:
        return
    k = (m & -m).bit_length() - 1
    if 1 <= k <= 3:
        x, j = value.shifted
        n = m >> k
        whole = value.hi is not None and value.hi >> k <= n and not n & (n + 1)
        entry.scaled = (f"({x} >> {j + k})", k, None if whole else n)


def op_i32_const(c: FunctionCompiler, ins: Instruction) -> None:
    value = ins.immediates[0]
    entry = INT_CONSTANTS.get(value)  # (int_constant, inline: shared, never changed)
    c.stack.items.append(int_constant(value) if entry is None else entry)  # never too deep


op_i64_const = op_i32_const


def op_f32_const(c: FunctionCompiler, ins: Instruction) -> None:
    bits = ins.immediates[0]
    value = f32_from_bits(bits)
    c.push_const(value, c.ctx.float_literal(value, bits))


def op_f64_const(c: FunctionCompiler, ins: Instruction) -> None:
    bits = ins.immediates[0]
    value = f64_from_bits(bits)
    c.push_const(value, c.ctx.float_literal(value, bits))


def _wrapping(c: FunctionCompiler, name: str) -> bool:
    """``add``/``sub`` without the cost of ``& mask``: compare and correct instead.

    ``x + k if x < MOD - k else x + k - MOD`` (constant ``k``, variable ``x``) or, for two
    expressions, ``_w if (_w := a + b) < MOD else _w - MOD``; both about twice as fast
    as masking in CPython. ``_w`` is only read inside the expression that assigns it.
    An operand that is itself an unreduced chain (``Entry.raw``) extends the chain,
    reduced once with ``& mask``.
    """
    a, b = c.stack.items[-2], c.stack.items[-1]
    if isinstance(a.const, int) and isinstance(b.const, int):
        return False  # folded by the generic path
    modulus = 1 << 32 if name.startswith("i32") else 1 << 64
    add = name.endswith("add")
    if add and isinstance(a.const, int):
        a, b = b, a  # commutative: constant second
    raw = f"({a.raw or a.expr} {'+' if add else '-'} {b.raw or b.expr})"
    # bounds(a, bits) and bounds(b, bits), inline: this is a hot path
    a_lo = 0 if a.lo is None else a.lo
    a_hi = modulus - 1 if a.hi is None else a.hi
    b_lo = 0 if b.lo is None else b.lo
    b_hi = modulus - 1 if b.hi is None else b.hi
    lo = hi = None
    if add and a_hi + b_hi < modulus:
        expr = f"({a.expr} + {b.expr})"
        lo, hi = a_lo + b_lo, a_hi + b_hi
    elif not add and a_lo >= b_hi:
        expr = f"({a.expr} - {b.expr})"
        lo, hi = a_lo - b_hi, a_hi - b_lo
    elif isinstance(b.const, int) and (modulus - b.const <= a_lo if add
                                       else a_hi + modulus - b.const < modulus):
        # a negative constant (``n - 1`` as ``n + 0xFFFFFFFF``) that cannot wrap
        d = modulus - b.const
        expr = f"({a.expr} - {d})" if add else f"({a.expr} + {d})"
        lo, hi = (a_lo - d, a_hi - d) if add else (a_lo + d, a_hi + d)
    elif a.raw is not None or b.raw is not None:
        expr = f"({raw} & {modulus - 1})"
    elif isinstance(b.const, int) and not a.depth and 0 < b.const < (1 << 31):
        k, x = b.const, a.expr
        if add:
            expr = f"({x} + {k} if {x} < {modulus - k} else {x} - {modulus - k})"
        else:
            expr = f"({x} - {k} if {x} >= {k} else {x} + {modulus - k})"
    elif isinstance(b.const, int) and not a.depth and 0 < modulus - b.const < (1 << 31):
        # a small negative constant: adding it subtracts d, subtracting it adds d
        k, d, x = b.const, modulus - b.const, a.expr
        if add:
            expr = f"({x} - {d} if {x} >= {d} else {x} + {k})"
        else:
            expr = f"({x} + {d} if {x} < {k} else {x} - {k})"
    elif add:
        expr = f"(_w if (_w := {a.expr} + {b.expr}) < {modulus} else _w - {modulus})"
    else:
        expr = f"(_w if (_w := {a.expr} - {b.expr}) >= 0 else _w + {modulus})"
    c.stack.pop_n(2)
    entry = Entry(expr, refs_of(a, b), a.impure or b.impure, None, False,
                  1 + max(a.depth, b.depth), lo, hi)
    entry.raw = raw
    if add and (a.scaled is not None or b.scaled is not None):
        entry.scaled = _scaled_sum(a, b, lo is not None, modulus)
    c.push_aligned(entry, min(a.align, b.align))
    return True


def _scaled_sum(a: Entry, b: Entry, exact: bool, modulus: int
                ) -> tuple[str, int, int | None] | None:
    """The ``scaled`` form of ``a + b`` when one operand is ``scaled`` (``x << k``) and
    the other a multiple of ``2**k``: a constant ``c`` (index ``x + (c >> k)``) or a
    variable ``v`` (index ``(v >> k) + x``), reduced modulo ``modulus >> k`` unless the
    sum is exact: ``(v + (x << k)) mod 2**n`` is ``2**k * (((v >> k) + x) mod
    2**(n-k))`` for ``v`` a multiple of ``2**k``, and that reduction also covers ``x``'s
    own mask. None when neither holds."""
    for scaled_one, other in ((a, b), (b, a)):
        scaled = scaled_one.scaled
        if scaled is None:
            continue
        base, k, mask = scaled
        index = base if mask is None else f"({base} & {mask})"
        if isinstance(other.const, int):
            if other.const >= 0 and not other.const & ((1 << k) - 1):
                if exact:
                    return (f"({index} + {other.const >> k})", k, None)
                return (f"({base} + {other.const >> k})", k, (modulus - 1) >> k)
        elif other.simple and other.align >= 1 << k:
            if exact:
                return (f"(({other.expr} >> {k}) + {index})", k, None)
            return (f"(({other.expr} >> {k}) + {base})", k, (modulus - 1) >> k)
    return None


def _shift(c: FunctionCompiler, name: str) -> bool:
    """Shifts and rotations by a constant count: the count is masked at compile time.

    ``_w`` (see :func:`_wrapping`) is read right after the assignment that names it, with
    only constants between, so nested rotations cannot disturb each other. An ``i32``
    rotation multiplies by ``2**32 + 1`` instead (about 10% faster in CPython 3.11 than
    the two shifts, mask and or; for ``i64`` the 128-bit product costs as much)."""
    count = c.stack.items[-1]
    if not isinstance(count.const, int) or isinstance(c.stack.items[-2].const, int):
        return False
    bits = 32 if name.startswith("i32") else 64
    mask = (1 << bits) - 1
    sign = 1 << (bits - 1)
    k = count.const & (bits - 1)
    value = c.stack.items[-2]
    x = value.expr
    op = name.split(".")[1]
    lo = hi = None
    raw = None
    v_lo, v_hi = bounds(value, bits)
    if k == 0:
        expr = x
        lo, hi = value.lo, value.hi
    elif op == "shl" and v_hi << k <= mask:
        expr = f"({x} << {k})"
        lo, hi = v_lo << k, v_hi << k
    elif op == "shl":
        expr = f"(({x} << {k}) & {mask})"
        raw = f"({x} << {k})"
    elif op == "shr_u":
        lo, hi = v_lo >> k, v_hi >> k
        if value.shifted is not None:  # (y >> j) >> k is y >> (j + k)
            x, k = value.shifted[0], value.shifted[1] + k
        expr = f"({x} >> {k})"
    elif op == "shr_s" and v_hi < sign:  # not negative: the logical shift
        expr = f"({x} >> {k})"
        lo, hi = v_lo >> k, v_hi >> k
    elif op == "shr_s":
        raw = f"((({x} ^ {sign}) - {sign}) >> {k})"  # the signed result: congruent
        expr = f"({raw} & {mask})"
    elif bits == 32:
        # x * (2**32 + 1) is x's bits twice over (x < 2**32): one shift takes the rotation,
        # and x is read once (no ``_w``); the unmasked form is ``raw`` (see Entry.raw)
        right = k if op == "rotr" else bits - k
        raw = f"(({x} * 4294967297) >> {right})"
        expr = f"({raw} & {mask})"
        lo, hi = 0, mask
    elif value.simple:
        left = k if op == "rotl" else bits - k
        expr = f"((({x} << {left}) & {mask}) | ({x} >> {bits - left}))"
    else:  # a rotation of an expression: named by ``_w`` for its second use
        left = k if op == "rotl" else bits - k
        expr = f"((((_w := {x}) << {left}) & {mask}) | (_w >> {bits - left}))"
    align = value.align << k if op == "shl" else (value.align if k == 0 else 1)
    c.stack.pop_n(2)
    entry = Entry(expr, value.refs, value.impure, None, False, value.depth + 1, lo, hi)
    entry.raw = raw
    if op == "shl" and k:
        entry.scaled = (x, k, None if v_hi << k <= mask else mask >> k)
    elif op == "shr_u" and k:
        entry.shifted = (x, k)
    c.push_aligned(entry, align)
    return True


def _multiply(c: FunctionCompiler, name: str) -> bool:
    """``mul`` whose product provably fits needs no mask."""
    bits = width_of(name)
    a, b = c.stack.items[-2], c.stack.items[-1]
    if isinstance(a.const, int) and isinstance(b.const, int):
        return False
    a_lo, a_hi = bounds(a, bits)
    b_lo, b_hi = bounds(b, bits)
    if a_hi * b_hi >= 1 << bits:
        return False
    c.stack.pop_n(2)
    c.push_aligned(Entry(f"({a.expr} * {b.expr})", refs_of(a, b), a.impure or b.impure, None,
                         False, 1 + max(a.depth, b.depth), lo=a_lo * b_lo, hi=a_hi * b_hi),
                   a.align * b.align)
    return True


def _wrap(c: FunctionCompiler, name: str) -> bool:
    """``i32.wrap_i64`` of a value that already fits is the value itself; otherwise the
    i64 expression is the raw form of the result (see ``Entry.raw``: it is congruent
    modulo 2**32), so ``wrap`` then ``and``/``or``/``add``... reduces once."""
    value = c.stack.items[-1]
    if value.hi is None or value.hi > 0xFFFFFFFF:
        if value.const is not None:
            return False  # folded by the generic path
        c.stack.pop_n(1)
        entry = Entry(f"({value.expr} & 0xFFFFFFFF)", value.refs, value.impure, None, False,
                      value.depth + 1, lo=0, hi=0xFFFFFFFF)
        entry.raw = value.raw or value.expr
        c.push_aligned(entry, value.align)
        return True
    return True  # leave the entry on the stack unchanged


_INT_COMPARISONS = {f"{t}.{op}" for t in ("i32", "i64")
                    for op in ("eqz", "eq", "ne", "lt_u", "gt_u", "le_u", "ge_u",
                               "lt_s", "gt_s", "le_s", "ge_s")}


def _result_range(name: str, entry: Entry, operands: list[Entry]) -> None:
    """Set the bounds (and comparison record) of a generic numeric result."""
    if name in _INT_COMPARISONS:
        entry.compare = (name, operands[0], operands[-1])
        return
    if not name.startswith(("i32.", "i64.")):
        return
    bits = width_of(name)
    op = name.split(".", 1)[1]
    top = (1 << bits) - 1
    if op == "and":
        entry.lo, entry.hi = 0, min(bounds(operands[0], bits)[1], bounds(operands[1], bits)[1])
        entry.align = max(operands[0].align, operands[1].align)
    elif op == "mul":
        entry.align = operands[0].align * operands[1].align
    elif op in ("or", "xor"):
        high = max(bounds(operands[0], bits)[1], bounds(operands[1], bits)[1])
        entry.lo, entry.hi = 0, (1 << high.bit_length()) - 1
    elif op == "rem_u" and isinstance(operands[1].const, int) and operands[1].const > 0:
        entry.lo, entry.hi = 0, min(bounds(operands[0], bits)[1], operands[1].const - 1)
    elif op == "div_u":
        entry.lo, entry.hi = 0, bounds(operands[0], bits)[1] // max(1, bounds(operands[1], bits)[0])
    elif op in ("clz", "ctz", "popcnt"):
        entry.lo, entry.hi = 0, bits
    elif name == "i64.extend_i32_u":
        entry.lo, entry.hi = bounds(operands[0], 32)
    elif op.startswith("wrap") or op.startswith("extend"):
        entry.lo, entry.hi = 0, top


_RANGED_OPS = {"and", "mul", "or", "xor", "rem_u", "div_u", "clz", "ctz", "popcnt"}
"""Integer ops (besides comparisons, wraps and extensions) whose results
:func:`_result_range` knows something about."""

_ORDER = {"lt": "<", "gt": ">", "le": "<=", "ge": ">="}


def _signed_compare(c: FunctionCompiler, name: str) -> bool:
    """Signed comparisons without flipping sign bits when a simpler test is exact.

    Both operands known below the sign bit: the unsigned comparison. Against 0 or -1:
    one comparison with the sign bit (``x < 0`` is ``x >= 2**31``).
    """
    bits = 32 if name.startswith("i32") else 64
    sign = 1 << (bits - 1)
    a, b = c.stack.items[-2], c.stack.items[-1]
    if isinstance(a.const, int) and isinstance(b.const, int):
        return False  # folded by the generic path
    order = name.split(".")[1][:2]
    if bounds(a, bits)[1] < sign and bounds(b, bits)[1] < sign:
        expr = f"({a.expr} {_ORDER[order]} {b.expr})"
    elif b.const == 0 and order in ("lt", "ge"):
        expr = f"({a.expr} {'>=' if order == 'lt' else '<'} {sign})"
    elif b.const == (1 << bits) - 1 and order in ("gt", "le"):
        expr = f"({a.expr} {'<' if order == 'gt' else '>='} {sign})"
    else:
        return False
    c.stack.pop_n(2)
    entry = Entry(expr, refs_of(a, b), a.impure or b.impure, None, True,
                  1 + max(a.depth, b.depth))
    entry.compare = (name, a, b)
    c.stack.push(entry)
    return True


def _signed_divide(c: FunctionCompiler, name: str) -> bool:
    """``div_s``/``rem_s`` by a positive constant (``x / 10`` in C): no trap is
    possible, so no library call; a negative dividend is divided by magnitude (the
    quotient truncates toward zero, the remainder takes the dividend's sign)."""
    a, b = c.stack.items[-2], c.stack.items[-1]
    bits = width_of(name)
    sign = 1 << (bits - 1)
    k = b.const
    if not isinstance(k, int) or not 0 < k < sign or isinstance(a.const, int):
        return False
    symbol = "//" if name.endswith("div_s") else "%"
    x = a.expr
    a_hi = bounds(a, bits)[1]
    lo = hi = None
    if a_hi < sign:
        expr = f"({x} {symbol} {k})"
        lo, hi = 0, (a_hi // k if symbol == "//" else min(a_hi, k - 1))
    elif a.simple:
        expr = (f"({x} {symbol} {k} if {x} < {sign} else "
                f"-(({1 << bits} - {x}) {symbol} {k}) & {(1 << bits) - 1})")
    else:
        return False
    c.stack.pop_n(2)
    c.stack.push(Entry(expr, a.refs, a.impure, None, False, a.depth + 1, lo=lo, hi=hi))
    return True


_SPECIAL: dict[str, Callable[[FunctionCompiler, str], bool]] = {
    **{f"{t}.{op}": _signed_divide for t in ("i32", "i64") for op in ("div_s", "rem_s")},
    **{f"{t}.{op}_s": _signed_compare for t in ("i32", "i64") for op in _ORDER},
    "i32.add": _wrapping, "i32.sub": _wrapping, "i64.add": _wrapping, "i64.sub": _wrapping,
    "i32.mul": _multiply, "i64.mul": _multiply, "i32.wrap_i64": _wrap,
    **{f"{t}.{op}": _shift for t in ("i32", "i64")
       for op in ("shl", "shr_u", "shr_s", "rotl", "rotr")},
    **INLINE_SPECIAL,
    **F32_SPECIAL,
}


def _either(first: Callable[[FunctionCompiler, str], bool],
            then: Callable[[FunctionCompiler, str], bool] | None
            ) -> Callable[[FunctionCompiler, str], bool]:
    """A special emitter trying ``first``, then ``then`` (if any)."""
    if then is None:
        return first
    return lambda c, name: first(c, name) or then(c, name)


_SPECIAL.update({name: _either(emitter, _SPECIAL.get(name))
                 for name, emitter in SIGNED_SPECIAL.items()})


_NumericInfo = tuple[str, Callable[["FunctionCompiler", str], bool] | None, OpTemplate, int,
                     bool, "int | None"]
_COMPARE = 1
"""An integer comparison: its result records the comparison (see ``Entry.compare``)."""
_RANGED = 2
"""An integer op whose result range :func:`_result_range` may know."""


def _build_numeric() -> dict[int, _NumericInfo]:
    """Per numeric opcode, what ``op_numeric`` needs: ``(name, special emitter or None,
    template, arity, constant operands may be folded, _COMPARE / _RANGED / None)``."""
    table: dict[int, _NumericInfo] = {}
    templates, special, comparisons, ranged_ops = TEMPLATES, _SPECIAL, _INT_COMPARISONS, _RANGED_OPS
    for key, info in OPCODES.items():  # (its locals keep this loop short at import)
        if info.feature != "core":
            continue
        name = info.name
        template = templates.get(name)
        if template is None:
            continue
        arity = len(info.params or ())
        if arity not in (1, 2):
            raise RuntimeError(f"numeric template {name} takes {arity} operands")
        foldable = not template.traps and "n_" not in template.template
        op = name.split(".", 1)[1]
        ranged: int | None = _COMPARE if name in comparisons else _RANGED if (
            name.startswith(("i32.", "i64."))
            and (op in ranged_ops or op.startswith(("wrap", "extend")))) else None
        table[key] = (name, special.get(name), template, arity, foldable, ranged)
    return table


_NUMERIC = _build_numeric()


HANDLERS: dict[int, Handler] = {
    **{key: op_numeric for key in _NUMERIC},
    **{BY_NAME[name].key: handler for name, handler in {
        "i32.const": op_i32_const, "i64.const": op_i64_const, "f32.const": op_f32_const,
        "f64.const": op_f64_const,
    }.items()}}
"""Emitters of this family by opcode key."""
