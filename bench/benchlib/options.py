"""Command-line options shared by ``bench/run.py`` and ``bench/run_wasi.py``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .workloads import SIZES

__all__ = ["common_parser", "split_names"]


def common_parser(description: str, engines: Sequence[str], workloads: Sequence[str],
                  default_reps: int) -> argparse.ArgumentParser:
    """Return a parser with ``--quick``, ``--size``, ``--reps``, ``--engines`` (default:
    all of ``engines``) and ``--workloads`` (default: all)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true",
                        help="small inputs and 3 runs per cell (same as --size small --reps 3)")
    parser.add_argument("--size", choices=SIZES, help="input size (default full)")
    parser.add_argument("--reps", type=int, help=f"timed runs per cell (default {default_reps})")
    parser.add_argument("--engines", default=",".join(engines),
                        help=f"comma-separated, from {','.join(engines)} (default all)")
    parser.add_argument("--workloads", default="",
                        help=f"comma-separated, from {','.join(workloads)} (default all)")
    return parser


def split_names(text: str) -> list[str]:
    """The names of a comma-separated option value."""
    return [name for name in text.split(",") if name]
