"""The dlmalloc walker on C programs built with clang and wasi-libc (``programs/``).

``NAME.wasm`` links wasi-libc's dlmalloc source with ``mallinfo`` compiled in (see
``programs/dlmalloc/README.md``): after runs that fragment the heap, the walker must
reproduce the program's own ``mallinfo()`` figures exactly. ``NAME-libc.wasm`` links
Debian's libc.a unchanged: the walker must agree with ``malloc_usable_size``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import wasmem
from wasmem.tools.alloc import HeapError, detect, walk
from wasmem.tools.alloc.dlmalloc import bin_name, mallinfo

PROGRAMS = Path(__file__).parent / "programs"
FIGURES = ("arena", "uordblks", "fordblks", "ordblks", "keepcost")


def start(name: str) -> wasmem.Instance:
    instance = wasmem.Instance(wasmem.Module.from_file(PROGRAMS / f"{name}.wasm"))
    instance.exports._initialize()
    return instance


def fragmented(name: str, seed: int) -> wasmem.Instance:
    instance = start(name)
    if name.startswith("fragment"):
        assert instance.exports.run(seed, 1500) == 0
        instance.exports.release(2 + seed % 3)
        assert instance.exports.damaged() == 0
    else:
        instance.exports.run(seed, 1200)
    return instance


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("program", ["fragment", "words"])
def test_walker_reproduces_mallinfo_exactly(program: str, seed: int) -> None:
    instance = fragmented(program, seed)
    heap = walk(instance)
    heap.check()
    theirs = {name: instance.exports.mallinfo_figure(k) & 0xFFFFFFFF
              for k, name in enumerate(FIGURES)}
    assert mallinfo(heap) == theirs
    assert heap.stats.arena == theirs["arena"] and heap.stats.free == theirs["fordblks"]
    assert sum(1 for b in heap.blocks if not b.in_use) >= 20  # it is fragmented


def test_mallinfo_through_a_whole_run_step_by_step() -> None:
    instance = start("fragment")
    for step in range(6):
        instance.exports.run(100 + step, 150)
        instance.exports.release(3)
        heap = walk(instance)
        heap.check()
        assert mallinfo(heap)["fordblks"] == instance.exports.mallinfo_figure(2)
        assert mallinfo(heap)["arena"] == instance.exports.mallinfo_figure(0)


@pytest.mark.parametrize("seed", [5, 6])
def test_stock_libc_heap_matches_malloc_usable_size(seed: int) -> None:
    instance = fragmented("fragment-libc", seed)
    assert detect(instance) == "dlmalloc"
    heap = walk(instance)
    heap.check()
    e = instance.exports
    live = [e.live_pointer(k) & 0xFFFFFFFF for k in range(e.live_count())]
    used = {b.payload_start: b for b in heap.blocks if b.in_use}
    assert set(live) == set(used)
    for pointer in live:
        block = used[pointer]
        assert block.payload_end - block.payload_start == e.usable_size(pointer)
        assert pointer % 16 == 0


def test_words_with_stock_libc_is_sound() -> None:
    instance = fragmented("words-libc", 9)
    heap = walk(instance, "dlmalloc")
    heap.check()
    assert {name.split()[0] for name in heap.free_lists} >= {"small", "top"}


def test_before_the_first_malloc_the_heap_is_empty() -> None:
    instance = start("words-libc")
    assert detect(instance) == "dlmalloc"  # from the name section
    heap = walk(instance)
    heap.check()
    assert heap.blocks == [] and mallinfo(heap)["arena"] == 0


def test_corrupt_chunk_head_and_bin_link() -> None:
    instance = fragmented("fragment", 7)
    heap = walk(instance)
    victim = next(b for b in heap.blocks if b.in_use)
    memory = instance.exports.memory
    memory.write(victim.address + 4, (5).to_bytes(4, "little"))
    with pytest.raises(HeapError, match=f"chunk at 0x{victim.address:x} has a bad head"):
        walk(instance).check()
    instance = fragmented("fragment", 7)
    heap = walk(instance)
    small = next(name for name in heap.free_lists if name.startswith("small"))
    chunk = heap.free_lists[small][0]
    memory = instance.exports.memory
    memory.write(chunk + 12, (chunk + 16).to_bytes(4, "little"))
    with pytest.raises(HeapError, match=f"chunk at 0x{chunk:x} in smallbin {small[6:]}: back"):
        walk(instance).check()


def test_freeing_behind_dlmallocs_back_is_caught() -> None:
    instance = fragmented("fragment", 8)
    heap = walk(instance)
    victim = next(b for b in heap.blocks if b.in_use and b.size >= 256)
    memory = instance.exports.memory
    head = int.from_bytes(memory.read(victim.address + 4, 4), "little")
    memory.write(victim.address + 4, (head & ~2).to_bytes(4, "little"))  # "free", in no bin
    with pytest.raises(HeapError, match=f"0x{victim.address:x}"):
        walk(instance).check()


def test_bin_names() -> None:
    assert bin_name(16) == "small 2" and bin_name(240) == "small 30"
    assert bin_name(256) == "tree 0" and bin_name(384) == "tree 1" and bin_name(512) == "tree 2"
    assert bin_name(1 << 30) == "tree 31"
