"""The embedding API (spec appendix "Embedding"): Module, Instance and extern wrappers.

This is what ``import wasmem`` gives you::

    import wasmem
    module = wasmem.Module('(module (func (export "add") (param i32 i32) (result i32)'
                           ' (i32.add (local.get 0) (local.get 1))))')
    instance = wasmem.Instance(module)
    assert instance.exports["add"](2, 3) == 5

The package's modules: :mod:`.module` (loading), :mod:`.instance` (instances and their
exports), :mod:`.functions` (exported and host functions), :mod:`.memory` and
:mod:`.externs` (globals, tables, tags).
"""

from __future__ import annotations

from .externs import Global, Table, Tag
from .functions import Function
from .instance import Exports, Instance
from .memory import Memory
from .module import Module, read_module_file

__all__ = ["Module", "Instance", "Function", "Memory", "Global", "Table", "Tag", "Exports",
           "read_module_file"]
