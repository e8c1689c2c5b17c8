"""Escapes to a short return (``exec/compiler/tails.py``, :meth:`_Walk.escape`): a branch
``_b = K; break`` out of nested one-shot ``while`` blocks whose landing leads to short
straight code ending in ``return`` becomes a copy of that code. Generated nestings of
blocks, loops, ``if``s, ``br``/``br_if``/``br_table`` and ``return`` must give the same
results, traps and backtraces translated as interpreted (and as in wasmtime)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.tails import duplicate_tails
from wasmem.exec.compiler.tier import CompiledModule


class _Nest:
    """A random function body of nested control (WebAssembly text), from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.labels = 0
        self.steps = 0
        self.counters: list[str] = []

    def work(self) -> str:
        """A step that changes ``$a`` (so every path leaves a different value)."""
        self.steps += 1
        rng = self.rng
        if rng.random() < 0.08:  # a trap when the low bits of $p are 0
            return (f"(local.set $a (i32.add (local.get $a) (i32.div_u (i32.const 99) "
                    f"(i32.and (local.get $p) (i32.const {rng.choice((3, 7, 12))})))))")
        return (f"(local.set $a (i32.add (i32.mul (local.get $a) (i32.const "
                f"{rng.randrange(3, 40, 2)})) (i32.const {self.steps})))")

    def cond(self) -> str:
        bit = 1 << self.rng.randrange(12)
        return f"(i32.and (local.get $p) (i32.const {bit}))"

    def branch(self, open_labels: list[str]) -> str:
        """A branch to a random enclosing label (or a return)."""
        rng = self.rng
        kind = rng.random()
        if kind < 0.1:
            return "(return (local.get $a))"
        if kind < 0.3 and len(open_labels) > 1:
            count = rng.randrange(2, 6)
            targets = " ".join(rng.choice(open_labels) for _ in range(count))
            return f"(br_table {targets} (i32.rem_u (local.get $p) (i32.const {count + 1})))"
        target = rng.choice(open_labels)
        if kind < 0.7:
            return f"(br_if {target} {self.cond()})"
        return f"(br {target})"

    def body(self, open_labels: list[str], depth: int) -> list[str]:
        """Statements of one block body (may end in an unconditional branch)."""
        rng = self.rng
        out: list[str] = []
        for _ in range(rng.randrange(1, 5)):
            choice = rng.random()
            if choice < 0.35 and depth < 7:
                self.labels += 1
                label = f"$b{self.labels}"
                out.append(f"(block {label}")
                out += self.body([*open_labels, label], depth + 1)
                out.append(")")
            elif choice < 0.45 and depth < 7:
                self.labels += 1
                label = f"$l{self.labels}"
                # (its own counter: a branch out of an inner loop leaves that one's)
                counter = f"$i{self.labels}"
                self.counters.append(counter)
                out.append(f"(local.set {counter} (i32.const 0)) (loop {label}")
                out += self.body(open_labels, depth + 1)  # (branches out, not back)
                out.append(f"(br_if {label} (i32.lt_u (local.tee {counter} (i32.add "
                           f"(local.get {counter}) (i32.const 1))) (i32.const 3))))")
            elif choice < 0.55 and depth < 7:
                out.append(f"(if {self.cond()} (then")
                out += self.body(open_labels, depth + 1)
                out.append(") (else")
                out += self.body(open_labels, depth + 1)
                out.append("))")
            elif choice < 0.8 or not open_labels:
                out.append(self.work())
            else:
                out.append(self.branch(open_labels))
        if open_labels and rng.random() < 0.4:
            out.append(self.branch(open_labels))
        return out


def nest_module(seed: int) -> str:
    """A module exporting ``run(p)``: one function of generated nested control."""
    nest = _Nest(seed)
    lines = nest.body([], 0)
    counters = "".join(f" (local {name} i32)" for name in nest.counters)
    return ("(module (func (export \"run\") (param $p i32) (result i32) (local $a i32)"
            + counters + " (local.set $a (local.get $p))\n" + "\n".join(lines)
            + "\n(i32.mul (local.get $a) (i32.const 7))))")


def _outcome(instance: wasmem.Instance, p: int) -> object:
    try:
        return instance.exports["run"](p) & 0xFFFFFFFF
    except wasmem.Trap as trap:
        return (str(trap), [(f.function_index, f.line, f.column) for f in trap.frames])


FLAGS = (0, 1, 2, 3, 5, 7, 12, 255, 256, 1023, 2048, 4095, 0x555, 0xAAA)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_generated_nestings_agree_with_the_interpreter(seed: int) -> None:
    """Translated (with escapes copied) and interpreted runs give the same result or
    the same trap with the same frames, for many flag values."""
    module = wasmem.Module(nest_module(seed))
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    for p in FLAGS:
        assert _outcome(compiled, p) == _outcome(interpreted, p), (seed, p)


def test_generated_nestings_exercise_escapes() -> None:
    """Over a range of seeds, escapes are copied in many functions (the test above
    would not cover the rewrite otherwise), and each copy ends in ``return``."""
    copied = 0
    for seed in range(60):
        source = CompiledModule.of(wasmem.Module(nest_module(seed)).ast).source(0)
        assert source is not None
        body = source.split("\n")
        if any(line.endswith("return") or " return " in line for line in body[3:-3]):
            copied += 1
    assert copied >= 10


@pytest.mark.parametrize("seed", [3, 17, 42, 99])
def test_generated_nestings_agree_with_wasmtime(seed: int) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    source = nest_module(seed)
    store = wasmtime.Store()
    run = wasmtime.Instance(store, wasmtime.Module(store.engine, source), []).exports(
        store)["run"]
    instance = wasmem.Instance(wasmem.Module(source), tier="compile")
    for p in FLAGS:
        try:
            expected: object = run(store, p) & 0xFFFFFFFF
        except wasmtime.Trap:
            expected = "trap"
        got = _outcome(instance, p)
        assert (got if not isinstance(got, tuple) else "trap") == expected, (seed, p)


ESCAPES = """\
    while True:
        while True:
            while True:
                if flags & 1:
                    _b = 1
                    break
                if flags & 2:
                    _b = 2
                    break
                trace.append('inner')
                break
            if _b:
                if _b == 2:
                    _b = 0
                break
            trace.append('middle')
            if flags & 4:
                _b = 1
                break
            break
        if _b:
            if _b == 1:
                _b = 0
            break
        trace.append('two')
        return 2, trace
    trace.append('one')
    return 1, trace"""


def test_an_escape_to_a_return_becomes_its_copy() -> None:
    """``_b = 1; break`` (out of three whiles to ``trace.append('one'); return``) and
    ``_b = 2; break`` (to ``'two'``) become copies; the meaning is unchanged."""
    lines = ESCAPES.split("\n")
    new_lines, rewrites = duplicate_tails(lines, escapes_only=True)
    assert rewrites and "_b = 1" not in "\n".join(new_lines)
    assert "_b = 2" not in "\n".join(new_lines)

    def run(body: list[str], flags: int) -> object:
        namespace: dict[str, object] = {}
        exec("\n".join(["def f(flags):", "    _b = 0", "    trace = []", *body]),
             namespace)  # (test data of our own)
        return namespace["f"](flags)  # type: ignore[operator]

    for flags in range(8):
        assert run(new_lines, flags) == run(lines, flags), flags


def test_escapes_through_a_handler_or_to_a_loop_are_left_alone() -> None:
    """A ``break`` inside ``try`` or a landing that continues an outer loop: no copy."""
    lines = ESCAPES.split("\n")
    in_try = [*lines[:2], "            try:", *["    " + line for line in lines[2:11]],
              "            except E:", "                raise", *lines[11:]]
    new_lines, _ = duplicate_tails(in_try, escapes_only=True)
    assert new_lines[:12] == in_try[:12]
    looping = [line.replace("return 1, trace", "continue") for line in lines]
    new_lines, _ = duplicate_tails(looping, escapes_only=True)
    assert "_b = 1" in "\n".join(new_lines[:8])
