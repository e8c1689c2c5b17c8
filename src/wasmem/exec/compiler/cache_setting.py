"""What ``cache_dir=`` means, decided without importing the disk cache itself.

A process that runs with the cache off (``WASMEM_CACHE_DIR=""``, ``cache_dir=False``)
never needs :mod:`.cache` (nor :mod:`pathlib`, BLAKE2b, the pruning and trust
modules): :func:`cache_disabled` answers from the setting alone, and
:func:`wasmem.load.load_module` imports the cache only when it is on.
"""

from __future__ import annotations

import os
from typing import TypeAlias

__all__ = ["CacheSetting", "ENVIRONMENT_VARIABLE", "cache_disabled"]

ENVIRONMENT_VARIABLE = "WASMEM_CACHE_DIR"
"""Where the cache lives when ``wasmem.Module`` is not given ``cache_dir``."""

CacheSetting: TypeAlias = "str | os.PathLike[str] | bool | None"
"""What ``cache_dir=`` takes: a directory, None (the default) or False (no cache)."""


def cache_disabled(directory: object) -> bool:
    """Whether the setting ``directory`` (as ``cache_dir=``) turns the cache off:
    False, a blank string, or None (the default) while ``$WASMEM_CACHE_DIR`` is set
    and blank. Anything else (a directory, the default location, or a value of the
    wrong type, which :meth:`.cache.CodeCache.configured` refuses) needs the cache's
    own checks. Raises nothing."""
    if directory is False:
        return True
    if directory is None or directory is True:
        configured = os.environ.get(ENVIRONMENT_VARIABLE)
        return configured is not None and not configured.strip()
    return isinstance(directory, str) and not directory.strip()
