"""``wasmem run`` for WASI programs, following ``wasmtime run``.

``wasmem run [--env NAME=VALUE]... [--dir HOST[::GUEST]]... FILE [ARGS...]`` instantiates
``FILE`` with WASI, calls ``_start`` (a command) or ``_initialize`` (a reactor, then
``--invoke NAME``) and exits with the guest's exit code. ``ARGS`` go to the guest, with
``argv[0]`` the file's base name (as wasmtime does, so no host path leaks in).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ..errors import InvocationError
from ..exec.tier_names import DEFAULT_TIER
from .config import WasiConfig
from .imports import MODULE_NAME
from .preview0 import MODULE_NAME as PREVIEW0

__all__ = ["split_run_arguments", "wants_wasi", "start_wasi", "RUN_OPTIONS"]

RUN_OPTIONS = {"--invoke": -1, "--fuel": 1, "--max-pages": 1, "--env": 1, "--dir": 1,
               "--tier": 1, "-h": 0, "--help": 0}
"""Options of ``wasmem run`` and how many values each takes (-1: the rest)."""


def split_run_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split a ``run`` command line into wasmem's part and the guest's arguments.

    Everything after ``FILE`` goes to the guest, unless it is written in the older form
    ``FILE --invoke NAME ARGS... [--fuel N]`` (a wasmem option follows ``FILE``: then
    argparse reads it all). ``--`` after ``FILE`` always starts the guest's arguments.
    """
    argv = list(argv)
    if not argv or argv[0] != "run":
        return argv, []
    index = 1
    invoke: list[str] = []
    while index < len(argv):
        token = argv[index]
        name = token.split("=", 1)[0]
        if token == "--":
            return argv[:index] + argv[index + 1:index + 2], argv[index + 2:]
        if name in RUN_OPTIONS and token.startswith("-"):
            count = RUN_OPTIONS[name]
            if count < 0:  # wasmtime's order: --invoke NAME FILE ARGS...
                invoke = argv[index:index + 2]
                del argv[index:index + 2]
                continue
            index += 1 + (count if "=" not in token else 0)
            continue
        break  # FILE
    file_index = index
    rest = argv[file_index + 1:]
    if invoke:
        return argv[:file_index + 1] + invoke + rest, []
    if rest and rest[0] == "--":
        return argv[:file_index + 1], rest[1:]
    if any(token.split("=", 1)[0] in RUN_OPTIONS for token in rest):
        return argv, []
    return argv[:file_index + 1], rest


def wants_wasi(module: Any, invoke: bool) -> bool:
    """True when ``module`` imports WASI, or is a command to start (``_start``)."""
    if any(name in (MODULE_NAME, PREVIEW0) for name, _field, _kind in module.imports):
        return True
    return not invoke and any(name == "_start" for name, _kind in module.exports)


def _config(file: str, guest_args: Sequence[str], env: Sequence[str] | None,
            dirs: Sequence[str] | None) -> WasiConfig:
    variables: dict[str, str] = {}
    for item in env or ():
        name, sep, value = item.partition("=")
        if not sep:
            if name not in os.environ:
                continue  # --env NAME passes the host's value, if it has one
            value = os.environ[name]
        variables[name] = value
    preopens: dict[str, str] = {}
    for item in dirs or ():
        host, sep, guest = item.partition("::")
        preopens[guest if sep else host] = host
    argv0 = os.path.basename(os.path.normpath(file)) or file
    return WasiConfig(args=[argv0, *guest_args], env=variables, preopens=preopens)


def start_wasi(module: Any, args: Any, guest_args: Sequence[str], *,
               fuel: int | None) -> tuple[Any, int]:
    """Instantiate ``module`` with WASI from the command line; start it.

    Returns:
        ``(instance, status)``: the instance (for ``--invoke``) and the exit status when
        ``_start`` ran to its end (0) or the module has nothing to start.

    Raises:
        Exit: the guest called ``proc_exit``. Trap, LinkError: as for any instance.
        InvocationError: ``--invoke`` names nothing and the module has no ``_start``.
    """
    from ..embedding import Function, Instance
    config = _config(args.file, guest_args, args.env, args.dir)
    instance = Instance(module, fuel=fuel, max_memory_pages=args.max_pages,
                        tier=getattr(args, "tier", DEFAULT_TIER), wasi=config)
    try:
        exports = instance.exports
        if args.invoke is not None:
            initialize = exports.get("_initialize")
            if isinstance(initialize, Function):
                initialize()
            return instance, 0
        start = exports.get("_start")
        if isinstance(start, Function):
            start()
            return instance, 0
        initialize = exports.get("_initialize")
        if isinstance(initialize, Function):
            initialize()
            return instance, 0
        raise InvocationError("the module exports neither _start nor _initialize: "
                              "name a function with --invoke")
    finally:
        _flush()


def _flush() -> None:
    import sys
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
