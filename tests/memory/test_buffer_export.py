"""Zero-copy host views of linear memory on every supported Python: ``memory.buffer``
everywhere, ``memoryview(memory)`` and ``numpy.frombuffer(memory)`` on 3.12+ (PEP 688),
and what 3.11 does instead; views stay valid across ``memory.grow`` (host or guest) and
never make it fail; ``memory.read_into``."""

from __future__ import annotations

import array
import sys

import pytest

import wasmem

TIERS = ["compile", "interpret"]
PEP688 = sys.version_info >= (3, 12)
SOURCE = """(module
  (memory (export "memory") 1 8)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))"""


def views(memory: wasmem.Memory) -> list[memoryview]:
    """Every zero-copy view this Python offers of ``memory``."""
    found = [memory.buffer, memoryview(memory.buffer)]
    if PEP688:
        found.append(memoryview(memory))  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize("tier", TIERS)
def test_views_share_the_bytes_and_survive_guest_growth(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    held = views(memory)
    assert all(len(view) == 65536 and not view.readonly for view in held)
    assert instance.exports["grow"](2) == 1  # held views never make growth fail
    instance.exports["store"](40, 0x0A0B0C0D)
    for k, view in enumerate(held):
        assert bytes(view[40:44]) == b"\x0d\x0c\x0b\x0a"  # the same bytes, no copy
        assert len(view) == 65536  # a view keeps the length it had
        view[44 + k] = 0x70 + k  # and writes through to the guest
    assert instance.exports["load"](44) == int.from_bytes(
        bytes(range(0x70, 0x70 + len(held))) + bytes(4 - len(held)), "little")
    assert all(len(view) == 3 * 65536 for view in views(memory))  # new views: new size
    instance.exports["store"](2 * 65536 + 8, 99)
    assert views(memory)[-1][2 * 65536 + 8] == 99


def test_views_survive_host_growth_and_release() -> None:
    memory = wasmem.Memory(1, 4)
    for view in views(memory):
        with view:  # released views are fine too
            assert memory.grow(1) >= 1
    assert memory.size == 1 + len(views(memory))
    assert memory.grow(10) == -1 and memory.size_bytes == len(memory.buffer)


def test_a_memory_that_cannot_grow_exports_its_bytes_too() -> None:
    memory = wasmem.Memory(2, 2)
    for view in views(memory):
        view[70000] = 1
        assert memory.read(70000, 1) == b"\x01" and len(view) == 2 * 65536
        view[70000] = 0
    assert memory.grow(1) == -1


@pytest.mark.skipif(not PEP688, reason="memoryview(memory) needs PEP 688 (Python 3.12+)")
def test_memoryview_and_numpy_frombuffer_of_the_memory_itself() -> None:
    memory = wasmem.Memory(1, 4)
    view = memoryview(memory)  # type: ignore[arg-type]
    assert view.format == "B" and view.nbytes == 65536 and not view.readonly
    numpy = pytest.importorskip("numpy")
    words = numpy.frombuffer(memory, dtype=numpy.uint32)  # type: ignore[call-overload]
    memory.write(8, (7).to_bytes(4, "little"))
    assert words[2] == 7 and view[8] == 7
    words.flags.writeable = True  # frombuffer of a writable buffer may write
    words[3] = 0x01020304
    assert memory.read(12, 4) == b"\x04\x03\x02\x01"
    assert memory.grow(1) == 1 and words[3] == 0x01020304 and len(words) == 16384
    assert len(numpy.frombuffer(memory, dtype=numpy.uint8)) == 2 * 65536  # type: ignore


@pytest.mark.skipif(PEP688, reason="what Python 3.11 does instead of PEP 688")
def test_python_311_refuses_memoryview_of_the_memory_and_offers_its_buffer() -> None:
    memory = wasmem.Memory(1)
    with pytest.raises(TypeError):
        memoryview(memory)  # type: ignore[arg-type]
    assert memoryview(memory.buffer).nbytes == 65536  # the portable spelling
    numpy = pytest.importorskip("numpy")
    with pytest.raises(TypeError):
        numpy.frombuffer(memory, dtype=numpy.uint8)  # type: ignore[call-overload]
    everything = numpy.asarray(memory)  # __array__ works on every version, zero-copy
    everything[5] = 9
    assert memory.read(5, 1) == b"\x09"


@pytest.mark.parametrize("tier", TIERS)
def test_read_into_any_writable_buffer(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    memory = instance.exports["memory"]
    instance.exports["store"](16, 0x44332211)
    target = bytearray(6)
    assert memory.read_into(15, target) == 6 and target == b"\x00\x11\x22\x33\x44\x00"
    words = array.array("I", [0])
    assert memory.read_into(16, words) == 4 and words[0] == 0x44332211
    window = bytearray(b"xxxxxx")
    assert memory.read_into(17, memoryview(window)[1:4]) == 3 and window == b"x\x22\x33\x44xx"
    assert instance.exports["grow"](1) == 1
    instance.exports["store"](65536 + 4, 5)
    assert memory.read_into(65536 + 4, words) == 4 and words[0] == 5  # the new page
    untouched = bytearray(b"keep")
    with pytest.raises(wasmem.Trap, match="out of bounds"):
        memory.read_into(2 * 65536 - 2, untouched)
    assert untouched == b"keep"
    for refused in (b"read-only", memoryview(bytearray(8))[::2], "text"):
        with pytest.raises(wasmem.InvocationError):
            memory.read_into(0, refused)


def test_read_into_a_numpy_array() -> None:
    numpy = pytest.importorskip("numpy")
    memory = wasmem.Memory(1)
    memory.write(0, numpy.arange(8, dtype=numpy.float64))
    out = numpy.zeros(4, dtype=numpy.float64)
    assert memory.read_into(16, out) == 32 and out.tolist() == [2.0, 3.0, 4.0, 5.0]
    with pytest.raises(wasmem.InvocationError):
        memory.read_into(0, numpy.zeros(8)[::2])  # not contiguous
