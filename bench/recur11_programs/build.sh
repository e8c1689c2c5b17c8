#!/bin/sh
# Builds the recursion and multi-value check programs (bench/STARTUP.md, helper "recur11"):
# rec.c at -O0 and -O2 (no imports, no libc calls), mv.wat with wat2wasm (WABT).
set -e
cd "$(dirname "$0")"
for o in O0 O2; do
  clang-14 --target=wasm32-wasi --sysroot=/usr -$o -nostartfiles -Wl,--no-entry \
    -Wl,--strip-debug -o rec-$o.wasm rec.c
done
wat2wasm mv.wat -o mv.wasm
