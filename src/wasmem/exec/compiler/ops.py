"""Python expression templates for numeric instructions, used by the code generator.

Each numeric opcode (by text name, as in :data:`wasmem.syntax.opcodes.BY_NAME`) maps to an
:class:`OpTemplate`: a format string over its operands ``{0}``, ``{1}`` that computes the
result in wasmem's internal value representation (i32/i64 unsigned ints, floats; see
:mod:`wasmem.exec.numeric`). Operations not inlined here call the numeric library, bound
in the instance namespace as ``n_<name>`` (dots replaced by underscores).

Integer comparisons yield Python ``bool`` values; ``bool`` is an ``int`` subclass with
value 0 or 1, so they are valid i32 values everywhere (boundaries normalise with ``int``).
"""

from __future__ import annotations

from ...syntax.record import Record
from .numeric_bindings import numeric_name  # (there: binding names needs no templates)

__all__ = ["OpTemplate", "TEMPLATES", "numeric_name"]

M32 = "0xFFFFFFFF"
M64 = "0xFFFFFFFFFFFFFFFF"


class OpTemplate(Record):
    """How to compute one numeric op.

    Attributes:
        template: format string over operands ``{0}``, ``{1}``.
        traps: evaluating it may raise a Trap (e.g. division by zero).
        simple: operands used more than once in the template; they must be variables or
            constants before substitution, so the generator materialises them first.
        boolean: the result is a Python bool (an i32 0/1).
    """

    __slots__ = _compared = _shown = ("template", "traps", "simple", "boolean")
    template: str
    traps: bool
    simple: tuple[int, ...]
    boolean: bool

    def __init__(self, template: str, traps: bool = False, simple: tuple[int, ...] = (),
                 boolean: bool = False) -> None:
        # (the slots' own setters: a third cheaper than object.__setattr__, for the 136
        # templates made at every translating process's import)
        _set_template(self, template)
        _set_traps(self, traps)
        _set_simple(self, simple)
        _set_boolean(self, boolean)


_set_template = OpTemplate.template.__set__  # type: ignore[attr-defined]
_set_traps = OpTemplate.traps.__set__  # type: ignore[attr-defined]
_set_simple = OpTemplate.simple.__set__  # type: ignore[attr-defined]
_set_boolean = OpTemplate.boolean.__set__  # type: ignore[attr-defined]


def _call(name: str, arity: int, traps: bool = False) -> OpTemplate:
    args = ", ".join(f"{{{i}}}" for i in range(arity))
    return OpTemplate(f"{numeric_name(name)}({args})", traps=traps)


TEMPLATES: dict[str, OpTemplate] = {}


def _int_ops(t: str, bits: int) -> None:
    m = M32 if bits == 32 else M64
    sign = "0x80000000" if bits == 32 else "0x8000000000000000"
    shift_mask = bits - 1
    T = TEMPLATES
    T[f"{t}.eqz"] = OpTemplate("({0} == 0)", boolean=True)
    T[f"{t}.eq"] = OpTemplate("({0} == {1})", boolean=True)
    T[f"{t}.ne"] = OpTemplate("({0} != {1})", boolean=True)
    T[f"{t}.lt_u"] = OpTemplate("({0} < {1})", boolean=True)
    T[f"{t}.gt_u"] = OpTemplate("({0} > {1})", boolean=True)
    T[f"{t}.le_u"] = OpTemplate("({0} <= {1})", boolean=True)
    T[f"{t}.ge_u"] = OpTemplate("({0} >= {1})", boolean=True)
    # signed order = unsigned order of the values with the sign bit flipped
    T[f"{t}.lt_s"] = OpTemplate(f"(({{0}} ^ {sign}) < ({{1}} ^ {sign}))", boolean=True)
    T[f"{t}.gt_s"] = OpTemplate(f"(({{0}} ^ {sign}) > ({{1}} ^ {sign}))", boolean=True)
    T[f"{t}.le_s"] = OpTemplate(f"(({{0}} ^ {sign}) <= ({{1}} ^ {sign}))", boolean=True)
    T[f"{t}.ge_s"] = OpTemplate(f"(({{0}} ^ {sign}) >= ({{1}} ^ {sign}))", boolean=True)
    T[f"{t}.clz"] = OpTemplate(f"({bits} - ({{0}}).bit_length())")
    T[f"{t}.ctz"] = OpTemplate(f"((({{0}} & -({{0}})).bit_length() - 1) if {{0}} else {bits})",
                               simple=(0,))
    T[f"{t}.popcnt"] = OpTemplate("({0}).bit_count()")
    T[f"{t}.add"] = OpTemplate(f"(({{0}} + {{1}}) & {m})")
    T[f"{t}.sub"] = OpTemplate(f"(({{0}} - {{1}}) & {m})")
    T[f"{t}.mul"] = OpTemplate(f"(({{0}} * {{1}}) & {m})")
    T[f"{t}.and"] = OpTemplate("({0} & {1})")
    T[f"{t}.or"] = OpTemplate("({0} | {1})")
    T[f"{t}.xor"] = OpTemplate("({0} ^ {1})")
    T[f"{t}.shl"] = OpTemplate(f"(({{0}} << ({{1}} & {shift_mask})) & {m})")
    T[f"{t}.shr_u"] = OpTemplate(f"({{0}} >> ({{1}} & {shift_mask}))")
    T[f"{t}.shr_s"] = OpTemplate(
        f"(((({{0}} ^ {sign}) - {sign}) >> ({{1}} & {shift_mask})) & {m})")
    # each operand written once (a trap in the dividend's own expression is then placed
    # at its instruction, not at the division); a zero divisor calls the library with
    # (0, 0), which traps "integer divide by zero"
    T[f"{t}.div_u"] = OpTemplate(f"({{0}} // ({{1}} or {numeric_name(t + '.div_u')}(0, 0)))",
                                 traps=True)
    T[f"{t}.rem_u"] = OpTemplate(f"({{0}} % ({{1}} or {numeric_name(t + '.rem_u')}(0, 0)))",
                                 traps=True)
    for op in ("div_s", "rem_s"):
        T[f"{t}.{op}"] = _call(f"{t}.{op}", 2, traps=True)
    # rotations: the count modulo the width, the value's bits shifted out at one end
    # come back at the other (a shift by the full width gives 0, so a count of 0 works)
    T[f"{t}.rotl"] = OpTemplate(f"((({{0}} << ({{1}} & {shift_mask})) | ({{0}} >> "
                                f"({bits} - ({{1}} & {shift_mask})))) & {m})", simple=(0, 1))
    T[f"{t}.rotr"] = OpTemplate(f"((({{0}} >> ({{1}} & {shift_mask})) | ({{0}} << "
                                f"({bits} - ({{1}} & {shift_mask})))) & {m})", simple=(0, 1))
    T[f"{t}.extend8_s"] = OpTemplate(f"(((({{0}} & 0xFF) ^ 0x80) - 0x80) & {m})")
    T[f"{t}.extend16_s"] = OpTemplate(f"(((({{0}} & 0xFFFF) ^ 0x8000) - 0x8000) & {m})")


_int_ops("i32", 32)
_int_ops("i64", 64)
TEMPLATES["i64.extend32_s"] = OpTemplate(
    f"(((({{0}} & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000) & {M64})")
TEMPLATES["i32.wrap_i64"] = OpTemplate(f"({{0}} & {M32})")
TEMPLATES["i64.extend_i32_u"] = OpTemplate("{0}")
TEMPLATES["i64.extend_i32_s"] = OpTemplate(f"((({{0}} ^ 0x80000000) - 0x80000000) & {M64})")


def _float_ops(t: str) -> None:
    T = TEMPLATES
    for op, sym in (("eq", "=="), ("ne", "!="), ("lt", "<"), ("gt", ">"), ("le", "<="),
                    ("ge", ">=")):
        T[f"{t}.{op}"] = OpTemplate(f"({{0}} {sym} {{1}})", boolean=True)
    if t == "f64":
        T["f64.add"] = OpTemplate("({0} + {1})")
        T["f64.sub"] = OpTemplate("({0} - {1})")
        T["f64.mul"] = OpTemplate("({0} * {1})")
    else:
        # one double operation then one rounding to f32 is exact for + - * / sqrt
        T["f32.add"] = OpTemplate("n_f32_round({0} + {1})")
        T["f32.sub"] = OpTemplate("n_f32_round({0} - {1})")
        T["f32.mul"] = OpTemplate("n_f32_round({0} * {1})")
    for op in ("div", "min", "max", "copysign"):
        T[f"{t}.{op}"] = _call(f"{t}.{op}", 2)
    for op in ("abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"):
        T[f"{t}.{op}"] = _call(f"{t}.{op}", 1)


_float_ops("f32")
_float_ops("f64")

for _name in (
    "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
    "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u",
):
    TEMPLATES[_name] = _call(_name, 1, traps=True)
for _name in (
    "i32.trunc_sat_f32_s", "i32.trunc_sat_f32_u", "i32.trunc_sat_f64_s", "i32.trunc_sat_f64_u",
    "i64.trunc_sat_f32_s", "i64.trunc_sat_f32_u", "i64.trunc_sat_f64_s", "i64.trunc_sat_f64_u",
    "f32.convert_i32_s", "f32.convert_i32_u", "f32.convert_i64_s", "f32.convert_i64_u",
    "f32.demote_f64", "f64.promote_f32", "f64.convert_i64_s",
    "i32.reinterpret_f32", "i64.reinterpret_f64", "f32.reinterpret_i32", "f64.reinterpret_i64",
):
    TEMPLATES[_name] = _call(_name, 1)
# exact conversions that need no library call
TEMPLATES["f64.convert_i32_u"] = OpTemplate("float({0})")
TEMPLATES["f64.convert_i32_s"] = OpTemplate("float(({0} ^ 0x80000000) - 0x80000000)")
TEMPLATES["f64.convert_i64_u"] = _call("f64.convert_i64_u", 1)
