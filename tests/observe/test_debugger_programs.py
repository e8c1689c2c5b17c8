"""``wasmem debug`` on whole programs, through a pseudo-terminal (pexpect) as a person
uses it: a clang-built WASI command (``_start``, its ``argv``, its output, what WASI
writes into memory) and a module with a start function (breakpoints inside it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _data import ROOT
from test_debugger import spawn, type_

pexpect = pytest.importorskip("pexpect")

HELLO = ROOT / "src" / "wasmem" / "examples" / "wasi" / "hello.wasm"
STARTED = """(module
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  (func $init
    (i32.store (i32.const 100) (i32.const 7))
    (global.set $calls (i32.const 1)))
  (start $init)
  (func (export "get") (result i32)
    (i32.add (i32.load (i32.const 100)) (global.get $calls))))
"""


def quit_(child: object) -> None:
    """Leave the debugger; it ends."""
    child.sendline("quit")  # type: ignore[attr-defined]
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]


def test_a_wasi_command_with_its_arguments_and_output() -> None:
    child = spawn(str(HELLO), "Alice")
    assert "Breakpoint 1 at main (func 8) at @0x" in type_(child, "break main")
    screen = type_(child, "run")
    assert "Starting program: hello.wasm Alice" in screen
    assert "Breakpoint 1, function main" in screen
    frames = type_(child, "bt").splitlines()
    assert frames[0].startswith("#0  main (func 8)") and "_start" in frames[-1]
    assert "$0 (i32) = 2" in type_(child, "locals")  # argc: hello.wasm Alice
    screen = type_(child, "continue")
    assert "Hello, Alice!" in screen and "Program exited normally" in screen
    screen = type_(child, "run Bob")  # a command runs again in a new instance
    assert "Starting program: hello.wasm Bob" in screen and "Breakpoint 1" in screen
    type_(child, "delete 1")
    screen = type_(child, "continue")
    assert "Hello, Bob!" in screen and "Program exited normally" in screen
    quit_(child)


def test_a_watchpoint_stops_at_what_wasi_writes() -> None:
    child = spawn(str(HELLO))
    type_(child, "watch 0x114a8 4")  # where __wasi_args_sizes_get has argc stored
    screen = type_(child, "run")
    assert "written by call wasi_snapshot_preview1.args_sizes_get in " \
           "__wasi_args_sizes_get at @0x" in screen
    assert "Old value = 00 00 00 00" in screen and "New value = 01 00 00 00" in screen
    assert type_(child, "x 0x114a8 4").split()[1:5] == ["01", "00", "00", "00"]
    screen = type_(child, "continue")
    assert "Hello, WebAssembly!" in screen and "Program exited normally" in screen
    quit_(child)


def test_a_break_inside_the_start_function(tmp_path: Path) -> None:
    path = tmp_path / "started.wat"
    path.write_text(STARTED, encoding="utf-8")
    child = spawn(str(path), "--invoke", "get")
    assert "Breakpoint 1 at init (func 0) at 5:6" in type_(child, "break init")
    assert type_(child, "x 100 4").split()[1:5] == ["00", "00", "00", "00"]  # not yet run
    screen = type_(child, "run")
    assert "Starting start function init" in screen
    assert "Breakpoint 1, function init" in screen and "5 |     (i32.store" in screen
    assert type_(child, "bt").splitlines() == ["#0  init (func 0) at 5:6: i32.store"]
    screen = type_(child, "next")
    assert "init (func 0) at 6:6: global.set 0" in screen
    screen = type_(child, "continue")
    assert "Starting get()" in screen and "Program returned: 8" in screen
    screen = type_(child, "run")  # the start function ran once; the export again
    assert "start function" not in screen and "Program returned: 8" in screen
    quit_(child)


def test_a_start_function_that_traps_is_debugged_too(tmp_path: Path) -> None:
    path = tmp_path / "broken.wat"
    path.write_text('(module (func $boom unreachable) (start $boom))', encoding="utf-8")
    child = spawn(str(path))
    screen = type_(child, "run")
    assert "Starting start function boom" in screen
    assert "Program trapped: unreachable" in screen and "0: boom at 1:21" in screen
    assert "no function to run" in type_(child, "run")
    quit_(child)


def test_a_program_that_calls_proc_exit_and_runs_again(tmp_path: Path) -> None:
    path = tmp_path / "exits.wat"
    path.write_text("""(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $main (export "_start")
    (i32.store (i32.const 8) (i32.const 1))
    (call $exit (i32.const 3))))
""", encoding="utf-8")
    child = spawn(str(path))
    assert "Breakpoint 1 at main (func 1) at 5:6" in type_(child, "break main")
    screen = type_(child, "run")
    assert "Starting program: exits.wat" in screen and "Breakpoint 1, function main" in screen
    screen = type_(child, "continue")
    assert "Program exited with code 3" in screen
    screen = type_(child, "run")  # a new instance: memory as the module defines it
    assert "Breakpoint 1, function main" in screen
    assert type_(child, "x 8 4").split()[1:5] == ["00", "00", "00", "00"]
    assert "Program exited with code 3" in type_(child, "continue")
    quit_(child)
