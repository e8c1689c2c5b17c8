"""``python -m wasmem.bundle``: write the file of compiled code that wasmem's modules are
imported from (:mod:`wasmem.import_bundle`) for all of them at once, as ``python -m
compileall`` writes ``.pyc`` files (whatever ``PYTHONDONTWRITEBYTECODE`` says); print its
path and number of modules. Exit status 1 with a one-line message when it cannot be
written."""

from __future__ import annotations

import sys

import wasmem

from .import_bundle import build

__all__ = ["main"]


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
