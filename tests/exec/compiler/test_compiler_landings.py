"""Switches over many blocks (``exec/compiler/landings.py`` and the ``br_table`` tuple
dispatch of ``emit_branches.py``): the case bodies that nothing falls into are guarded by
one ``if _b == k:``, runs of them sit in a tree of range tests, and ``_b`` comes from a
tuple. Every path must agree with the interpreter and wasmtime, and a trap inside a case
keeps its message and backtrace."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.exec.compiler.landings import MIN_RUN, group_landings, plan_landings
from wasmem.exec.compiler.lines import remap_entries
from wasmem.exec.compiler.tails import duplicate_tails
from wasmem.exec.compiler.tier import CompiledModule
from run_outcome import outcome

# what a case does at its end: fall into the next case, leave for the common tail,
# jump to a later case, restart the loop, return, trap, or run an inner loop that a
# branch to the next case's block leaves (a plain ``break`` falling into that case)
KINDS = ("fall", "tail", "skip", "again", "return", "trap", "loop", "inner", "innerfall")


def switch_module(kinds: list[str], seed: int, exit: bool = False) -> str:
    """A loop around a switch of ``len(kinds)`` cases; case ``k`` ends as ``kinds[k]``;
    with ``exit``, one more entry of the table leaves the loop (a block outside it)."""
    rng = random.Random(seed)
    n = len(kinds)
    text = ['(module (memory 1)',
            ' (func (export "run") (param $n i32) (result i32) (local $acc i32) (local $i i32)',
            '  (block $exit' if exit else '  (block', '  (loop $next', '   (block $done']
    text += [f'    (block $c{k}' for k in reversed(range(n))]
    targets = " ".join(f"$c{k}" for k in range(n))
    # a restart of the loop from inside every block keeps them out of one-shot ``while``s
    text.append('     (if (i32.eq (local.get $i) (i32.const 77)) (then (local.set $i'
                ' (i32.add (local.get $i) (i32.const 2))) (br $next)))')
    extra = " $exit" if exit else ""
    text.append(f'     (br_table {targets} $done{extra} $done (i32.rem_u (local.get $i)'
                f' (i32.const {n + 2 + exit}))))')
    for k in range(n):
        # the code after the end of block $c<k> is case k
        mul = rng.randrange(3, 1000)
        text.append(f'    (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const {mul}))'
                    f' (i32.const {k + 1})))')
        kind = kinds[k]
        if kind == "tail" or (kind == "skip" and k + 2 >= n):
            text.append('    (br $done)')
        elif kind == "skip":
            text.append(f'    (br $c{k + 2})')  # lands at the end of $c<k+2>: case k+2
        elif kind == "again":
            text.append('    (local.set $i (i32.add (local.get $i) (i32.const 1)))')
            text.append('    (br_if $next (i32.lt_u (local.get $i) (local.get $n)))')
            text.append('    (return (local.get $acc))')
        elif kind == "return":
            text.append('    (if (i32.gt_u (local.get $i) (i32.const 100))'
                        ' (then (return (local.get $acc))))')
            text.append('    (br $done)')
        elif kind == "loop" and k + 1 < n:
            text.append(f'    (loop $inner{k} (local.set $acc (i32.add (local.get $acc)'
                        ' (i32.const 3)))')
            text.append(f'     (br_if $c{k + 1} (i32.eqz (i32.and (local.get $acc)'
                        ' (i32.const 7))))')
            text.append(f'     (br $inner{k}))')
        elif kind in ("inner", "innerfall"):
            # a block inside the case that a branch leaves early: the case's code after
            # it sits in an ``if not _b:`` guard after the landing
            text.append(f'    (block $in{k} (br_if $in{k} (i32.and (local.get $acc)'
                        ' (i32.const 1)))')
            text.append('     (local.set $acc (i32.add (local.get $acc) (i32.const 5))))')
            text.append('    (local.set $acc (i32.mul (local.get $acc) (i32.const 3)))')
            if kind == "inner":
                text.append('    (br $done)')
        elif kind == "trap":
            # traps once the loop has gone far enough
            text.append('    (drop (i32.div_u (i32.const 1) (i32.lt_u (local.get $i)'
                        ' (i32.const 30))))')
            text.append('    (br $done)')
        text.append('   )')
    text.append('   (local.set $i (i32.add (local.get $i) (i32.const 1)))')
    text.append('   (br_if $next (i32.lt_u (local.get $i) (local.get $n))))')
    text.append('  )')
    text.append('  (local.get $acc)))')
    return "\n".join(text)


def wasmtime_outcome(source: str, n: int) -> object:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    module = wasmtime.Module(store.engine, source)
    run = wasmtime.Instance(store, module, []).exports(store)["run"]
    try:
        return run(store, n) & 0xFFFFFFFF
    except wasmtime.Trap:
        return "trap"


KINDS_24 = ["tail"] * 8 + ["loop", "tail", "fall", "skip", "tail", "again", "fall", "tail",
                           "return", "tail", "skip", "loop", "trap", "tail", "tail", "fall"]


def test_a_switch_that_also_leaves_the_loop() -> None:
    """One table entry leaves the loop: ``_b`` still comes from a tuple, and one test
    sends the exits out of the ``while``."""
    module = wasmem.Module(switch_module(KINDS_24, 4, exit=True))
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None and ")[t1] if t1 < 26 else" in source, source
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    for n in (0, 1, 2, 5, 24, 25, 26, 27, 40, 53, 60, 200):
        assert outcome(compiled, n) == outcome(interpreted, n), n


def test_switch_of_many_cases_is_a_tree_of_range_tests() -> None:
    """The translated switch: ``_b`` from a tuple, case guards ``if _b == k:`` without
    ``if not _b:``, wrapped in ``if _b >= m:`` tests."""
    module = wasmem.Module(switch_module(KINDS_24, 1))
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None
    assert "_b = (" in source and ")[" in source, source
    assert source.count("if _b >= ") >= 4, source
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    for n in (0, 1, 2, 5, 13, 26, 27, 40, 59, 60, 61, 78, 79, 200):
        assert outcome(compiled, n) == outcome(interpreted, n), n


@pytest.mark.parametrize("n", [0, 3, 30, 61, 80, 100])
def test_switch_agrees_with_wasmtime(n: int) -> None:
    source = switch_module(KINDS_24, 2)
    mine = outcome(wasmem.Instance(wasmem.Module(source), tier="compile"), n)
    theirs = wasmtime_outcome(source, n)
    if theirs == "trap":
        assert isinstance(mine, tuple) and "divide by zero" in mine[0]
    else:
        assert mine == theirs


def test_trap_inside_a_grouped_case_keeps_message_and_frames() -> None:
    """The division by zero in a case deep inside the tree: same message and frames
    (line and column of the ``i32.div_u``) as the interpreter's."""
    module = wasmem.Module(switch_module(KINDS_24, 3))
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    with pytest.raises(wasmem.Trap) as caught:
        compiled.exports["run"](1000)
    assert "divide by zero" in str(caught.value)
    frames = caught.value.frames
    assert frames and frames[0].line is not None
    assert outcome(compiled, 1000) == outcome(interpreted, 1000)


@settings(max_examples=25, deadline=None)
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=30),
       seed=st.integers(0, 1000), n=st.integers(0, 130), exit=st.booleans())
def test_random_switches_agree_with_the_interpreter(kinds: list[str], seed: int,
                                                    n: int, exit: bool) -> None:
    module = wasmem.Module(switch_module(kinds, seed, exit))
    compiled = wasmem.Instance(module, tier="compile")
    interpreted = wasmem.Instance(module, tier="interpret")
    assert outcome(compiled, n) == outcome(interpreted, n)


def test_group_landings_wraps_only_plain_runs() -> None:
    """A run of sibling ``if _b == k:`` statements is wrapped; an ``if`` with an
    ``else`` ends the run; the line table follows (columns of deferred expressions
    shift with the indentation)."""
    site = ((0, None),)
    lines, entries = [], []
    for k in range(MIN_RUN + 2, 0, -1):
        lines += [f"    if _b == {k}:", "        _b = 0", f"        x = f({k})"]
        entries += [(site, ()), (site, ()), (site, ((12, 16, site),))]
    lines += ["    if _b == 0:", "        pass", "    else:", "        pass"]
    entries += [(site, ())] * 4
    new_lines, new_entries = group_landings(lines, entries)
    assert len(new_lines) == len(new_entries)
    assert new_lines[0] == "    if _b >= 5:"
    assert sum(line.strip().startswith("if _b >= ") for line in new_lines) >= 2
    assert new_lines[-4:] == lines[-4:]
    for line, (_site, spans) in zip(new_lines, new_entries):
        for low, high, _ in spans:
            assert line[low:high] == "f(" + line[high - 2:high - 1] + ")" or \
                line[low:high].startswith("f(")
    # too short a run: unchanged
    short, short_entries = lines[:3 * (MIN_RUN - 1)], entries[:3 * (MIN_RUN - 1)]
    assert group_landings(short, short_entries) == (short, short_entries)


GUARDED = """(module
 (func (export "g") (param $x i32) (result i32) (local $r i32)
  (loop $top
   (block $A
    (br_if $A (i32.eq (local.get $x) (i32.const 1)))
    (block $B
      (block $C
        (if (i32.eq (local.get $x) (i32.const 7))
          (then (local.set $x (i32.const 2)) (br $top)))
        (br_table $C $B $A (local.get $x)))
      (local.set $r (i32.const 10))
      (br $A))
    (local.set $r (i32.add (local.get $r) (i32.const 20)))))
  (i32.add (local.get $r) (i32.const 100))))"""


def test_a_landing_inside_a_closed_guard_is_not_a_guard() -> None:
    """``$B``'s landing is emitted inside the ``if not _b:`` that the ``br_if $A``
    opened; the code after it needs a guard of its own at the outer level."""
    module = wasmem.Module(GUARDED)
    compiled = wasmem.Instance(module, tier="compile").exports["g"]
    interpreted = wasmem.Instance(module, tier="interpret").exports["g"]
    for x in (0, 1, 2, 3, 7):
        assert compiled(x) == interpreted(x), x


def test_line_table_follows_landings_when_asked() -> None:
    """The translator rewrites its lines with :func:`plan_landings` and builds the line
    table only when asked; that table equals :func:`group_landings` applied to the
    table of the body before the rewrite (columns of trapping expressions included)."""
    from wasmem.exec import callstack
    from wasmem.exec.compiler import codegen
    from wasmem.exec.compiler.codegen import FunctionCompiler
    from wasmem.exec.compiler.context import ModuleContext

    for kinds, seed, exit in (
            (["tail", "skip", "trap", "return", "tail", "skip", "tail", "trap", "tail",
              "return", "tail", "tail"], 9, True),
            (["trap", "tail", "skip", "tail", "return", "tail", "tail", "skip", "tail"],
             5, False)):
        context = ModuleContext.of(wasmem.Module(switch_module(kinds, seed, exit)).ast)
        with callstack.python_frames(20_000):
            rewritten = FunctionCompiler(context, 0)
            rewritten.compile()
            saved = codegen.MIN_RUN
            codegen.MIN_RUN = 10 ** 9  # the same translation, lines not rewritten
            try:
                plain = FunctionCompiler(context, 0)
                plain.compile()
            finally:
                codegen.MIN_RUN = saved
        assert rewritten.sites.rewrites and not plain.sites.rewrites
        # (.tails rewrites the lines first)
        lines, rewrites = duplicate_tails(plain.lines)
        lines, entries = group_landings(lines, remap_entries(plain.sites.entries, rewrites))
        assert lines == rewritten.lines != plain.lines
        assert entries == rewritten.sites.entries
        assert any(entry and entry[1] for entry in entries)  # spans of trapping code
        assert len(rewritten.line_table) == rewritten.header_lines + 1 + len(lines)


def _run_lines(lines: list[str], b: int) -> tuple[int, list[int], str]:
    """Run a body of landing statements (as ``plan_landings`` sees them) once, from
    ``_b == b``: the final ``_b``, the trace of what ran and how the loop was left."""
    source = ["def f(_b, trace):", "    again = False", "    while True:",
              "        if again:", "            return _b, trace, 'continued'",
              "        again = True"] + ["    " + line for line in lines]
    source += ["        return _b, trace, 'fell'", "    return _b, trace, 'broke'"]
    namespace: dict[str, object] = {}
    exec("\n".join(source), namespace)  # (test data of our own)
    return namespace["f"](b, [])  # type: ignore[operator,no-any-return]


@settings(max_examples=60, deadline=None)
@given(cases=st.lists(st.tuples(st.sampled_from(("continue", "break", "fall", "jump")),
                                 st.integers(0, 2),
                                 st.sampled_from(("continue", "break", "fall", "jump"))),
                      min_size=MIN_RUN, max_size=20),
       seed=st.integers(0, 1000), before=st.sampled_from(("", "exit", "table")))
def test_runs_with_guards_after_landings_keep_their_meaning(
        cases: list[tuple[str, int, str]], seed: int, before: str) -> None:
    """Runs of ``if _b == k:`` landings, each followed by ``if not _b:`` guards (the
    case's code after an inner block), bodies that continue, break, fall through or set
    ``_b`` to a later case: the tree of range tests does what the run did, from every
    ``_b`` (0 included: the run may be entered by falling into it). ``before``: what
    precedes the run (nothing; a table's exit test; a table of targets in an ``if``),
    after which ``_b`` is never 0."""
    rng = random.Random(seed)
    n = len(cases)
    lines: list[str] = []
    if before == "exit":
        lines += ["    if _b <= 1:", "        break"]
    elif before == "table":
        targets = tuple(rng.randrange(1, n + 3) for _ in range(n))
        lines += ["    t = _b", "    if t == 1:", f"        _b = {n + 2}", "    else:",
                  f"        _b = {targets!r}[t] if t < {n} else 2"]
    endings = {"continue": ["continue"], "break": ["break"], "fall": []}
    for index, (end, guards, guard_end) in enumerate(cases):
        k = n + 1 - index
        lines += [f"    if _b == {k}:", "        _b = 0", f"        trace.append({k})"]
        if end == "jump":
            lines.append(f"        _b = {rng.randrange(1, k)}")
        else:
            lines += ["        " + line for line in endings[end]]
        for guard in range(guards):
            lines += ["    if not _b:", f"        trace.append({-100 * k - guard})"]
            if guard_end == "jump":
                lines.append(f"        _b = {rng.randrange(1, k)}")
            else:
                lines += ["        " + line for line in endings[guard_end]]
    lines = [line[4:] for line in lines]  # at level 0 of the body (4 spaces: level 1)
    lines = ["    " + line for line in lines]
    new_lines, _rewrites = plan_landings(lines)
    assert any(line.lstrip().startswith("if _b >= ") for line in new_lines)
    for b in range(n + 3):
        assert _run_lines(new_lines, b) == _run_lines(lines, b), (b, new_lines)


@settings(max_examples=80, deadline=None)
@given(cases=st.lists(st.tuples(st.sampled_from(("continue", "tail", "maybe", "fall", "jump",
                                                 "inner")),
                                 st.integers(0, 2),
                                 st.sampled_from(("continue", "tail", "maybe", "fall"))),
                      min_size=8, max_size=24),
       tails=st.integers(1, 4), seed=st.integers(0, 1000), zero=st.booleans())
def test_cases_leaving_for_shared_tails_keep_their_meaning(
        cases: list[tuple[str, int, str]], tails: int, seed: int, zero: bool) -> None:
    """A switch's cases that leave for the landings at the run's end (its ``break`` and
    shared tails: ``tails`` of them), always (``_b = K``) or on a condition (``if c:
    _b = K``, else falling into the next case), from inside a nested one-shot ``while``
    too, with guards after their landings: the tree (split before the tails, halves
    whose second part becomes ``else:``/``elif``) does what the run did, from every
    ``_b`` and condition (``zero``: the run may be entered at 0)."""
    rng = random.Random(seed)
    n = len(cases) + tails
    lines: list[str] = [] if zero else ["    if _b <= 0:", "        break"]

    def ending(kind: str, k: int) -> list[str]:
        tail = rng.randrange(1, tails + 1)
        if kind == "continue":
            return ["continue"]
        if kind == "tail":
            return [f"_b = {tail}"]
        if kind == "maybe":
            return [f"if c & {1 << (k % 5)}:", f"    _b = {tail}"]
        if kind == "jump":
            return [f"_b = {rng.randrange(1, k)}"]
        if kind == "inner":
            return ["while True:", f"    if c & {1 << (k % 5)}:", f"        _b = {tail}",
                    "        break", f"    trace.append({1000 + k})", "    break"]
        return []

    for index, (end, guards, guard_end) in enumerate(cases):
        k = n - index
        lines += [f"    if _b == {k}:", "        _b = 0", f"        trace.append({k})"]
        lines += ["        " + line for line in ending(end, k)]
        for guard in range(guards):
            lines += ["    if not _b:", f"        trace.append({-100 * k - guard})"]
            lines += ["        " + line for line in ending(guard_end, k)]
    for k in range(tails, 0, -1):
        lines += [f"    if _b == {k}:", "        _b = 0", f"        trace.append({k})"]
        lines.append("        continue" if k % 2 else "        break")
    lines = ["    " + line[4:] for line in lines]
    new_lines, _rewrites = plan_landings(lines)
    assert any(line.lstrip().startswith("if _b >= ") for line in new_lines)
    for c in (0, 5, 10, 31):
        body = [f"    c = {c}", *lines]
        new_body = [f"    c = {c}", *new_lines]
        for b in range(n + 2):
            assert _run_lines(new_body, b) == _run_lines(body, b), (b, c, new_lines)


def test_cases_leaving_for_a_shared_tail_skip_the_rest_of_the_tree() -> None:
    """Cases that end with ``_b = K`` for the landing after the switch (its ``break``):
    the halves of the tree after a half of such cases are ``else:``/``elif``, so a case
    leaving tests no later half."""
    lines: list[str] = []
    for k in range(20, 1, -1):
        lines += [f"    if _b == {k}:", "        _b = 0", f"        trace.append({k})",
                  "        _b = 1"]
    lines += ["    if _b == 1:", "        _b = 0", "        trace.append(1)"]
    new_lines, _rewrites = plan_landings(lines)
    assert sum(line.lstrip() in ("else:",) or line.lstrip().startswith("elif ")
               for line in new_lines) >= 4, new_lines
    for b in range(22):
        assert _run_lines(new_lines, b) == _run_lines(lines, b), b


@pytest.mark.parametrize("always", [False, True])
def test_cases_that_may_fall_into_the_next_keep_it_reachable(always: bool) -> None:
    """Cases that leave for the shared tail only on a condition, else fall (with ``_b``
    0) into the next case's guard: no half after one of them is skipped by ``else:``
    (``always``: the guards leave too, and the halves may be)."""
    lines: list[str] = []
    for k in range(10, 1, -1):
        lines += [f"    if _b == {k}:", "        _b = 0", f"        trace.append({k})",
                  "        if c & 1:", "            _b = 1",
                  "    if not _b:", f"        trace.append({-k})"]
        lines += ["        _b = 1"] if always else ["        if c & 2:", "            _b = 1"]
    lines += ["    if _b == 1:", "        _b = 0", "        trace.append(1)", "        continue"]
    new_lines, _rewrites = plan_landings(lines)
    for c in range(4):
        for b in range(12):
            assert _run_lines([f"    c = {c}", *new_lines], b) == \
                _run_lines([f"    c = {c}", *lines], b), (b, c, new_lines)


def _split_by_definition(statements: list[tuple[int, int, int, bool]],
                         exits: dict[int, tuple[frozenset[int] | None, bool]]) -> int | None:
    """``landings._exit_split`` as its docstring defines it, each split counted anew."""
    count = len(statements)
    if count < 8:
        return None
    position = {abs(k): i for i, (_f, _e, k, _z) in enumerate(statements)}
    lowest = []
    for first, _end, _k, _zero in statements:
        values = exits[first][0]
        lowest.append(-1 if values is None else min(
            (position[v] for v in values if v in position), default=count))
    best, best_score = None, sum(1 for low in lowest if low == count)
    for split in range(count // 2, count - 1):
        score = sum(1 for i in range(split) if lowest[i] >= split)
        if score > best_score:
            best, best_score = split, score
    return best


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_exit_split_sweep_counts_as_the_definition(data: st.DataObject) -> None:
    """The split's score is updated from one split to the next (one sweep): it chooses
    the split that counting every split's score anew chooses, on runs of 1-40
    statements whose exits are unknown, outside the run, or any of its landings."""
    from wasmem.exec.compiler.landings import _exit_split
    count = data.draw(st.integers(1, 40))
    keys = list(range(count + 1, 1, -1))  # (the keys decrease along a run)
    statements = [(3 * i, 3 * i + 2, keys[i], False) for i in range(count)]
    exits: dict[int, tuple[frozenset[int] | None, bool]] = {}
    for i in range(count):
        # (mostly landings at or just after the statement's own: where the sweep's
        # counts change)
        near = st.integers(max(0, i - 1), min(count - 1, i + 2)).map(lambda j: keys[j])
        values = data.draw(st.one_of(
            st.none(), st.frozensets(st.one_of(near, near, st.sampled_from([*keys, 0, 99])),
                                     max_size=3)))
        exits[3 * i] = (values, False)
    assert _exit_split(statements, exits) == _split_by_definition(statements, exits)
