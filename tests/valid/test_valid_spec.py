"""The validator against the spec test suite, tiers 1 and 2 (and typed references / EH of tier 4).

Every ``assert_invalid`` module must be rejected with a ValidationError whose message
starts with the script's expected text, and every module the scripts define, link or
instantiate must be accepted.

Two front ends provide the modules:

* binary: ``wast2json --enable-all`` (WABT) turns each script into ``.wasm`` files,
  decoded by :func:`wasmem.binary.decode_module`;
* text: :func:`wasmem.text.parse_script`.

Modules a front end cannot read (a WABT conversion failure, a decode or parse error)
are not the validator's business and are counted, not failed. The exact-message
statistics are printed at the end of the run (see ``conftest.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wasmem.errors import UnsupportedFeature, ValidationError, WasmError
from wasmem.syntax import Module
from wasmem.valid import validate_module
from wasmem.valid.code import BodyChecker

from _data import SPEC_SUITE as SUITE
from _data import tier_files

VALIDATION_STATS: dict[str, int] = {}


# Typed function references, exceptions and tail calls from tier 4 (no GC types).
_TIER4_SUPPORTED = [
    "core/br_on_non_null.wast", "core/br_on_null.wast", "core/call_ref.wast",
    "core/local_init.wast", "core/ref_as_non_null.wast", "core/return_call.wast",
    "core/return_call_indirect.wast", "core/return_call_ref.wast", "core/table-sub.wast",
    "core/throw.wast", "core/throw_ref.wast", "core/try_table.wast", "core/tag.wast",
]
FILES = tier_files("1-memory", "2-core") + _TIER4_SUPPORTED
IDS = [Path(name).stem for name in FILES]

# (file stem, line) of assert_invalid commands whose module the binary front end
# cannot represent faithfully, with the reason.
BINARY_KNOWN = {
    ("align", 1017): "wast2json encodes align=2**63 as align=1, leaving only the offset error",
}


def _bump(key: str) -> None:
    VALIDATION_STATS[key] = VALIDATION_STATS.get(key, 0) + 1


def _check_valid(module: Module, where: str, failures: list[str]) -> None:
    try:
        validate_module(module)
        _bump("valid modules accepted")
    except UnsupportedFeature as error:
        _bump(f"unsupported ({error.feature})")
    except ValidationError as error:
        failures.append(f"{where}: valid module rejected: {error}")


def _check_invalid(module: Module, expected: str, where: str, failures: list[str],
                   known: str | None = None) -> None:
    try:
        validate_module(module)
    except UnsupportedFeature as error:
        _bump(f"unsupported ({error.feature})")
        return
    except ValidationError as error:
        if error.message.startswith(expected):
            _bump("invalid modules rejected, message matches")
        elif known is not None:
            _bump("invalid modules rejected, known message difference")
        else:
            _bump("invalid modules rejected, message differs")
            failures.append(f"{where}: expected {expected!r}, got {error.message!r}")
        return
    failures.append(f"{where}: invalid module accepted (expected {expected!r})")


def _outcome(load: Any) -> tuple[str, Any]:
    try:
        return "accepted", load()
    except WasmError as error:
        return type(error).__name__, None


def _check_fast_path(data: bytes, where: str, failures: list[str]) -> None:
    """Bodies validated from their bytes (``lazy_bodies``) must give the ordinary
    verdict, and an accepted module must decode to the same tree; ``load_binary`` must
    raise exactly the ordinary error."""
    from wasmem.binary import decode_module
    from wasmem.load import load_binary
    from wasmem.load.encoded import check_encoded_body

    ordinary, module = _outcome(lambda: _validated(decode_module(data)))
    fast, lazy = _outcome(lambda: _validated(decode_module(data, lazy_bodies=True),
                                             check_encoded_body))
    _bump(f"fast path: {ordinary}")
    if (ordinary == "accepted") != (fast == "accepted"):
        failures.append(f"{where}: fast path {fast}, ordinary path {ordinary}")
    elif module is not None and lazy != module:
        failures.append(f"{where}: lazily decoded module differs")
    try:
        load_binary(data)
    except WasmError as error:
        try:
            validate_module(decode_module(data))
        except WasmError as expected:
            if str(error) != str(expected):
                failures.append(f"{where}: load_binary raised {error}, expected {expected}")
        else:
            failures.append(f"{where}: load_binary raised {error} for a valid module")


def _validated(module: Module, check_body: BodyChecker | None = None) -> Module:
    validate_module(module, check_body=check_body)
    return module


# ---------------------------------------------------------------- binary front end

def _binary_commands(wast: Path, out: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    json_path = out / f"{wast.stem}.json"
    result = subprocess.run(["wast2json", "--enable-all", str(wast), "-o", str(json_path)],
                            check=False, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.skip(f"wast2json cannot convert {wast.name}: "
                    f"{result.stderr.strip().splitlines()[:1]}")
    for command in json.loads(json_path.read_text())["commands"]:
        yield command, out


_MODULE_COMMANDS = {"module", "assert_unlinkable", "assert_uninstantiable", "assert_trap"}


@pytest.mark.skipif(shutil.which("wast2json") is None, reason="WABT wast2json not on PATH")
@pytest.mark.parametrize("name", FILES, ids=IDS)
def test_spec_binary(name: str, tmp_path: Path) -> None:
    from wasmem.binary import decode as binary_decode

    wast = SUITE / name
    failures: list[str] = []
    for command, out in _binary_commands(wast, tmp_path):
        kind = command["type"]
        filename = command.get("filename")
        if not filename or not filename.endswith(".wasm"):
            continue
        _check_fast_path((out / filename).read_bytes(), f"{wast.name}:{command['line']}",
                         failures)
        if kind not in _MODULE_COMMANDS and kind != "assert_invalid":
            continue
        where = f"{wast.name}:{command['line']}"
        try:
            module = binary_decode.decode_module((out / filename).read_bytes())
        except WasmError:
            _bump("binary modules the decoder rejects (not validated)")
            continue
        if kind == "assert_invalid":
            known = BINARY_KNOWN.get((wast.stem, command["line"]))
            _check_invalid(module, command["text"], where, failures, known)
        else:
            _check_valid(module, where, failures)
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------- text front end

@pytest.mark.parametrize("name", FILES, ids=IDS)
def test_spec_text(name: str) -> None:
    from wasmem import text
    from wasmem.script import commands as script

    wast = SUITE / name
    try:
        commands = text.parse_script(wast.read_text(encoding="utf-8"), file=str(wast))
    except WasmError as error:
        pytest.fail(f"the text parser rejects {wast.name}: {error}")
    failures: list[str] = []
    for command in commands:
        source = None
        if isinstance(command, (script.ModuleCommand, script.AssertUnlinkable,
                                script.AssertUninstantiable, script.AssertInvalid)):
            source = command.source
        elif isinstance(command, script.AssertTrap) and not isinstance(
                command.target, (script.Invoke, script.Get)):
            source = command.target
        if source is None:
            continue
        where = f"{wast.name}:{command.line}"
        try:
            module = text.parse_module_source(source)
        except UnsupportedFeature as error:
            _bump(f"unsupported ({error.feature})")
            continue
        except WasmError:
            _bump("text modules the parser rejects (not validated)")
            continue
        if isinstance(command, script.AssertInvalid):
            _check_invalid(module, command.message, where, failures)
        else:
            _check_valid(module, where, failures)
    assert not failures, "\n".join(failures)
