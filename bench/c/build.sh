#!/bin/sh
# Rebuild cbench.wasm (Debian: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32).
set -e
cd "$(dirname "$0")"
clang --target=wasm32-wasi -O2 -nostartfiles -Wl,--no-entry -Wl,--export=run \
  -o cbench.wasm cbench.c
# The WASI benchmarks (bench/wasi.py): command modules, run through their _start.
for program in printf10mb smallfiles; do
  clang --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug \
    -o "$program.wasm" "$program.c"
done
