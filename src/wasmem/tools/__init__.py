"""Tools built on the engine, apart from the spec's chapters: ``lint`` (static checks for
the chapter's bug classes), ``tour`` (``wasmem tour``) and ``alloc`` (allocators in
WebAssembly text and their heap walkers). Nothing in the chapters' packages needs them
at import time."""
