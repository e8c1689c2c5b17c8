#!/bin/sh
# Build the C side of the allocator benchmark (Debian: clang-14, lld-14, wasi-libc):
# dlmalloc.wasm exports wasi-libc's malloc/free/realloc/calloc (for replaying traces in
# wasmem); words-traced.wasm is tests/tools/alloc/programs/words.c with every allocation call
# reported to the host (trace_shim.c), from which record.py makes words.trace.
set -eu
cd "$(dirname "$0")"
CC="${CC:-clang-14}"
FLAGS="--target=wasm32-wasi --sysroot=${SYSROOT:-/usr} -O2 -mexec-model=reactor -Wl,--strip-debug"
printf 'int unused;\n' > empty.c
$CC $FLAGS -o dlmalloc.wasm empty.c \
    -Wl,--export=malloc,--export=free,--export=realloc,--export=calloc
rm -f empty.c
$CC $FLAGS -o words-traced.wasm ../../tests/tools/alloc/programs/words.c trace_shim.c \
    -Wl,--wrap=malloc,--wrap=free,--wrap=realloc,--wrap=calloc
