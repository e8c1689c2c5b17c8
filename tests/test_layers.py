"""Layers: validation depends only on the abstract syntax; loading sits above it.

Every import statement of a package's modules counts, also those inside functions (a
lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import wasmem

ROOT = Path(wasmem.__file__).parent


def imported_modules(package: str) -> dict[str, set[str]]:
    """``{module of the package: the wasmem modules or packages it imports}``."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = ["wasmem", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
            here = parts
        else:
            here = parts[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("wasmem"))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - node.level + 1]
                    name = ".".join(base + ([node.module] if node.module else []))
                else:
                    name = node.module or ""
                if name.startswith("wasmem"):
                    targets.add(name)
        found[".".join(parts)] = targets
    return found


def _outside(imports: dict[str, set[str]], allowed: tuple[str, ...]) -> list[str]:
    return [f"{module} imports {target}" for module, targets in sorted(imports.items())
            for target in sorted(targets)
            if not any(target == a or target.startswith(a + ".") for a in allowed)]


def test_validation_depends_only_on_the_syntax() -> None:
    imports = imported_modules("valid")
    assert imports.get("wasmem.valid.code")  # the finder found its imports
    assert not _outside(imports, ("wasmem.valid", "wasmem.syntax", "wasmem.errors"))


def test_the_finder_sees_relative_and_lazy_imports() -> None:
    imports = imported_modules("load")
    assert "wasmem.valid" in imports["wasmem.load.binary"]
    assert "wasmem.text" in imports["wasmem.load.binary"]  # inside a function
    assert _outside(imports, ("wasmem.load", "wasmem.syntax"))


def test_the_syntax_depends_on_nothing_above_it() -> None:
    imports = imported_modules("syntax")
    assert not _outside(imports, ("wasmem.syntax", "wasmem.errors"))
