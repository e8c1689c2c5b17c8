"""Numeric literals (spec "Text Format / Lexical Format / Integers, Floating-Point").

Integers may be decimal or ``0x`` hex, with ``_`` between digits and an optional sign.
Floats additionally have fractions, exponents (``e`` decimal, ``p`` hex), ``inf``,
``nan`` and ``nan:0x...``; they round to the nearest representable value with ties to
even, exactly (rational arithmetic), and a literal that rounds to infinity is malformed.

Every function returns a bit pattern or ``None`` when the text is not such a literal;
callers turn ``None`` into the parse error that fits their context.
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = ["parse_int", "parse_uint", "int_bits", "float_bits", "OutOfRange"]

_DEC = r"[0-9](?:_?[0-9])*"
_HEX = r"[0-9A-Fa-f](?:_?[0-9A-Fa-f])*"
_INT = re.compile(rf"([+-]?)(?:0x({_HEX})|({_DEC}))")
_DEC_FLOAT = re.compile(rf"([+-]?)({_DEC})(?:\.({_DEC})?)?(?:[eE]([+-]?{_DEC}))?")
_HEX_FLOAT = re.compile(rf"([+-]?)0x({_HEX})(?:\.({_HEX})?)?(?:[pP]([+-]?{_DEC}))?")
_NAN = re.compile(rf"([+-]?)nan(?::0x({_HEX}))?")
_INF = re.compile(r"([+-]?)inf")


class OutOfRange(Exception):
    """The literal is well-formed but does not fit the type ("constant out of range")."""


def parse_int(text: str) -> tuple[int, bool] | None:
    """Return ``(value, had_sign)`` for an integer literal, or None if ``text`` is not one."""
    m = _INT.fullmatch(text)
    if m is None:
        return None
    sign, hexdigits, decdigits = m.groups()
    value = int(hexdigits.replace("_", ""), 16) if hexdigits is not None \
        else _decimal(decdigits.replace("_", ""))
    return (-value if sign == "-" else value), bool(sign)


TOO_BIG = 1 << 20_000
"""What a decimal integer literal of more than 4,000 significant digits reads as: a value
out of the range of every integer type, so callers say "constant out of range" (the
digits are never handed to ``int()``, which refuses more than 4,300 of them)."""
_MAX_DIGITS = 4_000


def _decimal(digits: str) -> int:
    """The value of decimal ``digits`` (no sign or ``_``); :data:`TOO_BIG` when enormous."""
    if len(digits) > _MAX_DIGITS:
        digits = digits.lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS:
            return TOO_BIG
    return int(digits)


def _exponent(text: str | None) -> int:
    """A decimal exponent (sign allowed), clamped to +-10**9: far beyond any float range."""
    if not text:
        return 0
    text = text.replace("_", "")
    negative = text.startswith("-")
    digits = text.lstrip("+-").lstrip("0") or "0"
    value = 10 ** 9 if len(digits) > 9 else int(digits)
    return -value if negative else value


_KEPT_DIGITS = 800
"""Significant decimal digits that decide a float's rounding: every float and every
midpoint between two floats has fewer than 770, so digits after the 800th only matter as
"some non-zero digit follows" (a sticky digit)."""


def parse_uint(text: str) -> int | None:
    """Return the value of an unsigned integer literal (no sign allowed), or None."""
    parsed = parse_int(text)
    if parsed is None or parsed[1]:
        return None
    return parsed[0]


def int_bits(text: str, bits: int) -> int | None:
    """Return the ``bits``-wide two's-complement pattern of an integer literal.

    Raises:
        OutOfRange: if the value is outside ``[-2**(bits-1), 2**bits - 1]``.
    """
    parsed = parse_int(text)
    if parsed is None:
        return None
    value = parsed[0]
    if not -(1 << (bits - 1)) <= value < (1 << bits):
        raise OutOfRange(text)
    return value & ((1 << bits) - 1)


_FORMATS = {32: (23, 8), 64: (52, 11)}


def float_bits(text: str, bits: int) -> int | None:
    """Return the IEEE-754 bit pattern (``bits`` = 32 or 64) of a float literal, or None.

    Raises:
        OutOfRange: if the value rounds to infinity or a NaN payload does not fit.
    """
    mantissa_bits, exponent_bits = _FORMATS[bits]
    sign_bit = 1 << (bits - 1)
    exp_all_ones = ((1 << exponent_bits) - 1) << mantissa_bits
    m = _NAN.fullmatch(text)
    if m is not None:
        payload = 1 << (mantissa_bits - 1)
        if m.group(2) is not None:
            payload = int(m.group(2).replace("_", ""), 16)
            if not 1 <= payload < (1 << mantissa_bits):
                raise OutOfRange(text)
        return (sign_bit if m.group(1) == "-" else 0) | exp_all_ones | payload
    m = _INF.fullmatch(text)
    if m is not None:
        return (sign_bit if m.group(1) == "-" else 0) | exp_all_ones
    value = _exact_value(text)
    if value is None:
        return None
    negative, magnitude = value
    rounded = _round(magnitude, mantissa_bits, exponent_bits)
    if rounded is None:
        raise OutOfRange(text)
    return (sign_bit if negative else 0) | rounded


def _exact_value(text: str) -> tuple[bool, Fraction] | None:
    m = _HEX_FLOAT.fullmatch(text)
    if m is not None:
        sign, whole, frac, exp = m.groups()
        frac = (frac or "").replace("_", "")
        mantissa = int(whole.replace("_", "") + frac, 16)
        exponent = _exponent(exp) - 4 * len(frac)
        return sign == "-", _scaled(mantissa, 2, exponent)
    m = _DEC_FLOAT.fullmatch(text)
    if m is not None:
        sign, whole, frac, exp = m.groups()
        frac = (frac or "").replace("_", "")
        digits = (whole.replace("_", "") + frac).lstrip("0")
        exponent = _exponent(exp) - len(frac)
        if len(digits) > _KEPT_DIGITS:
            dropped = len(digits) - _KEPT_DIGITS
            sticky = digits[_KEPT_DIGITS:].strip("0") != ""
            digits = digits[:_KEPT_DIGITS] + ("1" if sticky else "0")
            exponent += dropped - 1
        if not digits:
            return sign == "-", Fraction(0)
        magnitude = len(digits) + exponent  # the value is below 10**magnitude
        if magnitude > 1_000:
            return sign == "-", Fraction(1 << 20000)  # rounds to infinity
        if magnitude < -1_000:
            return sign == "-", Fraction(1, 1 << 20000)  # rounds to zero
        return sign == "-", _scaled(int(digits), 10, exponent)
    return None


_HUGE = 1 << 20


def _scaled(mantissa: int, base: int, exponent: int) -> Fraction:
    """``mantissa * base**exponent``; absurd exponents are clamped (they round to 0 or inf)."""
    if mantissa == 0:
        return Fraction(0)
    if exponent > _HUGE:
        return Fraction(1 << 20000)
    if exponent < -_HUGE:
        return Fraction(1, 1 << 20000)
    if exponent >= 0:
        return Fraction(mantissa * base ** exponent)
    return Fraction(mantissa, base ** -exponent)


def _round(x: Fraction, mantissa_bits: int, exponent_bits: int) -> int | None:
    """Round a non-negative rational to the format, ties to even; None means overflow."""
    if x == 0:
        return 0
    p, q = x.numerator, x.denominator
    e = p.bit_length() - q.bit_length()
    if (p << max(0, -e)) < (q << max(0, e)):
        e -= 1
    emax = (1 << (exponent_bits - 1)) - 1
    emin = 1 - emax
    e = max(e, emin)
    shift = e - mantissa_bits
    if shift >= 0:
        num, den = p, q << shift
    else:
        num, den = p << -shift, q
    n, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and n & 1):
        n += 1
    if n >= 1 << (mantissa_bits + 1):
        n >>= 1
        e += 1
    if e > emax:
        return None
    if n < 1 << mantissa_bits:
        return n
    return ((e + emax) << mantissa_bits) | (n - (1 << mantissa_bits))
