"""Heap walkers for the allocators of :mod:`wasmem.tools.alloc.library`.

Each walker reads the allocator's exported globals and its blocks in memory (the layouts
are described at the top of each ``wat/*.wat`` file) and returns a :class:`Heap`, with the
inconsistencies it met recorded for :meth:`Heap.check`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from .heap import Block, Heap, HeapError, MemoryReader, follow, membership_problems, tile_problems

__all__ = ["WALKERS", "walk_bump", "walk_freelist", "walk_tlsf", "walk_pools", "walk_buddy"]

TAGS_MAGIC = 0x5AFE0B1C
BUDDY_MAGIC = 0x0B0DD1E5
POOLS_MAGIC = 0x9001CAFE
PAGE = 0x10000
POOL_CLASSES = 10
POOL_BLOCKS = 1088  # class page: 64-byte span header + 1024-byte in-use bitmap


def _global(exports: Mapping[str, Any], name: str) -> int:
    try:
        value = exports[name].value
    except (KeyError, AttributeError) as error:
        raise HeapError(f"the instance does not export the global {name!r}") from error
    return int(value) & 0xFFFFFFFF


def _read(heap: Heap, reader: MemoryReader, address: int) -> int | None:
    """The word at ``address``, or None (recorded as a problem) when outside memory."""
    try:
        return reader.u32(address)
    except HeapError as error:
        heap.problems.append(str(error))
        return None


def _pair(heap: Heap, reader: MemoryReader, address: int) -> tuple[int, int] | None:
    """The two words at ``address``, or None (recorded) when outside memory."""
    first, second = _read(heap, reader, address), _read(heap, reader, address + 4)
    return None if first is None or second is None else (first, second)


def _tag_blocks(reader: MemoryReader, heap: Heap) -> None:
    """Read boundary-tag blocks (freelist, tlsf) from heap.start to heap.end."""
    address = heap.start
    while address < heap.end:
        word = _read(heap, reader, address)
        if word is None:
            return
        size = word & ~7
        if size < 24 or word & 6 or size > heap.end - address:
            heap.problems.append(f"block at 0x{address:x} has a bad size word 0x{word:x}")
            return
        used = bool(word & 1)
        footer = _read(heap, reader, address + size - 4)
        guard = _read(heap, reader, address + 4)
        if footer is None or guard is None:
            return
        if footer != word:
            heap.problems.append(f"block at 0x{address:x}: footer 0x{footer:x} does not repeat "
                                 f"its header 0x{word:x}")
        if guard != ((TAGS_MAGIC ^ address) if used else 0):
            state = "in-use" if used else "free"
            heap.problems.append(f"{state} block at 0x{address:x} has a damaged guard word "
                                 f"0x{guard:x}")
        heap.blocks.append(Block(address, size, used, address + 8, address + size - 4))
        address += size
    for before, after in itertools.pairwise(heap.blocks):
        if not before.in_use and not after.in_use:
            heap.problems.append(f"free blocks at 0x{before.address:x} and 0x{after.address:x} "
                                 "are neighbours but were not merged")


def _tag_heap(name: str, exports: Mapping[str, Any], base: int) -> tuple[MemoryReader, Heap]:
    reader = MemoryReader(exports["memory"])
    start, end = _global(exports, "heap_start"), _global(exports, "heap_end")
    heap = Heap(name, reader.size, start, end, max(end - base, 0))
    if start and not base <= start <= end <= reader.size:
        heap.problems.append(f"heap bounds 0x{start:x}-0x{end:x} are not inside memory "
                             f"(0x{reader.size:x} bytes)")
        heap.end = heap.start
    return reader, heap


def walk_freelist(exports: Mapping[str, Any], name: str = "freelist") -> Heap:
    """Walk a ``freelist`` / ``freelist-best`` heap. Raises HeapError: missing exports."""
    base = _global(exports, "heap_base")
    reader, heap = _tag_heap(name, exports, base)
    _tag_blocks(reader, heap)
    heap.free_lists["free"] = follow(reader, heap, "free", _global(exports, "free_head"), 8, 12)
    membership_problems(heap)
    tile_problems(heap)
    return heap


def tlsf_class(size: int) -> tuple[int, int]:
    """The (first level, second level) list of a free block of ``size`` bytes."""
    if size < 256:
        return 0, size >> 4
    log = size.bit_length() - 1
    return log - 7, (size >> (log - 4)) & 15


def walk_tlsf(exports: Mapping[str, Any], name: str = "tlsf") -> Heap:
    """Walk a ``tlsf`` heap, checking its lists and both levels of bitmaps.

    Raises HeapError: missing exports."""
    base = _global(exports, "heap_base")
    reader, heap = _tag_heap(name, exports, base)
    if not heap.start:
        return heap
    _tag_blocks(reader, heap)
    fl_bitmap = _global(exports, "fl_bitmap")
    for fl in range(25):
        sl_bitmap = _read(heap, reader, base + 4 * fl) or 0
        if bool(sl_bitmap) != bool(fl_bitmap >> fl & 1):
            heap.problems.append(f"tlsf first-level bit {fl} disagrees with its second-level "
                                 f"bitmap 0x{sl_bitmap:x}")
        for sl in range(16):
            head = _read(heap, reader, base + 128 + 4 * (16 * fl + sl)) or 0
            if bool(head) != bool(sl_bitmap >> sl & 1):
                heap.problems.append(f"tlsf list {fl}/{sl}: head 0x{head:x} but bitmap bit "
                                     f"{sl_bitmap >> sl & 1}")
            if head:
                heap.free_lists[f"{fl}/{sl}"] = follow(reader, heap, f"{fl}/{sl}", head, 8, 12)
    expected = {}
    for block in heap.blocks:
        if not block.in_use:
            fl, sl = tlsf_class(block.size)
            expected[block.address] = f"{fl}/{sl}"
    membership_problems(heap, expected)
    tile_problems(heap)
    return heap


def walk_bump(exports: Mapping[str, Any], name: str = "bump") -> Heap:
    """Walk a ``bump`` heap: blocks from heap_start to the pointer ``top``.

    Raises HeapError: missing exports."""
    reader = MemoryReader(exports["memory"])
    start, top = _global(exports, "heap_start"), _global(exports, "top")
    heap = Heap(name, reader.size, start, top, max(top - start, 0))
    if not start <= top <= reader.size:
        heap.problems.append(f"bump pointer 0x{top:x} is outside 0x{start:x}-0x{reader.size:x}")
        return heap
    address, previous = start, 0
    while address < top:
        words = _pair(heap, reader, address)
        if words is None:
            return heap
        word, before = words
        size = word & ~7
        if size < 16 or word & 6 or size > top - address:
            heap.problems.append(f"block at 0x{address:x} has a bad size word 0x{word:x}")
            return heap
        if before != previous:
            heap.problems.append(f"block at 0x{address:x} records 0x{before:x} as the size of "
                                 f"the block before it, which has 0x{previous:x}")
        heap.blocks.append(Block(address, size, bool(word & 1), address + 8, address + size))
        address, previous = address + size, size
    if heap.blocks and not heap.blocks[-1].in_use:
        heap.problems.append(f"topmost block at 0x{heap.blocks[-1].address:x} is free but the "
                             "pointer was not moved back over it")
    if heap.blocks and _global(exports, "last_size") != heap.blocks[-1].size:
        heap.problems.append(f"last_size {_global(exports, 'last_size')} is not the size of "
                             f"the topmost block at 0x{heap.blocks[-1].address:x}")
    tile_problems(heap)
    return heap


def walk_pools(exports: Mapping[str, Any], name: str = "pools") -> Heap:
    """Walk a ``pools`` heap: spans of pages, the blocks of each class page, all lists.

    Raises HeapError: missing exports."""
    reader = MemoryReader(exports["memory"])
    base = _global(exports, "heap_base")
    start, end = _global(exports, "heap_start"), _global(exports, "heap_end")
    heap = Heap(name, reader.size, start, end, max(end - base, 0))
    if not start:
        return heap
    if start % PAGE or end % PAGE or not start <= end <= reader.size:
        heap.problems.append(f"pool spans 0x{start:x}-0x{end:x} are not whole pages in memory")
        return heap
    expected: dict[int, str] = {}
    free_spans: dict[int, str] = {}
    span = start
    while span < end:
        header = _read(heap, reader, span)
        pages = _read(heap, reader, span + 4)
        guard = _read(heap, reader, span + 8)
        if header is None or pages is None or guard is None:
            return heap
        if guard != POOLS_MAGIC ^ span or header not in (1, 2, 3) or not 1 <= pages <= (
                end - span) // PAGE or (header == 1 and pages != 1):
            heap.problems.append(f"span at 0x{span:x} has a bad header (kind {header}, "
                                 f"{pages} pages, guard 0x{guard:x})")
            return heap
        size = pages * PAGE
        if header == 1:
            k = reader.u32(span + 12)
            if k >= POOL_CLASSES:
                heap.problems.append(f"class page at 0x{span:x} has a bad class {k}")
                return heap
            block_size = 8 << k
            bitmap = reader.bytes(span + 64, 1024)
            first = span + POOL_BLOCKS
            last = first + (PAGE - POOL_BLOCKS) // block_size * block_size
            count = 0
            for address in range(first, last, block_size):
                bit = (address - span - POOL_BLOCKS) // block_size
                used = bool(bitmap[bit >> 3] >> (bit & 7) & 1)
                count += used
                heap.blocks.append(Block(address, block_size, used, address,
                                         address + block_size))
                if not used:
                    expected[address] = str(block_size)
            if reader.u32(span + 16) != count:
                heap.problems.append(f"class page at 0x{span:x} counts "
                                     f"{reader.u32(span + 16)} blocks in use, its bitmap {count}")
        else:
            heap.blocks.append(Block(span, size, header == 2, span + 64, span + size))
            if header == 3:
                free_spans[span] = "pages"
        span += size
    for k in range(POOL_CLASSES):
        head = _read(heap, reader, base + 4 * k) or 0
        heap.free_lists[str(8 << k)] = follow(reader, heap, str(8 << k), head, 0)
    head = _read(heap, reader, base + 40) or 0
    heap.free_lists["pages"] = follow(reader, heap, "pages", head, 16, 20)
    membership_problems(heap, {**expected, **free_spans})
    tile_problems(heap)
    return heap


def walk_buddy(exports: Mapping[str, Any], name: str = "buddy") -> Heap:
    """Walk a ``buddy`` heap: its blocks, one free list per order, unmerged buddies.

    Raises HeapError: missing exports."""
    reader = MemoryReader(exports["memory"])
    base = _global(exports, "heap_base")
    order = _global(exports, "region_order")
    start = base + 128
    heap = Heap(name, reader.size, start, start + (1 << order if order else 0),
                128 + (1 << order) if order else 0)
    if not order:
        return heap
    if not 4 <= order <= 31 or heap.end > reader.size:
        heap.problems.append(f"buddy region of order {order} does not fit in memory")
        return heap
    orders: dict[int, int] = {}
    address = start
    while address < heap.end:
        pair = _pair(heap, reader, address)
        if pair is None:
            return heap
        word, guard = pair
        k = word & 255
        if word & ~0x1FF or not 4 <= k <= order or (address - start) % (1 << k):
            heap.problems.append(f"block at 0x{address:x} has a bad header 0x{word:x}")
            return heap
        used = bool(word & 256)
        if guard != ((BUDDY_MAGIC ^ address) if used else 0):
            heap.problems.append(f"block at 0x{address:x} has a damaged guard word 0x{guard:x}")
        heap.blocks.append(Block(address, 1 << k, used, address + 8, address + (1 << k)))
        if not used:
            orders[address] = k
        address += 1 << k
    for address, k in orders.items():
        buddy = start + ((address - start) ^ (1 << k))
        if k < order and orders.get(buddy) == k and buddy > address:
            heap.problems.append(f"free buddies at 0x{address:x} and 0x{buddy:x} (order {k}) "
                                 "were not merged")
    for k in range(4, order + 1):
        head = _read(heap, reader, base + 4 * k) or 0
        heap.free_lists[f"order {k}"] = follow(reader, heap, f"order {k}", head, 8, 12)
    membership_problems(heap, {a: f"order {k}" for a, k in orders.items()})
    tile_problems(heap)
    return heap


WALKERS: dict[str, Callable[..., Heap]] = {
    "bump": walk_bump, "freelist": walk_freelist, "freelist-best": walk_freelist,
    "pools": walk_pools, "buddy": walk_buddy, "tlsf": walk_tlsf,
}
"""The walker of each allocator of :data:`wasmem.tools.alloc.library.NAMES`."""
