"""Zero-copy host access to linear memory: buffer, memoryview, numpy, read_into."""

from __future__ import annotations

import array
import sys

import pytest

import wasmem

TIERS = ["compile", "interpret"]
SOURCE = """(module
  (memory (export "memory") 1 100)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))"""


@pytest.mark.parametrize("tier", TIERS)
def test_host_view_never_blocks_guest_growth(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    view = memory.buffer
    assert instance.exports["grow"](3) == 1  # a live view used to make this -1
    assert memory.size == 4 and len(view) == 65536
    instance.exports["store"](16, 0x11223344)
    assert bytes(view[16:20]) == b"\x44\x33\x22\x11"  # same bytes, no copy
    view[20] = 0x7F
    assert instance.exports["load"](20) == 0x7F
    assert instance.exports["load"](4 * 65536 - 4) == 0


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 688 __buffer__ needs 3.12+")
def test_memoryview_of_memory_is_zero_copy() -> None:
    memory = wasmem.Memory(1)
    view = memoryview(memory)  # type: ignore[arg-type]
    memory.write(3, b"\x05")
    assert view[3] == 5 and len(view) == 65536


@pytest.mark.parametrize("tier", TIERS)
def test_numpy_shares_the_bytes(tier: str) -> None:
    numpy = pytest.importorskip("numpy")
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    words = numpy.frombuffer(memory.buffer, dtype=numpy.uint32)
    everything = numpy.asarray(memory)
    instance.exports["store"](8, 1234)
    assert words[2] == 1234 and everything[8] == 1234 % 256
    words[3] = 99  # writable: the guest sees it
    assert instance.exports["load"](12) == 99
    assert instance.exports["grow"](1) == 1 and words[2] == 1234
    memory.write(0, numpy.arange(4, dtype=numpy.int16))
    assert memory.read(0, 8) == b"\0\0\1\0\2\0\3\0"
    assert numpy.asarray(memory).shape == (2 * 65536,)


def test_read_into_fills_a_buffer() -> None:
    memory = wasmem.Memory(1)
    memory.write(100, bytes(range(1, 9)))
    target = array.array("H", [0, 0, 0, 0])
    assert memory.read_into(100, target) == 8
    assert target.tobytes() == bytes(range(1, 9))
    with pytest.raises(wasmem.Trap):
        memory.read_into(65530, bytearray(8))
    with pytest.raises(wasmem.InvocationError):
        memory.read_into(0, b"read-only")


@pytest.mark.parametrize("tier", TIERS)
def test_write_of_non_bytes_buffer_inside_instance(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    memory.write(0, array.array("i", range(10)))
    assert memory.size_bytes == 65536
    assert instance.exports["load"](4 * 9) == 9
    with pytest.raises(wasmem.Trap):
        memory.write(65536 - 8, array.array("i", range(10)))


def test_host_api_refuses_wrong_types_and_negative_indices() -> None:
    memory = wasmem.Memory(1, 3)
    table = wasmem.Table(2)
    with pytest.raises(wasmem.InvocationError):
        memory.grow(1.5)  # type: ignore[arg-type]
    with pytest.raises(wasmem.InvocationError):
        memory.u8[1.5]  # type: ignore[index]
    with pytest.raises(wasmem.InvocationError):
        table.grow(1.5)  # type: ignore[arg-type]
    with pytest.raises(wasmem.Trap, match="out of bounds table access"):
        table[-1]
    with pytest.raises(IndexError):  # Python's convention holds too
        table[-1] = None
    with pytest.raises(TypeError):
        memory.u8["0"]  # type: ignore[index]
    with pytest.raises(wasmem.InvocationError):
        wasmem.Memory(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("tier", TIERS)
def test_table_elements_from_the_host_are_checked(tier: str) -> None:
    from wasmem.syntax.types import EXTERNREF

    instance = wasmem.Instance(wasmem.Module("""(module
      (type $t (func (result i32)))
      (table (export "table") 2 funcref)
      (func (export "seven") (result i32) (i32.const 7))
      (func (export "call") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))"""),
        tier=tier)
    table = instance.exports["table"]
    for bad in ("text", 5, object(), lambda: 7):
        with pytest.raises(wasmem.InvocationError):
            table[0] = bad
        with pytest.raises(wasmem.InvocationError):
            table.grow(1, bad)
    assert table.size == 2 and table[0] is None
    table[1] = instance.exports["seven"]
    assert instance.exports["call"](1) == 7
    with pytest.raises(wasmem.Trap, match="uninitialized element"):
        instance.exports["call"](0)
    anything = wasmem.Table(1, element=EXTERNREF)
    anything[0] = {"any": "object"}
    assert anything[0] == {"any": "object"}
