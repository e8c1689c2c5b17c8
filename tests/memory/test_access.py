"""The table of memory access kinds (``memory/access.py``) and what is built from it."""

from __future__ import annotations

import struct

import pytest

from wasmem.exec.numeric.bits import f32_from_bits, f32_pack_into, f32_to_bits, f32_unpack
from wasmem.memory.access import (
    ACCESS_KINDS,
    MEMORY_ACCESSES,
    accessors,
    call_sizes,
    load_expression,
    store_statement,
    view_code,
    view_prefixes,
    view_sizes,
)
from wasmem.memory.views import VIEW_FORMATS
from wasmem.syntax.opcodes import OPCODES, Imm

_NAMESPACE = accessors(f32_unpack, f32_pack_into)


def test_every_scalar_load_and_store_has_an_access_of_its_size() -> None:
    scalar = {info.name: info for info in OPCODES.values()
              if info.imm is Imm.MEMARG and info.feature == "core"}
    assert set(MEMORY_ACCESSES) == set(scalar)
    for name, access in MEMORY_ACCESSES.items():
        assert access.kind.size == scalar[name].memory_size, name
        assert access.load == bool(scalar[name].results), name
        assert struct.calcsize(access.kind.format) == access.kind.size


def test_host_views_are_the_access_kinds() -> None:
    assert VIEW_FORMATS == {name: kind.format for name, kind in ACCESS_KINDS.items()}


@pytest.mark.parametrize("name", sorted(n for n, a in MEMORY_ACCESSES.items() if a.load))
def test_load_reads_and_extends_as_the_spec_says(name: str) -> None:
    """Bytes ``80 81 ... 87`` read by each load: the spec's extension of N bits."""
    access = MEMORY_ACCESSES[name]
    data = bytearray(range(0x80, 0x90))
    got = eval(load_expression(name, "data", "3"), {**_NAMESPACE, "data": data})
    raw = int.from_bytes(data[3:3 + access.kind.size], "little")
    if access.value_type == "f32":
        assert f32_to_bits(got) == raw  # NaN bits kept
        return
    if access.value_type == "f64":
        assert struct.pack("<d", got) == bytes(data[3:11])
        return
    bits = access.kind.bits
    if access.kind.signed and raw >> (bits - 1):
        raw -= 1 << bits  # sign-extend, then wrap to the value type
    assert got == raw & ((1 << access.value_bits) - 1)


@pytest.mark.parametrize("name", sorted(n for n, a in MEMORY_ACCESSES.items() if not a.load))
def test_store_writes_the_low_bits(name: str) -> None:
    access = MEMORY_ACCESSES[name]
    data = bytearray(16)
    if access.value_type == "f32":
        value: object = f32_from_bits(0x7FA00001)  # a signalling NaN keeps its bits
        expected = (0x7FA00001).to_bytes(4, "little")
    elif access.value_type == "f64":
        value = -1.5
        expected = struct.pack("<d", -1.5)
    else:
        value = 0xF1E2D3C4B5A69788 & ((1 << access.value_bits) - 1)
        expected = (value & ((1 << access.kind.bits) - 1)).to_bytes(access.kind.size, "little")
    exec(store_statement(name, "data", "5", "v"), {**_NAMESPACE, "data": data, "v": value})
    assert bytes(data[5:5 + access.kind.size]) == expected
    assert not any(data[:5]) and not any(data[5 + access.kind.size:])


def test_views_only_where_a_view_reads_the_value_itself() -> None:
    """Sign-extending loads and f32 (NaN bits) take no typed-view fast path of their own
    (f32 has a view for values that are not NaNs, ``VF32``, which the compiler tests)."""
    for name, access in MEMORY_ACCESSES.items():
        code = view_code(name)
        if access.kind.size == 1 or access.kind.name == "f32" or (
                access.kind.signed and access.kind.name[0] == "i"):
            assert code is None, name
        else:
            assert code is not None and struct.calcsize(code) == access.kind.size, name
    assert set(view_sizes()) == {"V16", "V32", "V64", "VF64", "V16S", "V32S", "V64S", "VF32"}
    assert view_sizes()["VF32"] == 4 and "VF32" in view_prefixes().values()


def test_every_accessor_named_has_its_size() -> None:
    sizes = call_sizes()
    assert set(sizes) <= set(_NAMESPACE)
    for name in _NAMESPACE:
        if not name.startswith("SX8"):
            assert name in sizes
