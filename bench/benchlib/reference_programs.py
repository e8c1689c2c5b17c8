"""Hand-written Python versions of the compiled programs (``bench/c/programs/*.c``).

Each function returns exactly what the program's ``run(n)`` returns (the same checksum,
``i32`` results as unsigned 32-bit patterns, ``f64`` results bit for bit: the float
operations are done in the C program's order). They are written as plain Python would
be: lists and ``bytearray`` for arrays, tuples for tree nodes, ``dict`` for the hash
table, ``list.sort`` for ``qsort`` and slices for ``memcpy``/``memmove``/``memset``.
Lua has none (it would be a Lua interpreter in Python).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["PROGRAM_FUNCTIONS", "coremark", "gemm", "jacobi2d", "mallocs", "nussinov",
           "sortcopy", "strhash", "vm"]

MASK = 0xFFFFFFFF


def gemm(n: int) -> float:
    """``gemm.c``: C = 1.5 A B + 1.2 C on n x n floats; a weighted sum of C."""
    a = [0.0] * (n * n)
    b = [0.0] * (n * n)
    c = [0.0] * (n * n)
    for i in range(n):
        for j in range(n):
            a[i * n + j] = ((i * j + 1) % n) / n
            b[i * n + j] = ((i * (j + 1) + 2) % n) / n
            c[i * n + j] = ((i * (j + 2) + 3) % n) / n
    alpha, beta = 1.5, 1.2
    for i in range(n):
        row = i * n
        for j in range(n):
            c[row + j] *= beta
        for k in range(n):
            aik = alpha * a[row + k]
            krow = k * n
            for j in range(n):
                c[row + j] += aik * b[krow + j]
    total = 0.0
    for i in range(n):
        for j in range(n):
            total += c[i * n + j] * ((i + j) % 7 + 1)
    return total


def jacobi2d(n: int) -> float:
    """``jacobi2d.c``: 20 steps of the 5-point stencil on two n x n grids; a weighted sum."""
    a = [0.0] * (n * n)
    b = [0.0] * (n * n)
    for i in range(n):
        for j in range(n):
            a[i * n + j] = (float(i) * (j + 2) + 2) / n
            b[i * n + j] = (float(i) * (j + 3) + 3) / n
    for _ in range(20):
        for src, dst in ((a, b), (b, a)):
            for i in range(1, n - 1):
                row = i * n
                for j in range(1, n - 1):
                    at = row + j
                    dst[at] = 0.2 * (src[at] + src[at - 1] + src[at + 1] + src[at + n]
                                     + src[at - n])
    total = 0.0
    for i in range(n):
        for j in range(n):
            total += a[i * n + j] * (j % 5 + 1)
    return total


def nussinov(n: int) -> int:
    """``nussinov.c``: the RNA folding table; FNV-1a of the table plus the best score."""
    state = 42
    seq = []
    for _ in range(n):
        state = (state * 1664525 + 1013904223) & MASK
        seq.append((state >> 24) & 3)
    table = [0] * (n * n)
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            best = table[i * n + j]
            if j - 1 >= 0:
                best = max(best, table[i * n + j - 1])
            if i + 1 < n:
                best = max(best, table[(i + 1) * n + j])
            if j - 1 >= 0 and i + 1 < n:
                pair = int(seq[i] + seq[j] == 3) if i < j - 1 else 0
                best = max(best, table[(i + 1) * n + j - 1] + pair)
            for k in range(i + 1, j):
                best = max(best, table[i * n + k] + table[(k + 1) * n + j])
            table[i * n + j] = best
    h = 2166136261
    for value in table:
        h = ((h ^ value) * 16777619) & MASK
    return (h + table[n - 1] * 1000003) & MASK


def strhash(n: int) -> int:
    """``strhash.c``: count pseudo-random words in a dict, look up their reversals."""
    def fnv1a(word: str) -> int:
        h = 2166136261
        for ch in word.encode():
            h = ((h ^ ch) * 16777619) & MASK
        return h

    counts: dict[str, int] = {}
    state, checksum = 7, 0
    vocabulary = n // 4 + 16
    for _ in range(n):
        state = (state * 1103515245 + 12345) & MASK
        pick = (state >> 8) % vocabulary
        length, x = 3 + pick % 10, (pick * 2654435761) & MASK
        letters = []
        for k in range(length):
            letters.append(chr(97 + x % 26))
            x = (x // 26 + pick * 31 + k) & MASK
        word = "".join(letters)
        counts[word] = counts.get(word, 0) + 1
        checksum = (checksum * 31 + counts[word]) & MASK
    for word, count in counts.items():
        reversed_word = word[::-1]
        found = counts.get(reversed_word)
        other = found if found is not None else fnv1a(reversed_word)
        checksum = (checksum + ((count * len(word)) & MASK ^ other)) & MASK
    return checksum ^ len(counts)


def mallocs(n: int) -> int:
    """``mallocs.c`` with Python objects: tuple trees, bytearray blocks, a growing list."""
    state = 99

    def next_random() -> int:
        nonlocal state
        state = (state * 1103515245 + 12345) & MASK
        return state >> 8

    def build(depth: int, value: int) -> tuple:  # type: ignore[type-arg]
        if depth > 0:
            return (value, build(depth - 1, (value * 2) & MASK),
                    build(depth - 1, (value * 2 + 1) & MASK))
        return (value, None, None)

    def walk(tree: tuple) -> int:  # type: ignore[type-arg]
        value, left, right = tree
        return value if left is None else (value + walk(left) * 3 + walk(right)) & MASK

    slots: list[bytearray | None] = [None] * 256
    checksum = 0
    keep = build(8, 1)
    for round_ in range(n):
        for k in range(4):
            tree = build(4 + next_random() % 4, (round_ + k) & MASK)
            checksum = (checksum * 31 + walk(tree)) & MASK
        for _ in range(64):
            at = next_random() & 255
            size = 1 + next_random() % 2048
            how = next_random() % 3
            block = slots[at]
            if block is not None and how == 0:
                if size > len(block):
                    block += bytes((size & 255,)) * (size - len(block))
                else:
                    del block[size:]
            else:
                block = slots[at] = bytearray((at,)) * size
            checksum = (checksum + block[size - 1] + block[size // 2] + size) & MASK
        capacity, limit = 8, 64 + next_random() % 512
        vector: list[int] = []
        while len(vector) < limit:
            if len(vector) == capacity:
                capacity *= 2
            vector.append((len(vector) * 7 + round_) & 255)
        checksum = (checksum * 7 + sum(vector[::3]) + capacity) & MASK
    return (checksum + walk(keep)) & MASK


def sortcopy(n: int) -> int:
    """``sortcopy.c`` with lists of records (tuples), ``list.sort`` and ``bisect``."""
    from bisect import bisect_left

    count = 100 + n % 300
    state, checksum = 2024, 0

    def next_random() -> int:
        nonlocal state
        state = (state * 1664525 + 1013904223) & MASK
        return state >> 8

    for round_ in range(n):
        records, ints = [], []
        for i in range(count):
            key = next_random() % 1000
            records.append((key, i, next_random(), i * 3))
            ints.append(next_random() - (1 << 23))
        records.sort()
        keys = [record[0] for record in records]
        for k in range(16):
            probe = next_random() % 1000
            lo = bisect_left(keys, probe)
            checksum += records[lo][1] if lo < count and keys[lo] == probe else 7
            checksum += k * 13 % count  # bsearch finds the probed record where it is
        at = round_ % count
        checksum += records[at][2] + records[count - 1][1]
        copy = records[:]
        for i in range(0, count, 17):
            checksum = (checksum * 31 + copy[i][2]) & MASK
        checksum += (round_ & 255) + (copy[0][0] & 255)
        ints.sort(reverse=True)
        checksum = (checksum * 17 + (ints[0] & MASK) + (ints[count // 2] & MASK)) & MASK
    return checksum & MASK


# ---- vm: the same bytecode, assembled the same way, run by a Python dispatch loop ----

(HALT, PUSH, LOAD, STORE, ADD, SUB, MUL, AND, OR, XOR, SHL, SHRU, LTU, EQ, JMP, JZ, JNZ,
 DUP, DROP, SWAP, INC, CALL, RET, NOP) = range(24)


def _assemble() -> list[int]:
    """The program of ``vm.c``'s ``assemble``: Collatz steps of 1..n mixed into a hash."""
    code: list[int] = []

    def emit(*ops: int) -> int:
        code.extend(ops)
        return len(code) - 1

    emit(PUSH, 0, STORE, 4, PUSH, 1, STORE, 1)
    loop = len(code)
    exit_at = emit(LOAD, 1, LOAD, 0, LTU, JZ, 0)
    call_at = emit(LOAD, 1, STORE, 2, CALL, 0)
    emit(LOAD, 4, PUSH, 31, MUL, LOAD, 3, ADD, LOAD, 2, XOR, DUP, PUSH, 7, SHRU, XOR,
         STORE, 4, INC, 1)
    back = emit(JMP, 0)
    code[back] = loop - len(code)
    code[exit_at] = len(code) - exit_at - 1
    emit(LOAD, 4, HALT)
    code[call_at] = len(code)
    emit(PUSH, 0, STORE, 3)
    top = len(code)
    done_at = emit(LOAD, 2, PUSH, 1, EQ, JNZ, 0)
    even_at = emit(INC, 3, LOAD, 2, PUSH, 1, AND, JZ, 0)
    again = emit(LOAD, 2, DUP, DUP, ADD, ADD, PUSH, 1, ADD, STORE, 2, JMP, 0)
    code[again] = top - len(code)
    code[even_at] = len(code) - even_at - 1
    again = emit(LOAD, 2, PUSH, 1, SHRU, STORE, 2, NOP, JMP, 0)
    code[again] = top - len(code)
    code[done_at] = len(code) - done_at - 1
    emit(RET)
    return code


def vm(n: int) -> int:
    """``vm.c``: interpret the bytecode with an operand stack, registers and a call stack."""
    code = _assemble()
    regs = [0] * 8
    regs[0] = (n + 1) & MASK
    stack: list[int] = []
    returns: list[int] = []
    push, pop = stack.append, stack.pop
    pc = 0
    while True:
        op = code[pc]
        pc += 1
        if op == PUSH:
            push(code[pc] & MASK)
            pc += 1
        elif op == LOAD:
            push(regs[code[pc]])
            pc += 1
        elif op == STORE:
            regs[code[pc]] = pop()
            pc += 1
        elif op == ADD:
            b = pop()
            stack[-1] = (stack[-1] + b) & MASK
        elif op == SUB:
            b = pop()
            stack[-1] = (stack[-1] - b) & MASK
        elif op == MUL:
            b = pop()
            stack[-1] = (stack[-1] * b) & MASK
        elif op == AND:
            b = pop()
            stack[-1] &= b
        elif op == OR:
            b = pop()
            stack[-1] |= b
        elif op == XOR:
            b = pop()
            stack[-1] ^= b
        elif op == SHL:
            b = pop()
            stack[-1] = (stack[-1] << (b & 31)) & MASK
        elif op == SHRU:
            b = pop()
            stack[-1] >>= b & 31
        elif op == LTU:
            b = pop()
            stack[-1] = int(stack[-1] < b)
        elif op == EQ:
            b = pop()
            stack[-1] = int(stack[-1] == b)
        elif op == JMP:
            pc += code[pc] + 1
        elif op == JZ:
            pc += code[pc] + 1 if pop() == 0 else 1
        elif op == JNZ:
            pc += code[pc] + 1 if pop() != 0 else 1
        elif op == DUP:
            push(stack[-1])
        elif op == DROP:
            pop()
        elif op == SWAP:
            stack[-1], stack[-2] = stack[-2], stack[-1]
        elif op == INC:
            regs[code[pc]] = (regs[code[pc]] + 1) & MASK
            pc += 1
        elif op == CALL:
            returns.append(pc + 1)
            pc = code[pc]
        elif op == RET:
            pc = returns.pop()
        elif op == HALT:
            return stack[-1]
        elif op != NOP:
            return 0xDEAD


# ---- coremark: lists, matrix, state machine, CRC-16 ----

def _crc_byte(data: int, crc: int) -> int:
    for _ in range(8):
        x = (data ^ crc) & 1
        data >>= 1
        crc = ((crc ^ 0x4002) >> 1) | 0x8000 if x else crc >> 1
    return crc


def _crc16(value: int, crc: int) -> int:
    value &= 0xFFFF
    return _crc_byte(value >> 8, _crc_byte(value & 0xFF, crc))


def _crc32v(value: int, crc: int) -> int:
    return _crc16(value >> 16, _crc16(value, crc))


def _bench_list(seed: int, crc: int) -> int:
    nodes = [(0, 0)] * 64  # (data, index), in list order
    for i in range(63, -1, -1):
        seed = (seed * 1103515245 + 12345) & MASK
        nodes[i] = ((seed >> 16) & 0x7FFF, i)
    for k in range(8):
        crc = _crc16(nodes[k * 7 % 64][0], crc)
    for data, _ in sorted(nodes):
        crc = _crc16(data, crc)
    return _crc16(63, _crc16(nodes[0][0], crc))


def _bench_matrix(seed: int, crc: int) -> int:
    n = 12
    ma, mb = [0] * (n * n), [0] * (n * n)
    for i in range(n * n):
        seed = (seed * 1664525 + 1013904223) & MASK
        ma[i] = (seed >> 20) - 2048
        mb[i] = ((seed >> 8) & 0xFFF) - 2048
    val = seed & 0xFF
    ma = [x + val for x in ma]
    for x in ma:
        crc = _crc32v(x * val, crc)
    for i in range(n):
        crc = _crc32v(sum(ma[i * n + j] * mb[j] for j in range(n)), crc)
    mc = [sum(ma[i * n + k] * mb[k * n + j] for k in range(n))
          for i in range(n) for j in range(n)]
    for x in mc:
        crc = _crc32v(x, crc)
    for x in mc:
        crc = _crc16(((x >> 2) & 0xF) * ((x >> 5) & 0x7F), crc)
    return crc


_PIECES = ("5012", "1.23", "-874", "+122", "3.5e4", "-.5", "e12", "7E-3", "--1", "0x1f",
           "66", "+0.0", "1e+", ".", "9")
START, INTEGER, FRACTION, EXPONENT, SIGNED_EXP, SCIENTIFIC, INVALID = range(7)


def _next_state(state: int, c: str) -> int:
    digit = "0" <= c <= "9"
    if state == START:
        if digit or c in "+-":
            return INTEGER
        return FRACTION if c == "." else INVALID
    if state == INTEGER:
        if digit:
            return INTEGER
        return FRACTION if c == "." else EXPONENT if c in "eE" else INVALID
    if state == FRACTION:
        return FRACTION if digit else EXPONENT if c in "eE" else INVALID
    if state == EXPONENT:
        return SIGNED_EXP if c in "+-" else SCIENTIFIC if digit else INVALID
    if state in (SIGNED_EXP, SCIENTIFIC):
        return SCIENTIFIC if digit else INVALID
    return INVALID


def _bench_state(seed: int, crc: int) -> int:
    text: list[str] = []
    while len(text) < 246:
        seed = (seed * 1103515245 + 12345) & MASK
        text.extend(_PIECES[(seed >> 16) % 15])
        text.append(",")
    counts, transitions = [0] * 7, 0
    for _ in range(2):
        state = START
        for c in text:
            if c == ",":
                counts[state] += 1
                state = START
                continue
            following = _next_state(state, c)
            transitions += following != state
            state = following
        for i in range(0, len(text), 7):
            if text[i] != ",":
                text[i] = chr(ord(text[i]) ^ 1)
    for count in counts:
        crc = _crc16(count, crc)
    return _crc16(transitions, crc)


def coremark(n: int) -> int:
    """``coremark.c``: n iterations of list, matrix and state-machine work, CRC-chained."""
    crc = total = 0
    for i in range(n):
        seed = (0x3415 + i * 0x9E3779B9) & MASK
        crc = _bench_state(seed, _bench_matrix(seed, _bench_list(seed, crc)))
        total = (total * 31 + crc) & MASK
    return total


PROGRAM_FUNCTIONS: dict[str, Callable[[int], int | float]] = {
    f.__name__: f for f in (gemm, jacobi2d, nussinov, coremark, strhash, vm, mallocs,
                            sortcopy)}
"""The hand-written versions by program name."""
