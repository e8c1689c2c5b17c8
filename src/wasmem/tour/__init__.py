"""``wasmem tour``: chapter 5 (memory management), run with its corrected examples.

Each topic loads modules from ``wasmem/examples/chapter5``, calls their exports and prints the
results beside hexdumps and maps of the memory they changed. The output is the same
on every run (no timings, no addresses of Python objects), and the whole tour takes
well under five seconds.

Topics, in order: ``layout``, ``loads``, ``stores``, ``data``, ``alignment``,
``allocators``, ``diagnostics``, ``watch``, then ``c-program``: a C program compiled with
clang for WASI (``wasmem/examples/wasi/hello.wasm``), run, and its static data, stack and
heap read back out of its memory.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

__all__ = ["TOPICS", "TourError", "Tour", "find_examples", "run_tour"]


class TourError(Exception):
    """The tour cannot run: examples folder not found, or an unknown topic."""


def find_examples(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder of the chapter 5 examples.

    Looks at ``explicit``, then ``$WASMEM_EXAMPLES``, then the examples shipped inside
    the ``wasmem`` package (``wasmem/examples/chapter5``, package data found with
    :mod:`importlib.resources`, so an installed wheel has them too).

    Raises:
        TourError: none of them holds ``01-memory-basics.wat``.
    """
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(Path(explicit))
    elif os.environ.get("WASMEM_EXAMPLES"):
        candidates.append(Path(os.environ["WASMEM_EXAMPLES"]))
    else:
        packaged = resources.files("wasmem") / "examples" / "chapter5"
        if isinstance(packaged, Path):  # not inside a zip file
            candidates.append(packaged)
    for folder in candidates:
        if (folder / "01-memory-basics.wat").is_file():
            return folder
    tried = ", ".join(str(c) for c in candidates)
    raise TourError(f"cannot find the chapter 5 examples (tried {tried or 'nothing'}); "
                    "pass --examples DIR")


class Tour:
    """What a topic needs: the examples folder, module loading, and printing.

    ``load(name)`` instantiates ``wasmem/examples/chapter5/<name>.wat`` (fresh each time).
    """

    def __init__(self, examples: Path, out: TextIO) -> None:
        self.examples = examples
        self.out = out

    def say(self, text: str = "") -> None:
        """Print a line (or several) of the tour."""
        print(text, file=self.out)

    def heading(self, text: str) -> None:
        """Print a topic heading."""
        self.say()
        self.say(text)
        self.say("=" * len(text))

    def step(self, text: str) -> None:
        """Print a sub-heading."""
        self.say()
        self.say(f"-- {text}")

    def block(self, text: str, indent: str = "    ") -> None:
        """Print a multi-line text (hexdump, map) indented."""
        for line in text.splitlines():
            self.say(indent + line)

    def source(self, name: str, folder: str = "") -> str:
        """Return the text of an example file (``folder`` = "as_printed" for the originals)."""
        path = self.examples / folder / f"{name}.wat"
        return path.read_text(encoding="utf-8")

    def load(self, name: str, *, fuel: int | None = 10_000_000) -> Any:
        """Instantiate a corrected example; return the ``wasmem.Instance``.

        Raises:
            WasmError: the example does not load (a bug: the tests keep them valid).
        """
        from ..embedding import Instance, Module
        module = Module(self.source(name), name=f"{name}.wat")
        return Instance(module, fuel=fuel)


def _topics() -> dict[str, tuple[str, Callable[[Tour], None]]]:
    from . import topics
    return topics.TOPICS


TOPICS = ("layout", "loads", "stores", "data", "alignment", "allocators", "diagnostics",
         "watch", "c-program")
"""Topic names, in tour order."""


def run_tour(topics: Sequence[str] | None = None, examples: str | None = None,
             out: TextIO | None = None) -> int:
    """Print the tour (all topics, or those named); return the exit status 0.

    ``topics == ["list"]`` prints the topic names and titles instead.

    Raises:
        TourError: unknown topic or examples folder not found.
    """
    stream = out if out is not None else sys.stdout
    table = _topics()
    if topics and list(topics) == ["list"]:
        for name in TOPICS:
            print(f"{name:12} {table[name][0]}", file=stream)
        return 0
    chosen = list(topics) if topics else list(TOPICS)
    unknown = [t for t in chosen if t not in table]
    if unknown:
        raise TourError(f"unknown topic {unknown[0]!r}; topics: {', '.join(TOPICS)}")
    tour = Tour(find_examples(examples), stream)
    tour.say("wasmem tour: chapter 5, memory management, with the corrected examples in")
    tour.say("wasmem/examples/chapter5 (see its README; one topic: `wasmem tour TOPIC`).")
    for number, name in enumerate(chosen, 1):
        title, show = table[name]
        tour.heading(f"{number}. {title}")
        show(tour)
    tour.say()
    tour.say("More: docs/guide.md (English), docs/zh/guide.md (中文); "
             "`wasmem lint FILE` checks your own modules.")
    return 0
