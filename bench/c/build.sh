#!/bin/sh
# Rebuild the C benchmark programs (Debian: apt-get install clang lld wasi-libc
# libclang-rt-14-dev-wasm32; the committed .wasm were built with Debian's clang 14).
#   sh build.sh              everything
#   sh build.sh gemm vm      only these compiled programs (of benchlib/programs.py)
set -e
cd "$(dirname "$0")"
CC="${CC:-clang}"
FLAGS="--target=wasm32-wasi --sysroot=/usr -O2 -nostartfiles -Wl,--no-entry -Wl,--strip-debug"
if [ $# -gt 0 ]; then
  for program in "$@"; do
    if [ "$program" = lua ]; then
      # shellcheck disable=SC2086
      "$CC" $FLAGS -Ilua/shim -include lua/wasm_config.h -Ilua/src -w \
        -o programs/lua.wasm lua/lua_bench.c lua/src/*.c -lc-printscan-long-double
    else
      # shellcheck disable=SC2086
      "$CC" $FLAGS -Wall -Wextra -Werror -o "programs/$program.wasm" "programs/$program.c"
    fi
  done
  exit 0
fi
"$CC" --target=wasm32-wasi -O2 -nostartfiles -Wl,--no-entry -Wl,--export=run \
  -o cbench.wasm cbench.c
# The WASI benchmarks (bench/wasi.py): command modules, run through their _start.
for program in printf10mb smallfiles; do
  "$CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug \
    -o "$program.wasm" "$program.c"
done
# The compiled programs of bench/run.py (benchlib/programs.py): no imports, no start
# function, one export run(n). wasi-libc's printf core refers to stderr (to complain about
# long double) unless the long-double variant is linked, which keeps the modules import-free.
# Lua 5.4 (lua/src: unmodified sources, MIT licence in lua/LICENSE): lua/wasm_config.h is
# force-included into every file, lua/shim stands in for the missing <setjmp.h>.
sh "$0" gemm jacobi2d nussinov coremark strhash vm mallocs sortcopy lua
