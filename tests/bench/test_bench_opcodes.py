"""Tests of ``bench/opcodes.py`` (Python bytecodes executed by generated code for one call,
every function translated at its first call). No timing is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import wasmem

BENCH = Path(__file__).resolve().parents[2] / "bench"
SOURCE = BENCH.parent / "src"

LOOP = """(module (func (export "run") (param i32) (result i32) (local i32)
  (block $done (loop $next
    (br_if $done (i32.eqz (local.get 0)))
    (local.set 1 (i32.add (local.get 1) (local.get 0)))
    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
    (br $next)))
  (local.get 1)))"""


def _count(path: Path, arg: int) -> tuple[int, int, str]:
    out = subprocess.run([sys.executable, str(BENCH / "opcodes.py"), str(path), str(arg),
                          "--source", str(SOURCE)], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    return int(out[out.index("opcodes") + 1]), int(out[out.index("lines") + 1]), out[-1]


def _opcode_events_arrive() -> bool:
    """Whether this Python delivers ``opcode`` trace events to a frame that asks for them
    (CPython 3.12.1 delivers none: the tool then counts 0)."""
    seen = []

    def local(frame: Any, event: str, _arg: Any) -> Any:
        frame.f_trace_opcodes = True
        seen.append(event)
        return local

    def trace(frame: Any, _event: str, _arg: Any) -> Any:
        if frame.f_code.co_name == "probe":
            frame.f_trace_opcodes = True
            return local
        return None

    def probe() -> int:
        total = 0
        for value in range(3):
            total += value
        return total

    sys.settrace(trace)
    try:
        probe()
    finally:
        sys.settrace(None)
    return "opcode" in seen


def test_counts_grow_with_the_work_and_the_result_is_right(tmp_path: Path) -> None:
    if not _opcode_events_arrive():
        pytest.skip("this Python delivers no opcode trace events")
    path = tmp_path / "loop.wasm"
    path.write_bytes(wasmem.Module(LOOP).to_bytes())
    small, big = _count(path, 10), _count(path, 100)
    assert small[2] == "55" and big[2] == "5050"
    assert 0 < small[0] < big[0] and 0 < small[1] < big[1]
    assert big[0] - small[0] >= 90 * 5  # (at least a handful of bytecodes an iteration)
