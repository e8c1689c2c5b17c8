"""The ``name`` custom section (spec "Appendix / Custom Sections / Name Section").

Subsections: 0 module name, 1 function names, 2 local names, and the extended-name
subsections 4 types, 5 tables, 6 memories, 7 globals, 8 element segments, 9 data
segments, 11 tags. Label (3) and field (10) names are skipped when decoding.
"""

from __future__ import annotations

from ..errors import DecodeError
from ..syntax.module import Names
from .reader import Reader

__all__ = ["decode_names", "encode_names"]

_MAP_FIELDS = {
    1: "functions",
    4: "types",
    5: "tables",
    6: "memories",
    7: "globals",
    8: "elems",
    9: "datas",
    11: "tags",
}


def _read_name_map(reader: Reader) -> dict[int, str]:
    result: dict[int, str] = {}
    for _ in range(reader.length()):
        index = reader.u32()
        result[index] = reader.name()
    return result


def decode_names(payload: bytes) -> Names | None:
    """Decode the contents of a ``name`` custom section.

    Returns the :class:`~wasmem.syntax.module.Names`, or ``None`` if the section is
    malformed (custom section contents never make a module malformed). Never raises.
    """
    reader = Reader(payload)
    module_name: str | None = None
    maps: dict[str, dict[int, str]] = {}
    local_names: dict[int, dict[int, str]] = {}
    last_id = -1
    try:
        while not reader.at_end():
            subsection_id = reader.byte()
            size = reader.length()
            content_end = reader.pos + size
            if subsection_id <= last_id:
                return None
            last_id = subsection_id
            if subsection_id == 0:
                module_name = reader.name()
            elif subsection_id == 2:
                for _ in range(reader.length()):
                    function_index = reader.u32()
                    local_names[function_index] = _read_name_map(reader)
            elif subsection_id in _MAP_FIELDS:
                maps[_MAP_FIELDS[subsection_id]] = _read_name_map(reader)
            else:
                reader.skip(size)
            if reader.pos != content_end:
                return None
    except DecodeError:
        return None
    return Names(module=module_name, locals=local_names, **maps)


def _write_name_map(out: bytearray, names: dict[int, str]) -> None:
    from .writer import write_name, write_unsigned  # (encoding only: see encode_names)
    write_unsigned(out, len(names))
    for index in sorted(names):
        write_unsigned(out, index)
        write_name(out, names[index])


def _write_subsection(out: bytearray, subsection_id: int, content: bytearray) -> None:
    from .writer import write_unsigned
    out.append(subsection_id)
    write_unsigned(out, len(content))
    out += content


def encode_names(names: Names) -> bytes:
    """Return the payload of a ``name`` custom section holding ``names`` (maps in index order)."""
    # (the writer is imported here: Module() decodes the name section of most compiled
    # programs and never writes one)
    from .writer import write_name, write_unsigned
    out = bytearray()
    if names.module is not None:
        content = bytearray()
        write_name(content, names.module)
        _write_subsection(out, 0, content)
    for subsection_id in sorted([*_MAP_FIELDS, 2]):
        content = bytearray()
        if subsection_id == 2:
            if not names.locals:
                continue
            write_unsigned(content, len(names.locals))
            for function_index in sorted(names.locals):
                write_unsigned(content, function_index)
                _write_name_map(content, names.locals[function_index])
        else:
            name_map: dict[int, str] = getattr(names, _MAP_FIELDS[subsection_id])
            if not name_map:
                continue
            _write_name_map(content, name_map)
        _write_subsection(out, subsection_id, content)
    return bytes(out)
