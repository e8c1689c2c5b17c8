"""The tour's topics: one function per topic of chapter 5, each printing as it goes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...errors import FuelExhausted, ParseError, Trap, ValidationError, WasmError
from ...memory.views import Struct
from .guide import Tour
from .cprogram import c_program

__all__ = ["TOPICS"]


def _hex(value: int, bits: int = 32) -> str:
    return f"0x{value & ((1 << bits) - 1):0{bits // 4}x}"


# ------------------------------------------------------------------ 1. layout
def layout(tour: Tour) -> None:
    """§5.1: pages, little-endian words, a planned layout, memory.grow."""
    tour.say("A linear memory is one array of bytes, sized in 64 KiB pages. Addresses are")
    tour.say("byte offsets from 0; every access is bounds-checked.")

    tour.step("01-memory-basics.wat: memory_demo(0x10, 0x12345678) stores one i32")
    memory_demo = tour.load("01-memory-basics")
    memory = memory_demo.exports["memory"]
    memory_demo.exports["memory_demo"](0x10, 0x12345678)
    tour.say(f"memory: {memory.size} page(s) = {len(memory)} bytes, maximum "
             f"{memory.maximum} pages")
    tour.block(memory.hexdump(0x00, 0x20))
    tour.say("Little-endian: the low byte 0x78 is stored first, at 0x10.")

    tour.step("02-memory-layout.wat: reserved | stack | heap | static data")
    layout_ = tour.load("02-memory-layout")
    e = layout_.exports
    for value in (1, 2, 0xCAFE):
        e["push"](value)
    first, second = e["malloc"](10), e["malloc"](3)
    e["memory"].write(first, b"heap data!")
    tour.say("push(1) push(2) push(0xCAFE): the stack grows down from 0x1000")
    tour.say(f"malloc(10) -> {_hex(first)}, malloc(3) -> {_hex(second)} "
             "(sizes rounded up to 4 bytes)")
    tour.say(f"stack_ptr = {_hex(e['stack_ptr'].value)}, "
             f"heap_ptr = {_hex(e['heap_ptr'].value)}")
    labels = {0x0000: "reserved", 0x0100: "stack (grows down)", 0x1000: "heap (grows up)",
              0x8000: "static data"}
    tour.block(e["memory"].map(labels))
    tour.block(e["memory"].hexdump(0x0FF0, 0x20))
    tour.say(f"pop() -> {_hex(e['pop']())}; malloc(0x7000) -> {_hex(e['malloc'](0x7000))} "
             "(does not fit: NULL)")

    tour.step("03-memory-grow.wat: memory.grow returns the old size, or -1")
    grow = tour.load("03-memory-grow")
    e = grow.exports
    tour.say(f"get_memory_size() -> {e['get_memory_size']()}")
    tour.say(f"grow_memory(2) -> {e['grow_memory'](2)} (1 = grown); "
             f"size now {e['get_memory_size']()}")
    tour.say(f"ensure_memory(300000) -> {e['ensure_memory'](300000)}; "
             f"size now {e['get_memory_size']()} (300000 bytes need 5 pages)")
    tour.say(f"grow_memory(200) -> {e['grow_memory'](200)} (0 = failed: the maximum is 100)")


# ------------------------------------------------------------------ 2. loads
_LOADS = ("i32.load8_u", "i32.load8_s", "i32.load16_u", "i32.load16_s", "i32.load",
          "i64.load8_u", "i64.load8_s", "i64.load16_u", "i64.load16_s", "i64.load32_u",
          "i64.load32_s", "i64.load", "f32.load", "f64.load")


def loads(tour: Tour) -> None:
    """§5.2.1: every load, zero extension (_u) versus sign extension (_s)."""
    instance = tour.load("04-loads")
    e = instance.exports
    tour.say("04-loads.wat: load_operations(addr) returns what each load reads at addr.")
    tour.block(e["memory"].hexdump(0x00, 0x20))
    at_0, at_16 = e["load_operations"](0), e["load_operations"](16)
    tour.say(f"    {'instruction':14} {'at 0x00':>22} {'at 0x10':>22}")
    for name, a, b in zip(_LOADS, at_0, at_16):
        if name.startswith("f"):
            tour.say(f"    {name:14} {a:>22.6g} {b:>22.6g}")
        else:
            tour.say(f"    {name:14} {a:>22} {b:>22}")
    tour.say("At 0x00 the bytes are below 0x80, so _u and _s agree. At 0x10 the first byte")
    tour.say("is 0x80: load8_u zero-extends it to 128, load8_s sign-extends it to -128.")
    tour.say("The wider the load, the more bytes it takes, lowest address = lowest byte.")


# ------------------------------------------------------------------ 3. stores
def stores(tour: Tour) -> None:
    """§5.2.2-5.2.3: narrow stores, byte loops versus memory.copy/fill/init."""
    instance = tour.load("05-stores")
    e = instance.exports
    memory = e["memory"]
    tour.step("05-stores.wat: store_operations(0x100, 0x11223344)")
    e["store_operations"](0x100, 0x11223344)
    tour.block(memory.hexdump(0x100, 0x10))
    tour.say("store8 keeps the low byte (44), store16 the low two (44 33), store all four.")

    tour.step("memory_copy: a byte loop that handles overlap like memory.copy")
    memory.write(0x200, b"abcdefgh")
    e["memory_copy"](0x202, 0x200, 6)
    tour.say(f"'abcdefgh' then memory_copy(0x202, 0x200, 6) -> {memory.read(0x200, 8)!r}")
    e["memory_fill"](0x210, 0x2A, 8)
    tour.say(f"memory_fill(0x210, 0x2a, 8) -> {memory.read(0x210, 8)!r}")

    bulk = tour.load("06-bulk-memory")
    e = bulk.exports
    memory = e["memory"]
    tour.step("06-bulk-memory.wat: memory.copy, memory.fill, memory.init")
    memory.write(0x200, b"abcdefgh")
    e["fast_memory_copy"](0x202, 0x200, 6)
    tour.say(f"fast_memory_copy(0x202, 0x200, 6) -> {memory.read(0x200, 8)!r} (same result)")
    e["init_data_segment"](0x300, 0, 19)
    e["init_data_segment"](0x320, 1, 10)
    e["fast_memory_fill"](0x32A, ord("!"), 3)
    tour.say("init_data_segment(0x300, 0, 19); init_data_segment(0x320, 1, 10); "
             "fast_memory_fill(0x32a, '!', 3)")
    tour.block(memory.hexdump(0x300, 0x30))
    try:
        e["init_data_segment"](0x340, 7, 1)
    except Trap as trap:
        tour.say(f"init_data_segment(0x340, 7, 1) -> trap: {trap.message} "
                 "(there is no segment 7)")


# ------------------------------------------------------------------ 4. data
PERSON = Struct([("age", "i32"), ("height", "f32"), ("name_length", "i32"),
                 ("name", "bytes", 5)])


def data(tour: Tour) -> None:
    """§5.3: active segments at instantiation, passive segments with memory.init."""
    instance = tour.load("07-static-data")
    e = instance.exports
    memory = e["memory"]
    tour.step("07-static-data.wat: active segments are copied in at instantiation")
    tour.block(memory.map({0x1000: "$hello", 0x1020: "$numbers", 0x1100: "$person_record",
                           0x2000: "$lookup_table"}))
    tour.block(memory.hexdump(0x1100, 0x11))
    record = memory.read_struct(PERSON, 0x1100)
    tour.say(f"read_struct at 0x1100: age={record['age']} height={record['height']} "
             f"name_length={record['name_length']} name={record['name'].decode()!r}")
    tour.say(f"get_person_age() -> {e['get_person_age']()}, get_person_height() -> "
             f"{e['get_person_height']()}")
    word = "".join(chr(e["get_string_char"](k)) for k in range(5))
    tour.say(f"get_string_char(0..4) -> {word!r}; get_string_char(19) -> "
             f"{e['get_string_char'](19)} (past the end)")
    tour.say(f"fast_square(12) -> {e['fast_square'](12)} (table at 0x2030), "
             f"fast_square(20) -> {e['fast_square'](20)} (computed)")

    instance = tour.load("08-passive-data")
    e = instance.exports
    memory = e["memory"]
    tour.step("08-passive-data.wat: passive segments wait for memory.init")
    tour.say(f"before: the buffer at 0x3000 holds {memory.read(0x3000, 8)!r}")
    e["build_error_message"](2, 0x100)
    tour.say(f"build_error_message(2, 0x100) -> {memory.read_string(0x100)!r}")
    tour.block(memory.hexdump(0x3000, 0x50, skip_zero_lines=True))
    tour.block(memory.hexdump(0x33E8, 12))
    tour.say("The offsets table at 0x33e8 (buffer + 1000) reads 0, 23, 46. data.drop then")
    tour.say("released both segments: memory.init from them would now trap.")


# ------------------------------------------------------------------ 5. alignment
PERSON_ALIGNED = Struct([("id", "i32"), ("height", "f64"), ("age", "i32")])


def alignment(tour: Tour) -> None:
    """§5.4: align= is a hint, natural alignment, struct padding, loop performance."""
    instance = tour.load("09-alignment")
    e = instance.exports
    memory = e["memory"]
    tour.say("align= promises an alignment; it may not exceed the access width (validation),")
    tour.say("and a wrong promise is only slower, never wrong: unaligned accesses work.")
    tour.step("09-alignment.wat: alignment_demo()")
    a, b, c = e["alignment_demo"]()
    tour.say(f"results: {_hex(a)}, {_hex(b)}, {_hex(c, 64)}")
    tour.block(memory.hexdump(0x1000, 8))
    tour.say("The store at 0x1001 (align=1) overwrote three bytes of the word at 0x1000.")
    e["aligned_struct_demo"]()
    tour.step(f"aligned_struct_demo(): struct {{i32 id; f64 height; i32 age}}, "
              f"{PERSON_ALIGNED.size} bytes")
    tour.block(memory.hexdump(0x3000, PERSON_ALIGNED.size))
    tour.say(f"read_struct: {memory.read_struct(PERSON_ALIGNED, 0x3000)} "
             f"(offsets {PERSON_ALIGNED.offsets})")
    tour.say(f"align_up(13, 8) -> {e['align_up'](13, 8)}, is_aligned(0x3008, 8) -> "
             f"{e['is_aligned'](0x3008, 8)}, is_aligned(0x3004, 8) -> "
             f"{e['is_aligned'](0x3004, 8)}")

    from ..lint import lint_source
    tour.step("wasmem lint catches an align= larger than natural")
    text = "(module (memory 1)\n  (func (drop (i32.load align=8 (i32.const 0)))))"
    tour.block(text)
    for finding in lint_source(text, file="bad-align.wat"):
        tour.block(finding.format("bad-align.wat"))

    perf = tour.load("10-performance")
    e = perf.exports
    memory = e["memory"]
    tour.step("10-performance.wat: sequential sums and a 4-way unrolled add")
    for k in range(10):
        memory.i32[0x100 + 4 * k] = k + 1
        memory.i32[0x200 + 4 * k] = 100 * (k + 1)
    e["vectorized_add"](0x100, 0x200, 0x300, 10)
    tour.say(f"cache_friendly_sum(0x100, 10) -> {e['cache_friendly_sum'](0x100, 10)}, "
             f"prefetch_demo(0x100, 10) -> {e['prefetch_demo'](0x100, 10)}")
    tour.say(f"vectorized_add -> {[memory.i32[0x300 + 4 * k] for k in range(10)]}")


# ------------------------------------------------------------------ 6. allocators
def allocators(tour: Tour) -> None:
    """§5.5: the free-list heap (with coalescing) and the size-class pools."""
    from ..alloc import POOLS, check_heap, describe_heap, pool_usage, walk_heap
    instance = tour.load("11-heap-allocator")
    e = instance.exports
    memory = e["memory"]
    tour.step("11-heap-allocator.wat: first fit, split, free with coalescing")
    e["init_heap"]()
    a, b, c = e["heap_alloc"](10), e["heap_alloc"](100), e["heap_alloc"](24)
    tour.say(f"heap_alloc(10) -> {_hex(a)}, heap_alloc(100) -> {_hex(b)}, "
             f"heap_alloc(24) -> {_hex(c)}")
    tour.block(describe_heap(walk_heap(memory)))
    tour.block(memory.hexdump(0x1000, 0x20))
    tour.say("Each block starts with an 8-byte header: size (bit 0 = in use), next free.")

    def stats(after: str) -> None:
        e["heap_stats"](0x10, 0x14)
        checked = check_heap(memory, e["free_list"].value)
        tour.say(f"{after}: heap_stats -> {memory.u32[0x10]} free bytes in "
                 f"{memory.u32[0x14]} block(s); walker: {checked.used_blocks} used, "
                 f"largest free {checked.largest_free}")

    e["heap_free"](a)
    stats("heap_free(a)")
    e["heap_free"](c)
    stats("heap_free(c)")
    tour.say("c's block merged with the free space after it; a stays apart (b is between).")
    e["heap_free"](b)
    stats("heap_free(b)")
    tour.block(describe_heap(walk_heap(memory)))
    tour.say("All three merged back into one block: the whole heap is free again.")
    try:
        e["heap_free"](b)
    except Trap as trap:
        tour.say(f"heap_free(b) again -> trap: {trap.message} (double free)")

    instance = tour.load("12-pool-allocator")
    e = instance.exports
    memory = e["memory"]
    tour.step("12-pool-allocator.wat: fixed-size pools of 16, 32 and 64 bytes")
    e["init_pools"]()
    pointers = [e["pool_alloc"](size) for size in (8, 16, 20, 64, 12)]
    tour.say(f"pool_alloc(8, 16, 20, 64, 12) -> {', '.join(_hex(p) for p in pointers)}")
    e["pool_free"](pointers[1], 16)
    tour.say("pool_free(second block); free blocks per pool: "
             + ", ".join(f"{s} bytes: {e['pool_stats'](s)}" for s in (16, 32, 64)))
    for pool in POOLS:
        head = e[f"pool_{pool.block_size}_free_head"].value
        picture = pool_usage(memory, pool, head).splitlines()[0]
        tour.say(f"    {pool.block_size:2}-byte pool  {picture}")
    tour.say("(first 64 blocks of each pool; # used, . free: the freed block is free again)")


# ------------------------------------------------------------------ 7. diagnostics
_AS_PRINTED = (
    ("03-memory-grow", None),
    ("05-stores", ("memory_copy", (0x100, 0x200, 4))),
    ("06-bulk-memory", None),
    ("08-passive-data", None),
    ("11-heap-allocator", None),
    ("12-pool-allocator", ("init_pools", ())),
)


def _describe(error: WasmError) -> str:
    where = f"{error.line}:{error.column}" if error.line is not None else "?"
    if isinstance(error, FuelExhausted):
        return f"FuelExhausted: runaway loop {error.loop} in {error.function} (at {where})"
    kind = type(error).__name__
    function = getattr(error, "function", None)
    inside = f" in {function}" if function else ""
    return f"{kind} at {where}{inside}: {error.message}"


def diagnostics(tour: Tour) -> None:
    """The chapter's listings as printed: precise errors instead of hangs."""
    from ...embedding import Instance, Module
    from ..lint import lint_source
    tour.say("Most listings of the chapter fail as printed. wasmem says where and why; runaway")
    tour.say("loops stop when their fuel (an instruction budget) runs out.")
    for name, call in _AS_PRINTED:
        file = f"as_printed/{name}.wat"
        text = tour.source(name, "as_printed")
        tour.step(file)
        try:
            instance = Instance(Module(text, name=file), fuel=20_000)
            if call is not None:
                instance.exports[call[0]](*call[1])
            tour.say("runs")
        except (ParseError, ValidationError, FuelExhausted) as error:
            tour.say(_describe(error))
        findings = lint_source(text, file=file)
        for finding in findings[:2]:
            tour.say(f"lint {finding.format()}".replace("\n", "\n     "))
        if len(findings) > 2:
            tour.say(f"lint: ... and {len(findings) - 2} more")


# ------------------------------------------------------------------ 8. watch
class _LinkCut(Exception):
    """Raised by the tour's watchpoint callback to stop at the write that cuts a list."""


def watch(tour: Tour) -> None:
    """A watchpoint catches the write that breaks the printed free list; a backtrace."""
    from ...embedding import Instance, Module
    tour.say("as_printed/11-heap-allocator.wat, with the i32 its heap_alloc lacks added on")
    tour.say("line 54 (so the other lines keep their numbers). A block header is")
    tour.say("[0-3] size, [4-7] offset of the next block from 0x1000 (0 = last).")
    text = tour.source("11-heap-allocator", "as_printed")
    text = text.replace("(br $find_block)))", "(br $find_block)) (i32.const 0))")
    instance = Instance(Module(text, name="11-heap-allocator.wat"), fuel=1_000_000)
    e = instance.exports
    memory = e["memory"]
    e["init_heap"]()
    a, b = e["heap_alloc"](16), e["heap_alloc"](100)
    tour.step(f"heap_alloc(16) -> {_hex(a)}, heap_alloc(100) -> {_hex(b)}; "
              "watch the first block's link")
    tour.say(f"link at 0x1004 = {_hex(memory.u32[0x1004])}: the list goes on to the block "
             "at 0x1020")

    def guard(event: Any) -> None:
        if event.value == 0 and any(event.old):
            raise _LinkCut(event)

    handle = instance.watch(0x1004, 0x1008, callback=guard)
    try:
        e["heap_free"](a)
    except _LinkCut as stop:
        event = stop.args[0]
        tour.say(f"heap_free(a) stopped: {event.instruction} wrote {event.value} over "
                 f"{event.old.hex()} in {event.function_name} at {event.line}:{event.column}")
        lines = text.splitlines()
        tour.block("\n".join(f"{n:3}  {lines[n - 1].strip()}"
                              for n in range(event.line - 1, event.line + 2)))
    finally:
        handle.remove()
    tour.say("heap_start - heap_start is 0, 'last block': the rest of the heap is cut off.")
    tour.say(f"The callback ran after the store: the link now reads {memory.u32[0x1004]}, and")
    tour.say(f"heap_alloc(100) -> {e['heap_alloc'](100)} (NULL, with most of the heap free).")

    tour.step("11-heap-allocator.wat (corrected): free twice, read the backtrace")
    fixed = tour.load("11-heap-allocator").exports
    fixed["init_heap"]()
    pointer = fixed["heap_alloc"](16)
    fixed["heap_free"](pointer)
    try:
        fixed["heap_free"](pointer)
    except Trap as trap:
        tour.block(str(trap))
        number = trap.frames[0].line or 0
        line = tour.source("11-heap-allocator").splitlines()[number - 1] if number else "?"
        tour.say(f"line {number}: {line.strip()}")
    tour.say("More: docs/observe.md, the walkthrough of this bug with a trace as well.")


TOPICS: dict[str, tuple[str, Callable[[Tour], None]]] = {
    "layout": ("Linear memory and its layout (§5.1, examples 01-03)", layout),
    "loads": ("Loads: zero and sign extension (§5.2.1, example 04)", loads),
    "stores": ("Stores and bulk memory (§5.2.2-5.2.3, examples 05-06)", stores),
    "data": ("Data segments, active and passive (§5.3, examples 07-08)", data),
    "alignment": ("Alignment and access patterns (§5.4, examples 09-10)", alignment),
    "allocators": ("Allocators: free list and pools (§5.5, examples 11-12)", allocators),
    "diagnostics": ("The listings as printed: errors, runaway loops, lint", diagnostics),
    "watch": ("Watchpoints and backtraces: who broke the printed heap (§5.5.1)", watch),
    "c-program": ("A C program compiled with clang: run it, then read its memory", c_program),
}
"""Topic name -> (title, function)."""
