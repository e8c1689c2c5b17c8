#!/bin/sh
# Rebuild hostcalls.wasm (Debian: apt-get install clang lld wasi-libc).
set -e
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug \
  -o hostcalls.wasm hostcalls.c
