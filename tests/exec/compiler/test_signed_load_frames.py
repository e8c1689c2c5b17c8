"""A load read through a signed view for its consumer (:mod:`wasmem.exec.compiler.
signed_loads`) that traps out of bounds is placed at the load, in every tier, not at
the conversion, comparison or extension that consumed it."""

from __future__ import annotations

import pytest

import wasmem

CASES = {
    "extend": ("(i64.extend_i32_s\n      (i32.load16_s (local.get 0)))", "i64", (4, 8)),
    "convert": ("(f64.convert_i32_s\n      (i32.load (local.get 0)))", "f64", (4, 8)),
    "convert64": ("(f64.convert_i64_s\n      (i64.load offset=8 (local.get 0)))", "f64",
                  (4, 8)),
    "compare": ("(i32.lt_s\n      (i32.load (local.get 0))\n      (i32.const 5))", "i32",
                (4, 8)),
    "compare-right": ("(i32.ge_s\n      (i32.const 5)\n      (i32.load (local.get 0)))",
                      "i32", (5, 8)),
    "extend-compare": ("(i64.lt_s\n      (i64.const 5)\n      (i64.extend_i32_s\n"
                       "        (i32.load offset=4 (local.get 0))))", "i32", (6, 10)),
}


@pytest.mark.parametrize("tier", ["interpret", "compile", "tiered"])
@pytest.mark.parametrize("name", list(CASES))
def test_out_of_bounds_read_is_placed_at_the_load(tier: str, name: str) -> None:
    body, result, place = CASES[name]
    text = (f"(module (memory 1)\n  (func (export \"a\") (param i32) (result {result})\n"
            f"    {body}))")
    instance = wasmem.Instance(wasmem.Module(text), tier=tier)
    with pytest.raises(wasmem.Trap) as caught:
        instance.exports["a"](70000)
    assert [(frame.line, frame.column) for frame in caught.value.frames] == [place]
