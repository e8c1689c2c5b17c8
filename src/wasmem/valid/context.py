"""The validation context (spec "Validation / Conventions / Contexts") and error placement.

A :class:`Context` holds what code validation needs to know about the module: the
types of functions, tables, memories, globals, tags and element segments, the number
of data segments, and the set of function indices that ``ref.func`` may name.
"""

from __future__ import annotations

from ..errors import ValidationError
from ..syntax.instructions import Position
from ..syntax.types import GlobalType, MemoryType, RefType, TableType
from .types import TypeContext

__all__ = ["Context", "locate", "make_error"]


class Context:
    """What instructions are validated against (spec context ``C``).

    Attributes:
        types: the module's defined types with their canonical ids.
        functions: type index of every function (imports first).
        tables, memories, globals: their types (imports first).
        tags: type index of every tag (imports first).
        elems: element segment types.
        data_count: number of data segments.
        refs: function indices declared for ``ref.func`` (spec ``C.refs``).
        file: the module's source name, for error messages.
        names: function debug names, for error messages.

    A list or set not given is a new empty one.
    """

    __slots__ = ("types", "functions", "tables", "memories", "globals", "tags", "elems",
                 "data_count", "refs", "file", "names")

    def __init__(self, types: TypeContext, functions: list[int] | None = None,
                 tables: list[TableType] | None = None,
                 memories: list[MemoryType] | None = None,
                 globals: list[GlobalType] | None = None, tags: list[int] | None = None,
                 elems: list[RefType] | None = None, data_count: int = 0,
                 refs: frozenset[int] | set[int] | None = None, file: str | None = None,
                 names: dict[int, str] | None = None) -> None:
        self.types = types
        self.functions: list[int] = [] if functions is None else functions
        self.tables: list[TableType] = [] if tables is None else tables
        self.memories: list[MemoryType] = [] if memories is None else memories
        self.globals: list[GlobalType] = [] if globals is None else globals
        self.tags: list[int] = [] if tags is None else tags
        self.elems: list[RefType] = [] if elems is None else elems
        self.data_count = data_count
        self.refs: frozenset[int] | set[int] = set() if refs is None else refs
        self.file = file
        self.names: dict[int, str] = {} if names is None else names

    def with_globals(self, count: int) -> Context:
        """Return a copy that sees only the first ``count`` globals (for constant expressions)."""
        return Context(self.types, self.functions, self.tables, self.memories,
                       self.globals[:count], self.tags, self.elems, self.data_count,
                       self.refs, self.file, self.names)

    def function_name(self, index: int) -> str:
        """Return ``$name`` when the function has a debug name, else ``func[index]``."""
        name = self.names.get(index)
        return f"${name}" if name is not None else f"func[{index}]"


def _set_position(error: ValidationError, position: Position) -> None:
    if isinstance(position, tuple) and len(position) == 2:
        error.line, error.column = position
    elif isinstance(position, int) and not isinstance(position, bool):
        error.offset = position


def make_error(message: str, position: Position, *, file: str | None = None,
               function: str | None = None, instruction: str | None = None) -> ValidationError:
    """Return a :class:`ValidationError` placed at ``position`` (``(line, col)`` or offset)."""
    error = ValidationError(message, function=function, instruction=instruction, file=file)
    _set_position(error, position)
    return error


def locate(error: ValidationError, position: Position, file: str | None = None,
           function: str | None = None) -> ValidationError:
    """Fill in the place of an error raised without one (keeps fields already set); return it."""
    if error.line is None and error.offset is None:
        _set_position(error, position)
    if error.file is None:
        error.file = file
    if error.function is None:
        error.function = function
    return error
