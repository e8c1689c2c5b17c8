"""Linear memories: :class:`Memory`, bounds-checked byte, typed and zero-copy access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InvocationError
from ..memory.linear import LinearMemory, as_index
from ..memory.views import Struct, TypedView, read_string, write_string
from ..syntax.types import Limits, MemoryType, NumType

if TYPE_CHECKING:  # imported where used: most programs never inspect memory
    from ..memory.inspect import Change, Snapshot

__all__ = ["Memory"]


class Memory:
    """A linear memory: what an exported memory gives you, or a new one for imports.

    ``Memory(minimum, maximum=None, memory64=False)`` creates a memory of ``minimum``
    pages (64 KiB each). Every access is bounds-checked: out of range raises
    :class:`wasmem.Trap` ("out of bounds memory access") and writes nothing.
    """

    _memory: LinearMemory

    def __init__(self, minimum: int = 1, maximum: int | None = None, *,
                 memory64: bool = False) -> None:
        address = NumType.I64 if memory64 else NumType.I32
        minimum = as_index(minimum, "minimum")
        maximum = None if maximum is None else as_index(maximum, "maximum")
        if minimum < 0 or (maximum is not None and maximum < minimum):
            raise InvocationError(f"bad memory limits {minimum}..{maximum}")
        self._memory = LinearMemory(MemoryType(Limits(minimum, maximum), address))

    @classmethod
    def _of(cls, memory: LinearMemory) -> Memory:
        m = cls.__new__(cls)
        m._memory = memory
        return m

    @property
    def size(self) -> int:
        """Current size in pages."""
        return self._memory.pages

    @property
    def size_bytes(self) -> int:
        """Current size in bytes."""
        return self._memory.size_bytes

    @property
    def maximum(self) -> int | None:
        """Declared maximum in pages, or None."""
        return self._memory.type.limits.max

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages; return the old size in pages, or -1 if it cannot."""
        return self._memory.grow(delta)

    def read(self, address: int, length: int) -> bytes:
        """Return ``length`` bytes at ``address``. Raises Trap when out of bounds."""
        return self._memory.read(address, length)

    def write(self, address: int, data: Any) -> None:
        """Write the raw bytes of ``data`` (any bytes-like object: bytes, bytearray, array,
        memoryview of any format or layout, numpy array) at ``address``.

        Raises:
            Trap: out of bounds (nothing written; the memory never changes size).
            InvocationError: ``data`` is not bytes-like.
        """
        self._memory.write(address, data)

    # ---------------------------------------------------------------- zero-copy access
    @property
    def buffer(self) -> memoryview:
        """A writable ``memoryview`` of the memory's bytes, without copying.

        It stays valid when the memory grows (keeping its length: take a new one to see
        new pages), and holding it never makes ``memory.grow`` fail. ``memoryview(memory)``
        (Python 3.12+), ``numpy.frombuffer(memory.buffer)`` and ``numpy.asarray(memory)``
        give the same bytes.
        """
        return self._memory.buffer()

    def __buffer__(self, flags: int) -> memoryview:
        """Buffer protocol (PEP 688, Python 3.12+): ``memoryview(memory)`` is zero-copy."""
        return self._memory.buffer()

    def __release_buffer__(self, view: memoryview) -> None:
        """Buffer protocol (PEP 688): nothing to do, the bytes never move while viewed."""

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Any:
        """``numpy.asarray(memory)``: a uint8 array sharing the memory's bytes (numpy is
        optional and imported only here). Raises ImportError without numpy."""
        import numpy

        array = numpy.frombuffer(self._memory.buffer(), dtype=numpy.uint8)
        if dtype is not None:
            array = array.view(dtype)
        return array.copy() if copy else array

    def read_into(self, address: int, buffer: Any) -> int:
        """Fill a writable buffer (bytearray, array, numpy array...) with the bytes at
        ``address``; return the number of bytes copied.

        Raises:
            Trap: out of bounds (the buffer is unchanged).
            InvocationError: ``buffer`` is not a writable contiguous buffer.
        """
        return self._memory.read_into(address, buffer)

    # ---------------------------------------------------------------- typed access
    def view(self, kind: str) -> TypedView:
        """A typed view addressed in bytes: ``memory.view("i32")[0x100]``.

        Kinds: i8 u8 i16 u16 i32 u32 i64 u64 f32 f64 (also as properties, ``memory.i32``).
        """
        return TypedView(self._memory, kind)

    i8 = property(lambda self: self.view("i8"), doc="Signed bytes.")
    u8 = property(lambda self: self.view("u8"), doc="Unsigned bytes.")
    i16 = property(lambda self: self.view("i16"), doc="Signed 16-bit integers.")
    u16 = property(lambda self: self.view("u16"), doc="Unsigned 16-bit integers.")
    i32 = property(lambda self: self.view("i32"), doc="Signed 32-bit integers.")
    u32 = property(lambda self: self.view("u32"), doc="Unsigned 32-bit integers.")
    i64 = property(lambda self: self.view("i64"), doc="Signed 64-bit integers.")
    u64 = property(lambda self: self.view("u64"), doc="Unsigned 64-bit integers.")
    f32 = property(lambda self: self.view("f32"), doc="32-bit floats.")
    f64 = property(lambda self: self.view("f64"), doc="64-bit floats.")

    def read_string(self, address: int, length: int | None = None, *,
                    encoding: str = "utf-8") -> str:
        """Read ``length`` bytes as text, or up to the first NUL byte if ``length`` is None."""
        return read_string(self._memory, address, length, encoding=encoding)

    def write_string(self, address: int, text: str, *, terminate: bool = True) -> int:
        """Write UTF-8 text (NUL-terminated unless ``terminate=False``); return bytes written."""
        return write_string(self._memory, address, text, terminate=terminate)

    def read_struct(self, layout: Struct, address: int) -> dict[str, Any]:
        """Read one record laid out by a :class:`wasmem.memory.views.Struct`."""
        return layout.read(self._memory, address)

    def write_struct(self, layout: Struct, address: int, values: dict[str, Any]) -> None:
        """Write fields of one record laid out by ``layout``."""
        layout.write(self._memory, address, values)

    # ---------------------------------------------------------------- inspection
    def hexdump(self, address: int = 0, length: int = 256, *, skip_zero_lines: bool = False) -> str:
        """A ``hexdump -C`` style dump of a range (clipped to the memory)."""
        from ..memory.inspect import hexdump
        return hexdump(self._memory, address, length, skip_zero_lines=skip_zero_lines)

    def map(self, labels: dict[int, str] | None = None) -> str:
        """A map of used and empty regions, with optional labels at addresses."""
        from ..memory.inspect import memory_map
        return memory_map(self._memory, labels=labels)

    def snapshot(self) -> Snapshot:
        """Copy the current bytes, to :meth:`diff` against later."""
        from ..memory.inspect import Snapshot
        return Snapshot(self._memory)

    def diff(self, snapshot: Snapshot) -> list[Change]:
        """The byte ranges that changed since ``snapshot``."""
        from ..memory.inspect import diff
        return diff(snapshot, self._memory)

    def __len__(self) -> int:
        return self._memory.size_bytes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Memory) and other._memory is self._memory

    def __hash__(self) -> int:
        return id(self._memory)

    def __repr__(self) -> str:
        return f"<wasmem.Memory {self.size} page(s) max={self.maximum}>"
