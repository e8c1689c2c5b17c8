"""The collector at exit (:mod:`wasmem.exit_collector`): off unless asked for (a process
holding a wasmtime store in a cycle crashed at exit with it); asked for, garbage is still
finalised and what is alive is left out of the interpreter's last collections.

Each check runs a fresh interpreter (the behaviour is the process's exit)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import wasmem

SOURCE_ROOT = str(Path(wasmem.__file__).resolve().parent.parent)

_PROGRAM = """
import sys
sys.path.insert(0, {root!r})
import atexit, gc
import wasmem

class Cycle:
    def __del__(self):
        print("finalised", flush=True)

FROZEN = gc.get_freeze_count()  # (CPython 3.12.1 leaves a few objects frozen by itself)

def report():  # (registered after import wasmem: runs before wasmem's exit function)
    print("before", gc.get_freeze_count() > FROZEN, flush=True)
    made = Cycle()  # (made last, so no automatic collection finds it before the exit)
    made.itself = made  # (a reference cycle: only the collector frees it)
    del made
atexit.register(report)
wasmem.Instance(wasmem.Module({module!r})).exports["inc"](1)
"""

_MODULE = (b"\0asm\1\0\0\0\1\6\1`\1\x7f\1\x7f\3\2\1\0\7\x07\1\3inc\0\0\n\t\1\7\0 \0A\1j\v")
"""``(func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))``"""


def _run(code: str, **environment: str) -> str:
    env = {**os.environ, "WASMEM_CACHE_DIR": "", **environment}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


@pytest.mark.parametrize("setting", ["0", "", "1"])
def test_garbage_at_exit_is_still_finalised(setting: str) -> None:
    output = _run(_PROGRAM.format(root=SOURCE_ROOT, module=_MODULE),
                  WASMEM_EXIT_COLLECTION=setting)
    assert output.split() == ["before", "False", "finalised"]


_WASMTIME_CYCLE = """
import sys
sys.path.insert(0, {root!r})
import wasmtime
import wasmem
WAT = ('(module (import "" "h" (func $h (param i32))) (memory (export "memory") 1)'
       ' (func (export "f") (param i32) (call $h (local.get 0))))')
kept = []
def make():
    store = wasmtime.Store()
    module = wasmtime.Module(store.engine, WAT)
    holder = []
    def host(address):  # (holds the store: a cycle through wasmtime's function data)
        holder[0].write(store, b"\\5", address)
    function = wasmtime.Func(store, wasmtime.FuncType([wasmtime.ValType.i32()], []), host)
    instance = wasmtime.Instance(store, module, [function])
    holder.append(instance.exports(store)["memory"])
    instance.exports(store)["f"](store, 8)
    kept.append(instance)
make()
wasmem.Instance(wasmem.Module({module!r})).exports["inc"](1)
print("done", flush=True)
"""


def test_a_wasmtime_store_in_a_cycle_exits_cleanly_by_default() -> None:
    pytest.importorskip("wasmtime")
    output = _run(_WASMTIME_CYCLE.format(root=SOURCE_ROOT, module=_MODULE))
    assert output.split() == ["done"]


_HELD = """
import sys
sys.path.insert(0, {root!r})
sys.path.insert(0, {folder!r})
import wasmem
import helper  # (a module of the program's, holding a file and an object)

script_file = open({script_path!r}, "w")  # (never closed: flushed when freed at exit)
script_file.write("script")

class Held:
    def __del__(self):
        print("script object finalised", flush=True)

held = Held()
"""

_HELPER = """
helper_file = open({helper_path!r}, "w")
helper_file.write("helper")

class Held:
    def __del__(self):
        print("helper object finalised", flush=True)

held = Held()
"""


@pytest.mark.parametrize("setting", ["0", "", "1"], ids=["asked", "default", "one"])
def test_what_modules_hold_is_still_freed_at_exit(tmp_path: Path, setting: str) -> None:
    (tmp_path / "helper.py").write_text(
        _HELPER.format(helper_path=str(tmp_path / "helper.txt")))
    output = _run(_HELD.format(root=SOURCE_ROOT, folder=str(tmp_path),
                               script_path=str(tmp_path / "script.txt")),
                  WASMEM_EXIT_COLLECTION=setting)
    assert sorted(output.splitlines()) == ["helper object finalised",
                                           "script object finalised"]
    assert (tmp_path / "script.txt").read_text() == "script"
    assert (tmp_path / "helper.txt").read_text() == "helper"


def test_live_objects_are_frozen_at_exit() -> None:
    code = (f"import sys\nsys.path.insert(0, {SOURCE_ROOT!r})\nimport gc, wasmem\n"
            "from wasmem.exit_collector import at_exit\n"
            "at_exit()\nprint(gc.get_freeze_count() > 1000)\n")
    assert _run(code, WASMEM_EXIT_COLLECTION="0").split() == ["True"]
    assert _run(code).split() == ["False"]
    assert _run(code, WASMEM_EXIT_COLLECTION="1").split() == ["False"]


def test_registered_once() -> None:
    code = (f"import sys\nsys.path.insert(0, {SOURCE_ROOT!r})\nimport atexit\n"
            "before = atexit._ncallbacks()\nimport wasmem\n"
            "from wasmem import exit_collector\nexit_collector.install()\n"
            "print(atexit._ncallbacks() - before)\n")
    assert _run(code).split() == ["1"]
