"""``wasmem heap``: walk and check a heap from the command line, text and HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmem.tools.alloc import source
from wasmem.cli import main

PROGRAMS = Path(__file__).parent / "programs"


def test_heap_of_a_c_program_after_calls(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    page = tmp_path / "heap.html"
    status = main(["heap", str(PROGRAMS / "fragment-libc.wasm"), "--invoke", "run", "3", "400",
                   "--invoke", "release", "2", "--html", str(page)])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "run(3, 400) = 0" and lines[1] == "release(2)"
    assert lines[2].startswith("dlmalloc heap 0x")
    assert "check: ok" in lines and "more blocks" in out
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<svg" in text and "check: ok" in text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in text and "https://" not in text


def test_heap_of_a_library_allocator_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["heap", "buddy", "--invoke", "malloc", "100", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("malloc(100) = ") and "buddy heap" in out and "check: ok" in out


def test_corrupt_heap_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    module = tmp_path / "broken.wat"
    text = source("bump").rstrip().removesuffix(")")
    module.write_text(text + '(func (export "scribble") (i32.store (i32.const 1024) '
                      "(i32.const 7))))", encoding="utf-8")
    status = main(["heap", str(module), "--invoke", "malloc", "8", "--invoke", "scribble"])
    out = capsys.readouterr().out
    assert status == 1 and "check: block at 0x400 has a bad size word 0x7" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["heap", "no-such-file.wasm"], "no-such-file.wasm"),
    (["heap", "tlsf", "--invoke", "nope"], "no exported function 'nope'"),
    (["heap", "tlsf", "--invoke", "malloc", "1", "2"], "malloc takes 1 argument"),
    (["heap", "tlsf", "--invoke", "malloc", "x"], "not a number"),
    (["heap", "tlsf", "--invoke", "free", "12"], ": unreachable (in block_of)"),
    (["heap", "tlsf", "--allocator", "jemalloc"], "unknown allocator"),
])
def test_errors_are_one_line(argv: list[str], message: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unrecognised_heap(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    module = tmp_path / "plain.wat"
    module.write_text('(module (memory (export "memory") 1))', encoding="utf-8")
    assert main(["heap", str(module)]) == 1
    assert "--allocator" in capsys.readouterr().err


def test_a_wasi_command_runs_its_start_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["heap", str(PROGRAMS / "command.wasm")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "done 1" and lines[1] == "_start()"
    assert lines[2].startswith("dlmalloc heap") and "(64 blocks" in lines[2]
    assert lines[-1] == "check: ok"


def test_memory_map_marks_the_heap(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["heap", "tlsf", "--invoke", "malloc", "5000", "--map"]) == 0
    out = capsys.readouterr().out
    assert "memory: 1 page(s) = 65536 bytes" in out
    assert "<- tlsf heap start" in out and "largest free block (" in out
