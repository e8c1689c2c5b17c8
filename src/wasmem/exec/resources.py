"""Admission of an instance's memories and tables against its resource caps.

Runs after imports are linked and before anything is allocated: the imported memories
and tables are charged at their current sizes, then the module's own at their minimum
sizes, so an instantiation that needs more than a cap fails fast, without allocating,
with :class:`~wasmem.errors.ResourceLimitError` naming the cap.
"""

from __future__ import annotations

from ..errors import ResourceLimitError
from ..runtime.caps import ResourceCaps
from ..runtime.instances import ModuleInstance
from ..syntax.module import Module
from ..syntax.types import PAGE_SIZE

__all__ = ["admit"]


def admit(inst: ModuleInstance, module: Module, max_memory_bytes: int | None,
          max_table_elements: int | None, max_memory_pages: int | None) -> ResourceCaps:
    """Create the caps of ``inst`` and charge every memory and table it will hold.

    Imported memories and tables (already in ``inst``) are charged at their current size
    and from now on their growth counts against these caps too.

    Returns:
        The caps, to pass to the memories and tables the instance creates.

    Raises:
        ResourceLimitError: if the total of memories or tables passes a cap, or one of the
            module's memories starts above ``max_memory_pages``.
        InvocationError: if a cap is not a non-negative integer.
    """
    caps = ResourceCaps(max_memory_bytes, max_table_elements)
    for k, memory in enumerate(inst.memories):
        caps.admit_memory(memory.size_bytes, f"imported memory {k}")
    for k, table in enumerate(inst.tables):
        caps.admit_table(table.size, f"imported table {k}")
    first_memory = len(inst.memories)
    for k, defined in enumerate(module.memories):
        minimum = defined.type.limits.min
        if max_memory_pages is not None and minimum > max_memory_pages:
            raise ResourceLimitError(
                f"memory {first_memory + k} needs {minimum} pages, more than "
                f"max_memory_pages={max_memory_pages}", cap="max_memory_pages")
        caps.admit_memory(minimum * PAGE_SIZE, f"memory {first_memory + k}")
    first_table = len(inst.tables)
    for k, table_defined in enumerate(module.tables):
        caps.admit_table(table_defined.type.limits.min, f"table {first_table + k}")
    for memory in inst.memories:
        memory.govern(caps)
    for table in inst.tables:
        table.govern(caps)
    return caps
