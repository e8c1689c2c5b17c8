"""The warm path binds the code the cold path makes (``wasmem/exec/compiler/cache.py``).

A run with a filled disk cache (a later process: the memory layer emptied) must run
exactly the translation a run without any cache makes in the process: the same bytecode,
the same constants and the same global names (the per-module float constants ``C<k>``
renumbered on loading, so compared by the values they are bound to), bound for the
same functions. Modules written the way people write them: a byte sieve, float code with
NaN payloads and infinities, ``call_indirect`` through a table with inlinable targets,
multi-value blocks, and a clang-style shadow-stack function.
"""

from __future__ import annotations

import struct
import types
from pathlib import Path
from typing import Any

import pytest

import wasmem
from wasmem.exec import tiering
from wasmem.exec.compiler import cache_trust
from wasmem.exec.compiler.cache_memory import MEMORY, MEMORY_VARIABLE

SIEVE = """(module
  (memory 1)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    (memory.fill (i32.const 0) (i32.const 1) (local.get $n))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.load8_u (local.get $i))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $inner_done
              (loop $inner
                (br_if $inner_done (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 0))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $inner)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $i (i32.const 2))
    (block $count_done
      (loop $count
        (br_if $count_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $count (i32.add (local.get $count) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count)))
    (local.get $count)))"""

FLOATS = """(module
  (func $scale (param $x f64) (result f64)
    (f64.add (f64.mul (local.get $x) (f64.const 1.5)) (f64.const -inf)))
  (func $bits (param $x f64) (result i64)
    (i64.add (i64.reinterpret_f64 (f64.const nan:0x4))
             (i64.reinterpret_f64 (f64.max (local.get $x) (f64.const -nan:0x5)))))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc f64) (local $h i64)
    (loop $l
      (local.set $acc (f64.add (local.get $acc)
        (f64.div (f64.const 1) (f64.convert_i32_u (i32.add (local.get $i) (i32.const 1))))))
      (local.set $h (i64.xor (local.get $h) (call $bits (local.get $acc))))
      (drop (call $scale (local.get $acc)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (local.get $h) (i64.trunc_sat_f64_s (f64.mul (local.get $acc) (f64.const 1e6))))))"""

INDIRECT = """(module
  (type $op (func (param i32 i32) (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $add $sub $mul)
  (func $add (type $op) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $op) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $op) (i32.mul (local.get 0) (local.get 1)))
  (func $pair (param i32) (result i32 i32)
    (local.get 0) (i32.rem_u (local.get 0) (i32.const 3)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $b i32) (local $k i32)
    (loop $l
      (block (result i32 i32)
        (call $pair (local.get $i)))
      (local.set $k)
      (local.set $b)
      (local.set $acc (call_indirect (type $op)
        (local.get $acc) (local.get $b) (local.get $k)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))"""

SHADOW_STACK = """(module
  (memory 2)
  (global $sp (mut i32) (i32.const 65536))
  (func $fill (param $p i32) (param $n i32)
    (loop $l
      (i32.store (local.get $p) (local.get $n))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l)))
  (func (export "run") (param $n i32) (result i32)
    (local $frame i32) (local $i i32) (local $sum i32)
    (global.set $sp (local.tee $frame (i32.sub (global.get $sp) (i32.const 64))))
    (loop $l
      (call $fill (local.get $frame) (i32.const 16))
      (local.set $sum (i32.add (local.get $sum) (i32.load offset=12 (local.get $frame))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (global.set $sp (i32.add (local.get $frame) (i32.const 64)))
    (local.get $sum)))"""

MODULES = {"sieve": (SIEVE, 3000), "floats": (FLOATS, 500), "indirect": (INDIRECT, 500),
           "shadow_stack": (SHADOW_STACK, 300)}


@pytest.fixture(autouse=True)
def default_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules of a run without ``WASMEM_TIER_BUDGETS`` (the users' runs and the
    bench's), an empty memory layer, no warning remembered."""
    monkeypatch.setattr(tiering, "_budgets_set", False)
    monkeypatch.delenv(MEMORY_VARIABLE, raising=False)
    monkeypatch.setattr(cache_trust, "_warned", set())
    MEMORY.clear()


def _constant_value(value: float) -> tuple[str, bytes]:
    """A float constant by its bits (NaN payloads and signs compared exactly)."""
    return "float", struct.pack("<d", value)


def _normalised(code: types.CodeType, constants: list[float]) -> Any:
    """What ``code`` runs, with its per-module constant names replaced by the values of
    the constants they name (their numbers differ between a loaded and a made code)."""
    def name(text: str) -> Any:
        if text[:1] == "C" and text[1:].isdigit():
            return _constant_value(constants[int(text[1:])])
        return text

    def const(value: Any) -> Any:
        if isinstance(value, types.CodeType):
            return _normalised(value, constants)
        if isinstance(value, float):
            return _constant_value(value)
        return type(value).__name__, value
    return (code.co_code, code.co_argcount, code.co_varnames, code.co_exceptiontable,
            tuple(name(text) for text in code.co_names),
            tuple(const(value) for value in code.co_consts))


def _run(data: bytes, arg: int, cache: Path | bool, times: int = 3) -> tuple[Any, Any]:
    """Run ``run(arg)`` ``times`` on one fresh instance; return its results and the
    instance (its internal ``ModuleInstance``)."""
    instance = wasmem.Instance(wasmem.Module(data, cache_dir=cache))
    results = [instance.exports["run"](arg) for _ in range(times)]
    return results, instance._instance


def _bound_codes(inner: Any) -> dict[int, Any]:
    """The normalised code bound for each of the instance's translated functions."""
    constants = inner.module._wasmem_compiled.context.constants
    found = {}
    for index, function in enumerate(inner.functions):
        code = getattr(function.call, "__code__", None)
        if code is not None and code.co_filename.startswith("<wasm"):
            found[index] = _normalised(code, constants)
    return found


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_warm_run_binds_the_code_a_cold_run_translates(name: str, tmp_path: Path) -> None:
    text, arg = MODULES[name]
    data = wasmem.Module(text).to_bytes()
    # cold: no cache; the runs make the function hot, so the tiered mode translates it
    cold_results, cold = _run(data, arg, False, times=12)
    cold_codes = _bound_codes(cold)
    assert cold_codes, "the cold run translated nothing: the test would compare nothing"
    # fill the cache, then a run as a later process does (nothing in the memory layer)
    _run(data, arg, tmp_path)
    MEMORY.clear()
    warm_results, warm = _run(data, arg, tmp_path)
    assert warm_results == cold_results[:3]
    assert warm.tier.ledger.spent == 0.0  # bound from the cache, nothing translated
    warm_codes = _bound_codes(warm)
    for index, code in cold_codes.items():
        assert warm_codes.get(index) == code, f"function {index} differs"


def test_in_process_warm_instances_share_the_loaded_code(tmp_path: Path) -> None:
    """A second warm Module in the process (the bench's timed runs) binds code equal to
    the first one's, from the memory layer, with its own constants' numbering."""
    data = wasmem.Module(FLOATS).to_bytes()
    _run(data, 50, tmp_path)
    MEMORY.clear()
    first_results, first = _run(data, 50, tmp_path)
    second_results, second = _run(data, 50, tmp_path)
    assert first_results == second_results
    assert _bound_codes(first) == _bound_codes(second) != {}
    # each module appended the values its code names, bit for bit the same
    assert [_constant_value(value) for value in second.module._wasmem_compiled.context
            .constants] == [_constant_value(value) for value in
                            first.module._wasmem_compiled.context.constants]


def test_the_source_stamps_cover_every_source_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint (the cache's key for this wasmem) stamps every ``.py`` file below
    the package, nested folders and a folder named like a source included, bytecode
    folders and other files not; a changed file changes it."""
    from wasmem.exec.compiler import cache
    for relative in ("a.py", "b.txt", "sub/c.py", "sub/deeper/d.py", "odd.py/e.py",
                     "__pycache__/f.py", "sub/__pycache__/g.cpython-311.pyc"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x = 1\n")
    stamps = cache._source_stamps(str(tmp_path), "")
    assert sorted(name for name, _, _ in stamps) == [
        "a.py", "odd.py/e.py", "sub/c.py", "sub/deeper/d.py"]
    assert all(size == 6 and mtime > 0 for _, size, mtime in stamps)
    monkeypatch.setattr(cache, "_PACKAGE", str(tmp_path))
    cache.fingerprint.cache_clear()
    try:
        before = cache.fingerprint()
        (tmp_path / "sub/deeper/d.py").write_text("x = 22\n")
        cache.fingerprint.cache_clear()
        assert cache.fingerprint() != before
    finally:
        cache.fingerprint.cache_clear()
