"""wasmem.embedding.memory: the Memory facade (new memories, bytes, typed views, strings,
inspection)."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.memory.views import Struct


def test_a_new_memory_and_its_limits() -> None:
    memory = wasmem.Memory(1, 3)
    assert memory.size == 1 and memory.size_bytes == len(memory) == 65536
    assert memory.maximum == 3 and "1 page" in repr(memory)
    assert memory.grow(2) == 1 and memory.size == 3
    assert memory.grow(1) == -1
    with pytest.raises(wasmem.InvocationError, match="bad memory limits"):
        wasmem.Memory(2, 1)
    assert wasmem.Memory(0, memory64=True).size == 0


def test_bytes_views_strings_and_structs() -> None:
    memory = wasmem.Memory(1)
    memory.write(8, b"\x01\x02")
    assert memory.read(8, 2) == b"\x01\x02"
    memory.i32[16] = -2
    assert memory.u32[16] == 2**32 - 2 and memory.view("i32")[16] == -2
    memory.f64[24] = 1.5
    assert memory.f64[24] == 1.5
    assert memory.write_string(100, "hé") == 4
    assert memory.read_string(100) == "hé"
    layout = Struct([("a", "u16"), ("b", "i32")])
    memory.write_struct(layout, 200, {"a": 7, "b": -1})
    assert memory.read_struct(layout, 200) == {"a": 7, "b": -1}
    with pytest.raises(wasmem.Trap, match="out of bounds"):
        memory.read(65535, 2)


def test_inspection_and_identity() -> None:
    memory = wasmem.Memory(1)
    before = memory.snapshot()
    memory.write(32, b"abc")
    changes = memory.diff(before)
    assert len(changes) == 1
    assert "61 62 63" in memory.hexdump(32, 16)
    assert isinstance(memory.map(), str)
    exported = wasmem.Instance(wasmem.Module('(module (memory (export "m") 1))')).exports
    assert exported["m"] == exported["m"] and hash(exported["m"]) == hash(exported["m"])
    assert exported["m"] != memory
