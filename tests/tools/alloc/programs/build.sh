#!/bin/sh
# Build the C programs of the dlmalloc walker tests (Debian: clang-14, lld-14, wasi-libc).
# Each program is built twice: NAME.wasm links dlmalloc/with_mallinfo.c (wasi-libc's dlmalloc
# with mallinfo compiled in, see dlmalloc/README.md); NAME-libc.wasm links libc.a unchanged.
# command.wasm is a WASI command (main, printf) linked with libc.a unchanged.
set -eu
cd "$(dirname "$0")"
CC="${CC:-clang-14}"
FLAGS="--target=wasm32-wasi --sysroot=${SYSROOT:-/usr} -O2 -mexec-model=reactor -Wl,--strip-debug"
for program in fragment words; do
    $CC $FLAGS -o "$program.wasm" "$program.c" dlmalloc/with_mallinfo.c
    $CC $FLAGS -o "$program-libc.wasm" "$program.c"
done
$CC --target=wasm32-wasi --sysroot="${SYSROOT:-/usr}" -O2 -Wl,--strip-debug -o command.wasm command.c
# libc-malloc.wasm: wasi-libc's malloc family exported as they are (for the stateful tests).
printf 'int unused;\n' > empty.c
$CC $FLAGS -o libc-malloc.wasm empty.c -Wl,--export=malloc,--export=free,--export=realloc \
    -Wl,--export=calloc,--export=malloc_usable_size
rm -f empty.c
