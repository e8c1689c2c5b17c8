"""The kinds of memory access: one table from which every reader and writer is built.

An access kind is what sits in memory (``u8`` ... ``f64``: width, signedness, whether a
float, its little-endian :mod:`struct` format). Each scalar load and store instruction
reads or writes one kind and converts to or from its value type (spec "Execution /
Memory Instructions": ``t.loadN_sx`` reads N bits and extends them by ``sx``;
``t.storeN`` writes the low N bits). From this table come:

* the host's typed views (:data:`wasmem.memory.views.VIEW_FORMATS`);
* the Python expressions both execution tiers use for loads and stores
  (:func:`load_expression`, :func:`store_statement`) and the namespace they need
  (:func:`accessors`);
* the compiler's aligned fast path through typed views of the buffer
  (:func:`view_code`, :func:`view_name`).

Values are wasmem's internal representation: integers as unsigned bit patterns, f32 as
Python floats with NaN bits kept (by :func:`wasmem.exec.numeric.bits.f32_unpack`).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ..syntax.record import Record

__all__ = ["ACCESS_KINDS", "AccessKind", "F32_VIEW_CODE", "MEMORY_ACCESSES", "MemoryAccess",
           "accessors", "SIGNED_CODES", "call_sizes", "load_expression", "signed_view_code",
           "store_statement", "view_code", "view_name", "view_prefixes", "view_sizes"]


class AccessKind(Record):
    """What one access reads or writes in memory.

    Attributes:
        name: ``i8``/``u8``/.../``f64`` (``i`` signed, ``u`` unsigned, ``f`` float).
        size: bytes.
        signed: the bytes are read as a two's complement number.
        floating: an IEEE 754 number.
        format: the :mod:`struct` format of one little-endian element.
    """

    __slots__ = _compared = _shown = ("name", "size", "signed", "floating", "format")
    name: str
    size: int
    signed: bool
    floating: bool
    format: str

    def __init__(self, name: str, size: int, signed: bool, floating: bool,
                 format: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "signed", signed)
        object.__setattr__(self, "floating", floating)
        object.__setattr__(self, "format", format)

    @property
    def bits(self) -> int:
        return 8 * self.size

    @property
    def unpack_name(self) -> str:
        """The namespace name of this kind's reader, ``(buffer, offset) -> (value,)``
        (f32: ``(buffer, offset) -> value``); none for single bytes."""
        signed = self.signed and not self.floating
        return f"{'S' if signed else 'U'}{'F' if self.floating else ''}{self.bits}"

    @property
    def pack_name(self) -> str:
        """The namespace name of this kind's writer, ``(buffer, offset, value)``."""
        return f"P{'F' if self.floating else ''}{self.bits}"


ACCESS_KINDS: dict[str, AccessKind] = {
    kind.name: kind for kind in (
        AccessKind("i8", 1, True, False, "<b"), AccessKind("u8", 1, False, False, "<B"),
        AccessKind("i16", 2, True, False, "<h"), AccessKind("u16", 2, False, False, "<H"),
        AccessKind("i32", 4, True, False, "<i"), AccessKind("u32", 4, False, False, "<I"),
        AccessKind("i64", 8, True, False, "<q"), AccessKind("u64", 8, False, False, "<Q"),
        AccessKind("f32", 4, True, True, "<f"), AccessKind("f64", 8, True, True, "<d"))}
"""Every access kind by name (also the element types of the host's typed views)."""


class MemoryAccess(Record):
    """One scalar load or store instruction.

    Attributes:
        instruction: its text name (``i64.load16_s``).
        kind: what it reads or writes in memory.
        value_type: the operand or result type (``i32``, ``i64``, ``f32``, ``f64``).
        load: a load (else a store).
    """

    __slots__ = _compared = _shown = ("instruction", "kind", "value_type", "load")
    instruction: str
    kind: AccessKind
    value_type: str
    load: bool

    def __init__(self, instruction: str, kind: AccessKind, value_type: str,
                 load: bool) -> None:
        object.__setattr__(self, "instruction", instruction)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "value_type", value_type)
        object.__setattr__(self, "load", load)

    @property
    def value_bits(self) -> int:
        return 64 if self.value_type in ("i64", "f64") else 32

    @property
    def narrow(self) -> bool:
        """The access is narrower than the value: loads extend, stores truncate."""
        return self.kind.bits < self.value_bits


def _accesses() -> dict[str, MemoryAccess]:
    table: dict[str, MemoryAccess] = {}
    for t in ("i32", "i64", "f32", "f64"):
        full = t if t[0] == "f" else f"u{t[1:]}"  # integers: unsigned bit patterns
        table[f"{t}.load"] = MemoryAccess(f"{t}.load", ACCESS_KINDS[full], t, True)
        table[f"{t}.store"] = MemoryAccess(f"{t}.store", ACCESS_KINDS[full], t, False)
    for t, widths in (("i32", (8, 16)), ("i64", (8, 16, 32))):
        for n in widths:
            for sx, prefix in (("s", "i"), ("u", "u")):
                name = f"{t}.load{n}_{sx}"
                table[name] = MemoryAccess(name, ACCESS_KINDS[f"{prefix}{n}"], t, True)
            name = f"{t}.store{n}"
            table[name] = MemoryAccess(name, ACCESS_KINDS[f"u{n}"], t, False)
    return table


MEMORY_ACCESSES: dict[str, MemoryAccess] = _accesses()
"""The scalar load and store instructions by text name."""


def load_expression(name: str, buffer: str, address: str) -> str:
    """Python text of load ``name`` reading ``buffer`` (a bytearray) at ``address``.

    The text uses the names of :func:`accessors`; an access beyond the buffer raises
    ``IndexError`` or ``struct.error`` (bounds are the caller's job).
    """
    access = MEMORY_ACCESSES[name]
    kind = access.kind
    mask = f"0x{(1 << access.value_bits) - 1:X}"
    if kind.size == 1:
        byte = f"{buffer}[{address}]"
        return f"SX8_{access.value_bits}[{byte}]" if kind.signed else byte
    call = f"{kind.unpack_name}({buffer}, {address})"
    if kind.name == "f32":
        return call  # f32_unpack returns the value itself
    call += "[0]"
    if kind.signed and not kind.floating:
        return f"({call} & {mask})"
    return call


def store_statement(name: str, buffer: str, address: str, value: str,
                    fits: bool = False) -> str:
    """Python statement of store ``name`` writing ``value`` to ``buffer`` at ``address``
    (names of :func:`accessors`; raises like :func:`load_expression`). ``fits``: the
    value is known to fit the access, so a narrow store needs no mask."""
    access = MEMORY_ACCESSES[name]
    kind = access.kind
    if access.narrow and not fits:
        value = f"{value} & 0x{(1 << kind.bits) - 1:X}"
    if kind.size == 1:
        return f"{buffer}[{address}] = {value}"
    return f"{kind.pack_name}({buffer}, {address}, {value})"


def view_code(name: str) -> str | None:
    """The typed-view code (``memoryview.cast``) with which load or store ``name`` may
    index an aligned address directly, or None (single bytes, sign-extending loads,
    f32, whose NaN bits a view would not keep)."""
    kind = MEMORY_ACCESSES[name].kind
    if kind.size == 1 or kind.name == "f32" or (kind.signed and not kind.floating):
        return None
    return kind.format[1]


def view_name(code: str) -> str:
    """The namespace prefix of the typed view with code ``code`` (``V32``, ``VF64``; the
    signed integer views of :func:`signed_view_code` end in ``S``: ``V32S``)."""
    kind = next(k for k in ACCESS_KINDS.values() if k.format[1] == code)
    signed = "S" if kind.signed and not kind.floating else ""
    return f"V{'F' if kind.floating else ''}{kind.bits}{signed}"


SIGNED_CODES = {"H": "h", "I": "i", "Q": "q"}
"""Typed-view code of each unsigned integer kind of 2 to 8 bytes -> its signed twin's."""


def signed_view_code(name: str) -> str | None:
    """The typed-view code giving the two's complement value of the bytes load ``name``
    reads (``i32.load``, ``i64.load32_s``...: ``"i"``), for integer loads of 2 to 8
    bytes that read the whole value or sign-extend it; None for others."""
    access = MEMORY_ACCESSES[name]
    kind = access.kind
    if not access.load or kind.floating or kind.size == 1:
        return None
    if access.narrow and not kind.signed:
        return None  # (zero-extended: the value itself is its signed value)
    return SIGNED_CODES.get(kind.format[1].upper())


F32_VIEW_CODE = "f"
"""The typed-view code of f32 (``VF32``): compiled code reads and writes through it the
f32 values that are not NaNs (a NaN's bits go through ``UF32``/``PF32``, which keep them:
see ``exec/compiler/f32_scratch``)."""


def view_sizes() -> dict[str, int]:
    """Access size by the namespace prefix of every typed view (``V32`` -> 4)."""
    sizes: dict[str, int] = {view_name(F32_VIEW_CODE): 4}
    for name, access in MEMORY_ACCESSES.items():
        for code in (view_code(name), signed_view_code(name)):
            if code is not None:
                sizes[view_name(code)] = access.kind.size
    return sizes


def view_prefixes() -> dict[str, str]:
    """The namespace prefix of every typed view by its code (``"I"`` -> ``V32``): the
    views an instance's compiled code is given, one per code of :func:`view_code` and
    :func:`signed_view_code`."""
    codes = {code for name in MEMORY_ACCESSES
             for code in (view_code(name), signed_view_code(name)) if code is not None}
    codes.add(F32_VIEW_CODE)
    return {code: view_name(code) for code in sorted(codes)}


def call_sizes() -> dict[str, int]:
    """Access size by the name of every reader and writer of :func:`accessors`."""
    sizes: dict[str, int] = {}
    for kind in ACCESS_KINDS.values():
        if kind.size > 1:
            sizes[kind.unpack_name] = sizes[kind.pack_name] = kind.size
    return sizes


def accessors(f32_unpack: Callable[..., float],
              f32_pack_into: Callable[..., None]) -> dict[str, Any]:
    """The namespace the expressions of :func:`load_expression` and
    :func:`store_statement` need, given the NaN-preserving f32 reader and writer."""
    names: dict[str, Any] = {}
    for kind in ACCESS_KINDS.values():
        if kind.size == 1:
            continue
        if kind.name == "f32":
            names[kind.unpack_name], names[kind.pack_name] = f32_unpack, f32_pack_into
            continue
        packer = struct.Struct(kind.format)
        names[kind.unpack_name] = packer.unpack_from
        names[kind.pack_name] = packer.pack_into
    for bits in (32, 64):
        top = ((1 << bits) - 1) ^ 0xFF
        names[f"SX8_{bits}"] = tuple(b if b < 0x80 else b | top for b in range(256))
    return names
