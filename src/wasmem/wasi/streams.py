"""The standard streams a WASI guest sees as fds 0, 1 and 2.

A stream is chosen by :class:`wasmem.wasi.WasiConfig`: ``"inherit"`` (the host's
``sys.stdin`` / ``sys.stdout`` / ``sys.stderr``, looked up at each call, so redirection by
the host is honoured), ``None`` (empty input, discarded output), ``bytes`` (input),
``"capture"`` (output kept in memory) or a file object.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import select
import sys
from typing import Any

from .abi import FileType

__all__ = ["InputStream", "OutputStream", "input_stream", "output_stream"]


def _host_filetype(stream: Any) -> FileType:
    """CHARACTER_DEVICE for a terminal, else UNKNOWN (as wasmtime reports pipes)."""
    try:
        return FileType.CHARACTER_DEVICE if os.isatty(stream.fileno()) else FileType.UNKNOWN
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return FileType.UNKNOWN


class InputStream:
    """Where fd 0 reads from: the host's stdin, fixed bytes, or a file object."""

    def __init__(self, source: Any) -> None:
        self.source = source  # "inherit" or a readable object

    def _target(self) -> Any:
        return sys.stdin if self.source == "inherit" else self.source

    def read(self, size: int) -> bytes:
        """Read at most ``size`` bytes (fewer when that is what is available; b"" at EOF).

        Raises:
            OSError: when the host stream fails.
        """
        target = self._target()
        if target is None:
            return b""
        binary = getattr(target, "buffer", target) if self.source == "inherit" else target
        reader = getattr(binary, "read1", None) or binary.read
        try:
            data = reader(size)
        except (ValueError, io.UnsupportedOperation) as exc:
            raise OSError(9, f"stdin is not readable: {exc}") from None
        if isinstance(data, str):
            data = data.encode("utf-8")
        return bytes(data or b"")

    @property
    def filetype(self) -> FileType:
        """The preview 1 file type reported by ``fd_fdstat_get``."""
        return _host_filetype(self._target())

    def fileno(self) -> int | None:
        """The host descriptor behind the stream, or None (in-memory input)."""
        try:
            return int(self._target().fileno())
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return None

    def ready(self) -> bool:
        """True when a read would not block (``poll_oneoff``)."""
        fileno = self.fileno()
        if fileno is None:
            return True
        try:
            readable, _, _ = select.select([fileno], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)


class OutputStream:
    """Where fd 1 or 2 writes to: the host's stream, memory, a file object or nowhere."""

    def __init__(self, target: Any, which: str) -> None:
        self.target = target  # "inherit", "capture", None or a writable object
        self.which = which
        self.captured = io.BytesIO() if target == "capture" else None
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        # a binary file object of the host's (not a text stream, not one with a .buffer):
        # written directly, its kind checked once here rather than on every write
        self._binary = (target is not None and not isinstance(target, str)
                        and getattr(target, "buffer", None) is None
                        and not isinstance(target, io.TextIOBase))

    def _host(self) -> Any:
        return sys.stdout if self.which == "stdout" else sys.stderr

    def write(self, data: bytes) -> int:
        """Write all of ``data``; return its length.

        Raises:
            OSError: when the host stream fails.
        """
        if self.captured is not None:
            self.captured.write(data)
            return len(data)
        if self._binary:
            try:
                self.target.write(data)
                flush = getattr(self.target, "flush", None)
                if flush is not None:
                    flush()
            except (ValueError, io.UnsupportedOperation, TypeError) as exc:
                raise OSError(9, f"{self.which} is not writable: {exc}") from None
            return len(data)
        target = self._host() if self.target == "inherit" else self.target
        if target is None:
            if self.target == "inherit":  # the host has no such stream (it was closed)
                raise OSError(errno.EBADF, f"no {self.which}")
            return len(data)
        buffer = getattr(target, "buffer", None)
        try:
            if buffer is not None:
                target.flush()  # text the host wrote before us goes out first
                buffer.write(data)
                buffer.flush()
            elif isinstance(target, io.TextIOBase) or self.target == "inherit":
                target.write(self._decoder.decode(data))
                target.flush()
            else:
                target.write(data)
                flush = getattr(target, "flush", None)
                if flush is not None:
                    flush()
        except (ValueError, io.UnsupportedOperation, TypeError) as exc:
            raise OSError(9, f"{self.which} is not writable: {exc}") from None
        return len(data)

    @property
    def filetype(self) -> FileType:
        """The preview 1 file type reported by ``fd_fdstat_get``."""
        if self.target == "inherit":
            return _host_filetype(self._host())
        return FileType.UNKNOWN


def input_stream(spec: Any) -> InputStream:
    """Build fd 0 from a :class:`WasiConfig` ``stdin`` value (validated there)."""
    if spec is None:
        return InputStream(None)
    if isinstance(spec, (bytes, bytearray, memoryview)):
        return InputStream(io.BytesIO(bytes(spec)))
    return InputStream(spec)


def output_stream(spec: Any, which: str) -> OutputStream:
    """Build fd 1 or 2 from a :class:`WasiConfig` ``stdout`` / ``stderr`` value."""
    return OutputStream(spec, which)
