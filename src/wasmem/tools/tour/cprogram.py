"""The tour's last topic: a C program compiled with clang for WASI, run, then inspected.

``hello.wasm`` (built from ``hello.c`` by ``tests/wasi/programs/build.sh``; a copy of
``examples/wasi/`` is package data in ``wasmem/examples/wasi``) prints a greeting and leaves
a copy of it and a table of squares on the heap. The topic runs it with a capturing WASI
configuration, then finds its static data, its C stack and its heap in the linear memory.
"""

from __future__ import annotations

from importlib import resources

from ...memory.regions import find_global
from ...memory.views import Struct
from .guide import Tour, TourError

__all__ = ["c_program", "read_program"]

PROGRAM = "hello"
"""The example program, in ``wasmem/examples/wasi`` (``.c`` source and ``.wasm``)."""


def read_program(suffix: str) -> bytes:
    """Return the bytes of ``wasmem/examples/wasi/hello<suffix>`` (package data).

    Raises:
        TourError: the file is not installed with the package.
    """
    resource = resources.files("wasmem") / "examples" / "wasi" / f"{PROGRAM}{suffix}"
    try:
        return resource.read_bytes()
    except OSError as error:
        raise TourError(f"cannot read the packaged example {PROGRAM}{suffix}: {error}") from None


def c_program(tour: Tour) -> None:
    """Run hello.wasm (C, clang, wasi-libc) and show where its data, stack and heap are."""
    from ...embedding import Instance, Module
    from ...wasi import WasiConfig

    tour.say("A C program brings its own memory layout: clang and wasm-ld place the static")
    tour.say("data, a stack moved through the global __stack_pointer, and wasi-libc's malloc")
    tour.say("heap from __heap_base. wasmem/examples/wasi/hello.c, built with")
    tour.say("    clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -o hello.wasm hello.c")
    tour.say("(plus -Wl,--export=greeting,--export=squares,--export=__data_end,"
             "--export=__heap_base).")

    tour.step("run it: Instance(module, wasi=WasiConfig(args=[...], stdout=\"capture\"))")
    config = WasiConfig(args=["hello.wasm", "tour"], stdout="capture")
    instance = Instance(Module(read_program(".wasm"), name="hello.wasm"), wasi=config)
    instance.exports["_start"]()
    tour.say('_start() returned (main returned 0); what it printed:')
    tour.block(config.captured_stdout.decode("utf-8", "replace"))

    e = instance.exports
    memory = e["memory"]
    data_end, heap_base = e["__data_end"].value, e["__heap_base"].value
    tour.step("its layout, from the linker's symbols")
    tour.say(f"static data  0x00000400-{data_end:#010x}  (string constants, stdio state, "
             "the globals)")
    stack = find_global(instance, "__stack_pointer")
    if stack is not None:
        pointer, top = stack
        tour.say(f"C stack      {data_end:#010x}-{top:#010x}  grows down from {top:#x}; "
                 f"__stack_pointer = {pointer:#x} now")
        tour.say("             (back at the top: main's frames are popped, their bytes stay)")
    tour.say(f"heap         {heap_base:#010x}-{len(memory):#010x}  __heap_base up to the end "
             "of memory (malloc)")

    tour.step("the heap objects main made: char *greeting and struct table *squares")
    greeting = memory.u32[e["greeting"].value]
    squares = memory.u32[e["squares"].value]
    tour.say(f"greeting = {greeting:#x} -> {memory.read_string(greeting)!r}")
    table = Struct([("tag", "bytes", 8), ("count", "i32"), ("values", "i32", 8)])
    tour.say(f"squares  = {squares:#x} -> {memory.read_struct(table, squares)}")
    tour.block(memory.hexdump(greeting, 64))
    header = memory.u32[squares - 4]
    tour.say(f"The word before the table, {header:#x}, is dlmalloc's block header: a "
             f"{header & ~7:#x}-byte block,")
    tour.say(f"flags {header & 3:#b} (bit 0: this block in use, bit 1: the one before it).")

    tour.step("memory.map: used and empty regions, labelled with the symbols")
    tour.block(memory.map({0x400: "static data", data_end: "stack (grows down)",
                           heap_base: "heap (malloc)"}))
    tour.say("More: docs/wasi-programs.md; `wasmem map examples/wasi/hello.wasm` labels")
    tour.say("every region (data segments, stack, heap blocks).")
