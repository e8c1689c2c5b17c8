"""The committed entries of exported functions (:mod:`wasmem.exec.boundary_common`): up
to date with :mod:`wasmem.exec.invoke`, used for the common signatures, and behaving as
the compiled ones (conversions, arity errors, traps)."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec import boundary_regenerate, invoke
from wasmem.exec.invoke import COMMON_EXPORTS, export_call
from wasmem.syntax.types import F64, I32, I64, FuncType

_SHAPE_TYPES = {"i": I32, "I": I64, "F": F64}


def test_the_committed_module_is_up_to_date() -> None:
    """``python -m wasmem.exec.boundary_regenerate`` would not change it."""
    assert boundary_regenerate.target().read_text(encoding="utf-8") == \
        boundary_regenerate.generated_text(), \
        "boundary_common.py is out of date: run python -m wasmem.exec.boundary_regenerate"
    assert boundary_regenerate.main(["--check"]) == 0


@pytest.mark.parametrize(("params", "results"), COMMON_EXPORTS)
def test_common_signatures_use_the_committed_code(params: str, results: str) -> None:
    key = FuncType(tuple(_SHAPE_TYPES[c] for c in params),
                   tuple(_SHAPE_TYPES[c] for c in results))
    method = export_call(key)
    assert method.__code__.co_filename.endswith("boundary_common.py")
    assert method.__name__ == method.__code__.co_name == "__call__"
    assert method.__globals__["T"] is key.params
    # the same instructions as the entry compiled from the source
    compiled = invoke._bind(compile(invoke.export_call_source(params, results), "<x>", "exec"),
                            "__call__", T=key.params)
    assert method.__code__.co_code == compiled.__code__.co_code
    assert method.__code__.co_names == compiled.__code__.co_names


def test_an_uncommon_signature_is_compiled() -> None:
    method = export_call(FuncType((I32, F64, I64), (I64, I32)))
    assert method.__code__.co_filename.startswith("<wasmem boundary export")


_MODULE = """(module
  (memory 1)
  (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "add3") (param i32 i32 i32) (result i32)
    (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2))))
  (func (export "half") (param i32) (result f64)
    (f64.div (f64.convert_i32_s (local.get 0)) (f64.const 2)))
  (func (export "nothing"))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))"""


def test_committed_entries_convert_check_and_trap_as_compiled_ones() -> None:
    exports = wasmem.Instance(wasmem.Module(_MODULE)).exports
    assert exports["inc"](-1) == 0
    assert exports["inc"](0x7FFFFFFF) == -0x80000000  # i32 results are signed
    assert exports["inc"](0xFFFFFFFF) == 0  # unsigned arguments wrap
    assert exports["add3"](1, 2, 3) == 6
    assert exports["half"](-3) == -1.5
    assert exports["nothing"]() is None
    with pytest.raises(wasmem.InvocationError, match="inc expects 1 argument"):
        exports["inc"](1, 2)
    with pytest.raises(wasmem.InvocationError):
        exports["inc"]("1")
    with pytest.raises(wasmem.Trap, match="out of bounds"):
        exports["load"](65535)
