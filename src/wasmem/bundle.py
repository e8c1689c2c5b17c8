"""``python -m wasmem.bundle``: write the file of compiled code that wasmem's modules are
imported from (:mod:`wasmem.import_bundle`) for all of them at once, as ``python -m
compileall`` writes ``.pyc`` files (whatever ``PYTHONDONTWRITEBYTECODE`` says); print its
path and number of modules. Exit status 1 with a one-line message when it cannot be
written."""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any

import wasmem

from .bundle_split import split
from .import_bundle import _FUNCTIONS, Entry, _digest, _external, _stat, _write, bundle_path

__all__ = ["build", "main"]


def build(init_file: str) -> tuple[str, int]:
    """Write the bundle of every module of the package whose ``__init__.py`` is
    ``init_file`` (compiled from their sources, or read from their ``.pyc``), without
    running them; return the bundle's path and its number of modules. Raises OSError
    (the file cannot be written), SyntaxError (a source does not compile), ValueError
    (this Python caches no bytecode)."""
    path = bundle_path(init_file)
    if path is None:
        raise ValueError("this Python caches no bytecode (sys.implementation.cache_tag)")
    folder = os.path.dirname(init_file)
    package = os.path.basename(folder)
    root = os.path.dirname(folder) + os.sep
    found: dict[str, tuple[str, bool, int, int, Any]] = {}
    areas: dict[str, Entry] = {}  # (the functions of split modules)
    sources: list[tuple[str, bytes, bool]] = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories
                                   if d != "__pycache__" and "." not in d)
        for file in sorted(files):
            if not file.endswith(".py"):
                continue
            source = os.path.join(directory, file)
            relative = source[len(root):]
            parts = relative[:-len(".py")].split(os.sep)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            name = ".".join(parts)
            before = _stat(source)
            loader = _external.SourceFileLoader(name, source)
            sources.append((name, loader.get_data(source), is_package))
            if name in (package, package + ".import_bundle"):
                continue  # (imported before the bundle is read)
            code = loader.get_code(name)
            if before is None or code is None or _stat(source) != before:
                continue
            found[name] = (relative, is_package, before[0], before[1], code)
            halves = split(sources[-1][1], source, code, _digest)
            if halves is not None:  # (a module whose functions are read on demand)
                found[name] = (relative, is_package, before[0], before[1], halves[0])
                areas[name + _FUNCTIONS] = (relative, False, before[0], before[1], halves[1])
    from .bundle_groups import groups
    entries: dict[str, Entry] = {}
    for group in groups(package, sources):
        members = [name for name in group if name in found]
        blob = marshal.dumps(tuple(found[name][4] for name in members))
        for slot, name in enumerate(members):
            code = found[name][4]
            entries[name] = (*found[name][:4],
                             (blob, slot) if len(members) > 1 else marshal.dumps(code))
    entries.update(areas)
    _write(path, entries, None)
    return path, len(entries) - len(areas)


def main() -> int:
    """Write wasmem's bundle; return the exit status (raises nothing)."""
    try:
        path, count = build(wasmem.__file__)
    except (OSError, SyntaxError, ValueError) as error:
        print(f"wasmem.bundle: {error}", file=sys.stderr)
        return 1
    print(f"{count} modules in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
