"""Allocators written in WebAssembly text, and heap walkers that check them from Python.

- :func:`load` ``(name) -> wasmem.Module`` for each of :data:`NAMES` (bump, freelist,
  freelist-best, pools, buddy, tlsf), with C's malloc/free/realloc/calloc
  (:mod:`wasmem.tools.alloc.library`);
- :func:`walk` ``(instance) -> Heap``: the blocks, free lists and statistics of one of
  those heaps or of wasi-libc's dlmalloc in a C program; :meth:`Heap.check` raises
  :class:`HeapError` at the first corrupt block;
- the walkers of chapter 5's two listings: :mod:`wasmem.tools.alloc.freelist` (first-fit
  heap, ``wasmem/examples/chapter5/11-heap-allocator.wat``) and
  :mod:`wasmem.tools.alloc.pools` (size-class pools, ``12-pool-allocator.wat``).

The walkers only read, through the memory's bounds-checked ``read``.
"""

from .freelist import HeapBlock, HeapError, HeapStats, check_heap, describe_heap, walk_heap
from .heap import Block, Heap
from .heap import HeapStats as Stats
from .library import NAMES, load, source
from .pools import POOLS, Pool, PoolError, pool_free_list, pool_usage
from .walk import ALLOCATORS, detect, walk

__all__ = ["HeapBlock", "HeapError", "HeapStats", "check_heap", "describe_heap", "walk_heap",
           "POOLS", "Pool", "PoolError", "pool_free_list", "pool_usage",
           "NAMES", "load", "source", "walk", "detect", "ALLOCATORS", "Block", "Heap", "Stats"]
