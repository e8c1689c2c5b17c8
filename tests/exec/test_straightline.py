"""The longest path of a decoded function (wasmem/exec/straightline.py) and the call
budget of straight-line functions in the tiered mode (wasmem/exec/tiering.py)."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec import straightline, tiering
from wasmem.exec.interpreter import InterpretedModule

STEP = "(local.set $s (i32.add (i32.xor (local.get $s) (local.get $x)) (i32.const {k})))\n"
LINE = "".join(STEP.format(k=k) for k in range(120))  # about 120 closures, no branch
HALF = "".join(STEP.format(k=k) for k in range(60))

MODULE = f"""(module
  (func $straight (export "straight") (param $x i32) (result i32) (local $s i32)
    (if (i32.eqz (local.get $x)) (then (return (i32.const -1))))  ;; a guard
    {LINE}
    (local.get $s))
  (func $branchy (export "branchy") (param $x i32) (result i32) (local $s i32)
    (if (i32.and (local.get $x) (i32.const 1))
      (then {HALF})
      (else {HALF}))
    (local.get $s))
  (func $switch (export "switch") (param $x i32) (result i32) (local $s i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get $x)))
      {HALF} (br $d))
      {HALF} (br $d))
      {HALF})
    (local.get $s)))"""


def decoded(index: int) -> object:
    module = wasmem.Module(MODULE)
    return InterpretedModule.of(module.ast).function(index, False)


def test_the_longest_path_of_straight_code_is_its_body() -> None:
    function = decoded(0)
    size = len(function.makes)  # type: ignore[attr-defined]
    assert size > 120
    # all but the guard's early return
    assert size - 3 <= straightline.longest_path(function) < size  # type: ignore[arg-type]


def test_the_longest_path_takes_one_arm_or_one_case() -> None:
    branchy, switch = decoded(1), decoded(2)
    for function, share in ((branchy, 0.5), (switch, 1 / 3)):
        size = len(function.makes)  # type: ignore[attr-defined]
        path = straightline.longest_path(function)  # type: ignore[arg-type]
        assert share * size - 5 <= path <= share * size + 5, (size, path)


def test_a_straight_line_function_is_translated_after_the_call_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    instance = wasmem.Instance(wasmem.Module(MODULE, cache_dir=""))
    tier = instance._instance.tier
    reference = wasmem.Instance(wasmem.Module(MODULE), tier="interpret").exports
    for x in range(1, 6):  # five calls each: within every budget
        for name in ("straight", "branchy", "switch"):
            assert instance.exports[name](x) == reference[name](x)
    assert not tier.promoted
    for x in range(6, 12):
        for name in ("straight", "branchy", "switch"):
            assert instance.exports[name](x) == reference[name](x)
    # the straight one costs a call in proportion to its size: its budget does not grow
    # with it; the others run one arm or case a call and wait 5 * size / 30 calls
    assert tier.promoted == {0}
