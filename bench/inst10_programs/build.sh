#!/bin/sh
# Builds inst10's instance-per-run program (bench/tiering.md, helper "inst10") at -O2,
# no imports (the WASI calls stdio would pull in are stubbed in ../rent_programs/stubs.c).
set -e
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -nostartfiles -Wl,--no-entry \
  -Wl,--export=run -Wl,--strip-debug -o calc.wasm calc.c ../rent_programs/stubs.c
