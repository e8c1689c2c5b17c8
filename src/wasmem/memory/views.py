"""Typed host access to linear memory: numbers, strings and C-like structs.

Addresses are byte addresses, as in WebAssembly: ``view[0x100]`` reads the value that
starts at byte 0x100, and ``view[0x100:0x110]`` reads every value from 0x100 up to (not
including) 0x110, one element size apart. Everything is little-endian and bounds-checked
through :class:`~wasmem.memory.linear.LinearMemory`: out of range raises
:class:`~wasmem.memory.linear.OutOfBounds` (a :class:`wasmem.Trap`) and writes nothing.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import InvocationError
from .access import ACCESS_KINDS
from .linear import LinearMemory, OutOfBounds, as_bytes, as_index

__all__ = ["TypedView", "VIEW_FORMATS", "read_string", "write_string", "Struct", "Field"]

VIEW_FORMATS: dict[str, str] = {name: kind.format for name, kind in ACCESS_KINDS.items()}
"""Element type name -> struct format of the typed views."""


class TypedView:
    """Little-endian typed access to a memory, addressed in bytes.

    Args:
        memory: the memory.
        kind: one of :data:`VIEW_FORMATS` (``"i32"``, ``"u8"``, ``"f64"``, ...).

    Raises:
        InvocationError: for an unknown kind.
    """

    def __init__(self, memory: LinearMemory, kind: str) -> None:
        try:
            self._struct = struct.Struct(VIEW_FORMATS[kind])
        except KeyError:
            raise InvocationError(f"unknown element type {kind!r}; use one of "
                                  f"{', '.join(VIEW_FORMATS)}") from None
        self.memory = memory
        self.kind = kind
        self.size = self._struct.size

    def _addresses(self, key: slice) -> range:
        start = 0 if key.start is None else as_index(key.start, "slice start")
        stop = self.memory.size_bytes if key.stop is None else as_index(key.stop, "slice stop")
        step = self.size if key.step is None else as_index(key.step, "slice step")
        if start < 0 or stop < 0:
            raise OutOfBounds(min(start, stop), self.size, self.memory.size_bytes)
        if step <= 0:
            raise InvocationError("view slices need a positive step")
        if stop > start and stop - self.size < start:
            stop = start  # no whole element fits
        return range(start, max(start, stop - self.size + 1), step)

    def __getitem__(self, key: int | slice) -> Any:
        """Read the value at a byte address, or the values in a byte-address slice.

        Raises:
            OutOfBounds: if any byte read is outside memory.
        """
        if isinstance(key, slice):
            addresses = self._addresses(key)
            if addresses:
                self.memory.check(addresses[0], addresses[-1] + self.size - addresses[0])
            return [self._struct.unpack_from(self.memory.data, a)[0] for a in addresses]
        self.memory.check(key, self.size)
        return self._struct.unpack_from(self.memory.data, key)[0]

    def __setitem__(self, key: int | slice, value: Any) -> None:
        """Write a value (or, for a slice, a sequence of values) at byte addresses.

        Raises:
            OutOfBounds: if any byte would be outside memory (nothing is written).
            InvocationError: if a value does not fit the element type.
        """
        if isinstance(key, slice):
            addresses = self._addresses(key)
            values = list(value)
            if len(values) != len(addresses):
                raise InvocationError(f"slice holds {len(addresses)} {self.kind} values, "
                                      f"got {len(values)}")
            if addresses:
                self.memory.check(addresses[0], addresses[-1] + self.size - addresses[0])
            packed = [self._pack(v) for v in values]
            for address, data in zip(addresses, packed):
                self.memory.write(address, data)
            return
        self.memory.write(key, self._pack(value))

    def _pack(self, value: Any) -> bytes:
        try:
            return self._struct.pack(value)
        except (struct.error, TypeError, OverflowError) as exc:
            raise InvocationError(f"{value!r} is not a valid {self.kind}: {exc}") from None

    def __repr__(self) -> str:
        return f"<TypedView {self.kind} over {self.memory!r}>"


def read_string(memory: LinearMemory, address: int, length: int | None = None, *,
                encoding: str = "utf-8", errors: str = "replace") -> str:
    """Read a string: ``length`` bytes, or up to the first NUL byte when ``length`` is None.

    Raises:
        OutOfBounds: if the bytes (or the terminating NUL) are outside memory.
    """
    address = as_index(address, "address")
    if length is None:
        data = memory.data
        if address < 0 or address >= len(data):
            raise OutOfBounds(address, 1, len(data))
        end = memory.find(0, address)
        if end < 0:
            raise OutOfBounds(address, len(data) - address + 1, len(data))
        length = end - address
    return memory.read(address, length).decode(encoding, errors)


def write_string(memory: LinearMemory, address: int, text: str, *, encoding: str = "utf-8",
                 terminate: bool = True) -> int:
    """Write ``text`` (plus a NUL byte if ``terminate``); return the number of bytes written.

    Raises:
        OutOfBounds: if it does not fit (nothing is written).
    """
    if not isinstance(text, str):
        raise InvocationError(f"write_string needs a str, not {type(text).__name__}")
    data = text.encode(encoding) + (b"\0" if terminate else b"")
    memory.write(address, data)
    return len(data)


class Field:
    """One field of a :class:`Struct`: a name, an element type and an optional count."""

    def __init__(self, name: str, kind: str, count: int = 1) -> None:
        if kind not in VIEW_FORMATS and kind != "bytes":
            raise InvocationError(f"unknown field type {kind!r}")
        self.name = name
        self.kind = kind
        self.count = count

    @property
    def size(self) -> int:
        """Bytes this field takes."""
        if self.kind == "bytes":
            return self.count
        return struct.calcsize(VIEW_FORMATS[self.kind]) * self.count

    @property
    def alignment(self) -> int:
        """Natural alignment of the field (C rules)."""
        return 1 if self.kind == "bytes" else struct.calcsize(VIEW_FORMATS[self.kind])


class Struct:
    """A C-like record layout with natural alignment, for reading and writing records.

    ``Struct([("id", "i32"), ("height", "f64"), ("age", "i32")])`` lays out ``id`` at 0,
    ``height`` at 8 (aligned to 8) and ``age`` at 16, size 24, as a C compiler would.
    """

    def __init__(self, fields: Iterable[tuple[str, str] | tuple[str, str, int] | Field], *,
                 packed: bool = False) -> None:
        self.fields: list[Field] = []
        self.offsets: dict[str, int] = {}
        offset = 0
        alignment = 1
        for spec in fields:
            field = spec if isinstance(spec, Field) else Field(*spec)
            if not packed:
                offset = (offset + field.alignment - 1) // field.alignment * field.alignment
                alignment = max(alignment, field.alignment)
            self.fields.append(field)
            self.offsets[field.name] = offset
            offset += field.size
        self.size = offset if packed else (offset + alignment - 1) // alignment * alignment
        self.alignment = alignment

    def read(self, memory: LinearMemory, address: int) -> dict[str, Any]:
        """Read one record at ``address`` as ``{field: value}``.

        Raises:
            OutOfBounds: if the record is outside memory.
        """
        raw = memory.read(address, self.size)
        out: dict[str, Any] = {}
        for field in self.fields:
            start = self.offsets[field.name]
            if field.kind == "bytes":
                out[field.name] = raw[start:start + field.count]
                continue
            fmt = "<" + str(field.count) + VIEW_FORMATS[field.kind][1]
            values = struct.unpack_from(fmt, raw, start)
            out[field.name] = values[0] if field.count == 1 else list(values)
        return out

    def write(self, memory: LinearMemory, address: int, values: dict[str, Any]) -> None:
        """Write the given fields of one record (others keep their bytes).

        Raises:
            OutOfBounds: if the record is outside memory (nothing is written).
            InvocationError: unknown field or bad value.
        """
        memory.check(address, self.size)
        chunks: list[tuple[int, bytes]] = []
        for name, value in values.items():
            field = next((f for f in self.fields if f.name == name), None)
            if field is None:
                raise InvocationError(f"no field {name!r}")
            start = address + self.offsets[name]
            if field.kind == "bytes":
                data = bytes(as_bytes(value))  # raw bytes of any bytes-like value
                if len(data) != field.count:
                    raise InvocationError(f"field {name!r} holds {field.count} bytes")
            else:
                items: Sequence[Any] = [value] if field.count == 1 else value
                fmt = "<" + str(field.count) + VIEW_FORMATS[field.kind][1]
                try:
                    data = struct.pack(fmt, *items)
                except (struct.error, TypeError, OverflowError) as exc:
                    raise InvocationError(f"bad value for {name!r}: {exc}") from None
            chunks.append((start, data))
        for start, data in chunks:
            memory.write(start, data)

    def describe(self) -> str:
        """A table of the layout: offset, size, type and name of each field."""
        lines = [f"struct of {self.size} bytes, aligned to {self.alignment}"]
        for field in self.fields:
            count = f"[{field.count}]" if field.count != 1 and field.kind != "bytes" else ""
            kind = f"bytes[{field.count}]" if field.kind == "bytes" else field.kind + count
            lines.append(f"  +{self.offsets[field.name]:<4} {field.size:>3}  {kind:<10} "
                         f"{field.name}")
        return "\n".join(lines)
