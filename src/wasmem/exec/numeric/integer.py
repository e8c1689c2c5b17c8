"""Integer operators (spec "Execution / Numerics / Integer Operations").

i32 values are Python ints in ``[0, 2**32)`` and i64 values ints in ``[0, 2**64)``: the
unsigned bit pattern.  Signed operators read the operands as two's complement
(spec "signed_N") and every result is wrapped back into the unsigned range.  Booleans
(comparisons, ``eqz``) are the i32 values 0 and 1.

Only ``div_s div_u rem_s rem_u`` raise: :class:`wasmem.errors.Trap` with the spec messages
"integer divide by zero" and, for ``div_s`` of the most negative value by -1,
"integer overflow".
"""

from __future__ import annotations

from ...errors import Trap, TrapMessage

__all__ = [
    "i32_add",
    "i32_and",
    "i32_clz",
    "i32_ctz",
    "i32_div_s",
    "i32_div_u",
    "i32_eq",
    "i32_eqz",
    "i32_extend8_s",
    "i32_extend16_s",
    "i32_ge_s",
    "i32_ge_u",
    "i32_gt_s",
    "i32_gt_u",
    "i32_le_s",
    "i32_le_u",
    "i32_lt_s",
    "i32_lt_u",
    "i32_mul",
    "i32_ne",
    "i32_or",
    "i32_popcnt",
    "i32_rem_s",
    "i32_rem_u",
    "i32_rotl",
    "i32_rotr",
    "i32_shl",
    "i32_shr_s",
    "i32_shr_u",
    "i32_signed",
    "i32_sub",
    "i32_xor",
    "i64_add",
    "i64_and",
    "i64_clz",
    "i64_ctz",
    "i64_div_s",
    "i64_div_u",
    "i64_eq",
    "i64_eqz",
    "i64_extend8_s",
    "i64_extend16_s",
    "i64_extend32_s",
    "i64_ge_s",
    "i64_ge_u",
    "i64_gt_s",
    "i64_gt_u",
    "i64_le_s",
    "i64_le_u",
    "i64_lt_s",
    "i64_lt_u",
    "i64_mul",
    "i64_ne",
    "i64_or",
    "i64_popcnt",
    "i64_rem_s",
    "i64_rem_u",
    "i64_rotl",
    "i64_rotr",
    "i64_shl",
    "i64_shr_s",
    "i64_shr_u",
    "i64_signed",
    "i64_sub",
    "i64_xor",
]

_M32 = 0xFFFF_FFFF
_M64 = 0xFFFF_FFFF_FFFF_FFFF
_S32 = 0x8000_0000
_S64 = 0x8000_0000_0000_0000
_DIVIDE_BY_ZERO = TrapMessage.INTEGER_DIVIDE_BY_ZERO
_OVERFLOW = TrapMessage.INTEGER_OVERFLOW


def i32_signed(a: int) -> int:
    """Return the i32 ``a`` read as two's complement, in ``[-2**31, 2**31)`` (spec "signed_32")."""
    return (a ^ _S32) - _S32


def i64_signed(a: int) -> int:
    """Return the i64 ``a`` read as two's complement, in ``[-2**63, 2**63)`` (spec "signed_64")."""
    return (a ^ _S64) - _S64


# ================================================================ i32

def i32_eqz(a: int) -> int:
    """Return 1 if ``a`` is 0 else 0 (spec "ieqz")."""
    return 0 if a else 1


def i32_eq(a: int, b: int) -> int:
    """Return 1 if ``a == b`` else 0 (spec "ieq")."""
    return 1 if a == b else 0


def i32_ne(a: int, b: int) -> int:
    """Return 1 if ``a != b`` else 0 (spec "ine")."""
    return 1 if a != b else 0


def i32_lt_s(a: int, b: int) -> int:
    """Return 1 if signed ``a < b`` else 0 (spec "ilt_s")."""
    return 1 if a ^ _S32 < b ^ _S32 else 0


def i32_lt_u(a: int, b: int) -> int:
    """Return 1 if unsigned ``a < b`` else 0 (spec "ilt_u")."""
    return 1 if a < b else 0


def i32_gt_s(a: int, b: int) -> int:
    """Return 1 if signed ``a > b`` else 0 (spec "igt_s")."""
    return 1 if a ^ _S32 > b ^ _S32 else 0


def i32_gt_u(a: int, b: int) -> int:
    """Return 1 if unsigned ``a > b`` else 0 (spec "igt_u")."""
    return 1 if a > b else 0


def i32_le_s(a: int, b: int) -> int:
    """Return 1 if signed ``a <= b`` else 0 (spec "ile_s")."""
    return 1 if a ^ _S32 <= b ^ _S32 else 0


def i32_le_u(a: int, b: int) -> int:
    """Return 1 if unsigned ``a <= b`` else 0 (spec "ile_u")."""
    return 1 if a <= b else 0


def i32_ge_s(a: int, b: int) -> int:
    """Return 1 if signed ``a >= b`` else 0 (spec "ige_s")."""
    return 1 if a ^ _S32 >= b ^ _S32 else 0


def i32_ge_u(a: int, b: int) -> int:
    """Return 1 if unsigned ``a >= b`` else 0 (spec "ige_u")."""
    return 1 if a >= b else 0


def i32_clz(a: int) -> int:
    """Return the number of leading zero bits of ``a`` (32 for 0) (spec "iclz")."""
    return 32 - a.bit_length()


def i32_ctz(a: int) -> int:
    """Return the number of trailing zero bits of ``a`` (32 for 0) (spec "ictz")."""
    return (a & -a).bit_length() - 1 if a else 32


def i32_popcnt(a: int) -> int:
    """Return the number of one bits of ``a`` (spec "ipopcnt")."""
    return a.bit_count()


def i32_add(a: int, b: int) -> int:
    """Return ``a + b`` modulo 2**32 (spec "iadd")."""
    return (a + b) & _M32


def i32_sub(a: int, b: int) -> int:
    """Return ``a - b`` modulo 2**32 (spec "isub")."""
    return (a - b) & _M32


def i32_mul(a: int, b: int) -> int:
    """Return ``a * b`` modulo 2**32 (spec "imul")."""
    return (a * b) & _M32


def i32_div_u(a: int, b: int) -> int:
    """Return unsigned ``a / b`` rounded toward zero (spec "idiv_u").

    Raises Trap("integer divide by zero") if ``b`` is 0.
    """
    try:
        return a // b
    except ZeroDivisionError:
        raise Trap(_DIVIDE_BY_ZERO) from None


def i32_rem_u(a: int, b: int) -> int:
    """Return the unsigned remainder of ``a / b`` (spec "irem_u").

    Raises Trap("integer divide by zero") if ``b`` is 0.
    """
    try:
        return a % b
    except ZeroDivisionError:
        raise Trap(_DIVIDE_BY_ZERO) from None


def i32_div_s(a: int, b: int) -> int:
    """Return signed ``a / b`` rounded toward zero, as an i32 (spec "idiv_s").

    Raises Trap("integer divide by zero") if ``b`` is 0 and Trap("integer overflow") for
    -2**31 / -1.
    """
    # Work on magnitudes (2**32 - x for a negative x) so that every int stays non-negative.
    if a & _S32:
        if b & _S32:
            if a == _S32 and b == _M32:
                raise Trap(_OVERFLOW)
            return (0x1_0000_0000 - a) // (0x1_0000_0000 - b)
        try:
            return (0x1_0000_0000 - (0x1_0000_0000 - a) // b) & _M32
        except ZeroDivisionError:
            raise Trap(_DIVIDE_BY_ZERO) from None
    if b & _S32:
        return (0x1_0000_0000 - a // (0x1_0000_0000 - b)) & _M32
    try:
        return a // b
    except ZeroDivisionError:
        raise Trap(_DIVIDE_BY_ZERO) from None


def i32_rem_s(a: int, b: int) -> int:
    """Return the signed remainder of ``a / b``, with the sign of ``a`` (spec "irem_s").

    -2**31 rem -1 is 0.  Raises Trap("integer divide by zero") if ``b`` is 0.
    """
    if a & _S32:
        if b & _S32:
            return (0x1_0000_0000 - (0x1_0000_0000 - a) % (0x1_0000_0000 - b)) & _M32
        try:
            return (0x1_0000_0000 - (0x1_0000_0000 - a) % b) & _M32
        except ZeroDivisionError:
            raise Trap(_DIVIDE_BY_ZERO) from None
    if b & _S32:
        return a % (0x1_0000_0000 - b)
    try:
        return a % b
    except ZeroDivisionError:
        raise Trap(_DIVIDE_BY_ZERO) from None


def i32_and(a: int, b: int) -> int:
    """Return the bitwise and of ``a`` and ``b`` (spec "iand")."""
    return a & b


def i32_or(a: int, b: int) -> int:
    """Return the bitwise or of ``a`` and ``b`` (spec "ior")."""
    return a | b


def i32_xor(a: int, b: int) -> int:
    """Return the bitwise xor of ``a`` and ``b`` (spec "ixor")."""
    return a ^ b


def i32_shl(a: int, b: int) -> int:
    """Return ``a`` shifted left by ``b mod 32`` bits (spec "ishl")."""
    return (a << (b & 31)) & _M32


def i32_shr_u(a: int, b: int) -> int:
    """Return ``a`` shifted right by ``b mod 32`` bits, zero-filling (spec "ishr_u")."""
    return a >> (b & 31)


def i32_shr_s(a: int, b: int) -> int:
    """Return ``a`` shifted right by ``b mod 32`` bits, sign-filling (spec "ishr_s")."""
    return (((a ^ _S32) - _S32) >> (b & 31)) & _M32


def i32_rotl(a: int, b: int) -> int:
    """Return ``a`` rotated left by ``b mod 32`` bits (spec "irotl")."""
    k = b & 31
    return ((a << k) & _M32) | (a >> (32 - k))


def i32_rotr(a: int, b: int) -> int:
    """Return ``a`` rotated right by ``b mod 32`` bits (spec "irotr")."""
    k = b & 31
    return (a >> k) | ((a << (32 - k)) & _M32)


def i32_extend8_s(a: int) -> int:
    """Return the low 8 bits of ``a`` sign-extended to i32 (spec "iextend8_s")."""
    return (((a & 0xFF) ^ 0x80) - 0x80) & _M32


def i32_extend16_s(a: int) -> int:
    """Return the low 16 bits of ``a`` sign-extended to i32 (spec "iextend16_s")."""
    return (((a & 0xFFFF) ^ 0x8000) - 0x8000) & _M32


# ================================================================ i64

def i64_eqz(a: int) -> int:
    """Return 1 if ``a`` is 0 else 0 (spec "ieqz")."""
    return 0 if a else 1


i64_eq = i32_eq
i64_ne = i32_ne
i64_lt_u = i32_lt_u
i64_gt_u = i32_gt_u
i64_le_u = i32_le_u
i64_ge_u = i32_ge_u
i64_and = i32_and
i64_or = i32_or
i64_xor = i32_xor
i64_popcnt = i32_popcnt
i64_div_u = i32_div_u
i64_rem_u = i32_rem_u


def i64_lt_s(a: int, b: int) -> int:
    """Return 1 if signed ``a < b`` else 0 (spec "ilt_s")."""
    return 1 if a ^ _S64 < b ^ _S64 else 0


def i64_gt_s(a: int, b: int) -> int:
    """Return 1 if signed ``a > b`` else 0 (spec "igt_s")."""
    return 1 if a ^ _S64 > b ^ _S64 else 0


def i64_le_s(a: int, b: int) -> int:
    """Return 1 if signed ``a <= b`` else 0 (spec "ile_s")."""
    return 1 if a ^ _S64 <= b ^ _S64 else 0


def i64_ge_s(a: int, b: int) -> int:
    """Return 1 if signed ``a >= b`` else 0 (spec "ige_s")."""
    return 1 if a ^ _S64 >= b ^ _S64 else 0


def i64_clz(a: int) -> int:
    """Return the number of leading zero bits of ``a`` (64 for 0) (spec "iclz")."""
    return 64 - a.bit_length()


def i64_ctz(a: int) -> int:
    """Return the number of trailing zero bits of ``a`` (64 for 0) (spec "ictz")."""
    return (a & -a).bit_length() - 1 if a else 64


def i64_add(a: int, b: int) -> int:
    """Return ``a + b`` modulo 2**64 (spec "iadd")."""
    return (a + b) & _M64


def i64_sub(a: int, b: int) -> int:
    """Return ``a - b`` modulo 2**64 (spec "isub")."""
    return (a - b) & _M64


def i64_mul(a: int, b: int) -> int:
    """Return ``a * b`` modulo 2**64 (spec "imul")."""
    return (a * b) & _M64


def i64_div_s(a: int, b: int) -> int:
    """Return signed ``a / b`` rounded toward zero, as an i64 (spec "idiv_s").

    Raises Trap("integer divide by zero") if ``b`` is 0 and Trap("integer overflow") for
    -2**63 / -1.
    """
    # Work on magnitudes (2**64 - x for a negative x) so that every int stays non-negative.
    if a & _S64:
        if b & _S64:
            if a == _S64 and b == _M64:
                raise Trap(_OVERFLOW)
            return (0x1_0000_0000_0000_0000 - a) // (0x1_0000_0000_0000_0000 - b)
        try:
            return (0x1_0000_0000_0000_0000 - (0x1_0000_0000_0000_0000 - a) // b) & _M64
        except ZeroDivisionError:
            raise Trap(_DIVIDE_BY_ZERO) from None
    if b & _S64:
        return (0x1_0000_0000_0000_0000 - a // (0x1_0000_0000_0000_0000 - b)) & _M64
    try:
        return a // b
    except ZeroDivisionError:
        raise Trap(_DIVIDE_BY_ZERO) from None


def i64_rem_s(a: int, b: int) -> int:
    """Return the signed remainder of ``a / b``, with the sign of ``a`` (spec "irem_s").

    -2**63 rem -1 is 0.  Raises Trap("integer divide by zero") if ``b`` is 0.
    """
    if a & _S64:
        if b & _S64:
            magnitude = (0x1_0000_0000_0000_0000 - a) % (0x1_0000_0000_0000_0000 - b)
            return (0x1_0000_0000_0000_0000 - magnitude) & _M64
        try:
            return (0x1_0000_0000_0000_0000 - (0x1_0000_0000_0000_0000 - a) % b) & _M64
        except ZeroDivisionError:
            raise Trap(_DIVIDE_BY_ZERO) from None
    if b & _S64:
        return a % (0x1_0000_0000_0000_0000 - b)
    try:
        return a % b
    except ZeroDivisionError:
        raise Trap(_DIVIDE_BY_ZERO) from None


def i64_shl(a: int, b: int) -> int:
    """Return ``a`` shifted left by ``b mod 64`` bits (spec "ishl")."""
    return (a << (b & 63)) & _M64


def i64_shr_u(a: int, b: int) -> int:
    """Return ``a`` shifted right by ``b mod 64`` bits, zero-filling (spec "ishr_u")."""
    return a >> (b & 63)


def i64_shr_s(a: int, b: int) -> int:
    """Return ``a`` shifted right by ``b mod 64`` bits, sign-filling (spec "ishr_s")."""
    return (((a ^ _S64) - _S64) >> (b & 63)) & _M64


def i64_rotl(a: int, b: int) -> int:
    """Return ``a`` rotated left by ``b mod 64`` bits (spec "irotl")."""
    k = b & 63
    return ((a << k) & _M64) | (a >> (64 - k))


def i64_rotr(a: int, b: int) -> int:
    """Return ``a`` rotated right by ``b mod 64`` bits (spec "irotr")."""
    k = b & 63
    return (a >> k) | ((a << (64 - k)) & _M64)


def i64_extend8_s(a: int) -> int:
    """Return the low 8 bits of ``a`` sign-extended to i64 (spec "iextend8_s")."""
    return (((a & 0xFF) ^ 0x80) - 0x80) & _M64


def i64_extend16_s(a: int) -> int:
    """Return the low 16 bits of ``a`` sign-extended to i64 (spec "iextend16_s")."""
    return (((a & 0xFFFF) ^ 0x8000) - 0x8000) & _M64


def i64_extend32_s(a: int) -> int:
    """Return the low 32 bits of ``a`` sign-extended to i64 (spec "iextend32_s")."""
    return (((a & _M32) ^ _S32) - _S32) & _M64
