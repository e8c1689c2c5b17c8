"""WASI preview 1 (``wasi_snapshot_preview1``): run programs compiled for ``wasm32-wasi``.

::

    config = wasmem.wasi.WasiConfig(args=["prog"], preopens={"/": "data"}, stdout="capture")
    instance = wasmem.Instance(module, wasi=config)
    instance.exports._start()

See ``docs/wasi.md``. The guest reaches only its preopened directories
(:mod:`wasmem.wasi.sandbox`); ``proc_exit`` raises :class:`wasmem.Exit`.
"""

from ..errors import Exit
from .abi import Errno, Rights
from .config import WasiConfig

__all__ = ["WasiConfig", "Exit", "Errno", "Rights"]
# wasmem.wasi.context.WasiContext (what ``instance.wasi`` is) and the rest load with the
# first instance that uses WASI.
