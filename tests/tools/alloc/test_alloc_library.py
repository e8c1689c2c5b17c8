"""The allocator library's C semantics, checked on each allocator of ``wasmem.tools.alloc``."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.tools.alloc import NAMES, load, source, walk

ALL = pytest.mark.parametrize("name", NAMES)


def exports(name: str, **options: object) -> wasmem.Exports:
    return wasmem.Instance(load(name, **options)).exports  # type: ignore[arg-type]


@ALL
def test_exports_c_functions_and_memory(name: str) -> None:
    e = exports(name)
    for export in ("memory", "malloc", "free", "realloc", "calloc", "malloc_usable_size"):
        assert export in e


@ALL
def test_malloc_zero_gives_distinct_freeable_pointers(name: str) -> None:
    e = exports(name)
    a, b = e.malloc(0), e.malloc(0)
    assert a and b and a != b and a % 8 == 0 and b % 8 == 0
    e.free(a)
    e.free(b)
    walk(e).check()


@ALL
def test_free_null_does_nothing(name: str) -> None:
    e = exports(name)
    before = e.memory.read(0, e.memory.size_bytes)
    e.free(0)
    assert e.memory.read(0, e.memory.size_bytes) == before


@ALL
def test_calloc_overflow_and_huge_requests_return_zero(name: str) -> None:
    e = exports(name)
    assert e.calloc(0x10000, 0x10000) == 0
    assert e.calloc(0xFFFFFFFF, 0xFFFFFFFF) == 0
    assert e.malloc(0xFFFFFFFF) & 0xFFFFFFFF == 0
    walk(e).check()


@ALL
def test_malloc_returns_zero_when_memory_cannot_grow(name: str) -> None:
    e = wasmem.Instance(load(name), max_memory_pages=4).exports
    pointers = []
    while (p := e.malloc(20000)) != 0:
        pointers.append(p)
        assert len(pointers) < 20
    assert e.memory.size <= 4
    walk(e).check()
    for p in pointers:
        e.free(p)
    walk(e).check()
    assert e.malloc(100) != 0


@ALL
def test_realloc_keeps_prefix_and_null_and_zero_cases(name: str) -> None:
    e = exports(name)
    p = e.realloc(0, 10)
    e.memory.write(p, b"0123456789")
    q = e.realloc(p, 5000)
    assert e.memory.read(q, 10) == b"0123456789"
    assert e.realloc(q, 0) == 0
    assert walk(e).stats.used_blocks == 0


@ALL
def test_double_free_and_foreign_pointers_trap(name: str) -> None:
    e = exports(name)
    p = e.malloc(40)
    keep = e.malloc(40)
    e.free(p)
    with pytest.raises(wasmem.Trap):
        e.free(p)
    with pytest.raises(wasmem.Trap):
        e.free(keep + 4)
    with pytest.raises(wasmem.Trap):
        e.free(8)
    with pytest.raises(wasmem.Trap):
        e.realloc(e.memory.size_bytes + 64, 8)
    walk(e).check()


@ALL
def test_works_on_an_imported_memory_shared_with_another_module(name: str) -> None:
    memory = wasmem.Memory(1)
    allocator = wasmem.Instance(load(name, import_memory=True, heap_base=4096),
                                {"env": {"memory": memory}})
    user = wasmem.Instance(wasmem.Module("""
      (module
        (import "env" "memory" (memory 1))
        (import "alloc" "malloc" (func $malloc (param i32) (result i32)))
        (import "alloc" "free" (func $free (param i32)))
        (func (export "copy_hello") (result i32) (local $p i32)
          (local.set $p (call $malloc (i32.const 6)))
          (i32.store (local.get $p) (i32.load (i32.const 0)))
          (i32.store16 offset=4 (local.get $p) (i32.load16_u (i32.const 4)))
          (local.get $p))
        (data (i32.const 0) "hello!"))"""), {"env": {"memory": memory}, "alloc": allocator})
    p = user.exports.copy_hello()
    assert p >= 4096 and memory.read(p, 6) == b"hello!"
    assert memory.read(0, 6) == b"hello!"
    heap = walk(allocator)
    heap.check()
    assert heap.block_at(p) is not None and heap.block_at(p).in_use  # type: ignore[union-attr]


def test_bump_reset_and_stack_order_reuse() -> None:
    e = exports("bump")
    a = e.malloc(100)
    b = e.malloc(100)
    e.free(b)
    assert e.malloc(100) == b
    e.reset()
    assert e.malloc(100) == a
    walk(e).check()


def test_first_fit_and_best_fit_choose_different_blocks() -> None:
    chosen = {}
    for name in ("freelist", "freelist-best"):
        e = exports(name)
        blocks = [e.malloc(n) for n in (300, 16, 100, 16, 400, 16)]
        e.free(blocks[2])
        e.free(blocks[0])  # the list is LIFO: the 300-byte block comes first
        chosen[name] = e.malloc(90)
        walk(e).check()
    assert chosen == {"freelist": blocks[0], "freelist-best": blocks[2]}


def test_unknown_allocator_and_bad_heap_base() -> None:
    with pytest.raises(wasmem.InvocationError, match="unknown allocator"):
        load("jemalloc")
    with pytest.raises(wasmem.InvocationError, match="heap_base"):
        source("tlsf", heap_base=1001)


@ALL
def test_wasmtime_accepts_both_variants(name: str) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    engine = wasmtime.Engine()
    wasmtime.Module(engine, source(name))
    wasmtime.Module(engine, source(name, import_memory=True))


@pytest.mark.parametrize("name", ["freelist", "freelist-best", "tlsf", "bump"])
def test_realloc_grows_in_place_when_the_next_memory_is_free(name: str) -> None:
    e = exports(name)
    a = e.malloc(100)
    e.memory.write(a, bytes(range(100)))
    if name != "bump":
        b = e.malloc(200)
        e.malloc(8)  # keeps b's block from merging with the rest of the heap
        e.free(b)
    assert e.realloc(a, 250) == a
    assert e.memory.read(a, 100) == bytes(range(100)) and e.malloc_usable_size(a) >= 250
    walk(e).check()


def test_pools_and_buddy_move_a_growing_block() -> None:
    for name in ("pools", "buddy"):
        e = exports(name)
        a = e.malloc(16)
        e.memory.write(a, b"sixteen bytes!!!")
        q = e.realloc(a, 100)
        assert q != a and e.memory.read(q, 16) == b"sixteen bytes!!!"
        walk(e).check()
