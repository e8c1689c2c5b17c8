"""Tail duplication (``exec/compiler/tails.py``): a branch ``_b = K`` whose landing leads
to short straight code at the end of the innermost ``while`` becomes a copy of that code
and ``continue``. The rewritten lines must do exactly what the original did from every
``_b``; translated switches must agree with the interpreter and wasmtime, and a trap in a
copied tail must keep its message and backtrace."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.lines import remap_entries
from wasmem.exec.compiler.tails import MAX_TAIL, duplicate_tails
from wasmem.exec.compiler.tier import CompiledModule
from run_outcome import outcome as _outcome


def _function(lines: list[str]) -> Callable[[int, int], tuple[int, list[object], str]]:
    """A function running ``lines`` (a loop made by :func:`_body`) from ``_b`` (its
    first argument): it returns the final ``_b``, the trace of what ran, and how the
    loop was left."""
    source = ["def f(_b, flags):", "    trace = []", "    again = False", *lines,
              "    return _b, trace, 'broke'"]
    namespace: dict[str, object] = {}
    exec("\n".join(source), namespace)  # (test data of our own)
    return namespace["f"]  # type: ignore[return-value]


ENDINGS = ("tail", "chain", "case", "continue", "break", "fall", "return")


def _body(rng: random.Random, cases: list[tuple[str, bool, bool]], tail: list[str],
          bare: bool = False) -> list[str]:
    """A loop (run once: its second iteration returns), landings of ``len(cases)``
    cases (``_b`` = n+2 .. 3), a landing 2 whose code branches on to 1, and landing 1
    followed by ``tail`` (lines at level 2) to the loop's end (``bare``: landing 1 is a
    plain ``_b = 0``, as where it is the only target pending). Each case: its ending, a
    conditional branch inside, a guard after."""
    n = len(cases)
    pad = "        "
    lines = ["    while True:", "        if again:", "            return _b, trace, 'continued'",
             "        again = True"]
    for index, (ending, conditional, guard) in enumerate(cases):
        k = n + 2 - index
        lines += [f"{pad}if _b == {k}:", f"{pad}    _b = 0", f"{pad}    trace.append({k})"]
        if conditional:
            lines += [f"{pad}    if flags & {1 << (index % 8)}:",
                      f"{pad}        _b = {rng.randrange(1, k)}"]
            lines += [f"{pad}    if not _b:", f"{pad}        trace.append({-k})"]
            body = pad + "        "
        else:
            body = pad + "    "
        if ending == "tail":
            lines.append(f"{body}_b = 1")
        elif ending == "chain":
            lines.append(f"{body}_b = 2")
        elif ending == "case":
            lines.append(f"{body}_b = {rng.randrange(1, k)}")
        elif ending == "return":
            lines.append(f"{body}return _b, trace, 'returned'")
        elif ending != "fall":
            lines.append(body + ending)
        if guard:
            lines += [f"{pad}if not _b:", f"{pad}    trace.append({100 + k})"]
    lines += [f"{pad}if _b == 2:", f"{pad}    _b = 0", f"{pad}    trace.append(2)",
              f"{pad}if not _b:", f"{pad}    trace.append('two')", f"{pad}    _b = 1",
              *([f"{pad}_b = 0"] if bare else [f"{pad}if _b == 1:", f"{pad}    _b = 0"])]
    return lines + tail


TAILS: tuple[list[str], ...] = (
    [],
    ["        trace.append('t')"],
    ["        trace.append('t')", "        if flags & 1:", "            trace.append('odd')",
     "        else:", "            trace.append('even')"],
    ["        if not _b:", "            trace.append('g')", "        trace.append('t')"],
    ["        trace.append('t')", "        if flags & 2:", "            _b = 5",
     "            break", "        trace.append('u')"],
    ["        if flags & 4:", "            _b = 3", "        trace.append('t')"],
    ["        trace.append('t')", "        break"],
    ["        while flags & 8:", "            flags -= 8", "        trace.append('t')"],
    ["        trace.append('t')"] * (MAX_TAIL + 1),
)


@settings(max_examples=40, deadline=None)
@given(cases=st.lists(st.tuples(st.sampled_from(ENDINGS), st.booleans(), st.booleans()),
                      min_size=1, max_size=12),
       tail=st.integers(0, len(TAILS) - 1), seed=st.integers(0, 1000), bare=st.booleans())
def test_duplicated_tails_keep_the_meaning_of_the_lines(
        cases: list[tuple[str, bool, bool]], tail: int, seed: int, bare: bool) -> None:
    """From every ``_b`` and every flag, the rewritten body runs the same statements in
    the same order, leaves ``_b`` the same and leaves the loop the same way."""
    lines = _body(random.Random(seed), cases, TAILS[tail], bare)
    new_lines, rewrites = duplicate_tails(lines)
    before, after = _function(lines), _function(new_lines)
    for b in range(len(cases) + 3):
        for flags in (0, 1, 2, 4, 8, 15, 255):
            assert after(b, flags) == before(b, flags), (b, flags, new_lines)
    # the line table follows: one entry per line, and copied lines keep theirs
    entries = [(((0, at),), ()) for at in range(len(lines))]
    remapped = remap_entries(entries, rewrites)  # type: ignore[arg-type]
    assert len(remapped) == len(new_lines)
    for line, entry in zip(new_lines, remapped):
        assert entry is not None
        position = entry[0][0][1]
        assert isinstance(position, int)
        original = lines[position].strip()
        assert line.strip() == original or line.strip() == "continue", (line, original)


def test_a_branch_to_a_short_tail_becomes_a_copy_and_continue() -> None:
    """``_b = 1`` (straight code after landing 1 to the loop's end) is replaced; a
    branch whose tail holds a conditional branch, or a loop, is left alone."""
    lines = _body(random.Random(1), [("tail", False, False)] * 3, TAILS[1])
    new_lines, rewrites = duplicate_tails(lines)
    assert rewrites
    assert "_b = 1" not in "\n".join(new_lines[:13])
    assert new_lines[7:9] == ["            trace.append('t')", "            continue"]
    for tail in (TAILS[5], TAILS[7], TAILS[8]):
        lines = _body(random.Random(1), [("tail", False, False)] * 3, tail)
        new_lines, rewrites = duplicate_tails(lines)
        assert not any(line.endswith("continue") for line in new_lines[:13]), new_lines
    assert duplicate_tails(["    x = 1"]) == (["    x = 1"], [])


def switch_loop(cases: int, trap_at: int) -> str:
    """A loop around a switch whose cases ``br $done``; the code after ``$done`` (the
    loop's tail) divides by ``trap_at - i`` (a trap when ``i`` reaches ``trap_at``)."""
    text = ['(module',
            ' (func (export "run") (param $n i32) (result i32) (local $acc i32) (local $i i32)',
            '  (loop $next', '   (block $done']
    text += [f'    (block $c{k}' for k in reversed(range(cases))]
    targets = " ".join(f"$c{k}" for k in range(cases))
    text.append(f'     (br_table {targets} $done (i32.rem_u (local.get $i)'
                f' (i32.const {cases + 1}))))')
    for k in range(cases):
        text.append(f'    (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const'
                    f' {3 + 2 * k})) (i32.const {k + 1})))')
        text.append('    (br $done))')
    text.append('   (local.set $acc (i32.add (local.get $acc) (i32.div_u (i32.const 1000)'
                f' (i32.sub (i32.const {trap_at}) (local.get $i)))))')
    text.append('   (local.set $i (i32.add (local.get $i) (i32.const 1)))')
    text.append('   (br_if $next (i32.lt_u (local.get $i) (local.get $n))))')
    text.append('  (local.get $acc)))')
    return "\n".join(text)


def test_switch_cases_continue_the_loop_and_agree() -> None:
    """Each case's ``br $done`` is the loop's tail and ``continue``; results agree with
    the interpreter, and a trap in a copied tail has the interpreter's frames."""
    module = wasmem.Module(switch_loop(12, 40))
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None and source.count("continue") >= 12, source
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    for n in (0, 1, 5, 13, 14, 39, 40, 41, 100):
        assert _outcome(compiled, n) == _outcome(interpreted, n), n
    trap = _outcome(compiled, 100)
    assert isinstance(trap, tuple) and "divide by zero" in trap[0] and trap[1][0][1]


@pytest.mark.parametrize("n", [0, 7, 30, 60])
def test_switch_loop_agrees_with_wasmtime(n: int) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    source = switch_loop(9, 1000)
    store = wasmtime.Store()
    run = wasmtime.Instance(store, wasmtime.Module(store.engine, source), []).exports(
        store)["run"]
    expected = run(store, n) & 0xFFFFFFFF
    assert _outcome(wasmem.Instance(wasmem.Module(source), tier="compile"), n) == expected
