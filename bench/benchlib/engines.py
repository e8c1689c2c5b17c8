"""Adapters giving every engine the same three steps: load, instantiate, call.

Used inside worker processes (one engine per process). ``load(data)`` decodes, validates
and (for ahead-of-time engines) compiles a binary module; ``instantiate(module)`` makes a
fresh instance and returns a ``call(export, *args)`` function. Results come back as
Python ints (any sign) or floats; :func:`normalise` makes them comparable.

pwasm's on-disk code cache is set by the ``PWASM_CACHE_DIR`` environment variable, which
the parent process sets per worker (empty: no cache, "cold"; a directory: "warm"); the
same goes for wasmem's ``WASMEM_CACHE_DIR`` (``wasmem-warm``). Cold wasmem (``wasmem``)
also forgets, before each load, the binary modules its process validated
(``wasmem.load.cached.forget_validated``), so every cold load validates; ``wasmem-warm``
keeps that memory, as it keeps its disk cache.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

__all__ = ["ENGINES", "WARM", "WASM_ENGINES", "Adapter", "adapter", "normalise"]

Call = Callable[..., Any]

WASM_ENGINES = ("wasmem", "wasmem-warm", "pwasm", "pwasm-warm", "pywasm", "wasmtime")
"""Engine names, as used on the command line; ``*-warm`` is the engine with its disk cache
of translated code (filled by the uncounted first run)."""

WARM = {"wasmem-warm": "wasmem", "pwasm-warm": "pwasm"}
"""Each warm engine and the engine it is, without the cache."""

ENGINES = (*WASM_ENGINES, "python")
"""All rows' engines: ``python`` runs the hand-written reference versions."""


class Adapter:
    """The steps of one engine: ``load(bytes) -> module``, ``instantiate(module) -> call``."""

    def __init__(self, name: str, load: Callable[[bytes], Any],
                 instantiate: Callable[[Any], Call]) -> None:
        self.name = name
        self.load = load
        self.instantiate = instantiate

    def fresh(self, data: bytes) -> Call:
        """Load ``data`` and return the call function of a new instance."""
        return self.instantiate(self.load(data))


def _wasmem(name: str) -> Adapter:
    import wasmem

    load: Callable[[bytes], Any] = wasmem.Module
    if name == "wasmem":  # cold: no cache of any kind, so each load validates again
        try:
            from wasmem.load.cached import forget_validated
        except ImportError:  # a wasmem from before the in-process memory
            pass
        else:
            def cold_load(data: bytes) -> Any:
                forget_validated()
                return wasmem.Module(data)
            load = cold_load

    def instantiate(module: Any) -> Call:
        exports = wasmem.Instance(module).exports

        def call(name: str, *args: Any) -> Any:
            return exports[name](*args)
        return call
    return Adapter(name, load, instantiate)


def _pwasm(name: str) -> Adapter:
    import pwasm

    def instantiate(module: Any) -> Call:
        exports = pwasm.instantiate(module).exports

        def call(export: str, *args: Any) -> Any:
            return exports[export](*args)
        return call
    return Adapter(name, pwasm.decode_module, instantiate)


def _pywasm() -> Adapter:
    import pywasm

    def load(data: bytes) -> Any:
        return pywasm.core.ModuleDesc.from_reader(io.BytesIO(data))

    def instantiate(module: Any) -> Call:
        runtime = pywasm.core.Runtime()
        instance = runtime.instance(module)

        def call(name: str, *args: Any) -> Any:
            results = runtime.invocate(instance, name, list(args))
            return results[0] if len(results) == 1 else (tuple(results) or None)
        return call
    return Adapter("pywasm", load, instantiate)


def _wasmtime() -> Adapter:
    import wasmtime

    def load(data: bytes) -> Any:
        engine = wasmtime.Engine()
        return engine, wasmtime.Module(engine, data)

    def instantiate(loaded: Any) -> Call:
        engine, module = loaded
        store = wasmtime.Store(engine)
        exports: Any = wasmtime.Instance(store, module, []).exports(store)

        def call(name: str, *args: Any) -> Any:
            return exports[name](store, *args)
        return call
    return Adapter("wasmtime", load, instantiate)


def adapter(name: str) -> Adapter:
    """Return the adapter of a WebAssembly engine (importing the engine).

    Raises:
        KeyError: unknown engine name. ImportError: the engine is not installed.
    """
    if name in ("wasmem", "wasmem-warm"):
        return _wasmem(name)
    if name in ("pwasm", "pwasm-warm"):
        return _pwasm(name)
    if name == "pywasm":
        return _pywasm()
    if name == "wasmtime":
        return _wasmtime()
    raise KeyError(f"unknown engine {name!r}; known: {', '.join(WASM_ENGINES)}")


def normalise(value: Any, result: str) -> int | float | None:
    """Return ``value`` as the workload's result type: i32 as an unsigned 32-bit pattern,
    i64 as unsigned 64-bit, f64 as float; None stays None."""
    if value is None:
        return None
    if result == "i32":
        return int(value) & 0xFFFFFFFF
    if result == "i64":
        return int(value) & 0xFFFFFFFFFFFFFFFF
    return float(value)
