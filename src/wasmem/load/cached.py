"""``wasmem.Module(source)``'s loading, with the disk cache of :mod:`wasmem.exec.compiler.cache`.

The cache remembers modules that validated: the verdict is a function of the exact
bytes (or text) and of wasmem, so a module whose "valid" marker authenticates (HMAC
with the user's key, over the module's digest and wasmem's fingerprint) is only decoded
(parsed) again. Everything else is validated in full, and remembered when valid.

Within one process the verdict of binary sources is also remembered in memory, keyed
by the bytes themselves (no digest: ``hashlib`` costs a cold process milliseconds to
import), whatever the disk cache setting: loading the same bytes again (a plugin per
request, a test's fresh module) only decodes them.
"""

from __future__ import annotations

from ..binary.decode import decode_module
from ..exec.compiler.cache_setting import CacheSetting, cache_disabled
from ..exec.release import KEPT_KEY, no_longer_kept
from ..syntax.module import Module

__all__ = ["forget_validated", "load_module"]

_VALID_HERE: dict[bytes, None] = {}
"""The binary sources validated in this process, oldest first (at most
:data:`_VALID_HERE_BYTES` bytes of them, each at most :data:`_VALID_HERE_LARGEST`)."""
_VALID_HERE_BYTES = 32 << 20
_VALID_HERE_LARGEST = 8 << 20
_valid_here_size = [0]


def _remember_valid(source: bytes) -> None:
    """Add ``source`` to :data:`_VALID_HERE`, forgetting the oldest beyond the bound."""
    if len(source) > _VALID_HERE_LARGEST:
        return
    _VALID_HERE[source] = None
    _valid_here_size[0] += len(source)
    while _valid_here_size[0] > _VALID_HERE_BYTES and _VALID_HERE:
        try:
            oldest = next(iter(_VALID_HERE))
        except RuntimeError:  # (another thread changed it)
            break
        if _VALID_HERE.pop(oldest, 0) is None:
            _valid_here_size[0] -= len(oldest)


_LOADED_HERE: dict[tuple[bytes, str | None], Module] = {}
"""The last binary modules loaded without a disk cache, by source and name, oldest first
(at most :data:`_LOADED_HERE_COUNT`; only sources :data:`_VALID_HERE` holds)."""
_LOADED_HERE_COUNT = 4


def forget_validated() -> None:
    """Forget every binary source this process validated, and the modules loaded from
    them, so the next ``Module()`` of each validates it again and translates afresh (a
    measurement of cold loading does this before each run). Raises nothing."""
    _VALID_HERE.clear()
    _valid_here_size[0] = 0
    for module in list(_LOADED_HERE.values()):
        no_longer_kept(module)
    _LOADED_HERE.clear()


def load_module(source: str | bytes, *, name: str | None = None,
                cache_dir: CacheSetting = None) -> Module:
    """Return the valid module of ``source`` (text or binary), using the disk cache.

    ``cache_dir`` is as for ``wasmem.Module`` (None: ``$WASMEM_CACHE_DIR`` or the
    per-user directory; False: no cache). The cache, if any, is attached to the module
    for its translated functions. Function bodies of a binary stay encoded until first
    run.

    Raises:
        ParseError, DecodeError, ValidationError, UnsupportedFeature: the source is
            malformed or invalid. InvocationError: ``cache_dir`` is not a directory,
            None or False.
    """
    cache = None
    if not cache_disabled(cache_dir):  # (the cache's modules are imported only when on)
        from ..exec.compiler.cache import CodeCache
        cache = CodeCache.configured(cache_dir, source)
    known_valid = cache is not None and cache.known_valid()
    raw = None if isinstance(source, str) else bytes(source)
    valid_here = raw is not None and raw in _VALID_HERE
    if raw is not None and valid_here and cache is None:
        loaded = _LOADED_HERE.get((raw, name))
        if loaded is not None:
            return loaded
    module: Module
    if isinstance(source, str):
        if known_valid:
            from ..text import parse_module
            module = parse_module(source, file=name)
        else:
            from .binary import load_text
            module = load_text(source, file=name)
    elif known_valid or valid_here:
        module = decode_module(raw or source, file=name, lazy_bodies=True)
    else:
        from .binary import load_binary
        module = load_binary(raw or source, file=name)
    if raw is not None and not valid_here:
        _remember_valid(raw)
    if raw is not None and cache is None and raw in _VALID_HERE:
        _LOADED_HERE[raw, name] = module
        module.__dict__[KEPT_KEY] = True  # (its decoded functions outlive its handles)
        while len(_LOADED_HERE) > _LOADED_HERE_COUNT:
            try:
                oldest = _LOADED_HERE.pop(next(iter(_LOADED_HERE)), None)
            except (RuntimeError, StopIteration):  # (another thread changed it)
                break
            if oldest is not None:
                no_longer_kept(oldest)
    if cache is not None:
        from ..exec.compiler.tier import CompiledModule
        CompiledModule.of(module, cache)
        if not known_valid:
            cache.remember_valid()
    return module
