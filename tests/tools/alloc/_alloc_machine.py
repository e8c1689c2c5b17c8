"""A hypothesis state machine that drives one allocator of ``wasmem.tools.alloc`` against a
Python model, on wasmem and on wasmtime at once.

The model keeps the contents written into every live block. After every step: the blocks
do not overlap and lie inside memory, contents survive, ``walk(...).check()`` passes and
the walker's in-use blocks are exactly the live pointers. Both engines must return the
same values, trap together, and end with the same memory bytes.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import wasmtime
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import wasmem
from wasmem.tools.alloc import load, source, walk
from wasmem.tools.alloc.heap import Heap
from wasmem.tools.alloc.walkers import tlsf_class

TRAP = "trap"
FUNCTIONS = ("malloc", "free", "realloc", "calloc", "malloc_usable_size")

SIZES = st.one_of(st.integers(0, 72), st.integers(73, 5000),
                  st.sampled_from([0, 8, 24, 256, 4096, 4097, 65536, 70000, 150000]))
CALLOC = st.one_of(st.tuples(st.integers(0, 40), st.integers(0, 200)),
                   st.tuples(st.integers(0x10000, 0xFFFFFFFF), st.integers(0x10000, 0xFFFFFFFF)),
                   st.sampled_from([(0x10000, 0x10001), (0xFFFFFFFF, 2), (2, 0x80000000)]))


class WasmtimeSide:
    """The same allocator on wasmtime (the oracle)."""

    engine = wasmtime.Engine()
    modules: dict[str | bytes, wasmtime.Module] = {}

    def __init__(self, text: str | bytes) -> None:
        self.store = wasmtime.Store(self.engine)
        module = self.modules.get(text)
        if module is None:
            module = self.modules[text] = wasmtime.Module(self.engine, text)
        exports = wasmtime.Instance(self.store, module, []).exports(self.store)
        if "_initialize" in exports:
            exports["_initialize"](self.store)
        self.memory = exports["memory"]
        self.functions = {name: exports[name] for name in FUNCTIONS}

    def call(self, name: str, *args: int) -> int | str:
        try:
            result = self.functions[name](self.store, *args)
        except wasmtime.Trap:
            return TRAP
        return 0 if result is None else result & 0xFFFFFFFF

    def write(self, address: int, data: bytes) -> None:
        self.memory.write(self.store, data, address)

    def read_all(self) -> bytes:
        return bytes(self.memory.read(self.store, 0, self.memory.data_len(self.store)))


def request_fits(name: str, heap: Heap, n: int) -> bool:
    """True when the allocator must serve malloc(n) without growing its heap."""
    free = [b for b in heap.blocks if not b.in_use]
    if name in ("freelist", "freelist-best"):
        need = max((n + 19) & ~7, 24)
        return any(b.size >= need for b in free)
    if name == "tlsf":
        need = max((n + 19) & ~7, 24)
        rounded = need + (15 if need < 256 else (1 << (need.bit_length() - 5)) - 1)
        return any(tlsf_class(b.size) >= tlsf_class(rounded) for b in free)
    if name == "buddy":
        order = max((n + 7).bit_length(), 4)
        return any(b.size >= 1 << order for b in free)
    if name == "pools":
        if n > 4096:
            pages = (n + 0x1003F) >> 16
            return any(b.size >= pages << 16
                       for b in free if b.payload_start == b.address + 64)
        size = 8 if n <= 8 else 1 << (n - 1).bit_length()
        return bool(heap.free_lists.get(str(size)))
    return False


class AllocatorMachine(RuleBasedStateMachine):
    """Subclass with ``name`` set to an allocator of ``wasmem.tools.alloc.NAMES``."""

    name = "freelist"
    detects_misuse = True  # double frees and foreign pointers trap
    alignment = 8
    walk_as: str | None = None  # detected
    realloc_zero_frees = True  # realloc(p, 0) frees p and returns 0

    def __init__(self) -> None:
        super().__init__()
        self.wasmem = wasmem.Instance(load(self.name)).exports
        self.oracle = WasmtimeSide(source(self.name))
        self.live: dict[int, bytes] = {}
        self.freed: set[int] = set()
        self.random = random.Random(len(self.name))

    # -- both engines --------------------------------------------------------------------
    def call(self, name: str, *args: int) -> Any:
        try:
            mine = self.wasmem[name](*args)
            mine = 0 if mine is None else mine & 0xFFFFFFFF
        except wasmem.Trap:
            mine = TRAP
        theirs = self.oracle.call(name, *args)
        assert mine == theirs, f"{name}{args}: wasmem {mine}, wasmtime {theirs}"
        return mine

    def fill(self, pointer: int, n: int) -> None:
        data = self.random.randbytes(n)
        self.wasmem["memory"].write(pointer, data)
        self.oracle.write(pointer, data)
        self.live[pointer] = data
        self.freed.discard(pointer)

    def check_new_block(self, pointer: int, n: int, others: dict[int, bytes]) -> None:
        assert pointer, f"{self.name}: allocation of {n} bytes failed"
        assert pointer % self.alignment == 0, f"{pointer:#x} is not {self.alignment}-aligned"
        end = pointer + max(n, 1)
        assert end <= self.wasmem["memory"].size_bytes
        for other, data in others.items():
            assert end <= other or other + max(len(data), 1) <= pointer, \
                f"block {pointer:#x}+{n} overlaps {other:#x}+{len(data)}"
        assert self.call("malloc_usable_size", pointer) >= n

    def pick(self, index: int) -> int:
        return sorted(self.live)[index % len(self.live)]

    # -- rules ---------------------------------------------------------------------------
    @rule(n=SIZES)
    def malloc(self, n: int) -> None:
        fits = request_fits(self.name, walk(self.wasmem, self.walk_as), n)
        pages = self.wasmem["memory"].size
        pointer = self.call("malloc", n)
        self.check_new_block(pointer, n, self.live)
        if fits:
            assert self.wasmem["memory"].size == pages, "free memory was not reused"
        self.fill(pointer, n)

    @precondition(lambda self: self.live)
    @rule(index=st.integers(0, 1000))
    def free(self, index: int) -> None:
        pointer = self.pick(index)
        assert self.call("free", pointer) == 0
        del self.live[pointer]
        self.freed.add(pointer)

    @precondition(lambda self: self.live)
    @rule(index=st.integers(0, 1000), n=SIZES)
    def realloc(self, index: int, n: int) -> None:
        pointer = self.pick(index)
        old = self.live.pop(pointer)
        result = self.call("realloc", pointer, n)
        if n == 0 and self.realloc_zero_frees:
            assert result == 0
            self.freed.add(pointer)
            return
        self.check_new_block(result, n, self.live)
        keep = min(len(old), n)
        assert self.wasmem["memory"].read(result, keep) == old[:keep], "realloc lost the prefix"
        if result != pointer:
            self.freed.add(pointer)
        self.fill(result, n)

    @rule(n=SIZES)
    def realloc_null(self, n: int) -> None:
        pointer = self.call("realloc", 0, n)
        self.check_new_block(pointer, n, self.live)
        self.fill(pointer, n)

    @rule(args=CALLOC)
    def calloc(self, args: tuple[int, int]) -> None:
        count, size = args
        pointer = self.call("calloc", count, size)
        total = count * size
        if total > 0xFFFFFFFF:
            assert pointer == 0, "calloc overflow must return 0"
            return
        if total > 1 << 24:  # may or may not fit; either answer is allowed
            if pointer:
                assert self.call("free", pointer) == 0
            return
        self.check_new_block(pointer, total, self.live)
        assert self.wasmem["memory"].read(pointer, total) == bytes(total), "calloc not zeroed"
        self.fill(pointer, total)

    @rule()
    def free_null(self) -> None:
        assert self.call("free", 0) == 0

    def near_live(self, pointer: int) -> bool:
        return any(q - 24 <= pointer <= q + len(d) + 24 for q, d in self.live.items())

    @precondition(lambda self: self.freed and self.detects_misuse)
    @rule(index=st.integers(0, 1000))
    def double_free(self, index: int) -> None:
        pointer = sorted(self.freed)[index % len(self.freed)]
        if self.near_live(pointer):
            return
        assert self.call("free", pointer) == TRAP, f"double free of {pointer:#x} not caught"

    @precondition(lambda self: self.detects_misuse)
    @rule(kind=st.sampled_from(["misaligned", "below", "above"]), index=st.integers(0, 1000))
    def foreign_free(self, kind: str, index: int) -> None:
        if kind == "misaligned":
            if not self.live:
                return
            pointer = self.pick(index) + 4
        elif kind == "below":
            pointer = int(self.wasmem["heap_base"].value) - 8
        else:
            pointer = self.wasmem["memory"].size_bytes + 8 * (index + 1)
        assert self.call("free", pointer) == TRAP, f"free({pointer:#x}) did not trap"
        assert self.call("realloc", pointer, 8) == TRAP

    # -- after every step ----------------------------------------------------------------
    @invariant()
    def heap_is_sound(self) -> None:
        memory = self.wasmem["memory"]
        for pointer, data in self.live.items():
            assert memory.read(pointer, len(data)) == data, f"block {pointer:#x} was overwritten"
        heap = walk(self.wasmem, self.walk_as)
        heap.check()
        used = {b.payload_start for b in heap.blocks if b.in_use}
        assert used == set(self.live), "the walker's blocks in use are not the live pointers"
        assert memory.size_bytes == self.oracle.memory.data_len(self.oracle.store)

    def teardown(self) -> None:
        mine = self.wasmem["memory"].read(0, self.wasmem["memory"].size_bytes)
        assert mine == self.oracle.read_all(), "wasmem and wasmtime memories differ"


class DlmallocMachine(AllocatorMachine):
    """wasi-libc's own malloc family (``programs/libc-malloc.wasm``), to check the dlmalloc
    walker after every step; dlmalloc does not promise to trap on misuse."""

    name = "dlmalloc"
    detects_misuse = False
    alignment = 16
    walk_as = "dlmalloc"
    realloc_zero_frees = False  # dlmalloc returns a minimal block
    binary = (Path(__file__).parent / "programs" / "libc-malloc.wasm").read_bytes()

    def __init__(self) -> None:
        RuleBasedStateMachine.__init__(self)
        instance = wasmem.Instance(wasmem.Module(self.binary))
        instance.exports["_initialize"]()
        self.wasmem = instance.exports
        self.oracle = WasmtimeSide(self.binary)
        self.live = {}
        self.freed = set()
        self.random = random.Random(8)


def machine_for(name: str) -> type[AllocatorMachine]:
    """The state machine class for allocator ``name`` (or ``"dlmalloc"``)."""
    if name == "dlmalloc":
        return DlmallocMachine
    return type(f"{name.title().replace('-', '')}Machine", (AllocatorMachine,), {"name": name})
