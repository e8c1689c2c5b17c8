#!/bin/sh
# Rebuild greet.wasm with Debian's clang, lld and wasi-libc (packages clang-14, lld-14,
# wasi-libc). No debug information (and so no build paths) ends up in greet.wasm.
set -e
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug \
    -o greet.wasm greet.c
