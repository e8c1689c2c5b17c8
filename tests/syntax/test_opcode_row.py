"""The shape of a row of the opcode table (:mod:`wasmem.syntax.opcode_row`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wasmem.syntax import opcodes
from wasmem.syntax.opcode_row import (NO_CLASS, PREFIXES, Imm, OpClass, OpInfo, opcode_bytes,
                                      prefixed)
from wasmem.syntax.types import I32


@given(st.sampled_from(PREFIXES), st.integers(0, 0xFFFF))
def test_a_prefixed_key_splits_back_into_its_bytes(prefix: int, sub: int) -> None:
    assert opcode_bytes(prefixed(prefix, sub)) == (prefix, sub)


@given(st.integers(0, 0xFF))
def test_a_single_byte_key_has_no_sub_opcode(byte: int) -> None:
    assert opcode_bytes(byte) == (byte, None)


def test_a_row_without_classes_has_none() -> None:
    row = OpInfo(0x6A, "i32.add", Imm.NONE, (I32, I32), (I32,))
    assert row.classes == NO_CLASS and not row.classes & OpClass.CONSTANT
    assert row.feature == "core" and row.memory_size == 0 and row.memory_type is None


def test_natural_alignment_is_log2_of_the_access_width() -> None:
    widths = {1: 0, 2: 1, 4: 2, 8: 3, 16: 4}
    for row in opcodes.OPCODES.values():
        if row.memory_size:
            assert row.natural_alignment == widths[row.memory_size], row.name


def test_the_table_re_exports_the_row_names() -> None:
    assert opcodes.OpInfo is OpInfo and opcodes.Imm is Imm and opcodes.OpClass is OpClass
    assert opcodes.prefixed is prefixed and opcodes.opcode_bytes is opcode_bytes
    assert opcodes.PREFIXES is PREFIXES
