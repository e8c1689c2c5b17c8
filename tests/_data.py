"""Where the test data lives: the one place the tests learn it from.

The data travels with the repository under ``tests/data/`` (see the README of each
suite for its upstream commit and license; ``tests/data/refresh.py`` updates them from an
upstream checkout). Only the chapter text is not ours to ship: tests that need it skip
when it is not beside the checkout.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CHAPTER_TEXT", "DATA", "ROOT", "SPEC_SUITE", "WASI_SUITE", "tier_files"]

ROOT = Path(__file__).resolve().parents[1]
"""The repository checkout."""

DATA = ROOT / "tests" / "data"
"""The vendored test data."""

SPEC_SUITE = DATA / "spec-testsuite"
"""The official spec test suite (WebAssembly/testsuite): ``core/``, ``proposals/`` and
our ``tiers/*.txt`` listings of the ``.wast`` files by area."""

WASI_SUITE = DATA / "wasi-testsuite"
"""The WASI test suite (WebAssembly/wasi-testsuite)."""

CHAPTER_TEXT = ROOT.parent / "shared" / "chapter5-memory.md"
"""The chapter the examples come from; not shipped (not ours), so it may be missing."""


def tier_files(*tiers: str, suite: Path = SPEC_SUITE) -> list[str]:
    """Return the ``.wast`` paths (relative to the suite, e.g. ``core/address.wast``)
    listed by the given tiers, in order and without duplicates.

    A tier is named with or without ``.txt`` (``"1-memory"`` or ``"1-memory.txt"``).

    Raises:
        FileNotFoundError: a tier listing does not exist (the data is vendored, so a
            missing listing is a mistake, not a reason to skip).
    """
    out: list[str] = []
    for tier in tiers:
        name = tier if tier.endswith(".txt") else f"{tier}.txt"
        listing = suite / "tiers" / name
        for line in listing.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and line not in out:
                out.append(line)
    return out
