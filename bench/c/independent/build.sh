#!/bin/sh
# Rebuild the independent programs (bench/c/independent): each C file at its own -O level
# (Debian clang 14, lld, wasi-libc); no imports, one export run(n), except chatty, a WASI
# command for bench/run_wasi.py. The .wat files are
# encoded by benchlib.build at run time (or: wat2wasm --enable-all x.wat).
set -e
cd "$(dirname "$0")"
CC="${CC:-clang}"
CXX="${CXX:-clang++}"
build() {  # name level [extra flags]
  name=$1; level=$2; shift 2
  # shellcheck disable=SC2086
  "$CC" --target=wasm32-wasi --sysroot=/usr "$level" -nostartfiles -Wl,--no-entry \
    -Wl,--export=run -Wl,--strip-debug -Wall -Wextra -Werror -o "$name.wasm" "$name.c" "$@"
}
if [ $# -gt 0 ]; then set -- "$@"; else
  set -- recur tokens fnptr lists nbody mandel strings sorts calc lz hashes json oop chatty
fi
for program in "$@"; do
  case $program in
    recur) build recur -O1 ;;
    tokens) build tokens -Os ;;
    fnptr) build fnptr -O2 ;;
    lists) build lists -O0 ;;
    nbody) build nbody -O3 ;;
    mandel) build mandel -O2 ;;
    strings) build strings -O2 -lc-printscan-long-double ;;
    sorts) build sorts -O3 ;;
    calc) build calc -O2 ;;
    lz) build lz -O2 ;;
    hashes) build hashes -Os ;;
    json) build json -O1 ;;
    oop)  # C++ without its standard library: no exceptions, no RTTI
      "$CXX" --target=wasm32-wasi --sysroot=/usr -O2 -fno-exceptions -fno-rtti -nostdlib++ \
        -nostartfiles -Wl,--no-entry -Wl,--export=run -Wl,--strip-debug -Wall -Wextra \
        -Werror -o oop.wasm oop.cpp ;;
    chatty)  # a WASI command (bench/run_wasi.py), run through _start
      "$CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug \
        -o chatty.wasm chatty.c ;;
    *) echo "unknown program $program" >&2; exit 1 ;;
  esac
done
