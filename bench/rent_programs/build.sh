#!/bin/sh
# Builds the rent-rule check programs (bench/tiering.md, "Rent in time"): each at -O2 and -O0,
# no imports (the WASI calls stdio would pull in are stubbed in stubs.c).
set -e
cd "$(dirname "$0")"
for p in fmt vm sexpr words; do
  for o in O2 O0; do
    clang-14 --target=wasm32-wasi --sysroot=/usr -$o -nostartfiles -Wl,--no-entry \
      -Wl,--export=run -Wl,--strip-debug -o $p-$o.wasm $p.c stubs.c
  done
done
