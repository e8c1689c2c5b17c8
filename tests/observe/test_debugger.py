"""``wasmem debug``, used as a person would: through a pseudo-terminal (pexpect), typing
commands and reading the screen; on a text module and on its binary encoding."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from _data import ROOT

from wasmem.cli import main

pexpect = pytest.importorskip("pexpect")

SOURCE = """(module $shapes
  (memory 1)
  (func $area (param $w i32) (param $h i32) (result i32)
    local.get $w
    local.get $h
    i32.div_u)
  (func $ratio (export "ratio") (param $a i32) (param $b i32) (result i32)
    (i32.store (i32.const 16) (local.get $a))
    (call $area (local.get $a) (local.get $b))
    (i32.const 1)
    i32.add))
"""
PROMPT = r"\(wasmem\) "


def spawn(*args: str) -> object:
    """Start ``wasmem debug ARGS`` on a pseudo-terminal."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TERM="dumb")
    child = pexpect.spawn(sys.executable, ["-m", "wasmem", "debug", *args], env=env,
                          encoding="utf-8", timeout=60, dimensions=(50, 200))
    child.expect(PROMPT)
    return child


def type_(child: object, command: str) -> str:
    """Type a command; return what the screen shows until the next prompt."""
    child.sendline(command)  # type: ignore[attr-defined]
    child.expect(PROMPT)  # type: ignore[attr-defined]
    shown: str = child.before  # type: ignore[attr-defined]
    return shown.replace("\r\n", "\n").split("\n", 1)[1] if "\n" in shown else ""


@pytest.fixture
def text_module(tmp_path: Path) -> Path:
    path = tmp_path / "shapes.wat"
    path.write_text(SOURCE)
    return path


def test_text_module_session(text_module: Path) -> None:
    child = spawn(str(text_module), "--invoke", "ratio", "6", "2")
    assert "Breakpoint 1 at area (func 0) at 6:5" in type_(child, "break area")
    assert "no code at line 30" in type_(child, "break 30")
    assert "Watchpoint 2: M[0x10..+4]" in type_(child, "watch 16")
    screen = type_(child, "run")
    assert "written by i32.store in ratio at 8:6" in screen
    assert "Old value = 00 00 00 00" in screen and "New value = 06 00 00 00" in screen
    assert "ratio (func 1) at 9:6: call 0" in screen
    assert "9 |     (call $area (local.get $a) (local.get $b))" in screen
    screen = type_(child, "continue")
    assert "Breakpoint 1, function area" in screen
    assert "area (func 0) at 6:5: i32.div_u" in screen and "6 |     i32.div_u)" in screen
    assert type_(child, "bt").splitlines() == [
        "#0  area (func 0) at 6:5: i32.div_u", "#1  ratio (func 1) at 9:6: call 0"]
    assert type_(child, "locals").splitlines() == ["$w (i32) = 6", "$h (i32) = 2"]
    assert type_(child, "stack").strip() == "[6, 2]"
    assert type_(child, "print $h").strip() == "$h = 2"
    assert type_(child, "print $0").strip() == "$0 = 6"
    assert "no local $nope" in type_(child, "print $nope")
    screen = type_(child, "step")  # out of area, into ratio's add (the const is folded)
    assert "ratio (func 1) at 11:5: i32.add" in screen
    assert type_(child, "stack").strip() == "[3, 1]"
    screen = type_(child, "finish")
    assert "Value returned: 4" in screen and "Program returned: 4" in screen
    assert "00000010  06 00 00 00" in type_(child, "x 16 16")
    assert "memory 0: 1 page(s) = 65536 bytes" in type_(child, "info memory")
    screen = type_(child, "help")
    for command in ("break", "watch", "run", "step", "next", "finish", "continue", "bt",
                    "locals", "stack", "x ADDR", "print", "info memory", "quit"):
        assert f"  {command}" in screen, command
    assert "a bare number is a function index" in type_(child, "help break")
    # errors are one line, never a traceback
    for bad in ("bogus", "x 70000", "break nowhere", "step", "print $0", "watch -1",
                "help nope", "info nothing", "frame 9", "x 0x", "break @zz"):
        screen = type_(child, bad)
        assert "Traceback" not in screen and len(screen.strip().splitlines()) == 1, screen
    # a trap prints its backtrace and returns to the prompt
    screen = type_(child, "run ratio 1 0")  # stops at the watchpoint first
    screen = type_(child, "continue")
    assert "Breakpoint 1" in screen
    screen = type_(child, "next")
    assert "Program trapped: integer divide by zero" in screen
    assert "0: shapes!area at 6:5" in screen and "1: shapes!ratio at 9:6" in screen
    child.sendeof()  # type: ignore[attr-defined]
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    child.wait()  # type: ignore[attr-defined]
    assert child.exitstatus == 0  # type: ignore[attr-defined]


def test_binary_session(text_module: Path, tmp_path: Path) -> None:
    binary = tmp_path / "shapes.wasm"
    assert main(["compile", str(text_module), "-o", str(binary)]) == 0
    child = spawn(str(binary), "--invoke", "ratio", "6", "2")
    # a binary has no lines: a number is a function index, @0x.. an offset
    assert "Breakpoint 1 at func[0] (func 0) at @0x2f" in type_(child, "break 0")
    assert "Breakpoint 2 at ratio (func 1) at @0x42" in type_(child, "break @0x40")
    screen = type_(child, "run")
    assert "Breakpoint 1, function 0" in screen and "func[0] (func 0) at @0x2f: i32.div_u" \
        in screen
    assert type_(child, "bt").splitlines() == [
        "#0  func[0] (func 0) at @0x2f: i32.div_u", "#1  ratio (func 1) at @0x3e: call 0"]
    assert type_(child, "stack").strip() == "[6, 2]"
    screen = type_(child, "finish")
    assert "Value returned: 3" in screen
    assert "Breakpoint 2, offset @0x40" in screen and "@0x42: i32.add" in screen
    assert type_(child, "locals").splitlines() == ["$0 (i32) = 6", "$1 (i32) = 2"]
    assert "Program returned: 4" in type_(child, "continue")
    child.sendline("quit")  # type: ignore[attr-defined]
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    child.wait()  # type: ignore[attr-defined]
    assert child.exitstatus == 0  # type: ignore[attr-defined]


def test_step_enters_calls_and_next_steps_over(text_module: Path) -> None:
    child = spawn(str(text_module), "--invoke", "ratio", "6", "2")
    assert "Breakpoint 1 at ratio (func 1) at 8:6" in type_(child, "break 7")  # next line
    assert "ratio (func 1) at 8:6: i32.store" in type_(child, "run")
    assert ">   8 |     (i32.store (i32.const 16) (local.get $a))" in type_(child, "list")
    assert "ratio (func 1) at 9:6: call 0" in type_(child, "next")
    assert "area (func 0) at 6:5: i32.div_u" in type_(child, "step")
    screen = type_(child, "finish")
    assert "Value returned: 3" in screen and "ratio (func 1) at 11:5: i32.add" in screen
    type_(child, "delete 1")
    assert "Program returned: 4" in type_(child, "continue")
    type_(child, "break ratio")
    type_(child, "run")
    screen = type_(child, "next")
    screen = type_(child, "next")  # over the call
    assert "ratio (func 1) at 11:5: i32.add" in screen and "area" not in screen
    child.sendline("quit")  # type: ignore[attr-defined]
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]


def test_uninstrumented_after_the_session(text_module: Path) -> None:
    """Detaching gives the functions their own code back."""
    import io

    import wasmem
    from wasmem.observe.cli_debug import DebugShell
    instance = wasmem.Instance(wasmem.Module(SOURCE))
    function = instance._instance.functions[1]
    own = function.call
    shell = DebugShell(instance, None, ["ratio", "6", "2"], io.StringIO("run\n"),
                       io.StringIO())
    assert function.call is not own
    shell.debugger.detach()
    assert function.call is own and instance.exports["ratio"](6, 2) == 4


def test_ctrl_c_stops_a_running_loop_and_errors_stay_one_line(tmp_path: Path) -> None:
    path = tmp_path / "spin.wat"
    path.write_text("""(module
  (func $spin (export "spin") (param $n i32)
    (loop $again
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $again))))
""")
    child = spawn(str(path), "--invoke", "spin", "0")
    assert "not a number: 'zz'" in type_(child, "delete zz")
    assert "the module has no memory" in type_(child, "watch 0")
    child.sendline("run")  # type: ignore[attr-defined]
    child.expect("Starting spin")  # type: ignore[attr-defined]
    child.sendintr()  # type: ignore[attr-defined]
    child.expect("Interrupted \\(Ctrl-C\\)")  # type: ignore[attr-defined]
    child.expect(PROMPT)  # type: ignore[attr-defined]
    assert "spin (func 0) at" in child.before  # type: ignore[attr-defined]
    assert type_(child, "print n").strip().startswith("n = ")
    assert "spin (func 0) at 4:" in type_(child, "bt")
    child.sendline("quit")  # type: ignore[attr-defined]
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    child.wait()  # type: ignore[attr-defined]
    assert child.exitstatus == 0  # type: ignore[attr-defined]


BULK = """(module $bulk
  (memory 1)
  (func $clear (param $at i32) (param $n i32)
    (memory.fill (local.get $at) (i32.const 0xAB) (local.get $n)))
  (func $twice (param $x i32) (result i32)
    (return_call $double (local.get $x)))
  (func $double (param $x i32) (result i32)
    (i32.add (local.get $x) (local.get $x)))
  (func (export "go") (param $x i32) (result i32)
    (call $clear (i32.const 30) (i32.const 4))
    (call $twice (local.get $x))))
"""


def session(source: str, commands: str, tier: str) -> str:
    """Run a whole session in-process; return what it printed."""
    import io

    import wasmem
    from wasmem.observe.cli_debug import DebugShell
    instance = wasmem.Instance(wasmem.Module(source), tier=tier)
    out = io.StringIO()
    DebugShell(instance, source.splitlines(), ["go", "5"], io.StringIO(commands),
               out).session()
    return out.getvalue()


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_in_process_both_tiers(tier: str) -> None:
    commands = ("watch 32 2\nrun\nbt\nstep\nstep\nbt\nlocals\nfinish\ninfo b\n"
                "delete 1\nrwatch 33 1\nrun\nawatch 40\ncontinue\n")
    text = session(BULK, commands, tier)
    assert "Watchpoint 1: M[0x20..+2] written by memory.fill in clear at 4:6" in text
    assert "Old value = 00 00\nNew value = ab ab" in text
    assert "#0  go (func 3) at 11:6: call 1" in text  # stopped after clear returned
    assert "twice (func 1) at 6:6: return_call 2" in text  # step enters the call
    assert "double (func 2) at 8:6: i32.add" in text  # through the tail call
    # twice was replaced by its tail call: not in the backtrace
    assert "(wasmem) bt\n#0  double (func 2) at 8:6: i32.add\n" \
        "#1  go (func 3) at 11:6: call 1\n(wasmem) locals\n$x (i32) = 5\n" in text
    assert "Value returned: 10" in text and "Program returned: 10" in text
    assert "1  watchpoint  M[0x20..+2]  (hit 1 time(s))" in text
    assert "Read watchpoint 2: M[0x21..+1]" in text
    # a write is not a read; no other instruction reads memory: the run ends
    assert text.count("Program returned: 10") == 2 and "read by" not in text
    assert text == session(BULK, commands, "interpret")


COPY = """(module
  (memory 1)
  (data (i32.const 8) "abcd")
  (func (export "go") (param $x i32) (result i32)
    (memory.copy (i32.const 100) (i32.const 8) (i32.const 4))
    (i32.load8_u (i32.const 101))))
"""


def test_a_watchpoint_beyond_any_memory_is_refused() -> None:
    """A watched range past the most the memory can ever grow to (its maximum, the
    address type's) is a one-line error; one past the current size but within reach
    is kept (the memory may grow into it)."""
    bounded = COPY.replace("(memory 1)", "(memory 1 2)")
    text = session(bounded, "watch 99999999999999999999\nwatch 131070 4\n"
                   "watch 131068 4\nwatch 70000\ninfo b\n", "compile")
    assert "lies beyond memory 0, which can never exceed 131072 bytes" in text
    assert text.count("lies beyond memory 0") == 2
    assert "Watchpoint 1: M[0x1fffc..+4]" in text and "Watchpoint 2: M[0x11170..+4]" in text
    text = session(COPY, "watch 4294967294 2\nwatch 4294967295 2\n", "interpret")
    assert "Watchpoint 1: M[0xfffffffe..+2]" in text
    assert "can never exceed 4294967296 bytes" in text


def test_read_and_access_watchpoints() -> None:
    text = session(COPY, "rwatch 10\nawatch 102 1\nrun\ncontinue\ncontinue\ncontinue\n",
                   "compile")
    assert "Watchpoint 1: M[0xa..+4] read by memory.copy in go at 5:6\nValue = 63 64" in text
    assert "Watchpoint 2: M[0x66..+1] written by memory.copy in go at 5:6\n" \
        "Old value = 00\nNew value = 63" in text
    assert "Program returned: 98" in text
    assert "read by i32.load8_u" not in text  # address 101 is outside both ranges
