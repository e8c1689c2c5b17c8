"""One instance's observers (a trace, watchpoints) and the instrumentation they need.

While an instance has an observer, every function it defines runs instrumented code
(:mod:`.instrument`); the code is rebuilt when observers come or go (a trace needing
calls, watchpoints needing the bytes writes replace) and the functions get their own
code back when the last observer leaves.

Observers may come and go while other threads run the instance's functions: changes
are made under the session's lock, one at a time, and what running code reads (the
callable of a function, ``watches``, ``trace``) is only ever replaced whole, never
mutated, so a call sees the old code or the new one, and an access made while a
watchpoint comes or goes is reported to it or not, never half.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..exec.compiler.tier import BINDING
from ..exec.tier_names import NamespaceTier, _with_depth
from ..exec.invoke import PASSTHROUGH
from ..runtime.instances import ModuleInstance
from ..syntax.types import ExternKind
from .events import TraceEvent
from .host import HostAccesses
from .instrument import TracedCode, traced_call

__all__ = ["Session", "session_of", "PASSTHROUGH"]

_KEY = "_wasmem_observers"


class Session:
    """The observers of one instance; see the module docstring."""

    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance
        self.lock = threading.RLock()  # held while observers come or go
        self.trace: Any = None  # the active Trace, if any
        self.watches: tuple[Any, ...] = ()  # replaced whole (readers run unlocked)
        self.saved: dict[tuple[int, str], tuple[Any, Any]] = {}  # what code was bound
        self.hosts: list[HostAccesses] = []  # observers installed on the memories
        self.depth = [0]

    def dispatch(self, event: TraceEvent) -> None:
        """Pass an event to the trace and the watchpoints; a callback's exception is
        marked (:data:`PASSTHROUGH`) and propagates."""
        try:
            trace = self.trace
            if trace is not None:
                trace.offer(event)
            for watch in self.watches:
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

    def change(self, update: Callable[[], None]) -> None:
        """Run ``update`` (which adds or removes an observer) and :meth:`refresh`, under
        the lock; a failure of either leaves the observers as they were."""
        with self.lock:
            trace, watches = self.trace, self.watches
            try:
                update()
                self.refresh()
            except BaseException:
                self.trace, self.watches = trace, watches
                self.refresh()
                raise

    def refresh(self) -> None:
        """Instrument the functions for the observers there are now, or give them their
        own code back when there are none (call with the lock held)."""
        trace = self.trace
        if trace is None and not self.watches:
            self.restore()
            return
        calls = trace is not None and trace.calls
        memory = bool(self.watches) or (trace is not None and trace.memory)
        state = TracedCode(self.instance, self.dispatch, memory, self.depth,
                           old=bool(self.watches), wants=self.wants, calls=calls)
        self.install(lambda index: traced_call(state, index, calls), state.host)

    def install(self, make: Callable[[int], Any], host: HostAccesses | None = None) -> None:
        """Bind every defined function to ``make(index)`` (over any instrumented code
        bound before: no call runs uninstrumented in between), saving what was bound
        first, and let ``host`` hear of the host's accesses to the instance's memories.
        """
        instance = self.instance
        imported = len(instance.module.imports_of(ExternKind.FUNC))
        tier = instance.tier
        calls = [make(index) for index in range(imported, len(instance.functions))]
        with BINDING:  # a function compiled meanwhile does not replace what is bound here
            for index, call in enumerate(calls, imported):  # nothing below can fail
                function = instance.functions[index]
                self._save(function, "call", function.call)
                function.call = _observed(call)
                if isinstance(tier, NamespaceTier):  # compiled importers call it directly
                    arity = len(function.type.params)
                    for namespace, key in tier.importers.get(index, ()):
                        self._save(namespace, key, namespace[key])
                        namespace[key] = _observed(_with_depth(call, arity))
        old, self.hosts = self.hosts, []
        if host is not None:
            with _OBSERVERS:
                for memory in instance.memories:
                    memory.observers = (*memory.observers, host)
            self.hosts.append(host)
        self._forget(old)

    def _save(self, owner: Any, key: str, value: Any) -> None:
        """Remember what ``owner``'s ``key`` was before the first instrumentation."""
        if (id(owner), key) not in self.saved:
            self.saved[id(owner), key] = (owner, value)

    def _forget(self, hosts: list[HostAccesses]) -> None:
        """Stop telling ``hosts`` of the memories' host accesses."""
        if hosts:
            with _OBSERVERS:
                for memory in self.instance.memories:
                    memory.observers = tuple(o for o in memory.observers if o not in hosts)

    def restore(self) -> None:
        """Give every function the code it had before :meth:`install`."""
        with BINDING:
            for (_id, key), (owner, value) in reversed(self.saved.items()):
                if isinstance(owner, dict):
                    owner[key] = value
                else:
                    setattr(owner, key, value)
            self.saved.clear()
        self._forget(self.hosts)
        self.hosts.clear()


def _observed(call: Any) -> Any:
    """Mark instrumented code, which the compiler must not replace (:data:`BINDING`)."""
    call.observed = True
    return call


_CREATING = threading.Lock()
_OBSERVERS = threading.Lock()
"""Held while a memory's ``observers`` change (a memory may be shared by instances)."""


def session_of(instance: ModuleInstance) -> Session:
    """The instance's session (created on first use; one per instance, whichever
    threads ask)."""
    session = instance.__dict__.get(_KEY)
    if session is None:
        with _CREATING:
            session = instance.__dict__.get(_KEY)
            if session is None:
                session = instance.__dict__[_KEY] = Session(instance)
    return session  # type: ignore[no-any-return]
