"""Keeping committed generated modules up to date (the interpreter's ``gen_*.py``, the
boundary entries): the one loop of their ``regenerate`` commands."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["sync_generated"]


def sync_generated(files: dict[Path, str], argv: list[str] | None = None) -> int:
    """Write each of ``files`` (path -> text) whose file differs, or with ``--check`` in
    ``argv`` (default: the command line) only report it; print one line per such file
    and return the exit status of a ``regenerate`` command (1: some file was or is out
    of date under ``--check``).

    Raises:
        OSError: a file cannot be read (other than missing) or written.
    """
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    stale = 0
    for path, text in files.items():
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        if current == text:
            continue
        stale += 1
        print(f"{'out of date' if check else 'wrote'}: {path.name}")
        if not check:
            path.write_text(text, encoding="utf-8")
    return 1 if stale and check else 0
