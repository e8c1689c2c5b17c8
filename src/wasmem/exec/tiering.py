"""The tiered execution mode (the default): interpret first, translate what gets hot.

Translating a function into Python costs far more than interpreting it a few times, so
a short run that translates everything it touches spends most of its time translating.
In the tiered mode every defined function starts on the interpreter
(:mod:`.interpreter`); each one has a *budget* of :data:`CALL_BUDGET` entries, where an
entry is a call or an iteration of one of its loops (a loop header reached). When the
budget runs out the function is *promoted*: translated by the compiling tier
(:mod:`.compiler.tier`) and bound everywhere it is called from, so its next call runs
compiled code. A function that runs one long loop (a C ``main``, a ``run(n)`` export)
does not wait for its next call: at the header of the hot loop, when the loop is
entered with an empty operand stack, the running activation moves on to compiled code
(on-stack replacement, :mod:`.osr`): a continuation of the function entered at that
loop with the interpreter's locals.

The translated code is the one the compiling tier runs, and the switch happens at
function entry or at a loop header, where both tiers have charged the same fuel and
hold the same call depth, so results, traps and their backtraces, fuel and call-depth
limits are those of the other two modes. Functions the compiler cannot translate stay
on the interpreter. With a disk cache, translations are stored when a function is
promoted, and a later process that finds a function's translation there runs it
compiled from its first call: warm runs start where hot ones ended. With a disk cache,
every function is translated at its first call (:data:`CACHED_CALL_BUDGET`) and stored:
the first run with an empty cache is faster than interpreting first calls would be (no
function is decoded for the interpreter as well as translated), and every later run
loads all that it reaches. Without one, a translation lasts only as long as the
process, and the budgets below decide.

Until a process has imported the interpreter, a function whose translation (with those of
the functions it reaches by direct calls) fits in what importing it would cost is
translated at its first call (:data:`INTERPRETER_COST`): small programs never import it.
An instance of a module that small in all (every function's translation together fits in
that allowance) translates each function at its first call even after that, so that
every run of a small program is made as its first one was.

A budget that runs out may still have to wait: an instance's translations may take only
so much of the time it has run (:mod:`.spending`), so a huge function that gets hot near
the end of a short run stays interpreted rather than taking a large part of the run to
translate. A function of branches has a few calls timed, and its translation then waits
for the break-even in time of interpreting it against translating it (:mod:`.rent`).

Budgets grow with a function's size, except the call budget of a straight-line function
(:mod:`.straightline`: each call runs about all of its body, checked after
:data:`CALL_BUDGET` calls); a function already translated once (a continuation)
must spend a budget again before its next translation, and a second hot loop translates
the whole function rather than another continuation.

The continuations are made and kept by :mod:`.continuations`; a translation already at
hand (made in this process, or found in the disk cache) is bound at a function's first
call by the short path of :mod:`.cached_binding`, which a promotion ends with too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import os
import sys
import time

from ..runtime.instances import ModuleInstance
from ..syntax.instructions import Block
from . import callstack, exits, rent, spending
from .cached_binding import BindingTier  # (the compiler: at the first translation)
from .collector import collector_paused
from .estimates import builds_much, module_fits, reach_fits, translation_estimate
from .heat import Heat
from .tier_names import _with_depth

if TYPE_CHECKING:  # the interpreter and .osr are imported where used: a run whose
    # functions all come compiled from the disk cache never needs them
    from .interpreter.decode import DecodedFunction

__all__ = ["CACHED_CALL_BUDGET", "CACHED_LOOP_BUDGET", "CALL_BUDGET", "LOOP_BUDGET",
           "TieredTier", "replace_stack"]

CALL_BUDGET = 100
"""Calls a function runs on the interpreter before it is translated (chosen by
measurement: ``bench/tiering.py``); 0: translated before its first call, as in the
compiling tier."""

LOOP_BUDGET = 1000
"""Loop iterations (loop headers reached) a function of up to :data:`SIZE_SCALE` closures
runs on the interpreter before an activation standing at a loop header moves on to
compiled code (on-stack replacement)."""

# Both budgets grow with the function's size, as the cost of translating it does, while
# the cost of a call or of an iteration mostly does not: a big function is mostly
# branches (a ``switch``, a ``malloc``) of which one call or iteration runs a few
# (measurements: ``bench/tiering.md``); a straight-line one is not (.straightline).

SIZE_SCALE = 100
"""Function size (interpreter closures) from which the loop budget grows in proportion."""

CALL_SCALE = 30
"""Function size from which the call budget grows in proportion (a function of 300
closures gets 10 times :data:`CALL_BUDGET`)."""

MAX_CONTINUATIONS = 2
"""Continuations (on-stack replacements, at different loops) made of one function: a
function whose loops get hot one after the other is translated whole after its first
continuation, and only an activation that stays in a loop long after that (a
dispatcher's main loop, say) gets one more."""

SHARED_LOOP_CALLS = 8
"""A function whose loop budget runs out after this many calls (or more) is translated
whole rather than given a continuation at the loop: its loop's iterations were spread
over many calls (a recursive parser's, ``strlen``'s), so the activation at the header has
few left, while its next calls would otherwise run interpreted up to the loop and be
translated again when the call budget runs out (json(370): 113 -> 91 ms of CPU time,
strings(25) 252 -> 230; ``bench/tiering.md``)."""

CACHED_CALL_BUDGET: int | None = 0
"""With a disk cache, the call budget of every function (None: the budgets of a run
without a cache): 0, every function is translated at its first call and stored, as the
compiling tier does. A translation serves every later run, and a run that interprets a
function's first call pays for decoding it for the interpreter, about a fifth of
translating it, and for importing the interpreter, besides the translation at its next
call: in-process CPU time of a first run with an empty cache, second-call rule -> this
one, SQLite 3.18 -> 2.53 s (pwasm 2.2 s), zstd 1.20 -> 0.93 (0.92), Lua 5.4 1.30 -> 0.99,
QuickJS-ng 2.61 -> 2.01, cmark-gfm 1.28 -> 1.02, and 10-30% on the 16 programs measured
(``bench/tiering.md``). The runs after it load all that they reach: nothing is translated
on a later run's first call, as the rules before this one did for the functions the first
run called once (SQLite's second run 0.46 -> 0.29 s, pwasm 0.31 s)."""

CACHED_LOOP_BUDGET = 100
"""With a disk cache and :data:`CACHED_CALL_BUDGET` above 0, the loop budget of every
loop whose own one is larger: a loop that runs this many iterations gets its compiled
continuation, stored, so the next runs enter it compiled at once."""

INTERPRETER_COST = 0.005
"""Seconds of CPU time importing the interpreter costs a process (its modules and their
generated tables, measured 5 ms; ``bench/tiering.md``). Until a process has imported it,
a function whose estimated translation time (:func:`translation_estimate`) fits in what
is left of this allowance is translated at its first call instead: a short program of
small functions never imports the interpreter (nor decodes anything for it), and one that
needs it has spent at most this much on translations it might have skipped. It is the
rent-or-buy rule of the budgets applied to the interpreter itself; once it is imported
(or a function's estimate does not fit), the budgets decide."""

CALIBRATED = False
"""Whether promotions measure the process's translation speed (:func:`.spending.speed`),
which then scales the estimates of the big-translation hold. Off: on a loaded machine it
won recur(4) -29..-35% and lost json(18) +24..28%, lists(3) +17% in two of three
alternated sessions (``bench/tiering.md``, "Estimates at the machine's speed"); with it
off, ``speed()`` is 1 and every estimate is taken as it is."""

_allowance = [INTERPRETER_COST]  # what is left of it in this process

BUDGETS_VARIABLE = "WASMEM_TIER_BUDGETS"
"""Environment variable overriding both budgets, as ``CALLS,ITERATIONS`` (for tests,
which set them low to switch tiers in the middle of everything, and for measuring); set,
it also turns off the first-call translations of :data:`INTERPRETER_COST` and of
:data:`CACHED_CALL_BUDGET` (with a cache, the second-call rule then holds) and the
waiting of :mod:`.spending`, so the budgets alone decide."""


def _configured() -> None:
    global CALL_BUDGET, LOOP_BUDGET, _budgets_set
    setting = os.environ.get(BUDGETS_VARIABLE, "")
    try:
        calls, iterations = (int(x) for x in setting.split(","))
    except ValueError:
        return
    CALL_BUDGET, LOOP_BUDGET = max(0, calls), max(0, iterations)
    _allowance[0] = 0.0
    _budgets_set = True


_budgets_set = False  # WASMEM_TIER_BUDGETS: a function whose first call finds no
# translation starts on the interpreter, with or without a cache (the budgets decide)


_configured()


class TieredTier(BindingTier):
    """A compiling tier whose functions start on the interpreter (module docstring).

    Args:
        instance: the instance, with every runtime object created.
        fallback: as for :class:`CompilingTier` (the interpreter).
    """

    def __init__(self, instance: ModuleInstance, fallback: Any = None) -> None:
        super().__init__(instance, fallback)
        self.interpreted: dict[int, Any] = {}  # index -> the interpreter's callable
        self.hooks: dict[int, list[tuple[int, Any]]] = {}  # index -> (pc, closure replaced)
        self.heat = heat = Heat.of(instance)  # the module's budgets (and its ledger)
        self.ledger = heat.ledger
        heat.instances += 1
        self.rerun = heat.instances > 1 and not _budgets_set  # (.heat.RERUN_CALLS)
        self.small: bool | None = None  # whether the module is small (before_interpreter)
        # index -> (calls, loop iterations) this instance ran of it interpreted
        self.meters: dict[int, Any] = {}
        self.planned: frozenset[int] | None = None  # translated at first calls (Heat.plan)

    def release(self, indices: set[int]) -> None:
        """Forget the code bound for the functions ``indices`` (:mod:`.release` binds
        first-call stubs again). Raises nothing."""
        self.heat.bank(self)  # what its functions ran stays counted for the module
        super().release(indices)
        self.interpreted.clear()  # (a promoted function's interpreter entry is unused)
        self.hooks.clear()  # (put back already)

    def make_stub(self, index: int, direct: bool = False) -> Any:
        """Return the callable bound to function ``index`` until its first call decides
        its tier: compiled at once when a translation is already at hand (made in this
        process or found in the disk cache), else the interpreter. A ``direct`` one is
        called by compiled code with the call depth as last argument."""
        def first_call(*args: Any) -> Any:
            self.start(index)
            target = self.namespace[f"F{index}"] if direct else self.current[index]
            return target(*args)
        first_call.__name__ = f"F{index}_first"
        if not direct:
            self.current[index] = first_call
        return first_call

    def start(self, index: int) -> None:
        """Bind function ``index`` to its first tier (once).

        Raises:
            UnsupportedFeature: if neither tier can run the function.
        """
        if index in self.interpreted or index in self.promoted:
            return
        if self.bind_at_hand(index):  # (the short path: .cached_binding)
            return
        if self.rerun and self.heat.ran(index, self) and self.promote(index):
            return  # the module runs again: what its earlier instances ran (.heat)
        if (CALL_BUDGET == 0 or self.cached_first_call()
                or self.before_interpreter(index)) and self.promote(index):
            return
        from .interpreter import interpreter_callable
        entry = interpreter_callable(self.instance, index)
        self.interpreted[index] = entry
        function = self.instance.functions[index]
        self.namespace[f"F{index}"] = _with_depth(entry, len(function.type.params))
        if function.call is self.current[index]:  # else instrumented (wasmem.observe)
            function.call = entry
            for namespace, key in self.importers.get(index, ()):
                namespace[key] = entry
        self.current[index] = entry

    def cached_first_call(self) -> bool:
        """Whether functions are translated on their first call because the module has a
        disk cache and :data:`CACHED_CALL_BUDGET` is 0."""
        return (CACHED_CALL_BUDGET == 0 and self.compiled.cache is not None
                and not _budgets_set)

    def before_interpreter(self, index: int) -> bool:
        """Whether function ``index`` is translated on its first call because the
        interpreter is not imported yet and the translations of it and of every
        function it reaches by direct calls fit in the allowance of
        :data:`INTERPRETER_COST` (it then uses up its own estimate; a function that
        leads to bigger ones starts on the interpreter, which the run will need)."""
        left = _allowance[0]
        if left <= 0:
            return self.small_module()  # (see small_module)
        cost = translation_estimate(self.instance, index)
        if (cost is None or _INTERPRETER in sys.modules
                or not reach_fits(self.instance, index, left)):
            _allowance[0] = 0.0  # the interpreter is (about to be) imported
            return self.small_module()  # (as when the allowance ran out before)
        _allowance[0] = left - cost
        return True

    def small_module(self) -> bool:
        """Whether every function of this instance's module is translated at its first
        call because their estimated translations together fit in
        :data:`INTERPRETER_COST` (not with :data:`BUDGETS_VARIABLE` set): a small
        program's later runs in a process, once the first ones have spent the process's
        allowance or something has imported the interpreter, are translated as the
        first one was rather than interpreted first and translated after
        :data:`CALL_BUDGET` calls, which costs their decoding for the interpreter, those
        interpreted calls and the same translations (CPU time of runs 5-10 of a process,
        fresh Module per run: bfvm(3) 5.7 -> 3.9 ms, brloops(1) 4.8 -> 2.8, fnptr(20)
        22.1 -> 17.4; ``bench/tiering.md``). Raises nothing."""
        if self.small is None:
            self.small = not _budgets_set and module_fits(self.instance, INTERPRETER_COST)
        return self.small

    def promote(self, index: int) -> bool:
        """Translate function ``index`` and bind it wherever this tier's callable is
        bound (not in place of an observing session's, :mod:`wasmem.observe`, which
        puts this tier's back when it ends). Returns whether it could translate."""
        self.translating()  # (the compiler, imported and bound at the first translation)
        made = ((index, self.fuel) in self.compiled.codes  # (made before, or loaded:
                or self.compiled.cache is not None)  # not measured)
        began = time.process_time()
        moving = (index, self.fuel) not in self.compiled.codes \
            and builds_much(self.instance, index)  # (the module's: see .collector)
        with collector_paused(moving=moving):
            code = self.compiled.code(index, self.fuel)
        self.ledger.charge(time.process_time() - began, None if made or code is None
                           else translation_estimate(self.instance, index), CALIBRATED)
        if code is None:
            return False
        with collector_paused():
            self.bind_translated(index)
        return True

    def linked(self, index: int, decoded: DecodedFunction, code: Any) -> None:
        """Called by the interpreter when it links function ``index``: count its calls
        at its entry (promoted when :data:`CALL_BUDGET` runs out) and its loop
        iterations at their headers (on-stack replacement when :data:`LOOP_BUDGET` runs
        out, for loops that allow it, :mod:`.osr`)."""
        ops = code.ops
        size = len(decoded.ir)
        calls = CALL_BUDGET * max(size, CALL_SCALE) // CALL_SCALE
        iterations = LOOP_BUDGET * max(size, SIZE_SCALE) // SIZE_SCALE
        if CACHED_CALL_BUDGET is not None and self.compiled.cache is not None:
            calls = min(calls, max(CACHED_CALL_BUDGET, 1))  # (second-call rule)
            iterations = min(iterations, CACHED_LOOP_BUDGET)
        tier = self
        locals_count = decoded.base  # parameters and declared locals
        # what the module's other instances ran of it counts against its budgets (Heat)
        heat = self.heat
        heat.live.add(self)  # (again after a release, which banked its counts)
        heat.budgets[index] = (calls, iterations)
        credited, credited_iterations, known_paid = heat.spent(index, self)
        # budgets run out: the translation may still wait for the run to last (.spending),
        # unless they ran out in the module's earlier instances: the process runs the
        # module again and again, and its translation serves every later instance (as
        # with a disk cache, where nothing waits)
        held = (not _budgets_set and self.compiled.cache is None
                and credited < calls and credited_iterations < iterations)
        cost = translation_estimate(self.instance, index) if held else None

        # at CALL_BUDGET calls a straight-line function is translated (.straightline)
        probing = size > CALL_SCALE and calls > CALL_BUDGET
        call_budget = CALL_BUDGET if probing else calls
        budget = iterations
        loops_waited = 0  # translations of it the loop budget was renewed for (below)
        # continuations of it that earlier instances paid for with their budgets (this
        # one binds them at their loops) renew no budget here
        prior = self.continuations_in_module(index) if credited or credited_iterations else 0
        iterations -= credited_iterations
        granted_iterations = iterations  # (what the loop countdown was set to last,
        ran_iterations = 0  # and the iterations run before that)

        def grant_iterations(count: int) -> None:
            nonlocal iterations, granted_iterations, ran_iterations
            ran_iterations += granted_iterations - iterations
            iterations = granted_iterations = count

        def at_loop(pc: int, loop: Block, ordinal: int, original: Any) -> Any:
            ordinal = exits.key(ordinal)  # (negative: loop-only, .exits)
            ready = tier.continuation_at_hand(index, loop, ordinal)

            def count(R: list[Any]) -> int:
                nonlocal iterations, loops_waited  # (grant_iterations sets them too)
                iterations -= 1
                if iterations < 0 or ready:
                    made = 0 if ready else tier.translations(index)
                    if made > loops_waited:  # one more translation must earn its cost
                        grant_iterations(budget * (made - loops_waited))
                        loops_waited = made
                        return original(R)  # type: ignore[no-any-return]
                    if not ready and held and not tier.ledger.affordable(cost):
                        grant_iterations(max(1, budget // spending.RETRY))  # .spending
                        return original(R)  # type: ignore[no-any-return]
                    if not ready and not made and paid and rent.RENT_HOLDS_LOOPS:
                        wait = rent.iterations_to_break_even(  # (.rent: its calls timed)
                            granted - code.countdown, paid, looping, cost,
                            ran_iterations + granted_iterations - iterations)
                        if wait:
                            grant_iterations(min(wait, max(1, budget // spending.RETRY)))
                            return original(R)  # type: ignore[no-any-return]
                    if index not in tier.promoted and ((made and ordinal >= 0) or (
                            not ready and call_budget - code.countdown >= SHARED_LOOP_CALLS)):
                        # a second hot loop, or one whose iterations many calls ran:
                        # translate the whole function (its next calls run compiled)
                        # rather than one continuation per loop (the activations
                        # running now finish interpreted; a continuation already
                        # made, in the disk cache say, is entered)
                        tier.promote(index)
                        return original(R)  # type: ignore[no-any-return]
                    if not ready and tier.continuations_of(index) >= (
                            MAX_CONTINUATIONS if ordinal >= 0 else exits.MAX_LOOP_ONLY):
                        ops[pc] = original  # this activation finishes interpreted
                        return original(R)  # type: ignore[no-any-return]
                    enter = tier.continuation(index, loop, ordinal)
                    step = None if enter is None else entering(enter, loop, ordinal)
                    # (``count`` itself by its code: naming it would be a cycle)
                    if getattr(ops[pc], "__code__", None) is sys._getframe().f_code:
                        ops[pc] = original if step is None else step
                    if step is not None:
                        return step(R)  # type: ignore[no-any-return]
                return original(R)  # type: ignore[no-any-return]
            return count

        def entering(enter: Any, loop: Block, ordinal: int) -> Any:
            if ordinal < 0:  # made loop-only if it could be (.exits)
                from .osr import loop_only
                if loop_only(tier.compiled.context, index, loop):
                    after, around = decoded.exits[-1 - ordinal]
                    pcs = (after, *around)

                    def to_loop(R: list[Any]) -> int:
                        return exits.replace_stack(enter, R, locals_count, code, pcs)
                    return to_loop

            def to_compiled(R: list[Any]) -> int:
                return replace_stack(enter, R, locals_count, code)
            return to_compiled

        if not self.fuel:
            seen: set[int] = set()
            for ordinal, (pc, height, loop) in enumerate(decoded.loops):
                if pc > 0 and pc not in seen:  # nested loops may share a header
                    seen.add(pc)
                    if height == 0:
                        self.hooks.setdefault(index, []).append((pc, ops[pc]))
                        ops[pc] = at_loop(pc, loop, ordinal, ops[pc])
        from .interpreter import NEVER  # (imported: it is the interpreter calling)
        calls_waited = loops_waited = prior  # translations its budgets were renewed for
        granted = call_budget  # calls the countdown was given in all (those run: less
        paid = 0.0  # its countdown) and a call's measured CPU time (0: not measured)
        looping = 0.0  # loop iterations a call ran, when its calls were timed

        def rented(per_call: float) -> None:  # RENT_SAMPLES calls timed (a function of
            nonlocal paid, granted, looping  # branches): its budget is now its break-even
            paid = max(per_call, 1e-7)
            looping = (ran_iterations + granted_iterations - iterations) / max(
                1, granted - code.countdown)
            heat.paid[index] = paid  # (the module's next instances need not time it)
            left = rent.calls_to_wait(granted - code.countdown, paid, cost, code.countdown)
            granted += left - code.countdown
            code.countdown = left

        def expired() -> None:  # the interpreter's entry counted ``call_budget`` calls
            nonlocal calls_waited, call_budget, probing, granted
            branches = call_budget > CALL_BUDGET  # (its budget grew: not straight-line)
            if probing:
                probing = False
                from .straightline import straight_line
                if not straight_line(decoded):
                    code.countdown += calls - call_budget  # the rest of its budget
                    granted += calls - call_budget
                    call_budget = calls
                    if held and known_paid:
                        rented(known_paid)
                    elif held and rent.RENT_SAMPLES and cost is not None:
                        rent.time_calls(tier.instance.functions[index], tier.current,
                                        tier.namespace, index, rent.RENT_SAMPLES, rented)
                    return
            # (a loop-only continuation runs the loop only: the calls still wait for it)
            made = tier.translations(index) if not exits.LOOP_ONLY else int(
                index in tier.promoted)
            if made > calls_waited:  # its continuations run its loops compiled already
                code.countdown = call_budget * (made - calls_waited)
                granted += code.countdown
                calls_waited = made
                return
            if held and paid:  # break-even in time reached: the share rule alone
                left = rent.calls_to_break_even(granted, paid, cost)
                if left > 1 or not tier.ledger.affordable(cost, paid=True):
                    code.countdown = left if left > 1 else max(1, call_budget // spending.RETRY)
                    granted += code.countdown
                    return
            elif held and not tier.ledger.affordable(cost, branches):
                code.countdown = max(1, call_budget // spending.RETRY)  # .spending
                granted += code.countdown
                return
            code.countdown = NEVER  # promoted, or it cannot translate
            if exits.COLD_EXITS:  # a big one without the parts never entered (.pruned)
                from .pruned import install
                if install(tier, index, decoded, code):
                    return
            tier.promote(index)

        code.countdown = call_budget - credited
        code.expired = expired

        def meter() -> tuple[int, int]:  # what this instance ran of it (Heat)
            left = code.countdown
            calls_run = 0 if left >= NEVER // 2 else max(0, granted - left - credited)
            return calls_run, max(0, ran_iterations + granted_iterations - iterations)
        self.meters[index] = meter

    def translations(self, index: int) -> int:
        """How many translations of function ``index`` this instance made or loaded: the
        function itself (promoted) and its continuations."""
        return (index in self.promoted) + self.continuations_of(index)


def replace_stack(enter: Any, R: list[Any], locals_count: int, code: Any) -> int:
    """Run the rest of an interpreted activation in its compiled continuation ``enter``
    from the loop header it stands at (locals ``R[:locals_count]``), leave its results
    where the interpreter returns them from, and return 0 (the activation's end).
    A backtrace through here shows the continuation's frames, not the interpreter's."""
    out = enter(*R[:locals_count], callstack.passed_depth(callstack.LOCAL.counters.depth))
    n = code.results
    if n == 1:
        R[code.base] = out
    elif n:
        R[code.base:code.base + n] = out
    return 0


_INTERPRETER = __name__.rpartition(".")[0] + ".interpreter"
