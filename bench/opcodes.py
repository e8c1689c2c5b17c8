"""Python bytecodes that wasmem's generated code executes for one call of an export.

A deterministic measure of generated code for A/B comparisons of the translator on a
loaded machine, where CPU times of whole runs move by 10-30% between runs: every
function is translated at its first call (``WASMEM_TIER_BUDGETS=0,0`` is set here, so
tiering decisions, which depend on time, do not change what runs translated), the export
is called once untraced, then once more with ``sys.settrace`` counting the opcodes and
lines executed in frames of generated code (``<wasm ...>`` files). Bytecodes are not
all equally costly, so the count is a proxy: confirm a change in CPU time.

Usage (``--source`` picks the wasmem tree, default the installed one)::

    python bench/opcodes.py bench/c/realworld/sqlite.wasm 0 [--export run] [--source src]
"""

from __future__ import annotations

import argparse
import os
import sys
from types import FrameType
from typing import Any


def count(path: str, arg: int, export: str) -> tuple[int, int, Any]:
    """(opcodes, lines, result) of the second call ``export(arg)`` of a fresh instance."""
    import wasmem

    with open(path, "rb") as file:
        data = file.read()
    function = wasmem.Instance(wasmem.Module(data, cache_dir=False)).exports[export]
    function(arg)
    counts = [0, 0]

    def local(frame: FrameType, event: str, _arg: Any) -> Any:
        frame.f_trace_opcodes = True  # (again: CPython 3.12+ ignores it set at "call")
        if event == "opcode":
            counts[0] += 1
        elif event == "line":
            counts[1] += 1
        return local

    def trace(frame: FrameType, _event: str, _arg: Any) -> Any:
        if frame.f_code.co_filename.startswith("<wasm"):
            frame.f_trace_opcodes = True
            return local
        return None

    sys.settrace(trace)
    try:
        result = function(arg)
    finally:
        sys.settrace(None)
    return counts[0], counts[1], result


def main(argv: list[str] | None = None) -> int:
    """Print ``opcodes lines result`` for the module and argument given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wasm")
    parser.add_argument("arg", type=int)
    parser.add_argument("--export", default="run")
    parser.add_argument("--source", default="", help="a wasmem source tree (its src)")
    args = parser.parse_args(argv)
    if args.source:
        sys.path.insert(0, args.source)
    os.environ["WASMEM_TIER_BUDGETS"] = "0,0"
    opcodes, lines, result = count(args.wasm, args.arg, args.export)
    print(f"{os.path.basename(args.wasm)} {args.arg}: opcodes {opcodes} lines {lines} "
          f"result {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
