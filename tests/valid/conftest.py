"""Prints the validator's spec-suite statistics (exact message matches etc.) after a run."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    try:
        from test_valid_spec import VALIDATION_STATS
    except ImportError:
        return
    if not VALIDATION_STATS:
        return
    terminalreporter.section("wasmem validator on the spec suite")
    for key in sorted(VALIDATION_STATS):
        terminalreporter.write_line(f"{VALIDATION_STATS[key]:6d}  {key}")
