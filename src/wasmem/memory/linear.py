"""Linear memory instances (spec "Runtime Structure / Memory Instances").

A :class:`LinearMemory` owns its bytes; every access to linear memory, from guest code,
the host API, the inspector or the allocators, goes through this module. Bulk operations
are slice operations (C speed), always bounds-checked *before* anything is written, so a
failing operation changes no byte.

Backing store: a *reservation* of address space, an anonymous private ``mmap`` as large
as the memory may ever become (its declared maximum or the host cap, whichever is
smaller). The OS commits a page only when it is first touched, so untouched pages cost
no RAM, and the reservation never moves or shrinks. ``data`` is a ``memoryview`` of the
visible part (``pages * 64 KiB``); ``memory.grow`` only replaces it by a longer one
(the new bytes are zero by construction) and re-points every binding (:meth:`bind`,
:meth:`bind_view`, :meth:`bind_shifted_views`). Views handed out earlier, by the host
or by compiled code, stay valid across growth, and no view can make ``memory.grow``
fail.

Memories that can never grow (minimum equal to maximum) use a plain ``bytearray``
(slightly faster byte access) up to :data:`FIXED_BYTEARRAY_LIMIT`; a bigger one is a
reservation too (a ``bytearray`` is zero-filled at once: ``(memory 65536 65536)`` would
commit 4 GiB). Where ``mmap`` is unavailable or the reservation is
refused (e.g. ``ulimit -v``), the memory falls back to a smaller reservation or a
``bytearray`` and moves to a larger buffer when it outgrows it; views taken before such
a move keep the old bytes (still valid, no longer updated).
"""

from __future__ import annotations

import sys
from typing import Any, TypeAlias

try:
    import mmap
except ImportError:  # pragma: no cover - platforms without mmap
    mmap = None  # type: ignore[assignment]


from ..errors import InvocationError, ResourceLimitError, Trap, TrapCode, TrapMessage
from ..import_bundle import count_memory
from ..runtime.caps import CapsRefs, ResourceCaps, as_index, charge_all, live_caps
from ..syntax.types import MAX_PAGES_32, MAX_PAGES_64, PAGE_SIZE, Limits, MemoryType, NumType

__all__ = ["LinearMemory", "OutOfBounds", "PAGE_SIZE", "RESERVATION_LIMIT", "as_bytes", "as_index"]

Buffer: TypeAlias = "mmap.mmap | bytearray | memoryview"
"""What ``data`` is: a memoryview of the visible bytes (or a bytearray for fixed memories)."""

RESERVATION_LIMIT = 1 << 33
"""Largest address-space reservation (bytes) for one memory: 8 GiB. A memory allowed to
grow past it (memory64 without a host cap) moves to a larger buffer when it does."""

FIXED_BYTEARRAY_LIMIT = 1 << 26
"""Largest memory (bytes) that never grows to get a ``bytearray``: 64 MiB."""

_MAP_NORESERVE = getattr(mmap, "MAP_NORESERVE", 0x4000 if sys.platform.startswith("linux")
                         else 0)
_MAP_FLAGS = (getattr(mmap, "MAP_PRIVATE", 0) | getattr(mmap, "MAP_ANONYMOUS", 0)
              | _MAP_NORESERVE)


def _reserve(size: int, wanted: int, spare: int = 0) -> mmap.mmap | bytearray:
    """Return a zero-filled store of at least ``size`` bytes, ``wanted`` if possible.

    Tries an anonymous private mapping of ``wanted`` bytes (address space only), then of
    ``size``, then a ``bytearray`` of ``size`` plus up to ``spare`` bytes of headroom (so
    that growing page by page without mmap stays linear).

    Raises:
        MemoryError: if not even ``size`` bytes can be had.
    """
    if mmap is not None and _MAP_FLAGS:
        for length in (wanted, size) if wanted > size else (size,):
            try:
                return mmap.mmap(-1, max(length, 1), flags=_MAP_FLAGS)
            except (OSError, OverflowError, ValueError, MemoryError):
                continue
    try:
        if spare:
            try:
                return bytearray(max(size, min(wanted, size + spare)))
            except MemoryError:
                pass
        return bytearray(size)
    except (OverflowError, ValueError) as exc:
        raise MemoryError(str(exc)) from None


def as_bytes(values: Any) -> memoryview:
    """Return the raw bytes of a bytes-like object as a flat ``"B"`` memoryview.

    Any object with the buffer protocol (any item format, any shape, non-contiguous
    views too) gives its bytes in C order; a list or tuple of ints 0..255 is accepted.

    Raises:
        InvocationError: for anything else (``str``, an int, numbers above 255, ...).
    """
    if isinstance(values, (list, tuple)):
        try:
            return memoryview(bytes(values))
        except (TypeError, ValueError) as exc:
            raise InvocationError(f"a list of bytes must hold ints 0..255: {exc}") from None
    try:
        view = memoryview(values)
    except TypeError:
        raise InvocationError(f"expected a bytes-like object, not {type(values).__name__}") \
            from None
    if view.format == "B" and view.ndim == 1 and view.c_contiguous:
        return view
    if view.c_contiguous:
        return view.cast("B")
    return memoryview(view.tobytes())




class OutOfBounds(Trap, IndexError):
    """An access outside the memory's current size: the spec's "out of bounds memory access".

    Also an ``IndexError``, as Python expects of ``memory.u8[i]`` from the host.

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


_FILL_CHUNK = 1 << 16
"""``fill`` writes longer ranges in chunks of this many bytes (one shared pattern)."""


def _cast(data: Any, code: str) -> memoryview:
    """``data`` cast to ``code`` items; ``"I+k"``: the items starting at byte ``k`` (as
    many whole ones as fit)."""
    if "+" not in code:
        return memoryview(data).cast(code)  # type: ignore[call-overload, no-any-return]
    base, start = code.split("+")
    k = int(start)
    size = memoryview(b"").cast(base).itemsize  # type: ignore[call-overload]
    whole = (len(data) - k) // size if len(data) > k else 0
    return memoryview(data)[k:k + whole * size].cast(base)  # type: ignore[call-overload, no-any-return]


class LinearMemory:
    """A memory instance: ``pages * 64 KiB`` visible bytes with limits.

    Args:
        type: the memory type (limits in pages, address type).
        max_pages_cap: a host-set ceiling on the size in pages; ``memory.grow`` beyond it
            returns -1 even if the declared maximum allows more.
        caps: the resource caps of the instance creating it (charged by the caller).

    Raises:
        ResourceLimitError: if the initial size exceeds ``max_pages_cap``.
        Trap: if the initial size exceeds the address space or cannot be allocated.
    """

    __slots__ = ("__weakref__", "_bindings", "_capacity", "_caps", "_limit_pages", "_store",
                 "_view_bindings", "_view_lists", "_views", "data", "max_pages_cap",
                 "observers", "type")

    def __init__(self, type: MemoryType, *, max_pages_cap: int | None = None,
                 caps: ResourceCaps | None = None) -> None:
        self.type = type
        self.max_pages_cap = max_pages_cap
        self.observers: tuple[Any, ...] = ()
        """Who is told of :meth:`read`, :meth:`read_into` and :meth:`write` (the host's
        accesses; guest code reads and writes ``data`` directly): objects with
        ``read(memory, address, size, data)``, ``before_write(memory, address, size)``
        (returns a token) and ``wrote(memory, address, size, token)``. Replaced whole,
        never mutated (:mod:`wasmem.observe.host`)."""
        arch = MAX_PAGES_64 if type.address_type is NumType.I64 else MAX_PAGES_32
        limit = arch if type.limits.max is None else min(type.limits.max, arch)
        minimum = type.limits.min
        if minimum > limit:
            raise Trap(f"memory of {minimum} pages exceeds the limit of {limit} pages",
                       code=TrapCode.RESOURCE_EXHAUSTED)
        if max_pages_cap is not None:
            limit = min(limit, max_pages_cap)
            if minimum > limit:
                raise ResourceLimitError(
                    f"memory of {minimum} pages exceeds max_memory_pages={max_pages_cap}",
                    cap="max_memory_pages")
        self._caps: CapsRefs = []
        if caps is not None:
            limit = min(limit, caps.max_memory_bytes // PAGE_SIZE)
            if minimum > limit:
                raise ResourceLimitError(
                    f"memory of {minimum} pages exceeds max_memory_bytes="
                    f"{caps.max_memory_bytes}", cap="max_memory_bytes")
            charge_all(self._caps, caps)
        self._limit_pages = limit
        self._bindings: list[tuple[dict[str, Any], str]] = []
        self._views: dict[str, memoryview] = {}
        self._view_bindings: list[tuple[dict[str, Any], str, str]] = []
        self._view_lists: list[tuple[list[memoryview], tuple[str, ...]]] = []
        size = minimum * PAGE_SIZE
        try:
            if limit == minimum and size <= FIXED_BYTEARRAY_LIMIT:
                self._store: mmap.mmap | bytearray = bytearray(size)
            else:
                self._store = _reserve(size, min(limit * PAGE_SIZE, RESERVATION_LIMIT))
        except (MemoryError, OverflowError, OSError, ValueError) as exc:
            raise Trap(f"cannot allocate {minimum} pages of memory",
                       code=TrapCode.RESOURCE_EXHAUSTED) from exc
        self._capacity = len(self._store)
        count_memory(size)  # (bounds how long dropped memories wait for the collector)
        store = self._store
        self.data: Buffer = store if isinstance(store, bytearray) and limit == minimum \
            else memoryview(store)[:size]

    def govern(self, caps: ResourceCaps) -> None:
        """Make later growth count against ``caps`` too (an instance importing this memory;
        the caller has charged the current size)."""
        charge_all(self._caps, caps)

    def bind(self, namespace: dict[str, Any], key: str) -> None:
        """Set ``namespace[key]`` to ``data``, and keep it so when the memory grows."""
        namespace[key] = self.data
        self._bindings.append((namespace, key))

    def view(self, code: str) -> memoryview:
        """Return the visible bytes cast to ``code`` items (``"I"``, ``"Q"``, ``"H"``, ``"d"``).

        Views are for aligned access by compiled code; growth makes longer ones (the old
        ones stay valid).
        """
        view = self._views.get(code)
        if view is None:
            view = _cast(self.data, code)
            self._views[code] = view
        return view

    def bind_shifted_views(self, namespace: dict[str, Any], key: str, code: str) -> None:
        """Set ``namespace[key]`` to a list of ``n`` views cast to ``code`` (``n`` its
        item size), view ``k`` starting at byte ``k``: item ``a >> log2(n)`` of view
        ``a & (n - 1)`` holds the ``n`` bytes at any address ``a`` (an index past the end
        for exactly the addresses whose bytes pass the end). Growth updates the list in
        place."""
        size = memoryview(b"").cast(code).itemsize  # type: ignore[call-overload]
        codes = tuple(code if k == 0 else f"{code}+{k}" for k in range(size))
        views = [self.view(c) for c in codes]
        namespace[key] = views
        self._view_lists.append((views, codes))

    def bind_view(self, namespace: dict[str, Any], key: str, code: str) -> None:
        """Set ``namespace[key]`` to :meth:`view` ``(code)`` and keep it current."""
        namespace[key] = self.view(code)
        self._view_bindings.append((namespace, key, code))

    def buffer(self) -> memoryview:
        """Return a writable ``"B"`` memoryview of the memory as it is now (zero-copy).

        It stays valid across ``memory.grow`` (it keeps its length; take a new one to see
        the new pages) and never makes growth fail.
        """
        return memoryview(self.data)

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
    def limit_pages(self) -> int:
        """The most pages this memory can ever hold: its maximum, the address type's,
        or the embedder's cap, whichever is least."""
        return self._limit_pages

    @property
    def is64(self) -> bool:
        """True for a memory64 memory (i64 addresses)."""
        return self.type.address_type is NumType.I64

    @property
    def limits(self) -> Limits:
        """Current limits: the current size as minimum, the declared maximum."""
        return Limits(self.pages, self.type.limits.max)

    @property
    def reserved_bytes(self) -> int:
        """Bytes of address space reserved now (the memory grows in place up to this)."""
        return self._capacity

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages (spec ``memory.grow``).

        Everything that can fail (allocation, views, caps) happens before anything
        changes, and the commit only stores references, so an exception at any point
        (even ``RecursionError`` at the call-depth limit) leaves the memory as it was.

        Returns:
            The old size in pages, or -1 if the new size would exceed the declared maximum,
            the address-space limit, a host cap (``max_memory_pages``, the
            ``max_memory_bytes`` of any instance holding the memory) or the host is out of
            memory.

        Raises:
            InvocationError: if ``delta`` is not an integer.
        """
        delta = as_index(delta, "memory.grow's delta")
        old_size = len(self.data)
        old = old_size // PAGE_SIZE
        if delta < 0 or old + delta > self._limit_pages:
            return -1
        if delta == 0:
            return old
        added = delta * PAGE_SIZE
        caps = live_caps(self._caps) if self._caps else []
        for cap in caps:
            if cap.memory_bytes + added > cap.max_memory_bytes:
                return -1
        new_size = old_size + added
        store = self._store
        capacity = self._capacity
        try:
            if new_size > capacity:
                store = _reserve(new_size, min(self._limit_pages * PAGE_SIZE,
                                               max(RESERVATION_LIMIT, 2 * new_size)),
                                 spare=new_size // 2)
                capacity = len(store)
                store[:old_size] = self.data
            data = memoryview(store)[:new_size]
            views = {code: _cast(data, code) for code in self._views}
        except (MemoryError, OverflowError, BufferError, OSError, ValueError, SystemError):
            return -1
        # commit: attribute and item stores only (nothing here can raise)
        self._store = store
        self._capacity = capacity
        self.data = data
        for namespace, key in self._bindings:
            namespace[key] = data
        self._views = views
        for namespace, key, code in self._view_bindings:
            namespace[key] = views[code]
        for shifted, codes in self._view_lists:
            for k, code in enumerate(codes):
                shifted[k] = views[code]
        for cap in caps:
            cap.memory_bytes += added
        count_memory(added)
        return old

    # ------------------------------------------------------------------ bounds
    def check(self, address: int, length: int) -> None:
        """Raise :class:`OutOfBounds` unless ``[address, address+length)`` lies in memory.

        Raises:
            OutOfBounds: if any byte is outside (or the address or length is negative).
            InvocationError: if ``address`` or ``length`` is not an integer.
        """
        if type(address) is not int or type(length) is not int:
            address, length = as_index(address, "address"), as_index(length, "length")
        if address < 0 or length < 0 or address + length > len(self.data):
            raise OutOfBounds(address, length, len(self.data))

    # ------------------------------------------------------------------ bytes
    def read(self, address: int, length: int) -> bytes:
        """Return ``length`` bytes from ``address``.

        Raises:
            OutOfBounds: if any byte is outside memory.
            InvocationError: if ``address`` or ``length`` is not an integer.
        """
        data = self.data
        if type(address) is not int or type(length) is not int:
            address, length = as_index(address, "address"), as_index(length, "length")
        if address < 0 or length < 0 or address + length > len(data):
            raise OutOfBounds(address, length, len(data))
        value = bytes(data[address:address + length])
        if self.observers:
            for observer in self.observers:
                observer.read(self, address, length, value)
        return value

    def read_into(self, address: int, buffer: Any) -> int:
        """Copy bytes from ``address`` into a writable buffer, filling all of it.

        Returns:
            The number of bytes copied (the buffer's size in bytes).

        Raises:
            OutOfBounds: if the range is outside memory (the buffer is left unchanged).
            InvocationError: if ``buffer`` is not a writable contiguous buffer.
        """
        address = as_index(address, "address")
        try:
            target = memoryview(buffer)
        except TypeError:
            raise InvocationError(f"read_into needs a writable buffer, not "
                                  f"{type(buffer).__name__}") from None
        if target.readonly or not target.c_contiguous:
            raise InvocationError("read_into needs a writable, contiguous buffer")
        target = target.cast("B")
        n = target.nbytes
        data = self.data
        if address < 0 or address + n > len(data):
            raise OutOfBounds(address, n, len(data))
        target[:] = data[address:address + n]
        if self.observers:
            for observer in self.observers:
                observer.read(self, address, n, bytes(target))
        return n

    def write(self, address: int, values: Any) -> None:
        """Write the raw bytes of ``values`` at ``address``; nothing is written if they do
        not fit, and the memory never changes size.

        ``values`` is any bytes-like object (see :func:`as_bytes`).

        Raises:
            OutOfBounds: if any byte would fall outside memory.
            InvocationError: if ``values`` is not bytes-like or ``address`` not an integer.
        """
        if type(values) is not bytes:
            values = as_bytes(values)
        data = self.data
        n = len(values)
        if type(address) is not int:
            address = as_index(address, "address")
        if address < 0 or address + n > len(data):
            raise OutOfBounds(address, n, len(data))
        observers = self.observers
        if observers:
            tokens = [observer.before_write(self, address, n) for observer in observers]
            data[address:address + n] = values
            for observer, token in zip(observers, tokens):
                observer.wrote(self, address, n, token)
            return
        data[address:address + n] = values

    def find(self, value: int, start: int) -> int:
        """Return the address of the first byte equal to ``value`` at or after ``start``,
        or -1 (used for NUL-terminated strings)."""
        size = len(self.data)
        if start >= size:
            return -1
        return self._store.find(bytes((value,)), start, size)

    def fill(self, address: int, value: int, length: int) -> None:
        """Set ``length`` bytes at ``address`` to ``value & 0xFF`` (spec ``memory.fill``).

        Raises:
            OutOfBounds: if the range is outside memory (checked before writing).
            InvocationError: if an argument is not an integer.
        """
        data = self.data
        if type(address) is not int or type(length) is not int or type(value) is not int:
            address, length = as_index(address, "address"), as_index(length, "length")
            value = as_index(value, "value")
        if address < 0 or length < 0 or address + length > len(data):
            raise OutOfBounds(address, length, len(data))
        if length <= _FILL_CHUNK:
            data[address:address + length] = bytes((value & 0xFF,)) * length
            return
        # in chunks of one shared pattern: no temporary as long as the range (and no
        # ctypes: its import costs more than most programs' fills)
        chunk = bytes((value & 0xFF,)) * _FILL_CHUNK
        end = address + length
        for start in range(address, end - _FILL_CHUNK + 1, _FILL_CHUNK):
            data[start:start + _FILL_CHUNK] = chunk
        rest = length % _FILL_CHUNK
        if rest:
            data[end - rest:end] = chunk[:rest]

    def copy(self, destination: int, source: int, length: int,
             source_memory: LinearMemory | None = None) -> None:
        """Copy ``length`` bytes from ``source`` to ``destination`` (spec ``memory.copy``).

        Overlapping ranges behave like ``memmove``. ``source_memory`` is the memory to read
        from (multi-memory), this one by default.

        Raises:
            OutOfBounds: if either range is outside its memory, or an address or the
                length is negative (checked before writing).
            InvocationError: if an argument is not an integer.
        """
        data = self.data
        src = data if source_memory is None else source_memory.data
        if type(destination) is not int or type(source) is not int or type(length) is not int:
            destination, source = as_index(destination, "destination"), as_index(source, "source")
            length = as_index(length, "length")
        if source < 0 or length < 0 or source + length > len(src):
            raise OutOfBounds(source, length, len(src))
        if destination < 0 or destination + length > len(data):
            raise OutOfBounds(destination, length, len(data))
        if length:
            store = self._store
            if source_memory is None and not isinstance(store, bytearray):
                store.move(destination, source, length)  # in bounds: checked above
            else:
                # memoryview slice assignment is a memmove: no temporary copy
                with memoryview(data) as target, memoryview(src) as origin:
                    target[destination:destination + length] = \
                        origin[source:source + length]

    def init(self, destination: int, segment: bytes, offset: int, length: int) -> None:
        """Copy ``segment[offset:offset+length]`` to ``destination`` (spec ``memory.init``).

        Raises:
            OutOfBounds: if the segment range or the memory range is out of bounds.
        """
        data = self.data
        if (offset < 0 or length < 0 or destination < 0 or offset + length > len(segment)
                or destination + length > len(data)):
            raise OutOfBounds(destination, length, len(data))
        if length:
            data[destination:destination + length] = segment[offset:offset + length]

    def __repr__(self) -> str:
        maximum = self.type.limits.max
        return (f"<LinearMemory {self.pages} page(s)"
                f"{'' if maximum is None else f' max {maximum}'}"
                f"{' i64' if self.is64 else ''}>")
