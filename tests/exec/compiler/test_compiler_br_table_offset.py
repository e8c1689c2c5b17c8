"""A ``br_table`` whose index is ``x - d`` (``exec/compiler/emit_branches.py``,
``_offset_index``): the tuple is indexed with ``x`` and starts with ``d`` entries of the
default. Every ``x`` around the edges (below ``d``, where ``x - d`` wraps; the table's
first and last entries; past it; the largest values) must take the interpreter's branch
and wasmtime's, with the index read from a local or from memory (which may trap), the
offset written ``i32.add`` of a negative constant or ``i32.sub``, in a loop (the form
with exits) or not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.emit_branches import MAX_OFFSET, _offset_index
from wasmem.exec.compiler.tier import CompiledModule
from run_outcome import outcome

CASES = 9


def table_module(d: int, sub: bool, load: bool, loop: bool) -> str:
    """``run(x)``: a switch over ``CASES`` blocks on ``x - d`` (``x`` read back from
    memory when ``load``: stored at ``min(x, 65532)``, or read at 70000 for ``x`` =
    123456, a trap), the default leaving to the end; each case adds ``7k + 1`` to an
    accumulator; in a loop (run twice) when ``loop``."""
    index = "(i32.load (local.get $a))" if load else "(local.get $x)"
    offset = f"(i32.sub {index} (i32.const {d}))" if sub else \
        f"(i32.add {index} (i32.const {-d}))"
    blocks = [f"(block $c{k}" for k in reversed(range(CASES))]
    targets = " ".join(f"$c{k}" for k in range(CASES))
    text = ['(module (memory 1)',
            ' (func (export "run") (param $x i32) (result i32) (local $acc i32)'
            ' (local $a i32) (local $i i32)',
            '  (local.set $a (select (local.get $x) (i32.const 65532)'
            ' (i32.lt_u (local.get $x) (i32.const 65532))))',
            '  (if (i32.eq (local.get $x) (i32.const 123456))'
            ' (then (local.set $a (i32.const 70000))))',
            '  (if (i32.le_u (local.get $a) (i32.const 65532))'
            ' (then (i32.store (local.get $a) (local.get $x))))']
    if loop:
        text.append('  (block $out (loop $again')
    text.append('  (block $end')
    text += ["   " + b for b in blocks]
    text.append(f'    (br_table {targets} $end {offset}))')
    for k in range(CASES):
        text.append(f'   (local.set $acc (i32.add (local.get $acc) (i32.const {7 * k + 1})))')
        if k + 1 < CASES:
            text.append('   (br $end))')
    text.append('  )')
    if loop:
        text.append('  (local.set $i (i32.add (local.get $i) (i32.const 1)))')
        text.append('  (br_if $again (i32.lt_u (local.get $i) (i32.const 2)))')
        text.append('  ))')
    text.append('  (local.get $acc)))')
    return "\n".join(text)


def values(d: int) -> list[int]:
    return sorted({0, 1, d - 1, d, d + 1, d + CASES - 1, d + CASES, d + CASES + 1,
                   123456, 2**31, 2**32 - d, 2**32 - 1} - {-1})


@pytest.mark.parametrize("d", [1, 2, 5, MAX_OFFSET])
@pytest.mark.parametrize("sub", [False, True])
@pytest.mark.parametrize("load", [False, True])
@pytest.mark.parametrize("loop", [False, True])
def test_offset_index_takes_the_interpreters_branch(d: int, sub: bool, load: bool,
                                                    loop: bool) -> None:
    module = wasmem.Module(table_module(d, sub, load, loop))
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    for x in values(d):
        assert outcome(compiled, x) == outcome(interpreted, x), (x, source)


def test_the_offset_is_folded_into_the_tuple() -> None:
    """The generated dispatch indexes the tuple with ``x`` (no ``x - d`` line)."""
    module = wasmem.Module(table_module(2, False, True, True))
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None
    dispatch = next(line for line in source.splitlines() if "_b = (" in line)
    entries = dispatch.split("(", 1)[1].split(")", 1)[0].split(", ")
    assert len(entries) == CASES + 2 and entries[0] == entries[1], source
    assert "4294967294" not in source, source  # (no ``x - 2`` computed)


def test_offset_index_recognises_only_the_wrapping_forms() -> None:
    assert _offset_index("(_w if (_w := V32_0[(l3 + 8)] + 4294967294) < 4294967296 else "
                         "_w - 4294967296)") == ("V32_0[(l3 + 8)]", 2)
    assert _offset_index("(l8 - 100 if l8 >= 100 else l8 + 4294967196)") is None  # > MAX
    assert _offset_index("(l8 - 3 if l8 >= 3 else l8 + 4294967293)") == ("l8", 3)
    assert _offset_index("(_w if (_w := F1(l2) - 5) >= 0 else _w + 4294967296)") == \
        ("F1(l2)", 5)
    assert _offset_index("(l8 - 3 if l8 >= 3 else l8 + 4294967292)") is None
    assert _offset_index("(l8 - 3 if l9 >= 3 else l8 + 4294967293)") is None
    assert _offset_index("(_w if (_w := l1 + l2) < 4294967296 else _w - 4294967296)") is None
    assert _offset_index("(_w if (_w := l1 + 5) < 4294967296 else _w - 4294967296)") is None
    assert _offset_index("((l1 + 4294967294) & 4294967295)") is None


@settings(max_examples=30, deadline=None)
@given(d=st.integers(1, MAX_OFFSET), sub=st.booleans(), load=st.booleans(),
       loop=st.booleans(), x=st.integers(0, 2**32 - 1))
def test_offset_index_agrees_for_any_index(d: int, sub: bool, load: bool, loop: bool,
                                           x: int) -> None:
    module = wasmem.Module(table_module(d, sub, load, loop))
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    assert outcome(compiled, x) == outcome(interpreted, x)
