"""What a fresh process imports on the way to its first result (issue 15's "first result"
target: ``import wasmem`` plus one small call must cost no more than pwasm's).

Each check runs a fresh interpreter without ``site`` (so nothing else has imported the
modules in question) and looks at ``sys.modules``: a behaviour check, not a timing one.
Importing any of these again where the check forbids it would add milliseconds to every
process that uses wasmem.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import wasmem

SOURCE_ROOT = str(Path(wasmem.__file__).resolve().parent.parent)

HEAVY_STANDARD_LIBRARY = ("dataclasses", "inspect", "ast", "dis", "hashlib", "_hashlib", "hmac",
                          "ctypes", "tempfile", "zipfile", "secrets", "random", "subprocess",
                          "importlib.resources", "shutil", "pickle", "email", "tokenize",
                          "linecache", "pathlib")
"""Modules ``import wasmem`` does without (each costs from 1 to 5 ms to import)."""

LATER_PARTS = ("wasmem.text", "wasmem.valid", "wasmem.wasi", "wasmem.exec.interpreter",
               "wasmem.binary.names", "wasmem.binary.writer",
               "wasmem.exec.compiler.codegen", "wasmem.exec.compiler.tier",
               "wasmem.exec.tiering", "wasmem.memory.inspect", "wasmem.binary.encode",
               "wasmem.observe", "wasmem.script", "wasmem.tools", "wasmem.exec.compiler.cache",
               "wasmem.exec.numeric.simd")
"""wasmem's own parts that ``import wasmem`` leaves to their first use."""

_MODULE = (b"\0asm\1\0\0\0\1\6\1`\1\x7f\1\x7f\3\2\1\0\7\x07\1\3inc\0\0\n\t\1\7\0 \0A\1j\v")
"""``(func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))``"""


def _fresh_process(code: str, **environment: str) -> Any:
    """Run ``code`` in a fresh ``python -S`` with wasmem importable; it prints JSON."""
    prelude = f"import sys, json\nsys.path.insert(0, {SOURCE_ROOT!r})\n"
    env = {**os.environ, **environment}
    done = subprocess.run([sys.executable, "-S", "-c", prelude + code], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@functools.cache
def _at_startup() -> frozenset[str]:
    """The modules a bare ``python -S`` has imported before any code runs (Python 3.13
    imports ``linecache`` there, for one): not wasmem's to avoid."""
    found = _fresh_process("print(json.dumps(sorted(sys.modules)))")
    return frozenset(found)


def _imported(found: object, names: tuple[str, ...]) -> list[str]:
    assert isinstance(found, list)
    startup = _at_startup()
    return [name for name in names if name not in startup
            and any(m == name or m.startswith(name + ".") for m in found)]


def test_import_wasmem_leaves_heavy_modules_alone() -> None:
    found = _fresh_process("import wasmem\nprint(json.dumps(sorted(sys.modules)))")
    assert "wasmem.embedding" in found  # (the check looks at the right process)
    assert _imported(found, HEAVY_STANDARD_LIBRARY) == []
    assert _imported(found, LATER_PARTS) == []


def test_loading_a_binary_imports_no_parser_no_translator() -> None:
    found = _fresh_process(
        f"import wasmem\nwasmem.Module({_MODULE!r})\nprint(json.dumps(sorted(sys.modules)))",
        WASMEM_CACHE_DIR="")
    assert "wasmem.valid" in found  # it was validated
    assert _imported(found, ("wasmem.text", "wasmem.exec.compiler.codegen", "hashlib",
                             "dataclasses", "inspect")) == []
    # (no name section: neither its decoder nor the encoder's writer)
    assert _imported(found, ("wasmem.binary.names", "wasmem.binary.writer")) == []


def test_a_warm_start_needs_no_openssl(tmp_path: Path) -> None:
    """With the disk cache (entries authenticated with BLAKE2b), a process that finds the
    module in the cache imports neither ``hashlib``/``hmac`` (OpenSSL) nor the validator
    (the module is known valid); the first process (which also creates the user's key)
    computes the same result."""
    code = (f"import wasmem\nresult = wasmem.Instance(wasmem.Module({_MODULE!r}))"
            f".exports['inc'](41)\nprint(json.dumps([result, sorted(sys.modules)]))")
    environment = {"WASMEM_CACHE_DIR": str(tmp_path / "cache"),
                   "XDG_CONFIG_HOME": str(tmp_path / "config")}
    first = _fresh_process(code, **environment)
    later = _fresh_process(code, **environment)
    assert first[0] == later[0] == 42
    assert _imported(later[1], ("hashlib", "_hashlib", "hmac", "secrets", "pathlib")) == []
    assert "wasmem.valid" in first[1]
    assert "wasmem.valid" not in later[1]
    assert _imported(first[1], ("tempfile", "shutil", "random", "secrets")) == []  # (it wrote)


_LOOP_MODULE = """(module
  (func $count (param i32) (result i32) (local i32)
    (loop $again
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (br_if $again (i32.gt_s (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
                              (i32.const 0))))
    (local.get 1))
  (func (export "run") (param i32) (result i32)
    (call $count (local.get 0))))"""
"""A loop the tiered mode interprets, then translates (it runs long enough)."""


def test_a_first_call_imports_no_heavy_standard_library() -> None:
    """A first call that interprets and one that translates (the tiered mode does both)
    return without ``dataclasses``/``inspect`` (the translator's records are plain
    classes; on-stack replacement rewrites nodes without ``dataclasses.replace``), ``dis``
    (the interpreter finds context-free factories by a byte search), the SIMD modules
    (a module without SIMD instructions never needs them) or ``linecache``/``tokenize``
    (generated source waits in :mod:`wasmem.exec.sourcelines` until someone imports
    ``linecache``)."""
    binary = wasmem.Module(_LOOP_MODULE).to_bytes()
    found = _fresh_process(
        f"import wasmem\nmodule = wasmem.Module({binary!r})\n"
        "results = [wasmem.Instance(module, tier=tier).exports['run'](3000)\n"
        "           for tier in ('tiered', 'interpret', 'compile')]\n"
        "print(json.dumps([results, sorted(sys.modules)]))", WASMEM_CACHE_DIR="")
    assert found[0] == [sum(range(1, 3001))] * 3
    assert "wasmem.exec.interpreter" in found[1]  # (the check looks at the right process)
    assert "wasmem.exec.compiler.codegen" in found[1]
    assert _imported(found[1], ("dataclasses", "inspect", "ast", "dis", "linecache", "tokenize",
                                "wasmem.exec.numeric.simd", "hashlib")) == []
    found = _fresh_process("import wasmem.exec.osr\nprint(json.dumps(sorted(sys.modules)))")
    assert _imported(found, ("dataclasses", "inspect", "ast")) == []


def test_without_the_cache_its_modules_stay_unimported() -> None:
    """With the cache off (``WASMEM_CACHE_DIR=""`` or ``cache_dir=False``) neither the
    cache nor what it needs (BLAKE2b, pruning, trust checks) is imported."""
    cache_parts = ("wasmem.exec.compiler.cache", "wasmem.exec.compiler.cache_prune",
                   "wasmem.exec.compiler.cache_trust", "wasmem.exec.compiler.cache_memory",
                   "_blake2")
    run = "wasmem.Instance(module).exports['inc'](41)\nprint(json.dumps(sorted(sys.modules)))"
    found = _fresh_process(f"import wasmem\nmodule = wasmem.Module({_MODULE!r})\n{run}",
                           WASMEM_CACHE_DIR="")
    assert "wasmem.exec.compiler.cache_setting" in found  # (the right process)
    assert _imported(found, cache_parts) == []
    found = _fresh_process(
        f"import wasmem\nmodule = wasmem.Module({_MODULE!r}, cache_dir=False)\n{run}",
        WASMEM_CACHE_DIR="/nonexistent-but-not-used")
    assert _imported(found, cache_parts) == []


_FILL_MODULE = """(module (memory 2)
  (func (export "run") (param i32) (result i32)
    (memory.fill (i32.const 16) (local.get 0) (i32.const 70000))
    (i32.load8_u (i32.const 69999))))"""
"""A call that fills more than one chunk of :meth:`LinearMemory.fill` and nothing else."""


def test_instantiation_and_an_interpreted_call_leave_the_translator_alone() -> None:
    """Instantiating in the tiered mode imports nothing of the compiler (the compiling
    tier and its namespace wait for the first translation, :mod:`wasmem.exec.deferred_tier`);
    a first call that only interprets (here one long ``memory.fill``) needs neither it nor
    ``ctypes`` (fills go in chunks) nor ``resource`` (the host re-entry bound is looked up
    at the first re-entry) nor ``opcode`` (the instructions naming locals are known by
    the bytecode's magic number)."""
    binary = wasmem.Module(_FILL_MODULE).to_bytes()
    found = _fresh_process(
        f"import wasmem\ninstance = wasmem.Instance(wasmem.Module({binary!r}))\n"
        "before = sorted(sys.modules)\nresult = instance.exports['run'](0x1AB)\n"
        "print(json.dumps([result, before, sorted(sys.modules)]))", WASMEM_CACHE_DIR="")
    result, instantiated, called = found
    assert result == 0xAB
    translator = ("wasmem.exec.compiler.emit_memory", "wasmem.exec.compiler.slots",
                  "wasmem.exec.compiler.stack", "wasmem.exec.compiler.codegen")
    assert "wasmem.exec.tiering" in instantiated  # (the right process)
    assert _compiler_modules(instantiated) == []
    # the numeric operations' names are bound at the first translation
    assert _imported(called, ("wasmem.exec.compiler.numeric_bindings",)) == []
    assert "wasmem.exec.interpreter" in called
    assert _compiler_modules(called) == []
    assert _imported(called, (*translator, "ctypes", "resource")) == []
    from wasmem.exec import interpreter  # (opcode: unless this Python's bytecode is new)
    magic = getattr(sys.modules.get("_frozen_importlib_external"), "MAGIC_NUMBER", None)
    if magic in interpreter._KNOWN_LOCAL_OPCODES:
        assert _imported(called, ("opcode", "dis")) == []


def test_a_name_section_is_decoded_without_the_writer() -> None:
    functions = b"\x01\x01\x00\x03inc"  # subsection 1 (function names): 0 -> "inc"
    payload = b"\x04name" + functions[:1] + bytes([len(functions) - 1]) + functions[1:]
    binary = _MODULE + b"\x00" + bytes([len(payload)]) + payload
    found = _fresh_process(
        f"import wasmem\nwasmem.Module({binary!r})\nprint(json.dumps(sorted(sys.modules)))",
        WASMEM_CACHE_DIR="")
    assert "wasmem.binary.names" in found  # (the section was decoded)
    assert _imported(found, ("wasmem.binary.writer",)) == []


def _compiler_modules(found: object) -> list[str]:
    """The modules of ``wasmem.exec.compiler`` in ``found`` but its package and the cache
    setting (loading a module reads it, :mod:`wasmem.load.cached`)."""
    assert isinstance(found, list)
    return [name for name in found if name.startswith("wasmem.exec.compiler.")
            and name != "wasmem.exec.compiler.cache_setting"]


def test_a_tiered_instance_that_only_interprets_imports_no_compiler() -> None:
    """A tiered instance imports the compiler at its first translation, not before: with
    budgets that keep a small function interpreted (its first 100 calls), Instance() and
    the calls import no module of ``wasmem.exec.compiler``; the translation at its 101st
    call does, and every call gives the same result."""
    found = _fresh_process(
        f"import wasmem\ninstance = wasmem.Instance(wasmem.Module({_MODULE!r}))\n"
        "inc = instance.exports['inc']\n"
        "results = [inc(k) for k in range(100)]\nbefore = sorted(sys.modules)\n"
        "results += [inc(k) for k in range(100, 150)]\n"
        "print(json.dumps([results, before, sorted(sys.modules)]))",
        WASMEM_CACHE_DIR="", WASMEM_TIER_BUDGETS="100,1000")
    results, interpreted, translated = found
    assert results == list(range(1, 151))
    assert "wasmem.exec.interpreter" in interpreted  # (the right process)
    assert _compiler_modules(interpreted) == []
    assert "wasmem.exec.compiler.tier" in translated
    assert "wasmem.exec.compiler.codegen" in translated


_WORK_MODULE = """(module
  (func $step (param i32) (result i32)
    (i32.xor (i32.mul (local.get 0) (i32.const 31)) (i32.const 7)))
  (func (export "run") (param i32) (result i32) (local i32)
    (if (i32.lt_s (local.get 0) (i32.const 0))
      (then %s))
    (loop $again
      (local.set 1 (call $step (i32.add (local.get 1) (local.get 0))))
      (br_if $again (i32.gt_s (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
                              (i32.const 0))))
    (local.get 1)))"""
"""``run(n)`` calls a small function ``n`` times; a branch it never takes makes it too
big to translate at its first call (:data:`wasmem.exec.tiering.INTERPRETER_COST`)."""


def test_a_first_call_that_runs_out_a_budget_early_imports_no_translator() -> None:
    """A fresh process's first call that runs ``$step`` past its call budget (100 calls)
    within the first milliseconds of the process leaves it interpreted: the translator's
    import (:data:`wasmem.exec.spending.TRANSLATOR_COST`) is not bought before the
    process has run :data:`~wasmem.exec.spending.FIRST_SHARE` of it (36 ms of CPU time;
    500 interpreted calls take about 1 ms). The same call with the budgets alone
    deciding (``WASMEM_TIER_BUDGETS``, which the tests set) translates, with the same
    result."""
    padding = "(drop (i32.add (local.get 0) (i32.const 1000000)))" * 300
    binary = wasmem.Module(_WORK_MODULE % padding).to_bytes()
    other = wasmem.Module(_WORK_MODULE % padding[:-1000]).to_bytes()
    # (the interpreter's modules imported first, by another module's interpreted run: a
    # process without their bytecode compiled, a fresh clone's, would otherwise spend
    # the window compiling them; the window counts from the first tiered instance)
    code = (f"import wasmem\nwasmem.Instance(wasmem.Module({other!r}), tier='interpret')"
            ".exports['run'](5)\n"
            f"instance = wasmem.Instance(wasmem.Module({binary!r}))\n"
            "result = instance.exports['run'](500)\n"
            "print(json.dumps([result, sorted(sys.modules)]))")
    interpreted = _fresh_process(code, WASMEM_CACHE_DIR="", WASMEM_TIER_BUDGETS="")
    translated = _fresh_process(code, WASMEM_CACHE_DIR="", WASMEM_TIER_BUDGETS="100,1000")
    assert interpreted[0] == translated[0]
    assert "wasmem.exec.interpreter" in interpreted[1]  # (the right process)
    assert _imported(interpreted[1], ("wasmem.exec.compiler.codegen",)) == []
    assert "wasmem.exec.compiler.codegen" in translated[1]
