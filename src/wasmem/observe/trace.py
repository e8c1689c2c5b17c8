"""``instance.trace(...)``: record calls and memory accesses while a block runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import IO, Any

from ..errors import InvocationError
from ..runtime.instances import ModuleInstance
from .events import MEMORY_KINDS, TraceEvent
from .session import session_of

__all__ = ["Trace"]

class Trace:
    """A trace of one instance's code, active inside a ``with`` block.

    Args:
        instance: the runtime instance.
        calls: record calls (arguments), returns (results) and traps.
        memory: record loads, stores, ``memory.fill``/``copy``/``init`` and ``grow``.
        out: None to collect events in :attr:`events`; a callable to receive each
            :class:`TraceEvent`; or a text file to get one line per event.
        range: ``(start, stop)``: keep only memory events touching these addresses.
        limit: keep at most this many events (the rest are counted in ``dropped``).

    While active, every function defined by the instance runs instrumented (on the
    interpreter's linked program, with its memory instructions and calls wrapped); when
    the block ends, the functions go back to their own code (the compiler's translation
    or the plain interpreter), so nothing is slower outside a trace. Calls made by
    compiled code of this instance that was already running when the trace began are
    not seen.

    Raises:
        InvocationError: a bad argument, or the instance is already being traced.
    """

    def __init__(self, instance: ModuleInstance, *, calls: bool = True, memory: bool = True,
                 out: Callable[[TraceEvent], Any] | IO[str] | None = None,
                 range: tuple[int, int] | None = None,  # the documented name
                 limit: int | None = None) -> None:
        if out is not None and not callable(out) and not hasattr(out, "write"):
            raise InvocationError("trace out= takes a callable or a text file")
        if range is not None and (len(range) != 2 or range[0] > range[1]):
            raise InvocationError("trace range= is (start, stop) with start <= stop")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise InvocationError(f"trace limit= must be an integer, not {type(limit).__name__}")
        if limit is not None and limit < 0:
            raise InvocationError("trace limit= must not be negative")
        self.instance = instance
        self.calls = calls
        self.memory = memory
        self.out = out
        self.range = range
        self.limit = limit
        self.events: list[TraceEvent] = []
        self.count = 0
        self.dropped = 0
        self.lock = threading.Lock()

    def offer(self, event: TraceEvent) -> None:
        """Take an event from the instrumentation if this trace wants its kind."""
        if event.kind in MEMORY_KINDS:
            if self.memory:
                self.record(event)
        elif self.calls:
            self.record(event)

    def record(self, event: TraceEvent) -> None:
        """Filter one event and pass it on (to ``out`` or :attr:`events`)."""
        if self.range is not None and event.kind in MEMORY_KINDS and event.kind != "grow":
            start, stop = self.range
            if not (event.address < stop and start < event.address + max(event.size, 1)):
                return
        if self.limit is not None:
            with self.lock:  # threads calling the instance share the limit
                if self.count >= self.limit:
                    self.dropped += 1
                    return
                self.count += 1
        else:
            self.count += 1
        out = self.out
        if out is None:
            self.events.append(event)
        elif callable(out):
            out(event)
        else:
            out.write(f"{event}\n")

    def __enter__(self) -> Trace:
        session = session_of(self.instance)
        with session.lock:
            if session.trace is not None:
                raise InvocationError("this instance is already being traced")
            session.change(lambda: setattr(session, "trace", self))
        return self

    def __exit__(self, *exc: object) -> None:
        session = session_of(self.instance)
        with session.lock:
            if session.trace is self:
                session.change(lambda: setattr(session, "trace", None))

    def __iter__(self) -> Any:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)
