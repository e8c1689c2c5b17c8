"""Running the targets that are not workload times, one worker process per engine.

- memory: RSS of a 64 MiB linear memory (``targets/memory64mib.wat``);
- growth: page-by-page growth to 256 MiB, time per 16 MiB step (``targets/grow.wat``);
- bulk: one 4 MiB memory.fill / memory.copy vs bytearray slice assignment (``bulk.wat``);
- compile: load + instantiate + first calls of the generated 1 MB module.

Each ``run_*`` function returns ``{engine: answer}`` with the worker's answer (or
``{"error": ...}``); ``python`` is the bytearray yardstick where there is one.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .engines import WARM
from .suite import Settings, run_worker
from .targets import GROW_STEP, GROW_STEPS

__all__ = ["run_bulk", "run_compile", "run_growth", "run_memory", "summarise_growth"]

Progress = Callable[[str], None] | None


def _per_engine(kind: str, engines: list[str], wasm: Path, settings: Settings,
                progress: Progress) -> dict[str, dict[str, Any]]:
    answers = {}
    for engine in engines:
        if progress is not None:
            progress(f"{kind}: {engine}")
        answers[engine] = run_worker({"task": kind, "engine": engine, "wasm": str(wasm)},
                                     settings)
    return answers


def _plain(engines: list[str]) -> list[str]:
    """The engines for memory targets: a warm engine is its cold self there, python is
    added."""
    return [e for e in engines if e not in WARM] + ["python"]


def run_memory(engines: list[str], wasm: Path, settings: Settings,
               progress: Progress = None) -> dict[str, dict[str, Any]]:
    """RSS growth (MiB) for a 64 MiB memory: ``instantiated``, ``touched``, ``peak``."""
    answers = _per_engine("rss", _plain(engines), wasm, settings, progress)
    for answer in answers.values():
        if "error" not in answer and answer["result"] != 16384:
            answer["error"] = f"touch returned {answer['result']}, expected 16384"
    return answers


def summarise_growth(steps: list[float], pages: int) -> dict[str, Any]:
    """Return totals and a linearity measure of growth step times.

    ``linearity`` is the mean of the last four steps over the mean of the first four:
    about 1 when every 16 MiB step costs the same (total time linear in size).
    """
    complete = pages == GROW_STEP * GROW_STEPS
    summary: dict[str, Any] = {"steps": steps, "pages": pages, "complete": complete,
                               "total": sum(steps)}
    if steps:
        summary["median"] = statistics.median(steps)
        summary["max"] = max(steps)
    if complete:
        summary["linearity"] = (sum(steps[-4:]) / 4) / max(sum(steps[:4]) / 4, 1e-12)
    return summary


def run_growth(engines: list[str], wasm: Path, settings: Settings,
               progress: Progress = None) -> dict[str, dict[str, Any]]:
    """Per engine: growth step times to 256 MiB, summarised by :func:`summarise_growth`."""
    answers = _per_engine("grow", _plain(engines), wasm, settings, progress)
    summaries: dict[str, dict[str, Any]] = {}
    for engine, answer in answers.items():
        if "error" in answer:
            summaries[engine] = answer
            continue
        pages = answer["result"]
        if pages == 0xFFFFFFFF:  # a grow failed: count the pages of the steps that worked
            pages = GROW_STEP * (len(answer["steps"]) - 1)
        summaries[engine] = summarise_growth(answer["steps"], pages)
    return summaries


def run_bulk(engines: list[str], wasm: Path, settings: Settings,
             progress: Progress = None) -> dict[str, dict[str, Any]]:
    """Median seconds of a 4 MiB ``fill``, ``copy`` and ``overlap`` copy per engine."""
    return _per_engine("bulk", _plain(engines), wasm, settings, progress)


def run_compile(engines: list[str], wasm: Path, settings: Settings,
                progress: Progress = None) -> dict[str, dict[str, Any]]:
    """Per engine: the phases of loading and first calls of the 1 MB module (seconds).

    A warm engine (``pwasm-warm``, ``wasmem-warm``) runs once untimed first to fill its
    disk cache. Results that differ from wasmtime's get an ``error``.
    """
    for engine in engines:
        if engine in WARM:
            run_worker({"task": "compile", "engine": engine, "wasm": str(wasm)}, settings)
    answers = _per_engine("compile", engines, wasm, settings, progress)
    expected = answers.get("wasmtime", {}).get("result")
    for answer in answers.values():
        if "error" not in answer and expected is not None and answer["result"] != expected:
            answer["error"] = f"main returned {answer['result']}, wasmtime {expected}"
    return answers
