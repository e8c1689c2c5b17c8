#!/bin/sh
# Builds the short-run policy check programs (bench/tiering.md, helper "recur8"): each at
# -O2, -Os and -O0, no imports (the WASI calls stdio would pull in are stubbed in
# ../rent_programs/stubs.c).
set -e
cd "$(dirname "$0")"
for p in walk jsonish; do
  for o in O2 Os O0; do
    clang-14 --target=wasm32-wasi --sysroot=/usr -$o -nostartfiles -Wl,--no-entry \
      -Wl,--export=run -Wl,--strip-debug -o $p-$o.wasm $p.c ../rent_programs/stubs.c
  done
done
