"""What the benchmark ran on: CPU, cores, Python, engine versions, load, date."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["describe", "engine_versions", "load_average", "source_revision"]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> tuple[float, float, float] | None:
    """Return the 1, 5 and 15 minute load averages, or None where unknown."""
    try:
        return os.getloadavg()
    except OSError:
        return None


def engine_versions() -> dict[str, str]:
    """Return the installed versions of the engines (``"missing"`` when absent)."""
    versions = {}
    for name in ("wasmem", "pwasm", "pywasm", "wasmtime"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def source_revision(root: Path) -> str:
    """Return the git commit of the wasmem checkout at ``root``, with ``+ uncommitted
    changes in src/`` when its ``src`` differs from the commit; ``unknown`` without git."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True, timeout=30)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head.stdout.strip() + (" + uncommitted changes in src/" if dirty.stdout.strip()
                                  else "")


def describe(root: Path | None = None) -> dict[str, Any]:
    """Return the machine description: cpu, cores, python, platform, engine versions, the
    wasmem commit (of the checkout at ``root``, default this one), load average and date."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "engines": engine_versions(),
        "wasmem_source": source_revision(root or Path(__file__).resolve().parents[2]),
        "load": load_average(),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
