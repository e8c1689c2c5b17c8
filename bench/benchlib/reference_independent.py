"""Hand-written Python versions of some independent programs (``bench/c/independent``).

Each returns the same checksum as the C program's ``run(n)`` (unsigned 32-bit, or the
float for ``nbody``), written the way a Python programmer would: tuples for tree nodes,
``sorted``, :mod:`hashlib` and :mod:`zlib` for the hashes, lists of floats. Programs
whose C relies on 32-bit float rounding or on byte-level memory layout (mandel, lz,
lists, ...) have no Python version.
"""

from __future__ import annotations

import hashlib
import math
import sys
import zlib
from collections.abc import Callable

__all__ = ["INDEPENDENT_FUNCTIONS", "hashes", "nbody", "recur", "sorts"]

_M32 = 0xFFFFFFFF


def _fib(n: int) -> int:
    return n if n < 2 else _fib(n - 1) + _fib(n - 2)


def _ack(m: int, n: int) -> int:
    if m == 0:
        return n + 1
    if n == 0:
        return _ack(m - 1, 1)
    return _ack(m - 1, _ack(m, n - 1))


def _build(depth: int, v: int) -> tuple:
    if depth == 0:
        return (v, None, None)
    return (v, _build(depth - 1, 2 * v), _build(depth - 1, 2 * v + 1))


def _check(tree: tuple) -> int:
    v, left, right = tree
    if left is None:
        return v
    return (v + 3 * _check(left) - _check(right)) & _M32


def _queens(row: int, n: int, cols: int, d1: int, d2: int) -> int:
    if row == n:
        return 1
    count = 0
    for c in range(n):
        a, b, e = 1 << c, 1 << (row + c), 1 << (row - c + n)
        if cols & a or d1 & b or d2 & e:
            continue
        count += _queens(row + 1, n, cols | a, d1 | b, d2 | e)
    return count


def recur(n: int) -> int:
    """``recur.c``: fib, Ackermann, tuple trees and N-queens mixed into a hash."""
    if sys.getrecursionlimit() < 2000:
        sys.setrecursionlimit(2000)
    h = 0
    for i in range(n):
        h = (h * 31 + _fib(14 + i % 4)) & _M32
        h = (h * 31 + _ack(2, 20 + i % 7)) & _M32
        h = (h * 31 + _check(_build(8 + i % 3, i))) & _M32
        h = (h * 31 + _queens(0, 6 + i % 2, 0, 0, 0)) & _M32
    return h


_BODIES = (
    (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    (4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
     9.54791938424326609e-04),
    (8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
     2.85885980666130812e-04),
    (1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
     4.36624404335156298e-05),
    (1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
     5.15138902046611451e-05))


def _energy(b: list[list[float]]) -> float:
    e = 0.0
    for i, (x, y, z, vx, vy, vz, m) in enumerate(b):
        e += 0.5 * m * (vx * vx + vy * vy + vz * vz)
        for other in b[i + 1:]:
            dx, dy, dz = x - other[0], y - other[1], z - other[2]
            e -= m * other[6] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def _advance(b: list[list[float]], dt: float) -> None:
    for i, bi in enumerate(b):
        for bj in b[i + 1:]:
            dx, dy, dz = bi[0] - bj[0], bi[1] - bj[1], bi[2] - bj[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            bi[3] -= dx * bj[6] * mag
            bi[4] -= dy * bj[6] * mag
            bi[5] -= dz * bj[6] * mag
            bj[3] += dx * bi[6] * mag
            bj[4] += dy * bi[6] * mag
            bj[5] += dz * bi[6] * mag
    for body in b:
        body[0] += dt * body[3]
        body[1] += dt * body[4]
        body[2] += dt * body[5]


def _spectral(n: int) -> float:
    def a(i: int, j: int) -> float:
        return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)

    def times(v: list[float], transposed: bool) -> list[float]:
        out = []
        for i in range(n):
            s = 0.0
            for j in range(n):
                s += (a(j, i) if transposed else a(i, j)) * v[j]
            out.append(s)
        return out

    u = [1.0] * n
    v = u
    for _ in range(4):
        v = times(times(u, False), True)
        u = times(times(v, False), True)
    vbv = vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


def nbody(n: int) -> float:
    """``nbody.c``: 100 n steps of the five-body simulation, energies, spectral norm."""
    solar_mass = 4 * math.pi * math.pi
    days = 365.24
    b = [[x, y, z, vx * days, vy * days, vz * days, m * solar_mass]
         for x, y, z, vx, vy, vz, m in _BODIES]
    px = py = pz = 0.0
    for body in b:
        px += body[3] * body[6]
        py += body[4] * body[6]
        pz += body[5] * body[6]
    b[0][3], b[0][4], b[0][5] = -px / solar_mass, -py / solar_mass, -pz / solar_mass
    e0 = _energy(b)
    for _ in range(n * 100):
        _advance(b, 0.01)
    return e0 + _energy(b) + _spectral(16 + n % 48)


def sorts(n: int) -> int:
    """``sorts.c``: n rounds of sorting pseudo-random ints (``sorted``), hashed."""
    seed, h = 42, 0
    length = 64 + (n * 37) % 1000
    for _ in range(n):
        values = []
        for _ in range(length):
            seed = (seed * 1664525 + 1013904223) & _M32
            values.append(seed % 10000 - 5000)
        for value in sorted(values):
            h = (h * 31 + value) & _M32
    return h


def hashes(n: int) -> int:
    """``hashes.c``: SHA-256 (:mod:`hashlib`), CRC-32 (:mod:`zlib`) and FNV-1a 64."""
    data = bytearray((i * 131 + (i >> 5)) & 0xFF for i in range(4096))
    h = 0
    for r in range(n):
        length = 100 + (r * 97) % 900
        data[r % 4096] ^= r & 0xFF
        chunk = bytes(data[:length])
        digest = hashlib.sha256(chunk).digest()
        for k in range(0, 32, 4):
            h = (h * 31 + int.from_bytes(digest[k:k + 4], "big")) & _M32
        h ^= zlib.crc32(chunk)
        f = 0xCBF29CE484222325
        for byte in chunk:
            f = ((f ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
        f ^= f >> 33
        f = (f * 0xFF51AFD7ED558CCD) & 0xFFFFFFFFFFFFFFFF
        f ^= f >> 33
        h = (h + ((f & _M32) ^ (f >> 32))) & _M32
    return h


INDEPENDENT_FUNCTIONS: dict[str, Callable[[int], int | float]] = {
    "recur": recur, "nbody": nbody, "sorts": sorts, "hashes": hashes}
"""The Python versions by name (:data:`benchlib.reference.FUNCTIONS` includes them)."""
