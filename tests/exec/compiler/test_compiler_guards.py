"""Guarded blocks: a ``block`` left only by ``br_if``s directly in its body is translated
as nested ``if not <condition>:`` guards (no ``while True``, no ``_b``), the shape of
most compiled ``if`` statements. Results, traps and fuel must match the interpreter's;
when the guards would indent deeper than Python allows, the function is translated
again without them (the conftest makes translation failures raise)."""

from __future__ import annotations

from typing import Any

import pytest

import wasmem
from wasmem.errors import Trap
from wasmem.exec.compiler.tier import CompiledModule
from wasmem.exec.instantiate import instantiate
from wasmem.exec.invoke import invoke_raw

GUARDS = """(module
  (memory 1)
  (func (export "clamp") (param i32) (result i32)
    (local $r i32)
    (local.set $r (local.get 0))
    (block $done
      (br_if $done (i32.lt_u (local.get 0) (i32.const 10)))
      (local.set $r (i32.const 10))
      (br_if $done (i32.lt_u (local.get 0) (i32.const 100)))
      (local.set $r (i32.const 100)))
    (local.get $r))
  (func (export "last") (param i32) (result i32)
    ;; the br_if ends the block: nothing follows its guard
    (block $b
      (i32.store (i32.const 8) (local.get 0))
      (br_if $b (i32.load (i32.const 8))))
    (i32.add (i32.load (i32.const 8)) (i32.const 1)))
  (func (export "trap") (param i32) (result i32)
    ;; the condition traps (division by zero) before the branch
    (block $b
      (br_if $b (i32.div_u (i32.const 7) (local.get 0)))
      (return (i32.const 5)))
    (i32.const 6))
  (func (export "nested") (param i32) (result i32)
    (local $r i32)
    ;; guarded blocks inside guarded blocks, and one left from an inner if (not guarded)
    (block $outer
      (br_if $outer (i32.eqz (local.get 0)))
      (local.set $r (i32.const 1))
      (block $inner
        (br_if $inner (i32.eq (local.get 0) (i32.const 1)))
        (local.set $r (i32.add (local.get $r) (i32.const 10)))
        (br_if $outer (i32.eq (local.get 0) (i32.const 2)))
        (local.set $r (i32.add (local.get $r) (i32.const 100))))
      (block $mixed
        (if (i32.eq (local.get 0) (i32.const 3)) (then (br $mixed)))
        (local.set $r (i32.add (local.get $r) (i32.const 1000)))))
    (local.get $r)))"""


def outcomes(text: str, calls: list[tuple[str, int]], tier: str) -> list[Any]:
    """What each call returns or raises on ``tier``."""
    instance = instantiate(wasmem.Module(text).ast, lambda imp: None, tier=tier)
    out: list[Any] = []
    for name, arg in calls:
        try:
            out.append(invoke_raw(instance.exports[name], [arg]))  # type: ignore[arg-type]
        except Trap as exc:
            out.append(exc.message)
    return out


CALLS = [(name, x) for name in ("clamp", "last", "trap", "nested")
         for x in (0, 1, 2, 3, 9, 10, 99, 100, 0xFFFFFFFF)]


@pytest.mark.parametrize("tier", ["compile", "tiered"])
def test_guarded_blocks_agree_with_the_interpreter(tier: str) -> None:
    expected = outcomes(GUARDS, CALLS, "interpret")
    assert outcomes(GUARDS, CALLS, tier) == expected
    assert expected[:9] == [0, 1, 2, 3, 9, 10, 10, 100, 100]


def test_guarded_blocks_become_if_statements() -> None:
    code = CompiledModule.of(wasmem.Module(GUARDS).ast).source(0)
    assert code is not None
    assert code.count("if not (") == 2
    assert "while True" not in code and "_b" not in code


def deep_guards(depth: int, branches: int) -> str:
    """Blocks nested ``depth`` deep, each left by ``branches`` br_ifs before the next."""
    body = "(local.set 1 (i32.add (local.get 1) (i32.const 1)))"
    for level in range(depth):
        exits = "".join(f"(br_if 0 (i32.eq (local.get 0) (i32.const {level * 100 + k})))"
                        f"(local.set 1 (i32.add (local.get 1) (i32.const {k + 1})))"
                        for k in range(branches))
        body = f"(block {exits} {body})"
    return (f'(module (func (export "f") (param i32) (result i32) (local i32) '
            f"{body} (local.get 1)))")


def test_guards_too_deep_for_python_translate_again_without_them() -> None:
    text = deep_guards(depth=30, branches=3)
    calls = [("f", x) for x in (0, 1, 2, 101, 1502, 2900, 2902, 7)]
    assert outcomes(text, calls, "compile") == outcomes(text, calls, "interpret")
    code = CompiledModule.of(wasmem.Module(text).ast).source(0)
    assert code is not None and "if not (" not in code
