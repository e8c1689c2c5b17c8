"""A dropped instance is freed by reference counting (wasmem.exec.release): what it built
to run is not left to Python's cyclic garbage collector, and what the user kept of it
(exports, a function another instance imported, a running call) keeps working."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import wasmem
from wasmem.exec.release import release

ROOT = Path(__file__).resolve().parents[2]
MALLOCS = ROOT / "bench" / "c" / "programs" / "mallocs.wasm"  # C, dlmalloc (bench/c)
MALLOCS_RUN_2 = 1928852311  # its run(2), as bench/benchlib/programs.py records
RECUR = ROOT / "bench" / "c" / "independent" / "recur.wasm"
RECUR_RUN_1 = 9926049

MODES = ["tiered-cold", "tiered-warm", "compile", "interpret"]


@pytest.fixture
def collector() -> Iterator[None]:
    """Automatic collections off (a test counts what one explicit collection finds)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _module(path: Path, mode: str, cache: Path) -> wasmem.Module:
    return wasmem.Module(path.read_bytes(), cache_dir=cache if mode == "tiered-warm" else False)


def _tier(mode: str) -> str:
    return mode.split("-")[0]


def _left_by_one_run(path: Path, arg: int, expected: int, mode: str, cache: Path
                     ) -> list[Any]:
    """Run a fresh Module+Instance once, drop both; return the number of functions
    and what the next collection finds unreachable (kept for inspection)."""
    module = _module(path, mode, cache)
    instance = wasmem.Instance(module, tier=_tier(mode))
    assert instance.exports.run(arg) == expected
    functions = len(module.ast.functions)
    gc.collect()  # what the run itself left (the translator's and decoder's temporaries)
    del instance, module
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
    finally:
        gc.set_debug(0)
    garbage = list(gc.garbage)
    gc.garbage.clear()
    return [functions, garbage]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("program", ["mallocs", "recur"])
def test_a_dropped_instance_leaves_none_of_its_code_to_the_collector(
        program: str, mode: str, tmp_path: Path, collector: None) -> None:
    path, arg, expected = ((MALLOCS, 2, MALLOCS_RUN_2) if program == "mallocs"
                           else (RECUR, 1, RECUR_RUN_1))
    if mode == "tiered-warm":  # a run that fills the cache, then a warm one
        _left_by_one_run(path, arg, expected, mode, tmp_path)
    functions, garbage = _left_by_one_run(path, arg, expected, mode, tmp_path)
    kinds = {type(o).__name__ for o in garbage}
    # the interpreter's linked code and its per-instance state are freed on their own
    assert not kinds & {"FunctionCode", "InstanceCode", "LinkContext", "InterpretedModule",
                        "DecodedFunction"}
    closures = [o for o in garbage if type(o).__name__ == "function"
                and "<locals>.op" in o.__qualname__]
    assert closures == []
    # what is left: the instance with a stub or two per function, and the module itself
    # (its syntax tree: the instructions decoded for translation, their tuples)
    rest = [o for o in garbage if type(o) not in (tuple, list)
            and not type(o).__module__.startswith(("wasmem.syntax", "wasmem.binary"))]
    assert len(rest) < 20 * functions + 200


@pytest.mark.parametrize("mode", MODES)
def test_exports_work_after_their_instance_is_dropped_and_released(
        mode: str, tmp_path: Path, collector: None) -> None:
    module = _module(MALLOCS, mode, tmp_path)
    instance = wasmem.Instance(module, tier=_tier(mode))
    run, memory = instance.exports.run, instance.exports.memory
    inner = instance._instance
    assert run(2) == MALLOCS_RUN_2
    del instance, module
    gc.collect()
    assert run(2) == MALLOCS_RUN_2  # the export kept the instance's code
    assert release(inner)  # released anyway (as if every handle had gone)
    assert run(2) == MALLOCS_RUN_2  # linked again on its next call
    assert run(2) == MALLOCS_RUN_2
    assert memory.size > 0 and len(memory.read(0, 16)) == 16


CALLS_BACK = """
(module
  (import "host" "tick" (func $tick (param i32)))
  (func $fib (export "fib") (param $n i32) (result i32)
    local.get $n
    i32.const 2
    i32.lt_u
    if (result i32)
      local.get $n
    else
      local.get $n
      i32.const 1
      i32.sub
      call $fib
      local.get $n
      i32.const 2
      i32.sub
      call $fib
      i32.add
    end)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    loop $again
      local.get $i
      call $tick
      local.get $sum
      local.get $i
      call $fib
      i32.add
      local.set $sum
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $again
    end
    local.get $sum))
"""


def _fib(n: int) -> int:
    return n if n < 2 else _fib(n - 1) + _fib(n - 2)


@pytest.mark.parametrize("mode", MODES)
def test_a_release_in_the_middle_of_a_call_changes_no_result(mode: str) -> None:
    held: dict[str, Any] = {}

    def tick(i: int) -> None:
        if i in (3, 9, 15):  # released while run() and its loop are running
            assert release(held["instance"])

    instance = wasmem.Instance(wasmem.Module(CALLS_BACK, cache_dir=False),
                               {"host": {"tick": tick}}, tier=_tier(mode))
    held["instance"] = instance._instance
    expected = sum(_fib(i) for i in range(18))
    assert instance.exports.run(18) == expected
    assert instance.exports.run(18) == expected
    assert instance.exports.fib(12) == _fib(12)


def test_an_imported_function_of_a_released_instance_keeps_working() -> None:
    first = wasmem.Instance(wasmem.Module(CALLS_BACK, cache_dir=False),
                            {"host": {"tick": lambda i: None}})
    user = wasmem.Instance(wasmem.Module("""
        (module (import "first" "fib" (func $fib (param i32) (result i32)))
          (func (export "twice") (param i32) (result i32)
            local.get 0 call $fib local.get 0 call $fib i32.add))""", cache_dir=False),
        {"first": first})
    assert user.exports.twice(10) == 2 * _fib(10)
    inner = first._instance
    del first
    gc.collect()  # the first Instance and its exports are gone: released
    assert user.exports.twice(15) == 2 * _fib(15)
    assert release(inner)
    assert user.exports.twice(16) == 2 * _fib(16)


def test_releases_during_the_interpreters_own_import_do_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a finalizer can run while the interpreter is being imported (a collection then, or
    # another thread dropping its instance): the module is in sys.modules but has none of
    # its attributes yet (this was an AttributeError out of forget_decoded, printed as
    # "Exception ignored in: <finalize ...>")
    import sys
    import types

    from wasmem.exec.release import forget_decoded
    module = wasmem.Module(CALLS_BACK, cache_dir=False)
    instance = wasmem.Instance(module, {"host": {"tick": lambda i: None}}, tier="interpret")
    assert instance.exports.fib(5) == _fib(5)
    partial = types.ModuleType("wasmem.exec.interpreter")
    partial.__spec__ = types.SimpleNamespace(_initializing=True)  # type: ignore[assignment]
    monkeypatch.setitem(sys.modules, "wasmem.exec.interpreter", partial)
    forget_decoded(module.ast)
    assert release(instance._instance)
    monkeypatch.undo()
    assert instance.exports.fib(6) == _fib(6)


def _decoded(tree: Any) -> dict[Any, Any]:
    """The interpreter's decoded functions of syntax module ``tree`` ({}: none)."""
    from wasmem.exec.interpreter import _CACHE_KEY
    held = tree.__dict__.get(_CACHE_KEY)
    return {} if held is None else held.functions


def test_a_module_loaded_again_from_its_bytes_keeps_its_decoded_functions() -> None:
    # Module(data) per run (plugins, benchmarks): loading the same bytes returns the
    # same syntax module (wasmem.load.cached), so dropping the first handle must not
    # forget what the interpreter decoded for it (every run decoded it all again)
    from wasmem.load.cached import forget_validated
    data = RECUR.read_bytes()
    module = wasmem.Module(data, cache_dir=False)
    assert wasmem.Instance(module, tier="interpret").exports.run(1) == RECUR_RUN_1
    tree = module.ast
    decoded = dict(_decoded(tree))
    assert decoded
    del module
    gc.collect()
    assert _decoded(tree) == decoded  # kept: the next Module of the bytes is this one
    again = wasmem.Module(data, cache_dir=False)
    assert again.ast is tree
    assert wasmem.Instance(again, tier="interpret").exports.run(1) == RECUR_RUN_1
    assert all(_decoded(tree)[key] is function for key, function in decoded.items())
    forget_validated()  # no longer returned for its bytes, but a handle is left
    assert _decoded(tree)
    del again
    gc.collect()
    assert not _decoded(tree)  # the last handle went: forgotten as before


def test_a_module_not_kept_forgets_its_decoded_functions_with_its_last_handle() -> None:
    first = wasmem.Module(CALLS_BACK, cache_dir=False)  # (text: not kept by its source)
    second = wasmem.Module.from_ast(first.ast)
    instance = wasmem.Instance(second, {"host": {"tick": lambda i: None}}, tier="interpret")
    assert instance.exports.fib(5) == _fib(5)
    del first
    gc.collect()
    assert _decoded(second.ast)  # another handle is live
    assert instance.exports.fib(6) == _fib(6)
    tree = second.ast
    del second, instance  # (an Instance holds its Module)
    gc.collect()
    assert not _decoded(tree)
