"""The ``wasi_snapshot_preview1`` import module, and how an instance is linked to it.

:class:`WasiLink` makes one host function per preview 1 function (the 46 of the witx
description), each calling its implementation in ``calls_*`` with the guest's raw
arguments and turning failures into errno results: a :class:`WasiError` gives its errno,
a host ``OSError`` the mapped errno, a pointer outside memory ``fault``. ``proc_exit``
raises :class:`wasmem.Exit`, after which the instance is finished: calling any of its
functions again raises :class:`wasmem.InvocationError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import InvocationError
from ..exec.invoke import invoke_raw
from ..memory.linear import LinearMemory, OutOfBounds
from ..runtime.functions import FunctionInstance
from ..runtime.instances import ModuleInstance
from ..syntax.types import I32, I64, FuncType
from . import calls_fd, calls_path, calls_system, preview0
from .abi import Errno
from .config import WasiConfig
from .context import WasiContext
from .oserrors import WasiError, errno_of

__all__ = ["MODULE_NAME", "SIGNATURES", "WasiLink"]

MODULE_NAME = "wasi_snapshot_preview1"
"""The import module name of WASI preview 1."""

SIGNATURES: dict[str, str] = {
    "args_get": "ii", "args_sizes_get": "ii", "environ_get": "ii",
    "environ_sizes_get": "ii", "clock_res_get": "ii", "clock_time_get": "iIi",
    "fd_advise": "iIIi", "fd_allocate": "iII", "fd_close": "i", "fd_datasync": "i",
    "fd_fdstat_get": "ii", "fd_fdstat_set_flags": "ii", "fd_fdstat_set_rights": "iII",
    "fd_filestat_get": "ii", "fd_filestat_set_size": "iI", "fd_filestat_set_times": "iIIi",
    "fd_pread": "iiiIi", "fd_prestat_get": "ii", "fd_prestat_dir_name": "iii",
    "fd_pwrite": "iiiIi", "fd_read": "iiii", "fd_readdir": "iiiIi", "fd_renumber": "ii",
    "fd_seek": "iIii", "fd_sync": "i", "fd_tell": "ii", "fd_write": "iiii",
    "path_create_directory": "iii", "path_filestat_get": "iiiii",
    "path_filestat_set_times": "iiiiIIi", "path_link": "iiiiiii",
    "path_open": "iiiiiIIii", "path_readlink": "iiiiii", "path_remove_directory": "iii",
    "path_rename": "iiiiii", "path_symlink": "iiiii", "path_unlink_file": "iii",
    "poll_oneoff": "iiii", "proc_exit": "i", "proc_raise": "i", "sched_yield": "",
    "random_get": "ii", "sock_accept": "iii", "sock_recv": "iiiiii", "sock_send": "iiiii",
    "sock_shutdown": "ii",
}
"""Parameters of each preview 1 function (``i`` = i32, ``I`` = i64); every one returns
an i32 errno except ``proc_exit``, which returns nothing."""


def _implementation(name: str) -> Callable[..., Any]:
    for module in (calls_fd, calls_path, calls_system):
        function = getattr(module, name, None)
        if function is not None:
            return function  # type: ignore[no-any-return]
    raise LookupError(name)  # pragma: no cover - SIGNATURES and the modules agree


def _function_type(name: str) -> FuncType:
    params = tuple(I64 if code == "I" else I32 for code in SIGNATURES[name])
    return FuncType(params, () if name == "proc_exit" else (I32,))


_TABLE: dict[str, tuple[FuncType, Callable[..., Any]]] = {}


def _table() -> dict[str, tuple[FuncType, Callable[..., Any]]]:
    """Each preview 1 function's type and implementation (found once per process)."""
    if not _TABLE:
        _TABLE.update({name: (_function_type(name), _implementation(name))
                       for name in SIGNATURES})
    return _TABLE


def _host_call(ctx: WasiContext, implementation: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an implementation: raw guest arguments in, an errno (int) out."""

    def call(*args: Any) -> int:
        try:
            return int(implementation(ctx, *args))
        except WasiError as exc:
            return int(exc.errno)
        except OutOfBounds:
            return int(Errno.FAULT)
        except OSError as exc:
            return int(errno_of(exc))
        except (ValueError, OverflowError):  # e.g. a host call refusing an argument
            return int(Errno.INVAL)

    return call


class WasiLink:
    """The preview 1 functions of one guest, and the state they share.

    Args:
        config: what the guest is given.

    Raises:
        LinkError: a preopened directory cannot be opened.
    """

    def __init__(self, config: WasiConfig) -> None:
        if not isinstance(config, WasiConfig):
            raise InvocationError("wasi= takes a wasmem.wasi.WasiConfig, not "
                                  f"{type(config).__name__}")
        self.context = WasiContext(config)
        self.functions: dict[str, FunctionInstance] = {}
        for name, (ft, implementation) in _table().items():
            self.functions[name] = FunctionInstance(
                ft, ft, _host_call(self.context, implementation),
                name=f"{MODULE_NAME}.{name}", host=implementation)
        self.preview0 = preview0.functions(self.functions, self.context, _host_call)

    def merged(self, imports: Mapping[str, Any]) -> dict[str, Any]:
        """``imports`` with the preview 1 module (and snapshot 0's ``wasi_unstable``)
        added; entries the caller gave for the same module name take precedence."""
        merged = dict(imports)
        for module, functions in ((MODULE_NAME, self.functions),
                                  (preview0.MODULE_NAME, self.preview0)):
            own: dict[str, Any] = dict(functions)
            given = imports.get(module)
            if isinstance(given, Mapping):
                own.update(given)
            elif given is not None:
                continue
            merged[module] = own
        return merged

    def start(self, instance: ModuleInstance) -> WasiContext:
        """Give the guest its memory (the export ``memory``), then run the module's start
        function, if any.

        Raises:
            Trap: the start function trapped. Exit: it called ``proc_exit``.
        """
        memory = instance.exports.get("memory")
        if isinstance(memory, LinearMemory):
            self.context.memory = memory
        elif instance.memories:
            self.context.memory = instance.memories[0]
        self.context.on_exit = lambda code: _finish(instance, code)
        start = instance.module.start
        if start is not None:
            invoke_raw(instance.functions[start], [])
        return self.context


def _finish(instance: ModuleInstance, code: int) -> None:
    """Make every function of ``instance`` refuse to run: the guest has exited."""

    def exited(*args: Any) -> Any:
        raise InvocationError(f"the instance has exited (proc_exit({code})); "
                              "create a new Instance to run the module again")

    for function in instance.functions:
        if function.instance is instance:
            function.call = exited
