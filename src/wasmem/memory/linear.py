"""Linear memory instances (spec "Runtime Structure / Memory Instances").

A :class:`LinearMemory` owns one ``bytearray``; every access to linear memory, from guest
code, the host API, the inspector or the allocators, goes through this module. Bulk
operations are slice operations on that buffer (C speed), always bounds-checked *before*
anything is written, so a failing operation changes no byte.

The backing buffer is a ``bytearray`` (an anonymous ``mmap`` for memories that start
very large, so that allocating them costs nothing until their pages are touched).
``memory.grow`` resizes it in place (amortised, or ``mremap``), so growing page by page
stays linear, and the buffer object keeps its identity. Code that keeps a reference to
the buffer registers with :meth:`LinearMemory.bind` anyway, so it would be re-pointed if
the buffer object were ever replaced.
"""

from __future__ import annotations

import mmap
from typing import Any, Union

try:  # C-speed memset for memory.fill; the slice fallback works everywhere
    import ctypes
except ImportError:  # pragma: no cover - CPython builds without ctypes
    ctypes = None  # type: ignore[assignment]

from ..errors import Trap, TrapCode, TrapMessage
from ..syntax.types import MAX_PAGES_32, MAX_PAGES_64, PAGE_SIZE, Limits, MemoryType, NumType

__all__ = ["LinearMemory", "OutOfBounds", "PAGE_SIZE"]

Buffer = Union[mmap.mmap, bytearray]
"""The backing store: a bytearray, or for memories that start large an anonymous mmap
(zero pages cost nothing until touched)."""

_ZERO_PAGE = bytes(PAGE_SIZE)

MMAP_THRESHOLD = 64 << 20
"""Memories that start at least this large (bytes) are backed by an anonymous mmap;
smaller ones by a bytearray, whose single-byte stores are about twice as fast."""


_MAP_FLAGS = getattr(mmap, "MAP_PRIVATE", 0) | getattr(mmap, "MAP_ANONYMOUS", 0) | getattr(
    mmap, "MAP_NORESERVE", 0)


def _allocate(size: int) -> Buffer:
    """Return a zero-filled buffer of ``size`` bytes (lazily committed by the OS).

    A *private* anonymous mapping: a shared one cannot grow with ``resize`` (the pages
    past its first size would raise SIGBUS).
    """
    if size < MMAP_THRESHOLD:
        return bytearray(size)
    if _MAP_FLAGS:
        return mmap.mmap(-1, size, flags=_MAP_FLAGS)
    return mmap.mmap(-1, size)  # pragma: no cover - platforms without MAP_PRIVATE


class OutOfBounds(Trap):
    """An access outside the memory's current size: the spec's "out of bounds memory access".

    ``address`` and ``length`` describe the access, ``size`` the memory size in bytes then.
    """

    default_code = TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS

    def __init__(self, address: int, length: int, size: int) -> None:
        self.address = address
        self.length = length
        self.size = size
        super().__init__(TrapMessage.OUT_OF_BOUNDS_MEMORY)

    def detail(self) -> str:
        """Return a human description: which bytes were asked for and how big memory is."""
        end = self.address + self.length
        return (f"access of {self.length} byte(s) at 0x{self.address:x}..0x{end:x} "
                f"beyond memory size 0x{self.size:x}")


_MEMSET_MIN = 4096
"""Bulk operations at least this long go through memset / memoryview (no temporaries)."""


class LinearMemory:
    """A memory instance: a byte buffer of ``pages * 64 KiB`` with limits.

    Args:
        type: the memory type (limits in pages, address type).
        max_pages_cap: a host-set ceiling on the size in pages; ``memory.grow`` beyond it
            returns -1 even if the declared maximum allows more.

    Raises:
        Trap: if the initial size cannot be allocated (``MemoryError``) or exceeds the cap.
    """

    __slots__ = ("__weakref__", "_bindings", "_limit_pages", "_view_bindings", "_views", "data",
                 "max_pages_cap", "type")

    def __init__(self, type: MemoryType, *, max_pages_cap: int | None = None) -> None:
        self.type = type
        self.max_pages_cap = max_pages_cap
        arch = MAX_PAGES_64 if type.address_type is NumType.I64 else MAX_PAGES_32
        limit = arch if type.limits.max is None else min(type.limits.max, arch)
        if max_pages_cap is not None:
            limit = min(limit, max_pages_cap)
        self._limit_pages = limit
        if type.limits.min > limit:
            raise Trap(f"memory of {type.limits.min} pages exceeds the limit of {limit} pages",
                       code=TrapCode.RESOURCE_EXHAUSTED)
        self._bindings: list[tuple[dict[str, Any], str]] = []
        self._views: dict[str, memoryview] = {}
        self._view_bindings: list[tuple[dict[str, Any], str, str]] = []
        try:
            self.data: Buffer = _allocate(type.limits.min * PAGE_SIZE)
        except (MemoryError, OverflowError, OSError, ValueError) as exc:
            raise Trap(f"cannot allocate {type.limits.min} pages of memory",
                       code=TrapCode.RESOURCE_EXHAUSTED) from exc

    def bind(self, namespace: dict[str, Any], key: str) -> None:
        """Set ``namespace[key]`` to the buffer, and keep it so if the buffer changes."""
        namespace[key] = self.data
        self._bindings.append((namespace, key))

    def view(self, code: str) -> memoryview:
        """Return the buffer cast to ``code`` items (``"I"``, ``"Q"``, ``"H"``, ``"d"``).

        Views are for aligned access by compiled code; they are released and recreated
        around growth (a buffer cannot be resized while views of it exist).
        """
        view = self._views.get(code)
        if view is None:
            view = memoryview(self.data).cast("B").cast(code)  # type: ignore[call-overload]
            self._views[code] = view
        return view

    def bind_view(self, namespace: dict[str, Any], key: str, code: str) -> None:
        """Set ``namespace[key]`` to :meth:`view` ``(code)`` and keep it current."""
        namespace[key] = self.view(code)
        self._view_bindings.append((namespace, key, code))

    def _release_views(self) -> list[str]:
        codes = list(self._views)
        for view in self._views.values():
            view.release()
        self._views.clear()
        return codes

    def _restore_views(self, codes: list[str]) -> None:
        for code in codes:
            self.view(code)
        for namespace, key, code in self._view_bindings:
            namespace[key] = self.view(code)

    # ------------------------------------------------------------------ size
    @property
    def pages(self) -> int:
        """Current size in pages."""
        return len(self.data) // PAGE_SIZE

    @property
    def size_bytes(self) -> int:
        """Current size in bytes."""
        return len(self.data)

    @property
    def is64(self) -> bool:
        """True for a memory64 memory (i64 addresses)."""
        return self.type.address_type is NumType.I64

    @property
    def limits(self) -> Limits:
        """Current limits: the current size as minimum, the declared maximum."""
        return Limits(self.pages, self.type.limits.max)

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages (spec ``memory.grow``).

        Returns:
            The old size in pages, or -1 if the new size would exceed the declared maximum,
            the address-space limit, the host cap, or the host is out of memory. Never raises.
        """
        old = len(self.data) // PAGE_SIZE
        if delta < 0 or old + delta > self._limit_pages:
            return -1
        if delta == 0:
            return old
        new_size = (old + delta) * PAGE_SIZE
        data = self.data
        codes = self._release_views()
        try:
            if isinstance(data, mmap.mmap):
                data.resize(new_size)
            elif delta == 1:
                data += _ZERO_PAGE
            else:
                data.extend(bytes(delta * PAGE_SIZE))
        except (MemoryError, OverflowError, BufferError, OSError, ValueError, SystemError):
            return -1
        finally:
            self._restore_views(codes)
        return old

    def _replace(self, data: Buffer) -> None:
        """Switch to a new buffer holding the same bytes, re-pointing every binding."""
        codes = self._release_views()
        data[:len(self.data)] = self.data
        self.data = data
        for namespace, key in self._bindings:
            namespace[key] = data
        self._restore_views(codes)

    # ------------------------------------------------------------------ bounds
    def check(self, address: int, length: int) -> None:
        """Raise :class:`OutOfBounds` unless ``[address, address+length)`` lies in memory."""
        if address < 0 or length < 0 or address + length > len(self.data):
            raise OutOfBounds(address, length, len(self.data))

    # ------------------------------------------------------------------ bytes
    def read(self, address: int, length: int) -> bytes:
        """Return ``length`` bytes from ``address``.

        Raises:
            OutOfBounds: if any byte is outside memory.
        """
        data = self.data
        if address < 0 or length < 0 or address + length > len(data):
            raise OutOfBounds(address, length, len(data))
        return bytes(data[address:address + length])

    def write(self, address: int, values: bytes | bytearray | memoryview) -> None:
        """Write ``values`` at ``address``; nothing is written if it does not fit.

        Raises:
            OutOfBounds: if any byte would fall outside memory.
        """
        data = self.data
        n = len(values)
        if address < 0 or address + n > len(data):
            raise OutOfBounds(address, n, len(data))
        data[address:address + n] = values

    def fill(self, address: int, value: int, length: int) -> None:
        """Set ``length`` bytes at ``address`` to ``value & 0xFF`` (spec ``memory.fill``).

        Raises:
            OutOfBounds: if the range is outside memory (checked before writing).
        """
        data = self.data
        if address + length > len(data):
            raise OutOfBounds(address, length, len(data))
        if length >= _MEMSET_MIN and ctypes is not None:
            window = (ctypes.c_char * length).from_buffer(data, address)
            try:
                ctypes.memset(window, value & 0xFF, length)  # one pass, no temporary
            finally:
                del window  # releases the buffer export, so the memory can grow again
        elif length:
            data[address:address + length] = bytes((value & 0xFF,)) * length

    def copy(self, destination: int, source: int, length: int,
             source_memory: LinearMemory | None = None) -> None:
        """Copy ``length`` bytes from ``source`` to ``destination`` (spec ``memory.copy``).

        Overlapping ranges behave like ``memmove``. ``source_memory`` is the memory to read
        from (multi-memory), this one by default.

        Raises:
            OutOfBounds: if either range is outside its memory (checked before writing).
        """
        data = self.data
        src = data if source_memory is None else source_memory.data
        if source + length > len(src):
            raise OutOfBounds(source, length, len(src))
        if destination + length > len(data):
            raise OutOfBounds(destination, length, len(data))
        if length:
            if source_memory is None and isinstance(data, mmap.mmap):
                data.move(destination, source, length)
            elif length >= _MEMSET_MIN:
                # memoryview slice assignment is a memmove: no temporary copy
                with memoryview(data) as target, memoryview(src) as origin:
                    target[destination:destination + length] = \
                        origin[source:source + length]
            else:
                data[destination:destination + length] = src[source:source + length]

    def init(self, destination: int, segment: bytes, offset: int, length: int) -> None:
        """Copy ``segment[offset:offset+length]`` to ``destination`` (spec ``memory.init``).

        Raises:
            OutOfBounds: if the segment range or the memory range is out of bounds.
        """
        data = self.data
        if offset + length > len(segment) or destination + length > len(data):
            raise OutOfBounds(destination, length, len(data))
        if length:
            data[destination:destination + length] = segment[offset:offset + length]

    def __repr__(self) -> str:
        maximum = self.type.limits.max
        return (f"<LinearMemory {self.pages} page(s)"
                f"{'' if maximum is None else f' max {maximum}'}"
                f"{' i64' if self.is64 else ''}>")
