"""Allocators written in WebAssembly text (chapter 5's examples), with Python heap walkers.

- :mod:`wasmem.alloc.freelist`: the first-fit free-list heap of listing 5.5.1
  (``wasmem/examples/chapter5/11-heap-allocator.wat``): walk its blocks, follow its free list,
  check that freeing coalesced neighbours.
- :mod:`wasmem.alloc.pools`: the size-class pools of listing 5.5.2
  (``wasmem/examples/chapter5/12-pool-allocator.wat``): follow each pool's free list.

The walkers only read, through the memory's bounds-checked ``read``.
"""

from .freelist import HeapBlock, HeapError, HeapStats, check_heap, describe_heap, walk_heap
from .pools import POOLS, Pool, PoolError, pool_free_list, pool_usage

__all__ = ["HeapBlock", "HeapError", "HeapStats", "check_heap", "describe_heap", "walk_heap",
           "POOLS", "Pool", "PoolError", "pool_free_list", "pool_usage"]
