#!/usr/bin/env python3
"""Refresh the vendored test data from an upstream checkout, byte for byte.

    python3 tests/data/refresh.py spec PATH   # PATH: a clone of WebAssembly/testsuite

``spec`` replaces ``spec-testsuite/core`` (every top-level ``.wast`` and the
``LICENSE``) and the vendored proposal folders, records the checkout's commit in
``spec-testsuite/README.md`` and lists the entries of ``spec-testsuite/tiers/*.txt``
(our own listings) whose file is gone. Exit status 0 when done, 1 when tier entries
need fixing, 2 for a wrong checkout path.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent
SPEC = DATA / "spec-testsuite"
SPEC_PROPOSALS = ("threads", "custom-page-sizes")
"""Proposal folders vendored besides ``core`` (the memory proposals of tier 5)."""


def upstream_commit(checkout: Path) -> tuple[str, str] | None:
    """Return ``(commit, YYYY-MM-DD)`` of a git checkout, or None if it is not one."""
    try:
        out = subprocess.run(["git", "-C", str(checkout), "log", "-1", "--format=%H %cs"],
                             capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    return (out[0], out[1]) if len(out) == 2 else None


def replace_folder(target: Path, files: list[Path], renames: dict[str, str]) -> int:
    """Empty ``target`` and copy ``files`` into it (``renames`` maps a name to a new
    one); return how many were copied."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for source in files:
        shutil.copyfile(source, target / renames.get(source.name, source.name))
    return len(files)


def missing_tier_entries(suite: Path) -> list[str]:
    """``tiers/NAME.txt: path`` for every listed script that is not in ``suite``."""
    missing = []
    for listing in sorted((suite / "tiers").glob("*.txt")):
        for line in listing.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and not (suite / line).is_file():
                missing.append(f"tiers/{listing.name}: {line}")
    return missing


def refresh_spec(checkout: Path, suite: Path = SPEC) -> int:
    """Copy the spec test suite from ``checkout``; return the exit status."""
    top = sorted(checkout.glob("*.wast"))
    if not top or not (checkout / "LICENSE").is_file():
        print(f"refresh: {checkout} is not a WebAssembly/testsuite checkout "
              "(no top-level .wast files or LICENSE)", file=sys.stderr)
        return 2
    count = replace_folder(suite / "core", [*top, checkout / "LICENSE"], {})
    print(f"core: {count - 1} scripts and LICENSE")
    for name in SPEC_PROPOSALS:
        scripts = sorted((checkout / "proposals" / name).glob("*.wast"))
        if scripts:
            print(f"proposals/{name}: {replace_folder(suite / 'proposals' / name, scripts, {})}")
        else:
            print(f"proposals/{name}: not upstream any more; the old copy is kept")
    commit = upstream_commit(checkout)
    readme = suite / "README.md"
    if commit is not None:
        text = readme.read_text(encoding="utf-8")
        text = re.sub(r"\| commit \| .* \|", f"| commit | `{commit[0]}` ({commit[1]}) |", text)
        readme.write_text(text, encoding="utf-8")
        print(f"README: commit {commit[0]} ({commit[1]})")
    else:
        print("README: not a git checkout; write the commit into README.md by hand")
    missing = missing_tier_entries(suite)
    for entry in missing:
        print(f"gone upstream: {entry}")
    return 1 if missing else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and refresh the named suite; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", choices=["spec"], help="which vendored suite")
    parser.add_argument("checkout", type=Path, help="path of the upstream checkout")
    args = parser.parse_args(argv)
    return refresh_spec(args.checkout.resolve())


if __name__ == "__main__":
    sys.exit(main())
