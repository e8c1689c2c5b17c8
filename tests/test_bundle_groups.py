"""The groups of modules imported together (``wasmem.bundle_groups``)."""

from __future__ import annotations

import os
from pathlib import Path

import wasmem
from wasmem.bundle_groups import groups

PACKAGE = Path(wasmem.__file__).resolve().parent


def _group_of(found: list[list[str]], name: str) -> list[str]:
    return next(group for group in found if name in group)


def test_modules_imported_inside_functions_are_groups_of_their_own() -> None:
    sources = [
        ("p", "from . import a\n", True),
        ("p.a", "from .b import thing\nimport p.c\n\ndef later():\n    from . import d\n",
         False),
        ("p.b", "thing = 1\n", False),
        ("p.c", "", False),
        ("p.d", "from . import e\nfrom typing import TYPE_CHECKING\n"
         "if TYPE_CHECKING:\n    from . import f\n", False),
        ("p.e", "try:\n    from . import b\nexcept ImportError:\n    pass\n", False),
        ("p.f", "", False),
    ]
    found = groups("p", sources)
    assert _group_of(found, "p") == ["p", "p.a", "p.b", "p.c"]
    assert _group_of(found, "p.d") == ["p.d", "p.e"]
    assert _group_of(found, "p.f") == ["p.f"]  # (only under TYPE_CHECKING: its own root)
    assert sorted(name for group in found for name in group) == sorted(s[0] for s in sources)


def test_a_module_two_roots_import_is_apart_from_each_roots_own() -> None:
    sources = [
        ("p", "def f():\n    from . import x, y\n", True),
        ("p.x", "from . import shared\nfrom . import only_x\n", False),
        ("p.y", "from .shared import z\n", False),
        ("p.shared", "z = 1\n", False),
        ("p.only_x", "", False),
    ]
    found = groups("p", sources)
    assert _group_of(found, "p.x") == ["p.only_x", "p.x"]
    assert _group_of(found, "p.y") == ["p.y"]
    assert _group_of(found, "p.shared") == ["p.shared"]


def test_a_source_that_does_not_parse_is_alone() -> None:
    found = groups("p", [("p", "import p.bad\n", True), ("p.bad", "def (:\n", False)])
    assert ["p.bad"] in found


def test_wasmems_phases() -> None:
    """The translator's and the interpreter's modules are apart from those of
    ``import wasmem`` and from each other."""
    root = PACKAGE.parent
    sources = []
    for directory, subdirectories, files in os.walk(PACKAGE):
        subdirectories[:] = [d for d in subdirectories if d != "__pycache__"]
        for file in files:
            if file.endswith(".py"):
                parts = list(Path(directory, file).relative_to(root).with_suffix("").parts)
                package = parts[-1] == "__init__"
                if package:
                    parts.pop()
                sources.append((".".join(parts), Path(directory, file).read_bytes(), package))
    found = groups("wasmem", sources)
    first = _group_of(found, "wasmem")
    translator = _group_of(found, "wasmem.exec.compiler.codegen")
    interpreter = _group_of(found, "wasmem.exec.interpreter.decode")
    assert "wasmem.embedding.instance" in first and "wasmem.valid.ops" not in first
    assert translator is not first and interpreter is not first
    assert not set(translator) & set(interpreter)
    assert "wasmem.exec.compiler.emit_numeric" in translator
    assert "wasmem.exec.interpreter.gen_operators" not in translator
