#!/bin/sh
# Rebuild the recursion programs (bench/c/recursion, see bench/recursion.md): each C file
# at -O0 and -O2 (Debian clang 14, lld, wasi-libc); no imports, one export run(n).
set -e
cd "$(dirname "$0")"
CC="${CC:-clang}"
for name in rdesc trees mutual; do
  for level in -O0 -O2; do
    "$CC" --target=wasm32-wasi --sysroot=/usr "$level" -nostartfiles -Wl,--no-entry \
      -Wl,--export=run -Wl,--strip-debug -Wall -Wextra -Werror -o "$name$level.wasm" "$name.c"
  done
done
