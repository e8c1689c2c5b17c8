"""Translation cost per function of two wasmem trees and pwasm, interleaved in one process.

``bench/translation.py`` times one tree against pwasm; comparing two trees with it means
two runs minutes apart, and on a shared machine the load moves more between runs than
most changes of the translator do. This script imports a second tree (``--base``, the
``src`` directory of another checkout) under another package name beside the one on
``sys.path``, and for every function of each module times, round after round, the base
tree's ``FunctionCompiler.compile``, this tree's, and pwasm's ``codegen.python_source``,
then CPython's ``compile()`` of each source: the three suffer the same load. Times are
CPU seconds (``time.process_time``), the minimum of ``--repeat`` rounds, the garbage
collector off; functions any of them cannot translate are left out of every column.

Usage::

    python -m compileall -q src && PYTHONPATH=src python bench/translation_ab.py \\
        --base OLD_CHECKOUT/src bench/c/programs/lua.wasm --repeat 3 --top 8
"""

from __future__ import annotations

import argparse
import gc
import importlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pwasm
from pwasm import codegen as pwasm_codegen

import wasmem

ENGINES = ("base", "new", "pwasm")


def _load_base(src: Path, into: Path) -> Any:
    """Import the tree at ``src`` as the package ``wasmem_base`` (a copy in ``into``)."""
    shutil.copytree(src / "wasmem", into / "wasmem_base")
    sys.path.insert(0, str(into))
    return importlib.import_module("wasmem_base")


def _translators(package: Any, data: bytes) -> tuple[Any, Callable[[int], str],
                                                   type[Exception]]:
    """The module's functions and ``translate(index) -> source`` of one wasmem tree."""
    name = package.__name__
    codegen = importlib.import_module(f"{name}.exec.compiler.codegen")
    context = importlib.import_module(f"{name}.exec.compiler.context")
    callstack = importlib.import_module(f"{name}.exec.callstack")
    module = package.Module(data, cache_dir=False).ast
    ctx = context.ModuleContext.of(module)

    def translate(index: int) -> str:
        with callstack.python_frames(20_000):
            return codegen.FunctionCompiler(ctx, index).compile()  # type: ignore[no-any-return]
    return module, translate, codegen.CannotCompile


def _cpu(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    result = step()
    return time.process_time() - start, result


def measure(path: Path, base: Any, repeat: int) -> list[dict[str, Any]]:
    """One row per function of the module at ``path``: instructions, and per engine the
    generation and ``compile()`` seconds, source lines and characters."""
    from wasmem.exec.compiler.frames import count_instructions
    data = path.read_bytes()
    if path.suffix == ".wat":
        data = wasmem.Module(data.decode()).to_bytes()
    base_module, base_translate, base_cannot = _translators(base, data)
    module, translate, cannot = _translators(wasmem, data)
    instance = pwasm.instantiate(pwasm.decode_module(data))
    imported = len(instance.functions) - len(module.functions)
    for k in range(len(module.functions)):  # bodies are decoded on first access
        _ = base_module.functions[k].body, module.functions[k].body
    gc.collect()
    gc.freeze()  # what stays: the collections between functions only walk what is new
    rows = []
    for k, function in enumerate(module.functions):
        index = imported + k
        steps: dict[str, Callable[[], Any]] = {
            "base": partial(base_translate, index), "new": partial(translate, index),
            "pwasm": partial(pwasm_codegen.python_source, instance.functions[index])}
        try:
            sources = {engine: step() for engine, step in steps.items()}
            for source in sources.values():
                compile(source, "x", "exec")
        except (base_cannot, cannot, pwasm.WasmError, RecursionError, SyntaxError,
                MemoryError):
            continue
        row: dict[str, Any] = {"index": index,
                               "instructions": count_instructions(function.body)}
        for engine in ENGINES:
            row[engine] = {"generate": float("inf"), "compile": float("inf"),
                           "lines": sources[engine].count("\n"),
                           "chars": len(sources[engine])}
        for _ in range(repeat):
            for engine in ENGINES:
                spent, source = _cpu(steps[engine])
                cell = row[engine]
                cell["generate"] = min(cell["generate"], spent)
                spent, _ = _cpu(partial(compile, source, "x", "exec"))
                cell["compile"] = min(cell["compile"], spent)
        rows.append(row)
        gc.collect()  # (the base tree's translations may leave cycles)
    gc.unfreeze()
    return rows


def report(path: Path, rows: list[dict[str, Any]], top: int) -> None:
    """Print a module's totals per engine (and its ``top`` costliest functions)."""
    n = sum(r["instructions"] for r in rows) or 1

    def total(engine: str, field: str) -> float:
        return float(sum(r[engine][field] for r in rows))

    print(f"\n{path.name}: {len(rows)} functions, {n} instructions")
    for engine in ENGINES:
        g, c = total(engine, "generate"), total(engine, "compile")
        print(f"  {engine:6} generate {g * 1e3:8.1f} ms ({g / n * 1e6:4.1f} us/ins)  "
              f"compile() {c * 1e3:8.1f} ms ({c / n * 1e6:4.1f} us/ins)  "
              f"{total(engine, 'lines'):7.0f} lines {total(engine, 'chars') / 1e3:7.0f} KB")
    both = {e: total(e, "generate") + total(e, "compile") for e in ENGINES}
    print(f"  new / base: generate {total('new', 'generate') / total('base', 'generate'):.3f}"
          f", both {both['new'] / both['base']:.3f};  new / pwasm: both "
          f"{both['new'] / both['pwasm']:.3f}")
    if top:
        print(f"  {'index':>6} {'ins':>6} | generate ms base/new/pwasm | compile() ms "
              "base/new/pwasm | lines new/pwasm")
        for r in sorted(rows, key=lambda r: -(r["new"]["generate"] + r["new"]["compile"]))[:top]:
            print(f"  {r['index']:6} {r['instructions']:6} | "
                  + " / ".join(f"{r[e]['generate'] * 1e3:.1f}" for e in ENGINES) + " | "
                  + " / ".join(f"{r[e]['compile'] * 1e3:.1f}" for e in ENGINES)
                  + f" | {r['new']['lines']} / {r['pwasm']['lines']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", type=Path)
    parser.add_argument("--base", type=Path, required=True,
                        help="the src directory of the wasmem tree to compare against")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = _load_base(options.base, Path(scratch))
        gc.disable()
        for path in options.modules:
            try:
                rows = measure(path, base, options.repeat)
            except pwasm.WasmError as error:  # (imports pwasm cannot link: WASI)
                print(f"\n{path.name}: skipped ({error})")
                continue
            report(path, rows, options.top)


if __name__ == "__main__":
    main()
