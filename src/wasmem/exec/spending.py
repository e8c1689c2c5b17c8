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

Translations made without a budget (at a first call because a translation is at hand,
with a disk cache, before the interpreter is imported) are charged but never wait; with
a disk cache (translations serve later runs) or :data:`.tiering.BUDGETS_VARIABLE` set,
nothing waits.
"""

from __future__ import annotations

import time

__all__ = ["TRANSLATION_BASE", "TRANSLATION_SHARE", "Ledger"]

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

RETRY = 8
"""A translation that waits is asked for again after this fraction (1/RETRY) of its
function's budget, so that it is made soon after the run has lasted long enough."""


class Ledger:
    """What one instance's translations cost, against the CPU time since it was made."""

    def __init__(self) -> None:
        self.spent = 0.0  # seconds spent translating
        self.began = time.process_time()

    def charge(self, seconds: float) -> None:
        """Add ``seconds`` of translation to what was spent. Raises nothing."""
        self.spent += seconds

    def affordable(self, cost: float | None) -> bool:
        """Whether a translation estimated to take ``cost`` seconds (None: unknown,
        taken as 0) fits in what may have been spent by now (module docstring).
        Raises nothing."""
        elapsed = time.process_time() - self.began
        return self.spent + (cost or 0.0) <= TRANSLATION_BASE + TRANSLATION_SHARE * elapsed
