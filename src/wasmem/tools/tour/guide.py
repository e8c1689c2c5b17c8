"""What every tour topic uses: the examples folder, module loading and printing."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

__all__ = ["Tour", "TourError", "find_examples"]


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
        from ...embedding import Instance, Module
        module = Module(self.source(name), name=f"{name}.wat")
        return Instance(module, fuel=fuel)
