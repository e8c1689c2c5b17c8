"""Instantiating a module for the observing commands (``wasmem debug``, ``wasmem map
--trace``) with its start function held back, so that it runs observed.

The spec runs a module's start function as the last step of instantiation, after its
data and element segments are in place (spec "Modules / Instantiation", step 17).
:func:`instantiate_observable` instantiates the same module without it and returns
its index; calling it (:func:`run_start`) once the observers are set is the same
program, seen from its first instruction.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import Any

from ..exec.invoke import invoke_raw

__all__ = ["instantiate_observable", "run_start", "wasi_config"]


def instantiate_observable(module: Any, **options: Any) -> tuple[Any, int | None]:
    """A :class:`wasmem.Instance` of ``module`` whose start function has not run, and
    that function's index (None when the module has none). ``options`` are those of
    ``Instance`` (``wasi=``, ``fuel=``, ``tier=``...).

    Raises:
        LinkError, Trap, Exit: as ``Instance`` (segments that do not fit trap here).
    """
    from ..embedding import Instance, Module
    start = module.ast.start
    if start is None:
        return Instance(module, **options), None
    held = Module.__new__(Module)
    held.ast = dataclasses.replace(module.ast, start=None)
    return Instance(held, **options), start


def run_start(instance: Any, start: int) -> None:
    """Run the start function ``start`` of ``instance`` (the instance's functions as
    they are bound now: instrumented while observed).

    Raises:
        Trap: it trapped. Exit: it called WASI ``proc_exit``.
    """
    invoke_raw(instance._instance.functions[start], [])


def wasi_config(file: str, arguments: Sequence[str] = ()) -> Any:
    """What a WASI program run by an observing command gets: ``argv`` is the file's base
    name (as ``wasmem run`` and wasmtime give it) and ``arguments``; no directories,
    no environment; the terminal's standard streams."""
    from ..wasi import WasiConfig
    argv0 = os.path.basename(os.path.normpath(file)) or file
    return WasiConfig(args=[argv0, *arguments])
