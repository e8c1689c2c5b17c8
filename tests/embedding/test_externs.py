"""wasmem.embedding.externs: Global, Table and Tag, and how runtime values are wrapped."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.syntax.types import EXTERNREF, F32, I32, I64, FuncType, GlobalType

EXPORTS = """(module
  (tag $t (export "tag") (param i32 i64))
  (global (export "counter") (mut i64) (i64.const -1))
  (table (export "refs") 2 externref)
  (func (export "get") (param i32) (result externref) (table.get 0 (local.get 0))))"""


def test_globals_convert_and_refuse_writes_when_immutable() -> None:
    g = wasmem.Global(F32, 0.1, mutable=True)
    assert g.type == GlobalType(F32, True) and g.value != 0.1
    g.value = 2
    assert g.value == 2.0 and "f32" in repr(g)
    constant = wasmem.Global(I32, 2**32 - 1)
    assert constant.value == -1
    with pytest.raises(wasmem.InvocationError, match="immutable"):
        constant.value = 1
    with pytest.raises(wasmem.InvocationError):
        wasmem.Global(I32, "x")
    counter = wasmem.Instance(wasmem.Module(EXPORTS)).exports["counter"]
    assert counter.value == -1
    counter.value = 5
    assert counter.value == 5


def test_tables_of_host_values_and_their_limits() -> None:
    instance = wasmem.Instance(wasmem.Module(EXPORTS))
    refs = instance.exports["refs"]
    marker = object()
    refs[1] = marker
    assert refs[1] is marker and instance.exports["get"](1) is marker
    assert refs[0] is None and len(refs) == refs.size == 2
    assert refs.grow(1, "s") == 2 and refs[2] == "s"
    with pytest.raises(IndexError):
        refs[3]
    with pytest.raises(wasmem.InvocationError, match="bad table limits"):
        wasmem.Table(3, 2)
    table = wasmem.Table(1, element=EXTERNREF)
    table[0] = 42
    assert table[0] == 42


def test_a_tag_has_its_type() -> None:
    tag = wasmem.Instance(wasmem.Module(EXPORTS)).exports["tag"]
    assert isinstance(tag, wasmem.Tag)
    assert tag.type == FuncType((I32, I64), ())
