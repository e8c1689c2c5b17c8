"""The allocator library: allocators written in WebAssembly text, shipped as package data.

Every allocator exports ``memory``, ``malloc(size) -> ptr``, ``free(ptr)``,
``realloc(ptr, size) -> ptr``, ``calloc(n, size) -> ptr`` and ``malloc_usable_size(ptr)``
with C semantics:

- pointers are 8-byte aligned; ``malloc(0)`` returns a unique pointer to a minimal block
  (free it like any other); ``free(0)`` does nothing;
- 0 on failure, including a ``calloc`` whose ``n * size`` overflows 32 bits;
- ``realloc(0, n)`` is ``malloc(n)``; ``realloc(p, 0)`` frees ``p`` and returns 0; when
  ``realloc`` fails, ``p`` stays valid;
- when the heap is exhausted the allocator calls ``memory.grow`` and returns 0 if that fails;
- ``free`` and ``realloc`` trap (``unreachable``) on a pointer they can tell is not a live
  block: double frees, pointers into the middle of a block, pointers outside the heap.

The heap starts at ``heap_base`` (default 1024, below it is free for the program's data) and
owns every byte above it, so a module that imports the allocator's memory must keep its own
data below ``heap_base``. With ``import_memory=True`` the allocator imports its memory as
``env.memory`` (and still exports it), to manage the heap of another module.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ...embedding import Module
from ...errors import InvocationError

__all__ = ["NAMES", "CODES", "source", "load"]

NAMES = ("bump", "freelist", "freelist-best", "pools", "buddy", "tlsf")
"""The allocators :func:`load` knows."""

CODES = {"bump": 1, "freelist": 2, "freelist-best": 3, "pools": 4, "buddy": 5, "tlsf": 6}
"""The value of each allocator's exported ``__wasmem_allocator`` global (for detection)."""

_FILES = {"freelist-best": "freelist"}
_MEMORY = '(memory (export "memory") 1)'
_BASE = "1024 (;heap_base;)"


def _read(stem: str) -> str:
    return resources.files(__package__).joinpath("wat", f"{stem}.wat").read_text("utf-8")


def source(name: str, *, import_memory: bool = False, heap_base: int = 1024) -> str:
    """Return the complete WebAssembly text of allocator ``name``.

    Args:
        name: one of :data:`NAMES`.
        import_memory: import the memory as ``env.memory`` instead of defining it.
        heap_base: first byte of the heap, a multiple of 8 (pools and buddy round it up).

    Raises:
        InvocationError: unknown name, or a heap_base that is not a multiple of 8 in
            [8, 2**31).
    """
    if name not in NAMES:
        raise InvocationError(f"unknown allocator {name!r}; choose one of {', '.join(NAMES)}")
    if not isinstance(heap_base, int) or heap_base % 8 or not 8 <= heap_base < 2**31:
        raise InvocationError(f"heap_base must be a multiple of 8 in [8, 2**31), "
                              f"not {heap_base!r}")
    text = _read(_FILES.get(name, name))
    lines = []
    for line in text.splitlines():
        marker = line.strip()
        if marker.startswith(";;@include "):
            lines.append(_read(marker.split()[1]).rstrip("\n"))
        else:
            lines.append(line)
    text = "\n".join(lines) + "\n"
    if name == "freelist-best":
        text = text.replace('(global $best_fit (export "best_fit") i32 (i32.const 0))',
                            '(global $best_fit (export "best_fit") i32 (i32.const 1))')
        text = text.replace(f"(i32.const {CODES['freelist']}))",
                            f"(i32.const {CODES['freelist-best']}))")
    if import_memory:
        text = text.replace(_MEMORY, '(import "env" "memory" (memory 1))\n'
                                     '  (export "memory" (memory 0))')
    return text.replace(_BASE, f"{heap_base} (;heap_base;)")


@lru_cache(maxsize=32)
def load(name: str, *, import_memory: bool = False, heap_base: int = 1024) -> Module:
    """Return allocator ``name`` as a :class:`wasmem.Module` (cached: modules are immutable).

    Raises:
        InvocationError: as :func:`source`.
    """
    return Module(source(name, import_memory=import_memory, heap_base=heap_base))
