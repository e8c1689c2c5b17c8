"""Regions of a memory (``wasmem.memory.regions``): data segments, C stack, heap, zeros."""

from __future__ import annotations

import pytest
from _data import DATA

import wasmem
from wasmem.memory.map_command import format_table, prepare
from wasmem.memory.regions import MIN_ZERO_RUN, find_global, memory_regions, owner

CLANG_LIKE = """(module
  (memory (export "memory") 2)
  (global $__stack_pointer (mut i32) (i32.const 0x8000))
  (global (export "__data_end") i32 (i32.const 0x120))
  (global (export "__heap_base") i32 (i32.const 0x8000))
  (data (i32.const 0x100) "static bytes here")
  (data $later "passive one")
  (data $gone "passive two")
  (func (export "frame") (param $size i32)
    (global.set $__stack_pointer (i32.sub (global.get $__stack_pointer) (local.get $size)))
    (i32.store (global.get $__stack_pointer) (i32.const 0x11223344)))
  (func (export "drop") (data.drop $gone)))
"""


def instance(source: str = CLANG_LIKE) -> wasmem.Instance:
    return wasmem.Instance(wasmem.Module(source))


def kinds(regions: list) -> dict[str, list]:
    out: dict[str, list] = {}
    for region in regions:
        out.setdefault(region.kind, []).append(region)
    return out


def test_segments_stack_heap_and_zeros() -> None:
    inst = instance()
    inst.exports["frame"](64)
    inst.exports["drop"]()
    found = kinds(memory_regions(inst))
    (data,) = found["data"]
    assert (data.start, data.end) == (0x100, 0x100 + len("static bytes here"))
    passive = {r.name: r.detail for r in found["passive"]}
    assert passive == {"later": "11 bytes, not dropped", "gone": "11 bytes, dropped"}
    (stack,) = found["stack"]
    assert (stack.start, stack.end, stack.name) == (0x8000 - 64, 0x8000, "__stack_pointer")
    (free,) = found["stack-free"]
    assert (free.start, free.end) == (0x120, 0x8000 - 64)  # down to __data_end
    (heap,) = found["heap"]
    assert (heap.start, heap.end) == (0x8000, 2 * 65536)
    assert all(r.size >= MIN_ZERO_RUN for r in found["zeros"])
    assert found["zeros"][0].start == 0 and found["zeros"][0].end == 0x100


def test_owner_is_innermost_region() -> None:
    inst = instance()
    inst.exports["frame"](16)
    regions = memory_regions(inst)
    assert owner(regions, 0x8000 - 8).kind == "stack"
    assert owner(regions, 0x105).kind == "data"
    assert owner(regions, 0x9000).kind == "heap"  # a zero run inside the heap
    assert owner(regions, 0x10).kind == "zeros"


def test_globals_by_export_and_by_name_section() -> None:
    inst = instance()
    assert find_global(inst, "__stack_pointer") == (0x8000, 0x8000)  # $id only
    inst.exports["frame"](32)
    assert find_global(inst, "__stack_pointer") == (0x8000 - 32, 0x8000)
    assert find_global(inst, "__heap_base") == (0x8000, 0x8000)
    assert find_global(inst, "nothing") is None


def test_module_without_conventions_has_only_segments_and_zeros() -> None:
    inst = instance('(module (memory 1) (data (i32.const 8) "x"))')
    assert {r.kind for r in memory_regions(inst)} == {"data", "zeros"}
    with pytest.raises(IndexError):
        memory_regions(instance("(module)"))


def test_second_memory_gets_its_own_segments() -> None:
    inst = instance('(module (memory 1) (memory 1) (data (memory 1) (i32.const 4) "ab"))')
    assert [r.kind for r in memory_regions(inst, 0)] == ["zeros"]
    assert [(r.kind, r.start) for r in memory_regions(inst, 1) if r.kind == "data"] == [
        ("data", 4)]


def test_clang_program_after_start() -> None:
    path = DATA / "map" / "heap.wasm"
    inst, ended = prepare(wasmem.Module.from_file(path), str(path), None)
    assert ended == "after _start"
    found = kinds(memory_regions(inst))
    heap_base = inst.exports["__heap_base"].value
    assert found["heap"][0].start == heap_base
    assert found["stack"][0].end == found["stack"][0].start  # back at the top after main
    assert found["stack"][0].end <= heap_base
    table = format_table(memory_regions(inst))
    assert ".rodata" in table and "__heap_base" in table
    # the blocks malloc filled with 'A', 'C', 'D' are in the heap and not zero
    memory = inst.exports["memory"]
    heap = memory.read(heap_base, memory.size_bytes - heap_base)
    assert b"A" * 100 in heap and b"D" * 400 in heap


def test_allocator_blocks_from_a_heap_walker(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    import wasmem.tools.alloc
    blocks = [SimpleNamespace(address=0x8000, size=32, in_use=True),
              SimpleNamespace(address=0x8020, size=64, in_use=False)]
    monkeypatch.setattr(wasmem.tools.alloc, "walk", lambda inst: SimpleNamespace(blocks=blocks),
                        raising=False)
    regions = memory_regions(instance())
    found = [(r.kind, r.start, r.end) for r in regions if r.kind in ("block", "free")]
    assert found == [("block", 0x8000, 0x8020), ("free", 0x8020, 0x8060)]
    assert owner(regions, 0x8030).kind == "free"

    def unrecognised(inst: object) -> object:
        raise ValueError("no walker knows this heap")
    monkeypatch.setattr(wasmem.tools.alloc, "walk", unrecognised)
    assert not [r for r in memory_regions(instance()) if r.kind in ("block", "free")]
