"""Preview 1 functions outside the filesystem: arguments, environment, clocks, random
bytes, ``poll_oneoff``, process control and sockets (of which a guest has none)."""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable
from typing import Literal

from ..errors import Exit
from .abi import (
    EVENT,
    SUBCLOCK_ABSTIME,
    SUBSCRIPTION,
    ClockId,
    Errno,
    EventType,
    Rights,
)
from .context import WasiContext
from .oserrors import WasiError
from .streams import InputStream

__all__ = [
    "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get",
    "clock_time_get", "random_get", "poll_oneoff", "poll", "Subscription", "proc_exit",
    "proc_raise", "sched_yield",
    "sock_accept", "sock_recv", "sock_send", "sock_shutdown",
]

OK = Errno.SUCCESS

ClockName = Literal["time", "monotonic", "process_time", "thread_time"]


# ------------------------------------------------------------------ arguments, environment
def _strings(items: list[str]) -> list[bytes]:
    return [os.fsencode(item) + b"\0" for item in items]


def _store_strings(ctx: WasiContext, items: list[str], pointers: int, buffer: int) -> None:
    encoded = _strings(items)
    addresses = []
    at = buffer
    for item in encoded:
        addresses.append(at & 0xFFFFFFFF)
        at += len(item)
    ctx.write(buffer, b"".join(encoded))
    ctx.write(pointers, b"".join(address.to_bytes(4, "little") for address in addresses))


def _environment(ctx: WasiContext) -> list[str]:
    return [f"{name}={value}" for name, value in ctx.config.env.items()]


def args_get(ctx: WasiContext, argv: int, argv_buf: int) -> Errno:
    """``args_get``: store pointers to NUL-terminated arguments at ``argv``."""
    _store_strings(ctx, ctx.config.args, argv, argv_buf)
    return OK


def args_sizes_get(ctx: WasiContext, argc: int, argv_buf_size: int) -> Errno:
    """``args_sizes_get``: the number of arguments and the bytes they take."""
    encoded = _strings(ctx.config.args)
    ctx.write_u32(argc, len(encoded))
    ctx.write_u32(argv_buf_size, sum(map(len, encoded)))
    return OK


def environ_get(ctx: WasiContext, environ: int, environ_buf: int) -> Errno:
    """``environ_get``: store pointers to NUL-terminated ``NAME=value`` strings."""
    _store_strings(ctx, _environment(ctx), environ, environ_buf)
    return OK


def environ_sizes_get(ctx: WasiContext, count: int, buf_size: int) -> Errno:
    """``environ_sizes_get``: the number of variables and the bytes they take."""
    encoded = _strings(_environment(ctx))
    ctx.write_u32(count, len(encoded))
    ctx.write_u32(buf_size, sum(map(len, encoded)))
    return OK


# ------------------------------------------------------------------ clocks and randomness
_CLOCKS: dict[int, tuple[Callable[[], int], ClockName]] = {
    ClockId.REALTIME: (time.time_ns, "time"),
    ClockId.MONOTONIC: (time.monotonic_ns, "monotonic"),
    ClockId.PROCESS_CPUTIME_ID: (time.process_time_ns, "process_time"),
    ClockId.THREAD_CPUTIME_ID: (time.thread_time_ns, "thread_time"),
}


def _clock(clock_id: int) -> tuple[Callable[[], int], ClockName]:
    try:
        return _CLOCKS[clock_id]
    except KeyError:
        raise WasiError(Errno.INVAL) from None


def clock_res_get(ctx: WasiContext, clock_id: int, resolution: int) -> Errno:
    """``clock_res_get``: a clock's resolution in ns (never 0)."""
    _, name = _clock(clock_id)
    seconds = time.get_clock_info(name).resolution
    ctx.write_u64(resolution, max(1, round(seconds * 1e9)))
    return OK


def clock_time_get(ctx: WasiContext, clock_id: int, precision: int, timestamp: int) -> Errno:
    """``clock_time_get``: a clock's current value in ns."""
    now, _ = _clock(clock_id)
    ctx.write_u64(timestamp, now())
    return OK


def random_get(ctx: WasiContext, buf: int, buf_len: int) -> Errno:
    """``random_get``: fill ``buf`` from the host's cryptographic source."""
    ctx.check(buf, buf_len)
    if buf_len:
        ctx.write(buf, os.urandom(buf_len))
    return OK


# ------------------------------------------------------------------ poll_oneoff
def _readiness(ctx: WasiContext, fd: int, kind: int) -> tuple[int, int, int, int | None]:
    """``(error, nbytes, flags, host fd to wait on or None)`` of one fd subscription."""
    try:
        entry = ctx.fds.get(fd, Rights.POLL_FD_READWRITE)
    except WasiError as exc:
        return exc.errno, 0, 0, None
    if entry.stream is not None:
        if kind == EventType.FD_READ and not isinstance(entry.stream, InputStream):
            return Errno.BADF, 0, 0, None  # (stdout/stderr: nothing to read, ever)
        if kind == EventType.FD_READ and not entry.stream.ready():
            return OK, 0, 0, entry.stream.fileno()
        return OK, 0, 0, None
    if entry.host_fd is None or entry.is_directory:
        return Errno.BADF, 0, 0, None
    nbytes = 0
    if kind == EventType.FD_READ:
        try:
            st = os.fstat(entry.host_fd)
            nbytes = max(0, st.st_size - os.lseek(entry.host_fd, 0, os.SEEK_CUR))
        except OSError:
            nbytes = 0
    return OK, nbytes, 0, None


Subscription = tuple[int, int, int, int, int]
"""A subscription's userdata, tag, clock id or fd, timeout and flags."""


def poll_oneoff(ctx: WasiContext, in_: int, out: int, nsubscriptions: int,
                nevents: int) -> Errno:
    """``poll_oneoff``: wait until a clock subscription expires or an fd is ready; store
    one ``event`` per subscription that fired and their count at ``nevents``."""
    if nsubscriptions == 0:
        raise WasiError(Errno.INVAL)
    raw = ctx.read(in_, nsubscriptions * SUBSCRIPTION.size)
    ctx.check(out, nsubscriptions * EVENT.size)  # the events must fit before waiting
    events = poll(ctx, [(userdata, tag, word & 0xFFFFFFFF, timeout, flags)
                        for userdata, tag, word, timeout, _precision, flags
                        in SUBSCRIPTION.iter_unpack(raw)])
    ctx.write(out, b"".join(events))
    ctx.write_u32(nevents, len(events))
    return OK


def poll(ctx: WasiContext, subscriptions: list[Subscription]) -> list[bytes]:
    """Wait as ``poll_oneoff`` says; return the packed events that fired.

    Raises:
        WasiError: ``inval`` for an unknown subscription tag.
    """
    start = time.monotonic_ns()
    ready: list[bytes] = []
    clocks: list[tuple[int, int]] = []  # (deadline on the monotonic clock, userdata)
    waiting: list[tuple[int, int, int, int]] = []  # (host fd, userdata, kind, fd)
    for userdata, tag, word, timeout, flags in subscriptions:
        if tag == EventType.CLOCK:
            try:
                now, _ = _clock(word)
            except WasiError as exc:
                ready.append(EVENT.pack(userdata, exc.errno, tag, 0, 0))
                continue
            delay = timeout - now() if flags & SUBCLOCK_ABSTIME else timeout
            clocks.append((start + max(delay, 0), userdata))
        elif tag in (EventType.FD_READ, EventType.FD_WRITE):
            error, nbytes, rwflags, wait_on = _readiness(ctx, word, tag)
            if wait_on is None:
                ready.append(EVENT.pack(userdata, error, tag, nbytes, rwflags))
            else:
                waiting.append((wait_on, userdata, tag, word))
        else:
            raise WasiError(Errno.INVAL)
    if not ready:
        deadline = min((d for d, _ in clocks), default=None)
        timeout_s = None if deadline is None else max(deadline - time.monotonic_ns(), 0) / 1e9
        if waiting:
            try:
                readable, _, _ = select.select([w[0] for w in waiting], [], [], timeout_s)
            except (OSError, ValueError):
                readable = [w[0] for w in waiting]
            for host, userdata, tag, _fd in waiting:
                if host in readable:
                    ready.append(EVENT.pack(userdata, OK, tag, 0, 0))
        elif timeout_s:
            time.sleep(timeout_s)
    now_ns = time.monotonic_ns()
    for deadline, userdata in clocks:
        if deadline <= now_ns:
            ready.append(EVENT.pack(userdata, OK, EventType.CLOCK, 0, 0))
    return ready



# ------------------------------------------------------------------ process
def proc_exit(ctx: WasiContext, code: int) -> Errno:
    """``proc_exit``: end the guest.

    Raises:
        Exit: always, with the exit code.
    """
    ctx.exit_code = code
    if ctx.on_exit is not None:
        ctx.on_exit(code)
    raise Exit(code)


def proc_raise(ctx: WasiContext, signal: int) -> Errno:
    """``proc_raise``: signals are not delivered to a guest (``notsup``)."""
    raise WasiError(Errno.NOTSUP)


def sched_yield(ctx: WasiContext) -> Errno:
    """``sched_yield``: let other host threads run."""
    time.sleep(0)
    return OK


# ------------------------------------------------------------------ sockets
def _no_socket(ctx: WasiContext, fd: int) -> Errno:
    """Sockets cannot be created or preopened here: an open fd is never one."""
    ctx.fds.get(fd)
    raise WasiError(Errno.NOTSOCK)


def sock_accept(ctx: WasiContext, fd: int, flags: int, result: int) -> Errno:
    """``sock_accept``: ``badf`` or ``notsock``."""
    return _no_socket(ctx, fd)


def sock_recv(ctx: WasiContext, fd: int, ri_data: int, ri_data_len: int, ri_flags: int,
              ro_datalen: int, ro_flags: int) -> Errno:
    """``sock_recv``: ``badf`` or ``notsock``."""
    return _no_socket(ctx, fd)


def sock_send(ctx: WasiContext, fd: int, si_data: int, si_data_len: int, si_flags: int,
              so_datalen: int) -> Errno:
    """``sock_send``: ``badf`` or ``notsock``."""
    return _no_socket(ctx, fd)


def sock_shutdown(ctx: WasiContext, fd: int, how: int) -> Errno:
    """``sock_shutdown``: ``badf`` or ``notsock``."""
    return _no_socket(ctx, fd)
