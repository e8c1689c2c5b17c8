"""Walker for the size-class pool allocator of chapter 5 (listing 5.5.2).

The allocator (``wasmem/examples/chapter5/12-pool-allocator.wat``) has three pools of 2 KiB:
16-byte blocks at ``0x2000``, 32-byte blocks at ``0x4000`` and 64-byte blocks at
``0x6000``. A free block holds the address of the next free block of its pool in its
first four bytes (0 = last); the heads are the exported globals ``pool_16_free_head``,
``pool_32_free_head`` and ``pool_64_free_head``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["Pool", "POOLS", "PoolError", "pool_free_list", "pool_usage"]


class Readable(Protocol):
    """Anything with a bounds-checked ``read`` (``wasmem.Memory``, ``LinearMemory``)."""

    def read(self, address: int, length: int) -> bytes: ...


class PoolError(ValueError):
    """A pool's free list is not well formed (a link out of the pool, or a cycle)."""


@dataclass(frozen=True)
class Pool:
    """One size class: ``block_size`` bytes per block, ``count`` blocks from ``start``."""

    block_size: int
    start: int
    count: int

    @property
    def end(self) -> int:
        """One past the pool's last byte."""
        return self.start + self.block_size * self.count

    def owns(self, address: int) -> bool:
        """True if ``address`` is the start of one of this pool's blocks."""
        return self.start <= address < self.end and (address - self.start) % self.block_size == 0


POOLS = (Pool(16, 0x2000, 128), Pool(32, 0x4000, 64), Pool(64, 0x6000, 32))
"""The three pools of listing 5.5.2."""


def pool_free_list(memory: Readable, pool: Pool, head: int) -> list[int]:
    """Follow a pool's free list from ``head``; return the block addresses in order.

    Raises:
        PoolError: a link that is not a block of ``pool``, or a cycle.
    """
    out: list[int] = []
    seen: set[int] = set()
    address = head
    while address:
        if not pool.owns(address):
            raise PoolError(f"{pool.block_size}-byte pool: link to 0x{address:x} is not one "
                            "of its blocks")
        if address in seen:
            raise PoolError(f"{pool.block_size}-byte pool: the free list loops at "
                            f"0x{address:x} (a block freed twice?)")
        seen.add(address)
        out.append(address)
        address = int.from_bytes(memory.read(address, 4), "little")
    return out


def pool_usage(memory: Readable, pool: Pool, head: int, width: int = 64) -> str:
    """A one-line picture of a pool: ``#`` for a used block, ``.`` for a free one.

    Long pools are shown ``width`` blocks per line. Raises PoolError as
    :func:`pool_free_list`.
    """
    free = set(pool_free_list(memory, pool, head))
    marks = "".join("." if pool.start + k * pool.block_size in free else "#"
                    for k in range(pool.count))
    rows = [marks[i:i + width] for i in range(0, len(marks), width)]
    return "\n".join(rows)
