"""Binding a function's translation when one is at hand: the tiered mode's warm path.

A translation is *at hand* when it needs no translating: made earlier in this process
(by another instance of the module) or stored in the module's disk cache by an earlier
process (:mod:`.compiler.cache`; read, authenticated and unmarshalled by
:func:`at_hand`). With a disk cache, a run after the first finds most of what it calls
there, so each function's first call takes the short path of
:meth:`BindingTier.bind_at_hand`: the code object becomes a function of the instance's
namespace, bound wherever the tier's first-call stub was. Nothing is translated, so
nothing is timed or charged to the instance's translations (:mod:`.spending`) and the
collector is not paused (the step allocates one function object); a promotion
(:meth:`~.tiering.TieredTier.promote`) ends with the same binding.
"""

from __future__ import annotations

import types
from typing import Any

from ..runtime.instances import ModuleInstance
from .continuations import ContinuationTier

__all__ = ["BindingTier", "at_hand"]


class BindingTier(ContinuationTier):
    """The continuation tier with what the tiered tier binds each function to
    (``current``) and which functions are bound to translations (``promoted``).

    Args:
        instance: the instance, with every runtime object created.
        fallback: as for :class:`~.deferred_tier.DeferredTier`.
    """

    def __init__(self, instance: ModuleInstance, fallback: Any = None) -> None:
        super().__init__(instance, fallback)
        self.current: dict[int, Any] = {}  # index -> what this tier binds it to
        self.promoted: set[int] = set()

    def release(self, indices: set[int]) -> None:
        """Forget the code bound for the functions ``indices``. Raises nothing."""
        super().release(indices)
        for index in indices:
            self.current.pop(index, None)
        self.promoted -= indices

    def bind_at_hand(self, index: int) -> bool:
        """Bind function ``index`` to its translation if one is at hand (module
        docstring); return whether it was. Raises nothing of its own."""
        if not at_hand(self.compiled, index, self.fuel):
            return False
        self.bind_translated(index)
        return True

    def bind_translated(self, index: int) -> Any:
        """Bind the translation of function ``index`` (made, or at hand) wherever this
        tier's callable is bound, not in place of an observing session's
        (:mod:`wasmem.observe`, which puts this tier's back when it ends); return it.

        Raises:
            UnsupportedFeature: if neither tier can run the function.
        """
        function = self.instance.functions[index]
        importers = self.importers.get(index, ())
        ours = function.call is self.current[index]
        saved = None if ours else (function.call, [namespace[key] for namespace, key in importers])
        compiled = self.compile_function(index)
        if saved is not None:
            function.call = saved[0]
            for (namespace, key), value in zip(importers, saved[1]):
                namespace[key] = value
        self.current[index] = compiled
        self.promoted.add(index)
        return compiled


def at_hand(compiled: Any, index: int, fuel: bool) -> bool:
    """Whether function ``index`` has a translation without translating: made earlier
    in this process, or stored in the module's disk cache (then loaded into
    ``compiled.codes``: :meth:`~.compiler.tier.CompiledModule.cached`). ``compiled`` is
    the module's translations, or the stand-in of :mod:`.deferred_tier` (no cache).
    Raises nothing."""
    key = (index, fuel)
    codes: dict[tuple[int, ...], types.CodeType | None] = compiled.codes
    if key in codes:
        return codes[key] is not None
    return compiled.cache is not None and compiled.cached(index, fuel) is not None
