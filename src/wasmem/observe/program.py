"""The program ``wasmem debug`` runs: a module, how it is instantiated (with WASI for a
program that imports it, its start function held back so that breakpoints in it stop)
and what ``run`` calls to start it.

A WASI *command* (it exports ``_start``) runs once per instance, as in a shell: each
``run`` after the first starts it again in a new instance, with the same arguments or
new ones (``run ARGS...``); :meth:`Program.restart` makes that instance. Other modules
keep one instance: the start function runs with the first ``run``, then each ``run``
calls an export (after ``_initialize`` of a WASI reactor, once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..exec.backtrace import function_name
from .launch import instantiate_observable, run_start, wasi_config

__all__ = ["Program"]


class Program:
    """A module being debugged.

    Args:
        module: the :class:`wasmem.Module`; file: its path (``argv[0]`` is its base name).
        invoke: whether ``--invoke`` names an export to call (then a module with
            ``_start`` and no WASI imports is not started as a command).
        arguments: a WASI program's arguments after ``argv[0]``.
        fuel: an instruction budget per instance, or None.

    Raises:
        LinkError: the imports cannot be satisfied (only WASI's are provided).
        Trap: a data or element segment does not fit (instantiation).
    """

    def __init__(self, module: Any, file: str, *, invoke: bool, arguments: Sequence[str] = (),
                 fuel: int | None = None) -> None:
        from ..wasi.command import wants_wasi
        self.module = module
        self.file = file
        self.fuel = fuel
        self.wasi = wants_wasi(module, invoke)
        exports = {name for name, _kind in module.exports}
        self.command = self.wasi and not invoke and "_start" in exports
        self.initialize = self.wasi and "_initialize" in exports
        self.arguments = list(arguments)
        self.instance: Any = None
        self.start: int | None = None
        self.started = False  # the instance's start function (and _start) have run
        self.restart()

    @property
    def argv(self) -> list[str]:
        """What a WASI program gets as ``argv``."""
        return list(wasi_config(self.file, self.arguments).args)

    def restart(self, arguments: Sequence[str] | None = None) -> Any:
        """A new instance (with new ``arguments`` when given); return it.

        Raises:
            LinkError, Trap: as for the first instance.
        """
        if arguments is not None:
            self.arguments = list(arguments)
        wasi = wasi_config(self.file, self.arguments) if self.wasi else None
        self.instance, self.start = instantiate_observable(self.module, wasi=wasi,
                                                           fuel=self.fuel)
        self.started = False
        return self.instance

    @property
    def pending(self) -> bool:
        """Whether :meth:`launch` has something to run."""
        return not self.started and (self.start is not None or self.command
                                     or self.initialize)

    def launch(self) -> list[tuple[str, Callable[[], Any]]]:
        """What starts the program, once per instance: ``(label, call)`` pairs for its
        start function, then ``_start`` (a command) or ``_initialize`` (a reactor)."""
        if self.started:
            return []
        self.started = True
        instance, start = self.instance, self.start
        calls: list[tuple[str, Callable[[], Any]]] = []
        if start is not None:
            name = function_name(instance._instance.module, start) or f"func[{start}]"
            calls.append((f"start function {name}", lambda: run_start(instance, start)))
        if self.command:
            calls.append((f"program: {' '.join(self.argv)}", instance.exports["_start"]))
        elif self.initialize:
            calls.append(("_initialize()", instance.exports["_initialize"]))
        return calls
