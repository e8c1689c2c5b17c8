"""Hand-written Python versions of some workloads: the "what would plain Python do" row.

Each function computes exactly what the WebAssembly export of the same name returns
(i32 results as unsigned 32-bit patterns), with the same algorithm written as ordinary
Python loops over a ``bytearray`` or a list, except :func:`bulk`, which uses bytearray
slice assignment (the reference for the bulk-memory target), and :func:`cbench`, which
uses ``list.sort`` where the C program calls ``qsort``.
"""

from __future__ import annotations

from collections.abc import Callable

from .reference_independent import INDEPENDENT_FUNCTIONS
from .reference_programs import PROGRAM_FUNCTIONS

__all__ = ["FUNCTIONS", "bulk", "bytecopy", "cbench", "fib", "matmul", "memsum", "sieve"]

MASK = 0xFFFFFFFF
MIB = 1 << 20


def fib(n: int) -> int:
    """Return fib(n), naively recursive like ``fib.wat``."""
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def memsum(n: int) -> int:
    """Store i at word i for i < n, then return the wrapped sum of the loads (``memsum.wat``)."""
    words = [0] * n
    for i in range(n):
        words[i] = i
    total = 0
    for i in range(n):
        total = (total + words[i]) & MASK
    return total


def sieve(n: int) -> int:
    """Return the number of primes below ``n`` with a byte sieve (``sieve.wat``)."""
    flags = bytearray(b"\x01") * n
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = 0
        i += 1
    count = 0
    for i in range(2, n):
        count += flags[i]
    return count


def bytecopy(n: int) -> int:
    """Fill, copy and checksum ``n`` bytes one byte at a time (``bytecopy.wat``)."""
    memory = bytearray(2 * MIB)
    for i in range(n):
        memory[i] = (i * 7 + (i >> 8)) & 0xFF
    for i in range(n):
        memory[MIB + i] = memory[i]
    h = 0
    for i in range(n):
        h = (h * 31 + memory[MIB + i]) & MASK
    return h


def bulk(rounds: int) -> int:
    """``bulk.wat`` with bytearray slice assignment for memory.fill and memory.copy."""
    block = 4 * MIB
    memory = bytearray(16 * MIB)
    h = 0
    for r in range(rounds):
        memory[0:block] = bytes(((r * 37) & 0xFF,)) * block
        at = (r * 40503) & (block - 1)
        memory[at] = (r + 1) & 0xFF
        memory[block:2 * block] = memory[0:block]
        memory[block + 1:2 * block] = memory[block:2 * block - 1]
        h = (h * 31 + memory[block + 1 + at]) & MASK
        h = (h * 31 + int.from_bytes(memory[block + 4096:block + 4100], "little")) & MASK
        h = (h * 31 + memory[2 * block - 1]) & MASK
    return h


def matmul(n: int) -> float:
    """Multiply the two n x n matrices of ``matmul.wat`` and return its checksum."""
    a = [0.0] * (n * n)
    b = [0.0] * (n * n)
    for i in range(n):
        for j in range(n):
            a[i * n + j] = float((i * 3 + j * 5) % 11 - 5) * 0.25
            b[i * n + j] = float((i * 7 + j * 2) % 13 - 6) * 0.5
    c = [0.0] * (n * n)
    for i in range(n):
        row = i * n
        for j in range(n):
            acc = 0.0
            for k in range(n):
                acc += a[row + k] * b[k * n + j]
            c[row + j] = acc
    total = 0.0
    for i in range(n * n):
        total += c[i] * float(i // n + 1)
    return total


def cbench(n: int) -> int:
    """``c/cbench.c`` in Python: random arrays, sorted, copied; returns the checksum."""
    state = 12345
    checksum = 0
    slots: list[list[int] | None] = [None] * 64

    def next_random() -> int:
        nonlocal state
        state = (state * 1103515245 + 12345) & MASK
        return state >> 8

    for _ in range(n):
        count = 16 + next_random() % 240
        values = [next_random() for _ in range(count)]
        values.sort()
        slot = next_random() % 64
        slots[slot] = values[:]
        checksum = (checksum * 31 + values[count // 2] + slots[slot][0]) & MASK  # type: ignore[index]
    return checksum


FUNCTIONS: dict[str, Callable[[int], int | float]] = {
    f.__name__: f for f in (fib, memsum, sieve, bytecopy, bulk, matmul, cbench)}
FUNCTIONS.update(PROGRAM_FUNCTIONS)
FUNCTIONS.update(INDEPENDENT_FUNCTIONS)
"""The reference functions by workload or program name (the programs' are in
``reference_programs.py``)."""
