#!/bin/sh
# Builds order9's translation-order check program (bench/tiering.md, helper "order9") at
# -O2, -Os and -O0, no imports (the WASI calls stdio would pull in are stubbed in
# ../rent_programs/stubs.c).
set -e
cd "$(dirname "$0")"
for o in O2 Os O0; do
  clang-14 --target=wasm32-wasi --sysroot=/usr -$o -nostartfiles -Wl,--no-entry \
    -Wl,--export=run -Wl,--strip-debug -o tok-$o.wasm tok.c ../rent_programs/stubs.c
done
