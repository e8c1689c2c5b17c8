"""Heap walker for the first-fit free-list allocator of chapter 5 (listing 5.5.1).

The allocator (``wasmem/examples/chapter5/11-heap-allocator.wat``) manages the bytes from
``0x1000`` to ``0xF000``. Every block starts with an 8-byte header:

=======  =================================================================
bytes    meaning
=======  =================================================================
0-3      size of the whole block, header included, a multiple of 8; bit 0 = in use
4-7      free blocks only: address of the next free block (0 = last)
=======  =================================================================

Free blocks are linked in address order from the exported global ``free_list``.
:func:`walk_heap` reads the blocks one after the other; :func:`check_heap` also follows
the free list and checks that both agree and that no two free blocks touch (freeing
coalesces them). Everything is read through the memory's bounds-checked ``read``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Protocol

from ...errors import WasmError

__all__ = ["HEAP_START", "HEAP_END", "HEADER", "HeapBlock", "HeapStats", "HeapError",
           "walk_heap", "free_list", "check_heap", "describe_heap"]

HEAP_START = 0x1000
HEAP_END = 0xF000
HEADER = 8


class Readable(Protocol):
    """Anything with a bounds-checked ``read`` (``wasmem.Memory``, ``LinearMemory``)."""

    def read(self, address: int, length: int) -> bytes: ...


class HeapError(WasmError, ValueError):
    """The heap's bytes do not describe a well-formed heap (corrupted or not initialised)."""


@dataclass(frozen=True)
class HeapBlock:
    """One block: ``address`` of its header, ``size`` in bytes (header included), ``used``."""

    address: int
    size: int
    used: bool

    @property
    def payload(self) -> int:
        """The address heap_alloc returned for this block."""
        return self.address + HEADER


@dataclass(frozen=True)
class HeapStats:
    """Totals over a heap: what heap_stats reports, plus the used side."""

    free_bytes: int
    free_blocks: int
    used_bytes: int
    used_blocks: int
    largest_free: int


def _u32(memory: Readable, address: int) -> int:
    return int.from_bytes(memory.read(address, 4), "little")


def walk_heap(memory: Readable, start: int = HEAP_START, end: int = HEAP_END) -> list[HeapBlock]:
    """Return the blocks from ``start`` to ``end`` in address order.

    Raises:
        HeapError: a block size of 0, not a multiple of 8, or running past ``end``
            (e.g. ``init_heap`` was never called).
    """
    blocks: list[HeapBlock] = []
    address = start
    while address < end:
        word = _u32(memory, address)
        size = word & ~1
        if size < HEADER or size % 8 or address + size > end:
            raise HeapError(f"bad block header at 0x{address:x}: size word 0x{word:x} "
                            f"(heap 0x{start:x}-0x{end:x}; was init_heap called?)")
        blocks.append(HeapBlock(address, size, bool(word & 1)))
        address += size
    return blocks


def free_list(memory: Readable, head: int, start: int = HEAP_START,
              end: int = HEAP_END) -> list[int]:
    """Follow the free list from ``head``; return the block addresses in list order.

    Raises:
        HeapError: a link outside the heap, or a cycle.
    """
    out: list[int] = []
    seen: set[int] = set()
    address = head
    while address:
        if not start <= address < end or address in seen:
            problem = "a cycle" if address in seen else "outside the heap"
            raise HeapError(f"free list link to 0x{address:x} is {problem}")
        seen.add(address)
        out.append(address)
        address = _u32(memory, address + 4)
    return out


def check_heap(memory: Readable, head: int, start: int = HEAP_START,
               end: int = HEAP_END) -> HeapStats:
    """Check the heap's invariants and return its totals.

    Invariants: the blocks tile the heap; the free list holds exactly the free blocks, in
    address order; no two free blocks are neighbours (they would have been merged).

    Raises:
        HeapError: naming the first invariant that does not hold.
    """
    blocks = walk_heap(memory, start, end)
    listed = free_list(memory, head, start, end)
    free_blocks = [b.address for b in blocks if not b.used]
    if listed != free_blocks:
        raise HeapError(f"free list {[hex(a) for a in listed]} does not match the free "
                        f"blocks {[hex(a) for a in free_blocks]}")
    for before, after in itertools.pairwise(blocks):
        if not before.used and not after.used:
            raise HeapError(f"free blocks at 0x{before.address:x} and 0x{after.address:x} "
                            "touch but were not merged")
    free = [b.size for b in blocks if not b.used]
    used = [b.size for b in blocks if b.used]
    return HeapStats(sum(free), len(free), sum(used), len(used), max(free, default=0))


def describe_heap(blocks: list[HeapBlock]) -> str:
    """One line per block: address range, size, used or free. Raises nothing."""
    lines = []
    for block in blocks:
        state = "used" if block.used else "free"
        lines.append(f"  0x{block.address:04x}-0x{block.address + block.size:04x}  "
                     f"{state}  {block.size:6d} bytes")
    return "\n".join(lines)
