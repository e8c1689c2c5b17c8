"""The collector at the process's exit, on request: wasmem's modules left out of its last
collections (off unless ``WASMEM_EXIT_COLLECTION=0``).

When the interpreter exits, CPython removes every module from ``sys.modules`` and then
runs full collections over every object the collector tracks. wasmem's modules alone
are some 15-20 thousand of those (the functions, classes and tables of about 100-200
modules, held in reference cycles through their globals), so a short process that
imported wasmem spent 25-50 ms of CPU time after its last result collecting and freeing
them one by one (``bench/STARTUP.md``, thirteenth round): memory the operating system
takes back at once anyway.

:func:`install` (run by ``import wasmem``) registers :func:`at_exit`, which runs after
the exit functions registered later (the compiled-code pack and the import bundle that
wasmem writes at exit, and those of the program registered after ``import wasmem``). It
runs one full collection first, so whatever was garbage at exit is collected and
finalised as before (``__del__`` methods, weak reference callbacks, files flushed), keeps
every module alive (a frozen list of them), and then moves every object still alive to
the collector's permanent generation (``gc.freeze()``), which the interpreter's last
collections skip. Since every module is alive then, the interpreter clears each one's
globals (as it does for the modules its collections leave), so what a module holds and
no reference cycle keeps is freed and finalised as before (a script's unclosed file is
flushed, its objects' ``__del__`` run). What differs: an object that is alive at exit and
in a reference cycle is not finalised (the interpreter's last collection would have
finalised it), as Python allows ("It is not guaranteed that ``__del__()`` methods are
called for objects that still exist when the interpreter exits", the language
reference, 3.3.1), and the modules' globals are cleared in the interpreter's order for
surviving modules rather than in its collector's. That order is not safe for every
extension module: a program that keeps a ``wasmtime`` store in a reference cycle (a host
function's closure holding its store) crashed at exit with a segmentation fault, the store
freed after ``wasmtime``'s own globals were cleared. So the process's exit is CPython's
unless ``WASMEM_EXIT_COLLECTION=0`` asks for this one (a short process that uses nothing
else with finalisers saves the 25-50 ms).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

__all__ = ["at_exit", "install"]

_SETTING = "WASMEM_EXIT_COLLECTION"
_installed = [False]


def install() -> None:
    """Register :func:`at_exit` (once a process). Raises nothing."""
    if not _installed[0]:
        _installed[0] = True
        atexit.register(at_exit)


def at_exit() -> None:
    """Collect the garbage, then leave every live object out of the interpreter's
    last collections (module docstring), when ``WASMEM_EXIT_COLLECTION=0`` asks for it;
    otherwise nothing (CPython's exit). Raises nothing of its own (a finaliser's exception
    is reported by the collector, as at any collection)."""
    if os.environ.get(_SETTING, "").strip() != "0":
        return
    gc.collect()
    keep: list[object] = list(sys.modules.values())  # (every module stays alive, so the
    keep.append(keep)  # interpreter clears each one's globals, frozen in a cycle below)
    gc.freeze()
