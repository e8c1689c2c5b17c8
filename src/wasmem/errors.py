"""The wasmem exception family: one class per phase of the pipeline.

text -> ParseError, binary -> DecodeError, validation -> ValidationError,
linking/instantiation -> LinkError, execution -> Trap (FuelExhausted, Exhaustion).

Every error a user can cause ends in one of these; anything else escaping is a bug.
Where an error has a place in the input, ``line``/``column`` (text) or ``offset``
(binary) are set and ``str(error)`` shows them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from types import TracebackType

from .syntax.enums import EnumBase, enum_class
from .syntax.record import Record

__all__ = [
    "WasmError",
    "ParseError",
    "DecodeError",
    "ValidationError",
    "LinkError",
    "ResourceLimitError",
    "Trap",
    "FuelExhausted",
    "Exhaustion",
    "UnsupportedFeature",
    "UncaughtException",
    "InvocationError",
    "Exit",
    "TrapMessage",
    "CacheWarning",
    "ExportNotFound",
    "ModuleFileError",
    "ModuleFileNotFound",
    "TrapCode",
    "Frame",
    "format_frames",
    "format_place",
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


class ResourceLimitError(LinkError):
    """Instantiation would pass a resource cap of the instance (``max_memory_bytes``,
    ``max_table_elements``, ``max_memory_pages``); ``cap`` names it. Not a trap: no
    code ran."""

    def __init__(self, message: str, *, cap: str, **kwargs: object) -> None:
        self.cap = cap
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class Trap(WasmError):
    """A WebAssembly trap: execution stopped; the message is the spec's trap message.

    ``code`` is a :class:`TrapCode` saying why, the same in both tiers: given explicitly,
    else found from the spec message (``"integer divide by zero"`` ->
    ``TrapCode.INTEGER_DIVIDE_BY_ZERO``), else the class's ``default_code``. A ``Trap``
    raised by a host function with a message of its own has ``TrapCode.HOST_ERROR``.
    """

    default_code: TrapCode

    def __init__(self, message: str, *, code: TrapCode | None = None,
                 **kwargs: object) -> None:
        self.code = code if code is not None else TrapCode.for_message(
            message, type(self).default_code)
        super().__init__(message, **kwargs)  # type: ignore[arg-type]

    frame_resolver: Callable[[Trap], list[Frame]] | None = None
    """Set by :mod:`wasmem.exec.backtrace`: finds the wasm frames of a trap."""
    wasm_traceback: TracebackType | None = None
    """The traceback of the Python exception this trap replaced (set at the boundary)."""
    _frames_cache: tuple[object, list[Frame]] | None = None

    @property
    def frames(self) -> list[Frame]:
        """The WebAssembly call stack when the trap happened, innermost first (see
        :class:`Frame`); empty for a trap raised outside running code. Found on first
        use from the Python traceback, so a trap costs nothing until it is looked at."""
        resolver = Trap.frame_resolver
        if resolver is None:
            return []
        key = (self.__traceback__, self.wasm_traceback)
        cached = self._frames_cache
        if cached is None or cached[0] != key:
            cached = self._frames_cache = (key, resolver(self))
        return list(cached[1])

    def backtrace(self) -> str:
        """The wasm backtrace as text (one line per frame), or ``""`` without frames."""
        return format_frames(self.frames)

    def __str__(self) -> str:
        text = super().__str__()
        trace = self.backtrace()
        return f"{text}\n{trace}" if trace else text


class Frame(Record):
    """One WebAssembly frame of a trap's backtrace (:attr:`Trap.frames`).

    Attributes:
        function_index: the function's index in its module's function index space.
        function_name: its ``$id``, name-section name or export name; None if unknown.
        module: the module's name (``$id`` or name section), None if it has none.
        line, column: 1-based position of the instruction in a text module, else None.
        offset: byte offset of the instruction in a binary module (from the module's
            first byte, as ``wasm-objdump`` and wasmtime's ``module_offset`` count).
        function_offset: for binaries, the instruction's offset from the function's
            body start (wasmtime's ``func_offset``).

    The instruction is the one that trapped in the innermost frame and the call in the
    others; None everywhere when the place is unknown. Frames are immutable (a
    ``dataclasses.replace`` makes a changed copy) and compare by all their fields.
    """

    __slots__ = _compared = _shown = ("function_index", "function_name", "module", "line",
                                      "column", "offset", "function_offset")
    function_index: int
    function_name: str | None
    module: str | None
    line: int | None
    column: int | None
    offset: int | None
    function_offset: int | None

    def __init__(self, function_index: int, function_name: str | None = None,
                 module: str | None = None, line: int | None = None,
                 column: int | None = None, offset: int | None = None,
                 function_offset: int | None = None) -> None:
        setter = object.__setattr__
        setter(self, "function_index", function_index)
        setter(self, "function_name", function_name)
        setter(self, "module", module)
        setter(self, "line", line)
        setter(self, "column", column)
        setter(self, "offset", offset)
        setter(self, "function_offset", function_offset)

    def where(self) -> str:
        """``line:column``, ``@0x1f`` or ``""``."""
        return format_place(self.line, self.column, self.offset)

    def __str__(self) -> str:
        name = _printable(self.function_name) if self.function_name is not None \
            else f"func[{self.function_index}]"
        if self.module:
            name = f"{_printable(self.module)}!{name}"
        where = self.where()
        return f"{name} at {where}" if where else name


def _printable(name: str) -> str:
    """``name`` as is, or with its unprintable characters escaped (``\\n``, ``\\x00``):
    a module or function name comes from the module and may hold a line break, which
    must not split a one-line frame."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in name)


def format_place(line: int | None, column: int | None, offset: int | None) -> str:
    """A place in a module as text: ``line:column``, ``@0x1f`` (binary) or ``""``."""
    if line is not None:
        return f"{line}:{column if column is not None else 1}"
    if offset is not None:
        return f"@0x{offset:x}"
    return ""


def format_frames(frames: list[Frame]) -> str:
    """Render frames (innermost first) as a numbered ``wasm backtrace:`` block."""
    if not frames:
        return ""
    lines = ["wasm backtrace:"]
    shown = list(enumerate(frames))
    if len(shown) > SHOWN_FRAMES:  # a deep recursion: its two ends say enough
        head, tail = shown[:SHOWN_FRAMES - 10], shown[-10:]
        lines += [f"  {k}: {frame}" for k, frame in head]
        lines.append(f"  ... {len(shown) - len(head) - len(tail)} frames omitted ...")
        shown = tail
    lines += [f"  {k}: {frame}" for k, frame in shown]
    return "\n".join(lines)


SHOWN_FRAMES = 40
"""``str(trap)`` shows at most this many frames (the innermost ones and the last ten);
:attr:`Trap.frames` always has them all."""


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

    ``tag`` is the tag instance and ``values`` the payload (internal representation;
    an integer is an ``int`` in every tier: translated code computes a comparison's i32
    as a Python bool, which is turned into its ``int`` here).
    """

    def __init__(self, tag: object, values: tuple[object, ...]) -> None:
        self.tag = tag
        self.values = tuple(int(v) if v.__class__ is bool else v for v in values)
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


class CacheWarning(UserWarning):
    """The disk cache was refused or an entry of it ignored (unsafe directory or key, an
    entry that fails authentication); wasmem goes on without it. Issued once per kind."""


class ExportNotFound(WasmError, KeyError):
    """``instance.exports[name]`` for a name the instance does not export.

    A ``KeyError`` too, so ``Mapping`` idioms (``in``, ``.get``) keep working; ``name`` is
    the name asked for and ``available`` the names the instance exports.
    """

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        self.available = available
        listing = ", ".join(repr(n) for n in available) if available else "nothing"
        super().__init__(f"no export named {name!r}; the instance exports {listing}")


class ModuleFileError(WasmError, OSError):
    """A module file cannot be read (no permission, a directory...). An ``OSError`` too,
    with ``errno``, ``strerror`` and ``filename`` set."""

    def __init__(self, filename: str, errno: int | None, strerror: str) -> None:
        super().__init__(strerror, file=filename)
        self.errno = errno  # type: ignore[assignment]
        self.strerror = strerror  # type: ignore[assignment]
        self.filename = filename


class ModuleFileNotFound(ModuleFileError, FileNotFoundError):
    """A module file does not exist (also a ``FileNotFoundError``)."""


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


@enum_class(enum.Enum)  # (syntax.enums: a third of the cost of defining it)
class TrapCode(EnumBase):
    """Why a :class:`Trap` happened; ``trap.code``. Each value is the spec's message.

    The spec's trap messages (as its test suite spells them) each have a member; the
    messages wasmem adds details to (``"uninitialized element 2"``) map by their prefix.
    ``HOST_ERROR`` covers a host function that raised or returned a bad result, and
    ``RESOURCE_EXHAUSTED`` an allocation beyond a cap (memory or table size, host memory).
    """

    UNREACHABLE = "unreachable"
    INTEGER_DIVIDE_BY_ZERO = "integer divide by zero"
    INTEGER_OVERFLOW = "integer overflow"
    BAD_CONVERSION_TO_INTEGER = "invalid conversion to integer"
    OUT_OF_BOUNDS_MEMORY_ACCESS = "out of bounds memory access"
    OUT_OF_BOUNDS_TABLE_ACCESS = "out of bounds table access"
    INDIRECT_CALL_TYPE_MISMATCH = "indirect call type mismatch"
    UNINITIALIZED_ELEMENT = "uninitialized element"
    NULL_REFERENCE = "null reference"
    NULL_FUNCTION_REFERENCE = "null function reference"
    NULL_EXCEPTION_REFERENCE = "null exception reference"
    NULL_STRUCTURE_REFERENCE = "null structure reference"
    NULL_ARRAY_REFERENCE = "null array reference"
    NULL_I31_REFERENCE = "null i31 reference"
    OUT_OF_BOUNDS_ARRAY_ACCESS = "out of bounds array access"
    CAST_FAILURE = "cast failure"
    UNALIGNED_ATOMIC = "unaligned atomic"
    UNCAUGHT_EXCEPTION = "uncaught exception"
    CALL_STACK_EXHAUSTED = "call stack exhausted"
    FUEL_EXHAUSTED = "all fuel consumed"
    RESOURCE_EXHAUSTED = "resource exhausted"
    HOST_ERROR = "host error"

    @classmethod
    def for_message(cls, message: str, default: TrapCode | None = None) -> TrapCode:
        """Return the code of a spec trap message: exact, or followed by a detail
        (``": ..."``, ``" (...)"`` or an index, as in ``"uninitialized element 2"``).

        ``"undefined element"`` (``call_indirect`` past the table's end) is
        ``OUT_OF_BOUNDS_TABLE_ACCESS``. Messages that are not the spec's give ``default``,
        or ``HOST_ERROR`` without one; this never raises.
        """
        code = _CODES_BY_MESSAGE.get(message)
        if code is not None:
            return code
        for text, member in _CODES_BY_MESSAGE.items():
            if message.startswith(text):
                rest = message[len(text):]
                if rest[:1] == ":" or rest[:2] == " (" or rest[:2].strip().isdigit():
                    return member
        return default if default is not None else cls.HOST_ERROR


_CODES_BY_MESSAGE: dict[str, TrapCode] = {member.value: member for member in TrapCode}
_CODES_BY_MESSAGE[TrapMessage.UNDEFINED_ELEMENT] = TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS
_CODES_BY_MESSAGE["out of memory"] = TrapCode.RESOURCE_EXHAUSTED

Trap.default_code = TrapCode.HOST_ERROR
FuelExhausted.default_code = TrapCode.FUEL_EXHAUSTED
Exhaustion.default_code = TrapCode.RESOURCE_EXHAUSTED
UncaughtException.default_code = TrapCode.UNCAUGHT_EXCEPTION
