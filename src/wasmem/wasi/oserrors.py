"""Host ``OSError`` -> preview 1 ``errno``, and the exception WASI functions raise inside.

Host functions raise :class:`WasiError` (or let an ``OSError`` escape); the import layer
(:mod:`wasmem.wasi.imports`) turns either into the errno the guest sees.
"""

from __future__ import annotations

import errno as host_errno

from .abi import Errno

__all__ = ["WasiError", "errno_of"]


class WasiError(Exception):
    """A preview 1 function fails with ``errno`` (caught at the import boundary)."""

    def __init__(self, errno: Errno) -> None:
        self.errno = errno
        super().__init__(errno.name.lower())


_NAMES = {
    "E2BIG": Errno.TOOBIG, "EACCES": Errno.ACCES, "EADDRINUSE": Errno.ADDRINUSE,
    "EADDRNOTAVAIL": Errno.ADDRNOTAVAIL, "EAFNOSUPPORT": Errno.AFNOSUPPORT,
    "EAGAIN": Errno.AGAIN, "EALREADY": Errno.ALREADY, "EBADF": Errno.BADF,
    "EBADMSG": Errno.BADMSG, "EBUSY": Errno.BUSY, "ECANCELED": Errno.CANCELED,
    "ECHILD": Errno.CHILD, "ECONNABORTED": Errno.CONNABORTED,
    "ECONNREFUSED": Errno.CONNREFUSED, "ECONNRESET": Errno.CONNRESET,
    "EDEADLK": Errno.DEADLK, "EDESTADDRREQ": Errno.DESTADDRREQ, "EDOM": Errno.DOM,
    "EDQUOT": Errno.DQUOT, "EEXIST": Errno.EXIST, "EFAULT": Errno.FAULT,
    "EFBIG": Errno.FBIG, "EHOSTUNREACH": Errno.HOSTUNREACH, "EIDRM": Errno.IDRM,
    "EILSEQ": Errno.ILSEQ, "EINPROGRESS": Errno.INPROGRESS, "EINTR": Errno.INTR,
    "EINVAL": Errno.INVAL, "EIO": Errno.IO, "EISCONN": Errno.ISCONN, "EISDIR": Errno.ISDIR,
    "ELOOP": Errno.LOOP, "EMFILE": Errno.MFILE, "EMLINK": Errno.MLINK,
    "EMSGSIZE": Errno.MSGSIZE, "EMULTIHOP": Errno.MULTIHOP,
    "ENAMETOOLONG": Errno.NAMETOOLONG, "ENETDOWN": Errno.NETDOWN,
    "ENETRESET": Errno.NETRESET, "ENETUNREACH": Errno.NETUNREACH, "ENFILE": Errno.NFILE,
    "ENOBUFS": Errno.NOBUFS, "ENODEV": Errno.NODEV, "ENOENT": Errno.NOENT,
    "ENOEXEC": Errno.NOEXEC, "ENOLCK": Errno.NOLCK, "ENOLINK": Errno.NOLINK,
    "ENOMEM": Errno.NOMEM, "ENOMSG": Errno.NOMSG, "ENOPROTOOPT": Errno.NOPROTOOPT,
    "ENOSPC": Errno.NOSPC, "ENOSYS": Errno.NOSYS, "ENOTCONN": Errno.NOTCONN,
    "ENOTDIR": Errno.NOTDIR, "ENOTEMPTY": Errno.NOTEMPTY,
    "ENOTRECOVERABLE": Errno.NOTRECOVERABLE, "ENOTSOCK": Errno.NOTSOCK,
    "ENOTSUP": Errno.NOTSUP, "EOPNOTSUPP": Errno.NOTSUP, "ENOTTY": Errno.NOTTY,
    "ENXIO": Errno.NXIO, "EOVERFLOW": Errno.OVERFLOW, "EOWNERDEAD": Errno.OWNERDEAD,
    "EPERM": Errno.PERM, "EPIPE": Errno.PIPE, "EPROTO": Errno.PROTO,
    "EPROTONOSUPPORT": Errno.PROTONOSUPPORT, "EPROTOTYPE": Errno.PROTOTYPE,
    "ERANGE": Errno.RANGE, "EROFS": Errno.ROFS, "ESPIPE": Errno.SPIPE, "ESRCH": Errno.SRCH,
    "ESTALE": Errno.STALE, "ETIMEDOUT": Errno.TIMEDOUT, "ETXTBSY": Errno.TXTBSY,
    "EXDEV": Errno.XDEV, "EWOULDBLOCK": Errno.AGAIN,
}

HOST_TO_WASI: dict[int, Errno] = {}
"""Host errno number -> preview 1 errno (built from the names this host defines)."""
for _name, _wasi in _NAMES.items():
    _number = getattr(host_errno, _name, None)
    if _number is not None:
        HOST_TO_WASI.setdefault(_number, _wasi)


def errno_of(error: OSError) -> Errno:
    """The preview 1 errno for a host ``OSError`` (``io`` when the host gave none)."""
    if error.errno is None:
        return Errno.IO
    return HOST_TO_WASI.get(error.errno, Errno.IO)
