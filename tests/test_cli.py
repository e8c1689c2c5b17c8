"""The ``wasmem`` command line: every failure is one line on stderr and an exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wasmem.binary import decode_module
from wasmem.cli import main
from wasmem.text import parse_module

ADD = """(module
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func (export "spin") (loop $l (br $l))))
"""


@pytest.fixture()
def add_wat(tmp_path: Path) -> Path:
    path = tmp_path / "add.wat"
    path.write_text(ADD)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_run_prints_results(add_wat: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "run", str(add_wat), "--invoke", "add", "2", "-5") == (0, "-3\n", "")


def test_runaway_loop_stops_with_fuel(add_wat: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(capsys, "run", str(add_wat), "--invoke", "spin", "--fuel", "1000")
    assert status == 3
    assert len(err.strip().splitlines()) == 1 and "fuel" in err
    # the loop's place is named like other errors' places: FILE:LINE:COLUMN
    assert err.startswith(f"wasmem: {add_wat}:"), err


def test_validate_and_errors(tmp_path: Path, add_wat: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", str(add_wat)) == (0, "ok\n", "")
    bad = tmp_path / "bad.wat"
    bad.write_text("(module\n  (func (result i32)\n    i64.const 1))\n")
    status, _out, err = run(capsys, "validate", str(bad))
    assert status == 1
    assert err.count("\n") == 1 and "type mismatch" in err and "(line 3:" in err
    broken = tmp_path / "broken.wat"
    broken.write_text("(module (func (i32.const 1_))))")
    status, _out, err = run(capsys, "validate", str(broken))
    assert status == 1 and "ParseError" in err and "broken.wat:1:" in err
    status, _out, err = run(capsys, "validate", str(tmp_path / "missing.wat"))
    assert status != 0 and err.count("\n") == 1


def test_compile_writes_equivalent_binary(add_wat: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.wasm"
    assert run(capsys, "compile", str(add_wat), "-o", str(output))[0] == 0
    assert decode_module(output.read_bytes()) == parse_module(ADD)


def test_bad_arguments(add_wat: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(capsys, "run", str(add_wat), "--invoke", "add", "1")
    assert status == 2 and "expects 2 arguments (i32, i32), got" in err
    status, _out, err = run(capsys, "run", str(add_wat), "--invoke", "nope")
    assert status == 2 and "no exported function" in err
    status, _out, err = run(capsys, "run", str(add_wat), "--invoke", "add", "x", "1")
    assert status == 2 and "not a valid" in err


def test_wast_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "s.wast"
    script.write_text("""
      (module (func (export "f") (result i32) (i32.const 7)))
      (assert_return (invoke "f") (i32.const 7))
      (assert_return (invoke "f") (i32.const 8))
      (assert_malformed (module quote "(func") "unexpected end")
    """)
    status, out, _err = run(capsys, "wast", str(script))
    assert status == 1
    assert out.splitlines()[-1] == "3 passed, 1 failed, 0 skipped"


def test_module_entry_point(add_wat: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "wasmem", "run", str(add_wat), "--invoke",
                           "add", "40", "2"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout == "42\n"


def test_print_round_trips(add_wat: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.wasm"
    run(capsys, "compile", str(add_wat), "-o", str(output))
    status, out, _err = run(capsys, "print", str(output))
    assert status == 0 and parse_module(out) == parse_module(ADD)


def test_a_file_of_one_word_is_a_parse_error_at_its_position(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("garbage\n")
    status, out, err = run(capsys, "run", str(path))
    assert status != 0 and out == ""
    assert err.count("\n") == 1 and f"{path}:1:1:" in err
    assert "from_file" not in err  # (the file's text is not a file name)


@pytest.mark.parametrize("command", ["run", "trace"])
def test_negative_arguments_of_every_form_are_arguments(
        command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``-0x10``, ``-inf``, ``-nan``, ``-2.5e-1``: values, not options (argparse alone read
    only ``-1`` and ``-1.5`` as negative numbers: a usage error for the others)."""
    path = tmp_path / "pick.wat"
    path.write_text('(module (func (export "pick") (param i32 f64 f32) (result i32 f64 f32)'
                    ' (local.get 0) (local.get 1) (local.get 2)))')
    status, out, err = run(capsys, command, str(path), "--invoke", "pick", "-0x10", "-inf",
                           "-2.5e-1")
    assert status == 0 and out.split()[-3:] == ["-16", "-inf", "-0.25"], (out, err)
    status, out, err = run(capsys, command, str(path), "--invoke", "pick", "-0X7", "-nan",
                           "-.5", "--fuel", "100")
    assert status == 0 and out.split()[-3:] == ["-7", "nan", "-0.5"], (out, err)
    status, out, err = run(capsys, command, str(path), "--invoke", "pick", "-1", "-2",
                           "-x")  # still an option (none such): a usage error
    assert status == 2 and "-x" in err
