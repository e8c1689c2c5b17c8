"""The committed entries of exported functions and wrappers of host functions
(:mod:`wasmem.exec.boundary_common`, :mod:`wasmem.exec.boundary_hosts`): up to date with
:mod:`wasmem.exec.invoke`, used for the common signatures, and behaving as the compiled
ones (conversions, arity errors, traps, host exceptions, bad results)."""

from __future__ import annotations

from types import CodeType
from typing import Any

import pytest

import wasmem
from wasmem.exec import boundary_regenerate, invoke
from wasmem.exec.invoke import COMMON_EXPORTS, COMMON_HOSTS, export_call
from wasmem.syntax.types import F64, I32, I64, FuncType

_SHAPE_TYPES = {"i": I32, "I": I64, "F": F64}


def test_the_committed_modules_are_up_to_date() -> None:
    """``python -m wasmem.exec.boundary_regenerate`` would not change them."""
    files = boundary_regenerate.generated_files()
    assert {path.name for path in files} == {"boundary_common.py", "boundary_hosts.py"}
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text, \
            f"{path.name} is out of date: run python -m wasmem.exec.boundary_regenerate"
    assert boundary_regenerate.main(["--check"]) == 0


@pytest.mark.parametrize(("params", "results"), COMMON_EXPORTS)
def test_common_signatures_use_the_committed_code(params: str, results: str) -> None:
    key = FuncType(tuple(_SHAPE_TYPES[c] for c in params),
                   tuple(_SHAPE_TYPES[c] for c in results))
    method = export_call(key)
    assert method.__code__.co_filename.endswith("boundary_common.py")
    assert method.__name__ == method.__code__.co_name == "__call__"
    assert method.__globals__["T"] == key.params  # (of the first equal type seen)
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


@pytest.mark.parametrize(("params", "results", "raw"), COMMON_HOSTS)
def test_common_host_signatures_use_the_committed_code(params: str, results: str,
                                                       raw: bool) -> None:
    make = invoke._host_call_factory(params, results, raw)
    assert make.__code__.co_filename.endswith("boundary_hosts.py")
    assert make.__name__ == make.__code__.co_name == "make"
    compiled = invoke._bind(compile(invoke.host_call_source(params, results, raw), "<x>",
                                    "exec"), "make", _host_raised=invoke._host_raised)
    assert make.__code__.co_code == compiled.__code__.co_code

    def inner(code: Any) -> list[tuple[bytes, tuple[str, ...]]]:
        return [(c.co_code, c.co_names) for c in code.co_consts if isinstance(c, CodeType)]

    assert inner(make.__code__) == inner(compiled.__code__) != []


def test_an_uncommon_host_signature_is_compiled() -> None:
    make = invoke._host_call_factory("iF", "I", False)
    assert make.__code__.co_filename.startswith("<wasmem boundary host")


_IMPORTING = """(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    (call $log (local.get 0))
    (call $add (call $twice (local.get 0)) (i32.const 1))))"""


def test_committed_host_wrappers_convert_and_report_as_compiled_ones() -> None:
    seen: list[int] = []
    imports = {"env": {"log": seen.append, "twice": lambda x: 2 * x,
                       "add": lambda a, b: a + b}}
    run = wasmem.Instance(wasmem.Module(_IMPORTING), imports).exports["run"]
    assert run(-5) == -9 and seen == [-5]  # signed host values in, results wrapped back
    bad = {"env": {**imports["env"], "twice": lambda x: "no"}}
    with pytest.raises(wasmem.Trap, match="bad result"):
        wasmem.Instance(wasmem.Module(_IMPORTING), bad).exports["run"](1)
    failing = {"env": {**imports["env"], "log": lambda x: 1 // 0}}
    with pytest.raises(wasmem.Trap, match="ZeroDivisionError"):
        wasmem.Instance(wasmem.Module(_IMPORTING), failing).exports["run"](1)
