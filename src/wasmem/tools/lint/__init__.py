"""``wasmem lint``: static checks for the memory and loop bugs of chapter 5.

Checks (rule names in :data:`RULES`):

- ``loop-exit-restarts``: an exit test (``br_if $loop``, ``(if C (then (br $loop)))``)
  that branches to its own loop's label, which restarts the loop, in a loop that has
  no other way out.
- ``loop-no-exit``: a loop that nothing leaves and whose end is never reached.
- ``grow-result-ignored``: a ``memory.grow`` result left on the stack, or dropped by
  code that then uses memory as if the grow had worked.
- ``align-too-large``: ``align=`` larger than the access's natural alignment.
- ``address-out-of-range``: a load/store at a constant address, or an active data
  segment, beyond the memory the module can ever have.

Text that does not parse and modules that do not validate are reported as one finding
(``parse-error`` / ``decode-error`` / ``invalid``) with the error's place. Every finding
has a position, a one-line message and a suggested fix::

    from wasmem.tools.lint import lint_source
    for finding in lint_source(open("loop.wat").read(), file="loop.wat"):
        print(finding.format("loop.wat"))
"""

from __future__ import annotations

import os

from ...errors import DecodeError, ParseError, UnsupportedFeature, ValidationError, WasmError
from ...syntax.module import Module
from .findings import RULES, Finding, format_position
from .loops import check_loops
from .memory import MemoryFacts, check_alignment, check_data_segments, check_function_memory
from .walk import walk_module

__all__ = ["Finding", "RULES", "lint_module", "lint_source", "lint_file", "format_position"]


def lint_module(module: Module) -> list[Finding]:
    """Run every check on a module's abstract syntax (parsed, not necessarily valid).

    Returns the findings in input order. Raises nothing for any module the parser or
    decoder can produce.
    """
    memories = MemoryFacts.of(module)
    findings: list[Finding] = check_data_segments(module, memories)
    for facts in walk_module(module):
        findings.extend(check_loops(facts))
        findings.extend(check_alignment(facts))
        findings.extend(check_function_memory(module, facts, memories))
    return sorted(findings, key=Finding.sort_key)


def _error_position(error: WasmError) -> tuple[int, int] | int | None:
    if error.line is not None:
        return (error.line, error.column if error.column is not None else 1)
    return error.offset


def _parse_error_finding(error: ParseError) -> Finding:
    message = error.message
    lowered = message.lower()
    if "align" in lowered:
        too_large = any(word in lowered for word in ("natural", "larger", "exceed", "greater"))
        return Finding(
            "align-too-large" if too_large else "parse-error", _error_position(error),
            message,
            "align= must be a power of two no larger than the access width "
            "(1, 2, 4 or 8 bytes), or left out")
    if "passive" in lowered:
        fix = 'a passive segment has no offset and no keyword: (data $name "bytes")'
    elif "unknown data" in lowered or ("data" in lowered and "unknown" in lowered):
        fix = ("memory.init and data.drop name a data segment statically: an index or the "
               "$name of a (data ...) in the module, never a local or parameter")
    else:
        fix = "fix the syntax at this place (see the WebAssembly text format)"
    return Finding("parse-error", _error_position(error), message, fix)


def _validation_fix(message: str) -> str:
    lowered = message.lower()
    if "type mismatch" in lowered or "stack" in lowered:
        return ("balance the operand stack: use or drop every value you push, and end each "
                "block and function with exactly its result types")
    if "align" in lowered:
        return "write align= no larger than the access width, or leave it out"
    if "unknown" in lowered:
        return "refer only to things the module declares (check indices and $names)"
    return "see the WebAssembly validation rules for this instruction"


def lint_source(source: str | bytes, *, file: str | None = None) -> list[Finding]:
    """Parse (text) or decode (binary), check, then validate; return all findings.

    A parse or decode error is the only finding. A validation error is added after the
    checks' findings (unless a check already reported the same problem).

    Raises:
        UnsupportedFeature: the module uses a proposal wasmem does not support.
    """
    try:
        if isinstance(source, str):
            from ...text import parse_module
            module = parse_module(source, file=file)
        else:
            from ...binary import decode_module
            module = decode_module(bytes(source), file=file)
    except ParseError as error:
        return [_parse_error_finding(error)]
    except DecodeError as error:
        return [Finding("decode-error", _error_position(error), error.message,
                        "the binary is malformed: regenerate it from its source")]
    findings = lint_module(module)
    try:
        from ...valid import validate_module
        validate_module(module)
    except UnsupportedFeature:
        raise
    except ValidationError as error:
        position = _error_position(error)
        duplicate = any(f.rule == "align-too-large" for f in findings) and \
            "align" in error.message.lower()
        if not duplicate:
            findings.append(Finding("invalid", position, error.message,
                                    _validation_fix(error.message), error.function))
    return sorted(findings, key=Finding.sort_key)


def lint_file(path: str | os.PathLike[str]) -> list[Finding]:
    """Lint a ``.wat`` or ``.wasm`` file (binary recognised by its magic number).

    Raises:
        ParseError: the file cannot be read or is neither UTF-8 text nor a binary.
        UnsupportedFeature: as for :func:`lint_source`.
    """
    from ...embedding import read_module_file
    name = os.fspath(path)
    return lint_source(read_module_file(name), file=name)
