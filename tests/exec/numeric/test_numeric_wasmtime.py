"""Differential tests of wasmem.exec.numeric against wasmtime (the reference engine).

One module holds, for every numeric instruction, an exported function that takes and
returns *bit patterns* (f32 as i32, f64 as i64, converted with ``reinterpret`` inside the
module, so NaN payloads cross the wasmtime-py boundary intact), and, for the instructions
that cannot trap, a batch function that applies the instruction to arrays of bit patterns
in memory (thousands of inputs per call).

Results are compared bit for bit, except where the spec lets a NaN result vary
("Numerics / NaN Propagation"): there both engines must return a NaN and ours must obey
the rule (canonical when every NaN operand is canonical, arithmetic otherwise).  Traps
must agree in kind and message.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasmem.errors import Trap, TrapMessage
from wasmem.exec import numeric
from wasmem.syntax.opcodes import OPCODES, OpInfo

wasmtime = pytest.importorskip("wasmtime")

OPS = {name: OPCODES[key] for key in numeric.numeric_keys() for name in [OPCODES[key].name]}
NAMES = list(OPS)

# operators whose NaN results may vary within the spec's NaN propagation rule
NAN_VARIES = {
    f"{t}.{op}" for t in ("f32", "f64")
    for op in ("add", "sub", "mul", "div", "sqrt", "min", "max", "ceil", "floor", "trunc",
               "nearest")
} | {"f32.demote_f64", "f64.promote_f32"}
TRAPPING = {
    name for name in NAMES
    if name.split(".")[1] in ("div_s", "div_u", "rem_s", "rem_u")
    or (".trunc_f" in name)
}
BATCH = [name for name in NAMES if name not in TRAPPING]

BITS = {"i32": 32, "i64": 64, "f32": 32, "f64": 64}
CARRIER = {"i32": "i32", "i64": "i64", "f32": "i32", "f64": "i64"}
N = 4096  # inputs per batch call
SLOT = 8 * N  # bytes per argument / result array

TRAP_CODES = {
    "INTEGER_DIVISION_BY_ZERO": TrapMessage.INTEGER_DIVIDE_BY_ZERO,
    "INTEGER_OVERFLOW": TrapMessage.INTEGER_OVERFLOW,
    "BAD_CONVERSION_TO_INTEGER": TrapMessage.INVALID_CONVERSION,
}


# ---------------------------------------------------------------- the module

def _result(info: OpInfo) -> str:
    """The one result type of a numeric instruction, as text."""
    if not info.results:
        raise ValueError(f"{info.name} has no result")
    return str(info.results[0])


def _single(name: str) -> str:
    info = OPS[name]
    params = [str(t) for t in info.params or ()]
    result = _result(info)
    body = []
    for i, t in enumerate(params):
        get = f"(local.get {i})"
        body.append(f"(f{BITS[t]}.reinterpret_i{BITS[t]} {get})" if t[0] == "f" else get)
    expr = f"({name} {' '.join(body)})"
    if result[0] == "f":
        expr = f"(i{BITS[result]}.reinterpret_f{BITS[result]} {expr})"
    sig = " ".join(f"(param {CARRIER[t]})" for t in params)
    return f'(func (export "{name}") {sig} (result {CARRIER[result]}) {expr})'


def _batch(name: str) -> str:
    info = OPS[name]
    params = [str(t) for t in info.params or ()]
    result = _result(info)
    loads = " ".join(f"({t}.load offset={k * SLOT} (local.get $p))" for k, t in enumerate(params))
    expr = f"({name} {loads})"
    if result == "f32":
        expr = f"(i32.reinterpret_f32 {expr})"
    elif result == "f64":
        expr = f"(i64.reinterpret_f64 {expr})"
    if CARRIER[result] == "i32":
        expr = f"(i64.extend_i32_u {expr})"
    return f"""(func (export "batch:{name}") (param $n i32) (local $i i32) (local $p i32)
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (local.set $p (i32.shl (local.get $i) (i32.const 3)))
    (i64.store offset={3 * SLOT} (local.get $p) {expr})
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))"""


class Oracle:
    """The compiled wasmtime module and helpers to call it with bit patterns."""

    def __init__(self) -> None:
        parts = ["(module (memory (export \"memory\") 2)"]
        parts += [_single(name) for name in NAMES]
        parts += [_batch(name) for name in BATCH]
        parts.append(")")
        engine = wasmtime.Engine()
        self.store = wasmtime.Store(engine)
        module = wasmtime.Module(engine, wasmtime.wat2wasm("\n".join(parts)))
        instance = wasmtime.Instance(self.store, module, [])
        self.exports = instance.exports(self.store)
        self.memory = self.exports["memory"]

    def call(self, name: str, args: Sequence[int]) -> int | str:
        """Return the result bit pattern, or the trap message."""
        info = OPS[name]
        signed = []
        for t, a in zip(info.params or (), args, strict=True):
            width = BITS[str(t)]
            signed.append(a - (1 << width) if a >> (width - 1) else a)
        try:
            result = self.exports[name](self.store, *signed)
        except wasmtime.Trap as trap:
            code = trap.trap_code
            return TRAP_CODES.get(code.name if code is not None else "", str(trap))
        width = BITS[_result(info)]
        return int(result) & ((1 << width) - 1)

    def batch(self, name: str, columns: Sequence[Sequence[int]]) -> list[int]:
        """Apply ``name`` to rows of bit patterns (one column per operand)."""
        count = len(columns[0])
        if count > N:
            raise ValueError("batch too large")
        for k, column in enumerate(columns):
            self.memory.write(self.store, struct.pack(f"<{count}Q", *column), k * SLOT)
        self.exports[f"batch:{name}"](self.store, count)
        data = bytes(self.memory.read(self.store, 3 * SLOT, 3 * SLOT + 8 * count))
        results = list(struct.unpack(f"<{count}Q", data))
        width = BITS[_result(OPS[name])]
        return [r & ((1 << width) - 1) for r in results]


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle()


# ---------------------------------------------------------------- our side, and the rule

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
    if type(value) is not int or not 0 <= value < 1 << BITS[t]:
        raise AssertionError(f"{value!r} is not an {t} value")
    return value


def ours(name: str, args: Sequence[int]) -> int | str:
    """Our result bit pattern, or trap message."""
    info = OPS[name]
    values = [_from_bits(str(t), a) for t, a in zip(info.params or (), args, strict=True)]
    try:
        result = numeric.NUMERIC_OPS[name](*values)
    except Trap as trap:
        return trap.message
    return _to_bits(_result(info), result)


def _nan_class(t: str, bits: int) -> str | None:
    """"canonical", "arithmetic", "signalling", or None for a non-NaN."""
    width = BITS[t]
    mantissa_bits = 23 if width == 32 else 52
    exponent = (bits >> mantissa_bits) & ((1 << (width - 1 - mantissa_bits)) - 1)
    mantissa = bits & ((1 << mantissa_bits) - 1)
    if exponent != (1 << (width - 1 - mantissa_bits)) - 1 or not mantissa:
        return None
    quiet = 1 << (mantissa_bits - 1)
    if mantissa == quiet:
        return "canonical"
    return "arithmetic" if mantissa & quiet else "signalling"


def check(name: str, args: Sequence[int], theirs: int | str, mine: int | str) -> None:
    """Assert that our result agrees with wasmtime's under the spec's rules."""
    info = OPS[name]
    result_type = _result(info)
    where = f"{name}({', '.join(hex(a) for a in args)})"
    if isinstance(theirs, str) or isinstance(mine, str):
        assert mine == theirs, f"{where}: wasmtime {theirs!r}, wasmem {mine!r}"
        return
    their_class = _nan_class(result_type, theirs) if result_type[0] == "f" else None
    if name in NAN_VARIES and their_class is not None:
        mine_class = _nan_class(result_type, mine)
        assert mine_class is not None, f"{where}: wasmtime NaN {theirs:#x}, wasmem {mine:#x}"
        input_classes = [
            _nan_class(str(t), a) for t, a in zip(info.params or (), args, strict=True)
        ]
        if all(c in (None, "canonical") for c in input_classes):
            assert mine_class == "canonical", f"{where}: {mine:#x} is not canonical"
        else:
            assert mine_class in ("canonical", "arithmetic"), (
                f"{where}: {mine:#x} is not an arithmetic NaN")
        return
    assert mine == theirs, f"{where}: wasmtime {theirs:#x}, wasmem {mine:#x}"


# ---------------------------------------------------------------- inputs

def _f32(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


def _f64(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


F32_SPECIAL = sorted({
    0, 0x8000_0000, 1, 0x8000_0001, 0x007F_FFFF, 0x807F_FFFF, 0x0080_0000, 0x8080_0000,
    0x7F7F_FFFF, 0xFF7F_FFFF, 0x7F80_0000, 0xFF80_0000,
    0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0000, 0xFFA0_0000, 0x7F80_0001, 0xFF80_0001,
    0x7FC0_0001, 0x7FBF_FFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x7F80_0100,
    *(_f32(x) for x in (
        0.5, -0.5, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5, 3.5, 0.49999997, -0.49999997,
        0.99999994, -0.99999994, 1.0000001, 8388607.5, 8388608.0, 8388609.0, 16777216.0,
        16777218.0, -8388607.5, 2147483520.0, 2147483648.0, -2147483648.0, -2147483904.0,
        4294967040.0, 4294967296.0, 9223371487098961920.0, 9223372036854775808.0,
        -9223372036854775808.0, -9223373136366403584.0, 18446742974197923840.0,
        18446744073709551616.0, 3.4028234e38, 1e-45, 1.1754942e-38, 6.2831855, 0.1,
        -0.1, 1e10, 123456.789,
    )),
})
F64_SPECIAL = sorted({
    0, 1 << 63, 1, (1 << 63) | 1, 0x000F_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000,
    0x7FEF_FFFF_FFFF_FFFF, 0xFFEF_FFFF_FFFF_FFFF, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
    0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0xFFF4_0000_0000_0000,
    0x7FF0_0000_0000_0001, 0xFFF0_0000_0000_0001, 0x7FF8_0000_0000_0001,
    0x7FF0_0000_2000_0000, 0x7FF0_0000_1FFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, 0x7FF7_FFFF_E000_0000,
    *(_f64(x) for x in (
        0.5, -0.5, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
        0.9999999999999999, -0.9999999999999999, 4503599627370495.5, 4503599627370496.0,
        4503599627370497.0, -4503599627370495.5, 9007199254740993.0,
        2147483647.0, 2147483647.9999998, 2147483648.0, -2147483648.0, -2147483648.9999995,
        -2147483649.0, 4294967295.0, 4294967295.9999995, 4294967296.0, -0.9999999999999999,
        9223372036854774784.0, 9223372036854775808.0, -9223372036854775808.0,
        -9223372036854777856.0, 18446744073709549568.0, 18446744073709551616.0,
        3.4028234663852886e38, 3.4028235677973366e38, 3.402823567797337e38,
        3.4028235677973362e38, 1.401298464324817e-45, 7.006492321624085e-46,
        7.006492321624087e-46, 2.1019476964872256e-45, 1.1754942807573643e-38,
        1.1754943508222875e-38, 1.7976931348623157e308, 5e-324, 0.1, -0.1, 1e300, -1e300,
    )),
})
I32_SPECIAL = sorted({
    0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000,
    0xFFFF, 0x10000, 0x00FF_FFFF, 0x0100_0000, 0x0100_0001, 0x0100_0003, 0x7FFF_FF80,
    0x7FFF_FFC0, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0x8000_0040, 0xFFFF_FF80, 0xFFFF_FFFE,
    0xFFFF_FFFF, 0xDEAD_BEEF, 0x1234_5678, 0xAAAA_AAAA, 0x5555_5555,
})
I64_SPECIAL = sorted({
    *I32_SPECIAL, 0x0000_0001_0000_0000, 0x0020_0000_0000_0000, 0x0020_0000_0000_0001,
    0x0020_0000_2000_0000, 0x0020_0000_2000_0001, 0x0020_0000_6000_0000,
    0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0x8000_0000_0000_0001,
    0x8000_0080_0000_0001, 0x7FFF_FF40_0000_0000, 0x7FFF_FF40_0000_0001,
    0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FF80_0000_0000,
    0xFFFF_FFFF_7FFF_FFFF, 0xFFFF_FFFF_8000_0000, 0x0000_0000_FFFF_FFFF, 0x0123_4567_89AB_CDEF,
    0xFEDC_BA98_7654_3210, 0x8000_0000_7FFF_FFFF,
})
SPECIAL = {"i32": I32_SPECIAL, "i64": I64_SPECIAL, "f32": F32_SPECIAL, "f64": F64_SPECIAL}


def _rounding_cases(rng: random.Random) -> list[int]:
    """i64 values at, next to and just past the f32/f64 rounding ties."""
    cases = []
    for length in range(25, 65):
        for keep in (24, 53):
            if length <= keep:
                continue
            head = rng.getrandbits(keep) | (1 << (keep - 1))
            base = head << (length - keep)
            half = 1 << (length - keep - 1)
            for delta in (0, half - 1, half, half + 1, 2 * half - 1, 1):
                cases.append((base + delta) & ((1 << 64) - 1))
                cases.append((-(base + delta)) & ((1 << 64) - 1))
    return cases


def _strategy(t: str) -> st.SearchStrategy[int]:
    width = BITS[t]
    choices: list[st.SearchStrategy[int]] = [
        st.integers(0, (1 << width) - 1),
        st.sampled_from(SPECIAL[t]),
    ]
    if t == "f32":
        choices.append(st.floats(width=32).map(_f32))
        choices.append(st.floats(-1e10, 1e10, width=32).map(_f32))
    elif t == "f64":
        choices.append(st.floats().map(_f64))
        choices.append(st.floats(-1e20, 1e20).map(_f64))
    else:
        choices.append(st.integers(-300, 300).map(lambda v: v & ((1 << width) - 1)))
    return st.one_of(choices)


# ---------------------------------------------------------------- tests

@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_specials(oracle: Oracle, name: str) -> None:
    """Every combination of the interesting values (all pairs for binary operators)."""
    info = OPS[name]
    params = [str(t) for t in info.params or ()]
    rows: list[tuple[int, ...]]
    if len(params) == 1:
        rows = [(v,) for v in SPECIAL[params[0]]]
        if params[0] == "i64":
            rows += [(v,) for v in _rounding_cases(random.Random(7))]
    else:
        rows = [(a, b) for a in SPECIAL[params[0]] for b in SPECIAL[params[1]]]
    if name in TRAPPING:
        for row in rows:
            check(name, row, oracle.call(name, row), ours(name, row))
        return
    for start in range(0, len(rows), N):
        chunk = rows[start:start + N]
        columns = [[row[k] for row in chunk] for k in range(len(params))]
        for row, theirs in zip(chunk, oracle.batch(name, columns), strict=True):
            check(name, row, theirs, ours(name, row))


@pytest.mark.parametrize("name", BATCH, ids=BATCH)
def test_random_batch(oracle: Oracle, name: str) -> None:
    """4096 random bit patterns per operand (a fixed seed per operator)."""
    rng = random.Random(name)
    params = [str(t) for t in OPS[name].params or ()]
    columns = [[rng.getrandbits(BITS[t]) for _ in range(N)] for t in params]
    rows = list(zip(*columns, strict=True))
    for row, theirs in zip(rows, oracle.batch(name, columns), strict=True):
        check(name, row, theirs, ours(name, row))


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_hypothesis(oracle: Oracle, name: str) -> None:
    """Hypothesis-chosen operands, one wasmtime call each."""
    params = [str(t) for t in OPS[name].params or ()]

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.tuples(*(_strategy(t) for t in params)))
    def run(args: tuple[int, ...]) -> None:
        check(name, args, oracle.call(name, args), ours(name, args))

    run()


def test_trap_messages_match_wasmtime(oracle: Oracle) -> None:
    """The three numeric trap kinds, spelled as the spec spells them."""
    assert oracle.call("i32.div_u", (1, 0)) == ours("i32.div_u", (1, 0)) == \
        "integer divide by zero"
    assert oracle.call("i64.div_s", (1 << 63, (1 << 64) - 1)) == "integer overflow"
    assert ours("i64.div_s", (1 << 63, (1 << 64) - 1)) == "integer overflow"
    nan = 0x7FC0_0000
    assert oracle.call("i32.trunc_f32_s", (nan,)) == ours("i32.trunc_f32_s", (nan,)) == \
        "invalid conversion to integer"


def test_oracle_check_can_fail() -> None:
    """The comparison itself rejects a wrong NaN class and a wrong value."""
    with pytest.raises(AssertionError):
        check("f32.add", (0, 0), 0x7FC0_0000, 0x7FA0_0000)  # signalling result
    with pytest.raises(AssertionError):
        check("f32.add", (0x7F80_0000, 0xFF80_0000), 0xFFC0_0000, 0x7FC0_0001)  # not canonical
    with pytest.raises(AssertionError):
        check("f32.abs", (0x7FA0_0000,), 0x7FA0_0000, 0x7FE0_0000)  # abs keeps every bit
    with pytest.raises(AssertionError):
        check("i32.add", (1, 1), 2, 3)
    check("f32.add", (0x7FA0_0000, 0), 0x7FE0_0000, 0xFFC0_0000)  # arithmetic either way
