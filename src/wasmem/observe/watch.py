"""Watchpoints: ``instance.watch(start, stop, kind=..., callback=...)`` calls back when
code reads or writes a range of a memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import InvocationError
from ..runtime.instances import ModuleInstance
from .events import TraceEvent
from .session import session_of

__all__ = ["Watchpoint", "WatchEvent", "KINDS"]

KINDS = ("read", "write", "access")
_READS = {"load": "read", "copy": "read"}
_WRITES = {"store": "write", "fill": "write", "copy": "write", "init": "write"}


@dataclass(frozen=True)
class WatchEvent:
    """What a watchpoint saw.

    Attributes:
        kind: ``"read"`` or ``"write"``.
        memory: the memory's index; address, size: the bytes accessed (the whole range
            of a bulk instruction, which is one event).
        value: the value loaded or stored, as the instruction's type (for
            ``memory.fill`` the fill byte; for ``memory.copy``/``memory.init`` writes,
            the bytes written; for a ``memory.copy`` read, None).
        old: for writes, the bytes before the write.
        instruction: e.g. ``"i32.store16"``, ``"memory.fill"``.
        function_index, function_name, line, column, offset: where the instruction is
            (``line``/``column`` for text modules, ``offset`` for binaries).
    """

    kind: str
    memory: int
    address: int
    size: int
    value: Any
    old: bytes | None
    instruction: str
    function_index: int
    function_name: str | None
    line: int | None
    column: int | None
    offset: int | None


class Watchpoint:
    """A handle on one watchpoint; :meth:`remove` ends it (also usable as a context
    manager). Created by :meth:`wasmem.Instance.watch`.

    Raises:
        InvocationError: a bad range, kind, memory index or callback.
    """

    def __init__(self, instance: ModuleInstance, start: int, stop: int, *, kind: str,
                 memory: int, callback: Callable[[WatchEvent], Any]) -> None:
        if kind not in KINDS:
            raise InvocationError(f"watch kind must be one of {', '.join(KINDS)}, "
                                  f"not {kind!r}")
        if not isinstance(start, int) or not isinstance(stop, int) or not 0 <= start < stop:
            raise InvocationError("watch needs integer addresses with 0 <= start < stop")
        if not 0 <= memory < len(instance.memories):
            raise InvocationError(f"the instance has no memory {memory}")
        if not callable(callback):
            raise InvocationError("watch callback= must be callable")
        self.instance = instance
        self.start, self.stop = start, stop
        self.kind = kind
        self.memory = memory
        self.callback = callback
        self.active = True
        session = session_of(instance)
        session.change(lambda: setattr(session, "watches", (*session.watches, self)))

    def offer(self, event: TraceEvent) -> None:
        """Call back for a memory event that touches the watched bytes."""
        kind = self.kind
        if kind != "write" and event.kind in _READS:
            if event.kind == "copy":
                source_memory = event.source_memory if event.source_memory is not None \
                    else event.memory
                if source_memory == self.memory and event.source is not None \
                        and self._touches(event.source, event.size):
                    self.callback(self._event("read", event, event.source, None, None))
            elif event.memory == self.memory and self._touches(event.address, event.size):
                self.callback(self._event("read", event, event.address, event.value, None))
        if kind != "read" and event.kind in _WRITES and event.memory == self.memory \
                and self._touches(event.address, event.size):
            self.callback(self._event("write", event, event.address, event.value,
                                      event.old))

    def _touches(self, address: int, size: int) -> bool:
        return size > 0 and address < self.stop and self.start < address + size

    @staticmethod
    def _event(kind: str, event: TraceEvent, address: int, value: Any,
               old: bytes | None) -> WatchEvent:
        return WatchEvent(kind, event.memory if kind == "write" or event.kind != "copy"
                          else (event.source_memory or 0), address, event.size, value, old,
                          event.instruction or "", event.function_index,
                          event.function_name, event.line, event.column, event.offset)

    def remove(self) -> None:
        """End the watchpoint (the instance's code is uninstrumented again when it was
        the last observer). Removing twice does nothing."""
        session = session_of(self.instance)
        with session.lock:
            if not self.active:
                return
            self.active = False
            session.change(lambda: setattr(
                session, "watches", tuple(w for w in session.watches if w is not self)))

    def __enter__(self) -> Watchpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def __repr__(self) -> str:
        state = "" if self.active else " removed"
        return (f"<wasmem watchpoint {self.kind} M{self.memory}"
                f"[0x{self.start:x}..0x{self.stop:x}){state}>")
