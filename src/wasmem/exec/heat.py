"""What the instances of one module ran of each function on the interpreter
(:class:`Heat`), and what a module's second instance and later translate at their first
calls because the earlier ones ran it (:data:`RERUN_CALLS`, :meth:`Heat.plan`).

The tiered tier (:mod:`.tiering`) counts its budgets per module: a new instance starts a
function's budgets with what the module's other instances ran of it, and a function
translated in one instance is bound to that translation in the next
(:mod:`.cached_binding`); only counts cross instances, every instance binds its own code.
"""

from __future__ import annotations

from typing import Any

import time
import weakref

from ..runtime.instances import ModuleInstance
from . import spending
from .estimates import translation_estimate

TieredTier = Any
"""A :class:`.tiering.TieredTier` (not imported: that module imports this one)."""

__all__ = ["Heat", "RERUN_CALLS", "RERUN_PAYBACK", "RERUN_SHARE", "RERUN_SPREAD"]

RERUN_CALLS = 1
"""In a module's second instance and later, a function its earlier instances ran on the
interpreter (calls and loop iterations together) at least this many times may be
translated at its first call (0: never), as :meth:`Heat.plan` chooses: the process is
running the program again, and what it ran before it will most likely run again (pwasm's
rule for every function of its first run). Without it, such a function is interpreted in
each new instance until the module's budgets run out, run after run: Lua 5.4 ``run(1)``,
one ``Module``, a new instance per run, runs 3-8 0.35-0.72x pwasm's CPU time
(``bench/tiering.md``, helper "inst10")."""

RERUN_SHARE = 0.75
"""What the first-call translations of :data:`RERUN_CALLS` may take, in all the module's
instances' plans (estimates at the process's measured speed), of the CPU time since the
module's first instance. A plan is made once, at the instance's first call of a function
not at hand, so the second instance translates at most three quarters of what the first
one ran for, best payback first, and each later one what the time run since adds
(helper "inst10" let the ledger's time grow with the second instance's own
translations: cmark's second run 1.4-1.9 s against pwasm's 0.12-0.15;
``bench/tiering.md``, helper "spike11")."""

RERUN_PAYBACK = 0.125
"""The payback (:meth:`Heat.plan`: what an earlier instance ran of a function, as a
share of its budgets) from which a function is planned within :data:`RERUN_SHARE`; one
below it (called a few times a run: cmark-gfm's 58 functions of 1/256-1/16 of their
budgets took 786 of the 1,329 ms its second run translated) is planned within
:data:`RERUN_SPREAD` only, and else left to the module's budgets, which its later
instances' calls run out."""

RERUN_SPREAD = 0.1
"""What the first-call translations of functions below :data:`RERUN_PAYBACK` may take,
in all the plans, of the CPU time since the module's first instance: a few of them in
each later instance rather than all of them in the second."""


class Heat:
    """What the instances of one module ran of each function on the interpreter: the
    tiered tier's budgets are the module's, not each instance's. A function that was hot
    in earlier instances (or in live ones) but not yet translated starts its budgets in
    a new instance with what they ran counted (its call and loop budgets run out
    sooner), and a function whose calls were timed (:mod:`.rent`) is not timed again;
    a function translated in an earlier instance is bound to that translation at its
    first call anyway (:mod:`.cached_binding`). The counts of a live instance are read
    from it (a weak reference); those of a released one (:mod:`.release`) are banked here.
    Only counts cross instances: every instance binds its own code (its globals,
    memories, tables, imports). Their translations are charged to one ledger, the
    module's (:mod:`.spending`: their share of the CPU time since its first instance)."""

    LIVE_READ = 8
    """Live instances whose counts a new link reads at most (any of them)."""

    def __init__(self) -> None:
        self.ledger = spending.Ledger()  # the module's translations, against its time
        self.calls: dict[int, int] = {}  # banked: of instances released
        self.iterations: dict[int, int] = {}
        self.paid: dict[int, float] = {}  # a call's measured CPU time (.rent)
        self.live: weakref.WeakSet[TieredTier] = weakref.WeakSet()
        self.instances = 0  # tiered instances made of the module
        self.budgets: dict[int, tuple[int, int]] = {}  # index -> its (calls, iterations)
        self.planned = 0.0  # estimated seconds of the plans made (Heat.plan), in all
        self.planned_low = 0.0  # of them, below RERUN_PAYBACK

    def ran(self, index: int, reader: TieredTier) -> bool:
        """Whether function ``index`` is translated at its first call in ``reader``, a
        second instance of the module or later: it is in the plan ``reader`` makes at its
        first call of a function not at hand (:meth:`plan`). Raises nothing."""
        if not RERUN_CALLS:
            return False
        if reader.planned is None:
            reader.planned = self.plan(reader)
        return index in reader.planned

    def plan(self, reader: TieredTier) -> frozenset[int]:
        """The functions ``reader`` translates at their first calls: of those the
        module's other instances ran interpreted at least :data:`RERUN_CALLS` times and
        that have no translation yet, in order of their *payback* (what an earlier
        instance ran of them, on average, as a share of their budgets: calls over the
        call budget plus loop iterations over the loop budget; the budgets grow with the
        translation's cost, so a function at 1 pays back its translation in one run), as
        many as fit in what is left of :data:`RERUN_SHARE` of the CPU time since the
        module's first instance (every plan of the module's instances counts, at the
        estimates scaled by the process's measured speed, :func:`.spending.rent_speed`);
        those below :data:`RERUN_PAYBACK` within :data:`RERUN_SPREAD` of that time
        too. Raises nothing."""
        runs = max(1, self.instances - 1)  # (the instances before ``reader``)
        indices = set(self.calls) | set(self.iterations)
        for tier in list(self.live):
            if tier is not reader:
                indices.update(tier.meters)
        codes, fuel = reader.compiled.codes, reader.fuel
        speed = spending.rent_speed()
        ranked = []
        for index in indices:
            calls, iterations, _ = self.spent(index, reader)
            budget_calls, budget_iterations = self.budgets.get(index, (0, 0))
            if ((index, fuel) in codes or calls + iterations < RERUN_CALLS
                    or not budget_calls):
                continue
            payback = (calls / budget_calls + iterations / max(1, budget_iterations)) / runs
            cost = (translation_estimate(reader.instance, index) or 0.0) * speed
            ranked.append((-payback, cost, index))
        ranked.sort()
        elapsed = time.process_time() - self.ledger.began
        left = RERUN_SHARE * elapsed - self.planned
        left_low = min(left, RERUN_SPREAD * elapsed - self.planned_low)
        chosen = set()
        for payback, cost, index in ranked:
            low = -payback < RERUN_PAYBACK
            if cost <= (left_low if low else left):
                chosen.add(index)
                left -= cost
                left_low = min(left, left_low - cost if low else left_low)
                self.planned += cost
                self.planned_low += cost if low else 0.0
        return frozenset(chosen)

    @classmethod
    def of(cls, instance: ModuleInstance) -> Heat:
        """The heat of ``instance``'s module (made with its first tiered instance).
        Raises nothing."""
        module = instance.module
        heat = module.__dict__.get(_HEAT_KEY)
        if heat is None:
            heat = cls()
            object.__setattr__(module, _HEAT_KEY, heat)
        return heat  # type: ignore[no-any-return]

    def spent(self, index: int, reader: TieredTier) -> tuple[int, int, float]:
        """Calls and loop iterations the module's instances other than ``reader`` ran
        of function ``index`` interpreted, and its measured call time (0.0: not
        measured). Raises nothing."""
        calls = self.calls.get(index, 0)
        iterations = self.iterations.get(index, 0)
        if self.live:  # (``reader`` is in it once it linked a function)
            others = [tier for tier in list(self.live) if tier is not reader]
            for tier in others[-self.LIVE_READ:]:
                meter = tier.meters.get(index)
                if meter is not None:
                    ran, looped = meter()
                    calls += ran
                    iterations += looped
        return calls, iterations, self.paid.get(index, 0.0)

    def bank(self, tier: TieredTier) -> None:
        """Keep what ``tier`` ran of its functions and forget its meters (it forgets
        their code now: :meth:`TieredTier.release`; a meter refers to its function's
        code). Raises nothing."""
        for index, meter in tier.meters.items():
            ran, looped = meter()
            if ran:
                self.calls[index] = self.calls.get(index, 0) + ran
            if looped:
                self.iterations[index] = self.iterations.get(index, 0) + looped
        tier.meters.clear()


_HEAT_KEY = "_wasmem_heat"
