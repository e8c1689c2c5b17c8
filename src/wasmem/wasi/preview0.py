"""``wasi_unstable`` (WASI snapshot 0), which older toolchains import, on top of preview 1.

Snapshot 0 has the same functions as preview 1 except ``sock_accept``, the same numbers
(errno, rights, flags, file types) and mostly the same records. The differences, handled
here: ``whence`` counts ``cur, end, set`` (preview 1: ``set, cur, end``); ``filestat`` has a
32-bit ``nlink`` and is 56 bytes; a ``subscription`` carries a 64-bit ``identifier`` before
the clock id and is 56 bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ..runtime.functions import FunctionInstance
from .abi import EVENT, Errno, Whence
from .calls_fd import Filestat, fd_filestat
from .calls_fd import fd_seek as seek_preview1
from .calls_path import path_filestat
from .calls_system import poll
from .context import WasiContext
from .oserrors import WasiError

__all__ = ["MODULE_NAME", "FILESTAT", "SUBSCRIPTION", "functions"]

MODULE_NAME = "wasi_unstable"
"""The import module name of WASI snapshot 0."""

FILESTAT = struct.Struct("<QQBxxxIQQQQ")
"""Snapshot 0 ``filestat``: dev, ino, filetype (u8 @16), nlink (u32 @20), size @24, atim,
mtim, ctim; size 56."""
SUBSCRIPTION = struct.Struct("<QB7xQIxxxxQQH6x")
"""Snapshot 0 ``subscription``: userdata, tag (u8 @8), identifier (u64 @16; for fd
variants the fd is its low half), clock id (u32 @24), timeout @32, precision @40,
flags (u16 @48); size 56."""

_WHENCE = {0: Whence.CUR, 1: Whence.END, 2: Whence.SET}


def _pack(fields: Filestat) -> bytes:
    dev, ino, filetype, nlink, size, atim, mtim, ctim = fields
    return FILESTAT.pack(dev, ino, filetype, min(nlink, 0xFFFFFFFF), size, atim, mtim, ctim)


def fd_seek(ctx: WasiContext, fd: int, offset: int, whence: int, newoffset: int) -> Errno:
    """Snapshot 0 ``fd_seek`` (its own ``whence`` numbers)."""
    if whence not in _WHENCE:
        raise WasiError(Errno.INVAL)
    return seek_preview1(ctx, fd, offset, _WHENCE[whence], newoffset)


def fd_filestat_get(ctx: WasiContext, fd: int, buf: int) -> Errno:
    """Snapshot 0 ``fd_filestat_get`` (56-byte ``filestat``)."""
    ctx.write(buf, _pack(fd_filestat(ctx, fd)))
    return Errno.SUCCESS


def path_filestat_get(ctx: WasiContext, fd: int, flags: int, path: int, path_len: int,
                      buf: int) -> Errno:
    """Snapshot 0 ``path_filestat_get`` (56-byte ``filestat``)."""
    ctx.write(buf, _pack(path_filestat(ctx, fd, flags, path, path_len)))
    return Errno.SUCCESS


def poll_oneoff(ctx: WasiContext, in_: int, out: int, nsubscriptions: int,
                nevents: int) -> Errno:
    """Snapshot 0 ``poll_oneoff`` (56-byte subscriptions; events as in preview 1)."""
    if nsubscriptions == 0:
        raise WasiError(Errno.INVAL)
    raw = ctx.read(in_, nsubscriptions * SUBSCRIPTION.size)
    ctx.check(out, nsubscriptions * EVENT.size)
    subscriptions = []
    for userdata, tag, identifier, clock_id, timeout, _precision, flags in \
            SUBSCRIPTION.iter_unpack(raw):
        word = clock_id if tag == 0 else identifier & 0xFFFFFFFF
        subscriptions.append((userdata, tag, word, timeout, flags))
    events = poll(ctx, subscriptions)
    ctx.write(out, b"".join(events))
    ctx.write_u32(nevents, len(events))
    return Errno.SUCCESS


_OWN: dict[str, Callable[..., Errno]] = {
    "fd_seek": fd_seek, "fd_filestat_get": fd_filestat_get,
    "path_filestat_get": path_filestat_get, "poll_oneoff": poll_oneoff,
}


def functions(preview1: dict[str, FunctionInstance], context: WasiContext,
              wrap: Callable[[WasiContext, Callable[..., Any]], Callable[..., int]]
              ) -> dict[str, FunctionInstance]:
    """The snapshot 0 functions: preview 1's, with the four whose records differ
    replaced (``wrap`` turns an implementation into a host call, as for preview 1)."""
    out: dict[str, FunctionInstance] = {}
    for name, function in preview1.items():
        if name == "sock_accept":
            continue
        if name in _OWN:
            out[name] = FunctionInstance(function.type, function.key,
                                         wrap(context, _OWN[name]),
                                         name=f"{MODULE_NAME}.{name}", host=_OWN[name])
        else:
            out[name] = function
    return out
