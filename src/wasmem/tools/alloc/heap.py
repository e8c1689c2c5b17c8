"""What a heap walker returns: the blocks of a heap, its free lists, statistics, a checker.

A walker (:mod:`wasmem.tools.alloc.walkers`, :mod:`wasmem.tools.alloc.dlmalloc`) reads the
allocator's structures through the memory's bounds-checked ``read`` and builds a
:class:`Heap`. It does not stop at the first inconsistency: it records it (with the block
it concerns) and goes on as far as it safely can; :meth:`Heap.check` raises the first one
as :class:`HeapError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from .freelist import HeapError

__all__ = ["Block", "Heap", "HeapError", "HeapStats", "Readable", "MemoryReader"]


class Readable(Protocol):
    """Anything with a bounds-checked ``read`` and a ``size_bytes`` (``wasmem.Memory``)."""

    def read(self, address: int, length: int) -> bytes: ...

    @property
    def size_bytes(self) -> int: ...


class MemoryReader:
    """Little-endian words of a memory, read from one copy of its bytes taken at creation
    (a walk sees one consistent state); reading past its end raises :class:`HeapError`."""

    def __init__(self, memory: Readable) -> None:
        self.memory = memory
        self.size = memory.size_bytes
        self.data = memory.read(0, self.size)

    def u32(self, address: int) -> int:
        """The 32-bit word at ``address``. Raises HeapError: outside memory."""
        if not 0 <= address <= self.size - 4:
            raise HeapError(f"read of 0x{address:x} is outside memory (0x{self.size:x} bytes)")
        return int.from_bytes(self.data[address:address + 4], "little")

    def bytes(self, address: int, length: int) -> bytes:
        """``length`` bytes at ``address``. Raises HeapError: outside memory."""
        if not 0 <= address <= self.size - length:
            raise HeapError(f"read of 0x{address:x} is outside memory (0x{self.size:x} bytes)")
        return self.data[address:address + length]


@dataclass(frozen=True)
class Block:
    """One block of a heap.

    ``address`` is where the block (with its header) starts and ``size`` its length in
    bytes; ``payload_start``/``payload_end`` delimit the bytes a program may use (for an
    in-use block ``payload_start`` is the pointer malloc returned).
    """

    address: int
    size: int
    in_use: bool
    payload_start: int
    payload_end: int

    @property
    def end(self) -> int:
        """One past the block's last byte."""
        return self.address + self.size

    @property
    def payload(self) -> range:
        """The payload's addresses."""
        return range(self.payload_start, self.payload_end)


@dataclass(frozen=True)
class HeapStats:
    """Totals over a heap.

    ``arena``: bytes the allocator manages (its control block and all blocks);
    ``in_use``: payload bytes of blocks in use; ``free``: bytes of free blocks (headers
    included); ``overhead``: the rest (headers of blocks in use, control data, padding);
    ``largest_free``: the largest free block; ``fragmentation``: external fragmentation,
    ``1 - largest_free / free`` (0 when nothing is free).
    """

    arena: int
    in_use: int
    free: int
    overhead: int
    largest_free: int
    fragmentation: float
    used_blocks: int
    free_blocks: int


@dataclass
class Heap:
    """A walked heap: ``blocks`` in address order, ``free_lists`` by name (list name ->
    block addresses in list order), the managed range ``start``-``end`` and ``arena``;
    ``free_bytes`` overrides the sum of the free blocks (dlmalloc counts its top's reserve);
    ``details`` holds allocator-specific figures (dlmalloc: ``footprint``)."""

    allocator: str
    memory_size: int
    start: int
    end: int
    arena: int
    blocks: list[Block] = field(default_factory=list)
    free_lists: dict[str, list[int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    free_bytes: int | None = None
    details: dict[str, int] = field(default_factory=dict)

    @property
    def stats(self) -> HeapStats:
        """The heap's totals (see :class:`HeapStats`). Raises nothing."""
        used = [b for b in self.blocks if b.in_use]
        free = [b for b in self.blocks if not b.in_use]
        in_use = sum(b.payload_end - b.payload_start for b in used)
        free_bytes = sum(b.size for b in free) if self.free_bytes is None else self.free_bytes
        largest = max((b.size for b in free), default=0)
        fragmentation = 1 - largest / free_bytes if free_bytes else 0.0
        return HeapStats(self.arena, in_use, free_bytes, self.arena - in_use - free_bytes,
                         largest, fragmentation, len(used), len(free))

    def block_at(self, pointer: int) -> Block | None:
        """The block whose payload contains ``pointer``, or None. Raises nothing."""
        for block in self.blocks:
            if block.payload_start <= pointer < max(block.payload_end, block.payload_start + 1):
                return block
        return None

    def check(self) -> None:
        """Raise :class:`HeapError` naming the first corrupt block, if there is one.

        The walker records problems as it finds them: blocks that overlap, have a bad size
        or lie outside memory, free blocks missing from their free list (or list entries
        that are not free blocks), free neighbours that were not merged, cycles in lists.
        """
        if self.problems:
            raise HeapError(f"{self.allocator} heap: {self.problems[0]}")

    def describe(self, limit: int | None = 40) -> str:
        """A text picture: one line per block and the totals. Raises nothing."""
        lines = [f"{self.allocator} heap 0x{self.start:x}-0x{self.end:x} "
                 f"({len(self.blocks)} blocks, memory {self.memory_size} bytes)"]
        shown = self.blocks if limit is None else self.blocks[:limit]
        for block in shown:
            state = "used" if block.in_use else "free"
            lines.append(f"  0x{block.address:08x}  {block.size:10d}  {state}  payload "
                         f"0x{block.payload_start:x}-0x{block.payload_end:x}")
        if len(shown) < len(self.blocks):
            lines.append(f"  ... {len(self.blocks) - len(shown)} more blocks")
        s = self.stats
        lines.append(f"arena {s.arena}  in use {s.in_use}  free {s.free}  overhead {s.overhead}"
                     f"  largest free {s.largest_free}  fragmentation {s.fragmentation:.3f}")
        for name, entries in self.free_lists.items():
            if entries:
                lines.append(f"  list {name}: {len(entries)} blocks")
        lines.extend(f"problem: {p}" for p in self.problems)
        return "\n".join(lines)


def tile_problems(heap: Heap) -> None:
    """Record blocks that overlap, leave gaps or lie outside ``start``-``end``/memory."""
    position = heap.start
    for block in heap.blocks:
        if block.address < position:
            heap.problems.append(f"block at 0x{block.address:x} overlaps the block before it "
                                 f"(which ends at 0x{position:x})")
        if block.end > heap.end or block.end > heap.memory_size:
            heap.problems.append(f"block at 0x{block.address:x} ({block.size} bytes) runs past "
                                 f"the heap's end 0x{min(heap.end, heap.memory_size):x}")
        position = max(position, block.end)


def follow(reader: MemoryReader, heap: Heap, name: str, head: int, next_offset: int,
           prev_offset: int | None = None, limit: int = 1 << 22) -> list[int]:
    """Follow a linked list from ``head`` (links at ``next_offset``, back links checked at
    ``prev_offset``); record cycles, links outside the heap and broken back links."""
    out: list[int] = []
    seen: set[int] = set()
    address, previous = head, 0
    while address:
        if address in seen or len(out) > limit:
            heap.problems.append(f"free list {name} loops back to 0x{address:x}")
            break
        if not heap.start <= address < heap.end:
            heap.problems.append(f"free list {name} links to 0x{address:x}, outside the heap")
            break
        seen.add(address)
        try:
            if prev_offset is not None and reader.u32(address + prev_offset) != previous:
                heap.problems.append(f"free block at 0x{address:x} in list {name}: back link "
                                     f"0x{reader.u32(address + prev_offset):x}, expected "
                                     f"0x{previous:x}")
            out.append(address)
            previous, address = address, reader.u32(address + next_offset)
        except HeapError as error:
            heap.problems.append(str(error))
            break
    return out


def membership_problems(heap: Heap, expected: dict[int, str] | None = None) -> None:
    """Record free blocks absent from every list, list entries that are not free blocks,
    blocks in two lists, and (with ``expected``: address -> list name) blocks in the wrong
    list."""
    free = {b.address for b in heap.blocks if not b.in_use}
    starts = {b.address for b in heap.blocks}
    where: dict[int, str] = {}
    for name, entries in heap.free_lists.items():
        for address in entries:
            if address in where:
                heap.problems.append(f"free block at 0x{address:x} is in lists {where[address]}"
                                     f" and {name}")
            where[address] = name
            if address not in free:
                state = "a block in use" if address in starts else "not a block"
                heap.problems.append(f"free list {name} holds 0x{address:x}, {state}")
            elif expected is not None and expected.get(address) != name:
                heap.problems.append(f"free block at 0x{address:x} is in list {name}, "
                                     f"belongs in {expected.get(address)}")
    for block in heap.blocks:
        if not block.in_use and block.address not in where:
            heap.problems.append(f"free block at 0x{block.address:x} ({block.size} bytes) is "
                                 "missing from its free list")
