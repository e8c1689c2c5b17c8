"""``wasmem tour``: every topic runs, the output is deterministic, the whole tour is fast."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from _chapter5 import EXAMPLES

from wasmem.cli import main
from wasmem.tools.tour import TOPICS, TourError, find_examples, run_tour


def tour_text(*topics: str) -> str:
    out = io.StringIO()
    assert run_tour(list(topics), out=out) == 0
    return out.getvalue()


def test_whole_tour_is_deterministic() -> None:
    first = tour_text()
    assert tour_text() == first
    for number, topic in enumerate(TOPICS, 1):
        assert f"\n{number}. " in first, topic
    assert "Traceback" not in first


@pytest.mark.parametrize(("topic", "expected"), [
    ("layout", ["00000010  78 56 34 12", "<- heap (grows up)", "grow_memory(200) -> 0"]),
    ("loads", ["i32.load8_s                         1                   -128",
               "i64.load32_u                 67305985             4269801344"]),
    ("stores", ["b'ababcdef'", "|Hello, bulk memo|", "trap: unreachable"]),
    ("data", ["name='Alice'", "'Template: Error 3: Division by zero'", "17 00 00 00"]),
    ("alignment", ["0x87654321", "'height': 175.5", "align-too-large", "[101, 202, 303"]),
    ("allocators", ["57344 free bytes in 1 block(s)", "(double free)", "#.#......"]),
    ("diagnostics", ["ParseError at 5:24: unexpected token passive",
                     "FuelExhausted: runaway loop $copy_loop in $memory_copy",
                     "ValidationError at 54:24 in $heap_alloc", "loop-exit-restarts"]),
    ("watch", ["heap_free(a) stopped: i32.store wrote 0 over 20000000 in heap_free at 92:6",
               "the link now reads 0", "heap_alloc(100) -> 0 (NULL",
               "0: heap_free at 136:13", "line 136: (then unreachable))  ;; double free"]),
    ("c-program", ["    Hello, tour!", "greeting = 0x114f0 -> 'Hello, tour!'",
                   "__stack_pointer = 0x114b0 now", "heap         0x000114b0-0x00020000",
                   "'values': [0, 1, 4, 9, 16, 25, 36, 49]",
                   "00011510  73 71 75 61 72 65 73 00  08 00 00 00",
                   "a 0x30-byte block", "<- heap (malloc)", "<- stack (grows down)"]),
], ids=[t for t in TOPICS])
def test_topic(topic: str, expected: list[str]) -> None:
    text = tour_text(topic)
    assert "\n1. " in text and "\n2. " not in text
    for snippet in expected:
        assert snippet in text, snippet


def test_cli_tour(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tour", "loads"]) == 0
    assert "zero and sign extension" in capsys.readouterr().out
    assert main(["tour", "--list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listing] == list(TOPICS)
    assert main(["tour", "heap"]) == 2
    assert "unknown topic 'heap'" in capsys.readouterr().err


def test_examples_folder(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert find_examples() == EXAMPLES
    assert find_examples(EXAMPLES) == EXAMPLES
    monkeypatch.setenv("WASMEM_EXAMPLES", str(EXAMPLES))
    assert find_examples() == EXAMPLES
    with pytest.raises(TourError, match="--examples"):
        find_examples(tmp_path)
    assert main(["tour", "--examples", str(tmp_path)]) == 2


def test_quick_start_command_runs_the_tour() -> None:
    result = subprocess.run([sys.executable, "-m", "wasmem", "tour"], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "7. The listings as printed" in result.stdout
    assert "9. A C program compiled with clang" in result.stdout


def test_watch_topic_points_at_the_printed_lines() -> None:
    """The lines the watch topic names are the store in the printed heap_free and the
    double-free trap of the corrected one (the patch that makes the listing load keeps
    every line number)."""
    text = tour_text("watch")
    printed = (EXAMPLES / "as_printed" / "11-heap-allocator.wat").read_text(encoding="utf-8")
    store = printed.splitlines()[92 - 1]
    assert store.strip().startswith("(i32.store") and f" 92  {store.strip()}" in text
    fixed = (EXAMPLES / "11-heap-allocator.wat").read_text(encoding="utf-8").splitlines()
    assert "unreachable" in fixed[136 - 1]
    assert "Traceback" not in text and text.count("wasm backtrace:") == 1


def test_packaged_c_program_is_the_one_in_examples() -> None:
    """The tour's copy of hello.c/hello.wasm (package data) equals examples/wasi/'s."""
    from wasmem.tools.tour.cprogram import read_program
    root = EXAMPLES.parents[3]  # src/wasmem/examples/chapter5 -> the checkout
    for suffix in (".c", ".wasm"):
        assert read_program(suffix) == (root / "examples" / "wasi" / f"hello{suffix}").read_bytes()
