"""Rent in time: what a function's interpreted calls cost, against its translation.

The call budgets of :mod:`.tiering` count calls, a proxy for the time interpreting a
function costs; for a function of branches (a ``malloc``, a ``printf_core``: its budget
grew with its size, :mod:`.straightline`) the price of one call differs a hundredfold
between functions (``dlmalloc`` about 10 us interpreted, ``printf_core`` 100-500 us), so
a size-grown count translates the first far too early for a short run and the second
far too late (``bench/tiering.md``). When the probe at :data:`.tiering.CALL_BUDGET` calls
finds such a function, the tier times its next :data:`RENT_SAMPLES` calls
(:func:`time_calls`, CPU time) and its call budget becomes the rent-or-buy break-even in
time (:func:`calls_to_break_even`): it is translated once its interpreted calls have
cost, in all, :data:`RENT_SHARE` of its estimated translation, scaled by the process's
measured translation speed (:func:`.spending.rent_speed`: estimates are of an idle
reference machine), and still within the share of the run :mod:`.spending` allows;
not before its size-grown budget runs out unless :data:`RENT_BUYS_EARLY`. The
big-translation hold of :mod:`.spending` is then not asked: the measured rent replaces
the count it corrected. With :data:`RENT_HOLDS_LOOPS` (off by default) its loop budget,
a count grown with its size too, waits for the same break-even, in calls or in the
iterations that many calls ran (:func:`iterations_to_break_even`: one activation that
loops on is translated).
The timed time is inclusive of the function's callees unless :data:`RENT_EXCLUSIVE`
(off by default): then the functions it calls directly are timed apart meanwhile and
their time left out (what translating it saves is part of its own time).
Without a disk cache only (with one, translations serve later runs and are made at first
calls), and not with :data:`.tiering.BUDGETS_VARIABLE` set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import time

from ..syntax.instructions import Block
from . import spending
from .estimates import CALLS as _CALLS

__all__ = ["RENT_BUYS_EARLY", "RENT_CALLS_MAX", "RENT_EARLY_SHARE", "RENT_EXCLUSIVE",
           "RENT_HOLDS_LOOPS", "RENT_SAMPLES", "RENT_SHARE", "STRAY_CALLS",
           "calls_to_break_even", "calls_to_wait", "direct_callees",
           "iterations_to_break_even", "time_calls"]

RENT_SAMPLES = 16
"""Calls of a function of branches timed after its probe (0: none, and the size-grown
budget and the big-translation hold of :mod:`.spending` decide, as before this rule)."""

RENT_SHARE = 1.0
"""The share of a function's estimated translation its interpreted calls must have cost
before it is translated: 1 is the rent-or-buy break-even (a run pays at most about
twice what the better of the two choices would have cost it)."""

RENT_BUYS_EARLY = False
"""Whether the break-even may come before the size-grown call budget runs out. Off: the
rent only holds a translation past that budget while the calls so far cost less than
the translation (``dlmalloc`` late in a short run), and a function of costly calls is
translated when its count says, as before the rule. On, a ``printf_core`` of 0.5 ms
calls is bought after ~100-200 calls: in three alternated sessions that lost 11-16% on
a short formatting program (its break-even came at 60% of the run), where the hold
alone kept recur(4)'s gain (``bench/tiering.md``)."""

RENT_EARLY_SHARE = 0.0
"""With :data:`RENT_BUYS_EARLY` off, the multiple of the break-even (:data:`RENT_SHARE`)
at which a function's timed calls buy its translation before its size-grown call budget
runs out (0: never, the count decides). A size-grown count assumes a call runs a few of
a big function's branches; ``ryu``'s ``d2s`` (100-150 us a call interpreted, a budget of
1,760-2,610 calls never reached in a run of 950) or Elk's evaluator (180-350 us a call,
bought by its count at calls 450-1,030, its break-even near call 100) pay their
translation several times over first. Off by default: at 2.0 the later runs of a process
gained (ryu run(8) -28%) and some first runs did (inih run(8) -19%, elk run(4) -8%),
but as many first runs lost 5-50% (recur(4), fast_float run(1) and run(5), ryu run(4)):
the timed time is inclusive of the callees, and translations cost about 3x their
estimates in a process's first run (``bench/tiering.md``, helper "short11")."""

RENT_CALLS_MAX = 1 << 20
"""Calls a function waits at most between two looks at its break-even."""

RENT_HOLDS_LOOPS = False
"""Whether a function whose calls were timed waits for their break-even at its loops
too (:func:`iterations_to_break_even`). Its loop budget, a count grown with its size as
its call budget is, otherwise translates it once its loops have run that many
iterations over its calls, whatever the calls cost: in inih's run(1), ``printf_core``
(85 us a call interpreted, 1,082 calls in the run, estimated 36 ms, translated in 60-100)
is translated at about its 450th call by its loop budget, while its break-even in time
at the measured speed is past the run's end. On, inih run(1) -21..-29% (later runs of a
process) and stbsp, parson run(1) -9..-14%, but the longer inih run(8) +16..33% on first
runs of a process in three alternated sessions of four (it pays the break-even before
buying, as a rent rule does): off by default (``bench/tiering.md``, helper "policy10")."""

RENT_EXCLUSIVE = False
"""Whether a function's timed calls leave out the time of the functions they call
directly (:func:`time_calls`): translating a function saves part of its own time, not
its callees', which stay as they are (interpreted until their own budgets say). With
the calls timed inclusively (off, as before), a ``printf_core`` that spends most of a
call in ``out``/``pad``/``fmt_fp``, or Elk's evaluator calling its parser's functions,
reaches its break-even several times too early (``bench/tiering.md``, helper
"est12")."""

STRAY_CALLS = 1024
"""With :data:`RENT_EXCLUSIVE`, calls of a timed function's callees made outside its
timed calls after which the timing ends with the calls timed so far (none: nothing is
reported): the callees' bindings are the timing's wrappers meanwhile, which a callee
called often elsewhere pays for at each call."""

_OUTSIDE, _OWN, _CALLEE = 0, 1, 2  # whose time runs while a function's calls are timed


def calls_to_break_even(calls: int, per_call: float, cost: float | None) -> int:
    """How many more calls of ``per_call`` seconds each a function that has run ``calls``
    interpreted runs before they cost, in all, :data:`RENT_SHARE` of its translation's
    estimated ``cost`` scaled by :func:`.spending.rent_speed` (0: reached; at most
    :data:`RENT_CALLS_MAX`). Raises nothing."""
    need = (cost or 0.0) * spending.rent_speed() * RENT_SHARE
    return max(0, min(RENT_CALLS_MAX, int((need - calls * per_call) / per_call) + 1))


def calls_to_wait(calls: int, per_call: float, cost: float | None, counted: int) -> int:
    """How many more calls a function whose ``calls`` interpreted calls were timed at
    ``per_call`` seconds each waits before its translation, when its size-grown call
    budget has ``counted`` calls left: its break-even (:func:`calls_to_break_even`) at
    least, and with :data:`RENT_BUYS_EARLY` off its count too, unless
    :data:`RENT_EARLY_SHARE` times the break-even comes first. Raises nothing."""
    left = calls_to_break_even(calls, per_call, cost)
    if RENT_BUYS_EARLY:
        return left
    if RENT_EARLY_SHARE > 0:
        early = calls_to_break_even(calls, per_call, (cost or 0.0) * RENT_EARLY_SHARE)
        counted = min(counted, early)
    return max(left, counted)


def iterations_to_break_even(calls: int, per_call: float, looping: float,
                             cost: float | None, iterations: int) -> int:
    """How many more loop iterations a function that has run ``calls`` interpreted
    calls of ``per_call`` seconds and ``iterations`` iterations of its loops runs before
    the first of two comes: its calls cost, in all, its break-even
    (:func:`calls_to_break_even`), or its iterations reach those that many calls run,
    ``looping`` a call as when its calls were timed (an activation that loops far longer
    than those calls did pays its break-even in iterations, not in calls); 0: reached
    (at most :data:`RENT_CALLS_MAX`). Raises nothing."""
    calls_left = calls_to_break_even(calls, per_call, cost)
    if calls_left == 0:
        return 0
    need = (cost or 0.0) * spending.rent_speed() * RENT_SHARE
    left = int(need / per_call * looping) - iterations + 1
    return max(0, min(RENT_CALLS_MAX, left))


def time_calls(function: Any, current: dict[int, Any], namespace: dict[str, Any],
               index: int, samples: int, done: Callable[[float], Any],
               callees: Sequence[tuple[int, Any]] | None = None) -> None:
    """Time the next ``samples`` calls of ``function`` (function ``index``, bound to
    ``current[index]`` by its tier and to ``namespace["F<index>"]`` for compiled
    callers) made through either binding: CPU time, inclusive of its callees; an
    activation inside a timed one (it calls itself) is not timed again but counted,
    as its call budget counts it. With :data:`RENT_EXCLUSIVE` on, the time its direct
    callees (``callees``, pairs of an index and its function; None: those its body
    calls by ``call``, :func:`direct_callees`) take is left out, unless they call it
    again (that activation's own time counts). Then bind everything back and call
    ``done`` with a call's mean time. Nothing is timed while the function is bound to
    something other than its tier's callable (an instrument of :mod:`wasmem.observe`);
    a binding changed meanwhile (a translation) is left as it is. The timing wrappers
    are no ``F<n>`` functions, so backtraces skip their frames. Raises nothing."""
    entry = function.call
    key = f"F{index}"
    direct = namespace.get(key)
    if entry is not current.get(index) or direct is None:
        return
    clock = time.process_time
    spent = [0.0, 0]  # seconds of its own (and callees' unless exclusive), calls timed
    mode = [_OUTSIDE]  # whose time runs now
    since = [0.0]  # since when (the clock)
    restores: list[tuple[Any, Any, Any, Any]] = []  # (holder, key, ours, original)
    stray = [0]  # calls of wrapped callees outside its activations
    finished: list[bool] = []

    def switch(to: int) -> int:
        was, now = mode[0], clock()
        if was == _OWN:  # (a callee's time is _CALLEE's: only with RENT_EXCLUSIVE)
            spent[0] += now - since[0]
        mode[0], since[0] = to, now
        return was

    def finish(report: bool) -> None:
        finished.append(True)
        for holder, name, ours, original in restores:
            if isinstance(holder, dict):
                if holder.get(name) is ours:
                    holder[name] = original
            elif getattr(holder, name) is ours:
                setattr(holder, name, original)
        if report:
            done(spent[0] / spent[1])

    def timing(target: Any) -> Any:
        def timed(*args: Any) -> Any:
            spent[1] += 1
            if mode[0] == _OWN:  # (inside a timed activation: counted, timed there)
                return target(*args)
            was = switch(_OWN)
            try:
                return target(*args)
            finally:
                switch(was)
                if was == _OUTSIDE and spent[1] >= samples and not finished:
                    finish(True)
        return timed

    def leaving(target: Any) -> Any:  # a direct callee: its time is not the function's
        def callee(*args: Any) -> Any:
            if mode[0] != _OWN:
                if mode[0] == _OUTSIDE and not finished:
                    stray[0] += 1
                    if stray[0] > STRAY_CALLS:  # (its own calls are rare: stop timing,
                        finish(spent[1] > 0 and function.call is timing_call)  # reported
                        # unless it was translated meanwhile)
                return target(*args)
            switch(_CALLEE)
            try:
                return target(*args)
            finally:
                switch(_OWN)
        return callee

    def bind(holder: Any, name: Any, original: Any, ours: Any) -> None:
        if isinstance(holder, dict):
            holder[name] = ours
        else:
            setattr(holder, name, ours)
        restores.append((holder, name, ours, original))

    timing_call, timing_direct = timing(entry), timing(direct)
    bind(function, "call", entry, timing_call)
    bind(current, index, entry, timing_call)
    bind(namespace, key, direct, timing_direct)
    if not RENT_EXCLUSIVE:
        return
    for callee_index, callee in (direct_callees(function, index) if callees is None
                                 else callees):
        bound = callee.call
        if callee_index == index or bound is not current.get(callee_index):
            continue  # (itself, or not its tier's callable: an instrument's, a host's)
        wrapped = leaving(bound)
        bind(callee, "call", bound, wrapped)
        bind(current, callee_index, bound, wrapped)
        compiled = namespace.get(f"F{callee_index}")
        if compiled is not None:
            bind(namespace, f"F{callee_index}", compiled, leaving(compiled))


def direct_callees(function: Any, index: int) -> list[tuple[int, Any]]:
    """The defined functions of ``function``'s instance (function ``index`` there) that
    its body calls by ``call`` (not through tables, not imports), as pairs of an index
    and its function; none for a function that is no defined function of an instance
    from a module. Raises nothing."""
    instance = getattr(function, "instance", None)
    if instance is None:
        return []
    defined = instance.module.functions
    imported = len(instance.functions) - len(defined)
    if not 0 <= index - imported < len(defined):
        return []
    found: set[int] = set()
    blocks = [defined[index - imported].body]
    while blocks:
        for ins in blocks.pop():
            if ins.opcode in _CALLS:
                if ins.immediates[0] >= imported:
                    found.add(ins.immediates[0])
            elif isinstance(ins, Block):
                blocks.append(ins.body)
                if ins.else_body:
                    blocks.append(ins.else_body)
    return [(callee, instance.functions[callee]) for callee in sorted(found)]
