"""Definite assignment of locals (which declared locals need their initial zero)."""

from __future__ import annotations

import pytest

from wasmem.exec.compiler.assignment import locals_read_before_written
from wasmem.text import parse_module

CASES = {
    "read-before-write": ("(local.get 1) (drop) (local.set 1 (i32.const 1))", {1}),
    "write-then-read": ("(local.set 1 (i32.const 1)) (drop (local.get 1))", set()),
    "tee-counts-as-write": ("(drop (local.tee 1 (i32.const 1))) (drop (local.get 1))", set()),
    "one-arm-only": ("(if (local.get 0) (then (local.set 1 (i32.const 1)))) "
                     "(drop (local.get 1))", {1}),
    "both-arms": ("(if (local.get 0) (then (local.set 1 (i32.const 1))) "
                  "(else (local.set 1 (i32.const 2)))) (drop (local.get 1))", set()),
    "branch-out-before-write": ("(block (br_if 0 (local.get 0)) (local.set 1 (i32.const 1))) "
                                "(drop (local.get 1))", {1}),
    "branch-out-after-write": ("(block (local.set 1 (i32.const 1)) (br_if 0 (local.get 0)) "
                               "(local.set 2 (i32.const 1))) (drop (local.get 1))", set()),
    "arm-that-returns": ("(if (local.get 0) (then (return)) "
                         "(else (local.set 1 (i32.const 2)))) (drop (local.get 1))", set()),
    "loop-body-runs-once": ("(loop (local.set 1 (i32.const 1)) (br_if 0 (local.get 0))) "
                            "(drop (local.get 1))", set()),
    "read-in-loop-before-write": ("(loop (drop (local.get 1)) (local.set 1 (i32.const 1)) "
                                  "(br_if 0 (local.get 0)))", {1}),
    "br-table-joins": ("(block (block (br_table 0 1 (local.get 0)) ) "
                       "(local.set 1 (i32.const 1))) (drop (local.get 1))", {1}),
    "unreachable-code-reads-nothing": ("(return) (drop (local.get 1))", set()),
    "params-never-count": ("(drop (local.get 0))", set()),
    "only-declared-reads": ("(drop (local.get 2)) (local.set 1 (i32.const 0)) "
                            "(drop (local.get 1))", {2}),
}


@pytest.mark.parametrize(("body", "expected"), CASES.values(), ids=CASES.keys())
def test_locals_read_before_written(body: str, expected: set[int]) -> None:
    module = parse_module(f"(module (func (param i32) (local i32 i32) {body}))")
    function = module.functions[0]
    assert locals_read_before_written(function.body, 1, 2) == expected


def test_try_table_handlers_see_the_entry_set() -> None:
    module = parse_module("""(module (tag $e)
      (func (local i32)
        (block $h
          (try_table (catch_all $h)
            (call $f)
            (local.set 0 (i32.const 1))))
        (drop (local.get 0)))
      (func $f))""")
    assert locals_read_before_written(module.functions[0].body, 0, 1) == {0}
