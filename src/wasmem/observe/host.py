"""What host functions read and write: the memory accesses an imported function (WASI's
``fd_read`` filling a buffer, ``args_get`` writing ``argv``, a Python import calling
``memory.write``) makes while observed code calls it.

While an instance is observed (a memory trace, a watchpoint, the debugger), its
instrumented code wraps each direct ``call`` of an imported function: for as long as
that call runs, on that thread, the host API of the instance's memories
(:meth:`~wasmem.memory.linear.LinearMemory.read`, ``read_into``, ``write``, which WASI
and ``wasmem.Memory`` use) reports each access as a ``load`` or ``store`` event of the
calling function, at the place of the ``call``, with ``instruction`` ``"call NAME"``.
Calls back into wasm from the host function are instrumented code of their own: their
accesses are reported as usual, not twice.

An exception an observer (a watchpoint's callback, a trace's ``out``) raises during the
host function is held until the host function returns and raised then, so that no host
function can mistake it for its own failure (WASI turns a ``ValueError`` into an errno).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..memory.linear import LinearMemory
from .events import TraceEvent

__all__ = ["HostAccesses"]

_QUIET = object()
"""The token of a write nobody wants to hear of."""


class HostAccesses:
    """The observer of one instance's memories (see the module docstring).

    Args:
        memories: the instance's memories (index = position).
        sink: receives each event; wants: ``wants(memory, address, size)``, whether
            anybody wants an access; depth: the trace's call depth (``depth[0]``).
    """

    def __init__(self, memories: list[LinearMemory], sink: Callable[[TraceEvent], None],
                 wants: Callable[[int, int, int], bool], depth: list[int]) -> None:
        self.memories = memories
        self.sink = sink
        self.wants = wants
        self.depth = depth
        self.local = threading.local()  # .call: where the running host call is; .error

    # ------------------------------------------------------------ the call side
    def enter(self, where: dict[str, Any]) -> Any:
        """A host function is called from ``where`` (the caller's function and the
        call's place, ``instruction``): report its accesses; returns what
        :meth:`leave` restores."""
        local = self.local
        previous = getattr(local, "call", None)
        local.call = where
        return previous

    def leave(self, previous: Any) -> None:
        """The host function returned (or raised).

        Raises:
            BaseException: the first exception an observer raised during the call.
        """
        local = self.local
        local.call = previous
        error = getattr(local, "error", None)
        if error is not None and previous is None:
            local.error = None
            raise error

    def reentered(self, run: Callable[..., Any]) -> Callable[..., Any]:
        """``run`` (a defined function's entry) with the host call, if any, suspended
        while it runs: instrumented code reports its own accesses."""
        local = self.local

        def call(*args: Any) -> Any:
            previous = getattr(local, "call", None)
            if previous is None:
                return run(*args)
            local.call = None
            try:
                return run(*args)
            finally:
                local.call = previous
        return call

    # ------------------------------------------------------------ the memory side
    def _where(self, memory: LinearMemory, address: int, size: int) -> tuple[int, Any]:
        """``(memory index, the call's place)`` if this access is to be reported,
        else ``(-1, None)``."""
        local = self.local
        where = getattr(local, "call", None)
        if where is None or getattr(local, "error", None) is not None or size <= 0:
            return -1, None
        for index, candidate in enumerate(self.memories):
            if candidate is memory:
                if self.wants(index, address, size):
                    return index, where
                break
        return -1, None

    def _send(self, event: TraceEvent) -> None:
        """Pass ``event`` on; what the observer reads meanwhile is not an access of the
        host function (a callback looking at memory)."""
        local = self.local
        where = local.call
        local.call = None
        try:
            self.sink(event)
        except BaseException as exc:  # held until the host function returns
            local.error = exc
        finally:
            local.call = where

    def read(self, memory: LinearMemory, address: int, size: int, data: bytes) -> None:
        """The host read ``data`` at ``address``. Raises nothing."""
        index, where = self._where(memory, address, size)
        if where is not None:
            self._send(TraceEvent("load", depth=self.depth[0], memory=index,
                                  address=address, size=size, value=data, **where))

    def before_write(self, memory: LinearMemory, address: int, size: int) -> Any:
        """The host is about to write ``size`` bytes: the bytes there now, for
        :meth:`wrote` (an opaque token). Raises nothing."""
        index, where = self._where(memory, address, size)
        if where is None:
            return _QUIET
        return index, where, bytes(memory.data[address:address + size])

    def wrote(self, memory: LinearMemory, address: int, size: int, token: Any) -> None:
        """The host wrote ``size`` bytes at ``address``. Raises nothing."""
        if token is _QUIET:
            return
        index, where, old = token
        self._send(TraceEvent("store", depth=self.depth[0], memory=index, address=address,
                              size=size, value=bytes(memory.data[address:address + size]), old=old,
                              **where))
