"""Tests of wasmem.exec.numeric.simd: the SIMD lane operators, against wasmtime.

wasmtime-py cannot pass v128 values, so every operator gets a batch function in one module
that loads its operands from arrays in memory (16-byte slots; scalars use their own load,
so NaN bits stay exact) and stores the result the same way.  Operators with a lane
immediate get one function per lane; ``i8x16.shuffle`` a few fixed patterns.

Results are compared bit for bit, except that a float lane whose NaN result the spec lets
vary must be a NaN obeying the NaN propagation rule on the operand lanes.  Relaxed SIMD
operators are left out here (wasmtime picks the hardware's choice, wasmem the
deterministic one); the spec's ``either`` results check them in ``test_numeric_spec.py``.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasmem.exec import numeric
from wasmem.exec.numeric.simd import SIMD_OPS, simd_names
from wasmem.syntax.opcodes import BY_NAME, Imm

wasmtime = pytest.importorskip("wasmtime")

M128 = (1 << 128) - 1
N = 1024
SLOT = 16 * N
SHUFFLES = [
    tuple(range(16)),
    tuple(range(16, 32)),
    (31, 0, 30, 1, 29, 2, 28, 3, 27, 4, 26, 5, 25, 6, 24, 7),
    (5, 5, 5, 5, 17, 17, 17, 17, 0, 31, 8, 23, 15, 16, 1, 2),
]
LANE_COUNT = {"i8x16": 16, "i16x8": 8, "i32x4": 4, "i64x2": 2, "f32x4": 4, "f64x2": 2}
BYTES = {"i32": 4, "i64": 8, "f32": 4, "f64": 8, "v128": 16}

NAN_VARIES = {
    f"{shape}.{op}" for shape in ("f32x4", "f64x2")
    for op in ("add", "sub", "mul", "div", "sqrt", "min", "max", "ceil", "floor", "trunc",
               "nearest")
} | {"f32x4.demote_f64x2_zero", "f64x2.promote_low_f32x4"}

# (test id, op name, immediate or None)
CASES: list[tuple[str, str, Any]] = []
for _name in simd_names():
    if "relaxed" in _name:
        continue
    _info = BY_NAME[_name]
    if _info.imm is Imm.LANE:
        for _index in range(LANE_COUNT[_name.split(".")[0]]):
            CASES.append((f"{_name}-{_index}", _name, _index))
    elif _info.imm is Imm.SHUFFLE:
        for _i, _pattern in enumerate(SHUFFLES):
            CASES.append((f"{_name}-{_i}", _name, _pattern))
    else:
        CASES.append((_name, _name, None))
CASE_IDS = [case[0] for case in CASES]


def _types(name: str) -> tuple[list[str], str]:
    info = BY_NAME[name]
    if not info.results:
        raise ValueError(f"{name} has no result")
    return [str(t) for t in info.params or ()], str(info.results[0])


def _batch(case_id: str, name: str, immediate: Any) -> str:
    params, result = _types(name)
    loads = " ".join(f"({t}.load offset={k * SLOT} (local.get $p))" for k, t in enumerate(params))
    if immediate is None:
        text_imm = ""
    elif isinstance(immediate, int):
        text_imm = f" {immediate}"
    else:
        text_imm = " " + " ".join(str(i) for i in immediate)
    return f"""(func (export "{case_id}") (param $n i32) (local $i i32) (local $p i32)
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (local.set $p (i32.shl (local.get $i) (i32.const 4)))
    ({result}.store offset={3 * SLOT} (local.get $p) ({name}{text_imm} {loads}))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))"""


class Oracle:
    """The compiled wasmtime module: batch functions over arrays of bit patterns."""

    def __init__(self) -> None:
        pages = (4 * SLOT + 65535) // 65536
        text = "\n".join([f'(module (memory (export "memory") {pages})',
                          *(_batch(*case) for case in CASES), ")"])
        engine = wasmtime.Engine()
        self.store = wasmtime.Store(engine)
        module = wasmtime.Module(engine, wasmtime.wat2wasm(text))
        instance = wasmtime.Instance(self.store, module, [])
        self.exports = instance.exports(self.store)
        self.memory = self.exports["memory"]

    def batch(self, case_id: str, name: str, rows: Sequence[Sequence[int]]) -> list[int]:
        params, result = _types(name)
        for k, t in enumerate(params):
            data = b"".join(row[k].to_bytes(BYTES[t], "little").ljust(16, b"\0") for row in rows)
            self.memory.write(self.store, data, k * SLOT)
        self.exports[case_id](self.store, len(rows))
        out = bytes(self.memory.read(self.store, 3 * SLOT, 3 * SLOT + 16 * len(rows)))
        size = BYTES[result]
        return [int.from_bytes(out[16 * i:16 * i + size], "little") for i in range(len(rows))]


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle()


# ---------------------------------------------------------------- our side and the rule

def _from_bits(t: str, bits: int) -> Any:
    if t == "f32":
        return numeric.f32_from_bits(bits)
    if t == "f64":
        return numeric.f64_from_bits(bits)
    return bits


def _to_bits(t: str, value: Any) -> int:
    if t == "f32":
        return numeric.f32_to_bits(value)
    if t == "f64":
        return numeric.f64_to_bits(value)
    limit = 1 << (8 * BYTES[t])
    if type(value) is not int or not 0 <= value < limit:
        raise AssertionError(f"{value!r} is not a {t} value")
    return value


def ours(name: str, immediate: Any, row: Sequence[int]) -> int:
    params, result = _types(name)
    args = [_from_bits(t, bits) for t, bits in zip(params, row, strict=True)]
    if immediate is not None:
        args.append(immediate)
    return _to_bits(result, SIMD_OPS[name](*args))


def _nan_class(width: int, bits: int) -> str | None:
    mantissa_bits = 23 if width == 32 else 52
    exponent_mask = (1 << (width - 1 - mantissa_bits)) - 1
    mantissa = bits & ((1 << mantissa_bits) - 1)
    if (bits >> mantissa_bits) & exponent_mask != exponent_mask or not mantissa:
        return None
    quiet = 1 << (mantissa_bits - 1)
    if mantissa == quiet:
        return "canonical"
    return "arithmetic" if mantissa & quiet else "signalling"


def _lane(v: int, width: int, i: int) -> int:
    return (v >> (i * width)) & ((1 << width) - 1)


def check(name: str, row: Sequence[int], theirs: int, mine: int) -> None:
    where = f"{name}({', '.join(hex(a) for a in row)})"
    if theirs == mine:
        return
    assert name in NAN_VARIES, f"{where}: wasmtime {theirs:#x}, wasmem {mine:#x}"
    width = 64 if name.startswith("f64x2") else 32
    source_width = {"f32x4.demote_f64x2_zero": 64, "f64x2.promote_low_f32x4": 32}.get(name, width)
    for i in range(128 // width):
        t, m = _lane(theirs, width, i), _lane(mine, width, i)
        if t == m:
            continue
        assert _nan_class(width, t) is not None, f"{where}: lane {i}: {t:#x} vs {m:#x}"
        mine_class = _nan_class(width, m)
        assert mine_class is not None, f"{where}: lane {i}: wasmtime NaN, wasmem {m:#x}"
        inputs = [_nan_class(source_width, _lane(v, source_width, i)) for v in row]
        if all(c in (None, "canonical") for c in inputs):
            assert mine_class == "canonical", f"{where}: lane {i}: {m:#x} not canonical"
        else:
            assert mine_class != "signalling", f"{where}: lane {i}: {m:#x} not arithmetic"


# ---------------------------------------------------------------- inputs

def _special_lanes(width: int) -> list[int]:
    top = 1 << (width - 1)
    mask = (1 << width) - 1
    values = {0, 1, 2, mask, mask - 1, top, top - 1, top + 1, top >> 1, (top >> 1) + 1}
    if width == 32:
        values |= {0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0001, 0x3F80_0000,
                   0x3F00_0000, 0xBFC0_0000, 0x4F00_0000, 0xCF00_0000, 0x4F80_0000, 0x0000_0001,
                   0x4EFF_FFFF, 0x7F7F_FFFF, 0x8000_0000, 0x3FC0_0000, 0x4020_0000}
    if width == 64:
        values |= {0x7FF0_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0001,
                   0x3FF0_0000_0000_0000, 0x3FE0_0000_0000_0000, 0x41E0_0000_0000_0000,
                   0xC1E0_0000_0000_0000, 0x41F0_0000_0000_0000, 0x47EF_FFFF_E000_0000,
                   0x47EF_FFFF_F000_0000, 0x3FF8_0000_0000_0000, 0x0000_0000_0000_0001}
    return sorted(values)


SPECIAL_LANES = {w: _special_lanes(w) for w in (8, 16, 32, 64)}


def _vector(rng: random.Random) -> int:
    """A v128 of random bits, or of special lanes of one random width."""
    if rng.random() < 0.3:
        return rng.getrandbits(128)
    width = rng.choice((8, 16, 32, 64))
    value = 0
    for i in range(128 // width):
        lane = rng.choice(SPECIAL_LANES[width]) if rng.random() < 0.8 else rng.getrandbits(width)
        value |= lane << (i * width)
    return value


def _scalar(rng: random.Random, t: str) -> int:
    width = 8 * BYTES[t]
    choice = rng.random()
    if choice < 0.3:
        return rng.randrange(0, 140)
    if choice < 0.6:
        return rng.choice(SPECIAL_LANES[width])
    return rng.getrandbits(width)


def _rows(name: str, rng: random.Random, count: int) -> list[tuple[int, ...]]:
    params, _ = _types(name)
    return [
        tuple(_vector(rng) if t == "v128" else _scalar(rng, t) for t in params)
        for _ in range(count)
    ]


# ---------------------------------------------------------------- tests

def test_table_covers_the_simd_rows() -> None:
    assert list(SIMD_OPS) == simd_names()
    assert "v128.const" not in SIMD_OPS and "v128.load" not in SIMD_OPS
    assert len(SIMD_OPS) == 233


@pytest.mark.parametrize(("case_id", "name", "immediate"), CASES, ids=CASE_IDS)
def test_random_batch(oracle: Oracle, case_id: str, name: str, immediate: Any) -> None:
    rows = _rows(name, random.Random(case_id), N if immediate is None else N // 4)
    for row, theirs in zip(rows, oracle.batch(case_id, name, rows), strict=True):
        check(name, row, theirs, ours(name, immediate, row))


def _v128_strategy() -> st.SearchStrategy[int]:
    def lanes_of(width: int) -> st.SearchStrategy[int]:
        lane = st.one_of(st.sampled_from(SPECIAL_LANES[width]), st.integers(0, (1 << width) - 1))
        return st.lists(lane, min_size=128 // width, max_size=128 // width).map(
            lambda xs: sum(x << (i * width) for i, x in enumerate(xs)))

    return st.one_of(st.integers(0, M128), st.sampled_from((8, 16, 32, 64)).flatmap(lanes_of))


@pytest.mark.parametrize(("case_id", "name", "immediate"),
                         [case for case in CASES if case[2] is None],
                         ids=[case[0] for case in CASES if case[2] is None])
def test_hypothesis(oracle: Oracle, case_id: str, name: str, immediate: Any) -> None:
    params, _ = _types(name)
    strategies = [
        _v128_strategy() if t == "v128" else st.integers(0, (1 << (8 * BYTES[t])) - 1)
        for t in params
    ]

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.tuples(*strategies))
    def run(row: tuple[int, ...]) -> None:
        (theirs,) = oracle.batch(case_id, name, [row])
        check(name, row, theirs, ours(name, immediate, row))

    run()


# ---------------------------------------------------------------- a few exact values

def _i8(*lanes: int) -> int:
    return int.from_bytes(struct.pack("<16b", *lanes), "little")


def test_hand_checked_values() -> None:
    ops = SIMD_OPS
    assert ops["i8x16.add_sat_s"](_i8(*[100] * 16), _i8(*[100] * 16)) == _i8(*[127] * 16)
    assert ops["i8x16.abs"](_i8(*[-128] * 16)) == _i8(*[-128] * 16)
    assert ops["i8x16.popcnt"](M128) == _i8(*[8] * 16)
    assert ops["i8x16.bitmask"](_i8(-1, 0, -1, *[0] * 13)) == 0b101
    assert ops["i8x16.swizzle"](_i8(*range(16)), _i8(15, 16, -1, 0, *[1] * 12)) == \
        _i8(15, 0, 0, 0, *[1] * 12)
    assert ops["i16x8.q15mulr_sat_s"](0x8000 * 0x0001_0001_0001_0001_0001_0001_0001_0001,
                                      0x8000 * 0x0001_0001_0001_0001_0001_0001_0001_0001) == \
        0x7FFF * 0x0001_0001_0001_0001_0001_0001_0001_0001
    snan = 0x7FA0_0001
    vector = snan | 0xFFC0_0000 << 32
    assert ops["f32x4.abs"](vector) == (snan | 0x7FC0_0000 << 32)
    assert numeric.f32_to_bits(ops["f32x4.extract_lane"](vector, 0)) == snan
    assert ops["f32x4.replace_lane"](0, numeric.f32_from_bits(snan), 3) == snan << 96
    assert ops["f64x2.splat"](numeric.f64_from_bits(0x7FF4_0000_0000_0001)) == \
        0x7FF4_0000_0000_0001 * (1 + (1 << 64))
    assert ops["i64x2.shr_s"](1 << 127, 65) == (0xC000_0000_0000_0000 << 64)
