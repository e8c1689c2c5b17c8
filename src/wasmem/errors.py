"""The wasmem exception family: one class per phase of the pipeline.

text -> ParseError, binary -> DecodeError, validation -> ValidationError,
linking/instantiation -> LinkError, execution -> Trap (FuelExhausted, Exhaustion).

Every error a user can cause ends in one of these; anything else escaping is a bug.
Where an error has a place in the input, ``line``/``column`` (text) or ``offset``
(binary) are set and ``str(error)`` shows them.
"""

from __future__ import annotations

__all__ = [
    "WasmError",
    "ParseError",
    "DecodeError",
    "ValidationError",
    "LinkError",
    "Trap",
    "FuelExhausted",
    "Exhaustion",
    "UnsupportedFeature",
    "UncaughtException",
    "InvocationError",
    "Exit",
    "TrapMessage",
]


class WasmError(Exception):
    """Base of every error wasmem raises on purpose.

    Attributes:
        message: the bare message, without position.
        file: source file name when known.
        line, column: 1-based text position when known.
        offset: byte offset in a binary module when known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.offset = offset
        super().__init__(message)

    def location(self) -> str:
        """Return ``file:line:col``, ``file:@0x1f`` or ``""`` if the error has no place."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"{self.line}:{self.column if self.column is not None else 1}")
        elif self.offset is not None:
            parts.append(f"@0x{self.offset:x}")
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class ParseError(WasmError):
    """Malformed text (WAT/WAST): lexing, grammar, unknown names, bad literals."""


class DecodeError(WasmError):
    """Malformed binary module; ``offset`` is the byte offset of the problem."""


class ValidationError(WasmError):
    """A well-formed module that breaks the spec's validation rules.

    ``function`` names the function (``$name`` or index) and ``instruction`` the
    instruction at fault, when the error is inside code.
    """

    def __init__(
        self,
        message: str,
        *,
        function: str | None = None,
        instruction: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.function = function
        self.instruction = instruction
        super().__init__(message, file=file, line=line, column=column, offset=offset)

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}:{self.column if self.column is not None else 1}")
        elif self.offset is not None:
            where.append(f"@0x{self.offset:x}")
        head = ""
        if self.function is not None:
            head = self.function
            if where:
                head += f" ({where[0]})"
            head += ": "
        elif where:
            head = f"{where[0]}: "
        if self.file:
            head = f"{self.file}: {head}"
        return f"{head}{self.message}"


class LinkError(WasmError):
    """Instantiation failed before running code: missing or mismatched import."""


class Trap(WasmError):
    """A WebAssembly trap: execution stopped; the message is the spec's trap message."""


class FuelExhausted(Trap):
    """The instruction budget (``fuel=N``) ran out: a runaway loop stops cleanly.

    ``function`` and ``loop`` (label name or position) say where it was running, when known.
    """

    def __init__(
        self,
        message: str = "all fuel consumed",
        *,
        function: str | None = None,
        loop: str | None = None,
        **kwargs: object,
    ) -> None:
        self.function = function
        self.loop = loop
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class Exhaustion(Trap):
    """Resource exhaustion during execution, e.g. "call stack exhausted"."""


class UncaughtException(Trap):
    """A WebAssembly exception (``throw``) that no ``try_table`` caught reached the host.

    ``tag`` is the tag instance and ``values`` the payload (internal representation).
    """

    def __init__(self, tag: object, values: tuple[object, ...]) -> None:
        self.tag = tag
        self.values = values
        super().__init__("uncaught exception")


class InvocationError(WasmError, TypeError):
    """The host called a function wrongly: wrong number or type of arguments."""


class Exit(WasmError):
    """A WASI guest ended itself with ``proc_exit(code)``; ``code`` is its exit status.

    Not a trap: the program finished. Its instance is finished too (see ``docs/wasi.md``).
    """

    def __init__(self, code: int) -> None:
        self.code = code
        super().__init__(f"exited with code {code}")


class UnsupportedFeature(WasmError):
    """Input uses a WebAssembly feature wasmem does not implement yet.

    ``feature`` is a short category such as ``"gc"``, ``"simd"``, ``"threads"``;
    the spec-script runner counts skips by it.
    """

    def __init__(self, feature: str, message: str, **kwargs: object) -> None:
        self.feature = feature
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class TrapMessage:
    """The spec's trap messages, as the reference interpreter and the test suite spell them."""

    UNREACHABLE = "unreachable"
    OUT_OF_BOUNDS_MEMORY = "out of bounds memory access"
    OUT_OF_BOUNDS_TABLE = "out of bounds table access"
    UNDEFINED_ELEMENT = "undefined element"
    UNINITIALIZED_ELEMENT = "uninitialized element"
    INDIRECT_CALL_TYPE_MISMATCH = "indirect call type mismatch"
    INTEGER_DIVIDE_BY_ZERO = "integer divide by zero"
    INTEGER_OVERFLOW = "integer overflow"
    INVALID_CONVERSION = "invalid conversion to integer"
    CALL_STACK_EXHAUSTED = "call stack exhausted"
    NULL_REFERENCE = "null reference"
    NULL_FUNCTION_REFERENCE = "null function reference"
    UNCAUGHT_EXCEPTION = "uncaught exception"
    FUEL_EXHAUSTED = "all fuel consumed"
