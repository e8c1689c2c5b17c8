"""Module-level validation (wasmem.valid.module): global initialisers.

Each initialiser sees only the globals before its own. That view was a new copy of the
globals per global, quadratic in their number (200,000 globals took minutes to
validate); it is now one copy that grows.
"""

from __future__ import annotations

import pytest

import wasmem
from wasmem.valid import context as context_module


def test_an_initialiser_sees_the_globals_before_it_only() -> None:
    ok = ("(module (global $a i32 (i32.const 1)) (global $b i32 (global.get $a))"
          " (global $c (export \"c\") i32 (i32.add (global.get $b) (global.get $a))))")
    assert wasmem.Instance(wasmem.Module(ok)).exports.c.value == 2
    with pytest.raises(wasmem.ValidationError, match="unknown global"):
        wasmem.Module("(module (global $a i32 (global.get $b)) (global $b i32 (i32.const 1)))")
    with pytest.raises(wasmem.ValidationError, match="unknown global"):
        wasmem.Module("(module (global $a i32 (global.get $a)))")


def test_many_globals_are_validated_with_one_view(monkeypatch: pytest.MonkeyPatch) -> None:
    copies = []
    original = context_module.Context.with_globals

    def counted(self: context_module.Context, count: int) -> context_module.Context:
        copies.append(count)
        return original(self, count)

    monkeypatch.setattr(context_module.Context, "with_globals", counted)
    count = 3_000
    text = "(module " + "(global i32 (i32.const 7))" * count + \
        "(global (export \"last\") i32 (global.get 2999)))"
    module = wasmem.Module(text)
    assert len(copies) <= 2  # (the growing view, and the imported ones for tables)
    assert wasmem.Instance(module).exports.last.value == 7
