"""One instance's observers (a trace, watchpoints) and the instrumentation they need.

While an instance has an observer, every function it defines runs instrumented code
(:mod:`.instrument`); the code is rebuilt when observers come or go (a trace needing
calls, watchpoints needing the bytes writes replace) and the functions get their own
code back when the last observer leaves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..exec.compiler.tier import CompilingTier, _with_depth
from ..exec.invoke import PASSTHROUGH
from ..runtime.instances import ModuleInstance
from ..syntax.types import ExternKind
from .events import TraceEvent
from .instrument import TracedCode, traced_call

__all__ = ["Session", "session_of", "PASSTHROUGH"]

_KEY = "_wasmem_observers"


class Session:
    """The observers of one instance; see the module docstring."""

    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance
        self.trace: Any = None  # the active Trace, if any
        self.watches: list[Any] = []
        self.saved: list[tuple[Any, str, Any]] = []
        self.depth = [0]

    def dispatch(self, event: TraceEvent) -> None:
        """Pass an event to the trace and the watchpoints; a callback's exception is
        marked (:data:`PASSTHROUGH`) and propagates."""
        try:
            trace = self.trace
            if trace is not None:
                trace.offer(event)
            for watch in tuple(self.watches):
                watch.offer(event)
        except BaseException as exc:
            try:
                setattr(exc, PASSTHROUGH, True)
            except AttributeError:
                pass
            raise

    def wants(self, memory: int, address: int, size: int) -> bool:
        """Whether a load or store of ``size`` bytes at ``address`` interests anyone
        (a memory trace always; a watchpoint when the bytes overlap its range)."""
        trace = self.trace
        if trace is not None and trace.memory:
            return True
        for watch in self.watches:
            if watch.memory == memory and address < watch.stop \
                    and watch.start < address + size:
                return True
        return False

    def refresh(self) -> None:
        """Put back the functions' own code, then instrument again if anyone watches."""
        self.restore()
        trace = self.trace
        if trace is None and not self.watches:
            self.instance.__dict__.pop(_KEY, None)
            return
        calls = trace is not None and trace.calls
        memory = bool(self.watches) or (trace is not None and trace.memory)
        state = TracedCode(self.instance, self.dispatch, memory, self.depth,
                           old=bool(self.watches), wants=self.wants, calls=calls)
        self.install(lambda index: traced_call(state, index, calls))

    def install(self, make: Callable[[int], Any]) -> None:
        """Bind every defined function to ``make(index)``, saving what was bound."""
        instance = self.instance
        imported = len(instance.module.imports_of(ExternKind.FUNC))
        tier = instance.tier
        for index in range(imported, len(instance.functions)):
            function = instance.functions[index]
            call = make(index)
            self.saved.append((function, "call", function.call))
            function.call = call
            if isinstance(tier, CompilingTier):  # compiled importers call it directly
                arity = len(function.type.params)
                for namespace, key in tier.importers.get(index, ()):
                    self.saved.append((namespace, key, namespace[key]))
                    namespace[key] = _with_depth(call, arity)

    def restore(self) -> None:
        """Give every function the code it had before :meth:`install`."""
        for owner, key, value in reversed(self.saved):
            if isinstance(owner, dict):
                owner[key] = value
            else:
                setattr(owner, key, value)
        self.saved.clear()


def session_of(instance: ModuleInstance) -> Session:
    """The instance's session (created on first use)."""
    session = instance.__dict__.get(_KEY)
    if session is None:
        session = instance.__dict__[_KEY] = Session(instance)
    return session  # type: ignore[no-any-return]
