"""``wasmem map``: the table of regions, WASI programs, --invoke and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from _data import DATA

from wasmem.cli import main

STACK = """(module
  (memory (export "memory") 1)
  (global $__stack_pointer (mut i32) (i32.const 4096))
  (data (i32.const 16) "hi")
  (func (export "push") (param i32) (result i32)
    (global.set $__stack_pointer (i32.sub (global.get $__stack_pointer) (local.get 0)))
    (global.get $__stack_pointer)))
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture()
def stack_wat(tmp_path: Path) -> Path:
    path = tmp_path / "stack.wat"
    path.write_text(STACK)
    return path


def test_map_after_invoke(stack_wat: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "map", str(stack_wat), "--invoke", "push", "100")
    assert (status, err) == (0, "")
    assert out.startswith("3996\n")  # the call's result first
    assert "after push" in out
    assert "0x00000f9c  0x00001000        100  stack       __stack_pointer" in out
    assert "0x00000010  0x00000012          2  data" in out


def test_map_of_a_wasi_program(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "map", str(DATA / "map" / "heap.wasm"))
    assert status == 0
    assert "hello from the data segment" in out and "after _start" in out
    assert "heap        __heap_base" in out


def test_map_errors(stack_wat: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "map", str(stack_wat), "--invoke", "nope")
    assert status == 2 and err.startswith("wasmem: error: no exported function 'nope'")
    status, _, err = run(capsys, "map", str(tmp_path / "missing.wat"))
    assert status in (1, 2) and err.count("\n") == 1
    status, _, err = run(capsys, "map", str(stack_wat), "--html",
                         str(tmp_path / "no" / "dir" / "x.html"))
    assert status == 2 and "cannot write" in err and err.count("\n") == 1


def test_map_after_a_trap_shows_memory_then(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trap.wat"
    path.write_text('(module (memory 1) (func (export "f") (i32.store (i32.const 8) '
                    '(i32.const -1)) unreachable))')
    status, out, _ = run(capsys, "map", str(path), "--invoke", "f")
    assert status == 0 and "after a trap: unreachable" in out
    assert "0x0000000c  0x00010000" in out  # zeros after the stored word


def test_map_trace_adds_reads_and_writes(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hot.wat"
    path.write_text("""(module (memory 1)
  (func (export "f") (param $n i32)
    (loop $again
      (i32.store (i32.const 0x200) (local.get $n))
      (drop (i32.load (i32.const 0x1000)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    unreachable))""")
    status, out, err = run(capsys, "map", str(path), "--invoke", "f", "3", "--trace")
    assert (status, err) == (0, "")
    assert "after a trap: unreachable" in out  # the accesses before the trap count
    lines = out.splitlines()
    assert lines[2].split() == ["start", "end", "size", "reads", "writes", "kind", "name"]
    assert "0x00000000  0x00000200        512          0          0  zeros" in out
    assert "0x00000201  0x00010000      65023          3          3  zeros" in out  # 0x201.. stored
    assert "traced: 3 read(s), 3 write(s) in all" in out
    status, out, _ = run(capsys, "map", str(path), "--trace")  # nothing run: nothing counted
    assert status == 0 and "traced: 0 read(s), 0 write(s)" in out


def test_map_trace_of_a_wasi_program(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "map", str(DATA / "map" / "heap.wasm"), "--trace")
    assert status == 0 and "after _start" in out
    rows = [line.split() for line in out.splitlines() if line.startswith("  0x")]
    rodata = next(row for row in rows if row[6] == ".rodata")
    assert int(rodata[3]) > 0  # puts read the string
    blocks = [row for row in rows if row[5] == "block"]
    assert blocks and all(int(row[4]) > 0 for row in blocks)  # the program wrote its blocks


def test_map_trace_counts_the_same_in_both_tiers(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "map" / "heap.wasm")
    _, compiled, _ = run(capsys, "map", path, "--trace", "--tier", "compile")
    _, interpreted, _ = run(capsys, "map", path, "--trace", "--tier", "interpret")
    assert compiled == interpreted and "traced: " in compiled


def test_map_trace_counts_until_proc_exit(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "exit.wat"
    path.write_text("""(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 64) (i32.const 9))
    (call $exit (i32.const 3))
    (i32.store (i32.const 64) (i32.const 10))))""")
    status, out, _ = run(capsys, "map", str(path), "--trace")
    assert status == 0 and "after proc_exit(3)" in out
    assert "traced: 0 read(s), 1 write(s) in all" in out
