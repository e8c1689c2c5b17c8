"""Watching WebAssembly code run: traces of calls and memory accesses.

See ``docs/observe.md``. :meth:`wasmem.Instance.trace` is the entry point; trap
backtraces (``Trap.frames``) live in :mod:`wasmem.exec.backtrace`.
"""

from .events import TraceEvent
from .trace import Trace
from .watch import WatchEvent, Watchpoint

__all__ = ["Trace", "TraceEvent", "WatchEvent", "Watchpoint"]
