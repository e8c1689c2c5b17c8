"""The preview 1 ABI: numbers and record layouts of ``wasi_snapshot_preview1``.

Values and layouts follow the witx description of WASI preview 1
(``legacy/preview1/witx/typenames.witx`` in WebAssembly/WASI); every record is little-endian
with C alignment, as wasi-libc's ``wasi/api.h`` lays it out.
"""

from __future__ import annotations

import enum
import struct

__all__ = [
    "Errno", "Rights", "FileType", "FdFlags", "OFlags", "FstFlags", "Whence", "ClockId",
    "EventType", "Advice", "LOOKUP_SYMLINK_FOLLOW", "SUBCLOCK_ABSTIME", "EVENT_FD_HANGUP",
    "SDFLAGS_RD", "SDFLAGS_WR", "PREOPENTYPE_DIR", "ALL_RIGHTS", "FILE_RIGHTS",
    "DIRECTORY_RIGHTS", "STDIN_RIGHTS", "STDOUT_RIGHTS",
    "IOVEC", "FDSTAT", "FILESTAT", "DIRENT", "SUBSCRIPTION", "EVENT", "PRESTAT", "U32",
    "U64", "SIZE_PAIR",
]


class Errno(enum.IntEnum):
    """``errno``: the error codes every preview 1 function returns (0 is success)."""

    SUCCESS = 0
    TOOBIG = 1          # witx "2big"
    ACCES = 2
    ADDRINUSE = 3
    ADDRNOTAVAIL = 4
    AFNOSUPPORT = 5
    AGAIN = 6
    ALREADY = 7
    BADF = 8
    BADMSG = 9
    BUSY = 10
    CANCELED = 11
    CHILD = 12
    CONNABORTED = 13
    CONNREFUSED = 14
    CONNRESET = 15
    DEADLK = 16
    DESTADDRREQ = 17
    DOM = 18
    DQUOT = 19
    EXIST = 20
    FAULT = 21
    FBIG = 22
    HOSTUNREACH = 23
    IDRM = 24
    ILSEQ = 25
    INPROGRESS = 26
    INTR = 27
    INVAL = 28
    IO = 29
    ISCONN = 30
    ISDIR = 31
    LOOP = 32
    MFILE = 33
    MLINK = 34
    MSGSIZE = 35
    MULTIHOP = 36
    NAMETOOLONG = 37
    NETDOWN = 38
    NETRESET = 39
    NETUNREACH = 40
    NFILE = 41
    NOBUFS = 42
    NODEV = 43
    NOENT = 44
    NOEXEC = 45
    NOLCK = 46
    NOLINK = 47
    NOMEM = 48
    NOMSG = 49
    NOPROTOOPT = 50
    NOSPC = 51
    NOSYS = 52
    NOTCONN = 53
    NOTDIR = 54
    NOTEMPTY = 55
    NOTRECOVERABLE = 56
    NOTSOCK = 57
    NOTSUP = 58
    NOTTY = 59
    NXIO = 60
    OVERFLOW = 61
    OWNERDEAD = 62
    PERM = 63
    PIPE = 64
    PROTO = 65
    PROTONOSUPPORT = 66
    PROTOTYPE = 67
    RANGE = 68
    ROFS = 69
    SPIPE = 70
    SRCH = 71
    STALE = 72
    TIMEDOUT = 73
    TXTBSY = 74
    XDEV = 75
    NOTCAPABLE = 76


class Rights:
    """``rights``: what a file descriptor may be used for (64-bit flags).

    Plain ``int`` constants (flag enums would cost time on every call).
    """

    FD_DATASYNC = 1 << 0
    FD_READ = 1 << 1
    FD_SEEK = 1 << 2
    FD_FDSTAT_SET_FLAGS = 1 << 3
    FD_SYNC = 1 << 4
    FD_TELL = 1 << 5
    FD_WRITE = 1 << 6
    FD_ADVISE = 1 << 7
    FD_ALLOCATE = 1 << 8
    PATH_CREATE_DIRECTORY = 1 << 9
    PATH_CREATE_FILE = 1 << 10
    PATH_LINK_SOURCE = 1 << 11
    PATH_LINK_TARGET = 1 << 12
    PATH_OPEN = 1 << 13
    FD_READDIR = 1 << 14
    PATH_READLINK = 1 << 15
    PATH_RENAME_SOURCE = 1 << 16
    PATH_RENAME_TARGET = 1 << 17
    PATH_FILESTAT_GET = 1 << 18
    PATH_FILESTAT_SET_SIZE = 1 << 19
    PATH_FILESTAT_SET_TIMES = 1 << 20
    FD_FILESTAT_GET = 1 << 21
    FD_FILESTAT_SET_SIZE = 1 << 22
    FD_FILESTAT_SET_TIMES = 1 << 23
    PATH_SYMLINK = 1 << 24
    PATH_REMOVE_DIRECTORY = 1 << 25
    PATH_UNLINK_FILE = 1 << 26
    POLL_FD_READWRITE = 1 << 27
    SOCK_SHUTDOWN = 1 << 28
    SOCK_ACCEPT = 1 << 29


ALL_RIGHTS = (1 << 30) - 1
"""Every right preview 1 defines."""

_R = Rights
FILE_RIGHTS = (
    _R.FD_DATASYNC | _R.FD_READ | _R.FD_SEEK | _R.FD_FDSTAT_SET_FLAGS | _R.FD_SYNC
    | _R.FD_TELL | _R.FD_WRITE | _R.FD_ADVISE | _R.FD_ALLOCATE | _R.FD_FILESTAT_GET
    | _R.FD_FILESTAT_SET_SIZE | _R.FD_FILESTAT_SET_TIMES | _R.POLL_FD_READWRITE)
"""The rights that apply to a regular file."""

DIRECTORY_RIGHTS = (
    _R.FD_FDSTAT_SET_FLAGS | _R.FD_SYNC | _R.FD_ADVISE | _R.PATH_CREATE_DIRECTORY
    | _R.PATH_CREATE_FILE | _R.PATH_LINK_SOURCE | _R.PATH_LINK_TARGET | _R.PATH_OPEN
    | _R.FD_READDIR | _R.PATH_READLINK | _R.PATH_RENAME_SOURCE | _R.PATH_RENAME_TARGET
    | _R.PATH_FILESTAT_GET | _R.PATH_FILESTAT_SET_SIZE | _R.PATH_FILESTAT_SET_TIMES
    | _R.FD_FILESTAT_GET | _R.FD_FILESTAT_SET_TIMES | _R.PATH_SYMLINK
    | _R.PATH_REMOVE_DIRECTORY | _R.PATH_UNLINK_FILE | _R.POLL_FD_READWRITE)
"""The rights that apply to a directory."""

STDIN_RIGHTS = (_R.FD_READ | _R.FD_FDSTAT_SET_FLAGS | _R.FD_FILESTAT_GET
                   | _R.POLL_FD_READWRITE)
"""Rights of the standard input stream."""

STDOUT_RIGHTS = (_R.FD_WRITE | _R.FD_FDSTAT_SET_FLAGS | _R.FD_FILESTAT_GET
                    | _R.POLL_FD_READWRITE)
"""Rights of the standard output and error streams."""


class FileType(enum.IntEnum):
    """``filetype``."""

    UNKNOWN = 0
    BLOCK_DEVICE = 1
    CHARACTER_DEVICE = 2
    DIRECTORY = 3
    REGULAR_FILE = 4
    SOCKET_DGRAM = 5
    SOCKET_STREAM = 6
    SYMBOLIC_LINK = 7


class FdFlags:
    """``fdflags``.

    Plain ``int`` constants (flag enums would cost time on every call).
    """

    APPEND = 1 << 0
    DSYNC = 1 << 1
    NONBLOCK = 1 << 2
    RSYNC = 1 << 3
    SYNC = 1 << 4


class OFlags:
    """``oflags`` of ``path_open``.

    Plain ``int`` constants (flag enums would cost time on every call).
    """

    CREAT = 1 << 0
    DIRECTORY = 1 << 1
    EXCL = 1 << 2
    TRUNC = 1 << 3


class FstFlags:
    """``fstflags``: which timestamps ``*_filestat_set_times`` changes.

    Plain ``int`` constants (flag enums would cost time on every call).
    """

    ATIM = 1 << 0
    ATIM_NOW = 1 << 1
    MTIM = 1 << 2
    MTIM_NOW = 1 << 3


class Whence(enum.IntEnum):
    """``whence`` of ``fd_seek``."""

    SET = 0
    CUR = 1
    END = 2


class ClockId(enum.IntEnum):
    """``clockid``."""

    REALTIME = 0
    MONOTONIC = 1
    PROCESS_CPUTIME_ID = 2
    THREAD_CPUTIME_ID = 3


class EventType(enum.IntEnum):
    """``eventtype`` of subscriptions and events."""

    CLOCK = 0
    FD_READ = 1
    FD_WRITE = 2


class Advice(enum.IntEnum):
    """``advice`` of ``fd_advise``."""

    NORMAL = 0
    SEQUENTIAL = 1
    RANDOM = 2
    WILLNEED = 3
    DONTNEED = 4
    NOREUSE = 5


LOOKUP_SYMLINK_FOLLOW = 1
"""``lookupflags::symlink_follow``."""
SUBCLOCK_ABSTIME = 1
"""``subclockflags::subscription_clock_abstime``."""
EVENT_FD_HANGUP = 1
"""``eventrwflags::fd_readwrite_hangup``."""
SDFLAGS_RD = 1
SDFLAGS_WR = 2
PREOPENTYPE_DIR = 0

# ------------------------------------------------------------------ record layouts
U32 = struct.Struct("<I")
"""``size``, ``fd`` and other 32-bit results."""
U64 = struct.Struct("<Q")
"""``timestamp``, ``filesize`` results."""
SIZE_PAIR = struct.Struct("<II")
IOVEC = struct.Struct("<II")
"""``iovec`` / ``ciovec``: buf (pointer), buf_len; size 8."""
FDSTAT = struct.Struct("<BxHxxxxQQ")
"""``fdstat``: fs_filetype u8 @0, fs_flags u16 @2, rights_base u64 @8, inheriting @16."""
FILESTAT = struct.Struct("<QQBxxxxxxxQQQQQ")
"""``filestat``: dev, ino, filetype (u8 @16), nlink @24, size, atim, mtim, ctim; size 64."""
DIRENT = struct.Struct("<QQIBxxx")
"""``dirent``: d_next, d_ino, d_namlen u32 @16, d_type u8 @20; size 24."""
SUBSCRIPTION = struct.Struct("<QB7xQQQH6x")
"""``subscription`` seen as the clock variant: userdata, tag (u8 @8), clock id (u32 @16,
read as the low half of a u64 with the padding), timeout @24, precision @32, flags @40;
size 48. For fd variants the fd is the u32 at offset 16."""
EVENT = struct.Struct("<QHBxxxxxQH6x")
"""``event``: userdata, error u16 @8, type u8 @10, fd_readwrite nbytes @16, flags @24;
size 32."""
PRESTAT = struct.Struct("<BxxxI")
"""``prestat``: tag u8 (0 = dir), pr_name_len u32 @4; size 8."""
