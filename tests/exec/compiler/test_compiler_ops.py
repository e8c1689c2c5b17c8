"""The operator templates (``exec/compiler/ops.py``): one statement of each numeric
operator's meaning, used by the compiler and by the interpreter's inline operators.

Every template, evaluated as Python over wasmem's value representation, computes what
the numeric library computes (same value, same NaN-ness, same trap), and the
interpreter's inline table is made of these templates, not of its own copies.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasmem.errors import Trap
from wasmem.exec.compiler.ops import TEMPLATES
from wasmem.exec.interpreter.inline import HOT, HOT_NAMES, _hot_table
from wasmem.exec.numeric import NUMERIC_OPS
from wasmem.exec.compiler.numeric_bindings import numeric_namespace
from wasmem.syntax.opcodes import BY_NAME
from wasmem.syntax.types import F32, F64, I32, I64

_NAMESPACE: dict[str, Any] = {"__builtins__": {"float": float}, **numeric_namespace()}

_EDGES = [0, 1, 2, 31, 32, 63, 64, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF,
          0x80000000, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000,
          0xFFFFFFFFFFFFFFFF]


def _values(t: object) -> st.SearchStrategy[Any]:
    if t is I32:
        return st.one_of(st.sampled_from([e & 0xFFFFFFFF for e in _EDGES]),
                         st.integers(0, 0xFFFFFFFF))
    if t is I64:
        return st.one_of(st.sampled_from(_EDGES), st.integers(0, 0xFFFFFFFFFFFFFFFF))
    if t is F32:
        return st.floats(width=32)
    assert t is F64
    return st.floats()


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        value = call()
    except Trap as trap:
        return ("trap", str(trap))
    if isinstance(value, float) and math.isnan(value):
        return ("nan", None)
    if isinstance(value, bool):
        value = int(value)
    return ("value", value)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_template_matches_the_numeric_library(name: str, data: st.DataObject) -> None:
    params = BY_NAME[name].params
    assert params is not None
    operands = [data.draw(_values(t)) for t in params]
    template = TEMPLATES[name].template
    text = template.format(*(f"a{k}" for k in range(len(operands))))
    scope = {f"a{k}": v for k, v in enumerate(operands)}  # (NaN bits kept)
    got = _outcome(lambda: eval(text, _NAMESPACE, scope))
    expected = _outcome(lambda: NUMERIC_OPS[name](*operands))
    assert got == expected, (name, operands, text)


def test_interpreter_inline_operators_are_the_templates() -> None:
    values, conditions = _hot_table()
    assert set(HOT) == set(HOT_NAMES) == set(values) | set(conditions)
    for name in HOT_NAMES:
        table = conditions if TEMPLATES[name].boolean else values
        assert table[name] == TEMPLATES[name].template


def test_a_mask_kept_where_the_sum_can_wrap() -> None:
    """The template itself wraps (the compiler drops the mask only with a proof)."""
    text = TEMPLATES["i32.add"].template.format("0xFFFFFFFF", "1")
    assert eval(text, _NAMESPACE) == 0
