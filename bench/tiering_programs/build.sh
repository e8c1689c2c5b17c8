#!/bin/sh
# Rebuild the programs of bench/tiering.py (Debian: clang-14, lld, wasi-libc, wabt).
set -e
cd "$(dirname "$0")"
for program in fib matmul hash qsort; do
  clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -nostartfiles -Wl,--no-entry \
    -o "$program.wasm" "$program.c"
done
wat2wasm loop.wat -o loop.wasm
