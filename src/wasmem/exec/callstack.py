"""WebAssembly call depth, counted by wasmem per thread (spec "Execution": the call stack
is an implementation limit; exceeding it is the trap "call stack exhausted").

Python's recursion limit is process-wide and says nothing about the C stack, so it
cannot be the bound: an embedder that raised it (``sys.setrecursionlimit(10**6)``)
would let a recursion that re-enters wasm through host functions overflow the C stack
(a segmentation fault), and a limit raised and lowered per call would let threads
interfere. Instead:

* every thread has its own counters (:data:`LOCAL`, a :class:`threading.local`);
* :data:`MAX_CALL_DEPTH` bounds the WebAssembly calls active in one thread, across
  instances and host re-entry. Compiled functions pass their depth to the functions
  they call directly (an argument, no shared state); calls that leave compiled code
  (to imports, through tables, by reference) publish it in the thread's :class:`Counters`;
  the interpreter counts there itself;
* a frame with many locals counts for more than one call (:data:`FRAME_SLOTS`), so
  the memory a deep recursion takes stays bounded too;
* :data:`MAX_HOST_ENTRIES` bounds the nested entries from the host (a host function
  that calls back into WebAssembly): each one costs C stack, about 1-2 KiB, so 1,000
  of them stay well inside the 8 MiB a Linux thread gets by default;
* the Python recursion limit is raised, while any thread runs WebAssembly deeper than
  :data:`DEEP` calls, to what :data:`MAX_CALL_DEPTH` needs (never lowered below the
  embedder's value), and put back when the last such thread leaves (:func:`deeper`;
  shallow calls, the common case at the host boundary, never touch it). Compiled code
  learns that its thread holds it from the depth value it is passed (:data:`HELD`), or,
  where a thread reaches :data:`DEEP`, from :data:`LIMIT` (no thread-local lookup: a
  recursion going back and forth around :data:`DEEP` pays nothing for it; see
  :func:`leave_outermost`).

Exceeding either limit raises :class:`~wasmem.errors.Exhaustion` ("call stack
exhausted"); the counters need no cleanup after an exception, so a trap leaves the
thread ready for the next call.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import Exhaustion, TrapMessage

__all__ = ["MAX_CALL_DEPTH", "MAX_HOST_ENTRIES", "FRAME_SLOTS", "LOCAL", "Counters",
           "counters", "enter",
           "exhausted", "frame_weight", "python_frames", "PYTHON_FRAMES_NEEDED", "spread",
           "acquire_python_frames", "release_python_frames", "host_entries", "DEEP",
           "deeper", "leave_outermost", "ENTRY_DEPTH", "ENTRY_DEFAULTS", "HELD", "LIMIT",
           "Limit", "held_depth", "passed_depth"]

MAX_CALL_DEPTH = 10_000
"""WebAssembly calls active at once in one thread (inlined calls of the compiler are
not counted: they use no frame)."""

FRAME_SLOTS = 256
"""A frame counts as one call per this many value slots (locals and operand stack) it
holds, so that a recursion of huge frames ends before it takes gigabytes of memory."""

MAX_HOST_ENTRIES = 400 if sys.version_info[:2] == (3, 12) else 1_000
"""Nested calls into WebAssembly from host functions that WebAssembly called, per thread
(fewer in a thread with less than 4 MiB of stack: see :func:`host_entries`). CPython 3.12
stops any thread at 1,500 nested C-level calls whatever the recursion limit, and each
entry takes three: there the bound is 400, so wasmem's own limit is what is met."""

ENTRY_STACK_BYTES = 4096
"""C stack reserved per nested entry (measured: about 1.7 KiB on CPython 3.11, x86-64)."""

DEEP = 16
"""From this depth on (or from its first nested entry from a host function), a thread
holds Python's recursion limit raised (:func:`deeper`); shallower calls never touch it.
The embedder's limit only needs to leave room for these few frames."""

ENTRY_DEPTH = 1 << 62
"""The depth argument's default in compiled functions: "called from outside compiled
code", the depth is then read from the thread's counters (:func:`enter`)."""

ENTRY_DEFAULTS = (ENTRY_DEPTH,)
"""The ``__defaults__`` of every compiled function (this one tuple): compiled code that
calls a function found in a table tests ``f.__defaults__ is ENTRY_DEFAULTS`` to pass it
the call depth directly instead of publishing it in the thread's counters."""

HELD = 8
"""Added to the depth compiled functions pass each other from :data:`DEEP` on, once the
thread holds the raised recursion limit (:func:`held_depth`): a prologue knows it from
the value it is passed, without asking the thread, so a recursion going back and forth
around :data:`DEEP` crosses it once. A value ``v`` passed is the depth ``v`` below
``DEEP``, the depth ``v - HELD`` from ``DEEP + HELD`` on, and a depth not yet held in
between (a call site adds at most ``HELD`` to its own value: ``_d + 1`` plus one for
each callee inlined around it). Small, so that the values of usual depths stay Python's
preallocated small integers (``_d + 1`` allocates nothing below 256)."""

PYTHON_FRAMES_NEEDED = 4 * MAX_CALL_DEPTH + 8 * MAX_HOST_ENTRIES + 2_000
"""Python frames the deepest allowed call stack can use (the interpreter uses two per
call, four with fuel: with two counted, it stopped at a depth of 7,500 instead of
:data:`MAX_CALL_DEPTH` with fuel; each host re-entry about eight, plus the embedder's
own frames). Python calls of Python functions use no C stack."""


class Counters:
    """One thread's counters: ``depth`` (WebAssembly calls active, as last published),
    ``entries`` (calls from the host active), ``max_entries`` (this thread's bound,
    known after its first call) and ``holding`` (the thread holds the raised recursion
    limit, see :func:`deeper`)."""

    __slots__ = ("depth", "entries", "holding", "max_entries", "__weakref__")

    def __init__(self) -> None:
        self.depth = 0
        self.entries = 0
        self.max_entries = 0
        self.holding = False


class Limit:
    """``LIMIT.raised``: some thread holds Python's recursion limit raised for its
    outermost call (``Counters.holding``; process-wide;
    compiled code reads it where a thread first reaches :data:`DEEP`, see
    :func:`leave_outermost`)."""

    __slots__ = ("raised",)

    def __init__(self) -> None:
        self.raised = False


LIMIT = Limit()

_all_counters: weakref.WeakSet[Counters] = weakref.WeakSet()  # every thread's
_registry = threading.Lock()


class _Local(threading.local):
    """``LOCAL.counters`` is the calling thread's :class:`Counters` (one lookup in the
    thread-local storage, then plain attribute accesses)."""

    def __init__(self) -> None:
        self.counters = Counters()
        with _registry:
            _all_counters.add(self.counters)


LOCAL = _Local()


def counters() -> Counters:
    """The calling thread's counters."""
    return LOCAL.counters


def exhausted() -> Exhaustion:
    """Return the trap for a call beyond :data:`MAX_CALL_DEPTH` (to be raised)."""
    return Exhaustion(TrapMessage.CALL_STACK_EXHAUSTED)


def frame_weight(slots: int) -> int:
    """How many calls a frame of ``slots`` value slots counts for (at least one)."""
    return 1 + slots // FRAME_SLOTS


def enter(weight: int = 1) -> int:
    """The depth of a function called from outside compiled code: the depth published
    in the thread's counters plus the function's ``weight`` (:func:`frame_weight`).

    Raises:
        Exhaustion: beyond :data:`MAX_CALL_DEPTH`.
    """
    depth = LOCAL.counters.depth + weight
    if depth >= DEEP:
        deeper(depth)
    return depth


def deeper(depth: int) -> None:
    """Called when a thread's depth reaches :data:`DEEP` (and beyond, by callers that do
    not track the crossing): check the limit, and hold Python's recursion limit raised
    (:func:`acquire_python_frames`) until the thread's outermost call returns.

    Raises:
        Exhaustion: beyond :data:`MAX_CALL_DEPTH`.
    """
    if depth > MAX_CALL_DEPTH:
        raise exhausted()
    stack = LOCAL.counters
    if not stack.holding:
        _hold(stack)


def _hold(stack: Counters) -> None:
    """Make the thread of ``stack`` hold the raised recursion limit (and say so in
    :data:`LIMIT`)."""
    global _holders
    with _lock:
        if stack.holding:  # handed over meanwhile (leave_outermost)
            return
        _raise_limit(PYTHON_FRAMES_NEEDED)
        stack.holding = True
        _holders += 1
        LIMIT.raised = True


def held_depth(value: int, weight: int = 1) -> int:
    """The depth value a compiled function of ``weight`` (:func:`frame_weight`) goes on
    with, when its prologue does not accept the ``value`` it was passed: ``ENTRY_DEPTH``
    (called from outside compiled code: the published depth is read), a depth of
    :data:`DEEP` or more not yet marked :data:`HELD` (the thread then holds the raised
    recursion limit: :func:`deeper`), or a depth beyond :data:`MAX_CALL_DEPTH`.

    Raises:
        Exhaustion: beyond :data:`MAX_CALL_DEPTH`.
    """
    if value < DEEP + HELD:  # (not held yet: the depth itself)
        if weight == 1 and value >= DEEP:  # first reaching DEEP, the common case
            stack = LOCAL.counters
            if not stack.holding:
                _hold(stack)
            return value + HELD
        depth = value + weight - 1
    elif value < ENTRY_DEPTH:
        depth = value - HELD + weight - 1
    else:
        depth = LOCAL.counters.depth + weight
    if depth < DEEP:
        return depth
    deeper(depth)
    return depth + HELD


def passed_depth(depth: int) -> int:
    """The value passing the call ``depth`` to a compiled function (marked :data:`HELD`
    from :data:`DEEP` on, where the thread holds the raised limit: :func:`deeper`).

    Raises:
        Exhaustion: beyond :data:`MAX_CALL_DEPTH`.
    """
    if depth < DEEP:
        return depth
    deeper(depth)
    return depth + HELD


def leave_outermost() -> None:
    """End the thread's outermost call: give back the raised recursion limit if held.

    Compiled code reaching :data:`DEEP` while :data:`LIMIT` says the limit is raised goes
    on without asking its thread (a thread-local lookup costs more than the call), so a
    thread may run deep on a limit another thread holds: the last holder to leave hands
    the limit to every thread still running WebAssembly, which gives it back when its own
    outermost call ends.
    """
    global _threads, _holders
    stack = LOCAL.counters
    if stack.holding:
        stack.holding = False
        with _lock:
            _holders -= 1
            if not _holders:  # the last holder
                LIMIT.raised = False  # (a thread reaching DEEP from now on takes it)
                with _registry:
                    others = [other for other in _all_counters
                              if other is not stack and other.entries and not other.holding]
                for other in others:  # (as acquire_python_frames: the limit is raised)
                    other.holding = True
                _threads += len(others)
                _holders = len(others)
                LIMIT.raised = bool(others)
        release_python_frames()


def host_entries() -> int:
    """The bound on nested entries for the calling thread: :data:`MAX_HOST_ENTRIES`, or
    fewer when the thread's C stack is known to be small (the main thread's
    ``RLIMIT_STACK``; for other threads, a size set with :func:`threading.stack_size`)."""
    size = 0
    if threading.current_thread() is threading.main_thread():
        try:
            import resource
            soft = resource.getrlimit(resource.RLIMIT_STACK)[0]
            size = 0 if soft == resource.RLIM_INFINITY else soft
        except (ImportError, OSError, ValueError):
            size = 0
    else:
        size = threading.stack_size()
    if size <= 0:
        return MAX_HOST_ENTRIES
    return max(16, min(MAX_HOST_ENTRIES, size // ENTRY_STACK_BYTES))


_spreads: dict[int, Callable[[Callable[..., Any], Sequence[Any]], Any]] = {}


def spread(count: int) -> Callable[[Callable[..., Any], Sequence[Any]], Any]:
    """A function calling ``f(*values)`` for ``count`` values the way Python calls a
    Python function without recursing in C (``f(*values)`` itself goes through C and
    uses C stack at every level of a recursion)."""
    caller = _spreads.get(count)
    if caller is None:
        values = ", ".join(f"values[{k}]" for k in range(count))
        namespace: dict[str, Any] = {}
        exec(f"def spread(f, values):\n    return f({values})\n", namespace)
        caller = _spreads[count] = namespace["spread"]
    return caller


_lock = threading.Lock()
_threads = 0  # threads inside python_frames()
_holders = 0  # threads holding the limit for their outermost call (Counters.holding)
_restore: int | None = None  # the embedder's limit, when wasmem raised it
_raised_to = 0


def acquire_python_frames(needed: int = PYTHON_FRAMES_NEEDED) -> None:
    """Raise Python's recursion limit to at least ``needed`` until the matching
    :func:`release_python_frames` (thread-safe: the limit is only raised, and put back
    to the embedder's value once no thread holds it, if nobody changed it meanwhile)."""
    with _lock:
        _raise_limit(needed)


def _raise_limit(needed: int) -> None:
    """:func:`acquire_python_frames`, under ``_lock``."""
    global _threads, _restore, _raised_to
    _threads += 1
    current = sys.getrecursionlimit()
    if current < needed:
        if _restore is None:
            _restore = current
        sys.setrecursionlimit(needed)
        _raised_to = needed


def release_python_frames() -> None:
    """End one :func:`acquire_python_frames`."""
    global _threads, _restore
    with _lock:
        _threads -= 1
        if _threads == 0 and _restore is not None:
            if sys.getrecursionlimit() == _raised_to:
                sys.setrecursionlimit(_restore)
            _restore = None


class python_frames:  # (lower case: used as the function it was, ``with python_frames():``)
    """Keep Python's recursion limit at least ``needed`` while the ``with`` block runs
    (:func:`acquire_python_frames`). A class, not ``contextlib.contextmanager``: every
    translation enters one: 2.4 against 4.3 us an entry and exit (``bench/codegen.md``,
    smallgen12), of a small function's ~100-200 us. Raises nothing itself."""

    __slots__ = ("needed",)

    def __init__(self, needed: int = PYTHON_FRAMES_NEEDED) -> None:
        self.needed = needed

    def __enter__(self) -> None:
        acquire_python_frames(self.needed)

    def __exit__(self, *exc: object) -> None:
        release_python_frames()
