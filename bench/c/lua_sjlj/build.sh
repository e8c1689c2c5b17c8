#!/bin/sh
# Rebuild lua_sjlj.wasm (Debian: apt-get install clang-14 lld-14 wasi-libc).
# Lua 5.4 (the unmodified sources and licence in ../lua/) with real setjmp/longjmp, lowered
# Emscripten-style by LLVM:
# -mllvm -enable-emscripten-sjlj turns setjmp/longjmp into env.saveSetjmp/testSetjmp
# (sjlj_runtime.c), env.invoke_<sig> host trampolines, env.emscripten_longjmp and
# env.getTempRet0/setTempRet0 (provided by wasmem.emscripten). The trampolines restore
# the stack pointer after a longjmp and call through the table, so both are exported.
set -e
cd "$(dirname "$0")"
CC="${CC:-clang-14}"
"$CC" --target=wasm32-wasi --sysroot=/usr -O2 -mllvm -enable-emscripten-sjlj \
  -nostartfiles -Wl,--no-entry -Wl,--strip-debug -Wl,--export=__stack_pointer -Wl,--export-table \
  -Wl,--allow-undefined -Ishim -include config.h -I../lua/src -w \
  -o lua_sjlj.wasm lua_sjlj.c sjlj_runtime.c ../lua/src/*.c -lc-printscan-long-double
