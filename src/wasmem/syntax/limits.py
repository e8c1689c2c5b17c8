"""Implementation limits on the size of a module (the JS API's "Implementation-defined Limits").

The core spec bounds most counts only by ``2**32``; engines agree on much smaller limits
so a hostile module cannot make loading slow or huge (V8, SpiderMonkey and wasmtime's
wasmparser use the same numbers). wasmem enforces them in both loading paths: the
binary decoder rejects a count with a :class:`~wasmem.errors.DecodeError` as soon as it
reads it, before anything is allocated, and the validator rejects a module built from
the text format (or by hand) with a :class:`~wasmem.errors.ValidationError`. Every
message has the shape ``too many locals: 60000 > 50000 (implementation limit)``.

Table sizes are not limited here: a module *declaring* a huge table is valid (the spec
tests require it); the instance caps limit what instantiation allocates.
"""

from __future__ import annotations

__all__ = [
    "MAX_BR_TABLE_TARGETS",
    "MAX_DATA_SEGMENTS",
    "MAX_ELEMENT_SEGMENTS",
    "MAX_EXPORTS",
    "MAX_FUNCTIONS",
    "MAX_FUNCTION_SIZE",
    "MAX_GLOBALS",
    "MAX_IMPORTS",
    "MAX_LOCALS",
    "MAX_MEMORIES",
    "MAX_MODULE_SIZE",
    "MAX_NAME_BYTES",
    "MAX_NESTING",
    "MAX_PARAMS",
    "MAX_RESULTS",
    "MAX_SEGMENT_ELEMENTS",
    "MAX_TABLES",
    "MAX_TAGS",
    "MAX_TYPES",
    "MODULE_LIMITS",
    "limit_message",
]

MAX_MODULE_SIZE = 1 << 30
"""Bytes of a binary module (1 GiB)."""
MAX_TYPES = 1_000_000
"""Types in the type section."""
MAX_FUNCTIONS = 1_000_000
"""Functions, imported and defined."""
MAX_IMPORTS = 100_000
"""Imports."""
MAX_EXPORTS = 100_000
"""Exports."""
MAX_GLOBALS = 1_000_000
"""Globals, imported and defined."""
MAX_TAGS = 1_000_000
"""Tags, imported and defined."""
MAX_DATA_SEGMENTS = 100_000
"""Data segments."""
MAX_ELEMENT_SEGMENTS = 100_000
"""Element segments."""
MAX_TABLES = 100_000
"""Tables, imported and defined."""
MAX_MEMORIES = 100_000
"""Memories, imported and defined."""
MAX_PARAMS = 1_000
"""Parameters of a function type (so of any function or block)."""
MAX_RESULTS = 1_000
"""Results of a function type (so of any function or block)."""
MAX_LOCALS = 50_000
"""Locals of one function, its parameters included."""
MAX_FUNCTION_SIZE = 7_654_321
"""Bytes of one function body (locals declarations included)."""
MAX_SEGMENT_ELEMENTS = 10_000_000
"""Elements of one element segment (the entries of one table initialisation)."""
MAX_BR_TABLE_TARGETS = 65_520
"""Labels of one ``br_table`` (the default label not counted)."""
MAX_NAME_BYTES = 100_000
"""Bytes of one import, export or custom section name."""
MAX_NESTING = 100_000
"""Nested blocks and folded instructions in one text-format function body (a binary body's
nesting is bounded by its size)."""

MODULE_LIMITS: dict[str, int] = {
    "module size (bytes)": MAX_MODULE_SIZE,
    "types": MAX_TYPES,
    "functions": MAX_FUNCTIONS,
    "imports": MAX_IMPORTS,
    "exports": MAX_EXPORTS,
    "globals": MAX_GLOBALS,
    "tags": MAX_TAGS,
    "data segments": MAX_DATA_SEGMENTS,
    "element segments": MAX_ELEMENT_SEGMENTS,
    "tables": MAX_TABLES,
    "memories": MAX_MEMORIES,
    "params": MAX_PARAMS,
    "results": MAX_RESULTS,
    "locals": MAX_LOCALS,
    "function body size (bytes)": MAX_FUNCTION_SIZE,
    "elements in a segment": MAX_SEGMENT_ELEMENTS,
    "br_table targets": MAX_BR_TABLE_TARGETS,
    "name length (bytes)": MAX_NAME_BYTES,
    "nesting depth (text format)": MAX_NESTING,
}
"""Every limit of this module by what it counts, for documentation and ``--help``."""


def limit_message(what: str, count: int, limit: int) -> str:
    """Return the error message for ``count`` items of ``what`` above ``limit``.

    ``what`` is a plural noun ("locals") or a measure ("function body size"): the message
    reads "too many locals: 60000 > 50000 (implementation limit)" or
    "function body size too large: ...".
    """
    if what.endswith(("size", "length")):
        return f"{what} too large: {count} > {limit} (implementation limit)"
    return f"too many {what}: {count} > {limit} (implementation limit)"
