"""Spec-script (.wast) commands as data (the spec interpreter's "script" grammar).

The text front end (:func:`wasmem.text.parse_script`) produces these; the runner
(:mod:`wasmem.script.runner`) executes them against an :class:`Engine`.

Modules inside a script are kept as *sources* and turned into modules only when the
command runs, so one malformed or unsupported module fails one command, not the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..syntax.types import AbsHeapType, NumType

__all__ = [
    "TextModule",
    "BinaryModule",
    "QuoteModule",
    "ModuleSource",
    "NumValue",
    "VecValue",
    "RefNullValue",
    "RefExternValue",
    "RefHostValue",
    "Value",
    "NanPattern",
    "NumResult",
    "VecResult",
    "RefResult",
    "EitherResult",
    "Result",
    "Invoke",
    "Get",
    "Action",
    "ModuleCommand",
    "InstanceCommand",
    "Register",
    "ActionCommand",
    "AssertReturn",
    "AssertTrap",
    "AssertExhaustion",
    "AssertMalformed",
    "AssertInvalid",
    "AssertUnlinkable",
    "AssertUninstantiable",
    "AssertException",
    "Command",
]


# ------------------------------------------------------------------ module sources
@dataclass(frozen=True)
class TextModule:
    """A module written as text in the script: ``text`` is the whole ``(module ...)`` form.

    ``line``/``column`` give where ``text`` starts in the script, so errors raised when
    parsing it can point into the script file.
    """

    text: str
    line: int
    column: int


@dataclass(frozen=True)
class BinaryModule:
    """``(module binary "...")``: the concatenated bytes."""

    data: bytes


@dataclass(frozen=True)
class QuoteModule:
    """``(module quote "...")``: the concatenated text, parsed as a module body."""

    text: str


ModuleSource = Union[TextModule, BinaryModule, QuoteModule]


# ------------------------------------------------------------------ values
@dataclass(frozen=True)
class NumValue:
    """A number constant; ``bits`` is the unsigned bit pattern (floats included)."""

    type: NumType
    bits: int


@dataclass(frozen=True)
class VecValue:
    """A v128 constant as a 128-bit little-endian integer."""

    bits: int


@dataclass(frozen=True)
class RefNullValue:
    """``(ref.null ht)``."""

    heap_type: AbsHeapType | int


@dataclass(frozen=True)
class RefExternValue:
    """``(ref.extern n)``: a host reference the script names by number."""

    value: int


@dataclass(frozen=True)
class RefHostValue:
    """``(ref.host n)``: legacy spelling of a host reference."""

    value: int


Value = Union[NumValue, VecValue, RefNullValue, RefExternValue, RefHostValue]


# ------------------------------------------------------------------ expected results
@dataclass(frozen=True)
class NanPattern:
    """``nan:canonical`` or ``nan:arithmetic`` for a float of ``type`` (f32 or f64)."""

    type: NumType
    kind: str  # "canonical" | "arithmetic"


@dataclass(frozen=True)
class NumResult:
    """An expected number: exact bits, or a NaN pattern."""

    type: NumType
    bits: int | None = None
    nan: NanPattern | None = None


@dataclass(frozen=True)
class VecResult:
    """An expected v128: ``shape`` like ``"i32x4"``; each lane is bits or a NanPattern."""

    shape: str
    lanes: tuple[int | NanPattern, ...]


@dataclass(frozen=True)
class RefResult:
    """An expected reference.

    ``kind`` is one of ``null`` (with ``heap_type`` or None for any null), ``extern``
    (``value`` None = any non-null extern), ``host``, ``func`` (any non-null funcref),
    and the GC kinds ``any``, ``eq``, ``i31``, ``struct``, ``array``, ``exn``.
    """

    kind: str
    heap_type: AbsHeapType | int | None = None
    value: int | None = None


@dataclass(frozen=True)
class EitherResult:
    """``(either r1 r2 ...)``: any one of the alternatives."""

    options: tuple[Result, ...]


Result = Union[NumResult, VecResult, RefResult, EitherResult]


# ------------------------------------------------------------------ actions
@dataclass(frozen=True)
class Invoke:
    """``(invoke $module? "name" args...)``."""

    module: str | None
    name: str
    args: tuple[Value, ...]


@dataclass(frozen=True)
class Get:
    """``(get $module? "name")``: read an exported global."""

    module: str | None
    name: str


Action = Union[Invoke, Get]


# ------------------------------------------------------------------ commands
@dataclass(frozen=True)
class ModuleCommand:
    """Define (and, unless ``definition``, instantiate) a module; ``name`` is ``$id``."""

    line: int
    name: str | None
    source: ModuleSource
    definition: bool = False


@dataclass(frozen=True)
class InstanceCommand:
    """``(module instance $name? $definition?)``: instantiate a module definition."""

    line: int
    name: str | None
    definition: str | None


@dataclass(frozen=True)
class Register:
    """``(register "as" $module?)``: make a module's exports importable under ``as``."""

    line: int
    as_name: str
    module: str | None


@dataclass(frozen=True)
class ActionCommand:
    """A bare action."""

    line: int
    action: Action


@dataclass(frozen=True)
class AssertReturn:
    """The action returns exactly ``results``."""

    line: int
    action: Action
    results: tuple[Result, ...]


@dataclass(frozen=True)
class AssertTrap:
    """The action (or the instantiation of the module) traps with ``message``."""

    line: int
    target: Action | ModuleSource
    message: str


@dataclass(frozen=True)
class AssertExhaustion:
    """The action exhausts a resource (the call stack)."""

    line: int
    action: Action
    message: str


@dataclass(frozen=True)
class AssertMalformed:
    """The module fails to parse or decode."""

    line: int
    source: ModuleSource
    message: str


@dataclass(frozen=True)
class AssertInvalid:
    """The module parses but fails validation."""

    line: int
    source: ModuleSource
    message: str


@dataclass(frozen=True)
class AssertUnlinkable:
    """The module is valid but its imports cannot be satisfied."""

    line: int
    source: ModuleSource
    message: str


@dataclass(frozen=True)
class AssertUninstantiable:
    """The module links but traps while instantiating (active segments, start)."""

    line: int
    source: ModuleSource
    message: str


@dataclass(frozen=True)
class AssertException:
    """The action throws an uncaught WebAssembly exception."""

    line: int
    action: Action


Command = Union[
    ModuleCommand,
    InstanceCommand,
    Register,
    ActionCommand,
    AssertReturn,
    AssertTrap,
    AssertExhaustion,
    AssertMalformed,
    AssertInvalid,
    AssertUnlinkable,
    AssertUninstantiable,
    AssertException,
]
