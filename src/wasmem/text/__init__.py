"""Text format (spec "Text Format"): lexer, parser (names resolved to indices), .wast scripts.

- :func:`parse_module` reads a ``.wat`` module into the abstract syntax.
- :func:`parse_script` reads a ``.wast`` script into :mod:`wasmem.script.commands`.
- :func:`parse_module_source` turns a script's module source into a module.
- :func:`print_module` writes a module back as text (parsing it gives an equal module).
"""

from .printer import print_module
from .script import parse_module, parse_module_source, parse_script

__all__ = ["parse_module", "parse_script", "parse_module_source", "print_module"]
