"""What an instance has spent translating, against the time it has run.

A budget (:mod:`.tiering`) says a function is hot enough to translate; it cannot say
whether the run will last long enough for the translation to pay back, and a fixed count
is wrong either way for some programs. The costly case is a huge function whose
translation takes a large part of a run that is about to end: SQLite's bytecode engine
``sqlite3VdbeExec`` (about 170 ms to translate) or QuickJS's ``JS_CallInternal``, whose
dispatch loops run out their loop budgets late in a run of a second or two, which then
ends before the translation has paid back (``bench/tiering.md``). Each tiered instance
keeps a :class:`Ledger`: the CPU time its translations took (measured, all of them), and
the CPU time since it was made. A translation a budget asks for whose estimated cost
(:func:`.estimates.translation_estimate`) would take the instance's spending past
:data:`TRANSLATION_BASE` plus :data:`TRANSLATION_SHARE` of that time waits: its
function runs on interpreted, and is asked for again after part of its budget
(:data:`RETRY`), until the run has lasted long enough. Over a run that lasts, translations
so take at most about that share of it (the rent-or-buy rule applied to the run as a
whole: a run earns translations in proportion to the time it has shown it runs); a
short program's translations fit in the base, and are made when the budgets say.

One kind of translation is held more strictly: that of a big function of branches (a
``malloc``, a ``printf``: not straight-line, :mod:`.straightline`) whose *call* budget
runs out. Its budget grew with its size, so it runs out late, after about as much
interpreting as the translation is estimated to cost; a run that ends soon after has paid
for both (``recur(4)``: ``dlmalloc``'s 4,000th call at 59 ms of a 62 ms run, then 30 ms
translating it). Such a translation, estimated at :data:`BIG_TRANSLATION` or more, also
waits until it is at most :data:`BIG_SHARE` of the instance's time so far (rent-or-buy
once more: waiting costs one cheap interpreted call at a time, while translating early
in a short run costs the whole translation at once). Such a function has its calls timed
now (:mod:`.rent`), and once they are its budget is their break-even in time and this
hold is not asked; it holds those whose timing never ended (called too few times).

A process's first translation also imports the translator (:data:`TRANSLATOR_COST`),
a purchase for the whole process that a run interpreting everything never makes. Until
it is made, a translation a budget asks for waits while that import is more than
:data:`FIRST_SHARE` of the CPU time since the process made its first tiered instance: the
first :data:`TRANSLATOR_COST` / :data:`FIRST_SHARE` of a process run interpreted (a call
that does little work never pays for the import, nor for translations it would not pay
back), and then the budgets decide as before. The window is the same for every function
(a hot function's translation is delayed by at most the window, not by a multiple of its
own estimate: a rule scaled by the estimate cost first runs of 30-90 ms up to 30 ms,
``bench/tiering.md``).

Estimates are in seconds of a reference machine (:mod:`.estimates`, fitted on an idle
one), while the time a run has lasted grows with the machine's slowness: on a machine
twice as slow (a busy one), the big-translation hold lets a translation through at half
the run length it holds it to on an idle one. With :data:`.tiering.CALIBRATED` on (off by
default: it trades short runs against each other), that hold scales a translation's
estimate by the process's measured *speed*: the CPU time its big translations took over
their estimates (:func:`speed`, once :data:`CALIBRATION_MIN` of estimates were measured;
never below 1, at most :data:`SPEED_MAX`). On a loaded machine (translations 1.5-2x
their estimates) ``recur(4)``'s ``dlmalloc`` (estimated 28 ms, translated in 45) is
translated at 91 ms of a 140 ms run; with the speed, it waits, as on an idle machine.
The share rule keeps estimates as they are (the estimate scaled there too held far more
than the idle machine's rule: json(18) +24%, lists(3) +17%, strings(25) +25% under
load; ``bench/tiering.md``, "Estimates at the machine's speed").

Translations made without a budget (at a first call because a translation is at hand,
with a disk cache, before the interpreter is imported) are charged but never wait; with
a disk cache (translations serve later runs) or :data:`.tiering.BUDGETS_VARIABLE` set,
nothing waits.
"""

from __future__ import annotations

import sys
import time

__all__ = ["BIG_SHARE", "BIG_TRANSLATION", "CALIBRATION_FROM", "CALIBRATION_MIN",
           "FIRST_SHARE", "MEASURE_FIRST", "PAID_SHARE", "PAID_UNCHARGED", "SPEED_MAX",
           "TRANSLATION_BASE", "TRANSLATION_SHARE", "TRANSLATOR_COST", "Ledger", "rent_speed",
           "speed", "translator_imported"]

TRANSLATION_BASE = 0.06
"""Seconds of CPU time an instance's translations may take before they are held to
:data:`TRANSLATION_SHARE`: what the short runs of ``bench/c`` translate in all fits, so
they are translated when their budgets say (``bench/tiering.md``)."""

TRANSLATION_SHARE = 0.2
"""Share of the CPU time since an instance was made that its translations may take
beyond :data:`TRANSLATION_BASE`. The budgets alone give the real-world programs of
``bench/c/realworld`` 20-30% of their cold runs in translation; at 0.2 the big
translations that come late in runs of about 0.5-2 s wait (in-process CPU time: SQLite
run(2) -8%, QuickJS-ng run(4) -5%, LZ4 run(30) -22%; cmark-gfm run(60), 1.6 s, +6%),
0.15 cost 7% on runs of 1-2 s (LZ4 run(100), cmark-gfm run(60)) and 0.25 gained less
(``bench/tiering.md``)."""

BIG_TRANSLATION = 0.01
"""Estimated seconds from which the translation of a function of branches whose call
budget ran out is held to :data:`BIG_SHARE` (module docstring): ``dlmalloc`` (28 ms),
``dlfree`` (7 ms: not held), ``printf_core`` (40 ms)."""

BIG_SHARE = 0.4
"""The share of the CPU time since an instance was made that one big translation of a
function of branches may take (module docstring). In-process CPU time, alternated with
the rule off (``bench/tiering.md``): recur(4) 94 -> 64 ms, the other short and long runs
of ``bench/c`` within 2%."""

TRANSLATOR_COST = 0.009
"""Seconds of CPU time importing the translator costs a process (its code generator and
the modules it needs: 8.7-9.4 ms measured in fresh processes with the import bundle
after ``import wasmem``, against 4.7-5.0 ms for the interpreter's import,
:data:`.tiering.INTERPRETER_COST`; 0.005 before, from 5.8-7.7 ms measured on fewer
modules: ``bench/STARTUP.md``, "first10"). With it, the window of :data:`FIRST_SHARE`
is 36 ms: first results of C programs whose one call interprets for 20-30 ms (lz,
hashes, tokens, calc) are no longer translated near their end."""

FIRST_SHARE = 0.25
"""The share of the CPU time since a process made its first tiered instance that
importing the translator may be (module docstring): no budget translates in the first
36 ms of a process."""

CALIBRATION_MIN = 0.002
"""Estimated seconds of translations a process must have measured before their speed
(:func:`speed`) scales the estimates."""

CALIBRATION_FROM = 0.001
"""Estimated seconds from which a translation is measured for :func:`speed`: a small
function's translation is mostly fixed costs and, when it calls itself, copies of its
body inlined into itself (3-6x its estimate, ``bench/recursion.md``), which say nothing
of how long a big translation will take."""

SPEED_MAX = 3.0
"""At most this many times its estimate is a translation taken to cost (the speed
measured on a few functions inlined into themselves can be 5x; the holds need no
more than the machine's own slowness)."""

SPEED_PRIOR = 1.0
"""What :func:`rent_speed` is taken to be until :data:`CALIBRATION_MIN` of estimates were
measured (1: the estimates as they are). Translations measure 2.8-4.1x their estimates on
the machine of ``bench/README.md`` (``bench/tiering.md``, helper "short11"), and a
function of branches is often timed before any translation of 1 ms or more was made
(``ryu``'s, ``recur``'s), so its break-even is priced at a third of its cost."""

PAID_SHARE = 0.0
"""A translation whose function's measured interpreted time has reached its break-even
(:mod:`.rent`: its calls have cost, in all, its estimated translation at the process's
measured speed) is made without asking the shares above when that cost is at most this
share of the CPU time since the instance was made (0: off, the shares decide). The share
rule holds translations a *count* asks for, and a cheap one that has paid for itself is
worth making whatever the others spent (in ``strings(25)`` a 100 ms ``printf_core``
translation used up the share, and ``pop_arg``, 6-10 ms to translate, was interpreted
past its break-even for half the run), while a big one (``dlmalloc``, 28 ms estimated,
75-90 measured, at its break-even near the end of a 250 ms ``recur(4)``) would still wait.
Off by default: at 0.1, two alternated sessions on a loaded machine disagreed (first runs
-10% then +5-25%; ``bench/tiering.md``, helper "recur8")."""

MEASURE_FIRST = True
"""Whether the process's first translation counts toward its measured speed
(:func:`rent_speed`, :func:`speed`). It carries what the process does once for any
translation (the code generator's first runs through its code paths, lazy imports), 10-14
ms more than the same translation in a later run (``__fwritex``, estimated 1.2 ms: 16 ms
in a process's first run, 4-5 ms after), which puts the measured speed at its cap until
bigger translations dilute it, and every break-even of :mod:`.rent` that late. Left on
(as before) by default: leaving it out measured first runs -6% and later runs +7% in one
alternated session on a loaded machine, and with :data:`PAID_SHARE` its gain on first runs
did not repeat in a second (``bench/tiering.md``, helper "recur8")."""

PAID_UNCHARGED = False
"""Whether a translation let through as paid for (:data:`PAID_SHARE`) is left out of what
the instance has spent (the share rule's tally): its function's interpreted calls have
cost as much already, so it is no speculation on the run lasting, and charging it would
hold the cheap count-driven translations after it (in cJSON's long run, the paid-for
``printf_core``, ``dlmalloc`` and ``vfscanf`` took the share and 23 small functions were
never translated). Off by default (``bench/tiering.md``, helper "order9")."""

_process_began: list[float] = []  # when the process's first Ledger was made
_calibration = [0.0, 0.0]  # the process's translations: estimated and measured seconds
_measured = [0.0, 0.0]  # the same, always kept (the rent rule's, :func:`rent_speed`)
_charged: list[bool] = []  # whether the process has charged a translation (MEASURE_FIRST)


def speed() -> float:
    """How many times their estimates this process's translations took, between 1 and
    :data:`SPEED_MAX` (1 until :data:`CALIBRATION_MIN` of estimates were measured).
    Raises nothing."""
    return _speed(_calibration)


def rent_speed() -> float:
    """As :func:`speed`, but of every translation measured (not only with
    :data:`.tiering.CALIBRATED` on): what the rent rule of :mod:`.tiering` (a function's
    interpreted time against its translation's) scales estimates by. Raises nothing."""
    return _speed(_measured, SPEED_PRIOR)


def _speed(tally: list[float], prior: float = 1.0) -> float:
    estimated, measured = tally
    if estimated < CALIBRATION_MIN:
        return prior
    return min(SPEED_MAX, max(1.0, measured / estimated))
_TRANSLATOR = __name__.rpartition(".")[0] + ".compiler.codegen"


def translator_imported() -> bool:
    """Whether this process has imported the translator (its code generator). Raises
    nothing."""
    return _TRANSLATOR in sys.modules


RETRY = 8
"""A translation that waits is asked for again after this fraction (1/RETRY) of its
function's budget, so that it is made soon after the run has lasted long enough."""


class Ledger:
    """What one instance's translations cost, against the CPU time since it was made."""

    def __init__(self) -> None:
        self.spent = 0.0  # seconds spent translating
        self.uncharged = False  # the next charge is a paid-for one (PAID_UNCHARGED)
        self.began = time.process_time()
        if not _process_began:
            _process_began.append(self.began)

    def charge(self, seconds: float, estimate: float | None = None,
               calibrating: bool = True) -> None:
        """Add ``seconds`` of translation to what was spent; with its ``estimate``
        (a whole function's), to the process's measured speed (:func:`rent_speed`)
        and, ``calibrating``, to its calibration (:func:`speed`) too, unless it is the
        process's first translation and :data:`MEASURE_FIRST` is off; ``seconds`` are not
        added to what was spent when the last :meth:`affordable` let a paid-for
        translation through with :data:`PAID_UNCHARGED` on. Raises nothing."""
        if self.uncharged:
            self.uncharged = False
        else:
            self.spent += seconds
        first = not _charged
        _charged[:] = [True]
        if (estimate is not None and estimate >= CALIBRATION_FROM
                and (MEASURE_FIRST or not first)):
            _measured[0] += estimate
            _measured[1] += seconds
            if calibrating:
                _calibration[0] += estimate
                _calibration[1] += seconds

    def affordable(self, cost: float | None, branches: bool = False,
                   paid: bool = False) -> bool:
        """Whether a translation estimated to take ``cost`` seconds (None: unknown,
        taken as 0) fits in what may have been spent by now; ``branches``: that of a
        function of branches whose call budget ran out, held to :data:`BIG_SHARE` when
        big (module docstring); ``paid``: that of a function whose interpreted calls,
        timed, have cost its translation already (:mod:`.rent`), which the shares do
        not hold when it is cheap (:data:`PAID_SHARE`, off by default); none before the
        translator's import fits in the process's time (:data:`FIRST_SHARE`). Raises
        nothing."""
        now = time.process_time()
        if (not translator_imported()
                and TRANSLATOR_COST > FIRST_SHARE * (now - _process_began[0])):
            return False
        if (paid and PAID_SHARE and cost is not None
                and cost * rent_speed() <= PAID_SHARE * (now - self.began)):
            self.uncharged = PAID_UNCHARGED  # (the charge that follows: see there)
            return True  # (PAID_SHARE)
        elapsed = now - self.began
        cost = cost or 0.0
        if (branches and cost >= BIG_TRANSLATION
                and cost * speed() > BIG_SHARE * elapsed):  # (module docstring)
            return False
        return self.spent + cost <= TRANSLATION_BASE + TRANSLATION_SHARE * elapsed
