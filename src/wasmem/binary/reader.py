"""A byte reader for the binary format (spec "Binary Format / Values").

:class:`Reader` walks one ``bytes`` object with a position. Integers are LEB128
(``u32``, ``u64``, ``s32``, ``s33``, ``s64``, ...) with the spec's rules: an ``N``-bit
integer takes at most ``ceil(N / 7)`` bytes ("integer representation too long"), and the
bits of the last byte beyond ``N`` must be zero for unsigned forms and a sign extension
for signed forms ("integer too large").

Like the spec's reference decoder, a reader is not bounded by the section being read:
sections and function bodies are read from the whole module and their sizes checked
afterwards, which is what fixes the error messages the spec tests expect. Running off
the end of the input is "unexpected end of section or function"; a length prefix larger
than the rest of the input is "length out of bounds" (counted from the first byte of the
length itself).

Every error is a :class:`~wasmem.errors.DecodeError` whose ``offset`` is a byte offset
into the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..errors import DecodeError
from ..syntax.limits import MAX_NAME_BYTES, limit_message

__all__ = ["UNEXPECTED_END", "Reader", "T"]

T = TypeVar("T")

UNEXPECTED_END = "unexpected end of section or function"
"""The reference interpreter's message for reading past the end of the input."""

_UTF8_ERROR = "malformed UTF-8 encoding"


class Reader:
    """A cursor over ``data``; ``pos`` is the offset of the next byte to read."""

    __slots__ = ("data", "end", "pos")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data)

    # ------------------------------------------------------------------ errors
    def error(self, message: str, offset: int | None = None) -> DecodeError:
        """Return (not raise) a DecodeError at ``offset`` (default: the current position)."""
        return DecodeError(message, offset=self.pos if offset is None else offset)

    def unexpected_end(self) -> DecodeError:
        """Return the DecodeError for reading past the end of the input."""
        return DecodeError(UNEXPECTED_END, offset=self.end)

    # ------------------------------------------------------------------ bytes
    def at_end(self) -> bool:
        """True when every byte has been read."""
        return self.pos >= self.end

    def peek(self) -> int | None:
        """Return the next byte without consuming it, or None at the end of the input."""
        pos = self.pos
        return self.data[pos] if pos < self.end else None

    def byte(self) -> int:
        """Read one raw byte.

        Raises:
            DecodeError: "unexpected end of section or function" at the end of the input.
        """
        pos = self.pos
        if pos >= self.end:
            raise self.unexpected_end()
        self.pos = pos + 1
        return self.data[pos]

    def expect(self, value: int, message: str) -> None:
        """Read one byte and raise DecodeError(message) at it unless it equals ``value``."""
        if self.byte() != value:
            raise self.error(message, self.pos - 1)

    def read(self, count: int) -> bytes:
        """Read ``count`` raw bytes (spec "Binary Format / Values / Bytes").

        Raises:
            DecodeError: "unexpected end of section or function" if fewer remain.
        """
        pos = self.pos
        stop = pos + count
        if count < 0 or stop > self.end:
            raise self.unexpected_end()
        self.pos = stop
        return self.data[pos:stop]

    def skip(self, count: int) -> None:
        """Skip ``count`` bytes; DecodeError "unexpected end ..." if fewer remain or count < 0."""
        stop = self.pos + count
        if count < 0 or stop > self.end:
            raise self.unexpected_end()
        self.pos = stop

    def f32_bits(self) -> int:
        """Read the 4-byte little-endian bit pattern of an f32 (spec "Floating-Point")."""
        return int.from_bytes(self.read(4), "little")

    def f64_bits(self) -> int:
        """Read the 8-byte little-endian bit pattern of an f64 (spec "Floating-Point")."""
        return int.from_bytes(self.read(8), "little")

    def v128_bits(self) -> int:
        """Read a 16-byte little-endian v128 constant as an unsigned 128-bit int."""
        return int.from_bytes(self.read(16), "little")

    # ------------------------------------------------------------------ LEB128
    def unsigned(self, bits: int) -> int:
        """Read an unsigned LEB128 integer of ``bits`` bits (spec ``uN``).

        Raises:
            DecodeError: "integer representation too long" when more than
                ``ceil(bits / 7)`` bytes are used, "integer too large" when the last byte
                has bits set beyond ``bits``, "unexpected end ..." at the end of input.
        """
        data = self.data
        pos = self.pos
        end = self.end
        result = 0
        shift = 0
        remaining = bits
        while True:
            if remaining <= 0:
                self.pos = pos
                raise DecodeError("integer representation too long", offset=pos)
            if pos >= end:
                self.pos = pos
                raise self.unexpected_end()
            byte = data[pos]
            pos += 1
            if remaining < 7 and (byte & 0x7F) >= (1 << remaining):
                self.pos = pos
                raise DecodeError("integer too large", offset=pos - 1)
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                self.pos = pos
                return result
            shift += 7
            remaining -= 7

    def signed(self, bits: int) -> int:
        """Read a signed LEB128 integer of ``bits`` bits (spec ``sN``), as a Python int.

        Raises:
            DecodeError: "integer representation too long" when more than
                ``ceil(bits / 7)`` bytes are used, "integer too large" when the unused bits
                of the last byte are not a sign extension, "unexpected end ..." at the end.
        """
        data = self.data
        pos = self.pos
        end = self.end
        result = 0
        shift = 0
        remaining = bits
        while True:
            if remaining <= 0:
                self.pos = pos
                raise DecodeError("integer representation too long", offset=pos)
            if pos >= end:
                self.pos = pos
                raise self.unexpected_end()
            byte = data[pos]
            pos += 1
            if remaining < 7:
                mask = (-1 << (remaining - 1)) & 0x7F
                if byte & mask not in (0, mask):
                    self.pos = pos
                    raise DecodeError("integer too large", offset=pos - 1)
            result |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                self.pos = pos
                if byte & 0x40:
                    result -= 1 << shift
                return result
            remaining -= 7

    def u32(self) -> int:
        """Read a u32 (LEB128); the fast path handles one-byte values inline."""
        pos = self.pos
        if pos < self.end:
            byte = self.data[pos]
            if byte < 0x80:
                self.pos = pos + 1
                return byte
        return self.unsigned(32)

    def u64(self) -> int:
        """Read a u64 (LEB128)."""
        pos = self.pos
        if pos < self.end:
            byte = self.data[pos]
            if byte < 0x80:
                self.pos = pos + 1
                return byte
        return self.unsigned(64)

    def u32s(self, count: int) -> tuple[int, ...]:
        """Read ``count`` u32s (a ``br_table``'s targets): values of one and two LEB128
        bytes inline (a big ``switch`` has thousands, most of them depths of two bytes),
        the rest through :meth:`u32`.

        Raises:
            DecodeError: as :meth:`u32`, at the first malformed value.
        """
        data = self.data
        pos = self.pos
        last = self.end - 1  # (a value of two bytes starts before it)
        values = [0] * count
        for k in range(count):
            if pos < last:
                byte = data[pos]
                if byte < 0x80:
                    values[k] = byte
                    pos += 1
                    continue
                following = data[pos + 1]
                if following < 0x80:
                    values[k] = (byte & 0x7F) | following << 7
                    pos += 2
                    continue
            self.pos = pos
            values[k] = self.u32()
            pos = self.pos
        self.pos = pos
        return tuple(values)

    def s32(self) -> int:
        """Read an s32 (signed LEB128) as a Python int in [-2**31, 2**31)."""
        pos = self.pos
        if pos < self.end:
            byte = self.data[pos]
            if byte < 0x40:
                self.pos = pos + 1
                return byte
            if byte < 0x80:
                self.pos = pos + 1
                return byte - 0x80
        return self.signed(32)

    def s33(self) -> int:
        """Read an s33 (signed LEB128, used by block types and heap types)."""
        return self.signed(33)

    def s64(self) -> int:
        """Read an s64 (signed LEB128) as a Python int in [-2**63, 2**63)."""
        pos = self.pos
        if pos < self.end:
            byte = self.data[pos]
            if byte < 0x40:
                self.pos = pos + 1
                return byte
            if byte < 0x80:
                self.pos = pos + 1
                return byte - 0x80
        return self.signed(64)

    # ------------------------------------------------------------------ lengths, vectors
    def length(self) -> int:
        """Read a u32 length and check it against the bytes left (from the length's start).

        Raises:
            DecodeError: "length out of bounds" if it is larger than what remains.
        """
        start = self.pos
        count = self.u32()
        if count > self.end - start:
            raise DecodeError("length out of bounds", offset=start)
        return count

    def count(self, limit: int, what: str) -> int:
        """Read a vector length (see :meth:`length`) bounded by an implementation limit.

        Raises:
            DecodeError: "length out of bounds", or "too many <what>: N > limit
                (implementation limit)" (see :mod:`wasmem.syntax.limits`).
        """
        start = self.pos
        count = self.length()
        if count > limit:
            raise DecodeError(limit_message(what, count, limit), offset=start)
        return count

    def vector(self, read_one: Callable[[], T]) -> list[T]:
        """Read ``vec(B)``: a length, then that many items read by ``read_one``.

        The length is checked against the input size first, so a huge declared count
        cannot allocate more items than there are bytes.
        """
        return [read_one() for _ in range(self.length())]

    def byte_vector(self) -> bytes:
        """Read ``vec(byte)``: a length and that many raw bytes."""
        return self.read(self.length())

    def name(self) -> str:
        """Read a name: a byte vector that must be valid UTF-8 (spec "Names").

        Raises:
            DecodeError: "malformed UTF-8 encoding" (at the length) for invalid UTF-8.
        """
        start = self.pos
        if start < self.end:  # (a length of one byte, all within: the usual name)
            size = self.data[start]
            stop = start + 1 + size
            if size < 0x80 and stop <= self.end:
                try:
                    found = self.data[start + 1:stop].decode("utf-8")
                except UnicodeDecodeError:
                    raise DecodeError(_UTF8_ERROR, offset=start) from None
                self.pos = stop
                return found
        raw = self.read(self.count(MAX_NAME_BYTES, "name length"))
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise DecodeError(_UTF8_ERROR, offset=start) from None
