"""Per-function translation cost of wasmem's compiler and pwasm's, on the same functions.

For every function of each module, both engines translate it to Python source in this
process (wasmem: ``FunctionCompiler.compile``; pwasm: ``codegen.python_source``), then
CPython's ``compile()`` turns each source into code. Times are CPU time, the minimum of
``--repeat`` rounds per function (the garbage collector off); decoding the module is
not counted (wasmem's decoding of the bodies is shown apart). The report gives, per
module, the totals and the cost per WebAssembly instruction of the two steps, the size
of the generated source, and the ratio wasmem / pwasm (below 1: wasmem translates faster).

Usage::

    python -m compileall -q src && PYTHONPATH=src python bench/translation.py \\
        bench/c/programs/lua.wasm bench/c/cbench.wasm --repeat 3 [--top 10]

``--top N`` lists the N functions that cost wasmem most. Functions either engine cannot
translate (tail calls, Python's nesting limits) are left out of both columns.
"""

from __future__ import annotations

import argparse
import gc
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pwasm
from pwasm import codegen as pwasm_codegen

import wasmem
from wasmem.exec import callstack
from wasmem.exec.compiler.codegen import CannotCompile, FunctionCompiler
from wasmem.exec.compiler.context import ModuleContext
from wasmem.exec.compiler.frames import count_instructions


@dataclass
class Row:
    """One function's costs (seconds) and source sizes (characters, lines)."""

    index: int
    instructions: int
    decode: float
    generate: float
    compile: float
    size: int
    lines: int
    p_generate: float
    p_compile: float
    p_size: int
    p_lines: int


def _best(repeat: int, step: Any, *args: Any) -> tuple[float, Any]:
    """The least time of ``repeat`` calls of ``step(*args)`` and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()  # CPU time: the machine's load moves it less
        result = step(*args)
        best = min(best, time.process_time() - start)
    return best, result


def _generate(context: ModuleContext, index: int) -> str:
    return FunctionCompiler(context, index).compile()


def measure(path: Path, repeat: int) -> list[Row]:
    """Translate every function of the module at ``path`` with both engines."""
    data = path.read_bytes()
    module = wasmem.Module(data, cache_dir=False).ast
    context = ModuleContext.of(module)
    instance = pwasm.instantiate(pwasm.decode_module(data))
    rows = []
    for k, function in enumerate(module.functions):
        index = context.imported_functions + k
        start = time.process_time()
        body = function.body  # decoded on first access
        decode = time.process_time() - start
        try:
            with callstack.python_frames(20_000):
                generate, source = _best(repeat, _generate, context, index)
            p_generate, p_source = _best(repeat, pwasm_codegen.python_source,
                                         instance.functions[index])
        except (CannotCompile, pwasm.WasmError, RecursionError):
            continue
        try:
            compiled, _ = _best(repeat, compile, source, "wasmem", "exec")
            p_compiled, _ = _best(repeat, compile, p_source, "pwasm", "exec")
        except (SyntaxError, RecursionError, MemoryError):
            continue  # beyond Python's limits for one of them
        rows.append(Row(index, count_instructions(body), decode, generate, compiled,
                        len(source), source.count("\n"), p_generate, p_compiled,
                        len(p_source), p_source.count("\n")))
    return rows


def report(path: Path, rows: list[Row], top: int) -> None:
    """Print the totals of one module (and its ``top`` costliest functions)."""
    n = sum(r.instructions for r in rows) or 1

    def total(field: str) -> float:
        return sum(getattr(r, field) for r in rows)

    ours = total("generate") + total("compile")
    theirs = total("p_generate") + total("p_compile")
    print(f"\n{path.name}: {len(rows)} functions, {n} instructions")
    print(f"{'':8} {'generate':>18} {'compile()':>18} {'source':>14} {'lines/ins':>9}")
    for label, g, c, s, ln in (("wasmem", "generate", "compile", "size", "lines"),
                              ("pwasm", "p_generate", "p_compile", "p_size", "p_lines")):
        print(f"{label:8} {total(g) * 1e3:8.1f} ms {total(g) / n * 1e6:4.1f} us/i "
              f"{total(c) * 1e3:8.1f} ms {total(c) / n * 1e6:4.1f} us/i "
              f"{total(s) / n:6.1f} B/ins {total(ln) / n:9.2f}")
    print(f"wasmem / pwasm: generate {total('generate') / total('p_generate'):.2f}, "
          f"compile() {total('compile') / total('p_compile'):.2f}, "
          f"both {ours / theirs:.2f} (wasmem decoding: {total('decode') * 1e3:.1f} ms)")
    if top:
        print(f"{'index':>6} {'ins':>6} | {'w.gen':>7} {'w.comp':>7} {'w.lines':>7} | "
              f"{'p.gen':>7} {'p.comp':>7} {'p.lines':>7}   (ms)")
        for r in sorted(rows, key=lambda r: -(r.generate + r.compile))[:top]:
            print(f"{r.index:6} {r.instructions:6} | {r.generate * 1e3:7.2f} "
                  f"{r.compile * 1e3:7.2f} {r.lines:7} | {r.p_generate * 1e3:7.2f} "
                  f"{r.p_compile * 1e3:7.2f} {r.p_lines:7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=0)
    options = parser.parse_args()
    gc.disable()
    for path in options.modules:
        report(path, measure(path, options.repeat), options.top)


if __name__ == "__main__":
    main()
