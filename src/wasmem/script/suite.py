"""Finding the official spec test suite beside a checkout and its tier lists.

The suite lives in ``../shared/spec-testsuite`` next to the repository (see its README);
``tiers/*.txt`` list the ``.wast`` files of each area, one path per line.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SUITE", "tier_files"]

SUITE = Path(__file__).resolve().parents[3].parent / "shared" / "spec-testsuite"
"""Where the suite is expected: ``<checkout>/../shared/spec-testsuite``."""


def tier_files(*names: str, suite: Path = SUITE) -> list[str]:
    """Return the paths (relative to the suite) listed by the given tier files, in order,
    without duplicates; an empty list if the suite is not there."""
    out: list[str] = []
    for name in names:
        listing = suite / "tiers" / name
        if not listing.exists():
            continue
        for line in listing.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and line not in out:
                out.append(line)
    return out
