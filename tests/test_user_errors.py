"""The errors a new user meets first name what the user named, and the CLI's exit
statuses and messages are the documented ones."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from _data import ROOT

import wasmem
from wasmem.cli import EXIT_STATUSES, main
from wasmem.script.commands import EitherResult, NanPattern, NumResult, RefResult, VecResult
from wasmem.script.engine import ExternRef
from wasmem.script.show import show_result, show_value
from wasmem.syntax.types import EXTERNREF, F32, F64, I32, I64, V128

SOURCE = """
(module
  (func (export "fadd") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "spin") (loop br 0))
  (func $named (export "spin_named") (loop $forever br $forever))
  (func (export "calls_spin") call 1)
  (memory (export "memory") 1))
"""


@pytest.fixture(scope="module")
def instance() -> wasmem.Instance:
    return wasmem.Instance(wasmem.Module(SOURCE))


def test_wrong_argument_count_names_the_export(instance: wasmem.Instance) -> None:
    with pytest.raises(wasmem.InvocationError) as error:
        instance.exports["fadd"](1)
    assert str(error.value) == "fadd expects 2 arguments (i32, i32), got 1"
    with pytest.raises(wasmem.InvocationError, match=r"^fadd expects 2 arguments .*got 3$"):
        instance.exports.fadd(1, 2, 3)
    one = wasmem.Instance(wasmem.Module(
        '(module (func (export "neg") (param f64) (result f64) (f64.neg (local.get 0))))'))
    with pytest.raises(wasmem.InvocationError, match=r"^neg expects 1 argument \(f64\), got 0$"):
        one.exports["neg"]()


def test_fuel_exhausted_names_the_export_or_the_name() -> None:
    module = wasmem.Module(SOURCE)
    with pytest.raises(wasmem.FuelExhausted) as error:
        wasmem.Instance(module, fuel=1000).exports["spin"]()
    assert error.value.function == "spin" and "func[" not in str(error.value)
    first_line = str(error.value).splitlines()[0]  # then the wasm backtrace
    assert first_line == "4:26: all fuel consumed in spin"  # the loop is at 4:26
    with pytest.raises(wasmem.FuelExhausted) as error:
        wasmem.Instance(module, fuel=1000).exports["calls_spin"]()
    assert error.value.function == "spin"  # where the fuel ran out
    with pytest.raises(wasmem.FuelExhausted) as error:
        wasmem.Instance(module, fuel=1000).exports["spin_named"]()
    assert error.value.function == "$named" and error.value.loop == "$forever"


def test_unexported_function_keeps_its_index() -> None:
    module = wasmem.Module('(module (func) (func (export "b")) (func $c (export "c")))').ast
    assert [module.function_name(i) for i in range(3)] == ["func[0]", "b", "$c"]
    odd = wasmem.Module('(module (func (export "a\\00b")) (func (export "")) (func (export " ")))')
    assert [odd.ast.function_name(i) for i in range(3)] == ["'a\\x00b'", "''", "' '"]


def test_missing_export_lists_the_exports(instance: wasmem.Instance) -> None:
    with pytest.raises(wasmem.ExportNotFound) as error:
        instance.exports["nope"]
    assert isinstance(error.value, KeyError) and isinstance(error.value, wasmem.WasmError)
    assert str(error.value) == ("no export named 'nope'; the instance exports 'fadd', 'spin', "
                                "'spin_named', 'calls_spin', 'memory'")
    assert error.value.name == "nope" and "memory" in error.value.available
    assert "nope" not in instance.exports and instance.exports.get("nope") is None
    with pytest.raises(AttributeError):
        instance.exports.nope  # noqa: B018
    empty = wasmem.Instance(wasmem.Module("(module)"))
    with pytest.raises(KeyError, match="exports nothing"):
        empty.exports["x"]


def test_file_name_given_as_module_text_hints_at_from_file() -> None:
    with pytest.raises(wasmem.ParseError, match=r"Module\.from_file\('prog\.wasm'\)"):
        wasmem.Module("prog.wasm")
    with pytest.raises(wasmem.InvocationError, match=r"Module\.from_file\('prog\.wat'\)"):
        wasmem.Module(Path("prog.wat"))  # type: ignore[arg-type]
    assert wasmem.Module("").exports == []  # an empty module is still one
    assert wasmem.Module(";; nothing here").exports == []
    with pytest.raises(wasmem.ParseError) as error:
        wasmem.Module("(module (func (i32.const)))")
    assert "from_file" not in str(error.value)


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    missing = tmp_path / "prog.wasm"
    with pytest.raises(FileNotFoundError) as error:
        wasmem.Module.from_file(missing)
    assert isinstance(error.value, wasmem.ModuleFileNotFound)
    assert isinstance(error.value, wasmem.WasmError)
    assert not isinstance(error.value, wasmem.ParseError)
    assert error.value.filename == str(missing) and error.value.errno == 2
    assert str(error.value) == f"{missing}: cannot read: No such file or directory"
    with pytest.raises(OSError) as error:
        wasmem.Module.from_file(tmp_path)
    assert isinstance(error.value, wasmem.ModuleFileError)
    assert not isinstance(error.value, FileNotFoundError)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--version") == (0, f"wasmem {wasmem.__version__}\n", "")


def test_cli_help_and_readme_document_the_same_exit_statuses(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = _run(capsys, "--help")
    assert status == 0 and EXIT_STATUSES in out
    in_help = [int(n) for n in re.findall(r"^  (\d+) ", EXIT_STATUSES, re.M)]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    in_readme = [int(n) for n in re.findall(r"^\| (\d+) \|", readme, re.M)]
    assert in_help == in_readme == [0, 1, 2, 3, 70, 130, 134]


@pytest.mark.parametrize("option", ["--fuel", "--max-pages"])
def test_cli_negative_counts_are_usage_errors(option: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    wat = tmp_path / "m.wat"
    wat.write_text(SOURCE)
    status, _out, err = _run(capsys, "run", str(wat), option, "-5", "--invoke", "fadd", "1", "2")
    assert status == 2 and "must be 0 or more, got -5" in err
    status, _out, err = _run(capsys, "run", str(wat), option, "lots")
    assert status == 2 and "invalid count: 'lots'" in err
    enough = "0" if option == "--fuel" else "1"  # no limit; the module's one page
    assert _run(capsys, "run", str(wat), option, enough, "--invoke", "fadd", "1", "2")[:2] == \
        (0, "3\n")


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_cli_compile_creates_files_with_the_umask(umask: int, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    wat = tmp_path / "m.wat"
    wat.write_text(SOURCE)
    old = os.umask(umask)
    try:
        assert _run(capsys, "compile", str(wat), "-o", str(tmp_path / "m.wasm"))[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "m.wasm").stat().st_mode) == 0o666 & ~umask


def test_cli_wast_verbose_writes_values_in_script_syntax(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "t.wast"
    script.write_text('(module (func (export "five") (result i32) (i32.const 5))\n'
                      '  (func (export "t") (unreachable)))\n'
                      '(assert_return (invoke "five") (i32.const -6))\n'
                      '(assert_trap (invoke "t") "integer overflow")\n')
    status, out, _err = _run(capsys, "wast", "-v", str(script))
    assert status == 1
    assert f"{script}:3: assert_return: result 0: expected (i32.const -6), got (i32.const 5)" in out
    assert f'{script}:4: assert_trap: expected message "integer overflow", got "unreachable"' in out
    assert "NumResult" not in out and "'" not in out


def test_show_writes_script_constants() -> None:
    assert show_result(NumResult(I32, 0xFFFFFFFF)) == "(i32.const -1)"
    assert show_result(NumResult(I64, 1 << 63)) == "(i64.const -9223372036854775808)"
    assert show_result(NumResult(F32, 0x3DCCCCCD)) == "(f32.const 0.1)"
    assert show_result(NumResult(F64, 0x3FF8000000000000)) == "(f64.const 1.5)"
    assert show_result(NumResult(F32, 0x7FA00000)) == "(f32.const nan:0x200000)"
    assert show_result(NumResult(F64, None, NanPattern(F64, "arithmetic"))) == \
        "(f64.const nan:arithmetic)"
    assert show_result(VecResult("f32x4", (0x3F800000, NanPattern(F32, "canonical"), 0, 0))) \
        == "(v128.const f32x4 1 nan:canonical 0 0)"
    assert show_result(EitherResult((NumResult(I32, 1), RefResult("null")))) == \
        "(either (i32.const 1) (ref.null))"
    assert show_result(RefResult("extern", value=7)) == "(ref.extern 7)"
    assert show_value(I32, 0xFFFFFFFE) == "(i32.const -2)"
    assert show_value(F32, -0.0) == "(f32.const -0)"
    assert show_value(F64, float("inf")) == "(f64.const inf)"
    assert show_value(V128, 0xFF, "i8x16") == "(v128.const i8x16 -1" + " 0" * 15 + ")"
    assert show_value(EXTERNREF, None) == "(ref.null extern)"
    assert show_value(EXTERNREF, ExternRef(3)) == "(ref.extern 3)"
