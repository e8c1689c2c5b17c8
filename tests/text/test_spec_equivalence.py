"""Every module of spec tiers 1 and 2 parses to the same abstract syntax as WABT's
``wast2json`` binary for it decodes to (WABT as the text-format oracle), and our own
encoding of it decodes back to the same module."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from wasmem.binary import decode_module, encode_module
from wasmem.script import commands as c
from _data import SPEC_SUITE as SUITE
from _data import tier_files
from wasmem.text import parse_module_source, parse_script

WAST2JSON = shutil.which("wast2json")
FILES = sorted(tier_files("1-memory.txt", "2-core.txt"))


@pytest.mark.skipif(WAST2JSON is None, reason="needs wast2json")
@pytest.mark.parametrize("path", FILES, ids=[Path(p).stem for p in FILES])
def test_text_matches_wabt(path: str, tmp_path: Path) -> None:
    source = SUITE / path
    done = subprocess.run([WAST2JSON, "--enable-gc", "--enable-function-references",  # type: ignore[list-item]
                           str(source), "-o", str(tmp_path / "out.json")],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("wast2json rejects this script (newer syntax than WABT knows)")
    theirs = [cmd for cmd in json.loads((tmp_path / "out.json").read_text())["commands"]
              if cmd["type"] == "module"]
    ours = [cmd for cmd in parse_script(source.read_text(encoding="utf-8"), file=str(source))
            if isinstance(cmd, c.ModuleCommand)]
    assert len(ours) == len(theirs)
    compared = 0
    for mine, wabt in zip(ours, theirs):
        binary = (tmp_path / wabt["filename"]).read_bytes()
        expected = decode_module(binary)
        actual = parse_module_source(mine.source, file=str(source))
        assert actual == expected, f"{path}:{mine.line}"
        assert decode_module(encode_module(actual)) == actual, f"{path}:{mine.line} round trip"
        compared += 1
    assert compared == len(theirs)
