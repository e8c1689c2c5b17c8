"""How much of each function's translation earlier runs paid for, kept in the disk cache.

With a disk cache (:mod:`.compiler.cache`), a translation outlives the run that made it,
so what decides whether translating a function pays is the work interpreting it cost over
*all* the runs of the module, not over one. The tiered mode (:mod:`.tiering`) measures a
function's interpreted work as a fraction of what translating it costs: each call counts
a share that falls with the cost of its translation, each loop iteration ``1 / 100``, and
each run that interprets it at all :data:`RUN_SHARE` (decoding it for the interpreter).
That fraction, summed over runs, is kept here per function; once it reaches 1 (with what
the coming run would pay) the function is translated at its first call, and a run's
budgets are what is left of it. So a big function a run calls once is interpreted again
in the next runs (as pwasm does), and one that every run calls once is translated after
enough runs to pay for it -- in whichever run that is, the in-process runs of a benchmark
or separate processes.

The fractions live in one small entry per module (``counts``), written as the code
entries are (atomically, authenticated with the user's key: :mod:`.compiler.cache_trust`).
Within a process, every ``Module`` of the same bytes over the same cache directory shares
them: a run's counts are added when the next instance of the module starts and when the
process exits (the entry is written then, merged with what other processes added
meanwhile). Everything here is best effort, like the cache: a lost or unreadable entry
only means counting again.
"""

from __future__ import annotations

import atexit
import marshal
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["RUN_SHARE", "ModuleCounts", "counts_of"]

RUN_SHARE = 0.25
"""The fraction of a function's translation that one run interpreting it pays, however
few its calls: decoding and linking it for the interpreter (measured 0.14-0.19 of its
translation on SQLite's functions, 0.15-0.38 on zstd's; a C benchmark's main function,
called once a run with its loop continuing compiled, 0.25-0.3)."""

ENTRY = "counts"
"""The name of the entry in the module's cache directory."""

FIRST_CALL_SHARE = 0.5
"""A run translates on their first calls the functions earlier runs paid for, until their
translations took this share of the length (CPU time) of the last run recorded (at least
the 5 ms importing the interpreter costs, ``tiering.INTERPRETER_COST``); the rest wait
for the next runs. A run never pays in one burst for all that
its predecessors made worth translating (zstd's 96 big functions that each run calls
once would otherwise all be translated in one run, 3 s)."""

MAX_FUNCTIONS = 1 << 20
"""An entry with more functions than this is ignored (not written by wasmem)."""

Meter = Callable[[], "float | None"]
"""What a run reports for one function: the fraction of its translation interpreting it
paid so far in this run, or None once it is translated (its code is in the cache)."""


class _Cache(Protocol):
    def read_entry(self, name: str) -> bytes | None: ...
    def write_entry(self, name: str, payload: bytes) -> bool: ...


class _Run(Protocol):
    meters: dict[int, Meter]
    folded: dict[int, float]
    promoted: set[int]
    started: float


class ModuleCounts:
    """The fractions of one module (in one cache directory), shared in the process.

    Args:
        cache: the module's cache (:class:`~.compiler.cache.CodeCache`).
    """

    def __init__(self, cache: _Cache) -> None:
        self.cache = cache
        self.run_seconds, self.base = _decoded(cache.read_entry(ENTRY))  # as on disk
        self.earned = dict(self.base)  # plus what runs of this process added
        self._measured = False  # run_seconds is a run of this process
        self._current: list[_Run] = []  # runs not added yet (kept alive until then)
        self._earlier: weakref.WeakSet[Any] = weakref.WeakSet()  # added, maybe still running
        self._lock = threading.Lock()

    def start(self, run: _Run) -> None:
        """A new run (an instance) begins: add what the earlier ones counted, then
        count this one's."""
        self.fold()
        with self._lock:
            self._current.append(run)

    def fold(self) -> None:
        """Add to :attr:`earned` what the runs counted since the last fold."""
        with self._lock:
            runs = [*self._current, *self._earlier]
            if self._current:  # the latest run that ended (or the one running now)
                self.run_seconds = time.process_time() - self._current[-1].started
                self._measured = True
            self._earlier.update(self._current)
            self._current.clear()
            for run in runs:
                for index in run.promoted:  # the cache holds its code
                    self.earned.pop(index, None)
                for index, meter in list(run.meters.items()):
                    paid = meter()
                    if paid is None:  # translated: the cache holds its code
                        self.earned.pop(index, None)
                        del run.meters[index]
                        continue
                    before = run.folded.get(index, 0.0)
                    if paid != before:
                        run.folded[index] = paid
                        self.earned[index] = self.earned.get(index, 0.0) + paid - before

    def write(self) -> None:
        """Write the fractions, merged with what other processes wrote since they were
        read (their additions and ours both count)."""
        self.fold()
        with self._lock:
            if self.earned == self.base and not self._measured:
                return
            seconds, now = _decoded(self.cache.read_entry(ENTRY))
            if self._measured:
                seconds = self.run_seconds
            merged = dict(now)
            for index in self.base.keys() | self.earned.keys():
                added = self.earned.get(index)
                if added is None:  # translated here
                    merged.pop(index, None)
                    continue
                merged[index] = now.get(index, 0.0) + added - self.base.get(index, 0.0)
            fractions = {k: round(v, 4) for k, v in merged.items() if v > 0}
            payload = marshal.dumps((_VERSION, float(seconds), fractions))
            if self.cache.write_entry(ENTRY, payload):
                self.base = merged
                self.earned = dict(merged)
                self._measured = False


_VERSION = 1


def _decoded(payload: bytes | None) -> tuple[float, dict[int, float]]:
    """The length of the last run recorded (seconds) and the fractions of an entry's
    payload (0 and {} if it is not one)."""
    if payload is None:
        return 0.0, {}
    try:
        value = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return 0.0, {}
    if not (isinstance(value, tuple) and len(value) == 3 and value[0] == _VERSION
            and type(value[1]) is float and isinstance(value[2], dict)
            and len(value[2]) <= MAX_FUNCTIONS and 0.0 <= value[1] < 1e9):
        return 0.0, {}
    return value[1], {k: v for k, v in value[2].items()
                      if type(k) is int and k >= 0 and type(v) is float and 0.0 <= v < 1e9}


_modules: dict[str, ModuleCounts] = {}
_modules_lock = threading.Lock()


def counts_of(cache: Any) -> ModuleCounts:
    """The fractions of the module of ``cache`` (a
    :class:`~.compiler.cache.CodeCache`), shared by every ``Module`` of the same bytes
    over the same directory in this process (written when it exits)."""
    key = str(cache.directory_name)
    with _modules_lock:
        found = _modules.get(key)
        if found is None:
            if not _modules:
                atexit.register(_write_all)
            found = _modules[key] = ModuleCounts(cache)
        return found


def _write_all() -> None:
    for counts in list(_modules.values()):
        try:
            counts.write()
        except Exception:  # best effort at exit; never a traceback there
            pass
