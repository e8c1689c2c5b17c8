"""``wasmem heap FILE [--invoke NAME ARGS...]... [--allocator NAME] [--html OUT.html]``
(``--all`` lists every block).

Instantiates FILE (a .wat/.wasm module, or the name of an allocator of the library; with
WASI when it imports it), calls ``_initialize`` when the module is a reactor, runs each
``--invoke`` in order (a command's ``_start`` when none is given), then walks the heap
(:func:`wasmem.tools.alloc.walk`) and prints it with its check. Exit status 0 when the heap
checks out, 1 when it is corrupt.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from ...embedding import Function, Instance, Module
from ...errors import InvocationError, WasmError
from .heap import Heap
from .html import heap_html
from .library import NAMES, load
from .walk import walk

__all__ = ["run_heap"]


def _instantiate(file: str) -> Instance:
    if not os.path.exists(file) and file in NAMES:
        return Instance(load(file))
    module = Module.from_file(file)
    if any(name.startswith("wasi_") for name, _, _ in module.imports):
        try:
            wasi = importlib.import_module("wasmem.wasi")
        except ImportError:
            raise InvocationError(f"{file} imports WASI, which this wasmem lacks") from None
        instance: Instance = Instance(module, wasi=wasi.WasiConfig())  # type: ignore[call-arg]
        return instance
    return Instance(module)


def _argument(text: str) -> int | float:
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            raise InvocationError(f"argument {text!r} is not a number") from None


def _call(instance: Instance, name: str, arguments: list[str]) -> str:
    try:
        function = instance.exports[name]
    except KeyError:
        raise InvocationError(f"no exported function {name!r}") from None
    if not isinstance(function, Function):
        raise InvocationError(f"export {name!r} is not a function")
    if len(arguments) != len(function.type.params):
        raise InvocationError(f"{name} takes {len(function.type.params)} argument(s), got "
                              f"{len(arguments)}")
    values = [_argument(a) for a in arguments]
    try:
        result = function(*values)
    except WasmError as error:
        if type(error).__name__ != "Exit":  # a WASI program's proc_exit ends its run
            raise
        result = getattr(error, "code", None)
    shown = "" if result is None else f" = {result}"
    return f"{name}({', '.join(arguments)}){shown}"


def heap_labels(heap: Heap) -> dict[int, str]:
    """Labels for ``Memory.map``: where the heap starts and ends, its largest free block.
    Raises nothing."""
    labels = {heap.start: f"{heap.allocator} heap start", heap.end: "heap end"}
    free = [b for b in heap.blocks if not b.in_use]
    if free:
        largest = max(free, key=lambda block: block.size)
        labels.setdefault(largest.address, f"largest free block ({largest.size} bytes)")
    return labels


def run_heap(file: str, invokes: list[list[str]], allocator: str | None = None,
             html_path: str | None = None, limit: int | None = 40,
             memory_map: bool = False) -> tuple[Heap, str]:
    """Run FILE as ``wasmem heap`` does; return the heap and the text to print.

    Raises:
        WasmError: loading, linking or a trap in an invoked function; HeapError: no
            allocator recognised; InvocationError: bad --invoke; OSError: --html unwritable.
    """
    instance = _instantiate(file)
    exports = instance.exports
    calls = []
    if "_initialize" in exports and isinstance(exports["_initialize"], Function):
        exports["_initialize"]()
    if not invokes and "_start" in exports and isinstance(exports["_start"], Function):
        invokes = [["_start"]]  # a command: run the program
    for invoke in invokes:
        calls.append(_call(instance, invoke[0], invoke[1:]))
    heap = walk(instance, allocator)
    lines = [*calls, heap.describe(limit)]
    if memory_map:
        lines.append(exports["memory"].map(heap_labels(heap)))
    lines.append(f"check: {heap.problems[0]}" if heap.problems else "check: ok")
    if html_path:
        page = heap_html(heap, os.path.basename(file), calls)
        with open(html_path, "w", encoding="utf-8") as out:
            out.write(page)
        lines.append(f"wrote {html_path}")
    return heap, "\n".join(lines)


def cmd_heap(args: Any) -> int:
    """The CLI handler: print the heap; exit status 1 when the check fails.

    Raises: as :func:`run_heap` (the CLI turns them into one-line messages)."""
    try:
        heap, text = run_heap(args.file, args.invoke or [], args.allocator, args.html,
                              None if args.all else 40, args.map)
    except WasmError:
        raise  # ModuleFileError is an OSError too: it is not about the page
    except OSError as error:
        raise InvocationError(f"cannot write {args.html}: {error.strerror or error}") from None
    print(text)
    return 1 if heap.problems else 0
