"""wasmem.embedding.module: loading a Module from text, bytes or a file."""

from __future__ import annotations

from pathlib import Path

import pytest

import wasmem
from wasmem.syntax.types import ExternKind
from wasmem.text import parse_module

TEXT = """(module
  (import "env" "f" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "seven") (result i32) (i32.const 7)))"""


def test_text_and_every_kind_of_bytes() -> None:
    module = wasmem.Module(TEXT)
    data = module.to_bytes()
    assert data[:4] == b"\0asm"
    for source in (data, bytearray(data), memoryview(data)):
        again = wasmem.Module(source)
        assert again.imports == [("env", "f", ExternKind.FUNC)]
        assert again.exports == [("memory", ExternKind.MEMORY), ("seven", ExternKind.FUNC)]
    assert "seven" in repr(module)


def test_a_file_name_given_as_text_points_at_from_file() -> None:
    with pytest.raises(wasmem.ParseError, match=r"Module\.from_file\('prog\.wasm'\)"):
        wasmem.Module("prog.wasm")
    with pytest.raises(wasmem.InvocationError, match="from_file"):
        wasmem.Module(Path("prog.wasm"))  # type: ignore[arg-type]
    with pytest.raises(wasmem.InvocationError, match="not int"):
        wasmem.Module(3)  # type: ignore[arg-type]


def test_from_file_reads_text_and_binary(tmp_path: Path) -> None:
    text = tmp_path / "m.wat"
    text.write_text(TEXT, encoding="utf-8")
    binary = tmp_path / "m.wasm"
    binary.write_bytes(wasmem.Module(TEXT).to_bytes())
    for path in (text, binary, str(binary)):
        module = wasmem.Module.from_file(path, cache_dir=False)
        instance = wasmem.Instance(module, {"env": {"f": lambda x: None}})
        assert instance.exports.seven() == 7
    with pytest.raises(wasmem.ModuleFileNotFound):
        wasmem.Module.from_file(tmp_path / "missing.wasm")


def test_invalid_modules_are_refused() -> None:
    with pytest.raises(wasmem.ValidationError):
        wasmem.Module("(module (func (result i32)))")
    with pytest.raises(wasmem.DecodeError):
        wasmem.Module(b"\0asm\x01\0\0\0\x99")
    tree = parse_module("(module (func (result i32)))")
    with pytest.raises(wasmem.ValidationError):
        wasmem.Module.from_ast(tree)
    good = wasmem.Module.from_ast(parse_module(TEXT))
    assert good.exports == wasmem.Module(TEXT).exports
