"""What a WASI guest is given: :class:`WasiConfig` (arguments, environment, preopened
directories and standard streams)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InvocationError

__all__ = ["WasiConfig"]


def _text(value: Any, what: str) -> str:
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    if not isinstance(value, str):
        raise InvocationError(f"{what} must be a string, not {type(value).__name__}")
    if "\0" in value:
        raise InvocationError(f"{what} contains a NUL character: {value!r}")
    return value


class WasiConfig:
    """The world a WASI preview 1 guest sees.

    Args:
        args: the guest's ``argv`` (``argv[0]`` is the program name; default none at all).
        env: environment variables (name -> value); the host's are not passed unless given.
        preopens: guest directory name -> host directory, e.g. ``{"/": "data"}`` or
            ``{".": "."}``. The guest can reach nothing outside them.
        stdin: ``"inherit"`` (default: the host's stdin), ``None`` (empty), ``bytes``
            (the input), or a readable file object.
        stdout, stderr: ``"inherit"`` (default), ``None`` (discard), ``"capture"`` (kept
            in memory: :attr:`captured_stdout` / :attr:`captured_stderr`), or a writable
            file object (binary or text).

    A config may serve several instances; each gets its own descriptors and reads
    ``bytes`` stdin from the start, and captured output of all of them accumulates in
    the same buffer.

    Raises:
        InvocationError: a value of the wrong type, a name or value with a NUL byte, or an
            environment name with ``=``.
    """

    def __init__(self, args: Sequence[str] = (), env: Mapping[str, str] | None = None,
                 preopens: Mapping[str, str | os.PathLike[str]] | None = None, *,
                 stdin: Any = "inherit", stdout: Any = "inherit",
                 stderr: Any = "inherit") -> None:
        from .streams import output_stream
        if isinstance(args, (str, bytes)):
            raise InvocationError("args must be a list of strings, not one string")
        self.args: list[str] = [_text(a, "an argument") for a in args]
        self.env: dict[str, str] = {}
        for name, value in (env or {}).items():
            name = _text(name, "an environment name")
            if "=" in name or not name:
                raise InvocationError(f"bad environment variable name {name!r}")
            self.env[name] = _text(value, f"environment variable {name}")
        self.preopens: dict[str, str] = {}
        for guest, host in (preopens or {}).items():
            guest = _text(guest, "a preopen's guest name")
            if not guest:
                raise InvocationError("a preopen's guest name is empty")
            try:
                self.preopens[guest] = os.fspath(host)
            except TypeError:
                raise InvocationError(f"preopen {guest!r}: the host directory must be a "
                                      f"path, not {type(host).__name__}") from None
        if not (stdin is None or stdin == "inherit" or isinstance(stdin, (bytes, bytearray))
                or callable(getattr(stdin, "read", None))):
            raise InvocationError("stdin must be 'inherit', None, bytes or a readable file")
        for name, spec in (("stdout", stdout), ("stderr", stderr)):
            if not (spec is None or spec in ("inherit", "capture")
                    or callable(getattr(spec, "write", None))):
                raise InvocationError(f"{name} must be 'inherit', 'capture', None or a "
                                      "writable file")
        self.stdin = stdin
        """What fd 0 reads (as given); each instance gets its own reader, so ``bytes``
        input is read from its start by every instance."""
        self.stdout = output_stream(stdout, "stdout")
        self.stderr = output_stream(stderr, "stderr")

    def _captured(self, which: str) -> bytes:
        stream = self.stdout if which == "stdout" else self.stderr
        if stream.captured is None:
            raise InvocationError(f"{which} is not captured: pass {which}=\"capture\"")
        return stream.captured.getvalue()

    @property
    def captured_stdout(self) -> bytes:
        """What the guest wrote to fd 1 (with ``stdout="capture"``).

        Raises:
            InvocationError: stdout is not captured.
        """
        return self._captured("stdout")

    @property
    def captured_stderr(self) -> bytes:
        """What the guest wrote to fd 2 (with ``stderr="capture"``).

        Raises:
            InvocationError: stderr is not captured.
        """
        return self._captured("stderr")

    def __repr__(self) -> str:
        return (f"<wasmem.wasi.WasiConfig args={self.args!r} env={sorted(self.env)} "
                f"preopens={self.preopens!r}>")
