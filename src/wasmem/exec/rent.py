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
Without a disk cache only (with one, translations serve later runs and are made at first
calls), and not with :data:`.tiering.BUDGETS_VARIABLE` set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import time

from . import spending

__all__ = ["RENT_BUYS_EARLY", "RENT_CALLS_MAX", "RENT_EARLY_SHARE", "RENT_HOLDS_LOOPS",
           "RENT_SAMPLES", "RENT_SHARE", "calls_to_break_even", "calls_to_wait",
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
               index: int, samples: int, done: Callable[[float], Any]) -> None:
    """Time the next ``samples`` calls of ``function`` (function ``index``, bound to
    ``current[index]`` by its tier and to ``namespace["F<index>"]`` for compiled
    callers) made through either binding: CPU time, inclusive of its callees; an
    activation inside a timed one (it calls itself) is not timed again but counted,
    as its call budget counts it. Then bind both back and call ``done`` with a call's
    mean time. Nothing is timed while the function is bound to
    something other than its tier's callable (an instrument of :mod:`wasmem.observe`);
    a binding changed meanwhile (a translation) is left as it is. The timing wrapper
    is no ``F<n>`` function, so backtraces skip its frame. Raises nothing."""
    entry = function.call
    key = f"F{index}"
    direct = namespace.get(key)
    if entry is not current.get(index) or direct is None:
        return
    clock = time.process_time
    spent = [0.0, 0]  # seconds, calls timed (with those inside a timed one)
    inside = [False]
    finished: list[bool] = []

    def timing(target: Any) -> Any:
        def timed(*args: Any) -> Any:
            spent[1] += 1
            if inside[0]:
                return target(*args)
            inside[0] = True
            began = clock()
            try:
                return target(*args)
            finally:
                inside[0] = False
                spent[0] += clock() - began
                if spent[1] >= samples and not finished:
                    finished.append(True)
                    if function.call is timing_call:
                        function.call = current[index] = entry
                    if namespace.get(key) is timing_direct:
                        namespace[key] = direct
                    done(spent[0] / spent[1])
        return timed

    timing_call, timing_direct = timing(entry), timing(direct)
    function.call = current[index] = timing_call
    namespace[key] = timing_direct
