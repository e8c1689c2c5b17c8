"""Translation cost of small functions by size, wasmem against pwasm, and what inlining adds.

``bench/translation.py`` gives a module's totals and its costliest functions; this script
asks where the cost of the *small* units is, the ones a short run translates: for every
function of each module with at most ``--max`` instructions it times, in this process,
wasmem's ``FunctionCompiler.compile`` (aligned entry, as the tier translates) and
CPython's ``compile()`` of its source, the tier's whole ``CompiledModule.code`` (the two
plus the file name, the line cache and the line table's partial), and pwasm's
``codegen.python_source`` with its ``compile()``. Times are CPU seconds, the minimum of
``--repeat`` rounds per function, the garbage collector off. The report sums them by
size bucket (instructions per function), with the generated lines and characters.

``--no-unroll`` translates without a function's recursion inlined into itself
(``emit_calls.unrolls_itself`` false), ``--no-inline`` without inlining at all
(``emit_calls.try_inline`` false): what the inlining costs to translate (not what it
saves at run time). Functions either engine cannot translate are left out.

Usage::

    python -m compileall -q src && PYTHONPATH=src python bench/translation_units.py \\
        bench/c/independent/*.wasm --max 120 --repeat 5 [--list] [--no-unroll]
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pwasm
from pwasm import codegen as pwasm_codegen

import wasmem
from wasmem.exec import callstack
from wasmem.exec.compiler import emit_calls
from wasmem.exec.compiler.codegen import CannotCompile, FunctionCompiler
from wasmem.exec.compiler.frames import count_instructions
from wasmem.exec.compiler.tier import CompiledModule

BUCKETS = ((0, 5), (6, 20), (21, 60), (61, 120), (121, 400), (401, 10 ** 9))
FIELDS = ("generate", "compile", "tier", "p_generate", "p_compile")


def _least(step: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        step()
        best = min(best, time.process_time() - start)
    return best


def measure(path: Path, most: int, repeat: int) -> list[dict[str, Any]]:
    """One row per function of at most ``most`` instructions of the module at ``path``."""
    data = path.read_bytes()
    if path.suffix == ".wat":
        data = wasmem.Module(data.decode()).to_bytes()
    module = wasmem.Module(data, cache_dir=False).ast
    compiled = CompiledModule(module)
    ctx = compiled.context
    instance = pwasm.instantiate(pwasm.decode_module(data))
    rows = []
    for k, function in enumerate(module.functions):
        index = ctx.imported_functions + k
        size = count_instructions(function.body)
        if size > most:
            continue

        def generate(index: int = index) -> str:
            compiler = FunctionCompiler(ctx, index, name=module.function_name(index))
            compiler.aligned_entry = True
            with callstack.python_frames(20_000):
                return compiler.compile()  # type: ignore[no-any-return]

        def tier(index: int = index) -> None:
            compiled.codes.clear()
            compiled.code(index, False)

        def p_generate(index: int = index) -> str:
            return pwasm_codegen.python_source(instance.functions[index])  # type: ignore[no-any-return]
        try:
            source, p_source = generate(), p_generate()
            compile(source, "x", "exec")
            compile(p_source, "x", "exec")
        except (CannotCompile, pwasm.WasmError, RecursionError, SyntaxError, MemoryError):
            continue
        rows.append({
            "module": path.name, "index": index, "name": module.function_name(index),
            "size": size, "generate": _least(generate, repeat),
            "compile": _least(partial(compile, source, "x", "exec"), repeat),
            "tier": _least(tier, repeat), "p_generate": _least(p_generate, repeat),
            "p_compile": _least(partial(compile, p_source, "x", "exec"), repeat),
            "lines": source.count("\n"), "p_lines": p_source.count("\n"),
            "chars": len(source), "p_chars": len(p_source)})
    return rows


def report(rows: list[dict[str, Any]], listing: bool) -> None:
    """Print the rows' sums by size bucket (and every row, ``listing``)."""
    if listing:
        for r in rows:
            print(f"{r['module']:16} {r['index']:5} {r['name'][:26]:26} {r['size']:5} | gen "
                  f"{r['generate'] * 1e3:.2f}/{r['p_generate'] * 1e3:.2f} compile() "
                  f"{r['compile'] * 1e3:.2f}/{r['p_compile'] * 1e3:.2f} tier "
                  f"{r['tier'] * 1e3:.2f} ms | lines {r['lines']}/{r['p_lines']}")
    print("instructions | functions | per function (us): generate wasmem/pwasm, compile() "
          "wasmem/pwasm, tier's code() | both wasmem/pwasm | lines | chars")
    for low, high in BUCKETS:
        chosen = [r for r in rows if low <= r["size"] <= high]
        if not chosen:
            continue
        n = len(chosen)
        mean = {f: sum(r[f] for r in chosen) / n * 1e6 for f in FIELDS}
        both = (mean["generate"] + mean["compile"]) / (mean["p_generate"] + mean["p_compile"])
        lines = sum(r["lines"] for r in chosen), sum(r["p_lines"] for r in chosen)
        chars = sum(r["chars"] for r in chosen), sum(r["p_chars"] for r in chosen)
        print(f"{low}-{high if high < 10 ** 9 else ''} | {n} | {mean['generate']:.0f}/"
              f"{mean['p_generate']:.0f}, {mean['compile']:.0f}/{mean['p_compile']:.0f}, "
              f"{mean['tier']:.0f} | {both:.2f} | {lines[0]}/{lines[1]} | "
              f"{chars[0]}/{chars[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", type=Path)
    parser.add_argument("--max", type=int, default=120, help="largest function measured")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--list", action="store_true", help="print every function")
    parser.add_argument("--no-unroll", action="store_true")
    parser.add_argument("--no-inline", action="store_true")
    options = parser.parse_args()
    if options.no_unroll:
        emit_calls.unrolls_itself = lambda ctx, index: False  # type: ignore[assignment]
    if options.no_inline:
        emit_calls.try_inline = lambda c, index: False  # type: ignore[assignment]
    gc.disable()
    rows: list[dict[str, Any]] = []
    for path in options.modules:
        try:
            rows += measure(path, options.max, options.repeat)
        except pwasm.WasmError as error:
            print(f"{path.name}: skipped ({error})")
    report(rows, options.list)


if __name__ == "__main__":
    main()
