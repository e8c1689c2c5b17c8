"""Heap walker for dlmalloc 2.8.6 as built into wasi-libc (C programs compiled by clang).

wasi-libc configures dlmalloc for wasm32 with 16-byte alignment, no mmap, no footers and
no locks, and starts the heap at ``__heap_base``. Its two globals are static, so the walker
finds them by content: ``mparams`` is the record ``{magic, page_size = 65536, granularity =
65536, ...}`` (after the first malloc), and the ``malloc_state`` ``_gm_`` is the 472-byte
record whose ``magic`` field (offset 36) repeats ``mparams.magic``. From ``_gm_`` it reads:

====  ===========================  ====  =================================
off   field                        off   field
====  ===========================  ====  =================================
0     smallmap (bit i: bin i used)  40    smallbins: 33 (fd, bk) pairs
4     treemap                       304   treebins: 32 tree roots
8     dvsize                        432   footprint
12    topsize                       436   max_footprint
20    dv (designated victim)        448   seg {base, size, next, sflags}
24    top                           36    magic
====  ===========================  ====  =================================

A chunk at ``c`` has ``prev_foot`` at ``c`` (the previous chunk's size when that one is
free) and ``head`` at ``c+4``: size | 1 when the previous chunk is in use | 2 when this one
is. Its payload starts at ``c+8`` and, in use, runs to ``c+size+4``. Free chunks of less
than 256 bytes sit in circular smallbins (fd at +8, bk at +12); larger ones in bitwise
tries (children at +16/+20, parent at +24, bin index at +28). The designated victim and
the top chunk are in no bin.
"""

from __future__ import annotations

import struct
from typing import Any

from .heap import Block, Heap, HeapError, MemoryReader, membership_problems, tile_problems

__all__ = ["find_state", "is_dlmalloc", "walk_dlmalloc", "mallinfo", "bin_name", "TOP_FOOT_SIZE"]

STATE_SIZE = 472
TOP_FOOT_SIZE = 56  # align_offset(8) + pad_request(sizeof(msegment)) + MIN_CHUNK_SIZE
FENCEPOST_HEAD = 7
SMALLBINS = 32
TREEBINS = 32
_PARAMS = struct.pack("<II", 0x10000, 0x10000)


def _memory(instance: Any) -> Any:
    exports = getattr(instance, "exports", instance)
    try:
        return exports["memory"]
    except (KeyError, TypeError) as error:
        raise HeapError("walk() needs an instance with an exported memory") from error


def _plausible(data: bytes, state: int, magic: int) -> bool:
    """Whether a malloc_state at ``state`` carries ``magic`` and a sane segment and top."""
    if state < 0 or state + STATE_SIZE > len(data):
        return False
    words = struct.unpack_from("<7I", data, state)
    least, top = words[4], words[6]
    base, size = struct.unpack_from("<II", data, state + 448)
    return (int.from_bytes(data[state + 36:state + 40], "little") == magic and base != 0
            and size != 0 and least <= base and base + size <= len(data)
            and (top == 0 or base <= top < base + size or least <= top < len(data)))


def find_state(reader: MemoryReader) -> int | None:
    """The address of ``_gm_``, or None when dlmalloc has not been initialised (or is not
    there). Raises nothing."""
    data = reader.data
    position = data.find(_PARAMS)
    while position != -1:
        params = position - 4
        if params >= 0 and params % 4 == 0:
            magic = int.from_bytes(data[params:params + 4], "little")
            if magic and magic & 15 == 8:
                if _plausible(data, params - STATE_SIZE, magic):
                    return params - STATE_SIZE
                word = magic.to_bytes(4, "little")
                found = data.find(word)
                while found != -1:
                    if found != params and found % 4 == 0 and _plausible(data, found - 36,
                                                                          magic):
                        return found - 36
                    found = data.find(word, found + 1)
        position = data.find(_PARAMS, position + 1)
    return None


def _function_names(instance: Any) -> set[str]:
    module = getattr(instance, "module", None)
    tree = getattr(module, "ast", None)
    names = getattr(getattr(tree, "names", None), "functions", None) or {}
    return set(names.values())


def is_dlmalloc(instance: Any) -> bool:
    """True when ``instance`` looks like a C program with wasi-libc's dlmalloc: its memory
    holds dlmalloc's state, or its name section names ``dlmalloc``. Raises nothing."""
    try:
        reader = MemoryReader(_memory(instance))
    except HeapError:
        return False
    return find_state(reader) is not None or "dlmalloc" in _function_names(instance)


def bin_name(size: int) -> str:
    """The bin a free chunk of ``size`` bytes belongs in: ``small I`` or ``tree I``."""
    if size < 256:
        return f"small {size >> 3}"
    high = size >> 8
    if high > 0xFFFF:
        return "tree 31"
    k = high.bit_length() - 1
    return f"tree {(k << 1) + ((size >> (k + 7)) & 1)}"


def _bins(reader: MemoryReader, heap: Heap, state: int) -> None:
    """Fill heap.free_lists from the smallbins and treebins, recording broken links."""
    smallmap, treemap = reader.u32(state), reader.u32(state + 4)
    for index in range(SMALLBINS):
        # The map is authoritative: an emptied bin keeps stale links.
        sentinel = state + 40 + 8 * index
        entries: list[int] = []
        visited: set[int] = set()
        address, previous = reader.u32(sentinel + 8), sentinel
        if not smallmap >> index & 1:
            continue
        while address != sentinel:
            if address in visited:
                heap.problems.append(f"smallbin {index} loops at 0x{address:x}")
                break
            if not heap.start <= address < heap.end:
                heap.problems.append(f"smallbin {index} links to 0x{address:x}, outside the heap")
                break
            if reader.u32(address + 12) != previous:
                heap.problems.append(f"free chunk at 0x{address:x} in smallbin {index}: back "
                                     f"link 0x{reader.u32(address + 12):x}, expected "
                                     f"0x{previous:x}")
            size = reader.u32(address + 4) & ~7
            if size >> 3 != index:
                heap.problems.append(f"free chunk at 0x{address:x} ({size} bytes) is in "
                                     f"smallbin {index}")
            entries.append(address)
            visited.add(address)
            previous, address = address, reader.u32(address + 8)
        if not entries:
            heap.problems.append(f"smallmap bit {index} is set but smallbin {index} is empty")
        if entries:
            heap.free_lists[f"small {index}"] = entries
    for index in range(TREEBINS):
        root = reader.u32(state + 304 + 4 * index)
        entries = []
        stack, seen = ([root] if root else []), set()
        while stack:
            node = stack.pop()
            if node in seen or not heap.start <= node < heap.end:
                heap.problems.append(f"treebin {index} reaches 0x{node:x} twice or outside "
                                     "the heap")
                break
            seen.add(node)
            if reader.u32(node + 28) != index:
                heap.problems.append(f"tree chunk at 0x{node:x} records bin "
                                     f"{reader.u32(node + 28)}, sits in treebin {index}")
            ring, member = [node], reader.u32(node + 8)
            in_ring = {node}
            while member != node:
                if member in in_ring or not heap.start <= member < heap.end:
                    heap.problems.append(f"treebin {index}: chunk list at 0x{node:x} is broken")
                    break
                ring.append(member)
                in_ring.add(member)
                member = reader.u32(member + 8)
            entries.extend(ring)
            stack.extend(child for child in (reader.u32(node + 20), reader.u32(node + 16)) if child)
        if bool(root) != bool(treemap >> index & 1):
            heap.problems.append(f"treemap bit {index} disagrees with treebin {index}")
        if entries:
            heap.free_lists[f"tree {index}"] = entries


def walk_dlmalloc(instance: Any) -> Heap:
    """Walk the dlmalloc heap of a C program's instance.

    Returns an empty heap (no blocks) before the program's first malloc.

    Raises:
        HeapError: no exported memory.
    """
    reader = MemoryReader(_memory(instance))
    state = find_state(reader)
    heap = Heap("dlmalloc", reader.size, 0, 0, 0)
    if state is None:
        return heap
    top, topsize = reader.u32(state + 24), reader.u32(state + 12)
    dv = reader.u32(state + 20)
    heap.start = reader.u32(state + 16)  # least_addr
    segment = state + 448
    segments: list[tuple[int, int]] = []
    while segment and len(segments) < 1 << 16:
        try:
            base, size = reader.u32(segment), reader.u32(segment + 4)
            following = reader.u32(segment + 8)
        except HeapError as error:
            heap.problems.append(f"segment list: {error}")
            break
        segments.append((base, size))
        segment = following
    heap.end = max(base + size for base, size in segments)
    if heap.end > reader.size:
        heap.problems.append(f"segment ending at 0x{heap.end:x} lies outside memory")
        heap.end = reader.size
    arena = free = topsize + TOP_FOOT_SIZE
    for base, size in segments:
        chunk = base + (-(base + 8) & 15)
        previous_in_use = True
        while base <= chunk < base + size and chunk != top:
            try:
                head = reader.u32(chunk + 4)
            except HeapError as error:
                heap.problems.append(str(error))
                break
            if head == FENCEPOST_HEAD:
                break
            length = head & ~7
            if length < 16 or length % 16 or chunk + length > base + size:
                heap.problems.append(f"chunk at 0x{chunk:x} has a bad head 0x{head:x}")
                break
            in_use = bool(head & 2)
            if bool(head & 1) != previous_in_use:
                heap.problems.append(f"chunk at 0x{chunk:x}: its previous-in-use bit is "
                                     f"{head & 1}, the chunk before it is "
                                     f"{'in use' if previous_in_use else 'free'}")
            if not in_use and chunk + length < reader.size - 4 and \
                    reader.u32(chunk + length) != length:
                heap.problems.append(f"free chunk at 0x{chunk:x}: the next chunk's prev_foot "
                                     f"is 0x{reader.u32(chunk + length):x}, not its size")
            if not in_use and not previous_in_use:
                heap.problems.append(f"free chunks before 0x{chunk:x} and at 0x{chunk:x} are "
                                     "neighbours but were not merged")
            heap.blocks.append(Block(chunk, length, in_use, chunk + 8,
                                     chunk + length + (4 if in_use else 0)))
            arena += length
            if not in_use:
                free += length
            previous_in_use = in_use
            chunk += length
        if chunk == top and not previous_in_use:
            heap.problems.append(f"free chunk before the top chunk 0x{top:x} was not merged "
                                 "into it")
    if top:
        heap.blocks.append(Block(top, topsize, False, top + 8, top + topsize))
    heap.arena = arena
    heap.free_bytes = free
    heap.details["footprint"] = reader.u32(state + 432)
    try:
        _bins(reader, heap, state)
    except HeapError as error:  # a link to the last bytes of memory
        heap.problems.append(f"free bins: {error}")
    expected = {b.address: bin_name(b.size) for b in heap.blocks if not b.in_use}
    for name, address in (("dv", dv), ("top", top)):
        if address:
            heap.free_lists[name] = [address]
            expected[address] = name
    membership_problems(heap, expected)
    tile_problems(heap)
    return heap


def mallinfo(heap: Heap) -> dict[str, int]:
    """dlmalloc's ``mallinfo()`` figures of a walked dlmalloc heap, computed as
    ``internal_mallinfo`` does: ``arena``, ``uordblks`` (footprint - free, modulo 2**32),
    ``fordblks`` (free, top included), ``ordblks`` (free chunks, top included), ``keepcost``.

    Raises:
        HeapError: ``heap`` is not a dlmalloc heap.
    """
    if heap.allocator != "dlmalloc":
        raise HeapError(f"mallinfo() needs a dlmalloc heap, not {heap.allocator}")
    if heap.free_bytes is None:
        return {"arena": 0, "uordblks": 0, "fordblks": 0, "ordblks": 0, "keepcost": 0}
    top = heap.free_lists.get("top", [0])[0]
    topsize = next((b.size for b in heap.blocks if b.address == top), 0)
    footprint = heap.details.get("footprint", 0)
    return {"arena": heap.arena, "uordblks": (footprint - heap.free_bytes) & 0xFFFFFFFF,
            "fordblks": heap.free_bytes,
            "ordblks": 1 + sum(1 for b in heap.blocks if not b.in_use and b.address != top),
            "keepcost": topsize}
