"""What a host function returns for an ``externref`` result is the reference itself.

A one-element list or tuple returned for a single result of a number type stands for its
element (a convenience), but for ``externref``, which takes any Python object, the list
is the value: unpacking it changed the reference the module got (found by
``tests/embedding/host_boundary_offline.py``).
"""

from __future__ import annotations

from typing import Any

import pytest

import wasmem
from wasmem.syntax.types import EXTERNREF, I32

MODULE = """(module
  (import "env" "ext" (func $ext (result externref)))
  (import "env" "num" (func $num (result i32)))
  (func (export "ext") (result externref) (call $ext))
  (func (export "num") (result i32) (call $num)))"""


@pytest.mark.parametrize("tier", ["compile", "interpret", None])
@pytest.mark.parametrize("value", [[1], (1,), [], ("a", "b"), [[2]]], ids=repr)
def test_a_sequence_returned_as_externref_is_the_reference(tier: str | None,
                                                           value: Any) -> None:
    imports = {"env": {"ext": wasmem.Function(lambda: value, [], [EXTERNREF]),
                       "num": wasmem.Function(lambda: (7,), [], [I32])}}
    kwargs = {"tier": tier} if tier else {}
    instance = wasmem.Instance(wasmem.Module(MODULE), imports, **kwargs)
    assert instance.exports["ext"]() is value
    assert instance.exports["num"]() == 7  # numbers still accept a one-element sequence
