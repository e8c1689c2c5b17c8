"""Signed readers of loaded integers: conversions, comparisons and extensions of a load.

Integers are unsigned bit patterns in generated code, so what needs an operand's signed
value flips its sign bit in Python (``float((x ^ 0x80000000) - 0x80000000)``, ``(a ^
0x80000000) < (b ^ 0x80000000)``). When the operand is an integer load, a signed typed
view of memory reads that value directly (``float(V32S_0[i])``: two integer operations
less; ERFA's series read their integer coefficients this way). The loads' entries carry
that read (:class:`LoadEntry`, :func:`signed_read`); the
emitters here use it in place of the load's own text (the same single access, at the
same point of evaluation), and otherwise leave the stack alone for the next emitter.

Each emitter has the signature of :mod:`.emit_numeric`'s special emitters (returns True
when it pushed the result).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from .ranges import bounds
from .stack import Entry, SymbolicStack, refs_of

if TYPE_CHECKING:  # (named by its parts: this module does not import the driver)
    class FunctionCompiler(Protocol):
        """What these emitters use of :class:`.codegen.FunctionCompiler`."""

        stack: SymbolicStack
else:
    FunctionCompiler = Any

__all__ = ["LoadEntry", "SIGNED_SPECIAL", "signed_read"]


class LoadEntry(Entry):
    """The entry of an integer load that a signed view can also read (made by
    :mod:`.emit_memory`), for consumers that want the two's complement value: its
    ``read`` is the text of that read, or ``(function, arguments)`` making it when first
    asked (most loads never are); :func:`signed_read` gives it. One access, as ``expr``
    is: a consumer uses one or the other."""

    __slots__ = ("read", "site")
    read: tuple[Callable[..., str], tuple[Any, ...]] | str
    # where the load was translated, (function, position, outer) of the line-table
    # recorder (None without one): a trap in the read is reported there (:func:`_read`)
    site: tuple[Any, ...] | None


def signed_read(entry: Entry) -> str | None:
    """The text reading ``entry``'s two's complement value through a signed view, if it
    is a :class:`LoadEntry`, else None."""
    if type(entry) is not LoadEntry:
        return None
    read = entry.read
    if not isinstance(read, str):
        make, arguments = read
        read = entry.read = make(*arguments)
    return read


def _read(c: FunctionCompiler, entry: Entry) -> str | None:
    """:func:`signed_read` of ``entry`` for a consumer about to use it in place of the
    load's text: the read is recorded as a deferred expression of the load's own site,
    so that a trap in it (out of bounds) is placed at the load, not at the consumer."""
    read = signed_read(entry)
    if read is not None:
        site = entry.site  # type: ignore[attr-defined]  # a LoadEntry's
        sites = c.stack.sites
        if site is not None and sites is not None:
            function, position, outer = site
            sites.events.append((function, position, outer, read, None))
    return read


_ORDER = {"lt": "<", "gt": ">", "le": "<=", "ge": ">="}
_MASK64 = 0xFFFFFFFFFFFFFFFF


def _signed_text(c: FunctionCompiler, entry: Entry, bits: int) -> str | None:
    """Text of ``entry``'s value as a signed ``bits``-bit number, when it costs nothing
    more than its own text: a signed view's read, a literal, a value below the sign bit."""
    read = _read(c, entry)
    if read is not None:
        return read
    const = entry.const
    if isinstance(const, int) and not isinstance(const, bool):
        value = const - (1 << bits) if const >> (bits - 1) else const
        return f"({value})" if value < 0 else str(value)
    if bounds(entry, bits)[1] < 1 << (bits - 1):
        return entry.expr
    return None


def _compare(c: FunctionCompiler, name: str) -> bool:
    """``lt_s``/``gt_s``/``le_s``/``ge_s`` with a load operand: both signed values
    compared as they are (no sign flips)."""
    a, b = c.stack.items[-2], c.stack.items[-1]
    if type(a) is not LoadEntry and type(b) is not LoadEntry:
        return False
    bits = 32 if name.startswith("i32") else 64
    left, right = _signed_text(c, a, bits), _signed_text(c, b, bits)
    if left is None or right is None:
        return False
    c.stack.pop_n(2)
    entry = Entry(f"({left} {_ORDER[name[4:6]]} {right})", refs_of(a, b),
                  a.impure or b.impure, None, True, 1 + max(a.depth, b.depth))
    entry.compare = (name, a, b)
    c.stack.push(entry)
    return True


def _convert(c: FunctionCompiler, name: str) -> bool:
    """``f64.convert_i32_s``/``f64.convert_i64_s`` of a load: ``float`` of its signed
    read (CPython's int-to-float conversion is correctly rounded, as the spec's is)."""
    x = c.stack.items[-1]
    read = _read(c, x)
    if read is None:
        return False
    c.stack.pop_n(1)
    c.stack.push(Entry(f"float({read})", x.refs, x.impure, None, False, x.depth + 1))
    return True


def _extend(c: FunctionCompiler, name: str) -> bool:
    """``i64.extend_i32_s`` of a load: its signed read as a 64-bit pattern; the result
    keeps that read for a signed consumer after it."""
    x = c.stack.items[-1]
    read = _read(c, x)
    if read is None:
        return False
    c.stack.pop_n(1)
    entry = LoadEntry(f"({read} & {_MASK64})", x.refs, x.impure, None, False, x.depth + 1)
    entry.read = read
    entry.site = x.site  # type: ignore[attr-defined]  # still the load's read
    c.stack.push(entry)
    return True


SIGNED_SPECIAL: dict[str, Callable[[FunctionCompiler, str], bool]] = {
    **{f"{t}.{op}_s": _compare for t in ("i32", "i64") for op in _ORDER},
    "f64.convert_i32_s": _convert, "f64.convert_i64_s": _convert,
    "i64.extend_i32_s": _extend,
}
"""Special emitters of this module by operator name; each falls back to the one
:mod:`.emit_numeric` had for the name (see ``emit_numeric._SPECIAL``)."""
